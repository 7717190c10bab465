import Why403Core

/// Whether a statement matches: yes, no, likely (an approximation of a detector AWS does not publish
/// says yes: libinjection for SqliMatch/XssMatch), or possible (it depends on what cannot be known
/// offline: a managed group's unpublished rules, a rate, an unstated country, ASN or address, a
/// reference file not given, a body inspection limit that depends on the resource type).
public enum MatchState: String, Sendable, Equatable {
    /// The statement matches.
    case yes
    /// The statement does not match.
    case no
    /// An approximation of AWS's own detector matches: likely, not proven.
    case likely
    /// It might.
    case possible

    /// AND: no if any is no; otherwise the weakest of the others (possible, then likely, then yes).
    static func and(_ states: [MatchState]) -> MatchState {
        if states.contains(.no) { return .no }
        if states.contains(.possible) { return .possible }
        return states.contains(.likely) ? .likely : .yes
    }

    /// OR: yes if any is yes; otherwise the strongest of the others (likely, then possible, then no).
    static func or(_ states: [MatchState]) -> MatchState {
        if states.contains(.yes) { return .yes }
        if states.contains(.likely) { return .likely }
        return states.contains(.possible) ? .possible : .no
    }

    /// NOT: yes and no swap; the negation of a likely match is only possible (the detector's miss is
    /// not evidence), and of a possible one possible.
    var negated: MatchState { self == .yes ? .no : self == .no ? .yes : .possible }
}

/// How one statement was evaluated, with its nested statements: the trace a report cites.
public struct StatementTrace: Sendable {
    /// The statement's API name.
    public var kind: String
    /// Where it is written.
    public var source: WAFSource
    /// The result.
    public var state: MatchState
    /// What was compared, in words, with the request's (transformed) value.
    public var detail: String
    /// What the statement singles a request out by (address, country, User-Agent, rate, other).
    public var cause: Cause
    /// Nested statements (And, Or, Not, scope-downs).
    public var children: [StatementTrace]
    /// For an IP set statement: the set's ARN and, when the address is in it, the entry that holds it.
    public var ipSet: (arn: String, entry: WAFSource?)? = nil

    /// The leaves that made this statement's result: for a match, the nested statements that matched
    /// (a `Not` contributes its negated child).
    public var deciding: [StatementTrace] {
        guard !children.isEmpty else { return [self] }
        switch kind {
        case "AndStatement": return children.flatMap(\.deciding)
        case "OrStatement": return children.filter { $0.state == state }.flatMap(\.deciding)
        default: return children.flatMap(\.deciding)
        }
    }
}

/// One rule as evaluated (a rule of a referenced rule group appears as itself, after the web ACL rule
/// that references it).
public struct RuleOutcome: Sendable {
    /// `Name` of the rule (inside a rule group: the group's own rule `Name`).
    public var name: String
    /// `Priority`.
    public var priority: Int
    /// The rule group the rule belongs to (custom or managed), nil for a web ACL rule.
    public var group: String?
    /// The web ACL rule that references the group, for a rule inside one.
    public var via: String?
    /// Where the rule is written.
    public var source: WAFSource
    /// Whether its statement matched.
    public var state: MatchState
    /// The action that applies when it matches, after `OverrideAction`, `ExcludedRules` and
    /// `RuleActionOverrides`; nil for the web ACL rule that only references a custom rule group.
    public var action: WAFAction?
    /// Why the action differs from the rule's own (an override), when it does.
    public var actionNote: String?
    /// The statement's evaluation.
    public var trace: StatementTrace
    /// The labels the rule adds when it matches, fully qualified.
    public var labels: [String]
    /// For a managed rule group: the documented rules still in force, and the likely ones for this request.
    public var managedRules: [String]
    /// The likely deciders of a managed group, with why.
    public var likely: [(name: String, why: String)]
    /// The rule's JSON (for patches).
    public var json: WAFJSON
    /// The custom response bodies of the web ACL or rule group the rule belongs to.
    public var bodies: [String: CustomResponseBody]

    /// Whether the rule ends the evaluation when it matches.
    public var terminates: Bool { action?.terminates ?? false }
}

/// The evaluation of one request against a web ACL.
public struct Evaluation: Sendable {
    /// Every rule evaluated, in the order AWS WAF runs them.
    public var outcomes: [RuleOutcome]
    /// The index of the rule that decided for certain, nil when the default action did.
    public var decider: Int?
    /// Rules before the decider that might have decided (possible matches with a terminating action).
    public var possibleDeciders: [Int]
    /// The action that applies for certain: the decider's or the default action.
    public var action: WAFAction
    /// The labels on the request when evaluation stopped.
    public var labels: [String]
    /// What was assumed.
    public var notes: [String]
}

/// A web ACL with its references resolved and its regular expressions compiled, ready to evaluate
/// many requests: `evaluate` is a pure function of the request (a replay loop calls it per request).
public final class CompiledWebACL: @unchecked Sendable {
    // @unchecked: every stored property is set in init and never changed; the compiled `Regex`
    // values are not marked Sendable by the standard library but are only read.
    /// The web ACL.
    public let webACL: WebACL
    let ipSets: [String: IPSet]
    let regexSets: [String: RegexPatternSet]
    let ruleGroups: [String: RuleGroup]
    let regexes: [String: Regex<AnyRegexOutput>]
    /// Whether SqliMatch/XssMatch use libinjection (when libmodsecurity is installed) or only the token
    /// approximation.
    let libinjection: Bool
    /// The label namespaces of the web ACL and of each rule group (by ARN), made once: building them
    /// per rule evaluation (an ARN split each time) was 40% of a replay.
    let webNamespace: String
    let groupNamespaces: [String: String]

    /// Resolves references by ARN and compiles every regular expression once.
    public convenience init(webACL: WebACL, ipSets: [IPSet] = [], regexSets: [RegexPatternSet] = [], ruleGroups: [RuleGroup] = []) {
        self.init(webACL: webACL, ipSets: ipSets, regexSets: regexSets, ruleGroups: ruleGroups, libinjection: InjectionDetection.libinjectionAvailable)
    }

    /// `libinjection: false` evaluates as a machine without libmodsecurity does.
    init(webACL: WebACL, ipSets: [IPSet], regexSets: [RegexPatternSet], ruleGroups: [RuleGroup], libinjection: Bool) {
        self.libinjection = libinjection
        self.webACL = webACL
        self.webNamespace = webACL.labelNamespace
        self.groupNamespaces = Dictionary(ruleGroups.map { ($0.arn, $0.labelNamespace) }, uniquingKeysWith: { a, _ in a })
        self.ipSets = Dictionary(ipSets.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a })
        self.regexSets = Dictionary(regexSets.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a })
        self.ruleGroups = Dictionary(ruleGroups.map { ($0.arn, $0) }, uniquingKeysWith: { a, _ in a })
        var patterns: [String] = regexSets.flatMap { $0.patterns.map(\.text) }
        func walk(_ s: Statement) {
            switch s {
            case .regexMatch(let p, _, _, _): patterns.append(p)
            case .and(let list, _), .or(let list, _): list.forEach(walk)
            case .not(let inner, _): walk(inner)
            case .rateBased(_, _, _, let sd?, _, _), .managedRuleGroup(_, _, _, _, _, let sd?, _): walk(sd)
            default: break
            }
        }
        for r in webACL.rules { walk(r.statement) }
        for g in ruleGroups { for r in g.rules { walk(r.statement) } }
        var compiled: [String: Regex<AnyRegexOutput>] = [:]
        for p in patterns where compiled[p] == nil { compiled[p] = try? Regex(p) }
        regexes = compiled
    }

    /// Evaluates one request. `country` is the ISO 3166 alpha-2 code of the inspected address
    /// (`--country`); nil when unknown (geo statements are then `possible`). `asn` is the autonomous
    /// system number of the inspected address (`--asn`); nil when unknown (ASN statements are then
    /// `possible`). `resourceType` is what the web ACL protects (`--resource-type`): it sets the body
    /// inspection limit; nil when unknown (a decision that depends on the limit is then `possible`).
    public func evaluate(_ request: Request, country: String?, asn: Int? = nil, resourceType: ResourceType? = nil) -> Evaluation {
        var run = Run(acl: self, request: request, country: country?.uppercased())
        run.asn = asn
        run.resourceType = resourceType
        return run.evaluate()
    }
}

/// One evaluation's mutable state: the labels added so far.
struct Run {
    let acl: CompiledWebACL
    let request: Request
    let country: String?
    var asn: Int? = nil
    var resourceType: ResourceType? = nil
    var labels: [String] = []
    var possibleLabels: [String] = []
    var possibleNamespaces: [String] = []
    /// Managed rule groups that ran and might have added labels: the web ACL rule, the group, its
    /// documented rules (excluded and counted rules still add their labels) and the likely ones.
    var managedProducers: [(namespace: String, rule: String, group: String, rules: [String], likely: [(name: String, why: String)])] = []
    var notes: [String] = []
    var outcomes: [RuleOutcome] = []

    init(acl: CompiledWebACL, request: Request, country: String?) {
        self.acl = acl
        self.request = request
        self.country = country
    }

    mutating func evaluate() -> Evaluation {
        let web = acl.webACL
        var possible: [Int] = []
        for rule in web.rules {
            switch rule.statement {
            case .ruleGroupReference(let arn, let excluded, let overrides, let src):
                if let group = acl.ruleGroups[arn] {
                    let trace = StatementTrace(kind: "RuleGroupReferenceStatement", source: src, state: .yes,
                                               detail: "runs rule group \"\(group.name)\" (\(group.rules.count) rules)", cause: .wafRule, children: [])
                    outcomes.append(outcome(rule, state: .yes, action: nil, note: nil, trace: trace, labels: qualify(rule.labels, acl.webNamespace)))
                    for inner in group.rules {
                        var action = inner.action ?? .count
                        var note: String? = nil
                        if excluded.contains(inner.name) { action = .count; note = "excluded by ExcludedRules of \"\(rule.name)\" (Count)" }
                        if let o = overrides.first(where: { $0.name == inner.name }) { action = o.action; note = "RuleActionOverrides of \"\(rule.name)\": \(o.action.name)" }
                        if rule.overrideCount == true, action.terminates { action = .count; note = "OverrideAction Count of \"\(rule.name)\"" }
                        let t = statement(inner.statement, namespace: (acl.groupNamespaces[group.arn] ?? group.labelNamespace))
                        var o = outcome(inner, state: t.state, action: action, note: note, trace: t, labels: qualify(inner.labels, (acl.groupNamespaces[group.arn] ?? group.labelNamespace)))
                        o.group = group.name
                        o.via = rule.name
                        o.bodies = group.customResponseBodies
                        if let done = record(o, possible: &possible) { return done }
                    }
                } else {
                    notes.append("rule \"\(rule.name)\" references rule group \(arn), which was not given (--rule-group FILE from 'aws wafv2 get-rule-group'): its rules might decide")
                    let trace = StatementTrace(kind: "RuleGroupReferenceStatement", source: src, state: .possible,
                                               detail: "rule group \(arn) was not given: its rules are unknown", cause: .wafRule, children: [])
                    let o = outcome(rule, state: .possible, action: rule.overrideCount == true ? .count : .block(nil),
                                    note: rule.overrideCount == true ? "OverrideAction Count" : "assumed Block (the group's rules are unknown)", trace: trace,
                                    labels: qualify(rule.labels, acl.webNamespace))
                    if let done = record(o, possible: &possible) { return done }
                }
            case .managedRuleGroup(let vendor, let name, let version, let excluded, let overrides, let scopeDown, let src):
                let info = ManagedRuleGroups.groups[name]
                var children: [StatementTrace] = []
                var state = MatchState.possible
                if let sd = scopeDown {
                    let t = statement(sd, namespace: acl.webNamespace)
                    children.append(t)
                    if t.state == .no { state = .no }
                }
                let inForce: [String]
                var likely: [(name: String, why: String)] = []
                var action: WAFAction = .block(nil)
                var note: String? = nil
                if let info {
                    let counted = Set(excluded + overrides.filter { !$0.action.terminates }.map(\.name))
                    inForce = info.rules.filter { !counted.contains($0) }
                    likely = ManagedRuleGroups.likelyRules(name, request: request).filter { !counted.contains($0.name) }
                    if inForce.isEmpty { action = .count; note = "every documented rule is excluded or counted" }
                    else if let o = overrides.first(where: { $0.action.terminates && inForce.contains($0.name) && likely.first?.name == $0.name }) {
                        action = o.action; note = "RuleActionOverrides: \(o.name) → \(o.action.name)"
                    }
                } else {
                    inForce = []
                    notes.append("managed rule group \(vendor)/\(name) is not one this version documents: its rule names are unknown")
                }
                if rule.overrideCount == true { action = .count; note = "OverrideAction Count" }
                let detail = state == .no
                    ? "the scope-down statement does not match: the group's rules do not run"
                    : "\(vendor) managed rule group \(name)\(version.map { " \($0)" } ?? ""): its rules are not published; "
                        + (likely.isEmpty ? "nothing in this request fits a documented rule's description" : "likely: " + likely.map { "\($0.name) (\($0.why))" }.joined(separator: "; "))
                let trace = StatementTrace(kind: "ManagedRuleGroupStatement", source: src, state: state, detail: detail,
                                           cause: info?.cause ?? .wafRule, children: children)
                var o = outcome(rule, state: state, action: action, note: note, trace: trace, labels: qualify(rule.labels, acl.webNamespace))
                o.managedRules = inForce
                o.likely = likely
                if state != .no, let info {
                    possibleNamespaces.append(info.labelNamespace)
                    managedProducers.append((info.labelNamespace, rule.name, name, info.rules, ManagedRuleGroups.likelyRules(name, request: request)))
                }
                if let done = record(o, possible: &possible) { return done }
            default:
                let t = statement(rule.statement, namespace: acl.webNamespace)
                let o = outcome(rule, state: t.state, action: rule.action ?? .count, note: nil, trace: t, labels: qualify(rule.labels, acl.webNamespace))
                if let done = record(o, possible: &possible) { return done }
            }
        }
        return Evaluation(outcomes: outcomes, decider: nil, possibleDeciders: possible, action: web.defaultAction,
                          labels: labels, notes: notes)
    }

    func outcome(_ rule: WAFRule, state: MatchState, action: WAFAction?, note: String?, trace: StatementTrace, labels: [String]) -> RuleOutcome {
        RuleOutcome(name: rule.name, priority: rule.priority, group: nil, via: nil, source: rule.source, state: state, action: action,
                    actionNote: note, trace: trace, labels: labels, managedRules: [], likely: [], json: rule.json,
                    bodies: acl.webACL.customResponseBodies)
    }

    /// Adds labels of a matching rule; returns the evaluation when the rule decides for certain.
    mutating func record(_ o: RuleOutcome, possible: inout [Int]) -> Evaluation? {
        outcomes.append(o)
        switch o.state {
        case .yes:
            labels += o.labels
            if o.terminates, let action = o.action {
                return Evaluation(outcomes: outcomes, decider: outcomes.count - 1, possibleDeciders: possible, action: action,
                                  labels: labels, notes: notes)
            }
        case .possible, .likely:
            possibleLabels += o.labels
            if o.terminates { possible.append(outcomes.count - 1) }
        case .no: break
        }
        return nil
    }

    func qualify(_ names: [String], _ namespace: String) -> [String] {
        names.map { $0.hasPrefix("awswaf:") ? $0 : namespace + ":" + $0 }
    }

    // MARK: statements

    mutating func statement(_ s: Statement, namespace: String) -> StatementTrace {
        func leaf(_ state: MatchState, _ detail: String, _ cause: Cause = .wafRule) -> StatementTrace {
            StatementTrace(kind: s.kindName, source: s.source, state: state, detail: detail, cause: cause, children: [])
        }
        switch s {
        case .and(let list, let src):
            let ts = list.map { statement($0, namespace: namespace) }
            return StatementTrace(kind: "AndStatement", source: src, state: .and(ts.map(\.state)),
                                  detail: "all of \(ts.count) statements", cause: .wafRule, children: ts)
        case .or(let list, let src):
            let ts = list.map { statement($0, namespace: namespace) }
            return StatementTrace(kind: "OrStatement", source: src, state: .or(ts.map(\.state)),
                                  detail: "any of \(ts.count) statements", cause: .wafRule, children: ts)
        case .not(let inner, let src):
            let t = statement(inner, namespace: namespace)
            return StatementTrace(kind: "NotStatement", source: src, state: t.state.negated, detail: "not: \(t.detail)",
                                  cause: t.cause, children: [t])
        case .byteMatch(let search, let constraint, let field, let transforms, _):
            return inspect(field, transforms, s, describe: "\(constraint) \(show(search))") { Run.byteMatch($0, search, constraint) }
        case .regexMatch(let pattern, let field, let transforms, _):
            guard let re = acl.regexes[pattern] else { return leaf(.possible, "the regular expression \(InputError.quote(pattern)) could not be compiled here") }
            return inspect(field, transforms, s, describe: "matches /\(pattern)/") { v in
                (try? re.firstMatch(in: String(decoding: v, as: UTF8.self))) != nil
            }
        case .regexSetReference(let arn, let field, let transforms, _):
            guard let set = acl.regexSets[arn] else {
                notes.append("regex pattern set \(arn) was not given (--regex-set FILE from 'aws wafv2 get-regex-pattern-set')")
                return leaf(.possible, "regex pattern set \(arn) was not given: its patterns are unknown")
            }
            let res = set.patterns.compactMap { p in acl.regexes[p.text].map { (p.text, $0) } }
            var which = ""
            let t = inspect(field, transforms, s, describe: "matches a pattern of regex set \"\(set.name)\"") { v in
                let text = String(decoding: v, as: UTF8.self)
                for (p, re) in res where (try? re.firstMatch(in: text)) != nil { which = p; return true }
                return false
            }
            guard t.state == .yes else { return t }
            var out = t
            out.detail += " (/\(which)/)"
            return out
        case .sizeConstraint(let op, let size, let field, let transforms, _):
            // The size compared is the request's value here: say it (the quoted value is cut short).
            var sizes: [Int] = []
            var t = inspect(field, transforms, s, describe: "size \(op) \(size)") { v in
                sizes.append(v.count)
                return switch op {
                case "EQ": v.count == size
                case "NE": v.count != size
                case "LE": v.count <= size
                case "LT": v.count < size
                case "GE": v.count >= size
                default: v.count > size
                }
            }
            // Right after the comparison, before any note on the inspection limit.
            if let n = sizes.last, t.state != .possible, let r = t.detail.range(of: "size \(op) \(size)") {
                t.detail.insert(contentsOf: " (\(n) bytes)", at: r.upperBound)
            }
            return t
        case .sqliMatch(let field, let transforms, let level, _):
            return injection(.sqli, field, transforms, s, level: level)
        case .xssMatch(let field, let transforms, _):
            return injection(.xss, field, transforms, s, level: nil)
        case .labelMatch(let scope, let key, _):
            return labelMatch(scope: scope, key: key, namespace: namespace, statement: s)
        case .ipSetReference(let arn, let forwarded, _):
            guard let set = acl.ipSets[arn] else {
                notes.append("IP set \(arn) was not given (--ip-set FILE from 'aws wafv2 get-ip-set')")
                return leaf(.possible, "IP set \(arn) was not given: its addresses are unknown", .accessIP)
            }
            let (addresses, fallback, what) = inspectedAddresses(forwarded)
            if let fallback { return leaf(fallback, what, .accessIP) }
            guard !addresses.isEmpty else {
                return leaf(.possible, "the client address is not known (give --client-ip): IP set \"\(set.name)\" might hold it", .accessIP)
            }
            for a in addresses {
                if let hit = set.addresses.first(where: { $0.network.contains(a, matchingMappedIPv4: true) }) {
                    var t = leaf(.yes, "\(what) \(a) is in IP set \"\(set.name)\" (\(hit.text) at \(hit.source.path) of \(hit.source.file))", .accessIP)
                    t.ipSet = (arn, hit.source)
                    return t
                }
            }
            var t = leaf(.no, "\(what) \(addresses.map(\.description).joined(separator: ", ")) is not in IP set \"\(set.name)\" (\(set.addresses.count) ranges)", .accessIP)
            t.ipSet = (arn, nil)
            return t
        case .geoMatch(let countries, let forwarded, _):
            let prefix = forwarded == nil ? "awswaf:clientip:geo" : "awswaf:forwardedip:geo"
            if let f = forwarded, request.header(f.headerName) == nil {
                return leaf(.no, "header \(f.headerName) is absent: AWS WAF does not apply the statement", .geoBlock)
            }
            guard let country else {
                possibleNamespaces.append(prefix)
                return leaf(.possible, "the country is not known (give --country): it matches when it is one of \(countries.joined(separator: ", "))", .geoBlock)
            }
            let label = "\(prefix):country:\(country)"
            if !labels.contains(label) { labels.append(label) }
            let hit = countries.contains(country)
            return leaf(hit ? .yes : .no, "country \(country) (--country) is \(hit ? "" : "not ")in \(countries.joined(separator: ", "))", .geoBlock)
        case .asnMatch(let asns, let forwarded, _):
            let list = asns.map(String.init).joined(separator: ", ")
            var whose = "client address"
            if let f = forwarded {
                guard let header = request.header(f.headerName) else {
                    return leaf(.no, "header \(f.headerName) is absent: AWS WAF does not apply the statement", .accessIP)
                }
                let first = header.split(separator: ",").first.map { $0.trimmingCharacters(in: " ") } ?? ""
                guard IPAddress(first) != nil else {
                    return leaf(f.fallbackMatches ? .yes : .no,
                                "header \(f.headerName) \(InputError.quote(header)) has no valid address first: FallbackBehavior \(f.fallbackMatches ? "MATCH" : "NO_MATCH")", .accessIP)
                }
                whose = "\(f.headerName) address \(first)"
            }
            guard let asn else {
                return leaf(.possible, "the AS number of the \(whose) is not known (give --asn): it matches when it is one of \(list)", .accessIP)
            }
            let hit = asns.contains(asn)
            return leaf(hit ? .yes : .no, "AS\(asn) (--asn, taken as the \(whose)'s) is \(hit ? "" : "not ")in AsnList \(list)", .accessIP)
        case .rateBased(let limit, let window, let aggregate, let scopeDown, let forwarded, _):
            if let f = forwarded, aggregate == "FORWARDED_IP", request.header(f.headerName) == nil {
                return StatementTrace(kind: "RateBasedStatement", source: s.source, state: .no,
                                      detail: "header \(f.headerName) is absent: AWS WAF does not count the request", cause: .rateLimit, children: [])
            }
            var children: [StatementTrace] = []
            var state = MatchState.possible
            if let sd = scopeDown {
                let t = statement(sd, namespace: namespace)
                children.append(t)
                state = t.state == .no ? .no : .possible
            }
            let detail = state == .no
                ? "the scope-down statement does not match: this request is not counted"
                : "blocks only when more than \(limit) requests in \(window) seconds come from the same \(aggregate == "IP" ? "client address" : aggregate); one request cannot show the rate"
            return StatementTrace(kind: "RateBasedStatement", source: s.source, state: state, detail: detail, cause: .rateLimit, children: children)
        case .ruleGroupReference(let arn, _, _, _):
            return leaf(.possible, "rule group \(arn) nested in a statement (AWS WAF allows it only at the top of a rule)")
        case .managedRuleGroup(_, let name, _, _, _, _, _):
            return leaf(.possible, "managed rule group \(name) nested in a statement (AWS WAF allows it only at the top of a rule)")
        }
    }

    /// The addresses an IP set statement inspects: the client's, or those of the forwarded header at
    /// the configured position. A non-nil fallback is the result when AWS WAF decides without a lookup.
    func inspectedAddresses(_ f: ForwardedIPConfig?) -> ([IPAddress], MatchState?, String) {
        guard let f else { return (request.clientAddress.map { [$0] } ?? [], nil, "client address") }
        guard let header = request.header(f.headerName) else {
            return ([], .no, "header \(f.headerName) is absent: AWS WAF does not apply the statement")
        }
        let items = header.split(separator: ",").map { $0.trimmingCharacters(in: " ") }
        let picked: [String]
        switch f.position {
        case "LAST": picked = items.last.map { [$0] } ?? []
        case "ANY": picked = items
        default: picked = items.first.map { [$0] } ?? []
        }
        let valid = picked.compactMap { IPAddress($0) }
        if valid.isEmpty || (f.position != "ANY" && valid.count != picked.count) {
            return ([], f.fallbackMatches ? .yes : .no,
                    "header \(f.headerName) \(InputError.quote(header)) has no valid address at position \(f.position): FallbackBehavior \(f.fallbackMatches ? "MATCH" : "NO_MATCH")")
        }
        return (valid, nil, "\(f.headerName) address (\(f.position))")
    }

    func labelMatch(scope: String, key: String, namespace: String, statement s: Statement) -> StatementTrace {
        let qualified = key.hasPrefix("awswaf:") ? key : namespace + ":" + key
        let trimmed = qualified.hasSuffix(":") ? String(qualified.dropLast()) : qualified
        func hit(_ l: String) -> Bool { scope == "LABEL" ? l == trimmed : l.hasPrefix(trimmed + ":") }
        let cause: Cause = key.contains("geo:") ? .geoBlock : key.contains("bot-control") || key.contains("BadBots") || key.contains("NoUserAgent") ? .botBlock
            : key.contains("amazon-ip-list") || key.contains("anonymous-ip-list") ? .accessIP : .wafRule
        if let l = labels.first(where: hit) {
            return StatementTrace(kind: s.kindName, source: s.source, state: .yes, detail: "the request carries label \(l) (\(scope) \(InputError.quote(key)))", cause: cause, children: [])
        }
        if let l = possibleLabels.first(where: hit) {
            return StatementTrace(kind: s.kindName, source: s.source, state: .possible, detail: "label \(l) is added by a rule that might match", cause: cause, children: [])
        }
        if let p = managedProducers.first(where: { trimmed.hasPrefix($0.namespace) || $0.namespace.hasPrefix(trimmed) }) {
            // AWS names a managed rule's label after the rule (awswaf:managed:aws:core-rule-set:NoUserAgent_Header
            // for NoUserAgent_HEADER): the documented rules whose label the key names are the possible producers.
            let tail = trimmed.count > p.namespace.count ? String(trimmed.dropFirst(p.namespace.count + 1)).lowercased() : ""
            let producers = tail.isEmpty ? [] : p.rules.filter { scope == "LABEL" ? $0.lowercased() == tail : $0.lowercased().hasPrefix(tail) }
            let likely = p.likely.filter { l in producers.isEmpty || producers.contains(l.name) }
            var detail = "labels under \(p.namespace) come from managed rule group \(p.group) (rule \"\(p.rule)\"), whose rules are not published (\(scope) \(InputError.quote(key)))"
            if !producers.isEmpty { detail += "; documented producer: " + producers.joined(separator: ", ") }
            if !likely.isEmpty { detail += "; likely for this request: " + likely.map { "\($0.name) (\($0.why))" }.joined(separator: "; ") }
            return StatementTrace(kind: s.kindName, source: s.source, state: .possible, detail: detail, cause: cause, children: [])
        }
        if let ns = possibleNamespaces.first(where: { trimmed.hasPrefix($0) || $0.hasPrefix(trimmed) }) {
            return StatementTrace(kind: s.kindName, source: s.source, state: .possible,
                                  detail: "labels under \(ns) come from a rule group or a value that cannot be known offline (\(scope) \(InputError.quote(key)))", cause: cause, children: [])
        }
        return StatementTrace(kind: s.kindName, source: s.source, state: .no,
                              detail: "no label \(scope == "LABEL" ? "" : "in namespace ")\(trimmed) on the request (labels: \(labels.isEmpty ? "none" : labels.joined(separator: ", ")))",
                              cause: cause, children: [])
    }

    /// SqliMatch / XssMatch: AWS WAF's own detectors are not published. libinjection (through
    /// libmodsecurity) stands in: its match is `likely`, never `certain`; without libmodsecurity the token
    /// approximation's match is only `possible`. A match AWS WAF makes without the detector
    /// (OversizeHandling or InvalidFallbackBehavior MATCH) stays certain.
    mutating func injection(_ kind: InjectionDetection.Kind, _ field: FieldToMatch, _ transforms: [TextTransformation], _ s: Statement,
                            level: String?) -> StatementTrace {
        var detected = false
        let what = kind == .sqli ? "SQL injection" : "cross-site scripting"
        let sensitivity = level.map { " (SensitivityLevel \($0))" } ?? ""
        let useLibinjection = acl.libinjection
        var t = inspect(field, transforms, s, describe: "looks like \(what)\(sensitivity)") { v in
            let hit = InjectionDetection.detect(kind, in: v, libinjection: useLibinjection)
            if hit { detected = true }
            return hit
        }
        let detector = InjectionDetection.name(libinjection: useLibinjection)
        if t.state == .yes && detected {
            t.state = useLibinjection && InjectionDetection.libinjectionAvailable ? .likely : .possible
            t.detail += " — by \(detector), an approximation: AWS WAF's own \(kind == .sqli ? "SQL injection" : "XSS") detector\(level.map { " at SensitivityLevel \($0)" } ?? "") is not published, so this is \(t.state == .likely ? "likely" : "possible"), not proven"
        } else if t.state == .no && detected == false {
            t.detail += " (\(detector) found nothing; AWS's detector may still match\(level == "HIGH" ? ", and SensitivityLevel HIGH detects more than LOW" : ""))"
        }
        return t
    }

    /// The body inspection limits that may apply, each with the resource types it applies to: one when
    /// `--resource-type` is given or the web ACL's scope is CLOUDFRONT, several for a REGIONAL one.
    func bodyLimits() -> [(limit: Int, types: [ResourceType])] {
        let web = acl.webACL
        let types = resourceType.map { [$0] } ?? ResourceType.types(scope: web.scope)
        var out: [(limit: Int, types: [ResourceType])] = []
        for t in types {
            let l = web.bodyLimit(t)
            if let i = out.firstIndex(where: { $0.limit == l }) { out[i].types.append(t) } else { out.append((l, [t])) }
        }
        return out.sorted { $0.limit < $1.limit }
    }

    /// Runs a component statement: every value of the component, transformed, against `test`. For the
    /// body, with the inspection limit of the protected resource: when the limits that may apply give
    /// different results, the statement is `possible` and the trace says which resource gives which.
    mutating func inspect(_ field: FieldToMatch, _ transforms: [TextTransformation], _ s: Statement, describe: String,
                          _ test: ([UInt8]) -> Bool) -> StatementTrace {
        var isBody = false
        if case .body = field { isBody = true }
        if case .jsonBody = field { isBody = true }
        let size = request.body?.count ?? 0
        let limits = isBody ? bodyLimits() : []
        guard isBody, let smallest = limits.first, size > smallest.limit else {
            return inspectOnce(field, transforms, s, describe: describe, bodyLimit: nil, test)
        }
        var traces: [StatementTrace] = []
        for l in limits { traces.append(inspectOnce(field, transforms, s, describe: describe, bodyLimit: l.limit, test)) }
        func names(_ i: [Int]) -> String {
            i.map { "\(limits[$0].types.map(\.displayName).joined(separator: ", ")) (\(limits[$0].limit) bytes)" }.joined(separator: "; ")
        }
        if traces.allSatisfy({ $0.state == traces[0].state }) {
            var last = traces[traces.count - 1]
            last.detail += traces.count > 1
                ? " (the same with every body inspection limit that may apply: \(limits.map { String($0.limit) }.joined(separator: ", ")) bytes)"
                : " [body inspection limit of \(names([0]))]"
            return last
        }
        let matching = traces.indices.filter { traces[$0].state != .no }
        let missing = traces.indices.filter { traces[$0].state == .no }
        guard let firstMatch = matching.first, let firstMiss = missing.first else {
            // No limit gives a no-match (a certain match with one, a possible one with another): the weakest holds.
            var out = traces[0]
            out.state = MatchState.and(traces.map(\.state))
            out.detail += " (with every body inspection limit that may apply: \(names(Array(traces.indices))))"
            return out
        }
        notes.append("the body (\(size) bytes) is over AWS WAF's body inspection limit for some resource types: "
                     + limits.map { "\($0.types.map(\.displayName).joined(separator: ", ")) \($0.limit) bytes" }.joined(separator: "; ")
                     + "; give --resource-type alb|api-gateway|appsync|cognito|app-runner|verified-access|cloudfront")
        var out = traces[firstMatch]
        out.state = .possible
        out.detail = "the body is \(size) bytes and the inspection limit depends on the resource the web ACL protects"
            + (resourceType == nil ? " (give --resource-type)" : "")
            + ": it matches with \(names(matching)): \(out.detail); not with \(names(missing)): \(traces[firstMiss].detail)"
        return out
    }

    /// One inspection of a component statement with a given body limit.
    func inspectOnce(_ field: FieldToMatch, _ transforms: [TextTransformation], _ s: Statement, describe: String,
                     bodyLimit: Int?, _ test: ([UInt8]) -> Bool) -> StatementTrace {
        var cause: Cause = .wafRule
        if case .singleHeader(let n) = field, n.lowercased() == "user-agent" { cause = .botBlock }
        func result(_ state: MatchState, _ detail: String) -> StatementTrace {
            StatementTrace(kind: s.kindName, source: s.source, state: state, detail: detail, cause: cause, children: [])
        }
        if case .unavailable("HeaderOrder") = field {
            // AWS WAF inspects the header names in the order the client sent them, colon-separated
            // (API reference, HeaderOrder). A described request's order is what was written (a HAR's is the
            // browser's), not necessarily what a client sends: the result is stated but only possible.
            let order = RequestComponents.headerPairs(request).map { $0.name.lowercased() }.joined(separator: ":")
            let t = Transformations.apply(transforms, to: Array(order.utf8))
            let hit = test(t)
            return result(.possible, "HeaderOrder of the request as described \(show(t)) \(hit ? "" : "does not satisfy ")\(describe)"
                          + "; the order a client really sends is not known offline: the statement might \(hit ? "" : "still ")match")
        }
        if case .unavailable(let name) = field {
            return result(.possible, "\(name) is not part of a request described on the command line: the statement might match")
        }
        if let t = transforms.first(where: { Transformations.notComputed.contains($0.type) }) {
            return result(.possible, "the \(t.type) transformation is not computed by this version: the statement might match")
        }
        let values: [ComponentValue]
        var possibleWhy: String? = nil
        switch RequestComponents.read(field, in: request, bodyLimit: bodyLimit) {
        case .absent: return result(.no, "\(field.name) is absent from the request: the statement does not match")
        case .decided(let state, let why): return result(state, why)
        case .values(let v, let p): values = v; possibleWhy = p
        }
        let names = transforms.filter { $0.type != "NONE" }.map(\.type)
        let after = names.isEmpty ? "" : " after \(names.joined(separator: ", "))"
        for v in values {
            let t = Transformations.apply(transforms, to: v.bytes)
            if test(t) {
                if let possibleWhy { return result(.possible, "\(v.label) \(show(t))\(after) \(describe), but \(possibleWhy)") }
                return result(.yes, "\(v.label) \(show(t))\(after) \(describe)")
            }
        }
        if values.count == 1, let v = values.first {
            return result(.no, "\(v.label) \(show(Transformations.apply(transforms, to: v.bytes)))\(after) does not satisfy \(describe)")
        }
        return result(.no, "none of \(values.count) values of \(field.name)\(after) satisfies \(describe)")
    }

    static func byteMatch(_ v: [UInt8], _ search: [UInt8], _ constraint: String) -> Bool {
        switch constraint {
        case "EXACTLY": return v == search
        case "STARTS_WITH": return v.starts(with: search)
        case "ENDS_WITH": return v.count >= search.count && Array(v.suffix(search.count)) == search
        case "CONTAINS": return find(search, in: v, from: 0) != nil
        default:  // CONTAINS_WORD: bounded by the start/end or a character that is not alphanumeric or underscore
            var from = 0
            while let i = find(search, in: v, from: from) {
                let before = i == 0 || !isWord(v[i - 1])
                let end = i + search.count
                let afterOK = end == v.count || !isWord(v[end])
                if before && afterOK { return true }
                from = i + 1
            }
            return false
        }
    }

    static func isWord(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// A value quoted for a report, shortened.
func show(_ bytes: [UInt8]) -> String { InputError.quote(String(decoding: bytes, as: UTF8.self), limit: 80) }
