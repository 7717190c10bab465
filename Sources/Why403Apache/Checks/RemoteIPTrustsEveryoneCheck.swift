import Why403Core

/// `apache.remoteip-trusts-everyone`: `RemoteIPHeader` with no `RemoteIPInternalProxy` or
/// `RemoteIPTrustedProxy` (nor their `…List` files), or one of `0.0.0.0/0` / `::/0`.
///
/// mod_remoteip then believes the header from every peer, so any client chooses the address `Require ip`
/// sees (a public one, from anywhere). Evidence: the `RemoteIPHeader` line (and the proxy line).
/// `certain`: the configuration says so. Fix: name the proxies in front.
/// Upstream: https://httpd.apache.org/docs/2.4/mod/mod_remoteip.html#remoteipheader
struct RemoteIPTrustsEveryoneCheck: ApacheCheck {
    let id = "apache.remoteip-trusts-everyone"
    let severity = Severity.error
    let summary = "`RemoteIPHeader` without a proxy list: any client can choose the address Require ip sees"
    let input = ApacheCheckInput.allNamed(["remoteipheader", "remoteipinternalproxy", "remoteiptrustedproxy",
                                           "remoteipinternalproxylist", "remoteiptrustedproxylist"])

    func findings(_ directives: [ApacheDirective], in audit: ApacheAuditContext) -> [Finding] {
        guard let header = directives.first(where: { $0.is("RemoteIPHeader") }) else { return [] }
        let proxies = directives.filter { !$0.is("RemoteIPHeader") }
        let everything = proxies.first { p in p.args.contains { IPNetwork($0)?.prefixLength == 0 } }
        guard proxies.isEmpty || everything != nil else { return [] }
        let why = everything == nil ? "no RemoteIPInternalProxy or RemoteIPTrustedProxy is set" : "\(everything!.text) trusts every peer"
        return [finding(.accessIP, .certain,
                        "\(header.text): \(why), so any client sets the address Require ip sees with that header",
                        evidence: [header.evidence] + (everything.map { [$0.evidence] } ?? []),
                        fixes: [Fix(summary: "trust only the proxies in front (the load balancer's subnet, the CDN's published ranges)",
                                    patch: "+RemoteIPTrustedProxy 10.0.0.0/8\n")])]
    }
}
