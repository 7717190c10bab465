#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches over raw memory: libc's `memchr`, `memrchr` and `memmem`, which glibc implements
/// with SIMD. `memrchr` and `memmem` are GNU extensions that Swift's Glibc module does not export,
/// so they are looked up once with `dlsym`; a plain loop stands in where a libc lacks them.
enum ByteSearch {
    typealias MemmemFunction = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?
    typealias MemrchrFunction = @convention(c) (UnsafeRawPointer?, Int32, Int) -> UnsafeMutableRawPointer?

    static let cMemmem: MemmemFunction? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memmem")
        .map { unsafeBitCast($0, to: MemmemFunction.self) }
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

    /// Offset of the first occurrence of `needle` in `base[from..<end]`, or nil.
    @inline(__always)
    static func index(of needle: UnsafeRawBufferPointer, in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        guard from < end, needle.count > 0, end - from >= needle.count else { return nil }
        if let f = cMemmem {
            guard let p = f(base + from, end - from, needle.baseAddress, needle.count) else { return nil }
            return UnsafeRawPointer(p) - base
        }
        let first = needle[0]
        var i = from
        while let j = index(of: first, in: base, from: i, to: end - needle.count + 1) {
            if memcmp(base + j, needle.baseAddress!, needle.count) == 0 { return j }
            i = j + 1
        }
        return nil
    }

    /// How many `\n` bytes `base[from..<end]` holds: eight bytes at a time (SWAR, an exact zero-byte
    /// test on `word ^ 0x0A…`), four words per step.
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

/// A fixed byte string to find fast: two of its bytes (the outermost that are not spaces, rarer in
/// logs than spaces) are tested at eight positions at once with SWAR, and only positions where both
/// match are compared whole. glibc's `memmem` was 30 % of a run on a 1 GiB log; this is the packed-pair
/// idea of ripgrep's `memchr` crate, without SIMD intrinsics (not available from Swift on Linux).
struct Needle: Sendable {
    let bytes: [UInt8]
    let a: Int
    let b: Int
    let repA: UInt64
    let repB: UInt64

    /// A searcher for `bytes` (at least one byte).
    init(_ bytes: [UInt8]) {
        precondition(!bytes.isEmpty)
        self.bytes = bytes
        a = bytes.firstIndex(where: { $0 != 0x20 }) ?? 0
        b = bytes.lastIndex(where: { $0 != 0x20 }) ?? bytes.count - 1
        repA = UInt64(bytes[a]) &* 0x0101_0101_0101_0101
        repB = UInt64(bytes[b]) &* 0x0101_0101_0101_0101
    }

    /// Offset of the first occurrence in `base[from..<end]`, or nil.
    @inline(__always)
    func find(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        let m = bytes.count
        guard end - from >= m else { return nil }
        return bytes.withUnsafeBytes { nb -> Int? in
            var i = from
            let maxB = Swift.max(a, b)
            let va = SIMD16<UInt8>(repeating: bytes[a])
            let vb = SIMD16<UInt8>(repeating: bytes[b])
            while i + maxB + 16 <= end {
                let x = base.loadUnaligned(fromByteOffset: i + a, as: SIMD16<UInt8>.self)
                let y = base.loadUnaligned(fromByteOffset: i + b, as: SIMD16<UInt8>.self)
                let hit = (x .== va) .& (y .== vb)
                if any(hit) {
                    for k in 0..<16 where hit[k] {
                        let s = i + k
                        if s + m <= end && memcmp(base + s, nb.baseAddress!, m) == 0 { return s }
                    }
                }
                i &+= 16
            }
            while i + m <= end {
                if memcmp(base + i, nb.baseAddress!, m) == 0 { return i }
                i &+= 1
            }
            return nil
        }
    }
}
