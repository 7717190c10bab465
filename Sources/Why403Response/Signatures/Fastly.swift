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
    ]
}
