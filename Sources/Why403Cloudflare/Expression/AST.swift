import Foundation
import Why403Core

/// A comparison operator (each with its English and symbol form).
public enum CompareOp: String, Sendable {
    case eq, ne, lt, le, gt, ge
}

/// A function of the Rules language
/// (https://developers.cloudflare.com/ruleset-engine/rules-language/functions/, and the changelog entries
/// of 2026-01-20 (split, join, has_key, has_value) and 2026-01-22 (encode_base64, sha256)).
public enum Function: String, Sendable, CaseIterable {
    case any, all, concat, len, lower, upper
    case startsWith = "starts_with", endsWith = "ends_with"
    case urlDecode = "url_decode", removeBytes = "remove_bytes"
    case lookupJSONString = "lookup_json_string", lookupJSONInteger = "lookup_json_integer"
    case regexReplace = "regex_replace", wildcardReplace = "wildcard_replace", toString = "to_string"
    case decodeBase64 = "decode_base64", cidr, cidr6
    case encodeBase64 = "encode_base64", sha256, split, join
    case hasKey = "has_key", hasValue = "has_value", substring
    case removeQueryArgs = "remove_query_args", uuidv4
    case bitSlice = "bit_slice", isTimedHMACValidV0 = "is_timed_hmac_valid_v0"

    /// The phases whose expressions may call the function, when the functions page restricts it (a
    /// "You can only use ... in ..." caution), with the products it names; nil when the page sets no
    /// limit. Where the page is silent the function is allowed: refusing a rule Cloudflare accepts would
    /// be a wrong "bad input" on a real export.
    public var allowedPhases: (phases: Set<String>, products: String)? {
        let rewrite: Set<String> = ["http_request_transform", "http_request_late_transform",
                                    "http_response_headers_transform", "http_request_dynamic_redirect"]
        switch self {
        case .regexReplace, .toString:
            return (rewrite, "rewrite expressions of Transform Rules and dynamic URL redirects")
        case .wildcardReplace:
            return (["http_request_transform", "http_request_dynamic_redirect"], "URL rewrites and dynamic URL redirects")
        case .uuidv4:
            return (["http_request_transform", "http_request_late_transform", "http_response_headers_transform"],
                    "rewrite expressions of Transform Rules")
        case .cidr, .cidr6:
            return (["http_request_firewall_custom", "http_ratelimit"], "custom rules and rate limiting rules")
        case .decodeBase64:
            return (["http_request_late_transform", "http_response_headers_transform", "http_request_firewall_custom", "http_ratelimit"],
                    "header modification rules, custom rules and rate limiting rules")
        case .bitSlice:
            return ([], "Magic Firewall (Cloudflare Network Firewall) rules, never an HTTP phase")
        default:
            return nil
        }
    }

    /// Whether the function may be called in an expression of `phase`.
    public func allowed(in phase: String) -> Bool { allowedPhases.map { $0.phases.contains(phase) } ?? true }
}

/// A compiled regular expression with Rust `regex` crate semantics as far as Cloudflare exposes them:
/// look-around and backreferences are refused at compile time (the crate has neither); what remains is
/// evaluated by Foundation's NSRegularExpression (ICU), whose syntax is a superset for these patterns.
public final class CompiledRegex: @unchecked Sendable {
    /// The pattern as written in the rule.
    public let pattern: String
    let regex: NSRegularExpression

    /// Compiles a pattern, or says (with the offset in the pattern) why Cloudflare would refuse it.
    public init(_ pattern: String) throws(ExpressionError) {
        self.pattern = pattern
        if let bad = CompiledRegex.unsupported(pattern) { throw ExpressionError(column: 0, message: bad) }
        // Rust's named group (?P<name>...) is ICU's (?<name>...).
        // Rust's (?u) (Unicode mode) is ICU's default.
        let icu = pattern.replacingOccurrences(of: "(?P<", with: "(?<").replacingOccurrences(of: "(?u)", with: "")
        do { regex = try NSRegularExpression(pattern: icu) } catch {
            throw ExpressionError(column: 0, message: "invalid regular expression \(InputError.quote(pattern))")
        }
    }

    /// What the Rust `regex` crate refuses: look-ahead/look-behind, backreferences, atomic groups and
    /// possessive quantifiers.
    static func unsupported(_ p: String) -> String? {
        let s = Array(p.unicodeScalars)
        var i = 0
        var inClass = false
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                if i + 1 < s.count {
                    let e = s[i + 1]
                    if !inClass, ("1"..."9").contains(e) { return "backreference \\\(e) in a regular expression (Rust regex has no backreferences)" }
                    if !inClass, e == "k", i + 2 < s.count, s[i + 2] == "<" { return "backreference \\k<...> in a regular expression (Rust regex has no backreferences)" }
                    // \p{Name} / \P{Name}: a Unicode class, its closing brace is no quantifier.
                    if e == "p" || e == "P", i + 2 < s.count, s[i + 2] == "{" {
                        var j = i + 3
                        while j < s.count, s[j] != "}" { j += 1 }
                        i = j + 1
                        continue
                    }
                }
                i += 2
                continue
            }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            if c == "[" { inClass = true; i += 1; if i < s.count, s[i] == "]" { i += 1 }; continue }
            if c == "(", i + 2 < s.count, s[i + 1] == "?" {
                let a = s[i + 2]
                if a == "=" || a == "!" { return "look-ahead (?\(a) in a regular expression (Rust regex has no look-around)" }
                if a == "<", i + 3 < s.count, s[i + 3] == "=" || s[i + 3] == "!" { return "look-behind (?<\(s[i + 3]) in a regular expression (Rust regex has no look-around)" }
                if a == ">" { return "atomic group (?> in a regular expression (Rust regex has none)" }
            }
            if (c == "+" || c == "*" || c == "?" || c == "}"), i + 1 < s.count, s[i + 1] == "+" {
                return "possessive quantifier \(c)+ in a regular expression (Rust regex has none)"
            }
            i += 1
        }
        return nil
    }

    /// Whether the pattern matches anywhere in `s` (unanchored, as `matches` is).
    public func matches(_ s: String) -> Bool {
        let ns = s as NSString
        return regex.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// Replaces the first match (regex_replace replaces the first match only; `${1}` refers to groups).
    func replaceFirst(_ s: String, with template: String) -> String {
        let ns = s as NSString
        guard let m = regex.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return s }
        // `${n}` is group n, `$$` a literal `$`; anything else is copied.
        var t = ""
        let c = Array(template.unicodeScalars)
        var i = 0
        while i < c.count {
            if c[i] == "$", i + 1 < c.count, c[i + 1] == "$" { t += "$"; i += 2; continue }
            if c[i] == "$", i + 1 < c.count, c[i + 1] == "{", let close = c[(i + 2)...].firstIndex(of: "}"),
               let g = Int(String(String.UnicodeScalarView(c[(i + 2)..<close]))) {
                if g < m.numberOfRanges, m.range(at: g).location != NSNotFound { t += ns.substring(with: m.range(at: g)) }
                i = close + 1; continue
            }
            t.unicodeScalars.append(c[i]); i += 1
        }
        return ns.replacingCharacters(in: m.range, with: t)
    }
}

/// A wildcard pattern of `wildcard` / `strict wildcard`: `*` is any run of characters (possibly none),
/// `\*` and `\\` are literal; the whole value must match. `wildcard` compares case-insensitively,
/// `strict wildcard` case-sensitively.
public struct WildcardPattern: Sendable, Hashable {
    /// The pattern as written.
    public let pattern: String
    /// `strict wildcard`.
    public let strict: Bool
    let pieces: [[UInt8]]  // literal pieces between stars

    /// Parses a pattern.
    public init(_ pattern: String, strict: Bool) throws(ExpressionError) {
        self.pattern = pattern
        self.strict = strict
        var pieces: [[UInt8]] = [[]]
        let b = Array(pattern.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\") {
                guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "*") || b[i + 1] == UInt8(ascii: "\\") else {
                    throw ExpressionError(column: 0, message: "a backslash in a wildcard pattern escapes only * or \\")
                }
                pieces[pieces.count - 1].append(b[i + 1]); i += 2; continue
            }
            if b[i] == UInt8(ascii: "*") { pieces.append([]); i += 1; continue }
            pieces[pieces.count - 1].append(strict ? b[i] : WildcardPattern.lower(b[i]))
            i += 1
        }
        self.pieces = pieces
    }

    static func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c + 32 : c }

    /// Whether the whole of `s` matches.
    public func matches(_ s: String) -> Bool {
        let v = strict ? Array(s.utf8) : s.utf8.map(WildcardPattern.lower)
        return WildcardPattern.match(pieces, v)
    }

    static func match(_ pieces: [[UInt8]], _ v: [UInt8]) -> Bool {
        if pieces.count == 1 { return pieces[0] == v }
        let first = pieces[0], last = pieces[pieces.count - 1]
        guard v.count >= first.count + last.count, v.starts(with: first), v.suffix(last.count).elementsEqual(last) else { return false }
        var pos = first.count
        let endLimit = v.count - last.count
        for p in pieces[1..<(pieces.count - 1)] where !p.isEmpty {
            guard let r = find(p, in: v, from: pos, limit: endLimit) else { return false }
            pos = r + p.count
        }
        return true
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int, limit: Int) -> Int? {
        guard needle.count <= limit - from else { return nil }
        var i = from
        while i + needle.count <= limit {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// wildcard_replace: the captured runs of the stars, or nil when the value does not match.
    func captures(_ s: String) -> [String]? {
        let v = strict ? Array(s.utf8) : s.utf8.map(WildcardPattern.lower)
        let orig = Array(s.utf8)
        if pieces.count == 1 { return pieces[0] == v ? [] : nil }
        guard WildcardPattern.match(pieces, v) else { return nil }
        // Lazy stars, left to right, the last star takes what is left before the final piece.
        var caps: [String] = []
        var pos = pieces[0].count
        let endLimit = v.count - pieces[pieces.count - 1].count
        for p in pieces[1..<(pieces.count - 1)] {
            let r = p.isEmpty ? pos : WildcardPattern.find(p, in: v, from: pos, limit: endLimit)!
            caps.append(String(decoding: orig[pos..<r], as: UTF8.self))
            pos = r + p.count
        }
        caps.append(String(decoding: orig[pos..<endLimit], as: UTF8.self))
        return caps
    }
}

/// The items of an `in {...}` set.
public struct SetMatcher: Sendable {
    var strings: Set<String> = []
    var ints: Set<Int> = []
    var intRanges: [ClosedRange<Int>] = []
    var networks: [IPNetwork] = []
    var ipRanges: [(IPAddress, IPAddress)] = []

    func contains(_ v: Value) -> Bool {
        switch v {
        case .string(let s): return strings.contains(s)
        case .int(let i): return ints.contains(i) || intRanges.contains { $0.contains(i) }
        case .ip(let a):
            if networks.contains(where: { $0.contains(a) }) { return true }
            return ipRanges.contains { lo, hi in
                lo.bytes.count == a.bytes.count && !a.bytes.lexicographicallyPrecedes(lo.bytes) && !hi.bytes.lexicographicallyPrecedes(a.bytes)
            }
        default: return false
        }
    }
}

/// A node of a compiled expression: what it computes, its type, and where it is in the source
/// (0-based offsets in Unicode scalars, end excluded).
public final class Node: @unchecked Sendable {
    /// What a node computes.
    public enum Kind {
        /// A field of the request.
        case field(Fields.Field)
        /// A literal value.
        case literal(Value)
        /// `base["key"]` or `base[0]`.
        case index(Node, Value)
        /// `base[*]`: every element, operations after it apply to each.
        case star(Node)
        /// A function call.
        case call(Function, [Node])
        /// `lhs eq value` and the other comparisons.
        case compare(CompareOp, Node, Value)
        /// `lhs contains "text"`.
        case contains(Node, String)
        /// `lhs matches "regex"`.
        case matches(Node, CompiledRegex)
        /// `lhs wildcard "pattern"` / `strict wildcard`.
        case wildcard(Node, WildcardPattern)
        /// `lhs in {...}`.
        case inSet(Node, SetMatcher)
        /// `lhs in $list`.
        case inList(Node, String)
        /// `not e`.
        case not(Node)
        /// `a and b`.
        case and(Node, Node)
        /// `a or b`.
        case or(Node, Node)
        /// `a xor b`.
        case xor(Node, Node)

        /// Whether this is a function call.
        public var isCall: Bool { if case .call = self { true } else { false } }
    }
    /// What the node computes.
    public let kind: Kind
    /// The type of its value (of each element when `mapped`).
    public let type: ValueType
    /// Whether the node yields one value per element of a `[*]` below it.
    public let mapped: Bool
    /// First scalar offset in the expression.
    public let start: Int
    /// Offset after the last scalar.
    public let end: Int

    init(_ kind: Kind, type: ValueType, mapped: Bool = false, start: Int, end: Int) {
        self.kind = kind
        self.type = type
        self.mapped = mapped
        self.start = start
        self.end = end
    }

    /// Whether the node is a function call.
    var isCallNode: Bool { if case .call = kind { true } else { false } }

    /// Whether the node is a test on the request (a leaf of the Boolean structure).
    var isLogical: Bool {
        switch kind {
        case .not, .and, .or, .xor: true
        default: false
        }
    }

    /// Every field the node reads.
    public var fields: [Fields.Field] {
        switch kind {
        case .field(let f): return [f]
        case .literal: return []
        case .index(let n, _), .star(let n), .compare(_, let n, _), .contains(let n, _), .matches(let n, _),
             .wildcard(let n, _), .inSet(let n, _), .inList(let n, _), .not(let n): return n.fields
        case .call(_, let args): return args.flatMap(\.fields)
        case .and(let a, let b), .or(let a, let b), .xor(let a, let b): return a.fields + b.fields
        }
    }
}
