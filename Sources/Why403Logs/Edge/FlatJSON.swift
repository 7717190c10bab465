/// The named top-level members of one JSON object (one NDJSON line), read without building the
/// object: strings unescaped, numbers kept as their text, arrays as their items; other members,
/// nested objects included, checked and dropped. A line that is not one valid JSON object (RFC 8259; a comma before `}` or `]` allowed,
/// as Foundation allows it) gives nil.
///
/// Why by hand: Foundation's `JSONSerialization` built an `NSDictionary` of `NSNumber`s for every
/// refused Cloudflare line, two fifths of the scan, and no package in the project's set reads an
/// object's members without decoding them into a model; Cloudflare's Logpush records are flat, so the
/// reader is small. AWS WAF records (nested, one per refusal) still go through Foundation.
struct FlatJSON {
    /// One member's value.
    enum Value: Equatable {
        case string(String)
        /// The number as written (`403`, `1.5e3`).
        case number(String)
        case bool(Bool)
        case null
        case array([Value])
        /// A nested object (its members are not kept).
        case object
    }

    /// The kept members' values, in the order of the names asked for (nil: absent).
    private var values: [Value?]

    /// The value of the member named `keys[k]`.
    subscript(_ k: Int) -> Value? { values[k] }

    /// Nesting deeper than this is refused (a hostile line cannot exhaust the stack). Foundation allows
    /// 512 levels; a Logpush record has two, so a deeper line is malformed here where Foundation read it.
    static let maxDepth = 32

    /// The names of the members a reader keeps, as text and as UTF-8 bytes.
    struct Keys {
        let names: [String]
        let bytes: [[UInt8]]
        init(_ names: [String]) {
            self.names = names
            bytes = names.map { Array($0.utf8) }
        }
    }

    /// Reads `line`, keeping the top-level members named in `keys` (the last of a repeated name, as a
    /// dictionary keeps it): the other members are checked but no `String` is made for them (a Logpush
    /// record carries many fields the reader never asks for). Nil unless `line` is exactly one JSON
    /// object (surrounding whitespace allowed).
    init?(_ line: Substring, keys: Keys) {
        var s = line
        let parsed: [Value?]? = s.withUTF8 { b in
            var r = Reader(b: b, keys: keys)
            r.skipSpace()
            guard r.object(depth: 0, top: true) else { return nil }
            r.skipSpace()
            return r.i == b.count ? r.kept : nil
        }
        guard let parsed else { return nil }
        values = parsed
    }

    /// The value as text: a string, or a number as written, a boolean as `1`/`0` (as Foundation's
    /// `NSNumber.stringValue` gave them for integers and booleans).
    static func text(_ v: Value?) -> String? {
        switch v {
        case .string(let s)?: return s
        case .number(let n)?:
            if Int64(n) != nil { return n }
            guard let d = Double(n) else { return n }
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case .bool(let b)?: return b ? "1" : "0"
        default: return nil
        }
    }

    /// The value as an integer: a number (truncated; nil beyond Int64), or a string of digits.
    static func integer(_ v: Value?) -> Int64? {
        switch v {
        case .number(let n)?:
            if let i = Int64(n) { return i }
            guard let d = Double(n), d.isFinite, d >= -9.2e18, d <= 9.2e18 else { return nil }
            return Int64(d)
        case .string(let s)?: return Int64(s)
        case .bool(let b)?: return b ? 1 : 0
        default: return nil
        }
    }

    /// A cursor over the bytes of one line.
    private struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        let keys: Keys
        var i = 0
        /// The top-level members named in `keys`, by their index there.
        var kept: [Value?]

        init(b: UnsafeBufferPointer<UInt8>, keys: Keys) {
            self.b = b
            self.keys = keys
            kept = [Value?](repeating: nil, count: keys.names.count)
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
        }

        /// An object at `i` (which holds `{`); at the top level, the members named in `keys` go to
        /// `kept`. False when it is not valid.
        mutating func object(depth: Int, top: Bool) -> Bool {
            guard depth < FlatJSON.maxDepth, i < b.count, b[i] == 123 else { return false }
            i += 1
            skipSpace()
            if i < b.count, b[i] == 125 { i += 1; return true }
            var first = true
            while true {
                skipSpace()
                // A comma before the closing brace, which Foundation's reader lets pass too.
                if !first, i < b.count, b[i] == 125 { i += 1; return true }
                first = false
                guard i < b.count, b[i] == 34 else { return false }
                let k: Int
                if top {
                    guard let found = keyIndex() else { return false }
                    k = found
                } else {
                    guard string(keep: false) != nil else { return false }
                    k = -1
                }
                skipSpace()
                guard i < b.count, b[i] == 58 else { return false }
                i += 1
                skipSpace()
                guard let v = value(depth: depth, keep: k >= 0) else { return false }
                if k >= 0 { kept[k] = v }
                skipSpace()
                guard i < b.count else { return false }
                if b[i] == 44 { i += 1; continue }
                if b[i] == 125 { i += 1; return true }
                return false
            }
        }

        /// The member name at `i` (which holds `"`): its index in `keys`, -1 for a name not asked for,
        /// nil when it is not a valid string. A plain ASCII name is compared byte for byte, any other
        /// is unescaped and compared as a `String` (canonical equivalence, as a dictionary key).
        mutating func keyIndex() -> Int? {
            let start = i + 1
            var j = start
            while j < b.count, b[j] != 34, b[j] != 92, b[j] >= 0x20, b[j] < 0x80 { j += 1 }
            if j < b.count, b[j] == 34 {
                i = j + 1
                let name = UnsafeBufferPointer(rebasing: b[start..<j])
                return keys.bytes.firstIndex { $0.count == name.count && $0.elementsEqual(name) } ?? -1
            }
            guard case .string(let name)? = string(keep: true) else { return nil }
            return keys.names.firstIndex(of: name) ?? -1
        }

        /// The value at `i`; when not `keep`, it is checked and `.null` stands for it (no `String`).
        mutating func value(depth: Int, keep: Bool) -> Value? {
            guard i < b.count else { return nil }
            switch b[i] {
            case 34: return string(keep: keep)
            case 123: return object(depth: depth + 1, top: false) ? .object : nil
            case 91: return array(depth: depth + 1, keep: keep)
            case 116: return literal("true", .bool(true))
            case 102: return literal("false", .bool(false))
            case 110: return literal("null", .null)
            default: return number(keep: keep)
            }
        }

        mutating func array(depth: Int, keep: Bool) -> Value? {
            guard depth < FlatJSON.maxDepth else { return nil }
            i += 1
            var items: [Value] = []
            skipSpace()
            if i < b.count, b[i] == 93 { i += 1; return .array(items) }
            var first = true
            while true {
                skipSpace()
                if !first, i < b.count, b[i] == 93 { i += 1; return .array(items) }  // `[1,]`, as Foundation
                first = false
                guard let v = value(depth: depth, keep: keep) else { return nil }
                if keep { items.append(v) }
                skipSpace()
                guard i < b.count else { return nil }
                if b[i] == 44 { i += 1; continue }
                if b[i] == 93 { i += 1; return .array(items) }
                return nil
            }
        }

        mutating func literal(_ word: StaticString, _ v: Value) -> Value? {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { return nil }
            for k in 0..<n where b[i + k] != word.utf8Start[k] { return nil }
            i += n
            return v
        }

        /// A number by RFC 8259's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
        mutating func number(keep: Bool) -> Value? {
            let start = i
            if i < b.count, b[i] == 45 { i += 1 }
            guard i < b.count, isDigit(b[i]) else { return nil }
            if b[i] == 48 { i += 1 } else { while i < b.count, isDigit(b[i]) { i += 1 } }
            if i < b.count, b[i] == 46 {
                i += 1
                guard i < b.count, isDigit(b[i]) else { return nil }
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            if i < b.count, b[i] == 101 || b[i] == 69 {
                i += 1
                if i < b.count, b[i] == 43 || b[i] == 45 { i += 1 }
                guard i < b.count, isDigit(b[i]) else { return nil }
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            guard keep else { return .null }
            return .number(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        }

        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

        /// A string at `i` (which holds `"`), unescaped; nil on a control character, a bad escape,
        /// a lone surrogate or no closing quote. When not `keep`, it is only checked (`.null`).
        mutating func string(keep: Bool) -> Value? {
            i += 1
            let start = i
            // The common case: no escape, copied in one piece.
            while i < b.count, b[i] != 34, b[i] != 92 {
                if b[i] < 0x20 { return nil }
                i += 1
            }
            guard i < b.count else { return nil }
            if b[i] == 34 {
                i += 1
                return keep ? .string(String(decoding: UnsafeBufferPointer(rebasing: b[start..<(i - 1)]), as: UTF8.self)) : .null
            }
            var bytes = keep ? Array(b[start..<i]) : []
            while i < b.count {
                let c = b[i]
                if c == 34 { i += 1; return keep ? .string(String(decoding: bytes, as: UTF8.self)) : .null }
                if c < 0x20 { return nil }
                if c != 92 { if keep { bytes.append(c) }; i += 1; continue }
                i += 1
                guard i < b.count else { return nil }
                let e = b[i]
                i += 1
                let unescaped: UInt8
                switch e {
                case 34, 92, 47: unescaped = e
                case 98: unescaped = 8
                case 102: unescaped = 12
                case 110: unescaped = 10
                case 114: unescaped = 13
                case 116: unescaped = 9
                case 117:
                    guard var u = hex4() else { return nil }
                    if u >= 0xD800 && u < 0xDC00 {
                        // A high surrogate needs its low half: `\uD83D\uDE00`.
                        guard i + 1 < b.count, b[i] == 92, b[i + 1] == 117 else { return nil }
                        i += 2
                        guard let low = hex4(), low >= 0xDC00 && low < 0xE000 else { return nil }
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                    } else if u >= 0xDC00 && u < 0xE000 {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(u) else { return nil }
                    if keep { UTF8.encode(scalar) { bytes.append($0) } }
                    continue
                default: return nil
                }
                if keep { bytes.append(unescaped) }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= b.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = b[i + k]
                let d: UInt8
                switch c {
                case 48...57: d = c - 48
                case 97...102: d = c - 87
                case 65...70: d = c - 55
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            i += 4
            return v
        }
    }
}
