import Foundation
import Why403Core

/// libinjection — the SQL injection and XSS detector CRS relies on (rules 942100, 941100) — through
/// libmodsecurity's `@detectSQLi` and `@detectXSS` operators, for the layers whose own detectors are not
/// published (AWS WAF's `SqliMatchStatement` and `XssMatchStatement`). nil when libmodsecurity 3 is not
/// installed.
public enum Libinjection {
    /// Which detector.
    public enum Kind: Sendable { case sqli, xss }

    nonisolated(unsafe) private static var engines: [Bool: ModSecurityEngine?] = [:]
    private static let lock = NSLock()

    /// Whether libinjection flags `value` (as it is: no transformation, no decoding); nil when the
    /// engine is not available.
    public static func detect(_ kind: Kind, in value: [UInt8]) -> Bool? {
        guard let engine = engine(kind == .sqli) else { return nil }
        // The value travels as a percent-encoded query argument; the engine decodes it once (ARGS_GET),
        // which gives back exactly these bytes.
        var query = "v="
        for b in value {
            let unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
            query += unreserved ? String(UnicodeScalar(b)) : "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
        }
        guard let request = try? Request(url: "http://detector.invalid/?" + query) else { return nil }
        return engine.evaluate(request).status != nil
    }

    private static func engine(_ sqli: Bool) -> ModSecurityEngine? {
        lock.lock(); defer { lock.unlock() }
        if let e = engines[sqli] { return e }
        let op = sqli ? "@detectSQLi" : "@detectXSS"
        let e = (try? ModSecurityLibrary.load()).flatMap { lib in
            try? ModSecurityEngine(library: lib, parts: [.text("""
                SecRuleEngine On
                SecAuditEngine Off
                SecRule ARGS_GET:v "\(op)" "id:1,phase:1,deny,status:403,t:none,nolog"

                """, origin: "why403's libinjection probe")])
        }
        engines[sqli] = .some(e)
        return e
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
