import Why403Core

/// The rules of Cloudflare rulesets, by the id Logpush gives them (`SecurityRuleID`, `RuleID` in
/// firewall_events): what `why403 logs --cloudflare-rules FILE...` joins each denial to.
public struct CloudflareRuleCatalogue: RuleCatalogue {
    /// The rulesets read.
    public let rulesets: [Ruleset]
    /// The files they came from.
    public let files: [String]

    /// A catalogue of `rulesets`.
    public init(rulesets: [Ruleset], files: [String]) {
        self.rulesets = rulesets
        self.files = files
    }

    /// Cloudflare.
    public var layer: Layer { .cloudflare }

    /// `Cloudflare rules FILE, ...`.
    public var origin: String { "Cloudflare rules " + files.joined(separator: ", ") }

    /// A rule id is 32 hexadecimal digits; the other names the logs give (`country`, `ip`,
    /// `asn`: IP Access rules, a security source) are not rules of a ruleset. A `ref` people chose
    /// is looked up too when a ruleset has one by that name.
    public func isRuleId(_ id: String) -> Bool {
        (id.count == 32 && id.allSatisfy(\.isHexDigit)) || rulesets.contains { $0.rules.contains { $0.ref == id } }
    }

    /// The rule whose `id` (else `ref`) is `id`.
    public func rule(id: String) -> CataloguedRule? {
        for set in rulesets {
            guard let r = set.rules.first(where: { $0.id == id }) ?? set.rules.first(where: { $0.ref == id }) else { continue }
            var text = r.expression.count > 300 ? String(r.expression.prefix(300)) + "…" : r.expression
            text = "when " + text + " (phase \(set.phase)" + (r.enabled ? "" : ", disabled") + ")"
            if let d = r.description, !d.isEmpty { text = "\(InputError.quote(d, limit: 120)) " + text }
            return CataloguedRule(id: r.id ?? id, name: r.ref.flatMap { $0 == r.id ? nil : $0 },
                                  location: r.origin.description, action: r.action, text: text)
        }
        return nil
    }
}
