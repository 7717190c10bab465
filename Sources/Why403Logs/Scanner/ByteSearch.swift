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

    /// How many `\n` bytes `base[from..<end]` holds. A plain loop the optimizer vectorizes.
    @inline(__always)
    static func countNewlines(in base: UnsafeRawPointer, from: Int, to end: Int) -> Int {
        guard from < end else { return 0 }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var n = 0
        var i = from
        while i < end {
            n &+= p[i] == 10 ? 1 : 0
            i &+= 1
        }
        return n
    }
}
