import Foundation
import CZlib
import Why403Core

/// Reads a log file, `.gz` file or stdin (`-`) in large chunks into a `LineBuffer`.
///
/// gzip is recognised by its magic bytes, not the name, and inflated as a stream with zlib
/// (`inflateInit2` with 15+32: gzip or zlib header; concatenated members as `cat a.gz b.gz` makes).
enum LogReader {
    static let chunkSize = 1 << 20

    /// Progress: bytes read so far of a file, and its size when known.
    typealias Progress = (_ done: Int64, _ total: Int64?) -> Void

    /// Reads all of `path` (or stdin for `-`), feeding `sink`; `shouldStop` is checked after each chunk.
    static func read<S: LineBlockSink>(path: String, buffer: LineBuffer, sink: inout S, progress: Progress?,
                                       check: (inout S) throws -> Void) throws {
        let fd: Int32
        if path == "-" { fd = 0 } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                let why = String(cString: strerror(errno))
                throw InputError(file: path, expected: "a readable log file", found: "\(why.lowercased())")
            }
        }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        var total: Int64? = nil
        if fstat(fd, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                throw InputError(file: path, expected: "a log file", found: "a directory")
            }
            if (st.st_mode & S_IFMT) == S_IFREG { total = Int64(st.st_size) }
        }
        // Sniff the first two bytes for the gzip magic.
        var head = [UInt8](repeating: 0, count: 2)
        var headCount = 0
        while headCount < 2 {
            let n = head.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + headCount, 2 - headCount) }
            if n < 0 { if errno == EINTR { continue }; throw readError(path) }
            if n == 0 { break }
            headCount += n
        }
        if headCount == 2 && head[0] == 0x1F && head[1] == 0x8B {
            try inflate(fd: fd, path: path, head: head, buffer: buffer, sink: &sink, total: total, progress: progress, check: check)
            return
        }
        head.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[0..<headCount]), to: &sink) }
        var done = Int64(headCount)
        while true {
            let space = buffer.writableSpace(minimum: chunkSize)
            let n = Foundation.read(fd, space.baseAddress!, min(space.count, chunkSize))
            if n < 0 { if errno == EINTR { continue }; throw readError(path) }
            if n == 0 { break }
            buffer.didWrite(n)
            buffer.drain(final: false, to: &sink)
            done += Int64(n)
            progress?(done, total)
            try check(&sink)
        }
        buffer.drain(final: true, to: &sink)
        try check(&sink)
    }

    static func readError(_ path: String) -> InputError {
        InputError(file: path, expected: "a readable log file", found: String(cString: strerror(errno)).lowercased())
    }

    private static func inflate<S: LineBlockSink>(fd: Int32, path: String, head: [UInt8], buffer: LineBuffer, sink: inout S,
                                                  total: Int64?, progress: Progress?, check: (inout S) throws -> Void) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(file: path, message: "could not start gzip decoding")
        }
        defer { inflateEnd(&stream) }
        let inSize = 256 * 1024
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: inSize)
        defer { input.deallocate() }
        input[0] = head[0]; input[1] = head[1]
        var inCount = 2
        var done: Int64 = 2
        var eof = false
        var streamEnded = false
        loop: while true {
            if !eof && inCount < inSize {
                let n = Foundation.read(fd, input + inCount, inSize - inCount)
                if n < 0 { if errno == EINTR { continue }; throw readError(path) }
                if n == 0 { eof = true } else { inCount += n; done += Int64(n) }
            }
            if inCount == 0 && eof { break loop }
            stream.next_in = input
            stream.avail_in = UInt32(inCount)
            let space = buffer.writableSpace(minimum: chunkSize)
            stream.next_out = space.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(min(space.count, chunkSize))
            let before = Int(stream.avail_out)
            let rc = CZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = before - Int(stream.avail_out)
            let consumed = inCount - Int(stream.avail_in)
            if consumed > 0 && consumed < inCount { memmove(input, input + consumed, inCount - consumed) }
            inCount -= consumed
            buffer.didWrite(produced)
            buffer.drain(final: false, to: &sink)
            progress?(done, total)
            try check(&sink)
            switch rc {
            case Z_OK:
                streamEnded = false
            case Z_BUF_ERROR:
                if produced == 0 && consumed == 0 && eof { break loop }
            case Z_STREAM_END:
                streamEnded = true
                // Another member may follow (concatenated gzip files).
                if inCount == 0 {
                    if eof { break loop }
                    let n = Foundation.read(fd, input, inSize)
                    if n < 0 { throw readError(path) }
                    if n == 0 { eof = true; break loop }
                    inCount = n; done += Int64(n)
                }
                inflateReset(&stream)
            default:
                let msg = stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw InputError(file: path, expected: "gzip data", found: "a corrupt stream (\(msg))")
            }
        }
        if !streamEnded {
            throw InputError(file: path, expected: "the rest of the gzip stream", found: "the end of the file",
                             help: "the .gz file is truncated")
        }
        buffer.drain(final: true, to: &sink)
        try check(&sink)
    }
}
