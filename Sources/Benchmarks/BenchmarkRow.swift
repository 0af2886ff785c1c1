/// One timed row of `ggd bench`: what ran, its median time (0 for rate-only rows) and a derived figure.
public struct BenchmarkRow: Codable, Sendable, Equatable {
    public var name: String
    public var seconds: Double
    public var detail: String

    public init(_ name: String, _ seconds: Double, _ detail: String) {
        self.name = name
        self.seconds = seconds
        self.detail = detail
    }
}

/// The whole table as `ggd bench --json` writes it, with the BLAS it ran on.
public struct BenchmarkReport: Encodable, Sendable {
    public var toolVersion: String
    public var openblasCore: String
    public var openblasCoreChosenBy: String
    public var openblasCoreFault: String?
    public var blasThreads: Int
    public var repeats: Int
    public var rows: [BenchmarkRow]

    public init(toolVersion: String, openblasCore: String, openblasCoreChosenBy: String, openblasCoreFault: String?, blasThreads: Int, repeats: Int,
                rows: [BenchmarkRow]) {
        (self.toolVersion, self.openblasCore, self.openblasCoreChosenBy, self.openblasCoreFault) = (toolVersion, openblasCore, openblasCoreChosenBy, openblasCoreFault)
        (self.blasThreads, self.repeats, self.rows) = (blasThreads, repeats, rows)
    }

    enum CodingKeys: String, CodingKey {
        case toolVersion = "tool_version", openblasCore = "openblas_core", openblasCoreChosenBy = "openblas_core_chosen_by",
             openblasCoreFault = "openblas_core_fault", blasThreads = "blas_threads", repeats, rows
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(toolVersion, forKey: .toolVersion)
        try c.encode(openblasCore, forKey: .openblasCore)
        try c.encode(openblasCoreChosenBy, forKey: .openblasCoreChosenBy)
        if let f = openblasCoreFault { try c.encode(f, forKey: .openblasCoreFault) } else { try c.encodeNil(forKey: .openblasCoreFault) }
        try c.encode(blasThreads, forKey: .blasThreads)
        try c.encode(repeats, forKey: .repeats)
        try c.encode(rows, forKey: .rows)
    }
}
