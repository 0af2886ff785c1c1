import Foundation
import NumPyIO
import Testing

/// Reading and writing `.npz` archives.
@Suite struct NPZTests {
    @Test func readsSavezCompressed() throws {
        let arrays = try NPZArchive.read(NumPyFixtures.npzCompressed)
        #expect(Set(arrays.keys) == ["x", "n", "flags"])
        let x = try #require(arrays["x"])
        #expect(x.shape == [10, 10])
        #expect(x.doubles == (0..<100).map(Double.init))
        #expect(arrays["n"]?.intScalar == 7)
        #expect(arrays["n"]?.shape == [])
        #expect(arrays["flags"]?.values(as: Bool.self) == [true, false, true])
    }

    @Test func readsSavez() throws {
        let ordered = try NPZArchive.readOrdered(NumPyFixtures.npzStored)
        #expect(ordered.map(\.name) == ["a", "b"])
        #expect(ordered[0].array.doubles == [0, 1, 2])
        #expect(ordered[1].array.dtype == .float32)
        #expect(ordered[1].array.shape == [])
        #expect(ordered[1].array.scalar == 2.5)
    }

    @Test func readsZipVariants() throws {
        // Archive comment: the end record is not the last 22 bytes.
        #expect(try NPZArchive.read(NumPyFixtures.zipComment)["a"]?.doubles == [0, 1, 2])
        // Data descriptors (flag bit 3) with deflate: sizes come from the central directory.
        let streamed = try NPZArchive.read(NumPyFixtures.zipStreamed)
        #expect(streamed["a"]?.doubles == [0, 1, 2])
        #expect(streamed["b"]?.int64s == [0, 1, 2, 3])
        // Zip64 end record, locator and extra fields.
        let zip64 = try NPZArchive.read(NumPyFixtures.zip64Archive)
        #expect(zip64["a"]?.doubles == [1, 2, 3])
        #expect(zip64["n"]?.intScalar == 7)
    }

    @Test func paperLinearLatentFile() throws {
        let path = paperFile("linear_latent_hyperparameters.npz")
        let arrays = try NPZArchive.read(contentsOf: path)
        #expect(Set(arrays.keys) == ["d_inner", "d_outer", "A", "theta_1", "theta_2", "b_1", "b_2"])

        let dInner = try #require(arrays["d_inner"])
        #expect(dInner.shape == [])
        #expect(dInner.dtype == .int64)
        #expect(dInner.intScalar == 16)
        let dOuter = try #require(arrays["d_outer"])
        #expect(dOuter.dtype == .int64)
        #expect(dOuter.intScalar == 64)

        let a = try #require(arrays["A"])
        #expect(a.shape == [16, 64])
        #expect(a.dtype == .float64)
        let values = a.doubles
        var worst = 0.0
        for i in 0..<16 {
            for j in 0..<16 {
                var dot = 0.0
                for k in 0..<64 { dot += values[i * 64 + k] * values[j * 64 + k] }
                worst = max(worst, abs(dot - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-12, "A Aᵀ differs from I by \(worst)")

        #expect(arrays["theta_1"]?.shape == [64, 1])
        #expect(arrays["theta_1"]?.dtype == .float64)
        #expect(arrays["theta_2"]?.shape == [64, 1])
        let b1 = try #require(arrays["b_1"])
        #expect(b1.shape == [])
        #expect(b1.dtype == .float64)
        #expect(b1.scalar == 4.0)
        #expect(arrays["b_2"]?.shape == [64])
        #expect(arrays["b_2"]?.dtype == .float64)

        // Our writer's archive of the same arrays reads back identically.
        let order = ["d_inner", "d_outer", "A", "theta_1", "theta_2", "b_1", "b_2"]
        let rewritten = try NPZArchive.read(NPZArchive.bytes(order.compactMap { name in arrays[name].map { (name, $0) } }))
        #expect(rewritten == arrays)
    }

    @Test func paperUnitBallFile() throws {
        let arrays = try NPZArchive.read(contentsOf: paperFile("unit_ball_hyperparameters.npz"))
        #expect(Set(arrays.keys) == ["d_outer", "mean", "theta"])
        #expect(arrays["d_outer"]?.intScalar == 64)
        #expect(arrays["mean"]?.shape == [64])
        #expect(arrays["mean"]?.dtype == .float64)
        #expect(arrays["theta"]?.shape == [64, 1])
        #expect(arrays["theta"]?.dtype == .float64)
    }

    @Test func roundTripAllDTypesAndShapes() throws {
        let samples = try NPYWriteTests.sampleArrays()
        let named = samples.enumerated().map { ("array_\($0.offset)", $0.element) }
        let bytes = NPZArchive.bytes(named)
        let ordered = try NPZArchive.readOrdered(bytes)
        #expect(ordered.map(\.name) == named.map(\.0))
        for (read, written) in zip(ordered, named) {
            #expect(read.array == written.1, "\(written.0)")
        }
        // Deterministic output.
        #expect(NPZArchive.bytes(named) == bytes)
        // Empty archive.
        #expect(try NPZArchive.read(NPZArchive.bytes([])).isEmpty)
        #expect(NPZArchive.bytes([]).count == 22)
    }

    @Test func nonASCIINamesUseTheUTF8Flag() throws {
        let bytes = NPZArchive.bytes([("θ_ü", NumPyArray([1.0]))])
        #expect(readLE(bytes, at: 6, size: 2) & 0x0800 != 0)
        #expect(try NPZArchive.read(bytes)["θ_ü"]?.doubles == [1])
    }

    @Test func writeFileAtomically() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.npz"
        let arrays: [(String, NumPyArray)] = [("w", try NumPyArray([1.0, 2.0, 3.0, 4.0], shape: [2, 2])), ("k", NumPyArray(scalar: Int64(3)))]
        try NPZArchive.write(arrays, to: path)
        let back = try NPZArchive.read(contentsOf: path)
        #expect(back["w"] == arrays[0].1)
        #expect(back["k"] == arrays[1].1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.npz"])

        let duplicate = caughtError { try NPZArchive.write([("a", NumPyArray([1.0])), ("a", NumPyArray([2.0]))], to: dir + "/dup.npz") }
        #expect(duplicate?.kind == .invalidArgument)
        #expect(duplicate?.description == dir + "/dup.npz: duplicate array name 'a'")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.npz"])

        let missing = caughtError { try NPZArchive.read(contentsOf: dir + "/missing.npz") }
        #expect(missing?.kind == .io)
        #expect(missing?.path == dir + "/missing.npz")
    }

    @Test func errorsNameTheFileAndMember() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A member whose .npy data is shorter than its shape needs, with a valid CRC.
        let shortNPY = handmadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (16, 64), }", data: [UInt8](repeating: 0, count: 100))
        let archive = storedZip([("A.npy", shortNPY)])
        let path = dir + "/linear.npz"
        try Data(archive).write(to: URL(fileURLWithPath: path))
        let error = caughtError { try NPZArchive.read(contentsOf: path) }
        #expect(error?.kind == .dataSizeMismatch)
        #expect(error?.member == "A.npy")
        #expect(error?.description == "\(path): member 'A.npy': data has 100 bytes, shape (16, 64) of <f8 needs 8192")
    }
}

/// A minimal stored zip of arbitrary member bytes with correct CRCs, built independently of
/// the module's writer (which only takes arrays), for archives with invalid `.npy` members.
func storedZip(_ members: [(String, [UInt8])]) -> [UInt8] {
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
    func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    var out: [UInt8] = []
    var central: [UInt8] = []
    for (name, data) in members {
        let offset = out.count
        let n = Array(name.utf8)
        let crc = Int(crc32(data))
        out += le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0x21, 2)
        out += le(crc, 4) + le(data.count, 4) + le(data.count, 4) + le(n.count, 2) + le(0, 2) + n + data
        central += le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0x21, 2)
        central += le(crc, 4) + le(data.count, 4) + le(data.count, 4) + le(n.count, 2) + le(0, 2) + le(0, 2)
        central += le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + n
    }
    let cdOffset = out.count
    out += central
    out += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(members.count, 2) + le(members.count, 2)
    out += le(central.count, 4) + le(cdOffset, 4) + le(0, 2)
    return out
}
