import Why403Core

/// The findings of a ModSecurity evaluation: the rule that blocked first, then one per rule that matched
/// and logged (what the server's error log names for the request; CRS's 980xxx reports left out).
enum ModSecurityFindings {
    /// Findings for a request the engine stopped.
    static func blocked(_ e: Evaluation, request: Request, fix: Exclusion.Result, rules: RuleSource) -> [Finding] {
        guard let d = e.disruptive else { return [] }
        let contributors = e.contributors
        let cause = cause(of: contributors)
        var summary: String
        let status = e.outcome.status ?? 403
        if d.isEvaluation {
            let score = e.anomalyScore.map(String.init) ?? "?"
            let threshold = e.threshold.map { " ≥ threshold \($0)" } ?? ""
            summary = "CRS blocked the request with \(status): inbound anomaly score \(score)\(threshold) (rule \(d.message.id))"
            if !contributors.isEmpty {
                summary += ", scored by " + contributors.prefix(4).map(describe).joined(separator: ", ")
                if contributors.count > 4 { summary += " and \(contributors.count - 4) more" }
            }
        } else {
            summary = "ModSecurity rule \(d.message.id) denied the request with \(status)"
            if !d.message.message.isEmpty { summary += ": \(d.message.message)" }
            if let v = d.message.variable { summary += " (matched \(v))" }
        }
        var details: [String: JSONValue] = ["status": .int(status)]
        if let p = e.outcome.phase { details["phase"] = .int(p) }
        if let s = e.anomalyScore { details["anomaly_score"] = .int(s) }
        if let t = e.threshold { details["threshold"] = .int(t) }
        if d.isEvaluation { details["scored_by"] = .array(contributors.map { .string($0.message.id) }) }
        var findings = [Finding(cause: cause, layer: .modsecurity, confidence: .certain, summary: summary,
                                evidence: evidence(d), fixes: [fixText(fix, contributors: contributors)],
                                rule: d.message.id, details: details)]
        for m in e.matched where m.message.id != d.message.id && !m.message.id.hasPrefix("980") {
            findings.append(match(m, cause: contributors.contains { $0.message.id == m.message.id } ? .wafRule : .none))
        }
        return findings
    }

    /// Findings for a request the engine let through: the rules that matched below the threshold, and
    /// what would block under `SecRuleEngine On` (DetectionOnly).
    static func passed(_ e: Evaluation, wouldBlock: Evaluation?, request: Request, fix: Exclusion.Result?) -> [Finding] {
        var findings: [Finding] = []
        if let w = wouldBlock, let d = w.disruptive {
            var details: [String: JSONValue] = ["would_block": .bool(true), "status": .int(w.outcome.status ?? 403)]
            if let s = w.anomalyScore { details["anomaly_score"] = .int(s) }
            if let t = w.threshold { details["threshold"] = .int(t) }
            details["scored_by"] = .array(w.contributors.map { .string($0.message.id) })
            let by = w.contributors.prefix(4).map(describe).joined(separator: ", ")
            findings.append(Finding(cause: .none, layer: .modsecurity, confidence: .certain,
                                    summary: "DetectionOnly: rule \(d.message.id) would block this request with \(w.outcome.status ?? 403) once SecRuleEngine is On" + (by.isEmpty ? "" : " (scored by \(by))"),
                                    evidence: evidence(d), fixes: fix.map { [fixText($0, contributors: w.contributors)] } ?? [],
                                    rule: d.message.id, details: details, severity: .warning))
        }
        for m in e.matched where !m.message.id.hasPrefix("980") && !(wouldBlock?.disruptive?.message.id == m.message.id) {
            findings.append(match(m, cause: .none))
        }
        return findings
    }

    /// One rule that matched: its message, the variable and value, its score, tags and paranoia level.
    static func match(_ m: Evaluation.Match, cause: Cause) -> Finding {
        var summary = "rule \(m.message.id)"
        if !m.message.message.isEmpty { summary += " \(m.message.message)" }
        if let v = m.message.variable {
            summary += " — \(v)"
            if let value = m.message.value, !value.isEmpty { summary += " = `\(cut(value))`" }
        }
        var extras: [String] = []
        if let s = m.score { extras.append("+\(s)") }
        if let p = m.paranoiaLevel { extras.append("paranoia level \(p)") }
        if let a = m.tags.first(where: { $0.hasPrefix("attack-") }) { extras.append(a) }
        if !extras.isEmpty { summary += " (\(extras.joined(separator: ", ")))" }
        var details: [String: JSONValue] = [:]
        if let v = m.message.variable { details["variable"] = .string(v) }
        if let v = m.message.value { details["value"] = .string(cut(v)) }
        if let s = m.message.severity { details["severity"] = .int(s) }
        if let s = m.score { details["score"] = .int(s) }
        if let p = m.paranoiaLevel { details["paranoia_level"] = .int(p) }
        if let p = m.rule?.phase { details["phase"] = .int(p) }
        if !m.tags.isEmpty { details["tags"] = .array(m.tags.map { .string($0) }) }
        return Finding(cause: cause, layer: .modsecurity, confidence: .certain, summary: summary,
                       evidence: evidence(m), rule: m.message.id, details: details,
                       severity: cause == .none ? .info : nil)
    }

    /// What singled the request out (report-v1, edge rules): scanner User-Agents are `bot.block`, IP
    /// reputation `access.ip`, anything else a firewall rule.
    static func cause(of contributors: [Evaluation.Match]) -> Cause {
        let tags = contributors.map { Set($0.tags) }
        if !tags.isEmpty, tags.allSatisfy({ $0.contains("attack-reputation-scanner") || $0.contains("attack-reputation-crawler") }) {
            return .botBlock
        }
        if !tags.isEmpty, tags.allSatisfy({ $0.contains("attack-reputation-ip") }) { return .accessIP }
        return .wafRule
    }

    /// `942100 on ARGS:id (+5)`.
    static func describe(_ m: Evaluation.Match) -> String {
        var s = m.message.id
        if let v = m.message.variable { s += " on \(v)" }
        if let score = m.score { s += " (+\(score))" }
        return s
    }

    /// The rule's file and line, and the engine's message as the error log would hold it.
    static func evidence(_ m: Evaluation.Match) -> [Evidence] {
        var out: [Evidence] = []
        if let f = m.message.file, let l = m.message.line, !f.hasPrefix("<<") {
            out.append(Evidence(SourceLocation(file: f, line: l), m.message.message.isEmpty ? "rule \(m.message.id)" : m.message.message))
        }
        out.append(Evidence(source: "libmodsecurity", text: cut(m.message.text, to: 1200)))
        return out
    }

    /// The exclusion as a fix, with what the engine said when it re-evaluated the request.
    static func fixText(_ r: Exclusion.Result, contributors: [Evaluation.Match]) -> Fix {
        let x = r.exclusion
        var what: [String] = []
        if !x.targets.isEmpty {
            what.append("exclude " + x.targets.map { "\($0.variable) from rule \($0.rule)" }.joined(separator: ", "))
        }
        if !x.wholeRules.isEmpty {
            what.append("turn off rule" + (x.wholeRules.count > 1 ? "s " : " ") + x.wholeRules.joined(separator: ", ")
                        + " (its match names no variable a target exclusion can remove)")
        }
        var summary = (what.isEmpty ? "an exclusion" : what.joined(separator: "; ")) + " for \(x.path) only, \(r.home)"
        switch r.passes {
        case true?: summary += "; re-evaluated by libmodsecurity: the request then passes"
        case false?: summary += "; re-evaluated by libmodsecurity: still blocked by \(r.stillBlockedBy.joined(separator: ", ")) — review before using"
        case nil: summary += "; the engine could not re-evaluate it"
        }
        return Fix(summary: summary, patch: x.text)
    }

    /// A value cut for a one-line summary.
    static func cut(_ s: String, to n: Int = 120) -> String {
        s.count <= n ? s : String(s.prefix(n)) + "…"
    }
}
