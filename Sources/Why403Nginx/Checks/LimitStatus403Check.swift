import Why403Core

/// `nginx.limit-status-403`: `limit_req_status 403` or `limit_conn_status 403`.
///
/// Requests refused by a rate or connection limit then answer 403, indistinguishable from a permission
/// refusal (the default is 503; 429 says what happened). Evidence: the directive. `certain`: the directive
/// says so. Fix: a patch answering 429 instead.
/// Upstream: https://nginx.org/en/docs/http/ngx_http_limit_req_module.html#limit_req_status
struct LimitStatus403Check: NginxCheck {
    let id = "nginx.limit-status-403"
    let severity = Severity.warning
    let summary = "`limit_req_status 403`: rate limits look like permission problems"
    let directives: Set<String> = ["limit_req_status", "limit_conn_status"]

    func findings(at site: NginxCheckSite) -> [Finding] {
        let d = site.directive
        guard d.args.first == "403" else { return [] }
        return [finding(.rateLimit, .certain, "\(d.name) \(d.args.joined(separator: " ")): rate-limited requests look like permission errors",
                        evidence: [site.evidence(d)],
                        fixes: [Fix(summary: "answer 429", patch: site.patcher.replace(d, with: "\(d.name) 429;"))])]
    }
}
