// Generated with NumPy 2.4.6 by the Python script at the end of this file; each fixture's
// comment is the call that produced it. Each fixture is the exact bytes NumPy (or Python's
// zipfile) wrote, base64-encoded.

import Foundation

enum NumPyFixtures {
    private static func decode(_ base64: String) -> [UInt8] {
        [UInt8](Data(base64Encoded: base64, options: .ignoreUnknownCharacters) ?? Data())
    }

    /// np.save(np.array([[0, 1, -1], [-128, 127, 7]], dtype='i1'))
    static let dtypeI1: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnfGkxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAf+Afwc=
        """)

    /// np.save(np.array([[0, 1, -1], [-32768, 32767, 7]], dtype='i2'))
    static let dtypeI2: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAEA//8AgP9/BwA=
        """)

    /// np.save(np.array([[0, 1, -1], [-2147483648, 2147483647, 7]], dtype='i4'))
    static let dtypeI4: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAP////8AAACA////fwcA
        AAA=
        """)

    /// np.save(np.array([[0, 1, -1], [-9223372036854775808, 9223372036854775807, 7]], dtype='i8'))
    static let dtypeI8: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAEAAAAAAAAA////////
        //8AAAAAAAAAgP////////9/BwAAAAAAAAA=
        """)

    /// np.save(np.array([[0, 1, 2], [255, 254, 7]], dtype='u1'))
    static let dtypeU1: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAQL//gc=
        """)

    /// np.save(np.array([[0, 1, 2], [65535, 65534, 7]], dtype='u2'))
    static let dtypeU2: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPHUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAEAAgD///7/BwA=
        """)

    /// np.save(np.array([[0, 1, 2], [4294967295, 4294967294, 7]], dtype='u4'))
    static let dtypeU4: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPHU0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAD//////v///wcA
        AAA=
        """)

    /// np.save(np.array([[0, 1, 2], [18446744073709551615, 18446744073709551614, 7]], dtype='u8'))
    static let dtypeU8: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPHU4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAEAAAAAAAAAAgAAAAAA
        AAD///////////7/////////BwAAAAAAAAA=
        """)

    /// np.save(np.array([[0, 1.5, -2.25], [inf, -inf, 1e-3]], dtype='<f8'))
    static let dtypeF8: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPg/AAAAAAAA
        AsAAAAAAAADwfwAAAAAAAPD//Knx0k1iUD8=
        """)

    /// np.save(np.array([[0, 1.5, -2.25], [inf, -inf, 1e-3]], dtype='<f4'))
    static let dtypeF4: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADAPwAAEMAAAIB/AACA/28S
        gzo=
        """)

    /// np.save(np.array([[True, False, True], [False, False, True]]))
    static let dtypeB1: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAEAAAE=
        """)

    /// np.save(np.arange(1, dtype='<f8').reshape(()))
    static let shape0d: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAA==
        """)

    /// np.save(np.arange(1, dtype='<f8').reshape((1,)))
    static let shape1: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAA==
        """)

    /// np.save(np.arange(5, dtype='<f8').reshape((5,)))
    static let shape5: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPA/AAAAAAAA
        AEAAAAAAAAAIQAAAAAAAABBA
        """)

    /// np.save(np.arange(24, dtype='<f8').reshape((2, 3, 4)))
    static let shape2x3x4: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMsIDQpLCB9ICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPA/AAAAAAAA
        AEAAAAAAAAAIQAAAAAAAABBAAAAAAAAAFEAAAAAAAAAYQAAAAAAAABxAAAAAAAAAIEAAAAAAAAAiQAAAAAAAACRAAAAAAAAAJkAA
        AAAAAAAoQAAAAAAAACpAAAAAAAAALEAAAAAAAAAuQAAAAAAAADBAAAAAAAAAMUAAAAAAAAAyQAAAAAAAADNAAAAAAAAANEAAAAAA
        AAA1QAAAAAAAADZAAAAAAAAAN0A=
        """)

    /// np.save(np.arange(0, dtype='<f8').reshape((0,)))
    static let shapeEmpty: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsKSwgfSAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=
        """)

    /// np.save(np.arange(0, dtype='<f8').reshape((2, 0)))
    static let shape2x0: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDApLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=
        """)

    /// np.save(np.arange(12, dtype='<f8').reshape((12, 1)))
    static let shape12x1: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEyLCAxKSwgfSAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPA/AAAAAAAA
        AEAAAAAAAAAIQAAAAAAAABBAAAAAAAAAFEAAAAAAAAAYQAAAAAAAABxAAAAAAAAAIEAAAAAAAAAiQAAAAAAAACRAAAAAAAAAJkA=
        """)

    /// np.save(np.arange(0, dtype='<f8').reshape((0, 1, 1, 1, 1, 1, 100, 10000, 10000, 10000)))
    static let shapeFullPad: [UInt8] = decode("""
        k05VTVBZAQC2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDEsIDEsIDEsIDEs
        IDEsIDEwMCwgMTAwMDAsIDEwMDAwLCAxMDAwMCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAK
        """)

    /// np.save(np.int64(16))  # 0-d int64
    static let scalarInt64: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoQAAAAAAAAAA==
        """)

    /// np.save(np.asfortranarray(np.arange(24, dtype='<i4').reshape(2, 3, 4)))
    static let fortranInt32: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0gICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAADAAAAAQAAAAQAAAACAAAABQA
        AAABAAAADQAAAAUAAAARAAAACQAAABUAAAACAAAADgAAAAYAAAASAAAACgAAABYAAAADAAAADwAAAAcAAAATAAAACwAAABcAAAA=
        """)

    /// np.save(np.asfortranarray(np.arange(6.0).reshape(3, 2)))
    static let fortranFloat64: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMywgMiksIH0gICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAABAAAAAAAAA
        EEAAAAAAAADwPwAAAAAAAAhAAAAAAAAAFEA=
        """)

    /// np.save(np.arange(5, dtype='>f8') * 1.5 - 2)
    static let bigFloat64: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAwAAAAAAAAOC/AAAAAAAA
        8D8AAAAAAAAEQAAAAAAAABBA
        """)

    /// np.save(np.array([[1, -2], [300, -400]], dtype='>i2'))
    static let bigInt16: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPmkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAf/+ASz+cA==
        """)

    /// np.save(np.array([1, 2**32 - 1, 65536], dtype='>u4'))
    static let bigUint32: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPnU0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAB/////wABAAA=
        """)

    /// np.save(np.array([0.5, -3.0, 1e10], dtype='>f4'))
    static let bigFloat32: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/AAAAwEAAAFAVAvk=
        """)

    /// np.save(np.asfortranarray(np.arange(6, dtype='>i8').reshape(2, 3)))
    static let bigFortranInt64: [UInt8] = decode("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPmk4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAADAAAAAAAA
        AAEAAAAAAAAABAAAAAAAAAACAAAAAAAAAAU=
        """)

    /// format.write_array(f, np.arange(6.0).reshape(3, 2), version=(2, 0))
    static let version2: [UInt8] = decode("""
        k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywgMiksIH0gICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPA/AAAAAAAA
        AEAAAAAAAAAIQAAAAAAAABBAAAAAAAAAFEA=
        """)

    /// format.write_array(f, np.arange(6.0).reshape(3, 2), version=(3, 0))
    static let version3: [UInt8] = decode("""
        k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywgMiksIH0gICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPA/AAAAAAAA
        AEAAAAAAAAAIQAAAAAAAABBAAAAAAAAAFEA=
        """)

    /// np.savez_compressed(x=np.arange(100.0).reshape(10, 10), n=np.int64(7), flags=np.array([True, False, True]))
    static let npzCompressed: [UInt8] = decode("""
        UEsDBC0AAAAIAAAAIQB2MoUJ//////////8FABQAeC5ucHkBABAAoAMAAAAAAAAAAQAAAAAAAJ3JuU7DQBSF4UOHqCgoKChGCOGA
        LGSzhhCI2cKaEJZAqJBFHFEggmxEg5DuO/BC80g8AkH+G1qm+ea/56vdbXXux/Suj6CfFY95UHNBfVANQhcMhvlbnr48DPN+9ntv
        ps9FNroXT+lrNupKHIUujhZC9+n++Sb05303+CQl4ziJUziNM+hwFudwHiu4iCEuYYQxLuMKruIaruMGVnETa7iFddzGHWxgUmqo
        XRq1R6P2adQBjTqkUU0adUSjjmnUCY06pVFnNOqcRrVoVJtGXdCoTmmChh51yY6GHnXFjoYedc2Ohh51w46GHtVlR0OPumVHQ4+6
        Y0dDj+qxo6HvJT9QSwMELQAAAAgAAAAhACO48Gz//////////wUAFABuLm5weQEAEACIAAAAAAAAAEYAAAAAAAAAm+wX6hsQychQ
        xlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkamjoKtQoUAS52BggAAFBLAwQtAAAACAAAACEA
        FpOMu///////////CQAUAGZsYWdzLm5weQEAEACDAAAAAAAAAEcAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXpNkqK6joJ6W
        X1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjqaOgq1ChQALkYGRgBQSwECLQMtAAAACAAAACEAdjKFCQABAACgAwAABQAAAAAA
        AAAAAAAAgAEAAAAAeC5ucHlQSwECLQMtAAAACAAAACEAI7jwbEYAAACIAAAABQAAAAAAAAAAAAAAgAE3AQAAbi5ucHlQSwECLQMt
        AAAACAAAACEAFpOMu0cAAACDAAAACQAAAAAAAAAAAAAAgAG0AQAAZmxhZ3MubnB5UEsFBgAAAAADAAMAnQAAADYCAAAAAA==
        """)

    /// np.savez(a=np.arange(3.0), b=np.float32(2.5))
    static let npzStored: [UInt8] = decode("""
        UEsDBC0AAAAAAAAAIQAkIeEr//////////8FABQAYS5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzog
        JzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAAAAAAAAAAADwPwAAAAAAAABAUEsDBC0AAAAAAAAAIQBkjCLD
        //////////8FABQAYi5ucHkBABAAhAAAAAAAAACEAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29y
        ZGVyJzogRmFsc2UsICdzaGFwZSc6ICgpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgICAKAAAgQFBLAQItAy0AAAAAAAAAIQAkIeErmAAAAJgAAAAFAAAAAAAAAAAAAACAAQAAAABhLm5weVBLAQIt
        Ay0AAAAAAAAAIQBkjCLDhAAAAIQAAAAFAAAAAAAAAAAAAACAAc8AAABiLm5weVBLBQYAAAAAAgACAGYAAACKAQAAAAA=
        """)

    /// zip: a.npy, readme.txt
    static let zipWithTextMember: [UInt8] = decode("""
        UEsDBBQAAAAAAGl7el0kIeErmAAAAJgAAAAFAAAAYS5ucHmTTlVNUFkBAHYAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRl
        cic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgCgAAAAAAAAAAAAAAAAAA8D8AAAAAAAAAQFBLAwQUAAAAAABpe3pdhqYQNgUAAAAFAAAACgAAAHJlYWRtZS50
        eHRoZWxsb1BLAQIUAxQAAAAAAGl7el0kIeErmAAAAJgAAAAFAAAAAAAAAAAAAACAAQAAAABhLm5weVBLAQIUAxQAAAAAAGl7el2G
        phA2BQAAAAUAAAAKAAAAAAAAAAAAAACAAbsAAAByZWFkbWUudHh0UEsFBgAAAAACAAIAawAAAOgAAAAAAA==
        """)

    /// zip: a.npy compressed with bzip2 (method 12)
    static let zipBzip2: [UInt8] = decode("""
        UEsDBC4AAAAMAGl7el0kIeErewAAAJgAAAAFAAAAYS5ucHlCWmg5MUFZJlNZKasG2wAAKl+g6BBA5AhUwQNCIK9F3QoIAEAAIABU
        RR6QA0NGQ00BieUImhpAaaNAGQGmmi0nAyIYoWMaAZYAnE5ePEoiYmFc1quFAEsEuls58N8nkKSREPJkQCGYx2MwE60+hqZfi7ki
        nChIFNWDbYBQSwECLgMuAAAADABpe3pdJCHhK3sAAACYAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwUGAAAAAAEAAQAzAAAA
        ngAAAAAA
        """)

    /// zip: a.npy, archive comment 'made by a test'
    static let zipComment: [UInt8] = decode("""
        UEsDBBQAAAAAAGl7el0kIeErmAAAAJgAAAAFAAAAYS5ucHmTTlVNUFkBAHYAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRl
        cic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgCgAAAAAAAAAAAAAAAAAA8D8AAAAAAAAAQFBLAQIUAxQAAAAAAGl7el0kIeErmAAAAJgAAAAFAAAAAAAAAAAA
        AACAAQAAAABhLm5weVBLBQYAAAAAAQABADMAAAC7AAAADgBtYWRlIGJ5IGEgdGVzdA==
        """)

    /// zip written to a non-seekable stream (data descriptors), deflated: a.npy, b.npy
    static let zipStreamed: [UInt8] = decode("""
        UEsDBBQACAAIAGl7el0AAAAAAAAAAAAAAAAFAAAAYS5ucHmb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahrqOgnpZfVFKUmBefX5SS
        ChJ3S8wpTgWKF2ckFqQC+RrGOpo6CrUKFAAuBhTwwR7KcAAAUEsHCCQh4StMAAAAmAAAAFBLAwQUAAgACABpe3pdAAAAAAAAAAAA
        AAAABQAAAGIubnB5m+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaJjqaOgq1
        ChQALgYoYITSTFCaGUoDAFBLBwjDw9rRTwAAAKAAAABQSwECFAMUAAgACABpe3pdJCHhK0wAAACYAAAABQAAAAAAAAAAAAAAgAEA
        AAAAYS5ucHlQSwECFAMUAAgACABpe3pdw8Pa0U8AAACgAAAABQAAAAAAAAAAAAAAgAF/AAAAYi5ucHlQSwUGAAAAAAIAAgBmAAAA
        AQEAAAAA
        """)

    /// zip: a.npy twice
    static let zipDuplicate: [UInt8] = decode("""
        UEsDBBQAAAAAAGl7el0kIeErmAAAAJgAAAAFAAAAYS5ucHmTTlVNUFkBAHYAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRl
        cic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgCgAAAAAAAAAAAAAAAAAA8D8AAAAAAAAAQFBLAwQUAAAAAABpe3pdJCHhK5gAAACYAAAABQAAAGEubnB5k05V
        TVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAPA/AAAAAAAAAEBQ
        SwECFAMUAAAAAABpe3pdJCHhK5gAAACYAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwECFAMUAAAAAABpe3pdJCHhK5gAAACY
        AAAABQAAAAAAAAAAAAAAgAG7AAAAYS5ucHlQSwUGAAAAAAIAAgBmAAAAdgEAAAAA
        """)

    /// zip: a directory entry sub/ and sub/a.npy
    static let zipDirectory: [UInt8] = decode("""
        UEsDBBQAAAAAAGl7el0AAAAAAAAAAAAAAAAEAAAAc3ViL1BLAwQUAAAAAABpe3pdJCHhK5gAAACYAAAACQAAAHN1Yi9hLm5weZNO
        VU1QWQEAdgB7J2Rlc2NyJzogJzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAAAAAAAAAAADwPwAAAAAAAABA
        UEsBAhQDFAAAAAAAaXt6XQAAAAAAAAAAAAAAAAQAAAAAAAAAAAAQAP1BAAAAAHN1Yi9QSwECFAMUAAAAAABpe3pdJCHhK5gAAACY
        AAAACQAAAAAAAAAAAAAAgAEiAAAAc3ViL2EubnB5UEsFBgAAAAACAAIAaQAAAOEAAAAAAA==
        """)

    /// NPZArchive zip64-forced output of a=[1., 2., 3.], n=int64(7); numpy.load reads it
    static let zip64Archive: [UInt8] = decode("""
        UEsDBC0AAAAAAAAAIQAqwR1E//////////8FABQAYS5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzog
        JzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAA8D8AAAAAAAAAQAAAAAAAAAhAUEsDBC0AAAAAAAAAIQAjuPBs
        //////////8FABQAbi5ucHkBABAAiAAAAAAAAACIAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpOCcsICdmb3J0cmFuX29y
        ZGVyJzogRmFsc2UsICdzaGFwZSc6ICgpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgICAKBwAAAAAAAABQSwECLQMtAAAAAAAAACEAKsEdRP//////////BQAcAAAAAAAAAAAApIH/////YS5ucHkB
        ABgAmAAAAAAAAACYAAAAAAAAAAAAAAAAAAAAUEsBAi0DLQAAAAAAAAAhACO48Gz//////////wUAHAAAAAAAAAAAAKSB/////24u
        bnB5AQAYAIgAAAAAAAAAiAAAAAAAAADPAAAAAAAAAFBLBgYsAAAAAAAAAC0DLQAAAAAAAAAAAAIAAAAAAAAAAgAAAAAAAACeAAAA
        AAAAAI4BAAAAAAAAUEsGBwAAAAAsAgAAAAAAAAEAAABQSwUGAAAAAP///////////////wAA
        """)

}

// The generator. Run it from a package root with the path of zip64_small.npz, an archive
// written by NPZArchive with zip64 forced and checked with numpy.load, zipfile and unzip -t:
//
// # Generates Tests/NumPyIOTests/NumPyFixtures.swift: files written by real NumPy, embedded
// # as base64. Run from the package root: python3 fixtures/make_fixtures.py
// import base64, io, zipfile
// import numpy as np
// import numpy.lib.format as fmt
//
// fixtures = []  # (swift name, comment, bytes)
//
// def npy(arr, **kw):
//     buf = io.BytesIO()
//     if kw:
//         fmt.write_array(buf, arr, **kw)
//     else:
//         np.save(buf, arr)
//     return buf.getvalue()
//
// def add(name, comment, data):
//     fixtures.append((name, comment, data))
//
// # One file per dtype, the same 2x3 pattern of values (see the tests for the Swift side).
// int_values = {
//     'i1': [[0, 1, -1], [-128, 127, 7]],
//     'i2': [[0, 1, -1], [-32768, 32767, 7]],
//     'i4': [[0, 1, -1], [-2**31, 2**31 - 1, 7]],
//     'i8': [[0, 1, -1], [-2**63, 2**63 - 1, 7]],
//     'u1': [[0, 1, 2], [255, 254, 7]],
//     'u2': [[0, 1, 2], [65535, 65534, 7]],
//     'u4': [[0, 1, 2], [2**32 - 1, 2**32 - 2, 7]],
//     'u8': [[0, 1, 2], [2**64 - 1, 2**64 - 2, 7]],
// }
// for code, values in int_values.items():
//     add('dtype_' + code, f"np.save(np.array({values}, dtype='{code}'))", npy(np.array(values, dtype=code)))
// float_values = [[0.0, 1.5, -2.25], [np.inf, -np.inf, 1e-3]]
// add('dtype_f8', "np.save(np.array([[0, 1.5, -2.25], [inf, -inf, 1e-3]], dtype='<f8'))", npy(np.array(float_values, dtype='<f8')))
// add('dtype_f4', "np.save(np.array([[0, 1.5, -2.25], [inf, -inf, 1e-3]], dtype='<f4'))", npy(np.array(float_values, dtype='<f4')))
// add('dtype_b1', "np.save(np.array([[True, False, True], [False, False, True]]))", npy(np.array([[True, False, True], [False, False, True]])))
//
// # Shapes (float64, values arange(n)).
// shapes = {'shape_0d': (), 'shape_1': (1,), 'shape_5': (5,), 'shape_2x3x4': (2, 3, 4),
//           'shape_empty': (0,), 'shape_2x0': (2, 0), 'shape_12x1': (12, 1),
//           # NumPy's header padding is a full 64 spaces for this shape (an edge case).
//           'shape_full_pad': (0, 1, 1, 1, 1, 1, 100, 10000, 10000, 10000)}
// for name, shape in shapes.items():
//     n = int(np.prod(shape))
//     add(name, f"np.save(np.arange({n}, dtype='<f8').reshape({shape}))", npy(np.arange(n, dtype='<f8').reshape(shape)))
// add('scalar_int64', "np.save(np.int64(16))  # 0-d int64", npy(np.int64(16)))
//
// # Layout and byte order.
// add('fortran_int32', "np.save(np.asfortranarray(np.arange(24, dtype='<i4').reshape(2, 3, 4)))",
//     npy(np.asfortranarray(np.arange(24, dtype='<i4').reshape(2, 3, 4))))
// add('fortran_float64', "np.save(np.asfortranarray(np.arange(6.0).reshape(3, 2)))",
//     npy(np.asfortranarray(np.arange(6.0).reshape(3, 2))))
// add('big_float64', "np.save(np.arange(5, dtype='>f8') * 1.5 - 2)", npy(np.arange(5, dtype='>f8') * 1.5 - 2))
// add('big_int16', "np.save(np.array([[1, -2], [300, -400]], dtype='>i2'))", npy(np.array([[1, -2], [300, -400]], dtype='>i2')))
// add('big_uint32', "np.save(np.array([1, 2**32 - 1, 65536], dtype='>u4'))", npy(np.array([1, 2**32 - 1, 65536], dtype='>u4')))
// add('big_float32', "np.save(np.array([0.5, -3.0, 1e10], dtype='>f4'))", npy(np.array([0.5, -3.0, 1e10], dtype='>f4')))
// add('big_fortran_int64', "np.save(np.asfortranarray(np.arange(6, dtype='>i8').reshape(2, 3)))",
//     npy(np.asfortranarray(np.arange(6, dtype='>i8').reshape(2, 3))))
//
// # Format versions 2.0 and 3.0.
// add('version2', "format.write_array(f, np.arange(6.0).reshape(3, 2), version=(2, 0))",
//     npy(np.arange(6.0).reshape(3, 2), version=(2, 0)))
// add('version3', "format.write_array(f, np.arange(6.0).reshape(3, 2), version=(3, 0))",
//     npy(np.arange(6.0).reshape(3, 2), version=(3, 0)))
//
// # Archives.
// def savez(func, **arrays):
//     buf = io.BytesIO()
//     func(buf, **arrays)
//     return buf.getvalue()
//
// add('npz_compressed', "np.savez_compressed(x=np.arange(100.0).reshape(10, 10), n=np.int64(7), flags=np.array([True, False, True]))",
//     savez(np.savez_compressed, x=np.arange(100.0).reshape(10, 10), n=np.int64(7), flags=np.array([True, False, True])))
// add('npz_stored', "np.savez(a=np.arange(3.0), b=np.float32(2.5))",
//     savez(np.savez, a=np.arange(3.0), b=np.float32(2.5)))
//
// def zip_with(members, comment=b'', compression=zipfile.ZIP_STORED, stream=False):
//     raw = io.BytesIO()
//     target = raw
//     if stream:  # a non-seekable file makes zipfile write data descriptors (flag bit 3)
//         class Unseekable(io.RawIOBase):
//             def writable(self): return True
//             def write(self, b): return raw.write(b)
//         target = Unseekable()
//     with zipfile.ZipFile(target, 'w', compression=compression) as z:
//         for name, data in members:
//             z.writestr(name, data)
//         z.comment = comment
//     return raw.getvalue()
//
// small = npy(np.arange(3.0))
// add('zip_with_text_member', "zip: a.npy, readme.txt", zip_with([('a.npy', small), ('readme.txt', b'hello')]))
// add('zip_bzip2', "zip: a.npy compressed with bzip2 (method 12)", zip_with([('a.npy', small)], compression=zipfile.ZIP_BZIP2))
// add('zip_comment', "zip: a.npy, archive comment 'made by a test'", zip_with([('a.npy', small)], comment=b'made by a test'))
// add('zip_streamed', "zip written to a non-seekable stream (data descriptors), deflated: a.npy, b.npy",
//     zip_with([('a.npy', small), ('b.npy', npy(np.arange(4, dtype='<i8')))], compression=zipfile.ZIP_DEFLATED, stream=True))
// import warnings
// warnings.simplefilter('ignore')  # zipfile warns about the duplicate name, which is the point
// add('zip_duplicate', "zip: a.npy twice", zip_with([('a.npy', small), ('a.npy', small)]))
// add('zip_directory', "zip: a directory entry sub/ and sub/a.npy", zip_with([('sub/', b''), ('sub/a.npy', small)]))
//
// # A zip64 archive (zip64 extra fields, end record and locator) written by this module with
// # zip64 forced (scratch npydump tool), verified by zipfile.testzip, `unzip -t` and numpy.load.
// import sys
// if len(sys.argv) > 1:
//     add('zip64_archive', "NPZArchive zip64-forced output of a=[1., 2., 3.], n=int64(7); numpy.load reads it",
//         open(sys.argv[1], 'rb').read())
//
// out = ['// Generated with NumPy %s by the Python script at the end of this file; each fixture\'s' % np.__version__,
//        '// comment is the call that produced it. Each fixture is the exact bytes NumPy (or Python\'s',
//        '// zipfile) wrote, base64-encoded.',
//        '', 'import Foundation', '', 'enum NumPyFixtures {',
//        '    private static func decode(_ base64: String) -> [UInt8] {',
//        '        [UInt8](Data(base64Encoded: base64, options: .ignoreUnknownCharacters) ?? Data())',
//        '    }', '']
// for name, comment, data in fixtures:
//     b64 = base64.b64encode(data).decode()
//     chunks = [b64[i:i + 100] for i in range(0, len(b64), 100)]
//     out.append(f'    /// {comment}')
//     camel = name.split('_')[0] + ''.join(w[:1].upper() + w[1:] for w in name.split('_')[1:])
//     out.append('    static let %s: [UInt8] = decode("""' % camel)
//     out.extend('        ' + c for c in chunks)
//     out.append('        """)')
//     out.append('')
// out.append('}')
// script = open(__file__).read().rstrip().split('\n')
// out += ['', '// The generator. Run it from a package root with the path of zip64_small.npz, an archive',
//         '// written by NPZArchive with zip64 forced and checked with numpy.load, zipfile and unzip -t:', '//']
// out += [('// ' + line).rstrip() for line in script]
// open('Tests/NumPyIOTests/NumPyFixtures.swift', 'w').write('\n'.join(out) + '\n')
// print(len(fixtures), 'fixtures', sum(len(d) for _, _, d in fixtures), 'bytes')
