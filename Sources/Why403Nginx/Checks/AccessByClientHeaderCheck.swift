import Why403Core

/// `nginx.access-by-client-header`: an access decision keyed on a header the client writes itself:
/// `if ($http_x_forwarded_for ...) { return 403; }`, or a `map`/`geo` over `$http_x_forwarded_for`,
/// `$http_x_real_ip`, `$http_cf_connecting_ip`, ... whose variable an `if` then uses.
///
/// Any client sends `X-Forwarded-For: 10.0.0.1` (or leaves it out) and chooses the side of the rule it
/// falls on: a well-known 403 bypass. A proxy in front that appends to the header does not help: the
/// client's own value stays first. Evidence: the `if`/`map`/`geo` line (and the `if` using the variable).
/// `certain`: nginx reads the header as the client sent it. Fix: `set_real_ip_from` the proxy only, then
/// `allow`/`deny` (or `geo` without a source variable, which reads `$remote_addr`).
/// Upstream: https://nginx.org/en/docs/http/ngx_http_realip_module.html
struct AccessByClientHeaderCheck: NginxCheck {
    let id = "nginx.access-by-client-header"
    let severity = Severity.error
    let summary = "an access rule keyed on `$http_x_forwarded_for` (or another client-written address header)"
    let directives: Set<String> = ["if", "map", "geo"]

    /// The `$http_*` variables of headers that claim the client's address.
    static let clientHeaders: Set<String> = ["$http_x_forwarded_for", "$http_x_real_ip", "$http_cf_connecting_ip",
                                             "$http_true_client_ip", "$http_x_client_ip", "$http_x_originating_ip",
                                             "$http_x_custom_ip_authorization", "$http_forwarded", "$http_x_cluster_client_ip"]

    static func clientHeader(in s: String) -> String? {
        let l = s.lowercased()
        return clientHeaders.first { v in
            guard let r = l.range(of: v) else { return false }
            let after = l[r.upperBound...].first
            return after == nil || !(after!.isLetter || after!.isNumber || after! == "_")
        }
    }

    func findings(at site: NginxCheckSite) -> [Finding] {
        let d = site.directive
        switch d.name {
        case "if":
            guard let header = d.args.first.flatMap(Self.clientHeader(in:)), refuses(d.block ?? []) else { return [] }
            return [make(d, header: header, user: nil, site: site)]
        default:
            // map/geo: the source variable is the first argument (geo's only when it has two).
            guard d.args.count == 2, let header = Self.clientHeader(in: d.args[0]) else { return [] }
            let variable = d.args[1]
            guard let use = Self.ifs(in: site.config.expanded).first(where: { i in
                i.args.contains { $0 == variable || $0.hasPrefix(variable) && !($0.dropFirst(variable.count).first?.isLetter ?? false) }
                    && refuses(i.block ?? [])
            }) else { return [] }
            return [make(d, header: header, user: use, site: site)]
        }
    }

    /// Whether an `if` body refuses (`return 401/403/404/444`) or grants by `set`ting a variable.
    func refuses(_ body: [Directive]) -> Bool {
        body.contains { $0.name == "return" && ($0.args.first.flatMap { Int($0) }.map { $0 >= 400 } ?? false) }
    }

    static func ifs(in list: [Directive]) -> [Directive] {
        list.flatMap { d -> [Directive] in
            let inner = DirectiveTable.specialBodies.contains(d.name) ? [] : ifs(in: d.block ?? [])
            return (d.name == "if" ? [d] : []) + inner
        }
    }

    func make(_ d: Directive, header: String, user: Directive?, site: NginxCheckSite) -> Finding {
        let name = header.dropFirst("$http_".count).split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
        var evidence = [site.evidence(d)]
        if let user { evidence.append(site.evidence(user)) }
        return finding(.accessIP, .certain,
                       "\(d.text.dropLast(d.block == nil ? 1 : 2)) decides access on \(header): the client writes the \(name) header itself, so it chooses which side of the rule it is on",
                       evidence: evidence,
                       fixes: [Fix(summary: "decide on the address nginx saw: `set_real_ip_from <the proxy's address>; real_ip_header X-Forwarded-For;` then `allow`/`deny` (or `geo` without a source variable, which reads $remote_addr)",
                                   patch: "+set_real_ip_from 10.0.0.0/8;  # the proxy's addresses only\n+real_ip_header X-Forwarded-For;\n+allow 192.0.2.0/24;\n+deny all;\n")])
    }
}
