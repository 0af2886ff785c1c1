import Dispatch
import Foundation
import Randomness

/// A deterministic share of a run's cases: case k belongs to shard `index` of `count` when k mod count = index.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let all = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses "i/N" with 0 ≤ i < N.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
            throw PropertyError.badShard("expected i/N with 0 ≤ i < N, got '\(text)'")
        }
        self.init(index: i, count: n)
    }

    public func contains(_ k: Int) -> Bool { k % count == index }
    public var description: String { count == 1 ? "all" : "\(index)/\(count)" }
}

/// Runs catalog properties: regressions first, then fresh cases; decides verdicts (unless sharded), and
/// shrinks failures to a minimal case with a replay token.
public struct Runner {
    public let profile: Profile
    /// Statistical and rate properties sharing the run's false-fail rate (from the whole catalog, so that a
    /// single property run and the whole catalog judge alike).
    public let familySize: Int
    public let shard: Shard
    public let store: RegressionStore?
    public let progress: ((String) -> Void)?

    public init(profile: Profile, familySize: Int, shard: Shard = .all, store: RegressionStore? = nil, progress: ((String) -> Void)? = nil) {
        self.profile = profile
        self.familySize = familySize
        self.shard = shard
        self.store = store
        self.progress = progress
    }

    /// The generation seed of a property: the profile seed mixed with the property's name.
    public func seed(for property: any CatalogProperty) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in property.id.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return StreamKey.mix(profile.seed ^ h)
    }

    public func alpha(for property: any CatalogProperty) -> Double {
        property.kind == .exact ? 0 : Verdicts.propertyAlpha(falseFailRate: profile.falseFailRate, familySize: familySize)
    }

    /// Evaluates one case from a choice source; errors become part of the result.
    public static func evaluate(_ property: any CatalogProperty, source: ChoiceSource, effort: Int, index: Int, threshold: Double) -> CaseResult {
        do {
            let (setting, evidence) = try property.evaluate(source, effort: effort)
            let token = ReplayToken(property: property.id, effort: effort, threshold: threshold, choices: Shrinker.canonical(source.recorded))
            return CaseResult(index: index, setting: setting, evidence: evidence, error: nil, token: token.description)
        } catch {
            let token = ReplayToken(property: property.id, effort: effort, threshold: threshold, choices: Shrinker.canonical(source.recorded))
            return CaseResult(index: index, setting: "(generation or evaluation failed)", evidence: nil, error: "\(error)", token: token.description)
        }
    }

    public func run(_ property: any CatalogProperty) -> PropertyResult {
        let start = Date()
        let budget = property.budget(for: profile)
        let alpha = alpha(for: property)
        let bonferroni = property.kind == .exact ? 0 : alpha / Double(max(budget.cases, 1))
        var cases = [CaseResult]()
        // Found failures first (only on the shard that owns case 0, so a merge sees them once).
        if shard.contains(0), let store {
            for (n, token) in store.tokens(for: property.id).enumerated() {
                if let problem = Self.problem(token, property) {
                    progress?("\(property.id): skipping stored failure \(n + 1): \(problem)")
                    continue
                }
                progress?("\(property.id): replaying stored failure \(n + 1)")
                cases.append(Self.evaluate(property, source: ChoiceSource(replaying: token.choices), effort: token.effort,
                                           index: -(n + 1), threshold: token.threshold))
            }
        }
        let seed = seed(for: property)
        for k in 0..<budget.cases where shard.contains(k) {
            progress?("\(property.id): case \(k + 1)/\(budget.cases)")
            cases.append(Self.evaluate(property, source: ChoiceSource(seed: seed, index: UInt64(k)), effort: budget.effort,
                                       index: k, threshold: bonferroni))
        }
        var result = PropertyResult(id: property.id, title: property.title, claim: property.claim, kind: property.kind,
                                    profile: profile.name, seed: profile.seed, budget: budget, shard: shard.description,
                                    alpha: alpha, cases: cases, passed: nil, failures: [], seconds: 0)
        if bonferroni > 0 { result.detectable = try? property.detectableEffect(effort: budget.effort, caseLevel: bonferroni) }
        if shard.count == 1 { decide(&result, property: property) }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// Applies the verdict rule to the evidence and shrinks the first failure (used after a merge, too).
    public func decide(_ result: inout PropertyResult, property: any CatalogProperty) {
        let failing = Verdicts.failures(kind: result.kind, cases: result.cases, alpha: result.alpha)
        result.passed = failing.isEmpty
        result.failures = []
        guard let (first, threshold) = failing.first else { return }
        let original = result.cases[first]
        progress?("\(property.id): shrinking case \(original.index)")
        let failure = shrink(property, case: original, threshold: threshold)
        result.failures.append(failure)
        // Kept only when it fails again on replay: a token that passes with the implementation at hand (a
        // statistical case that failed by chance) would otherwise be replayed first on every later run.
        if let store, let token = try? ReplayToken(parsing: failure.token) {
            if Self.replay(token, property: property).fails {
                try? store.add(token)
            } else {
                progress?("\(property.id): not storing \(token): it passes on replay")
            }
        }
        // The remaining failing cases are listed unshrunk.
        for (i, _) in failing.dropFirst() {
            let c = result.cases[i]
            result.failures.append(Failure(caseIndex: c.index, setting: c.setting, shrunkSetting: c.setting, evidence: c.evidence,
                                           shrunkEvidence: c.evidence, error: c.error, token: c.token, shrinkEvaluations: 0))
        }
    }

    static func problem(_ token: ReplayToken, _ property: any CatalogProperty) -> PropertyError? {
        do { try token.check(for: property) } catch let error as PropertyError { return error } catch { return .badToken("\(error)") }
        return nil
    }

    /// Whether a case fails on its own, judged as it was in the family: exact by tolerance, statistical
    /// and rate by the threshold at which Holm rejected it.
    static func caseFails(_ c: CaseResult, kind: PropertyKind, threshold: Double) -> Bool {
        if c.error != nil { return true }
        guard let e = c.evidence else { return true }
        switch kind {
        case .exact: return !e.exactPasses
        case .statistical, .rate: return (e.pValue ?? 0).isNaN || (e.pValue ?? 0) <= threshold
        }
    }

    func shrink(_ property: any CatalogProperty, case original: CaseResult, threshold: Double) -> Failure {
        guard let token = try? ReplayToken(parsing: original.token) else {  // an effort no token can carry: listed unshrunk
            return Failure(caseIndex: original.index, setting: original.setting, shrunkSetting: original.setting, evidence: original.evidence,
                           shrunkEvidence: original.evidence, error: original.error, token: original.token, shrinkEvaluations: 0)
        }
        let failedWithError = original.error != nil
        var last: CaseResult = original
        let shrinker = Shrinker(maximumEvaluations: profile.shrinkEvaluations)
        let (choices, evaluations) = shrinker.shrink(token.choices) { candidate in
            let source = ChoiceSource(replaying: candidate)
            let c = Self.evaluate(property, source: source, effort: token.effort, index: original.index, threshold: threshold)
            // An error only counts as the same failure when the original was an error.
            let fails = failedWithError ? c.error != nil : (c.error == nil && Self.caseFails(c, kind: property.kind, threshold: threshold))
            if fails { last = c }
            return (fails, source.recorded)
        }
        let shrunkToken = ReplayToken(property: property.id, effort: token.effort, threshold: threshold, choices: choices)
        let final = last.token == shrunkToken.description ? last
            : Self.evaluate(property, source: ChoiceSource(replaying: choices), effort: token.effort, index: original.index, threshold: threshold)
        return Failure(caseIndex: original.index, setting: original.setting, shrunkSetting: final.setting, evidence: original.evidence,
                       shrunkEvidence: final.evidence, error: final.error ?? original.error, token: shrunkToken.description,
                       shrinkEvaluations: evaluations)
    }

    /// Replays one token: the case, its evidence, and whether it fails at the token's threshold.
    /// A token the property refuses (another property's, or an effort out of range) is not run: the result is
    /// that error.
    public static func replay(_ token: ReplayToken, property: any CatalogProperty) -> (result: CaseResult, fails: Bool) {
        if let problem = problem(token, property) {
            return (CaseResult(index: 0, setting: "(not replayed)", evidence: nil, error: "\(problem)", token: token.description), true)
        }
        let c = evaluate(property, source: ChoiceSource(replaying: token.choices), effort: token.effort, index: 0, threshold: token.threshold)
        return (c, caseFails(c, kind: property.kind, threshold: token.threshold))
    }
}

extension Runner {
    /// Every property of `properties`, on up to `threads` threads at once, results in the given order.
    /// For runs without a regression store (mutation testing, calibration): each property is independent
    /// of the others, so the results equal a sequential run's.
    public func runAll(_ properties: [any CatalogProperty], threads: Int) -> [PropertyResult] {
        precondition(store == nil || threads == 1, "a run that stores failures runs its properties one at a time")
        guard threads > 1, properties.count > 1 else { return properties.map { run($0) } }
        let results = UnsafeMutableBufferPointer<PropertyResult?>.allocate(capacity: properties.count)
        results.initialize(repeating: nil)
        defer { _ = results.deinitialize(); results.deallocate() }
        nonisolated(unsafe) let (slots, list, runner) = (results, properties, self)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: min(threads, properties.count)) { _ in
            while let i = next.take(below: list.count) { slots[i] = runner.run(list[i]) }
        }
        return results.map { $0! }
    }

    /// A shared index handed out once each (longest-first order is not needed: the queue balances itself).
    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(below n: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < n else { return nil }
            value += 1
            return value - 1
        }
    }
}
