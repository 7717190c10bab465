import Why403Core
import Why403FileSystem
import Why403ModSecurity

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

// MARK: the engine

extension Simulation {
    /// Sections whose directives apply per directory, URL or file, or to another virtual host: their
    /// Sec* directives are not part of the server-wide rule set.
    static let perRequestSections: Set<String> = ["directory", "directorymatch", "location", "locationmatch", "files",
                                                  "filesmatch", "virtualhost", "if", "elseif", "else", "limit", "limitexcept"]

    /// The server-wide Sec* directives of the main server, then of the selected virtual host (which
    /// inherits the main server's rules: SecRuleInheritance On), in configuration order.
    func modSecurityDirectives() -> (rules: [ApacheDirective], perDirectory: [ApacheDirective]) {
        var rules: [ApacheDirective] = [], perDirectory: [ApacheDirective] = []
        func walk(_ list: [ApacheDirective], inSection: Bool) {
            for d in list {
                if let c = d.children {
                    let scoped = Self.perRequestSections.contains(d.key)
                    if d.key != "virtualhost" { walk(c, inSection: inSection || scoped) }
                } else if d.key.hasPrefix("sec") {
                    if inSection { perDirectory.append(d) } else { rules.append(d) }
                }
            }
        }
        walk(mainDirectives, inSection: false)
        if let v = vhost { walk(v.children ?? [], inSection: false) }
        return (rules, perDirectory)
    }

    /// mod_security2's rules through libmodsecurity 3 (the engine why403 opens; Apache's own is
    /// ModSecurity 2.9, which agrees on the status of 157 of the 159 requests of the differential corpus,
    /// docs/modsecurity.md). Phase 1 runs before anything else (post_read_request) and decides at once;
    /// a phase 2 block is kept for fixups, after access control, where mod_security2 runs it.
    mutating func modSecurityEvaluate() -> Outcome? {
        guard config.hasModule("security2") else { return nil }
        let (directives, perDirectory) = modSecurityDirectives()
        guard let engine = directives.last(where: { $0.is("SecRuleEngine") }),
              let state = engine.args.first?.lowercased(), state == "on" || state == "detectiononly" else { return nil }
        if !perDirectory.isEmpty {
            uncertain.append("ModSecurity directives inside <Directory>/<Location>/<Files> sections (e.g. \(perDirectory[0].location)) were not evaluated: only the server-wide rules ran")
        }
        // A file that holds only ModSecurity directives (the CRS's, crs-setup.conf) is loaded as a file,
        // as the server includes it: its data files (@pmFromFile) resolve next to it. A directive of a
        // mixed file (httpd.conf) goes in as written: its own lines, continuations joined.
        var byFile: [String: Bool] = [:]
        for d in allDirectives(config.directives) where d.children == nil {
            byFile[d.location.file] = (byFile[d.location.file] ?? true) && d.key.hasPrefix("sec")
        }
        var parts: [ModSecurityEngine.Part] = []
        var loaded = Set<String>()
        var texts: [String: [Substring]] = [:]
        var pending = ""
        func flush() {
            if !pending.isEmpty { parts.append(.text(pending, origin: config.mainFile)); pending = "" }
        }
        for d in directives {
            let file = d.location.file
            if byFile[file] == true {
                if loaded.insert(file).inserted { flush(); parts.append(.file(file)) }
                continue
            }
            if texts[file] == nil {
                texts[file] = ((try? fs.read(file, limit: 16 << 20)).map { String(decoding: $0, as: UTF8.self) } ?? "")
                    .split(separator: "\n", omittingEmptySubsequences: false)
            }
            var raw = d.text
            if let lines = texts[file], d.location.line >= 1, d.location.line <= lines.count {
                var i = d.location.line - 1
                var joined = ""
                while i < lines.count {
                    var l = lines[i]
                    if l.hasSuffix("\r") { l = l.dropLast() }
                    if l.hasSuffix("\\") { joined += l.dropLast() + " "; i += 1; continue }
                    joined += l
                    break
                }
                if joined.drop(while: { $0 == " " || $0 == "\t" }).lowercased().hasPrefix(d.key) { raw = joined }
            }
            // A blank line after each: libmodsecurity 3's lexer takes the line after a SecRule without
            // actions (the last of a chain) for its actions unless a blank line ends it.
            pending += raw + "\n\n"
        }
        flush()
        let session: ModSecurityAnalyzer.Session
        do {
            session = try ModSecurityAnalyzer.Session(rules: .configuration(parts,
                                                                           name: "the mod_security2 rules of \(config.mainFile)"),
                                                      readFile: { [fs] in (try? fs.read($0, limit: 16 << 20)).map { String(decoding: $0, as: UTF8.self) } })
        } catch let e as InputError where e.help?.contains("libmodsecurity3") ?? false {
            notes.append("ModSecurity (\(engine.location)): its rules were not evaluated: libmodsecurity 3 is not installed here (apt-get install libmodsecurity3)")
            return nil
        } catch {
            notes.append("ModSecurity (\(engine.location)): libmodsecurity could not load these rules (\(error)); they were not evaluated")
            return nil
        }
        var request = req.request
        request.clientAddress = IPAddress(clientIP) ?? request.clientAddress
        let report = session.report(for: request)
        guard let status = report.verdict.status, var primary = report.findings.first else {
            for n in report.notes where !n.hasPrefix("no rule matched") { notes.append("ModSecurity: " + n) }
            return nil
        }
        primary.evidence.insert(Evidence(engine.location, engine.text), at: 0)
        primary.summary += " (evaluated with libmodsecurity 3; this server runs mod_security2 2.9, whose answers can differ on edge cases)"
        if primary.confidence == .certain { primary.confidence = .likely }
        let rest = report.findings.dropFirst().filter { $0.cause != .none }.map { f -> Finding in
            var f = f
            if f.confidence == .certain { f.confidence = .likely }
            return f
        }
        let outcome = Outcome(status: status, findings: [primary] + rest)
        if case .int(let phase)? = primary.details?["phase"], phase >= 2 {
            modSecurityPhase2 = outcome
            return nil
        }
        return outcome
    }
}
