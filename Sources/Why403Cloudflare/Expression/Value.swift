import Why403Core

/// A type of the Rules language (wirefilter): `String` (Bytes), `Integer`, `Boolean`, `IP address`,
/// `Array<T>` and `Map<T>`.
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    /// `String` (the language's Bytes).
    case string
    /// `Integer`.
    case int
    /// `Boolean`.
    case bool
    /// `IP address`.
    case ip
    /// `Array<T>`.
    case array(ValueType)
    /// `Map<T>` (string keys).
    case map(ValueType)

    /// The name Cloudflare's fields reference uses.
    public var description: String {
        switch self {
        case .string: "String"
        case .int: "Integer"
        case .bool: "Boolean"
        case .ip: "IP address"
        case .array(let t): "Array<\(t)>"
        case .map(let t): "Map<\(t)>"
        }
    }
}

/// A value during evaluation. `unknown` is a field nobody gave (country, bot score ...): it makes the
/// comparisons that read it unknown (three-valued logic), never silently false. `missing` is a value the
/// request does not have (an absent header indexed by name): comparisons on it are false, as in wirefilter.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// A string (bytes).
    case string(String)
    /// An integer.
    case int(Int)
    /// A Boolean.
    case bool(Bool)
    /// An IP address.
    case ip(IPAddress)
    /// An array.
    case array([Value])
    /// A map from names to values.
    case map([String: Value])
    /// Not given: the field needs a flag that was not passed.
    case unknown
    /// Absent from the request (a header or argument it does not carry).
    case missing

    /// How the value is shown in a report.
    public var description: String {
        switch self {
        case .string(let s): InputError.quote(s, limit: 200)
        case .int(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        case .ip(let a): a.description
        case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .map(let m): "{" + m.keys.sorted().map { "\(InputError.quote($0)): \(m[$0]!)" }.joined(separator: ", ") + "}"
        case .unknown: "unknown"
        case .missing: "missing"
        }
    }

    /// The Boolean, or nil for unknown (missing and non-Booleans are false).
    var truth: Bool? {
        switch self {
        case .bool(let b): b
        case .unknown: nil
        default: false
        }
    }
}
