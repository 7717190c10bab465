import Why403Core

/// `why403 aws-waf`: which rule of an AWS WAF web ACL decides a request, offline.
///
/// Rules run by ascending `Priority` (a referenced rule group's rules in its own order), labels added by
/// matching rules are seen by later ones, Count goes on, Allow/Block/CAPTCHA/Challenge end the evaluation,
/// and the default action applies when no rule decides. What cannot be known offline (a managed group's
/// unpublished rules, a rate, AWS's SQLi/XSS detectors, an unstated country) is `possible`, never ignored.
public enum AWSWAFAnalyzer {
    /// What to analyse.
    public struct Input: Sendable {
        /// The web ACL and its references, compiled.
        public var acl: CompiledWebACL
        /// The request.
        public var request: Request
        /// The country of the inspected address (`--country`), ISO 3166 alpha-2.
        public var country: String?
        /// The autonomous system number of the inspected address (`--asn`).
        public var asn: Int?
        /// What the web ACL protects (`--resource-type`): sets the body inspection limit.
        public var resourceType: ResourceType?

        /// An input from a compiled web ACL.
        public init(acl: CompiledWebACL, request: Request, country: String? = nil, asn: Int? = nil, resourceType: ResourceType? = nil) {
            self.acl = acl
            self.request = request
            self.country = country
            self.asn = asn
            self.resourceType = resourceType
        }

        /// An input from the parsed files.
        public init(webACL: WebACL, ipSets: [IPSet] = [], regexSets: [RegexPatternSet] = [], ruleGroups: [RuleGroup] = [],
                    request: Request, country: String? = nil, asn: Int? = nil, resourceType: ResourceType? = nil) {
            self.init(acl: CompiledWebACL(webACL: webACL, ipSets: ipSets, regexSets: regexSets, ruleGroups: ruleGroups),
                      request: request, country: country, asn: asn, resourceType: resourceType)
        }
    }

    /// The report: the deciding rule first, earlier rules and possible deciders with it. Throws an
    /// `InputError` for a `--country` that is not two letters.
    public static func analyze(_ input: Input) throws -> Report {
        if let c = input.country, c.count != 2 || !c.allSatisfy({ $0.isASCII && $0.isLetter }) {
            throw InputError(file: nil, expected: "a two-letter ISO 3166 country code for --country (US, DE, ...)", found: InputError.quote(c))
        }
        if let a = input.asn, a < 0 || a > 4_294_967_295 {
            throw InputError(file: nil, expected: "an AS number from 0 to 4294967295 for --asn", found: String(a))
        }
        if let t = input.resourceType, t != .cloudfront, input.acl.webACL.scope == "CLOUDFRONT" {
            throw InputError(file: input.acl.webACL.file, expected: "--resource-type cloudfront for a web ACL of Scope CLOUDFRONT (its ARN is global/webacl)",
                             found: t.rawValue)
        }
        if input.resourceType == .cloudfront, input.acl.webACL.scope == "REGIONAL" {
            throw InputError(file: input.acl.webACL.file, expected: "a regional resource type for a REGIONAL web ACL (alb, api-gateway, appsync, cognito, app-runner, verified-access)",
                             found: "cloudfront")
        }
        let eval = input.acl.evaluate(input.request, country: input.country, asn: input.asn, resourceType: input.resourceType)
        return ReportBuilder(acl: input.acl, request: input.request, country: input.country?.uppercased(), asn: input.asn, eval: eval).report()
    }

    /// For a replay: the full report only where a rule decided or might have; a request the default
    /// Allow action lets through with no rule deciding gets a bare passing report (explaining every
    /// earlier rule for every request of a log is what made a replay slow).
    public static func analyzeForReplay(_ input: Input) throws -> Report {
        let eval = input.acl.evaluate(input.request, country: input.country, asn: input.asn, resourceType: input.resourceType)
        if eval.decider == nil, eval.possibleDeciders.isEmpty, input.acl.webACL.defaultAction.status == nil {
            return Report(subject: Subject(kind: .awsWAF, url: input.request.url, method: input.request.method), verdict: .notDenied)
        }
        return ReportBuilder(acl: input.acl, request: input.request, country: input.country?.uppercased(), asn: input.asn, eval: eval).report()
    }
}

struct ReportBuilder {
    let acl: CompiledWebACL
    let request: Request
    let country: String?
    var asn: Int? = nil
    let eval: Evaluation

    var web: WebACL { acl.webACL }

    func report() -> Report {
        var findings: [Finding] = []
        var notes = eval.notes
        let earlier = earlierRules()
        for i in eval.possibleDeciders {
            let o = eval.outcomes[i]
            findings.append(finding(o, confidence: o.state == .likely ? .likely : .possible, earlier: []))
        }
        var status: Int?
        if let d = eval.decider {
            let o = eval.outcomes[d]
            findings.insert(finding(o, confidence: .certain, earlier: earlier), at: 0)
            status = eval.action.status
        } else {
            findings.insert(defaultFinding(earlier: earlier), at: 0)
            status = web.defaultAction.status
        }
        if status == nil, let first = eval.possibleDeciders.first(where: { eval.outcomes[$0].action?.status != nil }) {
            let o = eval.outcomes[first]
            status = o.action?.status
            notes.append("rule \"\(o.name)\" might \(o.action?.name.lowercased() ?? "block") this request (\(o.action?.status ?? 403)); if it does not match, the request is allowed")
        }
        // The earlier rules, for the reader of the text report (the JSON has them in details.earlier_rules).
        for case .object(let e) in earlier.prefix(20) {
            if case .string(let name)? = e["name"], case .int(let p)? = e["priority"], case .string(let why)? = e["why"],
               case .string(let src)? = e["source"] {
                notes.append("earlier rule \"\(name)\" (Priority \(p), \(src)) \(why)")
            }
        }
        if earlier.count > 20 { notes.append("… and \(earlier.count - 20) more earlier rules (details.earlier_rules of the JSON report)") }
        if input(country: country) { notes.append("no --country given: geo match statements are possible, not evaluated") }
        if asn == nil, eval.outcomes.contains(where: { $0.trace.flattened.contains { $0.kind == "AsnMatchStatement" && $0.state == .possible } }) {
            notes.append("no --asn given: ASN match statements are possible, not evaluated")
        }
        if eval.outcomes.contains(where: { $0.trace.flattened.contains { $0.kind == "SqliMatchStatement" || $0.kind == "XssMatchStatement" } }) {
            let lib = acl.libinjection && InjectionDetection.libinjectionAvailable
            notes.append("SqliMatch/XssMatch statements are evaluated with \(InjectionDetection.name(libinjection: acl.libinjection)), an approximation of AWS WAF's own detectors (not published): a match is \(lib ? "likely" : "possible"), never certain")
        }
        if request.clientAddress == nil, eval.outcomes.contains(where: { $0.trace.flattened.contains { $0.kind == "IPSetReferenceStatement" } }) { notes.append("no --client-ip given: IP set statements on the client address are possible") }
        notes.append("the request is taken to carry no aws-waf-token, so a CAPTCHA action answers 405 and a Challenge 202")
        var subject = Subject(kind: .awsWAF, url: request.url, method: request.method, clientIP: request.clientIP, config: web.file,
                              extra: ["web_acl": .string(web.name), "country": country.map { .string($0) } ?? .null,
                                      "labels": .array(eval.labels.map { .string($0) })])
        if let asn { subject.extra["asn"] = .int(asn) }
        return Report(subject: subject, status: status, findings: findings, answeredBy: .awsWAF, notes: notes)
    }

    func input(country: String?) -> Bool {
        country == nil && eval.outcomes.contains { o in o.trace.flattened.contains { $0.kind == "GeoMatchStatement" } }
    }

    /// The rules before the decision and why each did not decide.
    func earlierRules() -> [JSONValue] {
        let end = eval.decider ?? eval.outcomes.count
        return eval.outcomes[..<end].map { o in
            var why: String
            switch o.state {
            case .no: why = "did not match: " + (o.trace.deciding.first { $0.state == .no }?.detail ?? o.trace.detail)
            case .yes: why = o.terminates ? "matched" : "matched; its action is \(o.action?.name ?? "none") (non-terminating)\(o.actionNote.map { ", \($0)" } ?? "")"
            case .likely: why = "likely matches: " + o.trace.detail
            case .possible: why = "might match: " + o.trace.detail
            }
            if o.action == nil && o.state == .yes { why = o.trace.detail }
            var entry: [String: JSONValue] = ["name": .string(o.name), "priority": .int(o.priority), "result": .string(o.state.rawValue),
                                              "why": .string(why), "json_path": .string(o.source.path), "source": .string(o.source.description)]
            if let g = o.group { entry["rule_group"] = .string(g) }
            return .object(entry)
        }
    }

    static func rank(_ c: Cause) -> Int {
        switch c {
        case .rateLimit: 0
        case .accessIP: 1
        case .geoBlock: 2
        case .botBlock: 3
        default: 4
        }
    }

    /// What singled the request out, from the statements that made the match.
    static func cause(_ t: StatementTrace) -> Cause {
        switch t.kind {
        case "ManagedRuleGroupStatement", "RateBasedStatement", "RuleGroupReferenceStatement": return t.cause
        default:
            let causes = t.deciding.map(\.cause)
            return causes.min { rank($0) < rank($1) } ?? .wafRule
        }
    }

    func finding(_ o: RuleOutcome, confidence: Confidence, earlier: [JSONValue]) -> Finding {
        let action = o.action ?? .count
        let cause: Cause
        switch action {
        case .captcha, .challenge: cause = .botBlock
        case .allow, .count: cause = .none
        case .block: cause = ReportBuilder.cause(o.trace)
        }
        let where_ = o.group.map { " of rule group \"\($0)\" (run by web ACL rule \"\(o.via ?? "?")\")" } ?? ""
        var summary: String
        switch action {
        case .allow: summary = "rule \"\(o.name)\"\(where_) allows the request"
        case .block(let c): summary = "rule \"\(o.name)\"\(where_) blocks the request (\(c?.responseCode ?? 403)\(c == nil ? "" : ", custom response"))"
        case .captcha: summary = "rule \"\(o.name)\"\(where_) answers with a CAPTCHA (405 without an aws-waf-token)"
        case .challenge: summary = "rule \"\(o.name)\"\(where_) answers with a silent challenge (202 without an aws-waf-token)"
        case .count: summary = "rule \"\(o.name)\"\(where_) counts the request"
        }
        if confidence == .possible { summary = "possibly: " + summary }
        if confidence == .likely { summary = "likely: " + summary }
        // The statement that singled the request out leads (the address before the path it guards).
        let leaves = o.trace.kind == "ManagedRuleGroupStatement" || o.trace.kind == "RateBasedStatement" ? [o.trace]
            : o.trace.deciding.enumerated().sorted { (ReportBuilder.rank($0.element.cause), $0.offset) < (ReportBuilder.rank($1.element.cause), $1.offset) }.map(\.element)
        if let first = leaves.first { summary += ": " + first.detail }
        var evidence = [Evidence(source: o.source.description,
                                 text: "\(o.source.path) rule \"\(o.name)\" (Priority \(o.priority), \(o.action.map { "action \($0.name)" } ?? "OverrideAction"))\(o.actionNote.map { "; \($0)" } ?? "")")]
        for l in leaves { evidence.append(Evidence(source: l.source.description, text: "\(l.source.path) \(l.kind): \(l.detail)")) }
        var details: [String: JSONValue] = ["json_path": .string(o.source.path), "file": .string(o.source.file), "priority": .int(o.priority),
                                            "action": .string(action.name), "result": .string(o.state.rawValue),
                                            "statements": .array(leaves.map { .object(["kind": .string($0.kind), "json_path": .string($0.source.path),
                                                                                       "result": .string($0.state.rawValue), "detail": .string($0.detail)]) })]
        if let g = o.group { details["rule_group"] = .string(g) }
        if let v = o.via { details["web_acl_rule"] = .string(v) }
        if !earlier.isEmpty { details["earlier_rules"] = .array(earlier) }
        if !o.labels.isEmpty { details["labels_added"] = .array(o.labels.map { .string($0) }) }
        if !o.managedRules.isEmpty { details["managed_rules_in_force"] = .array(o.managedRules.map { .string($0) }) }
        if !o.likely.isEmpty { details["likely_rules"] = .array(o.likely.map { .object(["name": .string($0.name), "why": .string($0.why)]) }) }
        if case .block(let c?) = action {
            details["response_code"] = .int(c.responseCode)
            if let key = c.bodyKey, let body = o.bodies[key] {
                details["response_body"] = .string(body.content)
                evidence.append(Evidence(source: o.source.description, text: "CustomResponseBodyKey \(InputError.quote(key)): \(body.contentType) \(InputError.quote(body.content))"))
            }
        }
        var checks: [String]? = nil
        if o.trace.kind == "ManagedRuleGroupStatement" {
            checks = ["read the AWS WAF log entry of the request: ruleGroupList[].terminatingRule.ruleId names the managed rule that blocked it",
                      "or set the rule group's OverrideAction to Count for a while and read the labels it adds"]
        }
        let fixes = cause == .none ? [] : FixBuilder(web: web, outcomes: eval.outcomes, request: request, ipSets: acl.ipSets, asn: asn).fixes(for: o, cause: cause)
        return Finding(cause: cause, layer: .awsWAF, confidence: confidence, summary: summary, evidence: evidence, fixes: fixes,
                       rule: o.name, checks: checks, details: details)
    }

    func defaultFinding(earlier: [JSONValue]) -> Finding {
        let src = web.defaultActionSource
        let evidence = [Evidence(source: src.description, text: "\(src.path) DefaultAction \(web.defaultAction.name): no rule decided")]
        var details: [String: JSONValue] = ["json_path": .string(src.path), "file": .string(src.file), "action": .string(web.defaultAction.name)]
        if !earlier.isEmpty { details["earlier_rules"] = .array(earlier) }
        guard case .block(let custom) = web.defaultAction else {
            return Finding(cause: .none, layer: .awsWAF, confidence: .certain,
                           summary: "no rule of web ACL \"\(web.name)\" decided: the default action Allow lets the request through",
                           evidence: evidence, rule: "DefaultAction", details: details)
        }
        // A default Block refuses what no Allow rule let through: the cause is what those Allow rules look at.
        let allows = eval.outcomes.filter { $0.action == .allow }
        let causes = allows.map { ReportBuilder.cause($0.trace) }
        let cause: Cause = causes.isEmpty ? .wafRule : (causes.allSatisfy { $0 == causes[0] } ? causes[0] : .wafRule)
        let missed = allows.map { "\"\($0.name)\" (\($0.trace.deciding.first { $0.state != .yes }?.detail ?? $0.trace.detail))" }
        if let c = custom { details["response_code"] = .int(c.responseCode) }
        let fixes = FixBuilder(web: web, outcomes: eval.outcomes, request: request, ipSets: acl.ipSets).defaultBlockFixes(allows: allows, acl: acl)
        return Finding(cause: cause, layer: .awsWAF, confidence: .certain,
                       summary: "no rule of web ACL \"\(web.name)\" allowed the request, and its default action is Block (\(custom?.responseCode ?? 403))"
                           + (missed.isEmpty ? "" : ": the Allow rules did not match: " + missed.joined(separator: "; ")),
                       evidence: evidence + allows.map { Evidence(source: $0.source.description, text: "\($0.source.path) Allow rule \"\($0.name)\": \($0.trace.detail)") },
                       fixes: fixes, rule: "DefaultAction", details: details)
    }
}

extension StatementTrace {
    /// This statement and every nested one.
    var flattened: [StatementTrace] { [self] + children.flatMap(\.flattened) }
}
