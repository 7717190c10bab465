import Why403Core

/// `nginx.allow-after-deny-all`: an `allow` written after `deny all` in the same block.
///
/// The access module checks its rules in order and the first match wins, so `deny all` refuses everyone
/// (403) before the `allow` is reached: the `allow` never applies. Evidence: the last `deny all` before it
/// and the `allow`. `certain`: the order alone decides it. Fix: a patch moving the `allow` line before the
/// `deny all` line (an insertion before it when either shares its line with other directives). Upstream: https://nginx.org/en/docs/http/ngx_http_access_module.html
struct AllowAfterDenyAllCheck: NginxCheck {
    let id = "nginx.allow-after-deny-all"
    let severity = Severity.error
    let summary = "an `allow` after `deny all` never applies (first match wins)"
    let directives: Set<String> = ["allow"]

    func findings(at site: NginxCheckSite) -> [Finding] {
        let d = site.directive
        guard let deny = site.earlier.last(where: { $0.name == "deny" && $0.args.first == "all" }) else { return [] }
        return [finding(.accessDeny, .certain,
                        "\(d.text) comes after \(deny.text): rules are checked in order and the first match wins, so it never applies",
                        evidence: [site.evidence(deny), site.evidence(d)],
                        fixes: [Fix(summary: "move the allow before the deny all",
                                    patch: site.patcher.move(d, before: deny) ?? site.patcher.insertBefore(deny, d.text))])]
    }
}
