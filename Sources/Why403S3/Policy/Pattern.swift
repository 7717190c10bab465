/// A policy string after policy-variable expansion: literal characters and the wildcards `*` and `?`.
///
/// `${*}`, `${?}` and `${$}` expand to literal characters, never wildcards (IAM policy elements:
/// Variables and tags, "Special characters"). Wildcard matching is hand-written: the standard library
/// has no glob, and `fnmatch` treats `[` and `\` specially, which IAM does not.
public enum PatternToken: Sendable, Equatable {
    /// A literal character (one Unicode scalar).
    case char(Unicode.Scalar)
    /// `*`: any run of characters, empty included.
    case star
    /// `?`: exactly one character.
    case question
}

/// A policy value: its text as written and its expansion (nil when a policy variable has no value
/// in the request and no default, in which case it matches nothing).
public struct PolicyValue: Sendable {
    /// The value as written in the policy.
    public var text: String
    /// Tokens after expansion; nil when a variable could not be resolved.
    public var tokens: [PatternToken]?
    /// The variables that had no value.
    public var unresolved: [String]

    /// The expanded value with wildcards as plain characters (for exact comparisons).
    public var literal: String? {
        guard let tokens else { return nil }
        var s = String.UnicodeScalarView()
        for t in tokens {
            switch t {
            case .char(let c): s.append(c)
            case .star: s.append("*")
            case .question: s.append("?")
            }
        }
        return String(s)
    }
}

enum Wildcard {
    /// Literal tokens of `text` with `*` and `?` as wildcards.
    static func tokens(_ text: some StringProtocol) -> [PatternToken] {
        text.unicodeScalars.map { $0 == "*" ? .star : $0 == "?" ? .question : .char($0) }
    }

    /// Expands policy variables in `text` (when `variables` is true) using `lookup`.
    /// Grammar: `${key}` or `${key, 'default'}`; `${*}`, `${?}`, `${$}` are literal characters.
    static func expand(_ text: String, variables: Bool, lookup: (String) -> String?) -> PolicyValue {
        guard variables, text.utf8.contains(UInt8(ascii: "$")) else { return PolicyValue(text: text, tokens: tokens(text), unresolved: []) }
        var out: [PatternToken] = []
        var unresolved: [String] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "$", i + 1 < scalars.count, scalars[i + 1] == "{",
               let close = scalars[(i + 2)...].firstIndex(of: "}") {
                let inner = String(String.UnicodeScalarView(scalars[(i + 2)..<close])).trimmingCharacters(" ")
                i = close + 1
                switch inner {
                case "*": out.append(.char("*")); continue
                case "?": out.append(.char("?")); continue
                case "$": out.append(.char("$")); continue
                default: break
                }
                var key = inner
                var fallback: String? = nil
                if let comma = inner.firstIndex(of: ",") {
                    key = String(inner[..<comma]).trimmingCharacters(" ")
                    var d = String(inner[inner.index(after: comma)...]).trimmingCharacters(" ")
                    if d.count >= 2 && d.hasPrefix("'") && d.hasSuffix("'") { d = String(d.dropFirst().dropLast()) }
                    fallback = d
                }
                if let v = lookup(key) ?? fallback {
                    out += v.unicodeScalars.map { .char($0) }
                } else {
                    unresolved.append(key)
                }
                continue
            }
            let c = scalars[i]
            out.append(c == "*" ? .star : c == "?" ? .question : .char(c))
            i += 1
        }
        return PolicyValue(text: text, tokens: unresolved.isEmpty ? out : nil, unresolved: unresolved)
    }

    /// Whether `pattern` matches all of `text`. Linear-time greedy matching with one backtrack point.
    static func match(_ pattern: [PatternToken], _ text: some StringProtocol, ignoreCase: Bool = false) -> Bool {
        let t = Array((ignoreCase ? text.lowercased() : String(text)).unicodeScalars)
        let p: [PatternToken] = ignoreCase ? pattern.map {
            if case .char(let c) = $0 { return .char(String(c).lowercased().unicodeScalars.first ?? c) }
            return $0
        } : pattern
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count {
                switch p[pi] {
                case .star:
                    starP = pi; starT = ti; pi += 1; continue
                case .question:
                    pi += 1; ti += 1; continue
                case .char(let c) where c == t[ti]:
                    pi += 1; ti += 1; continue
                default: break
                }
            }
            if starP >= 0 {
                pi = starP + 1; starT += 1; ti = starT
                continue
            }
            return false
        }
        while pi < p.count, p[pi] == .star { pi += 1 }
        return pi == p.count
    }
}

extension String {
    func trimmingCharacters(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
