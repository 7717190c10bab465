import Foundation
import Why403PCRE2

/// A regular expression as httpd uses them (`<DirectoryMatch>`, `RewriteRule`, `SetEnvIf`).
///
/// Compiled and matched by PCRE2, httpd's own engine (`ap_regcomp`), with httpd's default options
/// (`RegexDefaultOptions DOLLAR_ENDONLY`, since 2.4.30: `$` matches at the very end only) when libpcre2-8 is there;
/// else by Foundation's NSRegularExpression (ICU), whose syntax covers the common PCRE subset used in configurations.
/// A pattern the engine rejects yields `nil` and the caller says so.
public struct ApacheRegex: @unchecked Sendable {
    // INVARIANT: NSRegularExpression is immutable after creation and documented thread-safe; a PCRE2Code is used by one
    // simulation at a time (each analysis compiles its own).
    let pcre: PCRE2Code?
    let regex: NSRegularExpression?
    /// The pattern as written.
    public let pattern: String

    /// Compiles `pattern`; `caseInsensitive` for `[NC]`, `SetEnvIfNoCase`, `~*`.
    public init?(_ pattern: String, caseInsensitive: Bool = false) {
        if PCRE2.available {
            guard let p = PCRE2Code(pattern, options: PCRE2.dollarEndOnly | (caseInsensitive ? PCRE2.caseless : 0)) else { return nil }
            pcre = p
            regex = nil
        } else {
            guard let r = try? NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : []) else {
                return nil
            }
            pcre = nil
            regex = r
        }
        self.pattern = pattern
    }

    /// Whether the pattern matches anywhere in `s`.
    public func matches(_ s: String) -> Bool {
        if let pcre { return (try? pcre.matches(s).get()) ?? false }
        guard let regex else { return false }
        return regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// The capture groups of the first match ($0 first), or nil.
    public func captures(_ s: String) -> [String]? {
        if let pcre {
            guard case .success(let groups?) = pcre.firstMatch(in: s) else { return nil }
            return groups
        }
        guard let regex, let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            guard r.location != NSNotFound, let rr = Range(r, in: s) else { return "" }
            return String(s[rr])
        }
    }
}
