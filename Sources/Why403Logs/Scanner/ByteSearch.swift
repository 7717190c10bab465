import CWhy403Scan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches over raw memory: libc's `memchr` and `memrchr`, which glibc implements with SIMD.
/// `memrchr` is a GNU extension that Swift's Glibc module does not export, so it is looked up once
/// with `dlsym`; a plain loop stands in where a libc lacks it. (Needles: `Needle`, below.)
enum ByteSearch {
    typealias MemrchrFunction = @convention(c) (UnsafeRawPointer?, Int32, Int) -> UnsafeMutableRawPointer?

    static let cMemrchr: MemrchrFunction? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memrchr")
        .map { unsafeBitCast($0, to: MemrchrFunction.self) }

    /// Offset of the first `byte` in `base[from..<end]`, or nil.
    @inline(__always)
    static func index(of byte: UInt8, in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        guard from < end, let p = memchr(base + from, Int32(byte), end - from) else { return nil }
        return UnsafeRawPointer(p) - base
    }

    /// Offset of the last `byte` in `base[from..<end]`, or nil.
    @inline(__always)
    static func lastIndex(of byte: UInt8, in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        guard from < end else { return nil }
        if let f = cMemrchr {
            guard let p = f(base + from, Int32(byte), end - from) else { return nil }
            return UnsafeRawPointer(p) - base
        }
        var i = end - 1
        let b = base.assumingMemoryBound(to: UInt8.self)
        while i >= from { if b[i] == byte { return i }; i -= 1 }
        return nil
    }

    /// How many `\n` bytes `base[from..<end]` holds: 16 bytes a step in byte-wide vector counters,
    /// then eight at a time (SWAR, an exact zero-byte test on `word ^ 0x0A…`), then bytewise. (The
    /// read-ahead thread counts whole buffers in the C kernel; this counts the short spans the scan
    /// thread still walks.)
    @inline(__always)
    static func countNewlines(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int {
        guard from < end else { return 0 }
        let nl: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let lo7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func zeros(_ w: UInt64) -> Int {
            let x = w ^ nl
            return (~(((x & lo7) &+ lo7) | x | lo7)).nonzeroBitCount
        }
        var n = 0
        var i = from
        // 16 bytes per step; byte-wide counters, folded every 255 steps before they overflow.
        let nlv = SIMD16<UInt8>(repeating: 10)
        let one = SIMD16<UInt8>(repeating: 1)
        let zero = SIMD16<UInt8>(repeating: 0)
        while i + 16 <= end {
            var acc = zero
            var steps = 0
            while steps < 255 && i + 16 <= end {
                let x = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                acc &+= zero.replacing(with: one, where: x .== nlv)
                i &+= 16
                steps &+= 1
            }
            var wide = SIMD16<UInt16>(truncatingIfNeeded: acc)
            n &+= Int(wide.wrappedSum())
            wide = .zero
        }
        while i + 8 <= end {
            n &+= zeros(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i &+= 8
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        while i < end {
            n &+= p[i] == 10 ? 1 : 0
            i &+= 1
        }
        return n
    }
}

/// A fixed byte string to find fast, with the C kernel of `CWhy403Scan` (the packed-pair search the
/// read-ahead thread runs, here stopping at the first occurrence): one search code for both threads.
struct Needle: Sendable {
    let bytes: [UInt8]

    /// A searcher for `bytes` (at least one byte).
    init(_ bytes: [UInt8]) {
        precondition(!bytes.isEmpty)
        self.bytes = bytes
    }

    /// Offset of the first occurrence in `base[from..<end]`, or nil.
    @inline(__always)
    func find(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        guard end - from >= bytes.count else { return nil }
        var hit = 0, newlinesBefore = 0
        let found = bytes.withUnsafeBufferPointer { nb in
            why403_scan_needle((base + from).assumingMemoryBound(to: UInt8.self), end - from, nb.baseAddress, nb.count,
                               &hit, &newlinesBefore, 1, nil)
        }
        return found == 1 ? from + hit : nil
    }
}
