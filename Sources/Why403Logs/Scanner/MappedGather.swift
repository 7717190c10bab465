import Foundation
import CWhy403Scan

/// The lines holding the needle in one window of a mapped file, copied out of the mapping by
/// `why403_gather_lines` (so the scan never touches the mapping).
struct GatheredLines {
    /// The lines' bytes, one after another, without newlines.
    var bytes: UnsafeRawPointer
    /// Per line: offset in `bytes`, length, and the lines of the window before it.
    var offsets: UnsafeBufferPointer<Int>
    var lengths: UnsafeBufferPointer<Int>
    var linesBefore: UnsafeBufferPointer<Int>
    /// Lines of the window (its lines before the next window's first).
    var lines: Int
    /// The sink's tokens of the first `tokenized` lines, `tokenWidth` numbers a line (`LineTokenizer`).
    var tokens: UnsafePointer<Int32>? = nil
    var tokenWidth = 0
    var tokenized = 0

    /// The tokens of line `j`, when the read-ahead thread made them.
    func tokens(of j: Int) -> UnsafePointer<Int32>? {
        guard j < tokenized, let tokens else { return nil }
        return tokens + j * tokenWidth
    }
}

/// Reads the rest of a regular file once the scan only wants the lines holding its needle: a second
/// thread maps the file, finds those lines with the C kernel and copies them out (a few percent of the
/// bytes), while this thread parses the previous piece's lines.
///
/// Why: `read(2)` copies every byte out of the page cache — the largest single cost of a scan of a
/// cached 1 GiB log (a quarter of all CPU time) — where searching the mapped pages costs only the
/// search. One mapping covers the rest of the file from the 2 MiB block where the read stands (whole
/// blocks, so the kernel can map each block's large page-cache folio in one fault; a mapping that ended
/// inside a block had that block's pages faulted in small runs). It is gathered in pieces of 4 MiB, one
/// piece per hand-off (2 MiB pieces made twice the hand-offs, each one a wake-up of the other core in the
/// kernel: 4–8% more time for 2 MiB less peak RSS), and the blocks wholly behind the read are dropped
/// (`MADV_DONTNEED`) as soon as their lines are copied, at block boundaries so no large mapping is split:
/// about three blocks of the file are resident at a time. (Until 2026-12-06 the file was mapped in windows of three
/// blocks, each unmapped when passed: every unmapping, like every drop, makes the kernel flush the TLB of
/// the other core, which runs the scan; one mapping for the file saved 5% of the CPU time. Dropping two
/// blocks at a time saved no more and raised the peak RSS by 2.5 MiB; 1 MiB pieces saved no more memory,
/// and mapping each 1 MiB alone was a third slower.) A file truncated while it is read (logrotate's
/// copytruncate) ends the read there: the C side turns the SIGBUS into an early end; a file that grew is
/// mapped again from where the read stands, to its new end.
///
/// When the sink has a `LineTokenizer` (Cloudflare, ALB, access lines), this thread also runs it on gathered
/// lines (on the copies, never the mapping), so the scan thread reads the line's structure instead of
/// passing over it: on a window it has just gathered, while an earlier window waits for the scan thread
/// (the scan is behind: the pass costs the scan nothing), stopping when the scan catches up so it never
/// waits for this thread; the lines not reached are read by the scan as before. So the work shifts to
/// whichever thread has time, on any machine.
///
/// INVARIANT: a slot handed out by `next()` is not written until `release()`; `shutDown()` stops the
/// reader and waits for it before the slots are freed.
final class MappedGather: @unchecked Sendable {
    /// How much of a file must be left for it to be read mapped at all (`LogReader`).
    static let window = 4 << 20
    /// The most one mapping covers (a larger file is mapped again where the read reaches its end): bounds the
    /// address space taken, whatever the file's size.
    static let maxMapping: Int64 = 64 << 30
    /// The mapping made when the system refuses one of the rest of the file: whole blocks enough for one piece
    /// from anywhere in the first block.
    static let smallMapping = piece + 2 * alignment
    /// The bytes gathered per hand-off (a line longer than the limit must fit well inside: see `LogReader`).
    static let piece = 4 << 20
    static let alignment = 2 << 20
    static let slots = 3

    private let fd: Int32
    private let needle: [UInt8]
    private let maxLine: Int
    private let tokenizer: LineTokenizer?
    /// Lines of a slot the tokenizer runs on (the rest are left to the scan): bounds the tokens'
    /// memory whatever the lines' lengths.
    static let maxTokenized = 4_096
    private var offset: Int64
    private var skipping: Bool
    private var size: Int64

    private struct Slot {
        var space: why403_gather_space
        /// The tokenizer's numbers for the slot's first `tokenized` lines.
        var tokens: UnsafeMutablePointer<Int32>?
        var tokenized = 0
        var lines = 0
        var newlines = 0
        var end: Int64 = 0
        var failure: Int32 = 0
        var last = false
    }
    /// Not an array: the two threads write and read different slots, which an array's copy-on-write
    /// check would race on.
    private let slots: UnsafeMutablePointer<Slot>
    private let hits: UnsafeMutablePointer<Int>
    private let hitNewlines: UnsafeMutablePointer<Int>
    private let hitStarts: UnsafeMutablePointer<Int>
    private static let maxHits = 16_384

    private let empty = DispatchSemaphore(value: 0)
    private let full = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var stop = false
    private var readSlot = 0
    private var takeSlot = 0
    /// Windows handed out (this thread) and taken by `next()` (the scan thread; `why403_counter_*`).
    private var filled = 0
    private let taken: UnsafeMutablePointer<Int>
    private var isShutDown = false

    /// Whether a window of `fd` at `offset` can be mapped (some regular files cannot: FUSE, procfs);
    /// without it the caller keeps reading.
    static func canMap(fd: Int32, at offset: Int64) -> Bool {
        let base = offset & ~Int64(alignment - 1)
        guard let p = mmap(nil, 4096, PROT_READ, MAP_PRIVATE, fd, off_t(base)), p != MAP_FAILED else { return false }
        munmap(p, 4096)
        return true
    }

    /// Reads `fd` from `offset` (a line start, or inside an overlong line when `skipping`) to its end.
    init(fd: Int32, offset: Int64, skipping: Bool, size: Int64, needle: [UInt8], maxLine: Int, tokenizer: LineTokenizer? = nil) {
        self.fd = fd
        self.tokenizer = tokenizer
        self.offset = offset
        self.skipping = skipping
        self.size = size
        self.needle = needle
        self.maxLine = maxLine
        let piece = MappedGather.piece
        let maxLines = piece / (needle.count + 1) + 2
        // Large allocations are mapped lazily: only what the lines fill is resident.
        hits = .allocate(capacity: MappedGather.maxHits)
        hitNewlines = .allocate(capacity: MappedGather.maxHits)
        hitStarts = .allocate(capacity: MappedGather.maxHits)
        slots = .allocate(capacity: MappedGather.slots)
        taken = .allocate(capacity: 1)
        taken.initialize(to: 0)
        for i in 0..<MappedGather.slots {
            (slots + i).initialize(to: Slot(space: why403_gather_space(
                hits: hits, newlines_before: hitNewlines, line_starts: hitStarts, max_hits: MappedGather.maxHits,
                out: UnsafeMutablePointer<UInt8>.allocate(capacity: piece), out_capacity: piece,
                offsets: UnsafeMutablePointer<Int>.allocate(capacity: maxLines),
                lengths: UnsafeMutablePointer<Int>.allocate(capacity: maxLines),
                numbers: UnsafeMutablePointer<Int>.allocate(capacity: maxLines), max_lines: maxLines),
                tokens: tokenizer.map { .allocate(capacity: MappedGather.maxTokenized * $0.width) }))
        }
        for _ in 0..<MappedGather.slots { empty.signal() }
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    /// The mapping being gathered: its start in the file, its length, and whether it reaches the end of the file.
    private struct Mapping {
        var pointer: UnsafeMutableRawPointer
        var base: Int64
        var length: Int
        var final: Bool
        /// Bytes from `pointer` already dropped.
        var dropped = 0
        var end: Int64 { base + Int64(length) }
    }

    private func run() {
        defer { finished.signal() }
        var result = why403_gather_result()
        result.skipping = skipping ? 1 : 0
        var mapping: Mapping?
        defer { if let m = mapping { munmap(m.pointer, m.length) } }
        while true {
            empty.wait()
            if stop { return }
            let slot = readSlot
            var failure: Int32 = 0
            var last = false
            slots[slot].lines = 0
            slots[slot].tokenized = 0
            slots[slot].newlines = 0
            // A file that grew since: read on to its new end (as read(2) would).
            if offset >= size {
                var st = stat()
                if fstat(fd, &st) == 0 { size = Int64(st.st_size) }
            }
            if offset >= size {
                last = true
            } else {
                // A new mapping when the piece from `offset` would run past this one's end (unless it
                // ends the file).
                let reuse = mapping.map { m in offset < m.end && (m.final || m.end - offset >= Int64(MappedGather.piece)) } ?? false
                if !reuse {
                    if let m = mapping { munmap(m.pointer, m.length); mapping = nil }
                    let base = offset & ~Int64(MappedGather.alignment - 1)
                    // The rest of the file (up to `maxMapping`) in one mapping, from a block boundary: a block the mapping
                    // covers only in part cannot be mapped as one large folio, and every unmapping costs the other core
                    // a TLB flush.
                    var length = Int(min(size - base, MappedGather.maxMapping))
                    var mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(base))
                    if mapped == MAP_FAILED, length > MappedGather.smallMapping {
                        // An address-space limit (`ulimit -v`) can refuse a mapping of the whole file: a few blocks at a
                        // time then, as before one mapping covered the file (each serves one piece).
                        length = Int(min(size - base, Int64(MappedGather.smallMapping)))
                        mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(base))
                    }
                    if let p = mapped, p != MAP_FAILED {
                        var final = false
                        if base + Int64(length) >= size {
                            var st = stat()
                            if fstat(fd, &st) == 0, Int64(st.st_size) <= base + Int64(length) { final = true }
                        }
                        mapping = Mapping(pointer: p, base: base, length: length, final: final)
                    } else {
                        failure = errno
                    }
                }
                if var m = mapping {
                    let from = Int(offset - m.base)
                    let to = min(m.length, from + MappedGather.piece)
                    let final: Int32 = m.final && to == m.length ? 1 : 0
                    let rc = needle.withUnsafeBufferPointer { nb in
                        why403_gather_lines(0, m.pointer.assumingMemoryBound(to: UInt8.self) + from, to - from, final,
                                            nb.baseAddress, nb.count, maxLine, &slots[slot].space, &result)
                    }
                    if rc == 0 {
                        slots[slot].lines = result.lines
                        if let tokenizer, let tokens = slots[slot].tokens {
                            slots[slot].tokenized = tokenize(slot, tokenizer, tokens, lines: result.lines)
                        }
                        slots[slot].newlines = result.newlines
                        offset += Int64(result.consumed)
                        if final == 1 && offset >= m.end { last = true }
                        // Drop the blocks wholly before `offset`: the scan never comes back to them (whole blocks: a
                        // drop inside one splits its large mapping).
                        let drop = Int(offset - m.base) & ~(MappedGather.alignment - 1)
                        if drop > m.dropped {
                            madvise(m.pointer + m.dropped, drop - m.dropped, MADV_DONTNEED)
                            m.dropped = drop
                            mapping = m
                        }
                    } else if result.faulted != 0 {
                        last = true  // truncated under the mapping: the file ends here
                    } else {
                        failure = EOVERFLOW
                    }
                }
            }
            slots[slot].end = offset
            slots[slot].failure = failure
            slots[slot].last = last || failure != 0
            readSlot = (slot + 1) % MappedGather.slots
            filled += 1
            full.signal()
            if last || failure != 0 { return }
        }
    }

    /// Runs the tokenizer on the slot's first lines while a window handed out earlier still waits for
    /// the scan thread (checked every 32 lines); returns how many it ran on.
    private func tokenize(_ slot: Int, _ tokenizer: LineTokenizer, _ tokens: UnsafeMutablePointer<Int32>, lines: Int) -> Int {
        let space = slots[slot].space
        let n = min(lines, MappedGather.maxTokenized)
        var j = 0
        while j < n {
            if j & 31 == 0, filled - why403_counter_load(taken) <= 0 { break }
            tokenizer.run(ByteLine(space.out + space.offsets[j], space.lengths[j]), tokens + j * tokenizer.width)
            j += 1
        }
        return j
    }

    /// The next window's lines; `end` is the file offset read to, `last` says no window follows.
    func next() -> (lines: GatheredLines, end: Int64, last: Bool, failure: Int32) {
        full.wait()
        why403_counter_add(taken)
        let s = slots[takeSlot]
        let g = GatheredLines(bytes: UnsafeRawPointer(s.space.out),
                              offsets: UnsafeBufferPointer(start: s.space.offsets, count: s.lines),
                              lengths: UnsafeBufferPointer(start: s.space.lengths, count: s.lines),
                              linesBefore: UnsafeBufferPointer(start: s.space.numbers, count: s.lines),
                              lines: s.newlines, tokens: s.tokens.map { UnsafePointer($0) }, tokenWidth: tokenizer?.width ?? 0,
                              tokenized: s.tokenized)
        return (g, s.end, s.last, s.failure)
    }

    /// Gives the slot from `next()` back to the reader.
    func release() {
        takeSlot = (takeSlot + 1) % MappedGather.slots
        empty.signal()
    }

    /// Stops the reader, waits for it, frees the slots.
    func shutDown() {
        guard !isShutDown else { return }
        isShutDown = true
        stop = true
        empty.signal()
        finished.wait()
        for i in 0..<MappedGather.slots {
            let s = slots[i]
            s.space.out.deallocate()
            s.space.offsets.deallocate()
            s.space.lengths.deallocate()
            s.space.numbers.deallocate()
            s.tokens?.deallocate()
        }
        slots.deinitialize(count: MappedGather.slots)
        slots.deallocate()
        hits.deallocate()
        hitNewlines.deallocate()
        hitStarts.deallocate()
        taken.deallocate()
    }
}
