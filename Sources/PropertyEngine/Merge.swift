/// Combines the results of shards of one run and only then applies the verdicts, so that a run spread
/// over a CI matrix or a job array reaches the same verdicts as one machine.
public enum ShardMerge {
    public static func merge(_ parts: [RunResults], catalog: [any CatalogProperty], store: RegressionStore?,
                             progress: ((String) -> Void)? = nil) throws -> RunResults {
        guard let first = parts.first else { throw PropertyError.badResults("nothing to merge") }
        for p in parts {
            guard p.profile == first.profile, p.seed == first.seed, p.familySize == first.familySize, p.falseFailRate == first.falseFailRate else {
                throw PropertyError.badResults("shards come from different runs (profile, seed or family differ)")
            }
        }
        let counts = Set(parts.map { $0.shard.split(separator: "/").last.map(String.init) ?? "1" })
        let shards = Set(parts.map(\.shard))
        guard counts.count == 1, let n = Int(counts.first!), shards.count == parts.count, parts.count == n || (n == 1 && parts.count == 1) || first.shard == "all" else {
            throw PropertyError.badResults("expected each of the N shards exactly once, got \(parts.map(\.shard).sorted())")
        }
        var profile = try Profile.named(first.profile, seed: first.seed)
        profile.falseFailRate = first.falseFailRate
        let runner = Runner(profile: profile, familySize: first.familySize, shard: .all, store: store, progress: progress)
        var merged = [PropertyResult]()
        let ids = first.properties.map(\.id)
        for id in ids {
            let pieces = parts.compactMap { $0.properties.first { $0.id == id } }
            guard pieces.count == parts.count else { throw PropertyError.badResults("property \(id) is missing from some shards") }
            guard let property = catalog.first(where: { $0.id == id }) else { throw PropertyError.unknownProperty(id) }
            var result = pieces[0]
            result.cases = pieces.flatMap(\.cases).sorted { $0.index < $1.index }
            result.seconds = pieces.reduce(0) { $0 + $1.seconds }
            result.shard = "all"
            runner.decide(&result, property: property)
            merged.append(result)
        }
        return RunResults(toolVersion: first.toolVersion, profile: first.profile, seed: first.seed, falseFailRate: first.falseFailRate,
                          familySize: first.familySize, shard: "all", properties: merged, subject: first.subject)
    }
}
