/// What a rule's own text says, read at the file and line the engine's message names: its tags
/// (libmodsecurity 3.0 leaves them out of some messages), its phase and the paranoia level CRS tags it
/// with. A small reader of one `SecRule`/`SecAction` (continuation lines joined); the engine remains the
/// judge of what the rule does.
public struct RuleText: Sendable, Equatable {
    /// The rule's `tag:` actions, in order.
    public var tags: [String]
    /// The rule's `phase:` (1–5; `request` is 2, `response` 4, `logging` 5).
    public var phase: Int?
    /// The paranoia level CRS tags the rule with (`paranoia-level/N`).
    public var paranoiaLevel: Int? {
        tags.lazy.compactMap { t in t.hasPrefix("paranoia-level/") ? Int(t.dropFirst("paranoia-level/".count)) : nil }.first
    }
    /// The attack family CRS tags the rule with (`attack-sqli` → `sqli`).
    public var attack: String? {
        tags.first { $0.hasPrefix("attack-") }.map { String($0.dropFirst("attack-".count)) }
    }

    /// Reads the rule that starts at `line` (1-based) of `text`; nil when there is no rule there.
    public init?(text: String, line: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        var rule = ""
        var i = line - 1
        while i < lines.count {
            var l = Substring(lines[i])
            if l.hasSuffix("\r") { l = l.dropLast() }
            if l.hasSuffix("\\") { rule += l.dropLast() + " "; i += 1; continue }
            rule += l
            break
        }
        let trimmed = rule.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("SecRule") || trimmed.hasPrefix("SecAction") else { return nil }
        tags = Self.values(of: "tag", in: rule)
        phase = Self.values(of: "phase", in: rule).first.flatMap { p in
            Int(p) ?? ["request": 2, "response": 4, "logging": 5][p]
        }
    }

    /// The values of `name:` actions in the rule's text (`name:'v'`, `name:v`).
    static func values(of name: String, in rule: String) -> [String] {
        var out: [String] = []
        var rest = Substring(rule)
        while let r = rest.range(of: name + ":") {
            let before = rest[..<r.lowerBound].last
            rest = rest[r.upperBound...]
            guard before == nil || before == "," || before == "\"" || before == " " || before == "\t" else { continue }
            if rest.first == "'" {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: "'") else { break }
                out.append(String(body[..<end]))
                rest = body[body.index(after: end)...]
            } else {
                let v = rest.prefix { $0 != "," && $0 != "\"" && $0 != " " }
                out.append(String(v))
                rest = rest[v.endIndex...]
            }
        }
        return out
    }
}
