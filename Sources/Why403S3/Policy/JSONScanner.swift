import Why403Core

/// A JSON value together with the line and column where it starts in its file.
///
/// Hand-written instead of Foundation's `JSONSerialization`/`JSONDecoder`: those do not report where a
/// value sits, and a policy verdict must cite `file:line` of the statement that decides. No package on
/// this machine's list parses JSON with positions either. The scanner is small, bounded (depth, size)
/// and fuzzed by `PolicyFuzzTests`.
public struct JSONNode: Sendable {
    /// The kinds of JSON value; objects keep their members in file order.
    public enum Kind: Sendable {
        case object([Member])
        case array([JSONNode])
        case string(String)
        case number(String)
        case bool(Bool)
        case null
    }

    /// One `"key": value` pair of an object.
    public struct Member: Sendable {
        /// The key, unescaped.
        public var key: String
        /// The line of the key.
        public var line: Int
        /// The value.
        public var value: JSONNode
    }

    /// What the value is.
    public var kind: Kind
    /// 1-based line of the first character of the value.
    public var line: Int
    /// 1-based column of the first character of the value.
    public var column: Int

    /// A short name of the kind, for "expected …, found …" messages.
    public var kindName: String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string(let s): "the string \(InputError.quote(s, limit: 40))"
        case .number(let n): "the number \(n)"
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }

    /// The members when this is an object.
    public var members: [Member]? { if case .object(let m) = kind { return m }; return nil }
}

/// Parses JSON text (RFC 8259) into `JSONNode`s that know their line.
public struct JSONScanner {
    /// Deeper nesting is refused: no policy needs it, and it keeps recursion bounded.
    public static let maxDepth = 64

    let bytes: [UInt8]
    let file: String
    var pos = 0
    var line = 1
    var lineStart = 0
    /// The JSON path of the value being read (`$.Statement[0].Condition`), for error messages.
    var path: [String] = []

    /// Parses `bytes`; errors name `file`, the line and column, and what was expected.
    public static func parse(_ bytes: [UInt8], file: String) throws -> JSONNode {
        var s = JSONScanner(bytes: bytes, file: file)
        // A UTF-8 byte order mark is tolerated.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { s.pos = 3; s.lineStart = 3 }
        s.skipSpace()
        if s.pos >= bytes.count {
            throw InputError(file: file, line: 1, expected: "a JSON policy document", found: "an empty file")
        }
        let v = try s.value(depth: 0)
        s.skipSpace()
        if s.pos < bytes.count {
            throw s.error(expected: "the end of the document", found: s.describeHere())
        }
        return v
    }

    var column: Int { pos - lineStart + 1 }

    /// `.Key`, or `["odd key"]` when the key is not a plain word.
    static func pathComponent(_ key: String) -> String {
        // Plain ASCII checks: Unicode property lookups cost more than the rest of the parse.
        let plain = !key.isEmpty && key.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":") || b == UInt8(ascii: "/")
        }
        return plain ? "." + key : "[" + InputError.quote(key, limit: 40) + "]"
    }

    func error(expected: String, found: String) -> InputError {
        InputError(file: file, line: line, column: column, expected: "\(expected) at $\(path.joined())", found: found)
    }

    func describeHere() -> String {
        guard pos < bytes.count else { return "the end of the file" }
        let b = bytes[pos]
        if b >= 0x20 && b < 0x7F { return InputError.quote(String(UnicodeScalar(b))) }
        return "byte 0x" + String(b, radix: 16)
    }

    mutating func skipSpace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0D: pos += 1
            case 0x0A: pos += 1; line += 1; lineStart = pos
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws -> JSONNode {
        guard depth < JSONScanner.maxDepth else {
            throw error(expected: "at most \(JSONScanner.maxDepth) levels of nesting", found: "deeper nesting")
        }
        skipSpace()
        let l = line, c = column
        guard pos < bytes.count else { throw error(expected: "a JSON value", found: "the end of the file") }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var members: [JSONNode.Member] = []
            skipSpace()
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { pos += 1; return JSONNode(kind: .object([]), line: l, column: c) }
            while true {
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                    throw error(expected: "a quoted object key", found: describeHere())
                }
                let keyLine = line
                let key = try string()
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                    throw error(expected: "':' after the key \(InputError.quote(key, limit: 40))", found: describeHere())
                }
                pos += 1
                path.append(JSONScanner.pathComponent(key))
                let v = try value(depth: depth + 1)
                path.removeLast()
                members.append(JSONNode.Member(key: key, line: keyLine, value: v))
                skipSpace()
                guard pos < bytes.count else { throw error(expected: "',' or '}'", found: "the end of the file") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
                throw error(expected: "',' or '}'", found: describeHere())
            }
            return JSONNode(kind: .object(members), line: l, column: c)
        case UInt8(ascii: "["):
            pos += 1
            var items: [JSONNode] = []
            skipSpace()
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { pos += 1; return JSONNode(kind: .array([]), line: l, column: c) }
            while true {
                path.append("[\(items.count)]")
                items.append(try value(depth: depth + 1))
                path.removeLast()
                skipSpace()
                guard pos < bytes.count else { throw error(expected: "',' or ']'", found: "the end of the file") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
                throw error(expected: "',' or ']'", found: describeHere())
            }
            return JSONNode(kind: .array(items), line: l, column: c)
        case UInt8(ascii: "\""):
            return JSONNode(kind: .string(try string()), line: l, column: c)
        case UInt8(ascii: "t"):
            try literal("true"); return JSONNode(kind: .bool(true), line: l, column: c)
        case UInt8(ascii: "f"):
            try literal("false"); return JSONNode(kind: .bool(false), line: l, column: c)
        case UInt8(ascii: "n"):
            try literal("null"); return JSONNode(kind: .null, line: l, column: c)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(kind: .number(try number()), line: l, column: c)
        default:
            throw error(expected: "a JSON value", found: describeHere())
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
            throw error(expected: "a JSON value", found: describeHere())
        }
        pos += w.count
    }

    mutating func number() throws -> String {
        let start = pos
        func digits() -> Int { let s = pos; while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }; return pos - s }
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "0") { pos += 1 }
        else if digits() == 0 { throw error(expected: "a digit", found: describeHere()) }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            if digits() == 0 { throw error(expected: "a digit after '.'", found: describeHere()) }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            if digits() == 0 { throw error(expected: "a digit in the exponent", found: describeHere()) }
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error(expected: "4 hex digits after \\u", found: "the end of the file") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error(expected: "a hex digit after \\u", found: describeHere())
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    mutating func string() throws -> String {
        pos += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw error(expected: "a closing '\"'", found: "the end of the file") }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; break }
            if b < 0x20 {
                throw error(expected: "a closing '\"' (control characters must be escaped)", found: b == 0x0A ? "a line break" : "byte 0x" + String(b, radix: 16))
            }
            if b == UInt8(ascii: "\\") {
                pos += 1
                guard pos < bytes.count else { throw error(expected: "an escape character", found: "the end of the file") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00,
                       pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                        pos += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    }
                    let u = UnicodeScalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    pos -= 1
                    throw error(expected: "a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)", found: describeHere())
                }
                continue
            }
            out.append(b)
            pos += 1
        }
        // Invalid UTF-8 is replaced (U+FFFD) rather than refused: policies are ASCII in practice.
        return String(decoding: out, as: UTF8.self)
    }
}
