/// The seam for `SqliMatchStatement` and `XssMatchStatement`: AWS WAF's own detectors are not
/// published, so a match is only ever `possible`.
///
/// Today a small documented approximation (the token patterns below); a later step plugs in
/// libinjection through libmodsecurity (what CRS uses) behind this one function, with no change to
/// the evaluator.
public enum InjectionDetection {
    /// The two detectors.
    public enum Kind: String, Sendable {
        /// `SqliMatchStatement`.
        case sqli
        /// `XssMatchStatement`.
        case xss
    }

    /// Whether the approximation flags `value` (already transformed); a hit is reported as `possible`,
    /// a miss as no match with a note that AWS's detector may still match.
    public static func detect(_ kind: Kind, in value: [UInt8]) -> Bool {
        let text = String(decoding: value, as: UTF8.self).lowercased()
        let compact = text.filter { !$0.isWhitespace }
        switch kind {
        case .sqli:
            let tokens = ["union select", "union all select", "select * from", "' or '", "\" or \"", "' or 1", "or 1=1",
                          "'--", "';--", "sleep(", "benchmark(", "waitfor delay", "information_schema", "drop table",
                          "insert into", "xp_cmdshell", "load_file(", "into outfile"]
            return tokens.contains { text.contains($0) } || compact.contains("'or'1'='1") || compact.contains("or1=1")
        case .xss:
            let tokens = ["<script", "javascript:", "onerror=", "onload=", "onmouseover=", "onfocus=", "<iframe", "<svg",
                          "<img", "document.cookie", "alert(", "vbscript:", "<object", "<embed", "srcdoc="]
            return tokens.contains { compact.contains($0) || text.contains($0) }
        }
    }
}
