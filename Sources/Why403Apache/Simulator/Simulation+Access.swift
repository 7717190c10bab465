import Why403Core
import Why403FileSystem
import Why403Htpasswd

extension Simulation {
    // MARK: access control (check_access, check_user_id, auth_checker)

    /// mod_access_compat and mod_authz_core as `ap_process_request_internal` combines them under
    /// `Satisfy`; Basic authentication when authorization needs a user.
    mutating func checkAccess(_ dc: DirConfig, uri: String, filename: String, decisive: [ApacheDirective]) -> Outcome? {
        // mod_allowmethods runs first among the access checkers (APR_HOOK_REALLY_FIRST): 405.
        if let am = dc.allowMethods, config.hasModule("allowmethods"), !am.methods.contains(req.method.uppercased()) {
            return Outcome(status: 405, findings: [Finding(
                cause: .accessDeny, layer: .apache, confidence: .certain,
                summary: "AllowMethods does not list \(req.method): AH01623 client method denied by server configuration: '\(req.method)' to \(filename); httpd answers 405",
                evidence: withSections([am.source.evidence], decisive),
                fixes: [Fix(summary: "add \(req.method) to AllowMethods (\(am.source.location)) if this resource should accept it")],
                rule: "AH01623")])
        }
        let ip = clientIP
        var compatOK = true
        var compatResult: (allowed: Bool, matchedAllow: ApacheDirective?, matchedDeny: ApacheDirective?)? = nil
        if let c = dc.compat, config.hasModule("access_compat") {
            let r = Authz.compat(c, ip: ip, env: env, uncertain: &uncertain)
            compatResult = r
            compatOK = r.allowed
        }
        let satisfyAny = dc.compat?.satisfyAny ?? false
        if !compatOK && !satisfyAny, let c = dc.compat, let r = compatResult {
            return Outcome(status: 403, findings: [compatFinding(c, r, filename: filename)])
        }
        if satisfyAny && compatOK && dc.compat != nil {
            notes.append("Satisfy Any: the client passes Allow/Deny, so Require is not needed (\(dc.compat?.satisfySource?.location.description ?? ""))")
            return nil
        }
        guard let authz = dc.authz else {
            if let t = dc.authType {
                return Outcome(status: 500, findings: [Finding(
                    cause: .configError, layer: .apache, confidence: .certain,
                    summary: "AuthType is configured with no Require: AH01627 AuthType configured with no corresponding authorization directives; httpd answers 500",
                    evidence: [t.evidence], fixes: [Fix(summary: "add the Require that the authentication is for, e.g. Require valid-user")],
                    rule: "AH01627")])
            }
            if !compatOK, let c = dc.compat, let r = compatResult {
                return Outcome(status: 403, findings: [compatFinding(c, r, filename: filename)])
            }
            return nil
        }
        var ctx = makeContext(user: nil, groupFile: dc.authGroupFile?.args.first.map(resolve))
        var trace: [AuthzTrace] = []
        let r = Authz.evaluate(authz, &ctx, trace: &trace)
        uncertain += ctx.uncertain
        switch r {
        case .granted:
            return nil
        case .denied, .neutral:
            if !compatOK, let c = dc.compat, let cr = compatResult {
                return Outcome(status: 403, findings: [compatFinding(c, cr, filename: filename)])
            }
            var f = authzFinding(trace, filename: filename, user: nil)
            f.evidence = withSections(f.evidence, decisive)
            return Outcome(status: 403, findings: [f])
        case .deniedNoUser:
            return authenticate(dc, authz: authz, filename: filename, uri: uri)
        }
    }

    func makeContext(user: String?, groupFile: String?) -> AuthzContext {
        let fsRef = fs
        let groups: (String) -> Set<String> = { u in
            guard let gf = groupFile, let bytes = try? fsRef.read(gf, limit: 1 << 20) else { return [] }
            var out = Set<String>()
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let members = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if members.contains(u) { out.insert(String(line[..<colon]).trimmingSpaces) }
            }
            return out
        }
        let me = self
        return AuthzContext(clientIP: clientIP, clientIPKnown: req.clientIP != nil, serverIP: nil,
                            method: req.method, env: env, user: user, groups: groups,
                            expr: { me.evalExpr($0) })
    }

    mutating func authenticate(_ dc: DirConfig, authz: AuthzNode, filename: String, uri: String) -> Outcome? {
        var ev: [Evidence] = []
        if let t = dc.authType { ev.append(t.evidence) }
        if let f = dc.authUserFile { ev.append(f.evidence) }
        var requireEv: [Evidence] = []
        collectRequires(authz, into: &requireEv)
        ev += requireEv
        guard let type = dc.authType else {
            return Outcome(status: 500, findings: [Finding(cause: .configError, layer: .apache, confidence: .likely,
                summary: "a Require needs an authenticated user but no AuthType is set: AH00027 No authentication done but request not allowed without authentication for \(uri). Authentication not configured?; httpd answers 500",
                evidence: requireEv, fixes: [Fix(summary: "set the authentication the Require is for (AuthType Basic, AuthName, AuthUserFile), or grant without a user")],
                rule: "AH00027")])
        }
        if let o = authTypeWithoutModule(type, evidence: ev) { return o }
        guard type.args.first?.lowercased() == "basic" else {
            uncertain.append("AuthType \(type.args.first ?? "") is not modelled (only Basic)")
            return Outcome(status: 401, findings: [Finding(cause: .authMissing, layer: .apache, confidence: .possible,
                summary: "authentication (\(type.args.first ?? "")) is required here", evidence: ev)])
        }
        let realm = dc.authName?.args.first ?? ""
        guard let header = req.header("Authorization") else {
            return Outcome(status: 401, findings: [Finding(
                cause: .authMissing, layer: .apache, confidence: .certain,
                summary: "\(uri) requires HTTP Basic authentication (realm \(InputError.quote(realm))) and the request sent no credentials: httpd answers 401 with WWW-Authenticate: Basic",
                evidence: ev, fixes: [Fix(summary: "send the user's credentials", commands: ["curl -u USER \(PathWalk.shellQuote(req.url))"])])])
        }
        let parts = header.trimmingSpaces.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Self.base64Decode(String(parts[1])), let colon = decoded.firstIndex(of: ":") else {
            return Outcome(status: 401, findings: [Finding(cause: .authInvalid, layer: .apache, confidence: .certain,
                summary: "the Authorization header is not HTTP Basic credentials: AH01614 client used wrong authentication scheme", evidence: ev, rule: "AH01614")])
        }
        let userName = String(decoded[..<colon])
        let password = String(decoded[decoded.index(after: colon)...])
        guard let fileDirective = dc.authUserFile, let file = fileDirective.args.first.map(resolve) else {
            return Outcome(status: 500, findings: [Finding(cause: .configError, layer: .apache, confidence: .likely,
                summary: "AuthType Basic without AuthUserFile: httpd cannot check the password: AH01619 AuthUserFile not specified in the configuration; httpd answers 500",
                evidence: ev, fixes: [Fix(summary: "name the password file with AuthUserFile (created with htpasswd)")], rule: "AH01619")])
        }
        let htpasswd: HtpasswdFile
        do {
            let bytes = try fs.read(file, limit: 16 << 20)
            htpasswd = try HtpasswdFile(path: file, contents: String(decoding: bytes, as: UTF8.self))
        } catch {
            return Outcome(status: 500, findings: [Finding(cause: .configError, layer: .apache, confidence: .likely,
                summary: "the AuthUserFile \(file) cannot be read: AH01620 Could not open password file; httpd answers 500",
                evidence: [fileDirective.evidence], rule: "AH01620")])
        }
        let safeUser = InputError.quote(userName)
        switch htpasswd.verify(user: userName, password: password) {
        case .unknownUser:
            return Outcome(status: 401, findings: [Finding(
                cause: .authInvalid, layer: .apache, confidence: .certain,
                summary: "user \(safeUser) is not in \(file): AH01618 user \(userName) not found: \(uri)",
                evidence: ev, fixes: [Fix(summary: "add the user (it prompts for the password)", commands: ["htpasswd \(PathWalk.shellQuote(file)) \(PathWalk.shellQuote(userName))"])],
                rule: "AH01618")])
        case .mismatch(let line):
            return Outcome(status: 401, findings: [Finding(
                cause: .authInvalid, layer: .apache, confidence: .certain,
                summary: "the password of \(safeUser) does not match \(file):\(line): AH01617 user \(userName): authentication failure for \"\(uri)\": Password Mismatch",
                evidence: ev + [Evidence(source: "\(file):\(line)", text: "\(userName):[hash]")],
                fixes: [Fix(summary: "reset the password (it prompts)", commands: ["htpasswd \(PathWalk.shellQuote(file)) \(PathWalk.shellQuote(userName))"])],
                rule: "AH01617")])
        case .unsupported(let format, let line):
            return Outcome(status: 401, findings: [Finding(cause: .authInvalid, layer: .apache, confidence: .possible,
                summary: "the hash of \(safeUser) at \(file):\(line) is in a format why403 cannot verify (\(format))", evidence: ev)])
        case .match:
            var ctx = makeContext(user: userName, groupFile: dc.authGroupFile?.args.first.map(resolve))
            var trace: [AuthzTrace] = []
            let r = Authz.evaluate(authz, &ctx, trace: &trace)
            uncertain += ctx.uncertain
            if r == .granted {
                notes.append("user \(safeUser) authenticated against \(file)")
                return nil
            }
            // authorize_user_core: a denial after authentication answers 401 (AH01631), unless
            // AuthzSendForbiddenOnFailure On, which answers 403.
            var f = authzFinding(trace, filename: filename, user: userName)
            if f.cause == .accessDeny { f.cause = .authRole }
            let forbidden = allDirectivesForbiddenOnFailure(dc)
            if !forbidden { f.summary += "; httpd answers 401 so the browser asks for other credentials" }
            return Outcome(status: forbidden ? 403 : 401, findings: [f])
        }
    }

    /// mod_authn_core's last resort (AH01796): an `AuthType` that no loaded module provides (`Digest`
    /// without mod_auth_digest, `Form` without mod_auth_form) answers 500. `likely`: a module may be
    /// compiled in rather than loaded. Basic and other types are left to `authenticate`.
    func authTypeWithoutModule(_ type: ApacheDirective, evidence: [Evidence]) -> Outcome? {
        let name = type.args.first ?? ""
        guard let module = ["digest": "auth_digest", "form": "auth_form"][name.lowercased()],
              !config.hasModule(module) else { return nil }
        return Outcome(status: 500, findings: [Finding(
            cause: .configError, layer: .apache, confidence: .likely,
            summary: "AuthType \(name) needs mod_\(module), which is not loaded: AH01796 AuthType \(name) configured without corresponding module; httpd answers 500",
            evidence: evidence, fixes: [Fix(summary: "load mod_\(module) (a2enmod \(module)), or use AuthType Basic")],
            rule: "AH01796")])
    }

    func allDirectivesForbiddenOnFailure(_ dc: DirConfig) -> Bool { dc.forbiddenOnFailure }

    /// Puts the header of the section that holds each evidence line before it (`<Directory …>`),
    /// so the reader sees where the rule applies.
    func withSections(_ evidence: [Evidence], _ sections: [ApacheDirective]) -> [Evidence] {
        func contains(_ s: ApacheDirective, _ e: Evidence) -> Bool {
            for c in s.children ?? [] {
                if c.evidence == e { return true }
                if c.isSection, contains(c, e) { return true }
            }
            return false
        }
        var out: [Evidence] = []
        for e in evidence {
            if let s = sections.last(where: { contains($0, e) }), !out.contains(s.evidence) { out.append(s.evidence) }
            if !out.contains(e) { out.append(e) }
        }
        return out
    }

    func collectRequires(_ n: AuthzNode, into ev: inout [Evidence]) {
        switch n {
        case .require(_, _, _, let s): ev.append(s.evidence)
        case .all(let c, let s), .any(let c, let s), .none(let c, let s):
            if let s { ev.append(s.evidence) }
            for x in c { collectRequires(x, into: &ev) }
        }
    }

    static func base64Decode(_ s: String) -> String? {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var map = [UInt8: UInt8]()
        for (i, c) in table.enumerated() { map[c] = UInt8(i) }
        var bits: UInt32 = 0, n = 0
        var out: [UInt8] = []
        for c in s.utf8 {
            if c == UInt8(ascii: "=") { break }
            guard let v = map[c] else { return nil }
            bits = bits << 6 | UInt32(v); n += 6
            if n >= 8 { n -= 8; out.append(UInt8((bits >> UInt32(n)) & 0xFF)) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func compatFinding(_ c: CompatConfig, _ r: (allowed: Bool, matchedAllow: ApacheDirective?, matchedDeny: ApacheDirective?),
                       filename: String) -> Finding {
        var ev: [Evidence] = []
        if let o = c.orderSource { ev.append(o.evidence) }
        if let d = r.matchedDeny { ev.append(d.evidence) }
        for (_, a) in c.allows where !ev.contains(a.evidence) { ev.append(a.evidence) }
        let ip = clientIP
        let denyAll = r.matchedDeny.map { d in d.args.contains { $0.lowercased() == "all" } } ?? false
        let allowsSomeone = !c.allows.isEmpty
        let cause: Cause
        if let d = r.matchedDeny, !denyAll {
            cause = d.args.contains { $0.lowercased().hasPrefix("env=") } ? envCause(d.args.first { $0.lowercased().hasPrefix("env=") }.map { String($0.dropFirst(4)).replacingAll("!", with: "") } ?? "") : .accessIP
        } else if allowsSomeone && !(c.allows.contains { $0.0.contains { $0.lowercased() == "all" } }) {
            cause = .accessIP
        } else {
            cause = .accessDeny
        }
        let how: String
        switch c.order {
        case .allowDeny: how = "Order Allow,Deny denies unless an Allow matches and no Deny does"
        case .denyAllow: how = "Order Deny,Allow: a Deny matched and no Allow overrode it"
        case .mutualFailure: how = "Order Mutual-failure: an Allow must match and no Deny"
        case .invalid: how = "the Order directive is not valid"
        }
        let fix: Fix
        if cause == .accessIP {
            fix = Fix(summary: "allow the client's address (2.4 style, replacing Order/Allow/Deny in this section)",
                      patch: "+    Require ip \(ip)\n")
        } else {
            fix = Fix(summary: "if this path should be served, replace the 2.2 access lines by the intended 2.4 Require",
                      patch: ev.map { "-" + $0.text }.joined(separator: "\n") + "\n+    Require all granted\n")
        }
        return Finding(cause: cause, layer: .apache, confidence: .certain,
                       summary: "mod_access_compat refuses \(ip): \(how): AH01797 client denied by server configuration: \(filename)",
                       evidence: ev + (cause == .accessIP ? remoteIPEvidence : []), fixes: [fix], rule: "AH01797")
    }

    func authzFinding(_ trace: [AuthzTrace], filename: String, user: String?) -> Finding {
        let denied = trace.filter { $0.result == .denied || $0.result == .neutral }
        var ev = denied.map { $0.source.evidence }
        if ev.isEmpty { ev = trace.map { $0.source.evidence } }
        let ip = clientIP
        var cause = Cause.accessDeny
        if denied.contains(where: { $0.provider == "all" }) {
            cause = .accessDeny
        } else if denied.contains(where: { ["ip", "host", "local", "forward-dns"].contains($0.provider) }) {
            cause = .accessIP
        } else if let e = denied.first(where: { $0.provider == "env" }) {
            let args = e.source.args.filter { !["require", "not", "env"].contains($0.lowercased()) }
            cause = envCause(args.first ?? "")
            for v in args { if let s = envSourceFor(v) { ev.append(s.evidence) } }
        } else if let e = denied.first(where: { $0.provider == "expr" }) {
            cause = exprCause(e.source.text)
        } else if user != nil {
            cause = .authRole
        }
        let logLine = user.map { "AH01631 user \($0): authorization failure for \"\(filename)\"" }
            ?? "AH01630 client denied by server configuration: \(filename)"
        let what: String
        switch cause {
        case .accessIP: what = "no Require matches the client address \(ip)"
        case .accessDeny: what = "Require denies everyone here"
        case .botBlock: what = "the User-Agent set an environment variable that Require refuses"
        case .hotlinkReferer: what = "the Referer decided an environment variable that Require checks"
        case .authRole: what = "the authenticated user is not among those Require allows"
        default: what = "Require refuses this request"
        }
        var fixes: [Fix] = []
        if cause == .accessIP, let first = denied.first(where: { $0.provider == "ip" || $0.provider == "host" || $0.provider == "local" })?.source {
            fixes.append(Fix(summary: "allow this client's address next to the existing rule (least privilege: only this address)",
                             patch: "--- a\(first.location.file)\n+++ b\(first.location.file)\n@@ line \(first.location.line) @@\n \(first.text)\n+Require ip \(ip)\n"))
        } else if cause == .accessDeny, let first = denied.first?.source {
            fixes.append(Fix(summary: "if this path should be served, grant it explicitly (otherwise the 403 is intended)",
                             patch: "--- a\(first.location.file)\n+++ b\(first.location.file)\n@@ line \(first.location.line) @@\n-\(first.text)\n+Require all granted\n"))
        }
        if cause == .accessIP { ev += remoteIPEvidence }
        var checks: [String]? = nil
        if cause == .accessIP, let advice = behindProxyAdvice() {
            ev.append(advice.evidence)
            fixes.insert(advice.fix, at: 0)
            checks = advice.checks
        }
        return Finding(cause: cause, layer: .apache, confidence: .certain,
                       summary: "mod_authz_core refuses: \(what): \(logLine)", evidence: ev, fixes: fixes,
                       rule: user == nil ? "AH01630" : "AH01631", checks: checks)
    }

    func envSourceFor(_ variable: String) -> ApacheDirective? {
        let v = variable.hasPrefix("!") ? String(variable.dropFirst()) : variable
        if let s = envSources[v] { return s }
        return serverDirectives.first { d in
            ["setenvif", "setenvifnocase", "browsermatch", "browsermatchnocase"].contains(d.key)
                && d.args.dropFirst(d.key.hasPrefix("browser") ? 1 : 2).contains { $0.split(separator: "=").first.map(String.init) == v }
        }
    }

    func envCause(_ variable: String) -> Cause {
        guard let d = envSourceFor(variable) else { return .accessDeny }
        if d.key.hasPrefix("browsermatch") { return .botBlock }
        let attr = d.args.first?.lowercased() ?? ""
        switch attr {
        case "user-agent": return .botBlock
        case "referer", "referrer": return .hotlinkReferer
        case "remote_addr", "remote_host": return .accessIP
        default: return .accessDeny
        }
    }

    func exprCause(_ text: String) -> Cause {
        let t = text.uppercased()
        if t.contains("HTTP_REFERER") || t.contains("HTTP:REFERER") { return .hotlinkReferer }
        if t.contains("HTTP_USER_AGENT") || t.contains("HTTP:USER-AGENT") { return .botBlock }
        if t.contains("REMOTE_ADDR") || t.contains("-IPMATCH") || t.contains("-R ") { return .accessIP }
        return .accessDeny
    }

    /// When an address rule refuses a request that came through a proxy (it carries X-Forwarded-For or a
    /// like header) and mod_remoteip is not set up, every rule sees the proxy's address: the fix on both
    /// sides. Nil when the request carries no such header or mod_remoteip already decided the address.
    func behindProxyAdvice() -> (evidence: Evidence, fix: Fix, checks: [String])? {
        guard remoteIP == nil, serverValue("RemoteIPHeader") == nil else { return nil }
        guard let (name, value) = req.request.proxyHeader else { return nil }
        let peer = clientIP
        let header = name == "Forwarded" ? "X-Forwarded-For" : name
        return (Evidence(source: "header \(name)", text: value),
                Fix(summary: "the request came through a proxy (\(name): \(value)) but httpd uses the connection's address \(peer): let mod_remoteip take the client's from the header, trusting only the proxy (a2enmod remoteip)",
                    patch: "+RemoteIPHeader \(header)\n+RemoteIPInternalProxy \(peer)   # the load balancer's addresses (RemoteIPTrustedProxy for a CDN's public ranges)\n"),
                ["which address reaches httpd: the load balancer's (then RemoteIPInternalProxy it) or the client's",
                 "how the proxy fills \(name): ALB and CloudFront append the client to X-Forwarded-For, Cloudflare also sends CF-Connecting-IP",
                 "why403 apache URL --client-ip PROXY -H '\(name): CLIENT' with the fixed configuration shows the address httpd would use"])
    }
}
