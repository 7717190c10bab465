import Why403Core

/// What the simulation concluded.
struct SimulationResult {
    var status: Int?
    var findings: [Finding]
    var notes: [String]
    var trail: [Evidence]
    var location: String?
}

extension Simulation {
    /// Runs the phases: server rewrite, find config, rewrite, preaccess, access, content; internal
    /// redirects and `rewrite ... last` loop (at most 10 times, as nginx), then error_page.
    func run() throws -> SimulationResult {
        // ngx_http_parse_complex_uri: the request line is refused before a server or any phase sees it.
        if let why = badRequestLine {
            notes.append("nginx refuses the request line before any phase: \(why) (400 Bad Request, \"client sent invalid request\" at info level)")
            return SimulationResult(status: 400, findings: [], notes: notes, trail: trail, location: nil)
        }
        try selectServer()
        if let broken = proxyProtocolMismatch() { return broken }
        // ngx_http_process_request_header: TRACE is refused once the headers are read, before any phase
        // ("client sent TRACE method", 405): no location, access rule or handler sees it.
        if request.method == "TRACE" {
            notes.append("nginx refuses TRACE before any phase (405, \"client sent TRACE method\" at info level)")
            return SimulationResult(status: 405, findings: [], notes: notes, trail: trail, location: nil)
        }
        applyRealIP(at: serverChain)  // post-read phase: the server's configuration
        var decision = phases(restartAtServer: true, named: nil)
        var status = decision.status
        var primary = decision.finding
        // error_page (ngx_http_special_response_handler), not recursive.
        if let s = status, s >= 300, s != 301, s != 302, let (ep, override, target) = errorPage(for: s) {
            trail.append(evidence(ep))
            var final = override ?? s
            if target.hasPrefix("http://") || target.hasPrefix("https://") {
                final = override.flatMap { [301, 302, 303, 307, 308].contains($0) ? $0 : nil } ?? 302
            } else if !target.hasPrefix("@") || true {
                let saved = (chain, uri, args, captures, trail.count)
                let sub: Decision
                if target.hasPrefix("@") {
                    sub = namedLocation(target).map { phases(restartAtServer: false, named: $0) } ?? Decision(status: 500, finding: nil)
                } else {
                    setURI(expand(target)); isInternal = true
                    sub = phases(restartAtServer: true, named: nil)
                }
                (chain, uri, args, captures) = (saved.0, saved.1, saved.2, saved.3)
                if let st = sub.status, st != 200 {
                    final = st
                    notes.append("the error page \(target) itself answers \(st), which nginx sends instead")
                } else if override == nil && ep.args.contains("=") {
                    final = sub.status ?? s
                }
            }
            if final != s, var f = primary {
                f.summary += " (error_page at \(ep.location) turns the \(s) into \(final))"
                f.evidence.append(evidence(ep))
                primary = f
            } else if final != s {
                notes.append("error_page at \(ep.location) turns the \(s) into \(final)")
            }
            status = final
        }
        if status == 500 && primary == nil && cycles > 10 {
            notes.append("rewrite or internal redirection cycle while processing \(uri): nginx answers 500")
        }
        var findings: [Finding] = []
        if let p = primary { findings.append(p) }
        findings += possible
        decision.status = status
        return SimulationResult(status: status, findings: findings, notes: notes, trail: trail, location: decision.location)
    }

    func errorPage(for status: Int) -> (Directive, Int?, String)? {
        for ep in innermostGroup(["error_page"]) {
            guard ep.args.count >= 2 else { continue }
            let codes = ep.args.dropLast().filter { !$0.hasPrefix("=") }.compactMap(Int.init)
            guard codes.contains(status) else { continue }
            let over = ep.args.first { $0.hasPrefix("=") }.flatMap { Int($0.dropFirst()) }
            return (ep, over, ep.args.last!)
        }
        return nil
    }

    func phases(restartAtServer start: Bool, named first: Directive?) -> Decision {
        var restartAtServer = start
        var named = first
        while true {
            cycles += 1
            if cycles > 11 { return Decision(status: 500, finding: nil) }
            if restartAtServer {
                chain = serverChain
                switch runRewrite(server.block ?? [], keepIfs: false) {
                case .respond(let d): return d
                case .last, .done, .stop: break
                }
                chain = serverChain
            }
            // find config
            if let n = named {
                chain = serverChain + [n]
                named = nil
                trail.append(Evidence(n.location, n.text + " (named location)"))
            } else {
                let locs = findLocation(uri, in: server)
                chain = serverChain + locs
                if let l = locs.last {
                    trail.append(Evidence(l.location, l.text + " (matches \(uri))"))
                    if l.child("internal") != nil && !isInternal {
                        notes.append("\(l.location): this location is 'internal': an external request gets 404")
                        return Decision(status: 404, finding: nil)
                    }
                } else {
                    notes.append("no location matches \(uri): the server's own configuration applies")
                }
            }
            // location rewrite phase (none for a method the location's limit_except does not list: see `unlistedLimitExcept`)
            let limitExcept = unlistedLimitExcept()
            if let le = limitExcept {
                trail.append(Evidence(le.location, le.text + " (the method \(request.method) is not listed: the request takes this block's configuration, "
                                      + "so the location's return, if and rewrite directives do not run for it)"))
            }
            if let loc = chain.last, loc.name == "location", limitExcept == nil {
                switch runRewrite(loc.block ?? [], keepIfs: true) {
                case .respond(let d): return d
                case .last:
                    restartAtServer = false; continue
                case .done(let changed):
                    if changed { restartAtServer = false; continue }
                case .stop: break
                }
            }
            applyRealIP(at: chain)  // preaccess: a location's realip, when the server had none
            if !isInternal, let d = modSecurityPhase() { return d }
            preaccessPhase()
            if let d = accessPhase() { return d }
            switch contentPhase() {
            case .respond(let d): return d
            case .internalRedirect(let target):
                setURI(target); isInternal = true; restartAtServer = true
                trail.append(Evidence(source: locationSource, text: "internal redirect to \(uri)"))
            case .named(let n):
                isInternal = true; restartAtServer = false; named = n
            }
        }
    }
}
