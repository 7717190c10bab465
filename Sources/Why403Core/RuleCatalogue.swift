/// One rule of the rules a user gave (an AWS WAF web ACL, Cloudflare rulesets, ModSecurity rule
/// files), found by the id a log line names: where it is written and what it says.
public struct CataloguedRule: Sendable, Equatable {
    /// The id the logs use (AWS WAF rule `Name`, Cloudflare rule `id`, ModSecurity `id:`).
    public var id: String
    /// Another name people know it by (a Cloudflare rule's `ref`), or nil.
    public var name: String?
    /// Where it is written: `file:line`, or `file $.json.path`.
    public var location: String
    /// Its action (`Block`, `block`, `deny`, …), when the rule states one.
    public var action: String?
    /// What it tests, shortened: an expression, a statement's summary, a ModSecurity `msg`.
    public var text: String

    /// A rule at `location`.
    public init(id: String, name: String? = nil, location: String, action: String? = nil, text: String) {
        self.id = id
        self.name = name
        self.location = location
        self.action = action
        self.text = text
    }
}

/// The rules of one layer, looked up by the ids its logs name. Each rules module builds one from
/// the files the user gives (`logs --web-acl`, `--cloudflare-rules`, `--modsecurity`); `Report.joiningRules`
/// puts what they say beside the log's refusals.
public protocol RuleCatalogue: Sendable {
    /// The layer whose logs name these rules.
    var layer: Layer { get }
    /// The files read, for the notes (`web ACL acl.json`).
    var origin: String { get }
    /// The rule the logs call `id`, or nil.
    func rule(id: String) -> CataloguedRule?
    /// Whether `id` has the shape of a rule id of this layer (a name the logs give to something that is
    /// not a rule, such as Cloudflare's `country` source or AWS WAF's `Default_Action`, does not).
    func isRuleId(_ id: String) -> Bool
}

extension Report {
    /// This report of refusals read from logs, with each finding's rule joined to the rules given: the
    /// rule's text and place become the finding's first evidence (and `details.rule_source`), and a rule
    /// the logs name that none of the catalogues of its layer holds is said in a note (the logs come from
    /// other rules than the ones given).
    public func joiningRules(_ catalogues: [any RuleCatalogue]) -> Report {
        guard !catalogues.isEmpty else { return self }
        var out = self
        var missing: [String] = []
        for i in out.findings.indices {
            let f = out.findings[i]
            let mine = catalogues.filter { $0.layer == f.layer }
            guard !mine.isEmpty else { continue }
            var ids: [String] = []
            if let r = f.rule { ids.append(r.hasPrefix("modsecurity-") ? String(r.dropFirst("modsecurity-".count)) : r) }
            for key in ["rules", "scored_rules"] {
                if case .array(let rows)? = f.details?[key] {
                    for row in rows {
                        if case .object(let o) = row, case .string(let k)? = o["key"] {
                            let id = key == "scored_rules" ? String(k.prefix { $0 != " " }) : k
                            if !ids.contains(id) { ids.append(id) }
                        }
                    }
                }
            }
            var found: [CataloguedRule] = []
            for id in ids where mine.contains(where: { $0.isRuleId(id) }) {
                if let r = mine.lazy.compactMap({ $0.rule(id: id) }).first { found.append(r) }
                else if !missing.contains(id) { missing.append(id) }
            }
            guard !found.isEmpty else { continue }
            out.findings[i].evidence = found.prefix(6).map { r in
                Evidence(source: r.location, text: "rule \(r.name.map { "\($0) (\(r.id))" } ?? r.id)"
                         + (r.action.map { ", \($0)" } ?? "") + ": " + r.text)
            } + f.evidence
            var details = f.details ?? [:]
            details["rule_source"] = .array(found.map { r in
                var o: [String: JSONValue] = ["id": .string(r.id), "location": .string(r.location), "text": .string(r.text)]
                if let n = r.name { o["name"] = .string(n) }
                if let a = r.action { o["action"] = .string(a) }
                return .object(o)
            })
            out.findings[i].details = details
        }
        if !missing.isEmpty {
            let origins = catalogues.map(\.origin).joined(separator: ", ")
            out.notes.append("rule\(missing.count == 1 ? "" : "s") \(missing.prefix(8).map { InputError.quote($0) }.joined(separator: ", ")) named by the logs "
                             + "\(missing.count == 1 ? "is" : "are") not in the rules given (\(origins)): the logs come from other rules "
                             + "(another web ACL, zone or version) than these")
        }
        return out
    }
}
