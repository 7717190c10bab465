import Why403ModSecurity

/// The seam for `SqliMatchStatement` and `XssMatchStatement`: AWS WAF's own detectors are not
/// published, so a match is never `certain`: `likely` when libinjection answered, `possible` when only
/// the token approximation could.
///
/// The detector is libinjection (what CRS uses), through libmodsecurity's `@detectSQLi`/`@detectXSS`
/// when libmodsecurity 3 is installed; without it, a small documented approximation (the token patterns
/// below). `detector` says which one answered.
public enum InjectionDetection {
    /// The detector that answers on this machine.
    /// (Asked once: the answer is a property of the machine, and asking runs an engine transaction.)
    public static let detector: String =
        libinjectionAvailable ? "libinjection (through libmodsecurity)" : "why403's token approximation (libmodsecurity is not installed)"

    /// Whether libinjection (through libmodsecurity 3) answers on this machine.
    public static let libinjectionAvailable: Bool = Libinjection.detect(.sqli, in: []) != nil

    /// The two detectors.
    public enum Kind: String, Sendable {
        /// `SqliMatchStatement`.
        case sqli
        /// `XssMatchStatement`.
        case xss
    }

    /// Whether the approximation flags `value` (already transformed); a hit is reported as `likely`
    /// (libinjection) or `possible` (the token approximation), a miss as no match with a note that AWS's
    /// detector may still match.
    public static func detect(_ kind: Kind, in value: [UInt8]) -> Bool {
        detect(kind, in: value, libinjection: true)
    }

    /// `detect`, with libinjection left out when `libinjection` is false (what a machine without
    /// libmodsecurity does; tests use it to check both answers on one machine).
    static func detect(_ kind: Kind, in value: [UInt8], libinjection: Bool) -> Bool {
        if libinjection, let hit = Libinjection.detect(kind == .sqli ? .sqli : .xss, in: value) { return hit }
        return approximate(kind, in: value)
    }

    /// The name of the detector that answers, for reports.
    static func name(libinjection: Bool) -> String {
        libinjection && libinjectionAvailable ? "libinjection (through libmodsecurity)" : "why403's token approximation (libmodsecurity is not installed)"
    }

    /// The token approximation, used when libmodsecurity is not installed.
    static func approximate(_ kind: Kind, in value: [UInt8]) -> Bool {
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
