import CLapacke

/// Solves a general square system A x = b by LU with partial pivoting (LAPACK gesv): for the small
/// non-symmetric systems of the theory (for example (λI − Σ̄H)x = λμ̄ + Σ̄b), where the normal
/// equations would square the condition number.
public enum LinearSolve {
    public static func solve(_ a: Matrix<Double>, _ b: [Double]) throws -> [Double] {
        guard a.isSquare else { throw LinearAlgebraError.notSquare(rows: a.rows, columns: a.columns) }
        guard b.count == a.rows else { throw LinearAlgebraError.shapeMismatch("right-hand side has \(b.count) entries, system has \(a.rows)") }
        guard a.isFinite, b.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFinite("linear system") }
        let n = a.rows
        if n == 0 { return [] }
        var lu = a.elements
        var x = b
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(n), 1, &lu, Int32(n), &pivots, &x, 1)
        if info > 0 { throw LinearAlgebraError.lapackFailure(routine: "dgesv (singular matrix)", info: info) }
        if info < 0 { throw LinearAlgebraError.lapackFailure(routine: "dgesv", info: info) }
        return x
    }
}
