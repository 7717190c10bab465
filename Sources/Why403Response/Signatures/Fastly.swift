import Why403Core

/// Fastly: `x-served-by: cache-…`, `x-fastly-request-id`, and its Varnish-style synthetic pages
/// ("Guru Mediation: Details: cache-… ").
enum Fastly {
    static let edge: Condition = .any([.header("x-fastly-request-id"), .headerContains("x-served-by", "cache-"), .header("fastly-debug-digest"),
                                       .headerContains("server", "fastly")])

    static let signatures: [Signature] = [
        Signature(id: "fastly", product: "Fastly", layer: .fastly, cause: .unknown, confidence: .possible,
                  statuses: Signatures.refusals, when: [edge],
                  summary: "the response came through Fastly[; the edge answered itself (details {details})]",
                  extract: [Extract("details", "details", from: [.body(after: "Details:", chars: .identifier)]),
                            Extract("pop", "served by", from: [.header("x-served-by")]),
                            Extract("reqid", "request id", from: [.header("x-fastly-request-id")])],
                  lookup: "Fastly support and the service's real-time logs identify the request by[ request id {reqid}][ details {details}]",
                  checks: ["a synthetic error (\"Guru Mediation\" page) comes from the service's VCL (`error 403` / `synthetic`) or Next-Gen WAF",
                           "otherwise the origin's answer was passed on: diagnose the origin"],
                  specificity: 15),
        // A service whose VCL refuses plain http with a synthetic "403 SSL is required" (text/plain "SSL is required.",
        // PyPI's service does this): every http request is refused, https is served.
        Signature(id: "fastly-ssl-required", product: "Fastly", layer: .fastly, cause: .accessDeny, confidence: .likely,
                  statuses: [403], when: [edge, .body("SSL is required")],
                  summary: "Fastly's edge refused plain http with its own \"SSL is required\" answer: the service serves only https[ (served by {pop})]",
                  extract: [Extract("pop", "served by", from: [.header("x-served-by")])],
                  checks: ["request the same URL with https://"],
                  fixes: [Fix(summary: "use the https:// URL (and follow redirects) in the client or its configuration")],
                  specificity: 70),
        // The synthetic error page without the headers (a pasted or archived page): Fastly's Varnish template
        // names its own cache node ("Details: cache-sof1510068-SOF …", "Guru Mediation", "Error 54113").
        Signature(id: "fastly-synthetic-page", product: "Fastly", layer: .fastly, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.body("Details: cache-"), .any([.body("Guru Mediation"), .body("Varnish cache server")]), .not(edge)],
                  summary: "Fastly's synthetic error page: the edge answered itself (details {details})",
                  extract: [Extract("details", "details", from: [.body(after: "Details:", chars: .line)])],
                  lookup: "Fastly support and the service's real-time logs identify the request by the details line {details} (cache node, timestamp, request id)",
                  checks: ["a synthetic 403 comes from the service's VCL (`error 403` / `synthetic`), an ACL on client.ip, or Next-Gen WAF: the service owner's logs name it",
                           "if only some networks get it, a geo or IP rule in the VCL is likely"],
                  specificity: 60),
    ]
}
