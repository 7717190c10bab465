import Foundation

/// Receives blocks of whole lines from a `LineBuffer`.
protocol LineBlockSink {
    /// `base[0..<count]` holds whole lines; the last byte is always `\n`.
    mutating func block(_ base: UnsafeRawPointer, _ count: Int)
    /// A line longer than the limit was skipped without being held in memory.
    mutating func overlongLine()
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

    /// Copies `bytes` in, draining whole lines as the buffer fills.
    func append<S: LineBlockSink>(_ bytes: UnsafeRawBufferPointer, to sink: inout S) {
        var offset = 0
        while offset < bytes.count {
            let space = writableSpace(minimum: min(bytes.count - offset, 1 << 20))
            let n = min(space.count, bytes.count - offset)
            space.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            didWrite(n)
            offset += n
            drain(final: false, to: &sink)
        }
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
