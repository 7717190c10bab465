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

    /// First offset of `byte` at or after `from`, or nil.
    func firstIndex(of byte: UInt8, from: Int) -> Int? {
        ByteSearch.index(of: byte, in: UnsafeRawPointer(base), from: from, to: count)
    }

    /// First offset of `needle` at or after `from`, or nil.
    /// Fields are short, so `memchr` on the first byte and a compare beat `memmem`'s set-up.
    func firstIndex(of needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first else { return from }
        var i = from
        while let j = ByteSearch.index(of: first, in: UnsafeRawPointer(base), from: i, to: count) {
            if has(needle, at: j) { return j }
            i = j + 1
        }
        return nil
    }

    /// Whether the bytes at `offset` equal `literal`.
    func has(_ literal: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset + literal.count <= count else { return false }
        for (i, b) in literal.enumerated() where base[offset + i] != b { return false }
        return true
    }

    /// Whether the line holds a NUL or other control bytes a text log never has (binary junk).
    var looksBinary: Bool {
        for i in 0..<count {
            let b = base[i]
            if b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B) || b == 0x7F { return true }
        }
        return false
    }

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
