/// Shrinks a failing choice sequence towards the simplest one that still fails, as Hypothesis does:
/// delete blocks of choices, then lower each choice (to 0, then by halving), keeping any change after
/// which the case still fails. Because generators map smaller choices to simpler values, the result is a
/// smaller D and d, identity covariances, fewer steps and simpler objectives where the failure allows.
public struct Shrinker {
    /// Whether the case generated from these choices fails; also returns the choices the generator
    /// actually consumed (so unused tails are dropped).
    public typealias Predicate = ([UInt64]) -> (fails: Bool, used: [UInt64])

    public let maximumEvaluations: Int

    public init(maximumEvaluations: Int) { self.maximumEvaluations = maximumEvaluations }

    public func shrink(_ initial: [UInt64], fails: Predicate) -> (choices: [UInt64], evaluations: Int) {
        var best = Self.canonical(initial)
        var evaluations = 0
        func attempt(_ raw: [UInt64]) -> Bool {
            let candidate = Self.canonical(raw)
            guard evaluations < maximumEvaluations, isSimpler(candidate, than: best) else { return false }
            evaluations += 1
            let (f, used) = fails(candidate)
            guard f else { return false }
            // What the generator consumed is no more complex than what it was offered.
            let consumed = Self.canonical(used)
            best = isSimpler(consumed, than: candidate) ? consumed : candidate
            return true
        }
        var improved = true
        while improved && evaluations < maximumEvaluations {
            improved = false
            // Delete blocks, largest first.
            for size in [8, 4, 2, 1] {
                var start = max(0, best.count - size)
                while start >= 0 && evaluations < maximumEvaluations {
                    if start + size <= best.count {
                        var c = best
                        c.removeSubrange(start..<(start + size))
                        if attempt(c) { improved = true }
                    }
                    start -= size
                }
            }
            // A length choice and the elements it governs: lower one choice by one and delete a block after it.
            var i0 = 0
            while i0 < best.count && evaluations < maximumEvaluations {
                if best[i0] > 0 {
                    for size in [1, 2] {
                        var start = i0 + 1
                        // A success at size 1 may have lowered best[i0] to 0: re-check before lowering it again.
                        while i0 < best.count && best[i0] > 0 && start + size <= best.count && evaluations < maximumEvaluations {
                            var c = best
                            c[i0] -= 1
                            c.removeSubrange(start..<(start + size))
                            if attempt(c) { improved = true; break }
                            start += 1
                        }
                    }
                }
                i0 += 1
            }
            // Redistribute: move a choice's value onto a later one (lexicographically smaller).
            var i1 = 0
            while i1 < best.count && evaluations < maximumEvaluations {
                for j in (i1 + 1)..<min(best.count, i1 + 8) where best[i1] > 0 && i1 + 1 < best.count {
                    var c = best
                    let (sum, overflow) = c[j].addingReportingOverflow(c[i1])
                    guard !overflow else { continue }
                    c[j] = sum
                    c[i1] = 0
                    if attempt(c) { improved = true; break }
                }
                i1 += 1
            }
            // Lower each choice: to zero, then halve, then minus one.
            var i = 0
            while i < best.count && evaluations < maximumEvaluations {
                if best[i] != 0 {
                    var c = best
                    c[i] = 0
                    if attempt(c) { improved = true; i += 1; continue }
                    var step = best[i] / 2
                    while step > 0 && i < best.count && evaluations < maximumEvaluations {
                        // A success may have lowered (or, through the choices the predicate used, shortened) `best`.
                        guard best[i] >= step else { step = best[i] / 2; continue }
                        var d = best
                        d[i] = best[i] - step
                        if attempt(d) { improved = true } else { step /= 2 }
                    }
                }
                i += 1
            }
        }
        return (best, evaluations)
    }

    /// Trailing zeros are implied (a replay reads 0 past the end), so they are dropped.
    public static func canonical(_ choices: [UInt64]) -> [UInt64] {
        var c = choices
        while c.last == 0 { c.removeLast() }
        return c
    }

    /// Shortlex order: shorter is simpler; at equal length, lexicographically smaller.
    public func isSimpler(_ a: [UInt64], than b: [UInt64]) -> Bool {
        if a.count != b.count { return a.count < b.count }
        for (x, y) in zip(a, b) where x != y { return x < y }
        return false
    }
}
