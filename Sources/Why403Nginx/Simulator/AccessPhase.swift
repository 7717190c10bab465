import Foundation
import Why403Core
import Why403FileSystem
import Why403Htpasswd

extension Simulation {
    /// The preaccess phase: `limit_req`/`limit_conn` whose status is 403 may refuse a burst of
    /// requests: a "possible rate.limit" finding with the zone's rate (one request cannot prove it).
    func preaccessPhase() {
        for (directive, statusName, zoneName) in [("limit_req", "limit_req_status", "limit_req_zone"), ("limit_conn", "limit_conn_status", "limit_conn_zone")] {
            let limits = innermostGroup([directive])
            guard !limits.isEmpty else { continue }
            let status = nearest(statusName).flatMap { Int($0.args.first ?? "") } ?? 503
            for l in limits {
                let zone = l.args.first { $0.hasPrefix("zone=") }.map { String($0.dropFirst(5)) } ?? l.args.first ?? ""
                let zoneDef = (http.block ?? []).first { $0.name == zoneName && $0.args.contains { $0 == "zone=" + zone || $0.hasPrefix("zone=\(zone):") } }
                let rate = zoneDef?.args.first { $0.hasPrefix("rate=") }.map { String($0.dropFirst(5)) }
                var ev = [evidence(l)]
                if let z = zoneDef { ev.append(evidence(z)) }
                if let s = nearest(statusName) { ev.append(evidence(s)) }
                let what = directive == "limit_req" ? "more than \(rate ?? "the zone's rate") from one key" : "too many connections at once"
                possible.append(Finding(
                    cause: .rateLimit, layer: .nginx, confidence: .possible,
                    summary: "\(directive) zone \(InputError.quote(zone)) answers \(status) when a client sends \(what)",
                    evidence: ev,
                    fixes: status == 403 ? [Fix(summary: "answer 429 for rate limiting so it is not mistaken for a permission problem",
                                                patch: nearest(statusName).flatMap { Patcher(config: config).replace($0, with: "\(statusName) 429;") })] : [],
                    rule: "nginx-\(directive.replacingAll("_", with: "-"))",
                    checks: ["look for \"limiting requests\" or \"limiting connections\" lines in the error log at the time of the 403"]))
            }
        }
    }

    /// The innermost location's `limit_except` block when the request's method is not one it lists (GET lists HEAD
    /// too), else nil. nginx then gives the request that block's configuration (ngx_http_update_location_config, right
    /// after the location is found): its access rules (the location's when it has none), and its rewrite directives,
    /// which are none (`return`, `if`, `rewrite` are not allowed in it, and the rewrite module does not inherit them),
    /// so the location's own `return`/`if`/`rewrite` do not run for such a method; a content handler such as proxy_pass
    /// is inherited.
    func unlistedLimitExcept() -> Directive? {
        guard let loc = chain.last(where: { $0.name == "location" }), let le = loc.child("limit_except") else { return nil }
        var methods = Set(le.args.map { $0.uppercased() })
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.contains(request.method.uppercased()) ? nil : le
    }

    /// The access phase (ngx_http_core_access_phase): allow/deny first, then auth_basic, combined by
    /// `satisfy`; `limit_except` adds its rules for the methods it does not list. `auth_request` is
    /// decided by the upstream it calls.
    func accessPhase() -> Decision? {
        var levels = chain
        if let le = unlistedLimitExcept() { levels.append(le) }
        let rules = innermostGroup(["allow", "deny"], in: levels)
        var access: (allowed: Bool, rule: Directive)?
        do {
            let ip = clientAddress
            for r in rules {
                guard let a = r.args.first, let cidr = CIDR.parse(a) else { continue }
                if cidr.contains(ip) { access = (r.name == "allow", r); break }
            }
        }
        let satisfyAny = nearest("satisfy", in: levels)?.args.first?.lowercased() == "any"
        if satisfyAny, let a = access, a.allowed { return nil }
        if !satisfyAny, let a = access, !a.allowed { return Decision(status: 403, finding: denyFinding(a.rule, rules: rules)) }
        let configured = authConfigured(levels)
        let auth = configured ? authBasic(levels) : nil
        if let auth { return auth }
        // satisfy any: valid credentials let the request through even when the address rules deny it.
        if satisfyAny, let a = access, !a.allowed, !configured { return Decision(status: 403, finding: denyFinding(a.rule, rules: rules)) }
        if let ar = nearest("auth_request", in: levels), ar.args.first != "off" {
            return Decision(status: nil, finding: upstreamFinding(ar, what: "auth_request subrequest to \(ar.args.first ?? "")"))
        }
        return nil
    }

    func denyFinding(_ rule: Directive, rules: [Directive]) -> Finding {
        let idx = rules.firstIndex(of: rule) ?? 0
        let before = rules[..<idx]
        let clientDependent = rule.args.first != "all" || before.contains { $0.args.first != "all" }
        let cause: Cause = clientDependent ? .accessIP : .accessDeny
        var ev = before.map(evidence)
        ev.append(evidence(rule))
        if let r = realIPApplied, clientDependent { ev += r.evidence }
        let allowedNets = before.filter { $0.name == "allow" }.compactMap(\.args.first)
        let summary: String
        if cause == .accessIP {
            if allowedNets.isEmpty {
                summary = "\(locationName) denies \(clientIP) by \(InputError.quote(rule.text))"
            } else {
                summary = "\(locationName) allows only \(allowedNets.joined(separator: ", ")); \(clientIP) is outside it"
            }
        } else {
            summary = "\(locationName) denies every client (\(InputError.quote(rule.text)))"
        }
        let patch = Patcher(config: config).insertBefore(rule, "allow \(clientIP);")
        var fixes = [Fix(summary: cause == .accessIP ? "allow the client's address before the deny (or its network, if that is the intent)"
                                                     : "if this path should be reachable, allow the client before \(InputError.quote(rule.text))",
                         patch: patch)]
        var checks: [String]? = nil
        if cause == .accessIP, realIPApplied == nil, let (name, value) = request.proxyHeader {
            // Behind a proxy without realip, every rule sees the proxy's address: the most reported
            // "allowlist does not work behind the load balancer".
            ev.append(Evidence(source: "header \(name)", text: value))
            fixes.insert(Fix(summary: "the request came through a proxy (\(name): \(value)) but nginx uses the connection's address \(clientIP): trust the proxy's address so nginx takes the client's from the header (only the proxy's, never 0.0.0.0/0)",
                             patch: "+    set_real_ip_from \(clientIP);   # the load balancer / CDN addresses\n+    real_ip_header \(name == "Forwarded" ? "X-Forwarded-For" : name);\n"), at: 0)
            checks = ["which address reaches nginx: the load balancer's (then set_real_ip_from it) or the client's (Kubernetes: externalTrafficPolicy Local keeps it; ingress-nginx: use-forwarded-headers)",
                      "how the proxy fills \(name): ALB and CloudFront append the client to X-Forwarded-For, Cloudflare also sends CF-Connecting-IP; the last address is the one nginx takes unless real_ip_recursive on",
                      "why403 nginx URL --client-ip PROXY -H '\(name): CLIENT' with the fixed configuration shows the address nginx would use"]
        }
        return Finding(cause: cause, layer: .nginx, confidence: .certain, summary: summary, evidence: ev,
                       fixes: fixes, rule: "nginx-access", checks: checks)
    }

    func authConfigured(_ levels: [Directive]) -> Bool {
        guard let ab = nearest("auth_basic", in: levels), let realm = ab.args.first, realm != "off" else { return false }
        return nearest("auth_basic_user_file", in: levels) != nil
    }

    /// auth_basic with auth_basic_user_file (ngx_http_auth_basic_module): nil when it lets the request through.
    func authBasic(_ levels: [Directive]) -> Decision? {
        guard let ab = nearest("auth_basic", in: levels), let realm = ab.args.first, realm != "off" else { return nil }
        guard let uf = nearest("auth_basic_user_file", in: levels), let rawFile = uf.args.first else { return nil }
        var file = expand(rawFile)
        if !file.hasPrefix("/") { file = config.confPrefix + file }
        let ev = [evidence(ab), evidence(uf)]
        guard let header = request.header("Authorization"), header.lowercased().hasPrefix("basic ") else {
            return Decision(status: 401, finding: Finding(
                cause: .authMissing, layer: .nginx, confidence: .certain,
                summary: "\(locationName) requires HTTP Basic authentication (realm \(InputError.quote(realm))); the request sent no credentials",
                evidence: ev, fixes: [Fix(summary: "send the user's credentials", commands: ["curl -u USER \(ShellWord.quote(request.url))"])],
                rule: "nginx-auth-basic"))
        }
        let token = header.dropFirst(6).trimmingSpaces
        guard let data = Data(base64Encoded: token), let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else {
            return Decision(status: 401, finding: Finding(cause: .authInvalid, layer: .nginx, confidence: .certain,
                summary: "the Authorization header is not valid Basic credentials (base64 of user:password)", evidence: ev,
                fixes: [Fix(summary: "send well-formed credentials", commands: ["curl -u USER \(ShellWord.quote(request.url))"])], rule: "nginx-auth-basic"))
        }
        let user = String(pair[..<colon])
        let password = String(pair[pair.index(after: colon)...])
        guard let bytes = try? fs.read(file, limit: 8 << 20), let htpasswd = try? HtpasswdFile(path: file, contents: String(decoding: bytes, as: UTF8.self)) else {
            if fs.info(file) == nil {
                return Decision(status: 403, finding: Finding(cause: .accessDeny, layer: .nginx, confidence: .certain,
                    summary: "the auth_basic_user_file \(InputError.quote(file)) does not exist: nginx answers 403 to every request here", evidence: ev,
                    fixes: [Fix(summary: "create the password file (htpasswd from apache2-utils)", commands: ["htpasswd -c \(ShellWord.single(file)) USER"])], rule: "nginx-auth-basic"))
            }
            notes.append("the password file \(file) could not be read or parsed here; credentials were not verified")
            return nil
        }
        switch htpasswd.verify(user: user, password: password) {
        case .match:
            remoteUser = user
            return nil
        case .mismatch(let line):
            return Decision(status: 401, finding: Finding(cause: .authInvalid, layer: .nginx, confidence: .certain,
                summary: "user \(InputError.quote(user)): password mismatch (\(file):\(line))",
                evidence: ev + [Evidence(source: "\(file):\(line)", text: "\(user):…")],
                fixes: [Fix(summary: "reset the user's password", commands: ["htpasswd \(ShellWord.single(file)) \(ShellWord.single(user))"])], rule: "nginx-auth-basic"))
        case .unknownUser:
            return Decision(status: 401, finding: Finding(cause: .authInvalid, layer: .nginx, confidence: .certain,
                summary: "user \(InputError.quote(user)) was not found in \(InputError.quote(file))", evidence: ev,
                fixes: [Fix(summary: "add the user", commands: ["htpasswd \(ShellWord.single(file)) \(ShellWord.single(user))"])], rule: "nginx-auth-basic"))
        case .unsupported(let format, let line):
            notes.append("\(file):\(line): the \(format) hash of user \(InputError.quote(user)) cannot be verified here")
            return Decision(status: 401, finding: Finding(cause: .authInvalid, layer: .nginx, confidence: .possible,
                summary: "user \(InputError.quote(user)) has a \(format) hash that could not be verified", evidence: ev,
                fixes: [], rule: "nginx-auth-basic"))
        }
    }

    func upstreamFinding(_ d: Directive, what: String) -> Finding {
        Finding(cause: .appForbidden, layer: .application, confidence: .possible,
                summary: "\(locationName) passes the request to \(what): the answer (a 403 included) is decided by the upstream",
                evidence: [evidence(d)],
                rule: "nginx-upstream",
                checks: ["send the same request to the upstream directly and compare", "read the application's log for this request"])
    }
}
