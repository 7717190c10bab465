import Why403Core

/// A JSON value with where it starts in its file and its JSON path (`$.WebACL.Rules[2].Statement`).
///
/// Hand-written instead of Foundation's `JSONSerialization`/`JSONDecoder`: those report neither the
/// line of a value nor its path, and every rule of a web ACL must say where it came from. Bounded in
/// depth (AWS WAF nests statements at most a few levels; 64 is far above any real export) and fuzzed
/// (`Fuzz/aws-waf`).
public struct WAFJSON: Sendable {
    /// The kinds of JSON value; objects keep their members in file order.
    public enum Kind: Sendable {
        /// `{...}`: members in file order.
        case object([(key: String, value: WAFJSON)])
        /// `[...]`.
        case array([WAFJSON])
        /// A string, unescaped.
        case string(String)
        /// A number, as written.
        case number(String)
        /// `true` / `false`.
        case bool(Bool)
        /// `null`.
        case null
    }

    /// What the value is.
    public var kind: Kind
    /// The JSON path of the value in its file, `$` for the root.
    public var path: String
    /// 1-based line of the value's first character.
    public var line: Int
    /// 1-based column of the value's first character.
    public var column: Int

    /// The member `key` of an object (nil when absent or not an object).
    public subscript(key: String) -> WAFJSON? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The keys of an object, in file order (empty for anything else).
    public var keys: [String] {
        guard case .object(let members) = kind else { return [] }
        return members.map(\.key)
    }

    /// The string, when this is one.
    public var string: String? { if case .string(let s) = kind { return s }; return nil }

    /// The integer, when this is a number without fraction.
    public var int: Int? { if case .number(let n) = kind { return Int(n) }; return nil }

    /// The elements, when this is an array.
    public var array: [WAFJSON]? { if case .array(let a) = kind { return a }; return nil }

    /// A short name of the kind, for "expected …, found …" messages.
    public var kindName: String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value written back as compact JSON (members in file order), for patches.
    public var serialized: String {
        switch kind {
        case .object(let members):
            return "{" + members.map { WAFJSON.quote($0.key) + ":" + $0.value.serialized }.joined(separator: ",") + "}"
        case .array(let items): return "[" + items.map(\.serialized).joined(separator: ",") + "]"
        case .string(let s): return WAFJSON.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// A JSON string literal for `s`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// The path of member `key` under `path`.
    static func member(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        return plain ? "\(path).\(key)" : "\(path)[\(quote(key))]"
    }

    /// Parses `bytes` (UTF-8 JSON); a syntax error is an `InputError` at its line and column.
    public static func parse(_ bytes: [UInt8], file: String) throws -> WAFJSON {
        var p = Parser(bytes: bytes, file: file)
        p.skipSpace()
        let v = try p.value(path: "$", depth: 0)
        p.skipSpace()
        if p.i < bytes.count { throw p.error("expected the end of the JSON document", found: p.describeHere()) }
        return v
    }

    struct Parser {
        let bytes: [UInt8]
        let file: String
        var i = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
            // A UTF-8 byte order mark is allowed before the document.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3; lineStart = 3 }
        }

        var column: Int { i - lineStart + 1 }

        func error(_ expected: String, found: String) -> InputError {
            InputError(file: file, line: line, column: column, message: "\(expected), found \(found)",
                       help: "the file must be JSON as 'aws wafv2' prints it")
        }

        func describeHere() -> String {
            guard i < bytes.count else { return "the end of the file" }
            let end = min(bytes.count, i + 12)
            return InputError.quote(String(decoding: bytes[i..<end], as: UTF8.self))
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0D: i += 1
                case 0x0A: i += 1; line += 1; lineStart = i
                default: return
                }
            }
        }

        mutating func value(path: String, depth: Int) throws -> WAFJSON {
            guard depth < 64 else { throw error("expected at most 64 nested levels", found: "more") }
            guard i < bytes.count else { throw error("expected a JSON value", found: "the end of the file") }
            let (l, c) = (line, column)
            func node(_ k: Kind) -> WAFJSON { WAFJSON(kind: k, path: path, line: l, column: c) }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(key: String, value: WAFJSON)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return node(.object(members)) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a member name in quotes", found: describeHere()) }
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the member name", found: describeHere()) }
                    i += 1
                    skipSpace()
                    members.append((key, try value(path: WAFJSON.member(path, key), depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw error("expected ',' or '}'", found: "the end of the file") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return node(.object(members)) }
                    throw error("expected ',' or '}'", found: describeHere())
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [WAFJSON] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return node(.array(items)) }
                while true {
                    skipSpace()
                    items.append(try value(path: "\(path)[\(items.count)]", depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("expected ',' or ']'", found: "the end of the file") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return node(.array(items)) }
                    throw error("expected ',' or ']'", found: describeHere())
                }
            case UInt8(ascii: "\""):
                return node(.string(try string()))
            case UInt8(ascii: "t"): try literal("true"); return node(.bool(true))
            case UInt8(ascii: "f"): try literal("false"); return node(.bool(false))
            case UInt8(ascii: "n"): try literal("null"); return node(.null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                if bytes[i] == UInt8(ascii: "-") { i += 1 }
                var digits = 0
                while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: ".")
                        || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") || bytes[i] == UInt8(ascii: "+")
                        || (bytes[i] == UInt8(ascii: "-") && i > start) {
                    if bytes[i] >= 48 && bytes[i] <= 57 { digits += 1 }
                    i += 1
                }
                guard digits > 0 else { throw error("expected a number", found: describeHere()) }
                return node(.number(String(decoding: bytes[start..<i], as: UTF8.self)))
            default:
                throw error("expected a JSON value", found: describeHere())
            }
        }

        mutating func literal(_ word: String) throws {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
                throw error("expected a JSON value", found: describeHere())
            }
            i += w.count
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count else { throw error("expected four hex digits after \\u", found: "the end of the file") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt32
                switch b {
                case 48...57: d = UInt32(b - 48)
                case 65...70: d = UInt32(b - 55)
                case 97...102: d = UInt32(b - 87)
                default: throw error("expected four hex digits after \\u", found: describeHere())
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        mutating func string() throws -> String {
            i += 1  // opening quote
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw error("expected the closing '\"' of a string", found: "the end of the file") }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; break }
                if b < 0x20 { throw error("expected a character of a string", found: "a control character (escape it)") }
                if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
                i += 1
                guard i < bytes.count else { throw error("expected an escape after '\\'", found: "the end of the file") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00, i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 { scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) }
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(u).utf8))
                default:
                    i -= 1
                    throw error("expected a JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", found: describeHere())
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
