import Why403Core

/// A value read from JSON or HCL, with where it is: the one tree both readers produce, so one
/// builder turns either into rulesets.
struct Doc: Sendable {
    indirect enum V: Sendable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case array([Doc])
        case object([(key: String, value: Doc)])
        /// An HCL expression that is not a literal (`var.zone_id`, `cloudflare_ruleset.x.id`).
        case reference(String)
    }
    var v: V
    /// HCL: the 1-based line.
    var line: Int?
    /// The path from the root: keys and indexes.
    var path: [PathPart]

    enum PathPart: Sendable { case key(String), index(Int) }

    /// `$.result.rules[2]`.
    var jsonPath: String {
        var s = "$"
        for p in path {
            switch p {
            case .key(let k): s += k.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ? ".\(k)" : "[\(InputError.quote(k))]"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// `/result/rules/2` (RFC 6901).
    var pointer: String {
        path.map { p -> String in
            switch p {
            case .key(let k): "/" + k.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let i): "/\(i)"
            }
        }.joined()
    }

    subscript(_ key: String) -> Doc? {
        guard case .object(let entries) = v else { return nil }
        return entries.last { $0.key == key }?.value
    }

    var string: String? {
        switch v {
        case .string(let s): s
        case .reference(let s): s
        // Int(d) traps beyond Int's range (a fuzz finding: a 60-digit number in HCL).
        case .number(let d): (d == d.rounded() && abs(d) < 1e15) ? String(Int(d)) : String(d)
        case .bool(let b): String(b)
        default: nil
        }
    }
    var int: Int? {
        switch v {
        case .number(let d): Int(exactly: d)
        case .string(let s): Int(s)
        default: nil
        }
    }
    var bool: Bool? {
        switch v {
        case .bool(let b): b
        case .string(let s): s == "true" ? true : (s == "false" ? false : nil)
        default: nil
        }
    }
    var array: [Doc]? { if case .array(let a) = v { a } else { nil } }
    var isObject: Bool { if case .object = v { true } else { false } }
    /// Terraform provider v4 writes nested blocks as one-element lists: the object inside, or self.
    var single: Doc? {
        if case .array(let a) = v { return a.first }
        if case .null = v { return nil }
        return self
    }
    /// A list of strings (a single string counts as a list of one).
    var strings: [String] {
        if let a = array { return a.compactMap(\.string) }
        return string.map { [$0] } ?? []
    }

    /// From Core's JSONValue, with paths.
    static func from(_ j: JSONValue, path: [PathPart] = []) -> Doc {
        switch j {
        case .null: return Doc(v: .null, path: path)
        case .bool(let b): return Doc(v: .bool(b), path: path)
        case .int(let i): return Doc(v: .number(Double(i)), path: path)
        case .double(let d): return Doc(v: .number(d), path: path)
        case .string(let s): return Doc(v: .string(s), path: path)
        case .array(let a): return Doc(v: .array(a.enumerated().map { from($1, path: path + [.index($0)]) }), path: path)
        case .object(let o):
            return Doc(v: .object(o.keys.sorted().map { (key: $0, value: from(o[$0]!, path: path + [.key($0)])) }), path: path)
        }
    }
}
