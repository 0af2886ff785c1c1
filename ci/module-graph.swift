// The module graph of Package.swift, by floors: floor 0 depends on no module of the package, floor k on
// modules below k only (so no back edges by construction). Also checks that every module dependency a
// target declares is imported by its sources, and every package module its sources import is declared.
//
//   swift ci/module-graph.swift                 # print the graph
//   swift ci/module-graph.swift --check README.md   # exit 1 when README's graph block or a dependency is wrong
import Foundation

struct Target {
    let name: String
    let kind: String
    let dependencies: [String]
    let path: String?
}

let root = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent()
let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)

/// The targets of the manifest: `.target(`, `.executableTarget(`, `.systemLibrary(`, `.testTarget(` with their
/// `name:`, the package-internal names of `dependencies: [...]` and an optional `path:`.
func targets(_ text: String) -> [Target] {
    var out = [Target]()
    let kinds = ["executableTarget", "systemLibrary", "testTarget", "target"]
    var i = text.startIndex
    while let dot = text[i...].firstIndex(of: ".") {
        i = text.index(after: dot)
        guard let kind = kinds.first(where: { text[i...].hasPrefix($0 + "(") }) else { continue }
        // The call's text up to its closing parenthesis.
        var depth = 0, j = text.index(i, offsetBy: kind.count)
        let start = j
        repeat {
            if text[j] == "(" { depth += 1 } else if text[j] == ")" { depth -= 1 }
            j = text.index(after: j)
        } while depth > 0 && j < text.endIndex
        let call = String(text[start..<j])
        i = j
        guard let name = call.firstMatch(of: #/name:\s*"([^"]+)"/#)?.1 else { continue }
        var deps = [String]()
        if let r = call.range(of: "dependencies:"), let open = call[r.upperBound...].firstIndex(of: "[") {
            var d = 0, k = open, end = open
            repeat {
                if call[k] == "[" { d += 1 } else if call[k] == "]" { d -= 1 }
                end = k
                k = call.index(after: k)
            } while d > 0 && k < call.endIndex
            let list = call[open...end]
            // Package-internal dependencies are bare strings; `.product(...)` entries name other packages.
            var cleaned = String(list)
            while let p = cleaned.range(of: #"\.product\([^)]*\)"#, options: .regularExpression) { cleaned.removeSubrange(p) }
            deps = cleaned.matches(of: #/"([^"]+)"/#).map { String($0.1) }
        }
        let path = call.firstMatch(of: #/path:\s*"([^"]+)"/#).map { String($0.1) }
        out.append(Target(name: String(name), kind: kind, dependencies: deps, path: path))
    }
    return out
}

let all = targets(manifest)
let modules = all.filter { $0.kind != "testTarget" }
let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
var problems = [String]()

// Floors.
var floor = [String: Int]()
func floorOf(_ name: String, _ visiting: Set<String> = []) -> Int {
    if let f = floor[name] { return f }
    guard let t = byName[name] else { return 0 }
    if visiting.contains(name) { problems.append("a dependency cycle through \(name)"); return 0 }
    let f = t.dependencies.filter { byName[$0] != nil }.map { floorOf($0, visiting.union([name])) + 1 }.max() ?? 0
    floor[name] = f
    return f
}
for m in modules { _ = floorOf(m.name) }
for m in modules {
    for d in m.dependencies where byName[d] != nil && floor[d]! >= floor[m.name]! {
        problems.append("back edge: \(m.name) (floor \(floor[m.name]!)) depends on \(d) (floor \(floor[d]!))")
    }
    for d in m.dependencies where byName[d]?.kind == "testTarget" { problems.append("\(m.name) depends on the test target \(d)") }
}

var lines = ["```", "floor  module            depends on (package modules)"]
for f in 0...(floor.values.max() ?? 0) {
    for m in modules.filter({ floor[$0.name] == f }).sorted(by: { $0.name < $1.name }) {
        let deps = m.dependencies.filter { byName[$0] != nil }.sorted { (floor[$0]!, $0) > (floor[$1]!, $1) }
        lines.append("\(f)".padding(toLength: 7, withPad: " ", startingAt: 0) + m.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                     + (deps.isEmpty ? "—" : deps.joined(separator: ", ")))
    }
}
lines.append("```")
let graph = lines.joined(separator: "\n")

// Imports against declared dependencies (Swift sources only; system libraries have none).
let fm = FileManager.default
for t in all where t.kind != "systemLibrary" {
    let folder = root.appendingPathComponent(t.path ?? (t.kind == "testTarget" ? "Tests/\(t.name)" : "Sources/\(t.name)"))
    guard let files = fm.enumerator(atPath: folder.path)?.compactMap({ $0 as? String }).filter({ $0.hasSuffix(".swift") }), !files.isEmpty else { continue }
    var imported = Set<String>()
    for f in files {
        let text = (try? String(contentsOf: folder.appendingPathComponent(f), encoding: .utf8)) ?? ""
        for m in text.matches(of: #/(?m)^(?:@testable |@_exported )?import ([A-Za-z_][A-Za-z0-9_]*)/#) { imported.insert(String(m.1)) }
    }
    let internalImports = imported.filter { byName[$0] != nil && $0 != t.name }
    let declared = Set(t.dependencies.filter { byName[$0] != nil })
    for d in declared.subtracting(internalImports).sorted() { problems.append("\(t.name) declares \(d) but no source of it imports \(d)") }
    for d in internalImports.subtracting(declared).sorted() { problems.append("\(t.name) imports \(d) without declaring it") }
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--check", arguments.count == 2 {
    let readme = try String(contentsOf: URL(fileURLWithPath: arguments[1]), encoding: .utf8)
    let begin = "<!-- module-graph:begin -->", end = "<!-- module-graph:end -->"
    if let b = readme.range(of: begin), let e = readme.range(of: end) {
        let block = readme[b.upperBound..<e.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        if block != graph { problems.append("\(arguments[1])'s module graph differs from Package.swift's; regenerate it with swift ci/module-graph.swift") }
    } else {
        problems.append("\(arguments[1]) has no \(begin) … \(end) block")
    }
    for p in problems { print("module-graph: \(p)") }
    print(problems.isEmpty ? "module-graph: \(modules.count) modules on \(Set(floor.values).count) floors, no back edges, every dependency imported and declared" : "")
    exit(problems.isEmpty ? 0 : 1)
}
print(graph)
fflush(stdout)
for p in problems { FileHandle.standardError.write(Data("module-graph: \(p)\n".utf8)) }
exit(problems.isEmpty ? 0 : 1)
