import Why403Core

/// `apache.access-by-client-header`: access decided on a header the client writes itself:
/// `SetEnvIf X-Forwarded-For ...` (or `X-Real-IP`, `CF-Connecting-IP`, ...) setting a variable that
/// `Require env` or `Allow from env=` / `Deny from env=` then reads, or a `Require expr` over
/// `%{HTTP:X-Forwarded-For}` / `req('X-Forwarded-For')`.
///
/// Any client sends the header with the value the rule wants (or leaves it out) and chooses its side of
/// the rule: a well-known 403 bypass. Evidence: the `SetEnvIf` line and the line that reads the variable
/// (or the `Require expr`). `certain`: httpd reads the header as the client sent it. Fix: mod_remoteip
/// with the proxy as `RemoteIPInternalProxy`, then `Require ip`.
/// Upstream: https://httpd.apache.org/docs/2.4/mod/mod_remoteip.html
struct AccessByClientHeaderCheck: ApacheCheck {
    let id = "apache.access-by-client-header"
    let severity = Severity.error
    let summary = "an access rule keyed on `X-Forwarded-For` (or another client-written address header)"
    let input = ApacheCheckInput.allNamed(["setenvif", "setenvifnocase", "require", "allow", "deny"])

    /// Headers that claim the client's address, lower-case.
    static let clientHeaders: Set<String> = ["x-forwarded-for", "x-real-ip", "cf-connecting-ip", "true-client-ip", "x-client-ip",
                                             "x-originating-ip", "x-custom-ip-authorization", "forwarded", "x-cluster-client-ip"]

    func findings(_ directives: [ApacheDirective], in audit: ApacheAuditContext) -> [Finding] {
        var out: [Finding] = []
        // Variables set from a client header, with the line that sets them.
        var setters: [String: ApacheDirective] = [:]
        for d in directives where d.is("SetEnvIf") || d.is("SetEnvIfNoCase") {
            guard d.args.count >= 3, Self.clientHeaders.contains(d.args[0].lowercased()) else { continue }
            for a in d.args.dropFirst(2) {
                let name = String(a.drop { $0 == "!" }.prefix { $0 != "=" }).lowercased()
                if !name.isEmpty && setters[name] == nil { setters[name] = d }
            }
        }
        for d in directives {
            var used: String?
            if d.is("Require"), d.args.count >= 2 {
                let words = d.args.first?.lowercased() == "not" ? Array(d.args.dropFirst()) : d.args
                if words.first?.lowercased() == "env" { used = words.dropFirst().map { $0.lowercased() }.first { setters[$0] != nil } }
                if words.first?.lowercased() == "expr" {
                    let expr = words.dropFirst().joined(separator: " ").lowercased()
                    if let h = Self.clientHeaders.first(where: { expr.contains("%{http:\($0)}") || expr.contains("req('\($0)')") || expr.contains("http('\($0)')") || expr.contains("req(\"\($0)\")") }) {
                        out.append(make(d, setter: nil, header: h))
                        continue
                    }
                }
            } else if d.is("Allow") || d.is("Deny") {
                used = d.args.compactMap { a -> String? in
                    let l = a.lowercased()
                    guard l.hasPrefix("env=") else { return nil }
                    return String(l.dropFirst(4).drop { $0 == "!" })
                }.first { setters[$0] != nil }
            }
            if let v = used, let setter = setters[v] {
                out.append(make(d, setter: setter, header: setter.args[0]))
            }
        }
        return out
    }

    func make(_ d: ApacheDirective, setter: ApacheDirective?, header: String) -> Finding {
        finding(.accessIP, .certain,
                "\(d.text) decides access on the \(header) header\(setter.map { " (\($0.text))" } ?? ""): the client writes it itself, so it chooses which side of the rule it is on",
                evidence: (setter.map { [$0.evidence] } ?? []) + [d.evidence],
                fixes: [Fix(summary: "decide on the address httpd saw: mod_remoteip with only the proxy trusted, then `Require ip`",
                            patch: "+RemoteIPHeader X-Forwarded-For\n+RemoteIPInternalProxy 10.0.0.0/8\n+Require ip 192.0.2.0/24\n")])
    }
}
