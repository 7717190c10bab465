import Why403Core

extension Simulation {
    // MARK: run

    /// Runs the request through the phases and turns the outcome into a report: uncertainty lowers
    /// confidence; the verdict is Core's rule (`Verdict.decide`) over the status and findings.
    mutating func run() -> Report {
        var outcome = simulate()
        outcome.status = errorDocumentStatus(outcome)
        var findings = outcome.findings
        findings += extraFindings
        if !uncertain.isEmpty {
            notes += uncertain
            findings = findings.map { f in
                var f = f
                if f.confidence == .certain { f.confidence = .likely }
                return f
            }
        }
        if req.clientIP == nil {
            notes.append("no --client-ip given: address rules were evaluated for 127.0.0.1")
            findings = findings.map { f in
                var f = f
                if f.cause == .accessIP && f.confidence == .certain { f.confidence = .likely }
                return f
            }
        }
        if outcome.status != 302 || errorDocuments.isEmpty { noteErrorDocument(for: outcome.status) }
        let subject = Subject(kind: .apache, url: req.url, method: req.method, clientIP: req.clientIP,
                              config: config.mainFile,
                              extra: vhost.map { ["virtual_host": .string("\($0.location): <VirtualHost \($0.args.joined(separator: " "))>")] } ?? [:])
        // Findings that name a cause first (the primary one leads: Verdict.decide).
        var ordered = findings.filter { $0.cause != .none }
        ordered += findings.filter { $0.cause == .none }
        var seen = Set<String>()
        notes = notes.filter { seen.insert($0).inserted }
        return Report(subject: subject, status: connectionClosed ? nil : outcome.status, findings: ordered, answeredBy: .apache, notes: notes)
    }

    /// The request loop: decode and normalise the path, ModSecurity, server-context SetEnvIf, then
    /// translate and process the file, again after each internal redirect (at most 10, AH00124).
    mutating func simulate() -> Outcome {
        selectServer()
        if let closed = applyProxyProtocol() { return closed }
        applyRemoteIP()
        // TRACE is answered by the core before any access check (TraceEnable, default on: an echo of the
        // request, 200; off: 405). Checked against httpd 2.4 by the bypass differential test.
        if req.method == "TRACE" {
            if let t = serverDirectives.last(where: { $0.is("TraceEnable") }), t.args.first?.lowercased() == "off" {
                notes.append("TraceEnable off (\(t.location)): httpd refuses TRACE with 405")
                return Outcome(status: 405, findings: [])
            }
            notes.append("httpd answers TRACE itself, before any access check, with an echo of the request (TraceEnable is on by default)")
            return Outcome(status: 200, findings: [])
        }
        var uri: String
        guard let decoded = Self.percentDecode(req.rawPath) else {
            return Outcome(status: 400, findings: [])
        }
        if decoded.contains("\0") || req.rawPath.lowercased().contains("%2f") {
            notes.append("the path holds an encoded slash or NUL; httpd answers 404 (AllowEncodedSlashes Off)")
            return Outcome(status: 404, findings: [])
        }
        if Self.climbsAboveRoot(decoded) {
            notes.append("a '..' of the path climbs above the root: httpd refuses the request with 400 (AH10244 invalid URI path)")
            return Outcome(status: 400, findings: [])
        }
        uri = Self.normalize(decoded)

        modSecurityNotes()
        // ModSecurity: a logged deny for this request decides before anything else.
        if let waf = modSecurityFromLog(uri: uri) { return waf }
        // Without a log line: the rules themselves, through the engine (phase 1 decides here).
        if let waf = modSecurityEvaluate() { return waf }

        // post_read_request: server-context SetEnvIf.
        applySetEnv(serverDirectives.filter { ["setenvif", "setenvifnocase", "browsermatch", "browsermatchnocase", "setenv", "unsetenv"].contains($0.key) }, uri: uri, filename: nil)

        var redirects = 0
        var perDirRewriteDone = false
        while true {
            redirects += 1
            if redirects > 10 {
                notes.append("more than 10 internal redirects (AH00124); httpd answers 500")
                return Outcome(status: 500, findings: [])
            }
            // translate_name: server-context mod_rewrite.
            let serverRewrite = serverRewriteConfig()
            var filename: String? = nil
            if let rw = serverRewrite, rw.engine == true {
                switch applyRewrite(rw, uri: uri, filename: nil, perDir: false) {
                case .stop(let o): return o
                case .uri(let u): uri = u
                case .file(let f): filename = f
                case .none: break
                }
            }
            if filename == nil {
                switch mapToFile(uri) {
                case .redirect(let o): return o
                case .file(let f): filename = f
                }
            }
            guard let file = filename else { return Outcome(status: 404, findings: []) }
            let result = processFile(uri: uri, filename: file, perDirRewriteDone: perDirRewriteDone)
            switch result {
            case .done(let o): return o
            case .internalRedirect(let u):
                uri = u
                perDirRewriteDone = true
                continue
            }
        }
    }
}
