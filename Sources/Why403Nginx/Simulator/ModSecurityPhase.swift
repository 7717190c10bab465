import Why403Core
import Why403ModSecurity

extension Simulation {
    /// ModSecurity-nginx (`libnginx-mod-http-modsecurity`): with `modsecurity on`, the connector runs the
    /// request through libmodsecurity in the rewrite and preaccess phases — after the location's rewrite
    /// directives, before `allow`/`deny` and auth — with every `modsecurity_rules_file` and
    /// `modsecurity_rules` from the http block down to the location. why403 opens the same engine with the
    /// same rules; without it, a note says the rules were not evaluated.
    func modSecurityPhase() -> Decision? {
        guard let onOff = nearest("modsecurity"), onOff.args.first?.lowercased() == "on" else { return nil }
        var parts: [ModSecurityEngine.Part] = []
        for level in chain {
            for d in level.block ?? [] {
                switch d.name {
                case "modsecurity_rules_file":
                    if let p = d.args.first { parts.append(.file(p.hasPrefix("/") ? p : prefix + p)) }
                case "modsecurity_rules":
                    if let t = d.args.first { parts.append(.text(t + "\n", origin: d.location.description)) }
                default: break
                }
            }
        }
        guard !parts.isEmpty else {
            notes.append("\(onOff.location): modsecurity on, but no modsecurity_rules_file or modsecurity_rules reaches \(locationName): the engine has no rules")
            return nil
        }
        let session: ModSecurityAnalyzer.Session
        do {
            session = try ModSecurityAnalyzer.Session(rules: .configuration(parts, name: "the ModSecurity rules of \(locationName)"),
                                                      readFile: { [fs] in (try? fs.read($0, limit: 8 << 20)).map { String(decoding: $0, as: UTF8.self) } })
        } catch let e as InputError where e.help?.contains("libmodsecurity3") ?? false {
            notes.append("\(onOff.location): modsecurity on; its rules were not evaluated: libmodsecurity 3 is not installed here (apt-get install libmodsecurity3)")
            possible.append(Finding(cause: .wafRule, layer: .modsecurity, confidence: .possible,
                                    summary: "ModSecurity is on for \(locationName) (\(onOff.location)) and may refuse this request by its content; install libmodsecurity3 to evaluate its rules",
                                    evidence: [evidence(onOff)], rule: "modsecurity"))
            return nil
        } catch {
            notes.append("\(onOff.location): modsecurity on; its rules do not load: \(error)")
            return nil
        }
        // The connector hands the engine the request as the client sent it (unparsed URI) and the
        // address nginx uses ($remote_addr, after realip).
        var request = self.request
        request.clientAddress = clientAddress
        let report = session.report(for: request)
        trail.append(Evidence(onOff.location, onOff.text + " (ModSecurity-nginx: libmodsecurity evaluates the request here)"))
        guard let status = report.verdict.status, var primary = report.findings.first else {
            for n in report.notes where !n.hasPrefix("no rule matched") { notes.append("ModSecurity: " + n) }
            return nil
        }
        primary.evidence.insert(evidence(onOff), at: 0)
        possible += report.findings.dropFirst().filter { $0.cause != .none }
        return Decision(status: status, finding: primary)
    }
}
