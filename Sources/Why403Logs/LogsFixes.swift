import Why403Core

/// What each cause means in the words of the log, and its least-privilege fix. Printed, never run.
enum LogsFixes {
    /// A shell word for `s` (single-quoted).
    static func sh(_ s: String) -> String {
        "'" + s.replacingAll("'", with: "'\\''") + "'"
    }

    /// `s` as one shell word, quoted only when it needs it (`ShellWord`): every value a log supplies to a printed
    /// command (a path, an address) goes through this or `sh`.
    static func w(_ s: String) -> String { ShellWord.quote(s) }

    static func describe(_ g: CauseGroup, target: String?, topPath: String?) -> String {
        let on = topPath.map { " (most on \($0))" } ?? ""
        if let m = g.meaning { return EdgeFixes.describe(g, meaning: m) + on }
        switch (g.cause, g.rule ?? "") {
        case (.fsPermission, _): return "the server's user may not read \(target.map { "'\($0)'" } ?? "the file") or search a directory above it\(on)"
        case (.indexMissing, _): return "directory \(target.map { "'\($0)'" } ?? "") has no index file and listing is off\(on)"
        case (.accessIP, "nginx-access-forbidden-by-rule"): return "nginx 'access forbidden by rule': an allow/deny rule refused the client\(on)"
        case (.accessIP, _): return "an address rule (Order/Deny from) refused the client\(on)"
        case (.accessDeny, _): return "Apache 'client denied by server configuration' (a Require rule)\(on)"
        case (.fsSymlink, "nginx-symlink-loop"): return "a symbolic link loops (or chains more than 40 links): the file cannot be opened\(on)"
        case (.fsSymlink, "nginx-symlink-refused"): return "nginx disable_symlinks refused a symbolic link on the path\(on)"
        case (.fsSymlink, _): return "a symbolic link was refused by policy or its target is not accessible\(on)"
        case (.rateLimit, "nginx-limit-req"), (.rateLimit, "nginx-limit-conn"):
            let zone = g.details.top(1).first?.key
            let what = g.rule == "nginx-limit-conn" ? "nginx connection limiting (limit_conn)" : "nginx rate limiting (limit_req)"
            return "\(what)\(zone.map { " by \($0)" } ?? "")\(on)"
        case (.rateLimit, _): return "answered 429 Too Many Requests\(on)"
        case (.authMissing, _): return "no credentials were sent where HTTP authentication is required\(on)"
        case (.authInvalid, _): return "credentials were sent but the user is unknown or the password wrong\(on)"
        case (.authRole, _): return "the user is known but not allowed by Require user/group\(on)"
        case (.wafRule, _) where g.scored.distinct > 0:
            let msg = g.details.top(1).first?.key
            let rules = g.scored.top(5).map { "\($0.key.prefix(while: { $0 != " " }))\($0.count > 1 ? " ×\($0.count)" : "")" }
            return "ModSecurity rule \((g.rule ?? "").replacingAll("modsecurity-", with: ""))\(msg.map { " (\($0))" } ?? "") blocked the request; rules that scored: \(rules.joined(separator: ", "))\(g.scored.distinct > 5 ? ", …" : "")\(on)"
        case (.wafRule, _):
            let msg = g.details.top(1).first?.key
            return "ModSecurity rule \((g.rule ?? "").replacingAll("modsecurity-", with: ""))\(msg.map { " (\($0))" } ?? "") blocked the request\(on)"
        case (.botBlock, _) where g.layer == .modsecurity:
            return "ModSecurity blocked a scanner or bot (CRS scanner detection, 913xxx, scored; rule \((g.rule ?? "").replacingAll("modsecurity-", with: "")) denied)\(on)"
        case (.appForbidden, _): return "the auth_request backend answered the refusal\(on)"
        default:
            return "access-log lines with status \(g.statuses.keys.sorted().map(String.init).joined(separator: "/")) that no error-log line explains\(on)"
        }
    }

    static func fixes(_ g: CauseGroup, target: String?, topPath: String?, topClient: String?,
                      contributing: [String]) -> (fixes: [Fix], checks: [String]) {
        let path = topPath ?? "/"
        if g.meaning != nil { return EdgeFixes.fixes(g, path: path, topClient: topClient) }
        switch g.cause {
        case .fsPermission:
            let targets = g.targets.top(3).map(\.key)
            let shown = targets.isEmpty ? ["FILE"] : targets
            return ([Fix(summary: "give the server's user read on the file and search (x) on every directory above it, nothing more",
                         commands: shown.flatMap { ["namei -l \(sh($0))", "why403 fs \(sh($0))"] })],
                    ["`namei -l` shows which component lacks r (file) or x (directory) for the server's user",
                     "then, for that component only: chmod o+x DIR (or chgrp www-data and chmod g+x), chmod o+r FILE"])
        case .indexMissing:
            let d = target ?? "DIR"
            return ([Fix(summary: "put the index file the site expects into the directory (or link to the page); turn listing on only if it is wanted",
                         commands: ["ls -la \(sh(d))"],
                         patch: g.layer == .apache ? "+    DirectoryIndex index.html\n" : "+    index index.html;\n")], [])
        case .accessIP:
            let client = topClient ?? "CLIENT"
            if g.rule == "nginx-access-forbidden-by-rule" {
                return ([Fix(summary: "if \(client) should get in, allow it before the deny in the location serving \(path)",
                             patch: "+    allow \(client);\n     deny all;\n")],
                        ["the message is the same for `deny all` and for an address rule: read the allow/deny lines of the location",
                         "why403 nginx \(w("http://HOST" + path)) --config /etc/nginx/nginx.conf --client-ip \(w(client))"])
            }
            return ([Fix(summary: "replace Order/Deny from with Require ip for the addresses that should get in",
                         patch: "-    Deny from all\n+    Require ip \(client)\n")],
                    ["why403 apache \(w("http://HOST" + path)) --config /etc/apache2/apache2.conf --client-ip \(w(client))"])
        case .accessDeny:
            let client = topClient ?? "CLIENT"
            return ([Fix(summary: "if \(path) should be served, grant it in the <Directory> or <Location> that denies it (only the addresses that need it)",
                         patch: "-    Require all denied\n+    Require ip \(client)\n")],
                    ["the message is the same for `Require all denied` and an address rule: find the Require lines that apply to \(target ?? path)",
                     "why403 apache \(w("http://HOST" + path)) --config /etc/apache2/apache2.conf --client-ip \(w(client))"])
        case .fsSymlink where g.rule == "nginx-symlink-loop":
            return ([Fix(summary: "point the link at the real file (it loops or chains more than 40 links)",
                         commands: target.map { ["ls -la \(sh($0))", "namei -l \(sh($0))"] } ?? [])], [])
        case .fsSymlink:
            return ([Fix(summary: g.layer == .apache
                         ? "allow the link where it is needed only: Options +SymLinksIfOwnerMatch (link and target with the same owner), or make the target readable"
                         : "make the link and its target owned by the same user (disable_symlinks if_not_owner), or relax disable_symlinks for this location only",
                         commands: target.map { ["ls -la \(sh($0))", "namei -l \(sh($0))"] } ?? [])], [])
        case .rateLimit:
            let zone = g.details.top(1).first.flatMap { ErrorLogLine.nthQuoted(Substring($0.key), 0) } ?? "ZONE"
            // limit_req_status / limit_conn_status 403 makes a rate limit look like a permission problem.
            let as403 = g.statuses[403] != nil
                ? ["these refusals were answered 403: `limit_req_status 429;` / `limit_conn_status 429;` tells clients and monitoring it is a rate limit"] : []
            if g.rule == "nginx-limit-conn" {
                return ([Fix(summary: "if these clients are legitimate, raise the number of connections zone \"\(zone)\" allows each key (or exempt them with a geo/map key); if they are a scanner, the limit works",
                             patch: "-    limit_conn \(zone) 1;\n+    limit_conn \(zone) 10;\n")],
                        ["limit_conn counts connections open at once (slow downloads hold theirs): see the bursts"] + as403)
            }
            guard g.rule == "nginx-limit-req" else {
                return ([Fix(summary: "if these clients are legitimate, raise the limit that answers 429 for them; if they are a scanner, the limit works")],
                        ["see the bursts: one address with many paths is a scanner; one path retried is a client bug"])
            }
            return ([Fix(summary: "if these clients are legitimate, let zone \"\(zone)\" absorb their bursts (or exempt them with a geo/map key); if they are a scanner, the limit works",
                         patch: "-    limit_req zone=\(zone);\n+    limit_req zone=\(zone) burst=20 nodelay;\n")],
                    ["see the bursts: one address with many paths is a scanner; one path retried is a client bug"] + as403)
        case .authMissing:
            return ([Fix(summary: "the client must send credentials (Authorization: Basic …); browsers ask after the 401")],
                    ["curl -u USER \(w("http://HOST" + path))"])
        case .authInvalid:
            return ([Fix(summary: "check the user and password against the password file; reset the password if needed",
                         commands: ["htpasswd -v PASSWORD_FILE USER"])], [])
        case .authRole:
            return ([Fix(summary: "add the user to the Require user/group line of \(path) if it should have access")], [])
        case .botBlock where g.layer == .modsecurity:
            return ([], ["913xxx rules match the User-Agent or headers of known scanners (Nikto, sqlmap, nmap…): a real scan needs no fix",
                         "if a monitoring tool of your own is blocked, evaluate its request: why403 modsecurity \(sh("http://HOST" + path)) --rules /etc/modsecurity/main.conf -H 'User-Agent: …' (docs/modsecurity.md) prints the narrowest exclusion"])
        case .wafRule:
            let id = (g.rule ?? "").replacingAll("modsecurity-", with: "")
            var checks = ["read the matched data in the evidence: a real attack needs no fix"]
            if g.scored.distinct > 0 {
                checks.append("the exact exclusion for one request: why403 modsecurity \(sh("http://HOST" + path)) --rules /etc/modsecurity/main.conf (the rules file the server includes; add -X, -H, --data as the request had them) evaluates it with the engine and prints the narrowest exclusion (docs/modsecurity.md)")
            }
            if id == "949110" || id == "959100" || id == "980130" {
                checks.append("949110 only adds up the anomaly score; the rules that scored are: "
                              + (contributing.isEmpty ? "(not in these logs)" : contributing.joined(separator: "; ")))
            }
            // Anomaly scoring: removing 949110 would turn the blocking off for the path; the audit
            // log names the rules that scored, so the exclusion removes those (the most frequent).
            let scoredIds = g.scored.top(3).map { String($0.key.prefix(while: { $0 != " " })) }
                .filter { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
            if ["949110", "959100"].contains(id), !scoredIds.isEmpty {
                let ctl = scoredIds.map { "ctl:ruleRemoveById=\($0)" }.joined(separator: ",")
                return ([Fix(summary: "if this is a false positive, turn off the rules that scored (\(scoredIds.joined(separator: ", "))) for \(path) only, not 949110 and not globally; narrower still, a target exclusion from why403 modsecurity",
                             patch: "+SecRule REQUEST_URI \"@beginsWith \(path)\" \"id:1000001,phase:1,pass,nolog,\(ctl)\"\n")],
                        checks)
            }
            return ([Fix(summary: "if this is a false positive, turn off rule \(id) for \(path) only (not globally)",
                         patch: "+SecRule REQUEST_URI \"@beginsWith \(path)\" \"id:1000001,phase:1,pass,nolog,ctl:ruleRemoveById=\(id)\"\n")],
                    checks)
        case .appForbidden:
            return ([], ["look at the auth_request backend's own log for why it refused"])
        default:
            return ([], ["give the error log too: nginx and Apache log the reason for every refusal they make (error.log next to access.log)",
                         "if the error log has no line for these requests, the application answered 403 itself: look at its log",
                         "why403 diagnose \(w("http://HOST" + path))"])
        }
    }
}
