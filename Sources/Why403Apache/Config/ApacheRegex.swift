import Foundation

/// A PCRE-style regular expression as httpd uses them (`<DirectoryMatch>`, `RewriteRule`, `SetEnvIf`).
///
/// Backed by Foundation's NSRegularExpression (ICU), whose syntax covers the common PCRE subset
/// used in configurations; a pattern ICU rejects yields `nil` and the caller says so.
public struct ApacheRegex: @unchecked Sendable {
    // INVARIANT: NSRegularExpression is immutable after creation and documented thread-safe.
    let regex: NSRegularExpression
    /// The pattern as written.
    public let pattern: String

    /// Compiles `pattern`; `caseInsensitive` for `[NC]`, `SetEnvIfNoCase`, `~*`.
    public init?(_ pattern: String, caseInsensitive: Bool = false) {
        guard let r = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []) else {
            return nil
        }
        self.regex = r
        self.pattern = pattern
    }

    /// Whether the pattern matches anywhere in `s`.
    public func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// The capture groups of the first match ($0 first), or nil.
    public func captures(_ s: String) -> [String]? {
        guard let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            guard r.location != NSNotFound, let rr = Range(r, in: s) else { return "" }
            return String(s[rr])
        }
    }
}
