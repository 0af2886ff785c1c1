import Randomness

/// Where a generator's choices come from, and the record of those it made.
///
/// Generation is a function of a sequence of choices (bounded integers), as in Hypothesis: a random run
/// draws them from a Philox stream and records them; a replay or a shrink step feeds a recorded (or
/// edited) sequence back. Choices past the end of a replayed sequence are 0, and generators are written
/// so that smaller choices mean simpler values, so shortening or lowering a sequence simplifies a case.
public final class ChoiceSource {
    enum Mode {
        case random(SequentialGenerator)
        case replay([UInt64], position: Int)
    }

    private var mode: Mode
    /// Every choice made so far, as the value used (already reduced below its bound).
    public private(set) var recorded: [UInt64] = []
    /// Guards against generators that draw without end.
    public let maximumChoices: Int

    /// Random choices from stream (seed, generation, index).
    public init(seed: UInt64, index: UInt64, maximumChoices: Int = 100_000) {
        mode = .random(SequentialGenerator(StreamKey(seed: seed, purpose: .generation, index: index)))
        self.maximumChoices = maximumChoices
    }

    /// A fixed sequence (replay, shrinking).
    public init(replaying choices: [UInt64], maximumChoices: Int = 100_000) {
        mode = .replay(choices, position: 0)
        self.maximumChoices = maximumChoices
    }

    /// A choice in 0..<bound (bound ≥ 1).
    public func draw(below bound: UInt64) throws -> UInt64 {
        precondition(bound >= 1, "a choice needs a positive bound")
        guard recorded.count < maximumChoices else { throw GenerationError.tooManyChoices(maximumChoices) }
        let value: UInt64
        switch mode {
        case var .random(generator):
            value = bound == 1 ? 0 : UInt64(generator.integer(below: Int(min(bound, UInt64(Int.max)))))
            mode = .random(generator)
        case let .replay(choices, position):
            value = position < choices.count ? min(choices[position], bound - 1) : 0
            mode = .replay(choices, position: position + 1)
        }
        recorded.append(value)
        return value
    }
}

/// Why a case could not be generated.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case tooManyChoices(Int)
    /// The generator rejected the choices (for example a filter that never held).
    case rejected(String)

    public var description: String {
        switch self {
        case let .tooManyChoices(n): return "generation made more than \(n) choices"
        case let .rejected(why): return "generation rejected the case: \(why)"
        }
    }
}
