#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import Randomness

extension Purpose {
    /// Streams of the test suite's own random problems; distinct from every purpose the package uses.
    public static let test = Purpose(rawValue: 0x7E57_0000)
}

/// Small random problems from fixed stream keys: no global generator, so every test sees the same numbers
/// on every run, in any order and on any thread.
///
/// The normals here are made by the suite itself (Box–Muller on the raw Philox bits, whose known answers
/// are tested), not by the package's `RandomStream.normals`: the fixtures, and so the measured values quoted
/// in the tests' comments, stay the same when the package changes its normal algorithm, and they stay
/// cheap in debug builds.
public enum TestRandom {
    /// n standard normals of stream row `row`: Box–Muller on the two 53-bit uniforms of each Philox block.
    public static func normals(_ n: Int, key: StreamKey, row: Int = 0) -> [Double] {
        let stream = RandomStream(key)
        var out = [Double]()
        out.reserveCapacity(n + 1)
        var block: UInt32 = 0
        while out.count < n {
            let (a, b, c, d) = stream.bits(row: UInt32(row), block: block)
            let u1 = (Double((UInt64(a) << 32 | UInt64(b)) >> 11) + 0.5) * 0x1p-53
            let u2 = (Double((UInt64(c) << 32 | UInt64(d)) >> 11) + 0.5) * 0x1p-53
            let r = (-2 * log(u1)).squareRoot()
            out.append(r * cos(2 * Double.pi * u2))
            out.append(r * sin(2 * Double.pi * u2))
            block += 1
        }
        return Array(out.prefix(n))
    }

    /// n uniforms on (0, 1) of stream row `row` (two per Philox block).
    public static func uniforms(_ n: Int, key: StreamKey, row: Int = 0) -> [Double] {
        let stream = RandomStream(key)
        var out = [Double]()
        var block: UInt32 = 0
        while out.count < n {
            let (a, b, c, d) = stream.bits(row: UInt32(row), block: block)
            out.append((Double((UInt64(a) << 32 | UInt64(b)) >> 11) + 0.5) * 0x1p-53)
            out.append((Double((UInt64(c) << 32 | UInt64(d)) >> 11) + 0.5) * 0x1p-53)
            block += 1
        }
        return Array(out.prefix(n))
    }

    /// The stream key of test problem `index` (one index per independent ingredient of a test).
    public static func key(_ index: UInt64, seed: UInt64 = 20_241_210) -> StreamKey {
        StreamKey(seed: seed, purpose: .test, index: index)
    }

    /// rows×columns i.i.d. standard normals.
    public static func gaussianMatrix(rows: Int, columns: Int, key: StreamKey) -> Matrix<Double> {
        Matrix(rows: rows, columns: columns, elements: (0..<rows).flatMap { normals(columns, key: key, row: $0) })
    }

    /// The same in Float (rounded from the Double draws).
    public static func gaussianMatrixFloat(rows: Int, columns: Int, key: StreamKey) -> Matrix<Float> {
        gaussianMatrix(rows: rows, columns: columns, key: key).converted(to: Float.self)
    }

    /// n i.i.d. standard normals.
    public static func gaussianVector(_ n: Int, key: StreamKey) -> [Double] {
        normals(n, key: key)
    }

    /// n i.i.d. uniforms on (lower, upper).
    public static func uniformVector(_ n: Int, in range: ClosedRange<Double>, key: StreamKey) -> [Double] {
        uniforms(n, key: key).map { range.lowerBound + (range.upperBound - range.lowerBound) * $0 }
    }

    /// D×d orthonormal columns by modified Gram–Schmidt, applied twice ("twice is enough", Giraud et al.),
    /// on a Gaussian matrix: independent of the LAPACK QR under test. Columns keep the direction of the
    /// Gaussian columns (R has a positive diagonal), i.e. this is the unique QR with diag(R) > 0.
    public static func orthonormalColumns(rows: Int, columns: Int, key: StreamKey) -> Matrix<Double> {
        gramSchmidt(gaussianMatrix(rows: rows, columns: columns, key: key))
    }

    /// Modified Gram–Schmidt with one re-orthogonalisation pass.
    public static func gramSchmidt(_ g: Matrix<Double>) -> Matrix<Double> {
        var q = g
        for j in 0..<g.columns {
            for _ in 0..<2 {
                for p in 0..<j {
                    var s = 0.0
                    for i in 0..<g.rows { s += q[i, p] * q[i, j] }
                    for i in 0..<g.rows { q[i, j] -= s * q[i, p] }
                }
            }
            var n = 0.0
            for i in 0..<g.rows { n += q[i, j] * q[i, j] }
            n = n.squareRoot()
            precondition(n > 0, "Gram–Schmidt met a dependent column")
            for i in 0..<g.rows { q[i, j] /= n }
        }
        return q
    }

    /// Q diag(λ) Qᵀ with a random orthogonal Q: a symmetric matrix with exactly known eigenvalues.
    public static func symmetricMatrix(eigenvalues: [Double], key: StreamKey) -> Matrix<Double> {
        let n = eigenvalues.count
        let q = orthonormalColumns(rows: n, columns: n, key: key)
        var m = Matrix<Double>(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += q[i, k] * eigenvalues[k] * q[j, k] }
                m[i, j] = s
            }
        }
        return m.symmetrized
    }

    /// An SPD matrix with eigenvalues spread log-uniformly on [smallest, largest].
    public static func spdMatrix(dimension n: Int, smallest: Double = 0.5, largest: Double = 2, key: StreamKey) -> Matrix<Double> {
        let ratio = n > 1 ? (largest / smallest) : 1
        let eigenvalues = (0..<n).map { smallest * pow(ratio, n > 1 ? Double($0) / Double(n - 1) : 0) }
        return symmetricMatrix(eigenvalues: eigenvalues, key: key)
    }
}
