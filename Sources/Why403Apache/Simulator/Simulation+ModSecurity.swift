import Why403Core
import Why403FileSystem

extension Simulation {
    /// All directives of the tree, sections flattened.
    func allDirectives(_ list: [ApacheDirective]) -> [ApacheDirective] {
        var out: [ApacheDirective] = []
        for d in list {
            out.append(d)
            if let c = d.children { out += allDirectives(c) }
        }
        return out
    }

    /// The SecRuleEngine in effect at server level, the rule sets included and the anomaly threshold.
    mutating func modSecurityNotes() {
        guard config.hasModule("security2") else { return }
        let engine = lastDirective("SecRuleEngine", in: vhostDirectives) ?? lastDirective("SecRuleEngine", in: mainDirectives)
        guard let engine else {
            notes.append("mod_security2 is loaded but no SecRuleEngine is set (its default is Off)")
            return
        }
        let state = engine.args.first ?? "Off"
        let crsFiles = config.files.filter { $0.contains("modsecurity-crs") || $0.contains("/crs/") || $0.contains("coreruleset") }
        let ruleFiles = crsFiles.filter { $0.contains("/rules/") }
        var threshold = "5 (CRS default)"
        for d in allDirectives(config.directives) where d.is("SecAction") || d.is("SecRule") {
            for a in d.args {
                if let r = a.range(of: "tx.inbound_anomaly_score_threshold=") {
                    let v = a[r.upperBound...].prefix { $0.isNumber }
                    if !v.isEmpty { threshold = "\(v) (\(d.location))" }
                }
            }
        }
        var s = "ModSecurity: SecRuleEngine \(state) (\(engine.location))"
        if !crsFiles.isEmpty {
            s += "; OWASP CRS included (\(ruleFiles.count) rule files, e.g. \(ruleFiles.first ?? crsFiles[0])); inbound anomaly threshold \(threshold)"
        } else {
            let rules = allDirectives(config.directives).filter { $0.is("SecRule") }
            s += "; \(rules.count) SecRule lines of its own, no CRS"
            if !threshold.hasSuffix("(CRS default)") { s += "; inbound anomaly threshold \(threshold)" }
        }
        if state.lowercased() == "on" {
            s += ". It may refuse requests by content; give the error log with --log to map a 403 to its rule"
        } else if state.lowercased() == "detectiononly" {
            s += ". DetectionOnly logs matches but never blocks"
        }
        notes.append(s)
    }

    /// A ModSecurity "Access denied" line in the log for this URI (and client, when given): the rule
    /// id and message, with the warning lines of the same transaction that added to the score.
    mutating func modSecurityFromLog(uri: String) -> Outcome? {
        let log = input.logPath ?? serverValue("ErrorLog")?.args.first.map(resolve)
        guard let path = log, !path.hasPrefix("|"), !path.hasPrefix("syslog") else { return nil }
        guard let bytes = try? fs.read(path, limit: 64 << 20) else {
            if input.logPath != nil { notes.append("the log \(path) could not be read") }
            return nil
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let ip = req.clientIP
        var hit: (Int, Substring)? = nil
        for (i, line) in lines.enumerated().reversed() where line.contains("ModSecurity: Access denied") {
            guard Self.field(line, "uri") == uri else { continue }
            if let ip, !line.contains("[client \(ip)") { continue }
            hit = (i, line)
            break
        }
        guard let (index, line) = hit else {
            if input.logPath != nil { notes.append("no ModSecurity denial for \(uri) in \(path)") }
            return nil
        }
        let uid = Self.field(line, "unique_id")
        var ev = [Evidence(source: "log \(path):\(index + 1)", text: String(line.prefix(600)))]
        var contributors: [String] = []
        if let uid {
            for (i, l) in lines.enumerated() where i != index && l.contains("ModSecurity: Warning") && Self.field(l, "unique_id") == uid {
                let id = Self.field(l, "id") ?? "?"
                let msg = Self.field(l, "msg") ?? ""
                contributors.append("\(id) \(msg)")
                ev.append(Evidence(source: "log \(path):\(i + 1)", text: String(l.prefix(600))))
            }
        }
        let id = Self.field(line, "id") ?? "?"
        let msg = Self.field(line, "msg") ?? ""
        var status = 403
        if let r = line.range(of: "with code ") { status = Int(line[r.upperBound...].prefix { $0.isNumber }) ?? 403 }
        var summary = "ModSecurity rule \(id) denied the request (\(msg))"
        if !contributors.isEmpty { summary += "; rules that raised the score: \(contributors.joined(separator: "; "))" }
        let ruleForFix = contributors.first?.split(separator: " ").first.map(String.init) ?? id
        let f = Finding(cause: .wafRule, layer: .modsecurity, confidence: ip == nil ? .likely : .certain,
                        summary: summary, evidence: ev,
                        fixes: [Fix(summary: "if this request is legitimate, exclude the rule that matched for this path only (a CRS exclusion in REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf), never turn the engine off",
                                    patch: "+SecRule REQUEST_URI \"@beginsWith \(uri)\" \"id:1000001,phase:1,pass,nolog,ctl:ruleRemoveById=\(ruleForFix)\"\n")],
                        rule: id, details: ["modsecurity_rule": .string(id)])
        return Outcome(status: status, findings: [f])
    }

    /// The value of `[name "value"]` in a ModSecurity log line.
    static func field(_ line: Substring, _ name: String) -> String? {
        guard let r = line.range(of: "[\(name) \"") else { return nil }
        let rest = line[r.upperBound...]
        guard let end = rest.range(of: "\"]") else { return nil }
        return String(rest[..<end.lowerBound])
    }
}
