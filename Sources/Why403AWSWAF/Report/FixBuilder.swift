import Why403Core

/// The narrowest change that lets this request through, as a JSON patch (RFC 6902) of the file the rule
/// came from: a scope-down `NotStatement` on the URI path for a custom rule, a `RuleActionOverrides`
/// entry (Count) for a rule of a managed or referenced rule group, the client's address for an allow list.
struct FixBuilder {
    let web: WebACL
    let outcomes: [RuleOutcome]
    let request: Request
    let ipSets: [String: IPSet]
    /// `--asn`, for the fix of an ASN match.
    var asn: Int? = nil

    func fixes(for o: RuleOutcome, cause: Cause) -> [Fix] {
        var fixes: [Fix] = []
        let path = request.target.path
        if o.trace.kind == "ManagedRuleGroupStatement" {
            let name = o.likely.first?.name ?? "RULE_NAME"
            let ptr = o.source.pointer + "/Statement/ManagedRuleGroupStatement"
            fixes.append(Fix(summary: "count instead of block the managed rule that matches"
                                + (o.likely.isEmpty ? " (replace RULE_NAME with the rule the WAF log names)" : " (\(name): \(o.likely[0].why))"),
                             commands: updateCommands(),
                             patch: patch(file: web.file, ops: [overrideOp(o.json["Statement"]?["ManagedRuleGroupStatement"], pointer: ptr, rule: name)])))
            fixes.append(Fix(summary: "or keep the group out of the path \(path): add a scope-down statement",
                             commands: [], patch: patch(file: web.file, ops: [scopeDownOp(o.json["Statement"]?["ManagedRuleGroupStatement"]?["ScopeDownStatement"],
                                                                                           pointer: ptr + "/ScopeDownStatement", path: path, wrapExisting: true)])))
            return fixes
        }
        if let group = o.group, let via = outcomes.first(where: { $0.name == o.via && $0.group == nil }) {
            let ptr = via.source.pointer + "/Statement/RuleGroupReferenceStatement"
            fixes.append(Fix(summary: "exclude the path \(path) from rule \"\(o.name)\" of rule group \"\(group)\" (a scope-down NotStatement)",
                             commands: ["aws wafv2 update-rule-group ... (the rule group's Rules with this change, and its lock token)"],
                             patch: patch(file: o.source.file, ops: [scopeDownOp(o.json["Statement"], pointer: o.source.pointer + "/Statement", path: path)])))
            fixes.append(Fix(summary: "or, in the web ACL, count instead of block rule \"\(o.name)\" of the group (RuleActionOverrides of \"\(via.name)\")",
                             commands: updateCommands(),
                             patch: patch(file: web.file, ops: [overrideOp(via.json["Statement"]?["RuleGroupReferenceStatement"], pointer: ptr, rule: o.name)])))
            return fixes
        }
        if o.trace.kind == "RateBasedStatement" {
            fixes.append(Fix(summary: "if this client is legitimate, raise the rule's Limit or keep the path \(path) out of its scope-down statement",
                             commands: [], patch: patch(file: web.file, ops: [scopeDownOp(o.json["Statement"]?["RateBasedStatement"]?["ScopeDownStatement"],
                                                                                        pointer: o.source.pointer + "/Statement/RateBasedStatement/ScopeDownStatement",
                                                                                        path: path, wrapExisting: true)])))
            return fixes
        }
        if cause == .accessIP, o.group == nil, let fix = ipSetFix(o) { fixes.append(fix) }
        if cause == .accessIP, o.group == nil, let fix = asnFix(o) { fixes.append(fix) }
        if case .captcha = o.action ?? .count {
            fixes.append(Fix(summary: "a browser solves the CAPTCHA and retries with the aws-waf-token cookie; an API client cannot, so exclude the path \(path) from the rule"))
        } else if case .challenge = o.action ?? .count {
            fixes.append(Fix(summary: "a browser runs the challenge and retries with the aws-waf-token cookie; an API client cannot, so exclude the path \(path) from the rule"))
        }
        fixes.append(Fix(summary: "exclude the path \(path) from rule \"\(o.name)\" (a scope-down NotStatement on the URI path)",
                         commands: updateCommands(),
                         patch: patch(file: web.file, ops: [scopeDownOp(o.json["Statement"], pointer: o.source.pointer + "/Statement", path: path)])))
        return fixes
    }

    /// An address rule: take the client out of the block list that holds it, or add it to the allow list
    /// a `NotStatement` guards with.
    func ipSetFix(_ o: RuleOutcome) -> Fix? {
        guard let leaf = o.trace.deciding.first(where: { $0.ipSet != nil }), let ref = leaf.ipSet,
              let set = ipSets[ref.arn] else { return nil }
        if let entry = ref.entry {
            return Fix(summary: "remove \(entry.path) from IP set \"\(set.name)\" (it holds the client) — or a narrower range that leaves the client out",
                       commands: ["aws wafv2 update-ip-set --name \(set.name) --scope REGIONAL --id ID --addresses ... --lock-token TOKEN"],
                       patch: patch(file: entry.file, ops: ["{\"op\": \"remove\", \"path\": \"\(entry.pointer)\"}"]))
        }
        guard leaf.state == .no, let ip = request.clientAddress else { return nil }
        let cidr = ip.isIPv6 ? "\(ip)/128" : "\(ip)/32"
        return Fix(summary: "add \(cidr) to IP set \"\(set.name)\", the addresses rule \"\(o.name)\" lets through",
                   commands: ["aws wafv2 update-ip-set --name \(set.name) --scope REGIONAL --id ID --addresses ... \(cidr) --lock-token TOKEN"],
                   patch: patch(file: set.source.file, ops: ["{\"op\": \"add\", \"path\": \"\(WAFSource.pointer(set.source.path))/Addresses/-\", \"value\": \(WAFJSON.quote(cidr))}"]))
    }

    /// An ASN rule that matched the client's network: take the number out of `AsnList` (when it is not
    /// the only one: AWS requires at least one).
    func asnFix(_ o: RuleOutcome) -> Fix? {
        guard let asn, let leaf = o.trace.deciding.first(where: { $0.kind == "AsnMatchStatement" && $0.state == .yes }),
              case .asnMatch(let asns, _, _)? = statementAt(leaf.source.path, in: o), asns.count > 1,
              let i = asns.firstIndex(of: asn) else { return nil }
        return Fix(summary: "remove AS\(asn) from the AsnList of rule \"\(o.name)\" (\(leaf.source.path)), if no client of that network should be refused",
                   commands: updateCommands(),
                   patch: patch(file: web.file, ops: ["{\"op\": \"remove\", \"path\": \"\(leaf.source.pointer)/AsnList/\(i)\"}"]))
    }

    /// A default Block: add the client to the allow list an Allow rule uses, else allow the path.
    func defaultBlockFixes(allows: [RuleOutcome], acl: CompiledWebACL) -> [Fix] {
        if let ip = request.clientAddress {
            for o in allows {
                for leaf in o.trace.flattened where leaf.kind == "IPSetReferenceStatement" {
                    if case .ipSetReference(let arn, nil, _)? = statementAt(leaf.source.path, in: o), let set = acl.ipSets[arn] {
                        let cidr = ip.isIPv6 ? "\(ip)/128" : "\(ip)/32"
                        return [Fix(summary: "add \(cidr) to IP set \"\(set.name)\", which Allow rule \"\(o.name)\" uses",
                                    commands: ["aws wafv2 update-ip-set --name \(set.name) --scope REGIONAL --id ID --addresses ... \(cidr) --lock-token TOKEN"],
                                    patch: patch(file: set.source.file, ops: ["{\"op\": \"add\", \"path\": \"\(WAFSource.pointer(set.source.path))/Addresses/-\", \"value\": \(WAFJSON.quote(cidr))}"]))]
                    }
                }
            }
        }
        return [Fix(summary: "add an Allow rule for the path \(request.target.path) (or widen an existing Allow rule) before the default action applies")]
    }

    func statementAt(_ path: String, in o: RuleOutcome) -> Statement? {
        func find(_ s: Statement) -> Statement? {
            if s.source.path == path { return s }
            switch s {
            case .and(let l, _), .or(let l, _): return l.lazy.compactMap(find).first
            case .not(let i, _): return find(i)
            default: return nil
            }
        }
        guard let rule = (web.rules.first { $0.source == o.source }) else { return nil }
        return find(rule.statement)
    }

    func updateCommands() -> [String] {
        ["aws wafv2 get-web-acl --name \(web.name) --scope REGIONAL --id ID > web-acl.json   # CLOUDFRONT for a CloudFront web ACL",
         "aws wafv2 update-web-acl --name \(web.name) --scope REGIONAL --id ID --default-action ... --rules file://rules.json --visibility-config ... --lock-token TOKEN"]
    }

    /// `{"NotStatement": {"Statement": {"ByteMatchStatement": … UriPath EXACTLY path …}}}`.
    func notPath(_ path: String) -> String {
        "{\"NotStatement\": {\"Statement\": {\"ByteMatchStatement\": {\"SearchString\": \(WAFJSON.quote(Base64.encode(Array(path.utf8)))), "
            + "\"FieldToMatch\": {\"UriPath\": {}}, \"TextTransformations\": [{\"Priority\": 0, \"Type\": \"NONE\"}], \"PositionalConstraint\": \"EXACTLY\"}}}}"
    }

    /// Adds a NotStatement on the path: into an existing AndStatement, or by wrapping the statement in one.
    func scopeDownOp(_ statement: WAFJSON?, pointer: String, path: String, wrapExisting: Bool = true) -> String {
        guard let statement else {
            return "{\"op\": \"add\", \"path\": \"\(pointer)\", \"value\": \(notPath(path))}"
        }
        if statement["AndStatement"] != nil {
            return "{\"op\": \"add\", \"path\": \"\(pointer)/AndStatement/Statements/-\", \"value\": \(notPath(path))}"
        }
        return "{\"op\": \"replace\", \"path\": \"\(pointer)\", \"value\": {\"AndStatement\": {\"Statements\": [\(statement.serialized), \(notPath(path))]}}}"
    }

    func overrideOp(_ container: WAFJSON?, pointer: String, rule: String) -> String {
        let entry = "{\"Name\": \(WAFJSON.quote(rule)), \"ActionToUse\": {\"Count\": {}}}"
        if container?["RuleActionOverrides"] != nil {
            return "{\"op\": \"add\", \"path\": \"\(pointer)/RuleActionOverrides/-\", \"value\": \(entry)}"
        }
        return "{\"op\": \"add\", \"path\": \"\(pointer)/RuleActionOverrides\", \"value\": [\(entry)]}"
    }

    func patch(file: String, ops: [String]) -> String {
        "# JSON patch (RFC 6902) of \(file)\n[\n  " + ops.joined(separator: ",\n  ") + "\n]\n"
    }
}
