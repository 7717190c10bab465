/// One message a ModSecurity rule logged, read from the text the engine hands its log callback — the
/// line the server's error log holds:
///
///     ModSecurity: Warning. Matched "Operator `Rx' with parameter `…' against variable `ARGS:q' (Value: `…' )
///     [file "/…/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [line "46"] [id "942100"] [msg "…"]
///     [data "Matched Data: … found within ARGS:q: …"] [severity "2"] [tag "…"] … [uri "/"] [unique_id "…"]
///
/// The same shape comes from mod_security2 (Apache) and libmodsecurity (nginx), so the differential
/// tests read the real servers' error logs with this type too.
public struct RuleMessage: Sendable, Equatable {
    /// The rule's id (`"942100"`).
    public var id: String
    /// The rule's `msg` (may be empty).
    public var message: String
    /// The file that holds the rule, and its line.
    public var file: String?
    /// The rule's line in `file`.
    public var line: Int?
    /// The variable that matched (`ARGS:id`, `REQUEST_HEADERS:User-Agent`), when the message names it.
    public var variable: String?
    /// The value of the variable that matched, as the engine logged it.
    public var value: String?
    /// The rule's `logdata`.
    public var data: String?
    /// The syslog severity (0 emergency … 2 critical, 3 error, 4 warning, 5 notice).
    public var severity: Int?
    /// The tags the message carries (libmodsecurity 3.0 leaves some out: `RuleText` reads them from the rule).
    public var tags: [String]
    /// "Access denied with code N (phase P)": the rule that stopped the request.
    public var denied: Bool
    /// The status of a denial.
    public var status: Int?
    /// The phase of a denial.
    public var phase: Int?
    /// The whole text, as logged.
    public var text: String

    /// Reads one message; nil when it carries no rule id.
    public init?(text: String) {
        self.text = text
        // The `[name "value"]` groups start at the last ` [file "` (values inside groups escape `"`, so
        // only the head, which quotes the matched value unescaped, could hold a forged one earlier on).
        let groupsStart = text.range(of: " [file \"", options: .backwards)?.lowerBound
            ?? text.range(of: " [id \"")?.lowerBound ?? text.endIndex
        let fields = Self.groups(text[groupsStart...])
        guard let id = fields.first(where: { $0.0 == "id" })?.1, !id.isEmpty else { return nil }
        self.id = id
        message = fields.first { $0.0 == "msg" }?.1 ?? ""
        file = fields.first { $0.0 == "file" }?.1
        line = fields.first { $0.0 == "line" }.flatMap { Int($0.1) }
        data = fields.first { $0.0 == "data" }?.1
        severity = fields.first { $0.0 == "severity" }.flatMap { Int($0.1) }
        tags = fields.filter { $0.0 == "tag" }.map(\.1)
        let head = String(text[..<groupsStart])
        denied = head.contains("Access denied with code")
        status = Self.number(after: "Access denied with code ", in: head)
        phase = Self.number(after: "(phase ", in: head)
        // `against variable `V' (Value: `X' )` names both; CRS's logdata "found within V: X" names them
        // for operators that do not (libinjection's @detectSQLi, @pm).
        if let v = head.range(of: " against variable `", options: .backwards) {
            let rest = head[v.upperBound...]
            if let end = rest.range(of: "' (Value: `") {
                variable = String(rest[..<end.lowerBound])
                let after = rest[end.upperBound...]
                value = String(after.range(of: "' )", options: .backwards).map { after[..<$0.lowerBound] } ?? after)
            }
        }
        if variable == nil, let d = data, let w = d.range(of: " found within ") {
            let rest = d[w.upperBound...]
            if let colon = rest.range(of: ": ") {
                variable = String(rest[..<colon.lowerBound])
                value = String(rest[colon.upperBound...])
            } else if rest.hasSuffix(":") {
                variable = String(rest.dropLast())
                value = ""
            }
        }
    }

    /// `[name "value"] [name "value"] …`, a backslash escaping the next character inside a value.
    static func groups(_ text: Substring) -> [(String, String)] {
        var fields: [(String, String)] = []
        var rest = text
        while let open = rest.firstIndex(of: "[") {
            rest = rest[rest.index(after: open)...]
            guard let space = rest.firstIndex(of: " "), rest[space...].hasPrefix(" \"") else { continue }
            let name = String(rest[..<space])
            var value = ""
            var k = rest.index(space, offsetBy: 2)
            var closed = false
            while k < rest.endIndex {
                let c = rest[k]
                let next = rest.index(after: k)
                if c == "\\", next < rest.endIndex { value.append(rest[next]); k = rest.index(after: next); continue }
                if c == "\"", next < rest.endIndex, rest[next] == "]" { closed = true; k = rest.index(after: next); break }
                if c == "\"", next == rest.endIndex { closed = true; k = next; break }
                value.append(c); k = next
            }
            guard closed else { break }
            fields.append((name, value))
            rest = rest[k...]
        }
        return fields
    }

    private static func number(after marker: String, in text: String) -> Int? {
        guard let r = text.range(of: marker) else { return nil }
        return Int(text[r.upperBound...].prefix { $0.isNumber })
    }
}
