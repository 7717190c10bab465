/// A JSON value, for the free-form parts of a report (subject extras, finding details).
public enum JSONValue: Codable, Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Strings first, objects before arrays: a JSON string decodes as nothing else, and each failed attempt
        // throws (a summary's strings went through three throws each). Bool stays before Int and Int before
        // Double, as a number may decode as more than one of those.
        if c.decodeNil() { self = .null }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let o = try? c.decode([String: JSONValue].self) { self = .object(o) }
        else { self = .array(try c.decode([JSONValue].self)) }
    }

    /// Encodes the value as JSON.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer(); try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer(); try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer(); try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer(); for v in a { try c.encode(v) }
        case .object(let o):
            // Keys are written sorted, so reports are stable.
            var c = encoder.container(keyedBy: AnyKey.self)
            for k in o.keys.sorted() { try c.encode(o[k]!, forKey: AnyKey(k)) }
        }
    }

    /// Applies `f` to every string inside, keys excepted.
    public func mapStrings(_ f: (String) -> String) -> JSONValue {
        switch self {
        case .string(let s): .string(f(s))
        case .array(let a): .array(a.map { $0.mapStrings(f) })
        case .object(let o): .object(o.mapValues { $0.mapStrings(f) })
        default: self
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// A JSON string from a literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A JSON number from a literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A JSON boolean from a literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A JSON array from a literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A JSON object from a literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { a, _ in a }))
    }
}
