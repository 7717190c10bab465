import Why403Core

/// `nginx.error-page-hides-403`: an `error_page` that answers 403s with another status (`=404`, `=200`, ...).
///
/// Clients and monitoring then never see the 403: a refusal looks like a missing page (or a success), and
/// the cause has to be found in the error log. Evidence: the `error_page` directive. `certain`: the
/// directive says so. No fix is proposed: hiding refusals can be deliberate; keep the status (`=403` or no
/// `=`) unless it is. Upstream: https://nginx.org/en/docs/http/ngx_http_core_module.html#error_page
struct ErrorPageHides403Check: NginxCheck {
    let id = "nginx.error-page-hides-403"
    let severity = Severity.info
    let summary = "`error_page 403 =404`: refusals are hidden from clients and monitoring"
    let directives: Set<String> = ["error_page"]

    func findings(at site: NginxCheckSite) -> [Finding] {
        let d = site.directive
        guard d.args.dropLast().contains("403"), d.args.contains(where: { $0.hasPrefix("=") && $0 != "=403" }) else { return [] }
        return [finding(.unknown, .certain,
                        "\(d.text) answers refused requests with another status: 403s are hidden from clients and monitoring",
                        evidence: [site.evidence(d)])]
    }
}
