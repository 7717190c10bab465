import CWhy403Scan

/// One log line as raw bytes (no `String` is made unless a field is needed).
///
/// INVARIANT: `base[0..<count]` stays valid while the line is being parsed; nothing keeps it after.
struct ByteLine {
    let base: UnsafePointer<UInt8>
    let count: Int

    init(_ base: UnsafeRawPointer, _ count: Int) {
        self.base = base.assumingMemoryBound(to: UInt8.self)
        self.count = count
    }

    @inline(__always) subscript(i: Int) -> UInt8 { base[i] }

    /// The bytes `from..<to` as a `String` (invalid UTF-8 repaired).
    func string(_ from: Int, _ to: Int) -> String {
        guard from < to else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + from, count: to - from), as: UTF8.self)
    }

    var text: String { string(0, count) }

    /// The bytes before the first `?` or `#` (a URI's path: `String.pathOnly` over bytes; invalid UTF-8 repaired
    /// afterwards reads the same, as no ASCII byte is ever part of a repaired sequence).
    var pathOnly: ByteLine {
        for i in 0..<count where base[i] == 0x3F || base[i] == 0x23 { return ByteLine(base, i) }
        return self
    }

    /// First offset of `byte` at or after `from`, or nil.
    func firstIndex(of byte: UInt8, from: Int) -> Int? {
        ByteSearch.index(of: byte, in: UnsafeRawPointer(base), from: from, to: count)
    }

    /// First offset of `needle` at or after `from`, or nil.
    /// Fields are short, so a search for the first byte (eight bytes a step, `index(of:or:)`: the fields
    /// between a format's literals are a few to a hundred bytes, where `memchr`'s call cost more) and a
    /// compare beat `memmem`'s set-up.
    func firstIndex(of needle: [UInt8], from: Int) -> Int? {
        needle.withUnsafeBufferPointer { n in n.isEmpty ? from : firstIndex(of: n.baseAddress!, count: n.count, from: from) }
    }

    /// First offset of the `count` bytes at `needle` (at least one) at or after `from`, or nil.
    func firstIndex(of needle: UnsafePointer<UInt8>, count n: Int, from: Int) -> Int? {
        let last = count - n  // the last offset the needle fits at
        var i = from
        while i <= last {
            let j = index(of: needle[0], from: i, to: last + 1)
            if j > last { return nil }
            // The first byte is the one searched for.
            if ByteLine.equal(base + j + 1, needle + 1, n - 1) { return j }
            i = j + 1
        }
        return nil
    }

    /// The first offset in `from..<to` holding `a` or `b`, else `to`; eight bytes a step. (SWAR: a
    /// zero byte of `word ^ a…` sets its lane's high bit in `(x - 0x01…) & ~x`, and a lane below the
    /// first zero is never set, so the lowest set bit is exactly the first hit. The fields between
    /// delimiters are some ten to a hundred bytes: `memchr`'s call cost more than the search. Wrapping arithmetic: offsets
    /// are within a line, far from overflow, and the checked forms added an overflow branch to every step.)
    @inline(__always) func index(of a: UInt8, or b: UInt8, from: Int, to: Int) -> Int {
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let ma = ones &* UInt64(a), mb = ones &* UInt64(b)
        var i = from
        while i &+ 8 <= to {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let x = w ^ ma, y = w ^ mb
            let hits = (((x &- ones) & ~x) | ((y &- ones) & ~y)) & 0x8080_8080_8080_8080
            if hits != 0 { return i &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < to, base[i] != a, base[i] != b { i += 1 }
        return i
    }

    /// The first offset in `from..<to` holding `a`, `b` or `c`, else `to` (`index(of:or:)` for three bytes: a request's
    /// path ends at a space, `?` or `#`).
    @inline(__always) func index(of a: UInt8, or b: UInt8, or c: UInt8, from: Int, to: Int) -> Int {
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let ma = ones &* UInt64(a), mb = ones &* UInt64(b), mc = ones &* UInt64(c)
        var i = from
        while i &+ 8 <= to {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let x = w ^ ma, y = w ^ mb, z = w ^ mc
            let hits = (((x &- ones) & ~x) | ((y &- ones) & ~y) | ((z &- ones) & ~z)) & 0x8080_8080_8080_8080
            if hits != 0 { return i &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < to, base[i] != a, base[i] != b, base[i] != c { i += 1 }
        return i
    }

    /// The first offset in `from..<to` holding `a`, else `to` (`index(of:or:)` for one byte).
    @inline(__always) func index(of a: UInt8, from: Int, to: Int) -> Int {
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let ma = ones &* UInt64(a)
        var i = from
        while i &+ 8 <= to {
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ ma
            let hits = (x &- ones) & ~x & 0x8080_8080_8080_8080
            if hits != 0 { return i &+ hits.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < to, base[i] != a { i += 1 }
        return i
    }

    /// Whether `a[0..<count]` and `b[0..<count]` hold the same bytes (a format's literals: a few bytes).
    @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i < count { if a[i] != b[i] { return false }; i += 1 }
        return true
    }

    /// Empty, or only spaces and tabs.
    var isBlank: Bool {
        for i in 0..<count where base[i] != 32 && base[i] != 9 { return false }
        return true
    }

    /// Whether the bytes at `offset` equal `literal`.
    func has(_ literal: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset + literal.count <= count else { return false }
        for (i, b) in literal.enumerated() where base[offset + i] != b { return false }
        return true
    }

    /// Whether the line holds a NUL or other control bytes a text log never has (binary junk): the C
    /// kernel's 16-byte check (`why403_has_binary_bytes`; an eight-byte SWAR loop here was a twentieth of
    /// a refused line's parse).
    var looksBinary: Bool { why403_has_binary_bytes(base, count) != 0 }

    /// Parses an unsigned decimal integer in `from..<to`; nil if empty or not all digits.
    func integer(_ from: Int, _ to: Int) -> Int? {
        guard from < to, to - from <= 18 else { return nil }
        var v = 0
        for i in from..<to {
            let d = Int(base[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return v
    }
}

extension Array where Element == UInt8 {
    /// The UTF-8 bytes of `s`.
    init(utf8 s: String) { self = Array(s.utf8) }
}

extension ByteLine {
    /// The line after a run of NUL bytes that starts it, and the run's length, when what follows is readable text (what a
    /// crash leaves of unflushed blocks, the log going on after them with no newline); nil otherwise (no run, or a line
    /// that is binary anyway and malformed as a whole).
    func afterNULPadding() -> (line: ByteLine, padding: Int)? {
        guard count > 0, self[0] == 0 else { return nil }
        var n = 0
        while n < count, self[n] == 0 { n += 1 }
        let rest = ByteLine(base + n, count - n)
        return rest.count > 0 && !rest.looksBinary ? (rest, n) : nil
    }
}
