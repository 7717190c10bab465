import CWhy403Scan
/// The named top-level members of one JSON object (one NDJSON line), read without building the
/// object: a first pass checks the whole line (RFC 8259; a comma before `}` or `]` allowed, as
/// Foundation allows it) and notes only where each asked-for member's value sits; a value becomes a
/// `String` or a number only when the reader asks for it. A line that is not one valid JSON object
/// gives nil.
///
/// Why by hand: Foundation's `JSONSerialization` built an `NSDictionary` of `NSNumber`s for every
/// refused Cloudflare line, two fifths of the scan, and no package in the project's set reads an
/// object's members without decoding them into a model; Cloudflare's Logpush records are flat, so the
/// reader is small. AWS WAF records (nested, one per refusal) still go through Foundation.
///
/// Most lines take a faster road first: `why403_flat_json` (C, `flatjson.c`) reads the common flat form (no escape, no
/// white space, no nesting) in one pass and gives the same spans; it hands any other line, valid or not, back to
/// `Reader`, which knows the whole grammar.
enum FlatJSON {
    /// One member's value, as the reader materialises it on request.
    enum Value {
        case string(String)
        /// The number as written (`403`, `1.5e3`).
        case number(String)
        case bool(Bool)
        case null
        case array([Value])
        /// A nested object (its members are not kept).
        case object
    }

    /// Nesting deeper than this is refused (a hostile line cannot exhaust the stack). Foundation allows
    /// 512 levels; a Logpush record has two, so a deeper line is malformed here where Foundation read it.
    static let maxDepth = 32

    /// The names of the members a reader keeps, as text and as UTF-8 bytes, with a small
    /// open-addressed table that finds a plain ASCII name's index from its bytes in about one compare
    /// (a Logpush line has some twenty members; comparing each with every asked-for name was a tenth
    /// of a Cloudflare scan).
    struct Keys {
        let names: [String]
        /// Every name's UTF-8 bytes, one after another; name `k` is `packed[starts[k]..<starts[k + 1]]`.
        private let packed: [UInt8]
        private let starts: [Int]
        /// Key indices by `slot(of:)` (-1: empty); a power of two at least four times the names.
        private let table: [Int]

        /// The same names and table for `why403_flat_json`.
        let c: CKeys

        init(_ names: [String]) {
            self.names = names
            var packed: [UInt8] = [], starts = [0]
            for n in names { packed += Array(n.utf8); starts.append(packed.count) }
            (self.packed, self.starts) = (packed, starts)
            var size = 16
            while size < names.count * 4 { size *= 2 }
            var table = [Int](repeating: -1, count: size)
            packed.withUnsafeBufferPointer { p in
                for k in names.indices where starts[k + 1] > starts[k] {
                    var s = Keys.slot(of: UnsafeBufferPointer(rebasing: p[starts[k]..<starts[k + 1]]), mask: size - 1)
                    while table[s] >= 0 { s = (s + 1) & (size - 1) }
                    table[s] = k
                }
            }
            self.table = table
            c = CKeys(packed: packed, starts: starts, size: size, emptyKey: names.firstIndex(of: "") ?? -1)
        }

        /// `why403_flat_json` on `b`: true when it read the line (its numbers are in `out`, as `tokenize` writes them).
        @inline(__always)
        func readFlat(_ b: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutablePointer<Int32>) -> Bool {
            why403_flat_json(b.baseAddress, b.count, c.keys, out) == 1
        }

        var count: Int { names.count }

        @inline(__always) static func slot(of name: UnsafeBufferPointer<UInt8>, mask: Int) -> Int {
            let n = name.count
            var h = n &* 0x9E37
            if n > 0 { h = h &+ Int(name[0]) &* 31 &+ Int(name[n - 1]) &* 131 &+ Int(name[n / 2]) &* 7 &+ Int(name[n * 3 / 4]) &* 17 }
            return (h ^ (h >> 7)) & mask
        }

        /// Equal bytes, compared eight at a time (a name is some fifteen bytes; `elementsEqual`
        /// walked them one by one through an iterator).
        @inline(__always) static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            let n = a.count
            guard n == b.count else { return false }
            guard n >= 8, let pa = a.baseAddress.map(UnsafeRawPointer.init), let pb = b.baseAddress.map(UnsafeRawPointer.init) else {
                return a.elementsEqual(b)
            }
            var i = 0
            while i + 8 < n {
                if pa.loadUnaligned(fromByteOffset: i, as: UInt64.self) != pb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            // The last eight bytes (overlapping what was compared when n is not a multiple of eight).
            return pa.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == pb.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }

        /// The index of the plain ASCII name `name`, -1 when it is not asked for.
        func index(of name: UnsafeBufferPointer<UInt8>) -> Int {
            guard name.count > 0 else { return names.firstIndex(of: "") ?? -1 }
            return table.withUnsafeBufferPointer { table in
                packed.withUnsafeBufferPointer { packed in
                    let mask = table.count - 1
                    var s = Keys.slot(of: name, mask: mask)
                    while true {
                        let k = table[s]
                        if k < 0 { return -1 }
                        let (from, to) = (starts[k], starts[k + 1])
                        if to - from == name.count, Keys.same(UnsafeBufferPointer(rebasing: packed[from..<to]), name) { return k }
                        s = (s + 1) & mask
                    }
                }
            }
        }
    }

    /// `Keys` as C reads them: copies of the names' bytes and their starts, and a slot table of C's own hash
    /// (`why403_json_slot`), made once and never written after.
    final class CKeys: @unchecked Sendable {
        let keys: UnsafeMutablePointer<why403_json_keys>
        private let packed: UnsafeMutablePointer<UInt8>
        private let starts: UnsafeMutablePointer<Int32>
        private let table: UnsafeMutablePointer<Int64>

        /// `size`: the table's entries, a power of two above the names' count.
        init(packed p: [UInt8], starts s: [Int], size: Int, emptyKey: Int) {
            packed = .allocate(capacity: max(p.count, 1))
            packed.initialize(from: p, count: p.count)
            starts = .allocate(capacity: s.count)
            starts.initialize(from: s.map { Int32($0) }, count: s.count)
            table = .allocate(capacity: size)
            table.initialize(repeating: -1, count: size)
            let mask = Int64(size - 1)
            for k in 0..<(s.count - 1) where s[k + 1] > s[k] {
                var slot = Int(why403_json_slot(packed + s[k], s[k + 1] - s[k], mask))
                while table[slot] >= 0 { slot = (slot + 1) & (size - 1) }
                table[slot] = Int64(k)
            }
            keys = .allocate(capacity: 1)
            keys.initialize(to: why403_json_keys(packed: packed, starts: starts, table: table, mask: mask,
                                                 count: Int32(s.count - 1), empty_key: Int32(emptyKey),
                                                 serial: why403_json_keys_serial()))
        }

        deinit {
            keys.deallocate()
            packed.deallocate()
            starts.deallocate()
            table.deallocate()
        }
    }

    /// Where a kept member's value sits in the line: `start..<end` (start -1: absent); `plain` for a
    /// string without escapes.
    struct Span {
        var start = -1
        var end = 0
        var plain = false
    }

    /// The kept members of one line; valid only inside the body given to `read`.
    struct Members {
        let b: UnsafeBufferPointer<UInt8>
        let spans: UnsafeMutableBufferPointer<Span>

        /// The member `keys[k]` is present (`null` included).
        func has(_ k: Int) -> Bool { spans[k].start >= 0 }

        /// A member's value, materialised.
        func value(at s: Span) -> Value? {
            guard s.start >= 0 else { return nil }
            var r = Reader(b: b)
            r.i = s.start
            return r.value(depth: 0, keep: true)
        }

        /// A string member.
        func string(_ k: Int) -> String? {
            let s = spans[k]
            guard s.start >= 0, b[s.start] == 34 else { return nil }
            if s.plain { return String(decoding: UnsafeBufferPointer(rebasing: b[(s.start + 1)..<(s.end - 1)]), as: UTF8.self) }
            if case .string(let v)? = value(at: s) { return v }
            return nil
        }

        /// A member's value as the line writes it (nil when absent), valid while the line is.
        func raw(_ k: Int) -> UnsafeBufferPointer<UInt8>? {
            let s = spans[k]
            guard s.start >= 0 else { return nil }
            return UnsafeBufferPointer(rebasing: b[s.start..<s.end])
        }

        /// The bytes of a string member without escapes (nil otherwise), valid while the line is.
        func plainString(_ k: Int) -> ByteLine? {
            let s = spans[k]
            guard s.start >= 0, s.plain, let base = b.baseAddress else { return nil }
            return ByteLine(base + s.start + 1, s.end - s.start - 2)
        }

        /// A string, number or boolean member as text (`FlatJSON.text`).
        func text(_ k: Int) -> String? { text(at: spans[k]) }

        func text(at s: Span) -> String? {
            guard s.start >= 0 else { return nil }
            if s.plain { return String(decoding: UnsafeBufferPointer(rebasing: b[(s.start + 1)..<(s.end - 1)]), as: UTF8.self) }
            // An integer as written is its text (`FlatJSON.text` keeps what Int64 reads).
            if simpleInteger(s) != nil { return String(decoding: UnsafeBufferPointer(rebasing: b[s.start..<s.end]), as: UTF8.self) }
            return FlatJSON.text(value(at: s))
        }

        /// A member as an integer (`FlatJSON.integer`).
        func integer(_ k: Int) -> Int64? {
            let s = spans[k]
            guard s.start >= 0 else { return nil }
            if let n = simpleInteger(s) { return n }
            return FlatJSON.integer(value(at: s))
        }

        /// The first item of an array member, as text.
        func first(_ k: Int) -> String? {
            let s = spans[k]
            guard s.start >= 0, b[s.start] == 91 else { return nil }
            var r = Reader(b: b)
            r.i = s.start + 1
            r.skipSpace()
            guard r.i < s.end, b[r.i] != 93 else { return nil }
            let start = r.i
            guard r.value(depth: 1, keep: false) != nil else { return nil }
            return text(at: Span(start: start, end: r.i, plain: r.plain))
        }

        /// `-?[0-9]{1,18}` (no leading zero but `0`) read straight from the bytes; nil for any
        /// other value, which then goes the long way.
        private func simpleInteger(_ s: Span) -> Int64? {
            var i = s.start
            let negative = b[i] == 45
            if negative { i += 1 }
            let digits = s.end - i
            guard digits >= 1, digits <= 18, b[i] >= 48, b[i] <= 57, b[i] != 48 || digits == 1 else { return nil }
            var n: Int64 = 0
            while i < s.end {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                n = n &* 10 &+ Int64(c &- 48)
                i += 1
            }
            return negative ? -n : n
        }
    }

    /// Reads the line `b`, noting where the top-level members named in `keys` sit (the last of a
    /// repeated name, as a dictionary keeps it), and hands them to `body`; nil unless the line is
    /// exactly one JSON object (surrounding whitespace allowed). No `String` is made for any member
    /// `body` does not ask for. With `tokens` (what `tokenize` wrote for this line, on the read-ahead
    /// thread), the line is not passed over again.
    static func read<R>(_ b: UnsafeBufferPointer<UInt8>, keys: Keys, tokens: UnsafePointer<Int32>? = nil,
                        _ body: (Members) -> R) -> R? {
        withUnsafeTemporaryAllocation(of: Span.self, capacity: max(keys.count, 1)) { spans -> R? in
            if let tokens {
                guard tokens[0] == 1 else { return nil }
                for k in 0..<keys.count {
                    let end = Int(tokens[2 + 2 * k])
                    spans[k] = Span(start: Int(tokens[1 + 2 * k]), end: end & notPlain.mask, plain: end & notPlain.bit == 0)
                }
            } else {
                guard FlatJSON.spans(b, keys: keys, into: spans) else { return nil }
            }
            return body(Members(b: b, spans: spans))
        }
    }

    /// The numbers `tokenize` writes per line: valid or not, then each key's start and end.
    static func tokenWidth(_ keys: Keys) -> Int { 1 + 2 * keys.count }

    /// An end's bit that says the string has escapes (a line is far shorter than 2^30 bytes: the
    /// reader gathers lines below a quarter of its 2 MiB piece).
    private static let notPlain = (bit: 1 << 30, mask: (1 << 30) - 1)

    /// `read`'s pass over the line, as numbers (`tokenWidth` of them) for `read(tokens:)`.
    /// True when `why403_flat_json` read the line, which then holds no control character or DEL (`ByteLine.looksBinary`
    /// is false). (`fast: false` skips `why403_flat_json`: the tests compare the two.)
    @discardableResult
    static func tokenize(_ b: UnsafeBufferPointer<UInt8>, keys: Keys, into out: UnsafeMutablePointer<Int32>, fast: Bool = true) -> Bool {
        guard b.count < notPlain.bit else { out[0] = 0; return false }
        if fast, keys.readFlat(b, out) { return true }
        withUnsafeTemporaryAllocation(of: Span.self, capacity: max(keys.count, 1)) { spans in
            guard FlatJSON.spans(b, keys: keys, into: spans, fast: fast) else { out[0] = 0; return }
            out[0] = 1
            for k in 0..<keys.count {
                out[1 + 2 * k] = Int32(spans[k].start)
                out[2 + 2 * k] = Int32(spans[k].end | (spans[k].plain ? 0 : notPlain.bit))
            }
        }
        return false
    }

    /// The pass itself: checks the line and fills `spans` (one per key).
    private static func spans(_ b: UnsafeBufferPointer<UInt8>, keys: Keys, into spans: UnsafeMutableBufferPointer<Span>,
                              fast: Bool = true) -> Bool {
        let flat = fast && withUnsafeTemporaryAllocation(of: Int32.self, capacity: tokenWidth(keys)) { t -> Bool in
            guard keys.readFlat(b, t.baseAddress!) else { return false }
            for k in 0..<keys.count {
                let end = Int(t[2 + 2 * k])
                spans[k] = Span(start: Int(t[1 + 2 * k]), end: end & notPlain.mask, plain: end & notPlain.bit == 0)
            }
            return true
        }
        if flat { return true }
        spans.initialize(repeating: Span())
        var r = Reader(b: b)
        r.skipSpace()
        guard r.object(depth: 0, keys: keys, spans: spans) else { return false }
        r.skipSpace()
        return r.i == b.count
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
    fileprivate struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0
        /// The last string checked had no escape.
        var plain = false

        init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

        mutating func skipSpace() {
            while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
        }

        /// An object at `i` (which holds `{`); with `keys` (the top level), where the members named
        /// there sit goes to `spans`. False when it is not valid.
        mutating func object(depth: Int, keys: Keys?, spans: UnsafeMutableBufferPointer<Span>?) -> Bool {
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
                if let keys {
                    guard let found = keyIndex(keys) else { return false }
                    k = found
                } else {
                    guard string(keep: false) != nil else { return false }
                    k = -1
                }
                skipSpace()
                guard i < b.count, b[i] == 58 else { return false }
                i += 1
                skipSpace()
                let start = i
                plain = false
                guard value(depth: depth, keep: false) != nil else { return false }
                if k >= 0, let spans { spans[k] = Span(start: start, end: i, plain: plain && b[start] == 34) }
                skipSpace()
                guard i < b.count else { return false }
                if b[i] == 44 { i += 1; continue }
                if b[i] == 125 { i += 1; return true }
                return false
            }
        }

        /// The member name at `i` (which holds `"`): its index in `keys`, -1 for a name not asked for,
        /// nil when it is not a valid string. A plain ASCII name is looked up by its bytes, any other
        /// is unescaped and compared as a `String` (canonical equivalence, as a dictionary key).
        mutating func keyIndex(_ keys: Keys) -> Int? {
            let start = i + 1
            var j = skipPlain(from: start, ascii: true)
            while j < b.count, b[j] != 34, b[j] != 92, b[j] >= 0x20, b[j] < 0x80 { j += 1 }
            if j < b.count, b[j] == 34 {
                i = j + 1
                return keys.index(of: UnsafeBufferPointer(rebasing: b[start..<j]))
            }
            guard case .string(let name)? = string(keep: true) else { return nil }
            return keys.names.firstIndex(of: name) ?? -1
        }

        /// The value at `i`; when not `keep`, it is checked and `.null` stands for it (no `String`).
        mutating func value(depth: Int, keep: Bool) -> Value? {
            guard i < b.count else { return nil }
            switch b[i] {
            case 34: return string(keep: keep)
            case 123: return object(depth: depth + 1, keys: nil, spans: nil) ? .object : nil
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

        /// The first offset at or after `from` that may end a string's plain run, eight bytes at a
        /// time: no byte before it is `"`, `\` or a control character (nor, when `ascii`, above
        /// 0x7F). The caller finishes byte by byte. (Names and values are some fifteen to a hundred
        /// bytes; a byte at a time, finding their ends was a fifth of a Cloudflare scan.)
        @inline(__always) func skipPlain(from: Int, ascii: Bool) -> Int {
            guard let base = b.baseAddress else { return from }
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            var j = from
            while j + 8 <= b.count {
                let x = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                let quote = x ^ (ones &* 0x22), slash = x ^ (ones &* 0x5C)
                // A byte is zero in `quote`/`slash`, or below 0x20 in `x`: the borrow sets its high
                // bit (a false mark can only follow a true one, so "any mark" is exact).
                var marks = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((x &- ones &* 0x20) & ~x)
                if ascii { marks |= x }
                if marks & highs != 0 { return j }
                j += 8
            }
            return j
        }

        /// A string at `i` (which holds `"`), unescaped; nil on a control character, a bad escape,
        /// a lone surrogate or no closing quote. When not `keep`, it is only checked (`.null`), and
        /// `plain` tells whether it held no escape.
        mutating func string(keep: Bool) -> Value? {
            i += 1
            let start = i
            // The common case: no escape, copied in one piece.
            i = skipPlain(from: i, ascii: false)
            while i < b.count, b[i] != 34, b[i] != 92 {
                if b[i] < 0x20 { return nil }
                i += 1
            }
            guard i < b.count else { return nil }
            if b[i] == 34 {
                i += 1
                plain = true
                return keep ? .string(String(decoding: UnsafeBufferPointer(rebasing: b[start..<(i - 1)]), as: UTF8.self)) : .null
            }
            plain = false
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
