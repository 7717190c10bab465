import Foundation
import CZlib
import CWhy403Scan
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
    /// `prefix` holds bytes already read from the start of a stream (`readHead`), read again first; `fd`, a stream the
    /// caller opened (closed here, stdin aside).
    /// `readAhead: false` reads on this thread, 64 KiB at a time: for a look at a file's first lines (`sniffHead`), where
    /// starting the read-ahead thread and its four 1 MiB buffers, which read two of them before the look stopped, was a
    /// few milliseconds of every run.
    static func read<S: LineBlockSink>(path: String, buffer: LineBuffer, sink: inout S, fd given: Int32? = nil, prefix: [UInt8] = [],
                                       readAhead: Bool = true, progress: Progress?, check: (inout S) throws -> Void) throws {
        let fd: Int32
        if let given { fd = given } else if path == "-" { fd = 0 } else {
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
        var head = prefix.count >= 2 ? prefix : prefix + [UInt8](repeating: 0, count: 2 - prefix.count)
        var headCount = prefix.count
        while headCount < 2 {
            let n = head.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + headCount, 2 - headCount) }
            if n < 0 { if errno == EINTR { continue }; throw readError(path) }
            if n == 0 { break }
            headCount += n
        }
        if headCount >= 2 && head[0] == 0x1F && head[1] == 0x8B {
            try inflate(fd: fd, path: path, head: head, buffer: buffer, sink: &sink, total: total, progress: progress, check: check)
            return
        }
        head.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[0..<headCount]), to: &sink) }
        head = []
        var done = Int64(headCount)
        if !readAhead {
            let size = 1 << 16
            let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
            defer { chunk.deallocate() }
            while true {
                let n = Foundation.read(fd, chunk, size)
                if n < 0 { if errno == EINTR { continue }; throw readError(path) }
                if n == 0 { break }
                buffer.append(UnsafeRawBufferPointer(start: chunk, count: n), to: &sink)
                done += Int64(n)
                progress?(done, total)
                try check(&sink)
            }
            buffer.drain(final: true, to: &sink)
            try check(&sink)
            return
        }
        // A second thread reads ahead while this one scans, so the copy out of the page cache
        // (a fifth of the time on a cached 1 GiB log) overlaps the scan.
        var mappable = path != "-" && total != nil
        let ahead = ReadAhead(fd: fd, fill: total != nil, needle: sink.chunkNeedle)
        defer { ahead.shutDown() }
        while true {
            let (chunk, failure) = ahead.next()
            if let failure { errno = failure; throw readError(path) }
            guard let chunk, chunk.count > 0 else { break }
            sink.setChunkHits(ahead.hits(of: chunk))
            buffer.append(chunk, to: &sink)
            sink.setChunkHits(nil)
            ahead.release()
            done += Int64(chunk.count)
            progress?(done, total)
            try check(&sink)
            // Past the first lines of a large regular file, the scan wants only the needle's lines:
            // gather them from mapped windows instead of reading every byte.
            if mappable, let total, total - done >= Int64(MappedGather.window), sink.wantsOnlyNeedleLines,
               let needle = sink.chunkNeedle, !needle.bytes.contains(10), buffer.maxLineLength * 4 < MappedGather.piece {
                mappable = false
                let held = buffer.held
                let from = done - Int64(held.count)
                if MappedGather.canMap(fd: fd, at: from) {
                    buffer.dropHeld()
                    ahead.shutDown()
                    try gather(fd: fd, path: path, from: from, skipping: held.skipping, total: total, needle: needle.bytes,
                               maxLine: buffer.maxLineLength, sink: &sink, progress: progress, check: check)
                    return
                }
            }
        }
        buffer.drain(final: true, to: &sink)
        try check(&sink)
    }

    /// Reads the rest of a regular file from `from` (a line start, or inside an overlong line when
    /// `skipping`) through `MappedGather`, handing the sink only the lines holding `needle`.
    private static func gather<S: LineBlockSink>(fd: Int32, path: String, from: Int64, skipping: Bool, total: Int64, needle: [UInt8],
                                                 maxLine: Int, sink: inout S, progress: Progress?,
                                                 check: (inout S) throws -> Void) throws {
        let reader = MappedGather(fd: fd, offset: from, skipping: skipping, size: total, needle: needle, maxLine: maxLine,
                                  tokenizer: sink.lineTokenizer)
        defer { reader.shutDown() }
        while true {
            let (lines, end, last, failure) = reader.next()
            if failure != 0 {
                errno = failure
                throw failure == EOVERFLOW ? InputError(file: path, message: "could not gather the lines of a mapped window")
                                           : readError(path)
            }
            sink.gathered(lines)
            reader.release()
            progress?(end, total)
            try check(&sink)
            if last { break }
        }
    }

    /// Reads up to `limit` bytes from `fd` (stdin), fewer at its end; an error reads as the end (the
    /// scan that follows meets it again and reports it).
    static func readHead(fd: Int32, limit: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: limit)
        var n = 0
        while n < limit {
            let r = out.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + n, limit - n) }
            if r < 0 { if errno == EINTR { continue }; break }
            if r == 0 { break }
            n += r
        }
        out.removeSubrange(n...)
        return out
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
        for (i, b) in head.prefix(inSize).enumerated() { input[i] = b }
        var inCount = min(head.count, inSize)
        var done = Int64(inCount)
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

/// Reads a file ahead of its consumer on a second thread, into a small ring of 1 MiB buffers; with
/// a needle, it also finds the needle's hits in each buffer and counts its newlines (`ChunkHits`).
///
/// INVARIANT: a buffer handed out by `next()` is not written until `release()`; `shutDown()` stops
/// the reader and waits for it before the buffers are freed, whether the file was read to its end
/// or the scan stopped early.
final class ReadAhead: @unchecked Sendable {
    /// Buffers in the ring: one scanned while the next ones are read.
    static let slots = 4
    static let size = 1 << 20
    private var slots: Int { ReadAhead.slots }
    private let fd: Int32
    /// Fill each buffer whole (a regular file); else hand over what each read gave (a pipe).
    private let fill: Bool
    private let buffers: [UnsafeMutableRawPointer]
    private var lengths: [Int]
    private var errors: [Int32]
    private let needle: Needle?
    /// Per slot: hit offsets and the newlines before each (at most one hit per needle length).
    private let hitOffsets: [UnsafeMutablePointer<Int>]
    private let hitNewlines: [UnsafeMutablePointer<Int>]
    private let hitLineStarts: [UnsafeMutablePointer<Int>]
    private let maxHits: Int
    private var hitCounts: [Int]
    private var newlineCounts: [Int]
    private var linesEnds: [Int]
    // Created at 0 and signalled up: libdispatch traps when a semaphore is freed below its initial value.
    private let empty = DispatchSemaphore(value: 0)
    private let full = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var stop = false
    private var readSlot = 0
    private var takeSlot = 0
    private var isShutDown = false

    init(fd: Int32, fill: Bool, needle: Needle? = nil) {
        self.fd = fd
        self.fill = fill
        let slots = ReadAhead.slots
        lengths = [Int](repeating: 0, count: slots)
        errors = [Int32](repeating: 0, count: slots)
        hitCounts = [Int](repeating: 0, count: slots)
        newlineCounts = [Int](repeating: 0, count: slots)
        linesEnds = [Int](repeating: 0, count: slots)
        // A needle holding a newline could straddle lines: the scan then searches itself.
        self.needle = needle.flatMap { $0.bytes.contains(10) ? nil : $0 }
        buffers = (0..<slots).map { _ in UnsafeMutableRawPointer.allocate(byteCount: ReadAhead.size, alignment: 64) }
        let capacity = self.needle.map { ReadAhead.size / $0.bytes.count + 1 } ?? 0
        maxHits = capacity
        hitOffsets = (0..<slots).map { _ in UnsafeMutablePointer<Int>.allocate(capacity: capacity) }
        hitNewlines = (0..<slots).map { _ in UnsafeMutablePointer<Int>.allocate(capacity: capacity) }
        hitLineStarts = (0..<slots).map { _ in UnsafeMutablePointer<Int>.allocate(capacity: capacity) }
        for _ in 0..<slots { empty.signal() }
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    private func run() {
        defer { finished.signal() }
        while true {
            empty.wait()
            if stop { return }
            let slot = readSlot
            var n = 0
            var failure: Int32 = 0
            while n < ReadAhead.size {
                let r = Foundation.read(fd, buffers[slot] + n, ReadAhead.size - n)
                if r < 0 { if errno == EINTR { continue }; failure = errno; break }
                if r == 0 { break }
                n += r
                if !fill { break }
            }
            lengths[slot] = n
            errors[slot] = failure
            if let needle, n > 0 { search(needle, slot, n) }
            readSlot = (slot + 1) % slots
            full.signal()
            if n == 0 || failure != 0 { return }
        }
    }

    /// Finds every occurrence of `needle` in buffer `slot`, with the newlines before each and where
    /// its line starts, in one pass (the C kernel). More hits than the arrays hold (a hostile line of `" 403 403 403…"`)
    /// leaves the slot without precomputed hits: the scan thread then searches the chunk itself.
    private func search(_ needle: Needle, _ slot: Int, _ n: Int) {
        let base = buffers[slot].assumingMemoryBound(to: UInt8.self)
        var nl = 0
        let k = needle.bytes.withUnsafeBufferPointer { nb in
            why403_scan_lines(0, base, n, nb.baseAddress, nb.count, hitOffsets[slot], hitNewlines[slot], hitLineStarts[slot], maxHits, &nl)
        }
        hitCounts[slot] = k < 0 || k > maxHits ? -1 : k  // SIZE_MAX reads as -1
        newlineCounts[slot] = nl
        linesEnds[slot] = (ByteSearch.lastIndex(of: 10, in: UnsafeRawPointer(base), from: 0, to: n)).map { $0 + 1 } ?? 0
    }

    /// The hits found in `chunk` (the buffer `next()` handed out), or nil without a needle.
    func hits(of chunk: UnsafeRawBufferPointer) -> ChunkHits? {
        guard needle != nil, let base = chunk.baseAddress else { return nil }
        let slot = takeSlot
        guard hitCounts[slot] >= 0 else { return nil }
        return ChunkHits(base: base, count: chunk.count,
                         hits: UnsafeBufferPointer(start: hitOffsets[slot], count: hitCounts[slot]),
                         newlinesBefore: UnsafeBufferPointer(start: hitNewlines[slot], count: hitCounts[slot]),
                         lineStarts: UnsafeBufferPointer(start: hitLineStarts[slot], count: hitCounts[slot]),
                         newlines: newlineCounts[slot], linesEnd: linesEnds[slot])
    }

    /// The next chunk (empty at the end of the file), or the errno of a failed read.
    func next() -> (UnsafeRawBufferPointer?, Int32?) {
        full.wait()
        let slot = takeSlot
        if errors[slot] != 0 { return (nil, errors[slot]) }
        return (UnsafeRawBufferPointer(start: buffers[slot], count: lengths[slot]), nil)
    }

    /// Gives the chunk from `next()` back to the reader.
    func release() {
        takeSlot = (takeSlot + 1) % slots
        empty.signal()
    }

    /// Stops the reader, waits for it, frees the buffers. A reader still blocked after a second can
    /// only be waiting on a pipe that stays open (stdin behind `tail -f`): it is left to the process
    /// exit, with its buffers, rather than hang the report.
    func shutDown() {
        guard !isShutDown else { return }
        isShutDown = true
        stop = true
        empty.signal()
        guard finished.wait(timeout: .now() + .seconds(1)) == .success else { return }
        for b in buffers { b.deallocate() }
        for p in hitOffsets { p.deallocate() }
        for p in hitNewlines { p.deallocate() }
        for p in hitLineStarts { p.deallocate() }
    }
}
