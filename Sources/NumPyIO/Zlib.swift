import CZlib

/// The two zlib services `.npz` needs: CRC-32 and raw-deflate decompression.
enum Zlib {
    /// CRC-32 (the zip/PNG polynomial) of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, Int(UInt32.max))
                crc = CZlib.crc32(crc, buffer.baseAddress.map { $0 + offset }, UInt32(chunk))
                offset += chunk
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    /// Inflates a raw deflate stream (no zlib/gzip wrapper, as in zip members) that must
    /// decompress to exactly `expectedSize` bytes. Throws `corruptDeflate` otherwise.
    ///
    /// Memory: one buffer of exactly `expectedSize` bytes, allocated uninitialised, so only the pages
    /// inflate actually writes become resident (a header that declares more than its stream holds
    /// costs only what the stream produces). Inflate never writes past `expectedSize`: once the
    /// buffer is full it gets a one-byte probe outside it, and any byte there is an error.
    static func inflateRaw(_ input: ArraySlice<UInt8>, expectedSize: Int) throws -> [UInt8] {
        precondition(expectedSize >= 0)
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw NumPyIOError(.corruptDeflate, "zlib inflateInit2 failed with status \(initStatus)")
        }
        defer { inflateEnd(&stream) }

        let probe = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        defer { probe.deallocate() }
        var failure: NumPyIOError?
        var produced = 0
        let output = [UInt8](unsafeUninitializedCapacity: expectedSize) { outBuffer, initializedCount in
            defer { initializedCount = produced }
            input.withUnsafeBufferPointer { inBuffer in
                var inOffset = 0
                var outOffset = 0  // end of the output handed to zlib so far
                var probing = false
                while true {
                    if stream.avail_in == 0, inOffset < inBuffer.count, let inBase = inBuffer.baseAddress {
                        let chunk = min(inBuffer.count - inOffset, Int(UInt32.max))
                        stream.next_in = UnsafeMutablePointer(mutating: inBase + inOffset)
                        stream.avail_in = UInt32(chunk)
                        inOffset += chunk
                    }
                    if stream.avail_out == 0, !probing {
                        if outOffset < expectedSize, let outBase = outBuffer.baseAddress {
                            let chunk = min(expectedSize - outOffset, Int(UInt32.max))
                            stream.next_out = outBase + outOffset
                            stream.avail_out = UInt32(chunk)
                            outOffset += chunk
                        } else {
                            probing = true
                            stream.next_out = probe
                            stream.avail_out = 1
                        }
                    }
                    let status = inflate(&stream, Z_NO_FLUSH)
                    if probing {
                        produced = expectedSize
                        if stream.avail_out == 0 {
                            failure = NumPyIOError(.corruptDeflate, "deflate data decompresses to more than the declared \(expectedSize) bytes")
                            return
                        }
                    } else {
                        produced = outOffset - Int(stream.avail_out)
                    }
                    switch status {
                    case Z_STREAM_END:
                        return
                    case Z_OK:
                        continue
                    case Z_BUF_ERROR where stream.avail_in == 0 && inOffset == inBuffer.count:
                        failure = NumPyIOError(.corruptDeflate, "truncated deflate data: decompressed \(produced) of \(expectedSize) bytes")
                        return
                    case Z_DATA_ERROR:
                        let reason = stream.msg.map { String(cString: $0) } ?? "invalid data"
                        failure = NumPyIOError(.corruptDeflate, "corrupt deflate data (\(reason))")
                        return
                    case Z_MEM_ERROR:
                        failure = NumPyIOError(.corruptDeflate, "zlib ran out of memory while inflating")
                        return
                    default:
                        failure = NumPyIOError(.corruptDeflate, "zlib inflate failed with status \(status)")
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        guard produced == expectedSize else {
            throw NumPyIOError(.corruptDeflate, "deflate data decompresses to \(produced) bytes, expected \(expectedSize)")
        }
        return output
    }
}
