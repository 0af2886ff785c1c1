import Foundation
import NumPyIO
import Testing

/// Writing `.npy`: round trips, NumPy-identical headers, atomic file writes.
@Suite struct NPYWriteTests {
    /// One array per dtype, in several shapes (0-d, 1-d, 3-d, empty).
    static func sampleArrays() throws -> [NumPyArray] {
        var arrays: [NumPyArray] = []
        func add<T: NumPyElement>(_ make: (Int) -> T) throws {
            arrays.append(NumPyArray(scalar: make(3)))
            arrays.append(NumPyArray((0..<5).map(make)))
            arrays.append(try NumPyArray((0..<24).map(make), shape: [2, 3, 4]))
            arrays.append(try NumPyArray([T](), shape: [0]))
            arrays.append(try NumPyArray([T](), shape: [3, 0, 2]))
        }
        try add { Double($0) * 1.25 - 7 }
        try add { Float($0) * 0.5 - 3 }
        try add { Int64($0) * 1_000_000_007 - 9_000_000_000 }
        try add { Int32($0) * 100_000 - 1_000_000 }
        try add { Int16($0) * 1000 - 12000 }
        try add { Int8($0 * 10 - 120) }
        try add { UInt64($0) &* 0x0123_4567_89AB_CDEF }
        try add { UInt32($0) * 100_000_000 }
        try add { UInt16($0) * 2000 }
        try add { UInt8($0 * 10) }
        try add { $0 % 3 == 0 }
        return arrays
    }

    @Test func roundTripEveryDTypeAndShape() throws {
        let arrays = try Self.sampleArrays()
        #expect(Set(arrays.map(\.dtype)) == Set(NumPyDType.allCases))
        for a in arrays {
            let bytes = NumPyFile.npyBytes(a)
            let b = try NumPyFile.readNPY(bytes)
            #expect(a == b, "\(a)")
            #expect(b.shape == a.shape)
            #expect(b.dtype == a.dtype)
        }
    }

    @Test func specialFloatValuesSurviveBitForBit() throws {
        let nan = Double(bitPattern: 0x7FF8_0000_0000_1234)
        let a = NumPyArray([nan, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity])
        let b = try NumPyFile.readNPY(NumPyFile.npyBytes(a))
        #expect(a == b)
        #expect(b.doubles[0].bitPattern == nan.bitPattern)
        #expect(b.doubles[1].sign == .minus)
        #expect(a != NumPyArray([nan, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity]))
    }

    @Test func headersMatchNumPyExactly() throws {
        // np.save output for these shapes (float64, arange), embedded from real NumPy.
        let cases: [([UInt8], [Int])] = [
            (NumPyFixtures.shape0d, []), (NumPyFixtures.shape1, [1]), (NumPyFixtures.shape5, [5]),
            (NumPyFixtures.shape2x3x4, [2, 3, 4]), (NumPyFixtures.shapeEmpty, [0]),
            (NumPyFixtures.shape2x0, [2, 0]), (NumPyFixtures.shape12x1, [12, 1]),
            (NumPyFixtures.shapeFullPad, [0, 1, 1, 1, 1, 1, 100, 10000, 10000, 10000]),
        ]
        for (fixture, shape) in cases {
            let n = shape.reduce(1, *)
            let a = try NumPyArray((0..<n).map(Double.init), shape: shape)
            let ours = NumPyFile.npyBytes(a)
            #expect(ours == fixture, "shape \(shape)")
            let headerEnd = ours.count - n * 8
            #expect(headerEnd % 64 == 0)
            #expect(ours[headerEnd - 1] == 0x0A)
        }
        #expect(NumPyFile.npyBytes(NumPyArray(scalar: Int64(16))) == NumPyFixtures.scalarInt64)
    }

    @Test func exactHeaderText() {
        let bytes = NumPyFile.npyBytes(NumPyArray([1.0, 2.0, 3.0]))
        let expectedHeader = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"
            + String(repeating: " ", count: 20) + String(repeating: " ", count: 40) + "\n"
        #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        #expect(Int(bytes[8]) | Int(bytes[9]) << 8 == 118)
        #expect(String(decoding: bytes[10..<128], as: UTF8.self) == expectedHeader)
        #expect(bytes.count == 128 + 24)
    }

    @Test func initialisersValidateShape() {
        #expect(caughtError { try NumPyArray([1.0, 2.0, 3.0], shape: [2, 2]) }?.kind == .invalidShape)
        #expect(caughtError { try NumPyArray([1.0, 2.0], shape: [-1, -2]) }?.kind == .invalidShape)
        #expect(caughtError { try NumPyArray([Float](), shape: [1 << 40, 1 << 40]) }?.kind == .tooLarge)
        #expect(caughtError { try NumPyArray(shape: [2], dtype: .float64, littleEndianBytes: [0, 1, 2]) }?.kind == .invalidShape)
        #expect(caughtError { try NumPyArray([Int64(1)], shape: []) } == nil)
        #expect(caughtError { try NumPyArray([Int64](), shape: []) }?.description == "shape () needs 1 elements, got 0")
        #expect(caughtError { try NumPyArray([1.0, 2.0, 3.0], shape: [16, 64]) }?.description == "shape (16, 64) needs 1024 elements, got 3")
    }

    @Test func typedInitialisers() throws {
        let d = try NumPyArray([1.0, 2.0], shape: [2, 1])
        #expect(d.dtype == .float64)
        #expect(try NumPyArray([Float(1), 2], shape: [2]).dtype == .float32)
        #expect(try NumPyArray([Int64(1), 2], shape: [1, 2]).dtype == .int64)
        #expect(try NumPyArray([1, 2, 3], shape: [3]).values(as: Int.self) == [1, 2, 3])  // Int is int64
        let raw = try NumPyArray(shape: [3], dtype: .bool, littleEndianBytes: [0, 2, 1])
        #expect(raw.values(as: Bool.self) == [false, true, true])
        #expect(raw.littleEndianBytes == [0, 1, 1])
        #expect(d.description == "NumPyArray(<f8, shape (2, 1))")
    }

    @Test func writeAndReadFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a.npy"
        let a = try NumPyArray((0..<12).map { Float($0) / 3 }, shape: [3, 4])
        try NumPyFile.writeNPY(a, to: path)
        #expect(try NumPyFile.readNPY(contentsOf: path) == a)
        // Overwriting replaces the file atomically.
        let b = NumPyArray(scalar: 2.5)
        try NumPyFile.writeNPY(b, to: path)
        #expect(try NumPyFile.readNPY(contentsOf: path) == b)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.npy"])
    }

    @Test func failedWritesLeaveNothingBehind() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = NumPyArray([1.0])

        // Missing directory: the error names the path.
        let missing = dir + "/no/such/dir/a.npy"
        let e1 = caughtError { try NumPyFile.writeNPY(a, to: missing) }
        #expect(e1?.kind == .io)
        #expect(e1?.description.hasPrefix(missing + ": ") == true)

        // Destination is a directory: the rename fails and the temporary file is removed.
        try FileManager.default.createDirectory(atPath: dir + "/occupied.npy", withIntermediateDirectories: false)
        let e2 = caughtError { try NumPyFile.writeNPY(a, to: dir + "/occupied.npy") }
        #expect(e2?.kind == .io)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["occupied.npy"])

        // A path ending in "/" names a directory.
        #expect(caughtError { try NumPyFile.writeNPY(a, to: dir + "/") }?.kind == .io)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["occupied.npy"])
    }
}
