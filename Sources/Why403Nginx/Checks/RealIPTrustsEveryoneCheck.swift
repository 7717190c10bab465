import Why403Core

/// `nginx.realip-trusts-everyone`: `set_real_ip_from 0.0.0.0/0` (or `::/0`).
///
/// Every peer is then a trusted proxy, so any client chooses its own `$remote_addr` by sending the
/// `real_ip_header` (X-Forwarded-For, X-Real-IP): `allow`/`deny`, `geo` and rate limits keyed on the
/// address can be walked around with one header. Evidence: the directive. `certain`: the directive says so.
/// Fix: trust only the load balancer's or CDN's own addresses.
/// Upstream: https://nginx.org/en/docs/http/ngx_http_realip_module.html#set_real_ip_from
struct RealIPTrustsEveryoneCheck: NginxCheck {
    let id = "nginx.realip-trusts-everyone"
    let severity = Severity.error
    let summary = "`set_real_ip_from 0.0.0.0/0`: any client can choose the address allow/deny see"
    let directives: Set<String> = ["set_real_ip_from"]

    func findings(at site: NginxCheckSite) -> [Finding] {
        let d = site.directive
        guard let a = d.args.first, let n = IPNetwork(a), n.prefixLength == 0 else { return [] }
        return [finding(.accessIP, .certain,
                        "set_real_ip_from \(a) trusts every peer: a client sets its own address with the real_ip_header, and address rules no longer hold",
                        evidence: [site.evidence(d)],
                        fixes: [Fix(summary: "trust only the proxies in front (the load balancer's subnet, the CDN's published ranges)",
                                    patch: site.patcher.replace(d, with: "set_real_ip_from 10.0.0.0/8;  # the load balancer's addresses"))])]
    }
}
