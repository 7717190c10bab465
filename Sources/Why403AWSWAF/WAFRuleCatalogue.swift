import Why403Core

/// The rules of a web ACL (and the rule groups it references), by the names AWS WAF logs give them:
/// `terminatingRuleId` is the web ACL rule's `Name`, or inside a rule group the group's own rule `Name`
/// (`ruleGroupList[].terminatingRule.ruleId`), which for a managed group is one of its documented rules.
/// What `why403 logs --web-acl FILE [--rule-group FILE]...` joins each denial to.
public struct WAFRuleCatalogue: RuleCatalogue {
    /// The web ACL.
    public let webACL: WebACL
    /// The rule groups given beside it.
    public let ruleGroups: [RuleGroup]

    /// A catalogue of `webACL` and `ruleGroups`.
    public init(webACL: WebACL, ruleGroups: [RuleGroup] = []) {
        self.webACL = webACL
        self.ruleGroups = ruleGroups
    }

    /// Reads the web ACL and rule group files (`aws wafv2 get-web-acl` / `get-rule-group` output).
    public init(webACLPath: String, ruleGroupPaths: [String] = []) throws {
        try self.init(webACL: WAFReader.webACL(path: webACLPath), ruleGroups: ruleGroupPaths.map { try WAFReader.ruleGroup(path: $0) })
    }

    /// AWS WAF.
    public var layer: Layer { .awsWAF }

    /// `web ACL NAME (FILE)`.
    public var origin: String { "web ACL \(webACL.name) (\(webACL.file))" }

    /// Every name but the default action's.
    public func isRuleId(_ id: String) -> Bool { id != "Default_Action" && !id.isEmpty }

    /// The rule named `id`: a web ACL rule, a rule of a given rule group, or a documented rule of a
    /// managed rule group the web ACL uses (located at the web ACL rule that runs the group).
    public func rule(id: String) -> CataloguedRule? {
        if let r = webACL.rules.first(where: { $0.name == id }) { return describe(r, in: nil) }
        for g in ruleGroups {
            if let r = g.rules.first(where: { $0.name == id }) { return describe(r, in: g.name) }
        }
        for r in webACL.rules {
            guard case .managedRuleGroup(let vendor, let name, _, let excluded, let overrides, _, _) = r.statement,
                  let group = ManagedRuleGroups.groups[name], group.rules.contains(id) else { continue }
            var action = "the group's action"
            if excluded.contains(id) { action = "Count (excluded)" }
            if let o = overrides.first(where: { $0.name == id }) { action = o.action.name + " (overridden)" }
            return CataloguedRule(id: id, name: nil, location: "\(r.source.file):\(r.source.line) \(r.source.pointer)", action: action,
                                  text: "documented rule of the managed rule group \(vendor)/\(name), run by web ACL rule \(r.name) "
                                      + "(priority \(r.priority)); its contents are not published")
        }
        return nil
    }

    private func describe(_ r: WAFRule, in group: String?) -> CataloguedRule {
        let action = r.action?.name ?? r.overrideCount.map { $0 ? "Count (OverrideAction)" : "the group's actions (OverrideAction None)" }
        var text = r.statement.kindName
        if case .managedRuleGroup(let vendor, let name, _, _, _, _, _) = r.statement { text += " \(vendor)/\(name)" }
        if case .rateBased(let limit, let window, let aggregate, _, _, _) = r.statement {
            text += " (more than \(limit) requests per \(window) s by \(aggregate))"
        }
        if case .geoMatch(let countries, _, _) = r.statement { text += " (countries \(countries.joined(separator: ", ")))" }
        if case .ipSetReference(let arn, _, _) = r.statement { text += " (IP set \(arn.split(separator: "/").dropLast().last.map(String.init) ?? arn))" }
        if case .labelMatch(let scope, let key, _) = r.statement { text += " (\(scope.lowercased()) \(key))" }
        text += ", priority \(r.priority)"
        if let group { text += ", in rule group \(group)" }
        return CataloguedRule(id: r.name, name: nil, location: "\(r.source.file):\(r.source.line) \(r.source.pointer)",
                              action: action, text: text)
    }
}
