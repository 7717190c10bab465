import Foundation

/// The narrowest exclusion that lets a request through: a rule of its own, scoped to the request's path,
/// that removes the variable each blocking rule matched from that rule only
/// (`ctl:ruleRemoveTargetById=942100;ARGS:comment`); a rule whose match names no variable that can be
/// removed (a `TX:` variable of a multi-stage rule) is removed for that path only
/// (`ctl:ruleRemoveById`). Never `SecRuleEngine Off`, never a rule removed everywhere.
public struct Exclusion: Sendable, Equatable {
    /// The path the exclusion is scoped to (`REQUEST_FILENAME`, the path without the query).
    public var path: String
    /// `(rule id, variable)` pairs removed from their rule.
    public var targets: [Target] = []
    /// Rules removed whole, for the path.
    public var wholeRules: [String] = []
    /// The exclusion rule's own id: CRS leaves ids below 100,000 to local rules.
    public var id = 1000

    /// One variable removed from one rule.
    public struct Target: Sendable, Equatable {
        /// The rule.
        public var rule: String
        /// The variable (`ARGS:comment`).
        public var variable: String
    }

    /// The exclusion once the engine re-evaluated the request with it.
    public struct Result: Sendable, Equatable {
        /// The exclusion.
        public var exclusion: Exclusion
        /// True when the request then passes, false when it is still blocked, nil when it could not be
        /// re-evaluated.
        public var passes: Bool?
        /// The rules that still block, when it does not pass.
        public var stillBlockedBy: [String]
        /// Where the rule belongs.
        public var home: String
    }

    /// An empty exclusion for `path`.
    public init(path: String) { self.path = path }

    /// Adds the matches' targets (or whole rules); false when nothing new was added.
    mutating func add(_ matches: [Evaluation.Match]) -> Bool {
        var added = false
        for m in matches {
            let id = m.message.id
            if let v = m.message.variable, Self.removable(v) {
                let t = Target(rule: id, variable: v)
                if !targets.contains(t), !wholeRules.contains(id) { targets.append(t); added = true }
            } else if !wholeRules.contains(id) {
                wholeRules.append(id)
                targets.removeAll { $0.rule == id }
                added = true
            }
        }
        return added
    }

    /// Whether `ctl:ruleRemoveTargetById` can name the variable: a collection member whose key the
    /// action's syntax can carry, never a `TX:` variable (CRS's multi-stage rules match on those).
    static func removable(_ variable: String) -> Bool {
        let v = variable.uppercased()
        guard !v.hasPrefix("TX:"), !v.hasPrefix("MATCHED_"), !v.isEmpty else { return false }
        return !variable.contains { $0 == "," || $0 == "\"" || $0 == "'" || $0 == ";" || $0 == " " || $0 == "\\" || $0 == "|" }
    }

    /// The exclusion rule, in ModSecurity's language.
    public var text: String {
        var actions = ["id:\(id)", "phase:1", "pass", "nolog", "t:none"]
        actions += targets.map { "ctl:ruleRemoveTargetById=\($0.rule);\($0.variable)" }
        actions += wholeRules.map { "ctl:ruleRemoveById=\($0)" }
        let escaped = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var out = "# why403: let requests to \(path) through "
        out += (targets.map { "rule \($0.rule) on \($0.variable)" } + wholeRules.map { "rule \($0)" }).joined(separator: ", ")
        out += "\n# (id \(id): CRS leaves ids 1-99,999 to local rules; pick another if the server already uses it)\n"
        out += "SecRule REQUEST_FILENAME \"@streq \(escaped)\" \\\n    \""
        out += actions.joined(separator: ",\\\n    ")
        out += "\"\n"
        return out
    }
}
