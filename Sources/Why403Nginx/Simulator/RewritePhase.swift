import Why403Core

/// How a run of rewrite-module directives ended.
enum RewriteFlow {
    /// All directives ran; `uriChanged` when a `rewrite` without flag changed the URI.
    case done(uriChanged: Bool)
    /// `break` (the directive or the flag): stay in this location.
    case stop
    /// `rewrite ... last`: search the location again with the new URI.
    case last
    /// `return` or a redirecting `rewrite`: the response is decided.
    case respond(Decision)
}

/// A decided response: the status and the finding that explains it (nil when nothing denies).
struct Decision {
    var status: Int?
    var finding: Finding?
    var location: String? = nil
}

extension Simulation {
    /// Runs the rewrite-module directives of `block` in order (ngx_http_rewrite_module); `keepIfs`
    /// keeps a matching `if` block's configuration for the later phases (as in a location).
    func runRewrite(_ block: [Directive], conditions: [Directive] = [], keepIfs: Bool) -> RewriteFlow {
        var changed = false
        for d in block {
            switch d.name {
            case "set":
                guard d.args.count == 2 else { continue }
                let name = d.args[0].hasPrefix("$") ? String(d.args[0].dropFirst()) : d.args[0]
                vars[name.lowercased()] = expand(d.args[1])
            case "break":
                trail.append(evidence(d))
                return .stop
            case "return":
                return .respond(returnDecision(d, conditions: conditions))
            case "rewrite":
                guard d.args.count >= 2, let re = regexCache.regex(d.args[0], caseless: false) else {
                    if d.args.count >= 2 { notes.append("\(d.location): this regular expression could not be evaluated here: \(InputError.quote(d.args[0]))") }
                    continue
                }
                guard let m = re.firstMatch(in: uri) else { continue }
                captures = m.groups
                let flag = d.args.count > 2 ? d.args[2] : ""
                let target = expand(d.args[1])
                trail.append(evidence(d))
                let isURL = target.hasPrefix("http://") || target.hasPrefix("https://") || d.args[1].hasPrefix("$scheme")
                if isURL || flag == "redirect" || flag == "permanent" {
                    let status = flag == "permanent" ? 301 : 302
                    return .respond(Decision(status: status, finding: nil, location: target))
                }
                setURI(target)
                isInternal = true
                switch flag {
                case "last": return .last
                case "break": return .stop
                default: changed = true
                }
            case "if":
                guard let body = d.block else { continue }
                if evaluateCondition(d) {
                    trail.append(evidence(d))
                    if keepIfs { chain.append(d) }
                    let r = runRewrite(body, conditions: conditions + [d], keepIfs: keepIfs)
                    switch r {
                    case .done(let c): changed = changed || c
                    default: return r
                    }
                }
            default:
                continue
            }
        }
        return .done(uriChanged: changed)
    }

    /// Sets `$uri` and `$args` from a rewrite target or an internal redirect target.
    func setURI(_ target: String) {
        if let q = target.firstIndex(of: "?") {
            let newArgs = String(target[target.index(after: q)...])
            uri = String(target[..<q])
            if newArgs.isEmpty { args = nil } else if let a = args, !a.isEmpty { args = newArgs + "&" + a } else { args = newArgs }
        } else {
            uri = target
        }
        if let n = URINormalizer.normalize(uri) { uri = n }
    }

    func returnDecision(_ d: Directive, conditions: [Directive]) -> Decision {
        trail.append(evidence(d))
        guard let first = d.args.first else { return Decision(status: 500, finding: nil) }
        let code = Int(first) ?? 302
        let location = Int(first) == nil ? expand(first) : (d.args.count > 1 ? expand(d.args[1]) : nil)
        if code == 401 || code == 403 {
            let cause = conditions.isEmpty ? Cause.accessDeny : classify(conditions)
            return Decision(status: code, finding: returnFinding(d, code: code, cause: cause, conditions: conditions))
        }
        if code >= 300 && code < 400 { return Decision(status: code, finding: nil, location: location) }
        return Decision(status: code, finding: nil)
    }

    /// What an `if` that leads to a refusal tests: the Referer (hotlink), the User-Agent (bot),
    /// the client address (access.ip), or something else (access.deny).
    func classify(_ conditions: [Directive]) -> Cause {
        var seen = Set<String>()
        func causeOf(_ variable: String) -> Cause? {
            let v = variable.lowercased()
            guard seen.insert(v).inserted else { return nil }
            if v == "invalid_referer" || v == "http_referer" { return .hotlinkReferer }
            if v == "http_user_agent" { return .botBlock }
            if v == "remote_addr" || v == "binary_remote_addr" || v == "http_x_forwarded_for" || v == "realip_remote_addr" { return .accessIP }
            if geos[v] != nil { return .accessIP }
            if let m = maps[v] { for s in Simulation.variableNames(in: m.source) { if let c = causeOf(s) { return c } } }
            if let setter = setDirective(for: v) { for s in Simulation.variableNames(in: setter.args.dropFirst().joined(separator: " ")) { if let c = causeOf(s) { return c } } }
            return nil
        }
        for c in conditions.reversed() {
            for a in c.args { for n in Simulation.variableNames(in: a) { if let cause = causeOf(n) { return cause } } }
        }
        return .accessDeny
    }

    func setDirective(for name: String) -> Directive? {
        func search(_ list: [Directive]) -> Directive? {
            for d in list {
                if d.name == "set", d.args.first?.lowercased() == "$" + name { return d }
                if let b = d.block, let f = search(b) { return f }
            }
            return nil
        }
        return search(server.block ?? [])
    }

    /// Evaluates an `if` condition (ngx_http_rewrite_if_condition).
    func evaluateCondition(_ d: Directive) -> Bool {
        let a = d.args
        guard !a.isEmpty else { return false }
        if a.count == 1 {
            let v = expand(a[0])
            return !(v.isEmpty || v == "0")
        }
        if a.count == 2 {
            let op = a[0]
            let path = expand(a[1])
            let negate = op.hasPrefix("!")
            let test = negate ? String(op.dropFirst()) : op
            let st = statFollowing(path)
            var r: Bool
            switch test {
            case "-f": r = st?.kind == .regular
            case "-d": r = st?.kind == .directory
            case "-e": r = st != nil
            case "-x": r = st.map { $0.mode & 0o111 != 0 } ?? false
            default: return false
            }
            if negate { r = !r }
            return r
        }
        let lhs = expand(a[0])
        let op = a[1]
        let rhs = a.dropFirst(2).joined(separator: " ")
        switch op {
        case "=": return lhs == expand(rhs)
        case "!=": return lhs != expand(rhs)
        case "~", "~*", "!~", "!~*":
            let caseless = op.hasSuffix("*")
            guard let re = regexCache.regex(rhs, caseless: caseless) else {
                notes.append("\(d.location): this regular expression could not be evaluated here: \(InputError.quote(rhs))")
                return false
            }
            let m = re.firstMatch(in: lhs)
            if let m, !op.hasPrefix("!") { captures = m.groups }
            return op.hasPrefix("!") ? (m == nil) : (m != nil)
        default:
            return false
        }
    }
}
