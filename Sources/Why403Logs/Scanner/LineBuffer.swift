import Foundation

/// Receives blocks of whole lines from a `LineBuffer`.
protocol LineBlockSink {
    /// `base[0..<count]` holds whole lines; the last byte is always `\n`.
    mutating func block(_ base: UnsafeRawPointer, _ count: Int)
    /// A line longer than the limit was skipped without being held in memory.
    mutating func overlongLine()
    /// The needle a read-ahead thread may search each chunk for ahead of the scan, or nil.
    var chunkNeedle: Needle? { get }
    /// The hits of `chunkNeedle` in the chunk being appended (nil: none precomputed).
    mutating func setChunkHits(_ hits: ChunkHits?)
    /// True once the sink wants nothing but the lines holding `chunkNeedle` (and the count of the
    /// others): the reader may then hand it `gathered` windows instead of blocks.
    var wantsOnlyNeedleLines: Bool { get }
    /// The lines holding the needle of one window that starts at a line start; the window's other
    /// lines are only counted.
    mutating func gathered(_ lines: GatheredLines)
    /// Work on each gathered line the read-ahead thread may do for the sink (nil: none). A new tokenizer on every
    /// access: a tokenizer may keep state (`TimeMemo`) for the one thread that runs it.
    var lineTokenizer: LineTokenizer? { get }
}

/// A pure first pass over a candidate line that the read-ahead thread runs while the scan thread
/// parses earlier windows (the Cloudflare reader's check of the JSON and where its members sit; an
/// access line's match against its format, `AccessTokens`): it writes `width` numbers per line, which
/// the scan reads instead of passing over the line again.
struct LineTokenizer: Sendable {
    let width: Int
    let run: @Sendable (ByteLine, UnsafeMutablePointer<Int32>) -> Void
}

extension LineBlockSink {
    var chunkNeedle: Needle? { nil }
    mutating func setChunkHits(_ hits: ChunkHits?) {}
    var wantsOnlyNeedleLines: Bool { false }
    mutating func gathered(_ lines: GatheredLines) {}
    var lineTokenizer: LineTokenizer? { nil }
}

/// One needle's hits in one read chunk, found by the read-ahead thread while the previous chunk was
/// scanned: so the scan thread only visits candidate lines (the search and the line count of the
/// whole buffer run on the second core).
struct ChunkHits {
    /// The chunk.
    var base: UnsafeRawPointer
    var count: Int
    /// Offsets of the needle (every occurrence, in order).
    var hits: UnsafeBufferPointer<Int>
    /// Newlines in `chunk[0..<hits[k]]`.
    var newlinesBefore: UnsafeBufferPointer<Int>
    /// Where the line holding `hits[k]` starts (after the last newline before it; 0 if none).
    var lineStarts: UnsafeBufferPointer<Int>
    /// Newlines in the whole chunk.
    var newlines: Int
    /// Offset after the chunk's last newline (0 if none).
    var linesEnd: Int
}

/// Turns byte chunks of any size into blocks of whole lines, holding at most one partial line
/// between chunks (lines longer than `maxLineLength` are dropped as they stream by), so memory stays
/// bounded. Callers read straight into `writableSpace` (no copy) or `append` a chunk.
///
/// INVARIANT: the output is the same whatever the chunk sizes: a line is either passed whole in a
/// block, or, when longer than the limit, reported once through `overlongLine`; a block sink treats a
/// longer line inside a block exactly as `overlongLine`.
final class LineBuffer {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var count = 0
    private var skipping = false
    let maxLineLength: Int

    init(capacity: Int = 1 << 20, maxLineLength: Int = 64 * 1024) {
        self.capacity = max(capacity, 2 * maxLineLength + 2)
        self.maxLineLength = maxLineLength
        storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Space after the held bytes, at least `minimum` bytes long.
    func writableSpace(minimum: Int) -> UnsafeMutableRawBufferPointer {
        if capacity - count < minimum + 1 {
            let newCapacity = count + minimum + 1
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            bigger.copyMemory(from: storage, byteCount: count)
            storage.deallocate()
            storage = bigger
            capacity = newCapacity
        }
        // one byte stays spare for the final newline
        return UnsafeMutableRawBufferPointer(start: storage + count, count: capacity - count - 1)
    }

    /// Marks `n` bytes of the writable space as written.
    func didWrite(_ n: Int) { count += n }

    /// Passes the whole lines of `bytes` to `sink` where they lie; only a line cut by the chunk's end
    /// is copied (and held until its end arrives).
    func append<S: LineBlockSink>(_ bytes: UnsafeRawBufferPointer, to sink: inout S) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let n = bytes.count
        var pos = 0
        if skipping || count > 0 {
            guard let nl = ByteSearch.index(of: 10, in: base, from: 0, to: n) else {
                // No line end: the held line only grows.
                if skipping { return }
                if count + n > maxLineLength { skipping = true; count = 0; return }
                hold(base, n)
                return
            }
            if skipping {
                skipping = false
                sink.overlongLine()
            } else if count + nl > maxLineLength {
                count = 0
                sink.overlongLine()
            } else {
                hold(base, nl + 1)
                sink.block(storage, count)
                count = 0
            }
            pos = nl + 1
        }
        if let last = ByteSearch.lastIndex(of: 10, in: base, from: pos, to: n) {
            sink.block(base + pos, last + 1 - pos)
            pos = last + 1
        }
        let rest = n - pos
        if rest > maxLineLength { skipping = true } else if rest > 0 { hold(base + pos, rest) }
    }

    /// The partial line held: its length, or that an overlong one is being skipped.
    var held: (count: Int, skipping: Bool) { (count, skipping) }

    /// Drops the partial line held: the caller reads on from the file offset where it starts.
    func dropHeld() {
        count = 0
        skipping = false
    }

    private func hold(_ bytes: UnsafeRawPointer, _ n: Int) {
        let space = writableSpace(minimum: n)
        space.baseAddress!.copyMemory(from: bytes, byteCount: n)
        didWrite(n)
    }

    /// Passes the whole lines held to `sink`; with `final`, the last line too (a newline is added).
    func drain<S: LineBlockSink>(final: Bool, to sink: inout S) {
        if skipping {
            if let nl = ByteSearch.index(of: 10, in: storage, from: 0, to: count) {
                shift(from: nl + 1)
                skipping = false
                sink.overlongLine()
            } else {
                count = 0
                if final { skipping = false; sink.overlongLine() }
                return
            }
        }
        if let last = ByteSearch.lastIndex(of: 10, in: storage, from: 0, to: count) {
            sink.block(storage, last + 1)
            shift(from: last + 1)
        }
        if final {
            if count > 0 {
                if count > maxLineLength { sink.overlongLine() }
                else {
                    storage.storeBytes(of: 10, toByteOffset: count, as: UInt8.self)
                    sink.block(storage, count + 1)
                }
                count = 0
            }
        } else if count > maxLineLength {
            skipping = true
            count = 0
        }
    }

    private func shift(from offset: Int) {
        let rest = count - offset
        if rest > 0 { storage.copyMemory(from: storage + offset, byteCount: rest) }
        count = rest
    }
}
