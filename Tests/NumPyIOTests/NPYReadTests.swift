import Foundation
import NumPyIO
import Testing

/// Reading `.npy` files written by real NumPy (see NumPyFixtures.swift).
@Suite struct NPYReadTests {
    /// Each dtype fixture holds a 2×3 array; the same values built in Swift must compare
    /// equal on read and must serialise to NumPy's exact bytes.
    static let dtypeCases: [(fixture: [UInt8], expected: NumPyArray)] = {
        do {
            return [
                (NumPyFixtures.dtypeF8, try NumPyArray([0.0, 1.5, -2.25, .infinity, -.infinity, 1e-3], shape: [2, 3])),
                (NumPyFixtures.dtypeF4, try NumPyArray([Float(0), 1.5, -2.25, .infinity, -.infinity, 1e-3], shape: [2, 3])),
                (NumPyFixtures.dtypeI8, try NumPyArray([Int64(0), 1, -1, .min, .max, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeI4, try NumPyArray([Int32(0), 1, -1, .min, .max, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeI2, try NumPyArray([Int16(0), 1, -1, .min, .max, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeI1, try NumPyArray([Int8(0), 1, -1, .min, .max, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeU8, try NumPyArray([UInt64(0), 1, 2, .max, .max - 1, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeU4, try NumPyArray([UInt32(0), 1, 2, .max, .max - 1, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeU2, try NumPyArray([UInt16(0), 1, 2, .max, .max - 1, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeU1, try NumPyArray([UInt8(0), 1, 2, .max, .max - 1, 7], shape: [2, 3])),
                (NumPyFixtures.dtypeB1, try NumPyArray([true, false, true, false, false, true], shape: [2, 3])),
            ]
        } catch {
            fatalError("bad test table: \(error)")
        }
    }()

    @Test(arguments: 0..<11)
    func readsEveryDType(index: Int) throws {
        let (fixture, expected) = Self.dtypeCases[index]
        let array = try NumPyFile.readNPY(fixture)
        #expect(array == expected)
        #expect(array.shape == [2, 3])
        #expect(array.count == 6)
    }

    @Test(arguments: 0..<11)
    func writerMatchesNumPyByteForByte(index: Int) {
        let (fixture, expected) = Self.dtypeCases[index]
        #expect(NumPyFile.npyBytes(expected) == fixture)
    }

    @Test func dtypeConversions() throws {
        let f8 = try NumPyFile.readNPY(NumPyFixtures.dtypeF8)
        #expect(f8.dtype == .float64)
        #expect(f8.doubles == [0, 1.5, -2.25, .infinity, -.infinity, 1e-3])
        #expect(f8.floats == [0, 1.5, -2.25, .infinity, -.infinity, Float(1e-3)])
        #expect(f8.int64s == nil)
        #expect(f8.values(as: Double.self) == f8.doubles)
        #expect(f8.values(as: Float.self) == nil)

        let i2 = try NumPyFile.readNPY(NumPyFixtures.dtypeI2)
        #expect(i2.doubles == [0, 1, -1, -32768, 32767, 7])
        #expect(i2.floats == [0, 1, -1, -32768, 32767, 7])
        #expect(i2.int64s == [0, 1, -1, -32768, 32767, 7])
        #expect(i2.values(as: Int16.self) == [0, 1, -1, .min, .max, 7])

        let u8 = try NumPyFile.readNPY(NumPyFixtures.dtypeU8)
        #expect(u8.int64s == nil)  // 2^64 - 1 does not fit
        #expect(u8.doubles[3] == 18_446_744_073_709_551_615.0)

        let b1 = try NumPyFile.readNPY(NumPyFixtures.dtypeB1)
        #expect(b1.doubles == [1, 0, 1, 0, 0, 1])
        #expect(b1.values(as: Bool.self) == [true, false, true, false, false, true])
    }

    @Test func shapes() throws {
        let zeroD = try NumPyFile.readNPY(NumPyFixtures.shape0d)
        #expect(zeroD.shape == [])
        #expect(zeroD.count == 1)
        #expect(zeroD.scalar == 0)

        let one = try NumPyFile.readNPY(NumPyFixtures.shape1)
        #expect(one.shape == [1])
        #expect(one.scalar == 0)

        let five = try NumPyFile.readNPY(NumPyFixtures.shape5)
        #expect(five.shape == [5])
        #expect(five.doubles == [0, 1, 2, 3, 4])
        #expect(five.scalar == nil)

        let cube = try NumPyFile.readNPY(NumPyFixtures.shape2x3x4)
        #expect(cube.shape == [2, 3, 4])
        #expect(cube.doubles == (0..<24).map(Double.init))

        let empty = try NumPyFile.readNPY(NumPyFixtures.shapeEmpty)
        #expect(empty.shape == [0])
        #expect(empty.count == 0)
        #expect(empty.doubles.isEmpty)
        #expect(empty.scalar == nil)

        let twoByZero = try NumPyFile.readNPY(NumPyFixtures.shape2x0)
        #expect(twoByZero.shape == [2, 0])
        #expect(twoByZero.count == 0)

        let column = try NumPyFile.readNPY(NumPyFixtures.shape12x1)
        #expect(column.shape == [12, 1])
        #expect(column.doubles == (0..<12).map(Double.init))

        let fullPad = try NumPyFile.readNPY(NumPyFixtures.shapeFullPad)
        #expect(fullPad.shape == [0, 1, 1, 1, 1, 1, 100, 10000, 10000, 10000])
        #expect(fullPad.count == 0)
    }

    @Test func zeroDimensionalInteger() throws {
        let a = try NumPyFile.readNPY(NumPyFixtures.scalarInt64)
        #expect(a.shape == [])
        #expect(a.dtype == .int64)
        #expect(a.intScalar == 16)
        #expect(a.scalar == 16)
        #expect(a == NumPyArray(scalar: Int64(16)))
    }

    @Test func fortranOrderIsTransposedToCOrder() throws {
        let a = try NumPyFile.readNPY(NumPyFixtures.fortranInt32)
        #expect(a.shape == [2, 3, 4])
        #expect(a.dtype == .int32)
        #expect(a.values(as: Int32.self) == (0..<24).map(Int32.init))

        let b = try NumPyFile.readNPY(NumPyFixtures.fortranFloat64)
        #expect(b.shape == [3, 2])
        #expect(b.doubles == [0, 1, 2, 3, 4, 5])
    }

    @Test func bigEndianIsByteSwapped() throws {
        let f8 = try NumPyFile.readNPY(NumPyFixtures.bigFloat64)
        #expect(f8.dtype == .float64)
        #expect(f8.doubles == [-2, -0.5, 1, 2.5, 4])

        let i2 = try NumPyFile.readNPY(NumPyFixtures.bigInt16)
        #expect(i2.shape == [2, 2])
        #expect(i2.values(as: Int16.self) == [1, -2, 300, -400])

        let u4 = try NumPyFile.readNPY(NumPyFixtures.bigUint32)
        #expect(u4.values(as: UInt32.self) == [1, .max, 65536])

        let f4 = try NumPyFile.readNPY(NumPyFixtures.bigFloat32)
        #expect(f4.floats == [0.5, -3, 1e10])

        let fortran = try NumPyFile.readNPY(NumPyFixtures.bigFortranInt64)
        #expect(fortran.shape == [2, 3])
        #expect(fortran.int64s == [0, 1, 2, 3, 4, 5])
        // Re-encoded little-endian, C order: what NumPy would write for the same values.
        #expect(NumPyFile.npyBytes(fortran) == NumPyFile.npyBytes(try NumPyArray([Int64(0), 1, 2, 3, 4, 5], shape: [2, 3])))
    }

    @Test func versions2And3() throws {
        let expected = try NumPyArray([0.0, 1, 2, 3, 4, 5], shape: [3, 2])
        #expect(NumPyFixtures.version2[6] == 2)
        #expect(NumPyFixtures.version3[6] == 3)
        #expect(try NumPyFile.readNPY(NumPyFixtures.version2) == expected)
        #expect(try NumPyFile.readNPY(NumPyFixtures.version3) == expected)
    }

    @Test func headerVariationsAreTolerated() throws {
        let data = float64Bytes([1, 2])
        let headers = [
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '=f8', 'fortran_order': False, 'shape': (2,)}",
            "{'descr': '|f8', 'fortran_order': False, 'shape': (2,)}",
            "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,)}",
            "  {  'shape' : ( 2 , ) ,\n'fortran_order':False,'descr':'<f8' ,}   \n",
            "{'descr': u'<f8', 'fortran_order': False, 'shape': (2L,), }",
            "{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }",  // 1-d: same either way
            "{'descr': 'f8', 'fortran_order': False, 'shape': (2,), }",
        ]
        for header in headers {
            let array = try NumPyFile.readNPY(handmadeNPY(header: header, data: data))
            #expect(array.doubles == [1, 2], "header \(header)")
            #expect(array.shape == [2])
        }
        // (x) without a comma is just x in Python, and a 1-tuple needs the comma.
        let scalar = try NumPyFile.readNPY(handmadeNPY(header: "{'descr': '<f8', 'fortran_order': False, 'shape': ()}", data: float64Bytes([7])))
        #expect(scalar.scalar == 7)
        #expect(scalar.shape == [])
    }

    @Test func parsesDescrStrings() throws {
        #expect(try NumPyDType(descr: "<f8") == .float64)
        #expect(try NumPyDType(descr: ">f4") == .float32)
        #expect(try NumPyDType(descr: "=i8") == .int64)
        #expect(try NumPyDType(descr: "<i4") == .int32)
        #expect(try NumPyDType(descr: "<i2") == .int16)
        #expect(try NumPyDType(descr: "|i1") == .int8)
        #expect(try NumPyDType(descr: "|u1") == .uint8)
        #expect(try NumPyDType(descr: "<u2") == .uint16)
        #expect(try NumPyDType(descr: "<u4") == .uint32)
        #expect(try NumPyDType(descr: "<u8") == .uint64)
        #expect(try NumPyDType(descr: "|b1") == .bool)
        for dtype in NumPyDType.allCases {
            #expect(try NumPyDType(descr: dtype.descr) == dtype)
        }
        for bad in ["<c16", "|O", "<U5", "|S3", "|V8", "<M8[ns]", "<f2", "<i3", "", "<", "<f", "xyz", "<f8 "] {
            let error = caughtError { try NumPyDType(descr: bad) }
            #expect(error?.kind == .unsupportedDType, "descr \(bad)")
            #expect(error?.description.contains("'\(bad)'") == true, "descr \(bad)")
        }
        #expect(caughtError { try NumPyDType(descr: "<c16") }?.description == "unsupported dtype '<c16' (complex numbers are not supported)")
    }

    @Test func unsupportedDTypesInFilesAreNamed() {
        let complex = caughtError { try NumPyFile.readNPY(handmadeNPY(header: "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 16))) }
        #expect(complex?.kind == .unsupportedDType)
        #expect(complex?.description.contains("'<c16'") == true)

        let structured = caughtError { try NumPyFile.readNPY(handmadeNPY(header: "{'descr': [('x', '<f8'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 12))) }
        #expect(structured?.kind == .unsupportedDType)
        #expect(structured?.description == "unsupported dtype [('x', '<f8'), ('y', '<i4')] (structured dtypes are not supported)")

        let object = caughtError { try NumPyFile.readNPY(handmadeNPY(header: "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 8))) }
        #expect(object?.kind == .unsupportedDType)
        #expect(object?.description.contains("'|O'") == true)
    }

    @Test func missingFileErrorNamesThePath() {
        let path = "/nonexistent-dir-for-numpyio-tests/missing.npy"
        let error = caughtError { try NumPyFile.readNPY(contentsOf: path) }
        #expect(error?.kind == .io)
        #expect(error?.path == path)
        #expect(error?.description.hasPrefix(path + ": cannot open for reading: ") == true)
    }

    @Test func directoryIsNotAFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = caughtError { try NumPyFile.readNPY(contentsOf: dir) }
        #expect(error?.kind == .io)
        #expect(error?.description.contains(dir) == true)
    }
}
