import CZlib

/// Decodes a gzip or zlib body (a saved response's `Content-Encoding: gzip`/`deflate`), up to `limit`
/// bytes of output. Nil when the data is not a complete gzip/zlib stream.
///
/// zlib through the system library: Foundation has no gzip decoder on Linux, and the packages here that
/// wrap zlib bring in the NIO event-loop stack for a one-shot decode.
enum Inflate {
    static func decode(_ input: [UInt8], limit: Int = 1 << 20) -> [UInt8]? {
        guard !input.isEmpty else { return nil }
        var stream = z_stream()
        // 15 + 32: accept a gzip or a zlib header.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var source = input
        var status: Int32 = Z_OK
        source.withUnsafeMutableBufferPointer { src in
            stream.next_in = src.baseAddress
            stream.avail_in = UInt32(src.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    let produced = out.count - Int(stream.avail_out)
                    output.append(contentsOf: out[0..<produced])
                }
            } while status == Z_OK && output.count < limit && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END || (status == Z_OK && output.count >= limit) else { return nil }
        return output.count > limit ? Array(output.prefix(limit)) : output
    }
}
