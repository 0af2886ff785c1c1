/// What a random stream is for. Two streams with different purposes never share numbers, so adding a
/// new use of randomness somewhere cannot shift the draws of another.
public struct Purpose: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The starting noise x_T of a sampler.
    public static let initialNoise = Purpose(rawValue: 1)
    /// The per-step noise of a sampler.
    public static let stepNoise = Purpose(rawValue: 2)
    /// Training or pre-training data drawn from a data model.
    public static let data = Purpose(rawValue: 3)
    /// A Haar-random orthonormal basis A.
    public static let basis = Purpose(rawValue: 4)
    /// Fine-tuning draws (times and noise of the score-matching loss).
    public static let fineTuning = Purpose(rawValue: 5)
    /// Shuffling of training data.
    public static let shuffle = Purpose(rawValue: 6)
    /// Parameters of a generated setting (latent means, covariances, objectives).
    public static let setting = Purpose(rawValue: 7)
    /// Case generation of the property engine.
    public static let generation = Purpose(rawValue: 8)
    /// Initial weights of a network.
    public static let initialization = Purpose(rawValue: 9)
    /// Times drawn for a score-matching loss.
    public static let timesteps = Purpose(rawValue: 10)
    /// Noise ε of a training batch's score-matching loss.
    public static let trainingNoise = Purpose(rawValue: 11)
    /// An audit's own draws (projection directions, Monte Carlo of a law's statistics).
    public static let audit = Purpose(rawValue: 12)
    /// The noise of a guidance rule's recurrence: later passes of a step and the re-noising between them.
    public static let recurrenceNoise = Purpose(rawValue: 13)

    public var description: String {
        switch self {
        case .initialNoise: return "initialNoise"
        case .stepNoise: return "stepNoise"
        case .data: return "data"
        case .basis: return "basis"
        case .fineTuning: return "fineTuning"
        case .shuffle: return "shuffle"
        case .setting: return "setting"
        case .generation: return "generation"
        case .initialization: return "initialization"
        case .timesteps: return "timesteps"
        case .trainingNoise: return "trainingNoise"
        case .audit: return "audit"
        case .recurrenceNoise: return "recurrenceNoise"
        default: return "purpose\(rawValue)"
        }
    }
}

/// The name of one random stream, JAX style: (seed, purpose, index).
///
/// The Philox key is a hash of (seed, purpose); the index fills the high half of the counter, the row
/// (for example a sample's number in its batch) the next word, and the low word counts blocks within
/// the row. So the noise of sample i at step t of round k is the same whatever the batch size, its
/// order, the shard or the thread count. (Results computed from that noise are bit-identical for a
/// fixed BLAS thread count; OpenBLAS's threaded gemm may change the last bit of very large batches.)
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    public let seed: UInt64
    public let purpose: Purpose
    public let index: UInt64

    public init(seed: UInt64, purpose: Purpose, index: UInt64 = 0) {
        self.seed = seed
        self.purpose = purpose
        self.index = index
    }

    /// An index made of two 32-bit parts, for example (round, step).
    public init(seed: UInt64, purpose: Purpose, major: Int, minor: Int) {
        precondition(major >= 0 && major <= Int(UInt32.max) && minor >= 0 && minor <= Int(UInt32.max),
                     "stream index parts must fit in 32 bits, got (\(major), \(minor))")
        self.init(seed: seed, purpose: purpose, index: UInt64(major) << 32 | UInt64(minor))
    }

    /// The Philox key: SplitMix64 finalisers over seed and purpose.
    public var philoxKey: Philox4x32.Key {
        let h = StreamKey.mix(seed ^ StreamKey.mix(UInt64(purpose.rawValue) &+ 0x632B_E59B_D9B4_E019))
        return (UInt32(truncatingIfNeeded: h), UInt32(truncatingIfNeeded: h >> 32))
    }

    /// SplitMix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
    @inlinable
    public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public var description: String { "(seed \(seed), \(purpose), index \(index))" }
}
