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
    static func inflateRaw(_ input: [UInt8], expectedSize: Int) throws -> [UInt8] {
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw NumPyIOError(.corruptDeflate, "zlib inflateInit2 failed with status \(initStatus)")
        }
        defer { inflateEnd(&stream) }

        // One spare byte so that a stream longer than declared is detected, not truncated.
        let capacity = expectedSize + 1
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var failure: NumPyIOError?
        input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                guard let outBase = outBuffer.baseAddress else { return }
                var inOffset = 0, outOffset = 0
                while true {
                    if stream.avail_in == 0, inOffset < inBuffer.count, let inBase = inBuffer.baseAddress {
                        let chunk = min(inBuffer.count - inOffset, Int(UInt32.max))
                        stream.next_in = UnsafeMutablePointer(mutating: inBase + inOffset)
                        stream.avail_in = UInt32(chunk)
                        inOffset += chunk
                    }
                    if stream.avail_out == 0, outOffset < capacity {
                        let chunk = min(capacity - outOffset, Int(UInt32.max))
                        stream.next_out = outBase + outOffset
                        stream.avail_out = UInt32(chunk)
                        outOffset += chunk
                    }
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced = outOffset - Int(stream.avail_out)
                    if produced > expectedSize {
                        failure = NumPyIOError(.corruptDeflate, "deflate data decompresses to more than the declared \(expectedSize) bytes")
                        return
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
        output.removeLast(capacity - expectedSize)
        return output
    }
}
