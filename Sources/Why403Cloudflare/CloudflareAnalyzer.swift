import Foundation
import Why403Core

/// The Cloudflare layer: evaluates exported rules (Rulesets API JSON, `terraform show -json`,
/// `cloudflare_ruleset` HCL) against one request offline, in Cloudflare's order, and explains which
/// rule decides and which part of its expression matched.
///
/// Status: `block` answers 403 or its `action_parameters.response.status_code`; every challenge action
/// answers 403 with the challenge page (`cf-mitigated: challenge`). Causes (report-v1, edge rules): a
/// challenge is `bot.block`; otherwise what the matched tests read: bot signals or the User-Agent
/// `bot.block`, the country `geo.block`, the address `access.ip`, a rate limiting rule `rate.limit`,
/// anything else `waf.rule`. A rule that depends on a field nobody gave (country, ASN, bot score) is a
/// `possible` finding with what would make it match. Fix: the narrowest change, the rule's expression
/// with the path excluded (or a skip rule placed before it), as a JSON patch and an HCL snippet.
public enum CloudflareAnalyzer {
    /// Everything `why403 cloudflare` needs.
    public struct Input: Sendable {
        /// The rulesets read from the `--rules` files (`RulesReader.read`).
        public var rulesets: [Ruleset]
        /// The files they came from, in order (for the subject).
        public var files: [String]
        /// The request.
        public var request: Request
        /// Country, ASN, bot signals, threat score.
        public var signals: EdgeSignals
        /// `$list` contents by name (items as text), when given.
        public var lists: [String: [String]]
        /// The zone's URL normalization of incoming URLs (Cloudflare's default unless said otherwise).
        public var urlNormalization: URLNormalization

        /// An input.
        public init(rulesets: [Ruleset], files: [String] = [], request: Request, signals: EdgeSignals = EdgeSignals(),
                    lists: [String: [String]] = [:], urlNormalization: URLNormalization = .cloudflare) {
            self.rulesets = rulesets
            self.files = files
            self.request = request
            self.signals = signals
            self.lists = lists
            self.urlNormalization = urlNormalization
        }
    }

    /// Compiles the rules and explains the request.
    public static func analyze(_ input: Input) throws -> Report {
        let compiled = try CompiledRules.compile(input.rulesets)
        return analyze(compiled: compiled, input: input)
    }

    /// Explains the request with rules compiled once (a replay calls this per request).
    public static func analyze(compiled: CompiledRules, input: Input) -> Report {
        let fields = RequestFields.make(input.request, signals: input.signals, lists: input.lists.mapValues { SetMatcherBox(items: $0) },
                                       normalization: input.urlNormalization)
        let trace = Engine.evaluate(compiled, fields)
        return report(compiled: compiled, trace: trace, fields: fields, input: input)
    }

    /// For a replay: the full report only where a rule decided or might have (a matched or unknown
    /// step); a request every rule let through gets a bare passing report — explaining why each of a
    /// thousand rules did not decide, for every request of a log, is what made a replay slow.
    public static func analyzeForReplay(compiled: CompiledRules, input: Input) -> Report {
        let fields = RequestFields.make(input.request, signals: input.signals, lists: input.lists.mapValues { SetMatcherBox(items: $0) },
                                       normalization: input.urlNormalization)
        let trace = Engine.evaluate(compiled, fields)
        let open = trace.decider != nil || trace.steps.contains { step in
            switch step.result { case .matched, .unknown: true; default: false }
        }
        guard open else {
            return Report(subject: Subject(kind: .cloudflare, url: input.request.url, method: input.request.method),
                          verdict: .notDenied)
        }
        return report(compiled: compiled, trace: trace, fields: fields, input: input)
    }

    static func report(compiled: CompiledRules, trace: Trace, fields: FieldValues, input: Input) -> Report {
        let req = input.request
        var extra: [String: JSONValue] = ["rules": .array(input.files.map { .string($0) })]
        var sig: [String: JSONValue] = [:]
        if let c = input.signals.country { sig["country"] = .string(c.uppercased()) }
        if let a = input.signals.asn { sig["asn"] = .int(a) }
        if let b = input.signals.botScore { sig["bot_score"] = .int(b) }
        if let v = input.signals.verifiedBot { sig["verified_bot"] = .bool(v) }
        sig["threat_score"] = .int(input.signals.threatScore ?? 0)
        extra["signals"] = .object(sig)
        let subject = Subject(kind: .cloudflare, url: req.url, method: req.method, clientIP: req.clientIP,
                              config: input.files.first, extra: extra)

        var findings: [Finding] = []
        var notes: [String] = trace.notes
        var considered: [JSONValue] = []
        var earlierPossible = false
        var status: Int? = nil

        for (k, step) in trace.steps.enumerated() {
            let crs = compiled.rulesets[step.ruleset]
            let cr = crs.rules[step.rule]
            let r = cr.rule
            let isDecider = trace.decider == k
            let leaves = (step.result == .matched || step.result == .notMatched || step.result == .unknown)
                ? Explain.leaves(cr.expression, fields) : []
            let label = "\(phaseLabel(crs.ruleset.phase)) rule \(InputError.quote(r.name))"
            var why: String
            switch step.result {
            case .disabled: why = "disabled (enabled: false)"
            case .skipped(let by): why = "skipped by rule \(InputError.quote(by))"
            case .notMatched: why = "did not match: " + leaves.map(Explain.describe).joined(separator: "; ")
            case .matched: why = "matched: " + leaves.map(Explain.describe).joined(separator: "; ")
            case .unknown: why = "unknown: " + Explain.wouldMatchAll(leaves.filter { $0.result == nil })
            }
            if let n = step.note { why += " — \(n)" }
            if step.conditional { why += " (inside ruleset run by \(InputError.quote(step.via ?? "execute")), whose own condition is unknown)" }
            considered.append(["rule": .string(r.name), "action": .string(r.action), "phase": .string(crs.ruleset.phase),
                               "source": .string(r.origin.description), "result": .string(resultName(step.result)), "why": .string(why)])
            if !isDecider { notes.append("\(label) (\(r.origin), \(r.action)): \(why)") }

            let isRate = crs.ruleset.phase == "http_ratelimit" || r.ratelimit != nil
            let mayDecide = step.result == .unknown || (step.result == .matched && step.conditional)
            if isDecider {
                let matched = leaves.filter { $0.result != nil }
                let challenge = r.action != "block"
                let cause: Cause = challenge ? .botBlock : Explain.cause(matched)
                status = challenge ? 403 : (r.parameters.responseStatus ?? 403)
                findings.insert(decidingFinding(cr, crs, leaves: matched, cause: cause, status: status!, earlierPossible: earlierPossible,
                                                via: step.via, request: req, normalization: input.urlNormalization), at: 0)
            } else if isRate, step.result == .matched || step.result == .unknown {
                findings.append(rateFinding(cr, crs, leaves: leaves, step: step, fields: fields))
            } else if mayDecide, Engine.terminating.contains(r.action) {
                earlierPossible = true
                let unknownLeaves = leaves.filter { $0.result == nil }
                let challenge = r.action != "block"
                let cause: Cause = challenge ? .botBlock : Explain.cause(unknownLeaves.isEmpty ? leaves : unknownLeaves)
                findings.append(Finding(
                    cause: cause, layer: .cloudflare, confidence: .possible,
                    summary: "\(label) (\(r.action)) may decide: it \(Explain.wouldMatchAll(unknownLeaves).nonEmpty ?? "matches only if the ruleset that runs it does")",
                    evidence: [Evidence(source: r.origin.description, text: "\(r.action): \(r.expression.oneLine)")]
                        + unknownLeaves.map { Evidence(source: "\(r.name) expression, column \($0.column)", text: Explain.describe($0)) },
                    fixes: [], rule: r.name, checks: checks(unknownLeaves),
                    details: ["action": .string(r.action), "phase": .string(crs.ruleset.phase), "status": .int(challenge ? 403 : (r.parameters.responseStatus ?? 403))]))
            } else if r.action == "execute", step.note?.contains("was not given") == true {
                earlierPossible = true
                let id = r.parameters.executeID ?? "?"
                findings.append(Finding(
                    cause: .wafRule, layer: .cloudflare, confidence: .possible,
                    summary: "\(label) runs ruleset \(id) (\(managedName(id))), whose rules were not given: one of them may block this request",
                    evidence: [Evidence(source: r.origin.description, text: "execute \(id) when \(r.expression.oneLine)")],
                    fixes: [], rule: r.name,
                    checks: ["export that ruleset (GET /zones/{zone_id}/rulesets/\(id)) and pass it with --rules; managed rulesets' rule expressions are not published: check the Security Events log for this request's Ray ID"],
                    details: ["action": "execute", "ruleset": .string(id)]))
            }
        }
        if trace.steps.isEmpty {
            notes.append("no rule of the WAF phases was evaluated: the files hold no entry-point ruleset (kind zone or root) of \(CompiledRules.phaseOrder.joined(separator: ", "))")
        }
        for rs in input.rulesets where rs.phaseAssumed {
            notes.append("\(rs.origin): a bare rules array has no phase; taken as \(rs.phase)")
        }
        if input.request.clientAddress == nil { notes.append("no --client-ip: ip.src is unknown") }
        let rawPath = input.request.target.path.isEmpty ? "/" : input.request.target.path
        let seen = input.urlNormalization.normalize(path: rawPath)
        if seen != rawPath {
            notes.append("URL normalization (\(input.urlNormalization.rawValue), Cloudflare's default for incoming URLs) makes the path \(InputError.quote(rawPath)) into \(InputError.quote(seen)): http.request.uri.path and the fields built on it see the latter, raw.http.request.uri.path the path as sent")
        }
        if input.signals.threatScore == nil { notes.append("cf.threat_score is 0 (Cloudflare now always sets it to 0 unless --threat-score is given)") }
        if !findings.isEmpty, trace.decider != nil, var first = findings.first {
            first.details?["considered"] = .array(considered)
            findings[0] = first
        }
        return Report(subject: subject, status: status, findings: findings, answeredBy: .cloudflare, notes: notes)
    }

    static func resultName(_ r: Step.Result) -> String {
        switch r {
        case .matched: "matched"
        case .notMatched: "not-matched"
        case .unknown: "unknown"
        case .disabled: "disabled"
        case .skipped: "skipped"
        }
    }

    static func phaseLabel(_ phase: String) -> String {
        switch phase {
        case "http_request_firewall_custom": "custom"
        case "http_ratelimit": "rate limiting"
        case "http_request_firewall_managed": "managed"
        default: phase
        }
    }

    static func managedName(_ id: String) -> String {
        switch id {
        case "efb7b8c949ac4650a09736fc376e9aee": "Cloudflare Managed Ruleset"
        case "4814384a9e5d4991b9815dcfc25d2f1f": "Cloudflare OWASP Core Ruleset"
        case "c2e184081120413c86c3ab7e14069605": "Cloudflare Exposed Credentials Check"
        default: "a ruleset not in the files given"
        }
    }

    static func checks(_ leaves: [Leaf]) -> [String] {
        var out: [String] = []
        for l in leaves {
            for n in l.unknownLists where !out.contains(Explain.listNote(n)) { out.append(Explain.listNote(n)) }
            for f in l.fields {
                let c: String
                switch f.source {
                case .flag(let flag): c = "give \(flag) with the client's value (\(f.name)) to decide \(InputError.quote(l.text))"
                case .cloudflare: c = "\(f.name) is computed by Cloudflare: look the request up in Security Events (by Ray ID) to see whether this rule matched"
                case .request:
                    guard f.name == "ip.src", l.subject == "unknown" else { continue }
                    c = "give --client-ip (ip.src) to decide \(InputError.quote(l.text))"
                }
                if !out.contains(c) { out.append(c) }
            }
        }
        return out
    }

    static func rateFinding(_ cr: CompiledRule, _ crs: CompiledRuleset, leaves: [Leaf], step: Step, fields: FieldValues) -> Finding {
        let r = cr.rule
        let rl = r.ratelimit
        var rate = "more than \(rl?.requestsPerPeriod.map(String.init) ?? "?") requests in \(rl?.period.map { "\($0) s" } ?? "the period")"
        if let c = rl?.characteristics, !c.isEmpty { rate += " per \(c.joined(separator: " + "))" }
        if let t = rl?.mitigationTimeout { rate += ", then blocked for \(t) s" }
        let cond = step.result == .unknown ? "may apply to this request (\(leaves.filter { $0.result == nil }.map(Explain.wouldMatch).joined(separator: "; ")))" : "applies to this request"
        // What is counted: the counting_expression when the rule has one (it may read the response),
        // else the rule's expression.
        var counted: JSONValue = step.result == .matched ? .bool(true) : .null
        var counts: String
        var evidence = [Evidence(source: r.origin.description, text: "\(r.action): \(r.expression.oneLine)")]
            + leaves.map { Evidence(source: "\(r.name) expression, column \($0.column)", text: Explain.describe($0)) }
        if let c = cr.counting {
            let v = Evaluator.evaluate(c.root, fields).truth
            counted = v.map { .bool($0) } ?? .null
            let reads = Set(c.root.fields.map(\.name)).filter { $0.hasPrefix("http.response.") }.sorted()
            counts = "it counts the requests its counting_expression `\(c.source.oneLine)` matches, not those of its expression"
            switch v {
            case .some(true): counts += "; this request is counted"
            case .some(false): counts += "; this request is not counted (it does not add to the rate)"
            case .none:
                counts += reads.isEmpty ? "; whether this request is counted is unknown"
                    : "; whether this request is counted depends on the response (\(reads.joined(separator: ", "))), which is not known offline"
            }
            evidence += Explain.leaves(c, fields).map { Evidence(source: "\(r.name) counting_expression, column \($0.column)", text: Explain.describe($0)) }
        } else {
            counts = "it counts the requests its expression matches (no counting_expression)"
        }
        var details: [String: JSONValue] = ["action": .string(r.action), "phase": .string(crs.ruleset.phase),
                                            "requests_per_period": rl?.requestsPerPeriod.map { .int($0) } ?? .null,
                                            "period": rl?.period.map { .int($0) } ?? .null,
                                            "counted": counted]
        if let c = cr.counting { details["counting_expression"] = .string(c.source) }
        return Finding(cause: .rateLimit, layer: .cloudflare, confidence: .possible,
                       summary: "rate limiting rule \(InputError.quote(r.name)) \(cond): it \(r.action)s once a client sends \(rate); \(counts)",
                       evidence: evidence,
                       fixes: [], rule: r.name,
                       checks: ["the rate itself cannot be known offline: a 429 or 403 with this rule in Security Events means the rate was exceeded"],
                       details: details)
    }

    static func decidingFinding(_ cr: CompiledRule, _ crs: CompiledRuleset, leaves: [Leaf], cause: Cause, status: Int,
                                earlierPossible: Bool, via: String?, request: Request,
                                normalization: URLNormalization = .cloudflare) -> Finding {
        let r = cr.rule
        let label = "\(phaseLabel(crs.ruleset.phase)) rule \(InputError.quote(r.name))"
        var summary = "\(label)\(r.description.map { " (\(InputError.quote($0)))" } ?? "") \(r.action)s this request"
        // Lead with the test that singled the request out (the one the cause comes from).
        let lead = leaves.first { l in cause != .wafRule && Explain.cause([l]) == cause } ?? leaves.first
        if let l = lead { summary += ": " + Explain.describe(l) }
        var evidence = [Evidence(source: r.origin.description, text: "\(r.action) when \(r.expression.oneLine)")]
        evidence += leaves.map { Evidence(source: "\(r.name) expression, column \($0.column)", text: Explain.describe($0)) }
        if let via { evidence.append(Evidence(source: "execute", text: "run by rule \(InputError.quote(via)) of the phase entry point")) }
        var details: [String: JSONValue] = [
            "rule": .string(r.name), "action": .string(r.action), "phase": .string(crs.ruleset.phase), "status": .int(status),
            "source": .string(r.origin.description), "expression": .string(r.expression),
            "matched": .array(leaves.map { ["text": .string($0.text), "value": .string($0.subject), "result": .bool($0.result ?? false), "negated": .bool($0.negated)] }),
        ]
        if let id = r.id { details["id"] = .string(id) }
        if let ref = r.ref { details["ref"] = .string(ref) }
        if let d = r.description { details["description"] = .string(d) }
        if let rs = crs.ruleset.name ?? crs.ruleset.id { details["ruleset"] = .string(rs) }
        var checks: [String] = []
        if r.action == "block" {
            if let c = r.parameters.responseContent { details["response_body"] = .string(c) }
            details["page"] = .string(r.parameters.responseStatus == nil
                ? "Cloudflare's block page (error 1020 \"Access denied\", with the Ray ID)"
                : "the rule's custom response (status \(status))")
        } else {
            details["page"] = .string("the challenge page, answered with status 403 and the header cf-mitigated: challenge")
            details["browser"] = .string(r.action == "managed_challenge"
                ? "a browser sees the challenge page; it usually passes without interaction (or after a Turnstile check) and gets a cf_clearance cookie, then the request goes through"
                : (r.action == "js_challenge" ? "a browser runs the JavaScript challenge and, once it passes, gets a cf_clearance cookie and the page"
                                              : "a browser shows an interactive challenge the person must solve; then cf_clearance lets the request through"))
            details["script"] = .string("a script (curl, an API client, a crawler) gets the 403 challenge page with cf-mitigated: challenge and never the content: it cannot solve the challenge")
            checks.append("a script or API client cannot pass a challenge: exclude its path or its credentials from the rule (fix below), or use a skip rule for it")
        }
        var fixes = fixesFor(cr, crs, request: request, normalization: normalization)
        // An allow list that left this client out: adding its address is the other narrow change.
        if let ip = request.clientAddress,
           let l = leaves.first(where: { $0.negated && $0.result == false && $0.subjectText == "ip.src" && $0.text.hasPrefix("ip.src in {") && $0.text.hasSuffix("}") }) {
            let widened = String(l.text.dropLast()).trimmingScalars(" ") + " \(ip)}"
            let newExpr = r.expression.replacingOccurrences(of: l.text, with: widened)
            var patch = ""
            if let ptr = r.origin.pointer, r.origin.resource == nil {
                patch += "JSON patch (RFC 6902) of \(r.origin.file):\n[{\"op\": \"replace\", \"path\": \"\(ptr)/expression\", \"value\": \(jsonString(newExpr.trimmingScalars(" \n\t")))}]\n\n"
            }
            patch += "HCL (the rule at \(r.origin)):\n    expression  = \(hclString(newExpr.trimmingScalars(" \n\t")))\n"
            fixes.append(Fix(summary: "or, if this client belongs to the allowed networks, add its address \(ip) to the set in rule \(InputError.quote(r.name))", patch: patch))
        }
        return Finding(cause: cause, layer: .cloudflare, confidence: earlierPossible ? .likely : .certain, summary: summary,
                       evidence: evidence, fixes: fixes, rule: r.name, checks: checks.isEmpty ? nil : checks, details: details)
    }

    // MARK: fixes

    static func fixesFor(_ cr: CompiledRule, _ crs: CompiledRuleset, request: Request, normalization: URLNormalization = .cloudflare) -> [Fix] {
        let r = cr.rule
        // The path as the rule sees it (after URL normalization), so the exclusion matches.
        let path = normalization.normalize(path: request.target.path.isEmpty ? "/" : request.target.path)
        let exclusion = "not http.request.uri.path eq \(wirefilterString(path))"
        let body = r.expression.trimmingScalars(" \n\t")
        let newExpr = (isWrapped(body) ? body : "(\(body))") + " and \(exclusion)"
        var fixes: [Fix] = []
        var patch = ""
        if let ptr = r.origin.pointer, r.origin.resource == nil {
            patch += "JSON patch (RFC 6902) of \(r.origin.file):\n"
            patch += "[{\"op\": \"replace\", \"path\": \"\(ptr)/expression\", \"value\": \(jsonString(newExpr))}]\n\n"
        }
        patch += "HCL (cloudflare_ruleset\(r.origin.resource.map { " \($0)" } ?? ""), the rule at \(r.origin)):\n"
        patch += "  rules {\n"
        patch += "    action      = \(hclString(r.action))\n"
        if let ref = r.ref { patch += "    ref         = \(hclString(ref))\n" }
        if let d = r.description { patch += "    description = \(hclString(d))\n" }
        patch += "    expression  = \(hclString(newExpr))\n"
        patch += "  }\n"
        fixes.append(Fix(summary: "exclude this path from rule \(InputError.quote(r.name)): add `and \(exclusion)` to its expression (if the request is legitimate)", patch: patch))

        let skipExpr = "http.request.uri.path eq \(wirefilterString(path))"
        var skip = ""
        if let ptr = r.origin.pointer, r.origin.resource == nil {
            skip += "JSON patch (RFC 6902) of \(r.origin.file): a skip rule just before \(InputError.quote(r.name))\n"
            skip += "[{\"op\": \"add\", \"path\": \"\(ptr)\", \"value\": {\"action\": \"skip\", \"action_parameters\": {\"ruleset\": \"current\"}, \"expression\": \(jsonString(skipExpr)), \"description\": \(jsonString("skip the remaining custom rules for \(path)")), \"logging\": {\"enabled\": true}}}]\n\n"
        }
        skip += "HCL: a rules block placed just before the rule\n"
        skip += "  rules {\n    action = \"skip\"\n    action_parameters {\n      ruleset = \"current\"\n    }\n"
        skip += "    expression  = \(hclString(skipExpr))\n    description = \(hclString("skip the remaining custom rules for \(path)"))\n    logging {\n      enabled = true\n    }\n  }\n"
        fixes.append(Fix(summary: "or a skip rule placed before it (skips it and every later rule of this ruleset for this path: broader)", patch: skip))
        return fixes
    }

    /// Whether the whole expression is one parenthesised group (so `and ...` can follow it as is).
    static func isWrapped(_ e: String) -> Bool {
        guard e.hasPrefix("("), e.hasSuffix(")") else { return false }
        var depth = 0
        var inString = false
        var escaped = false
        for (i, c) in e.enumerated() {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            if c == "\"" { inString = true } else if c == "(" { depth += 1 } else if c == ")" {
                depth -= 1
                if depth == 0 && i != e.count - 1 { return false }
            }
        }
        return depth == 0
    }

    /// A wirefilter string literal.
    static func wirefilterString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A JSON string literal.
    static func jsonString(_ s: String) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return (try? String(decoding: e.encode(s), as: UTF8.self)) ?? "\"\""
    }

    /// An HCL quoted string (escapes and `${` doubled).
    static func hclString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out.replacingOccurrences(of: "${", with: "$${").replacingOccurrences(of: "%{", with: "%%{") + "\""
    }
}

extension String {
    /// The expression on one line (heredocs collapsed) for evidence.
    var oneLine: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingScalars(" \t") }.filter { !$0.isEmpty }.joined(separator: " ")
    }
    var nonEmpty: String? { isEmpty ? nil : self }
}
