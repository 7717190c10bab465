import Why403Core

/// Pomerium, the identity-aware proxy, answering for the application it protects: its own error pages and JSON carry
/// `x-pomerium-intercepted-response: true` (internal/httputil); the HTML page is a script-rendered shell titled "403
/// Forbidden", the JSON `{"error":"Forbidden","request_id":"…"}`; from its sources (`Benchmarks/field/documented/auth-proxies-jvm.json`).
enum Pomerium {
    static let signatures: [Signature] = [
        Signature(id: "pomerium-denied", product: "Pomerium", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.headerContains("x-pomerium-intercepted-response", "true")],
                  summary: "Pomerium (the identity-aware proxy in front of the application) refused the request[ (request id {reqid})]",
                  extract: [Extract("reqid", "request id", from: [.json("request_id")]),
                            Extract("error", "error", from: [.json("error")])],
                  checks: ["the route's policy in Pomerium's configuration (allow: and: email/domain/groups/claims); Pomerium's authorize log for the request id names the rule that failed"],
                  variants: [
                      Variant("error", ["Unauthenticated*"], cause: .authMissing, confidence: .likely,
                              summary: "Pomerium found no session for the request (Unauthenticated): sign in through its authenticate service first[ (request id {reqid})]"),
                      Variant("error", ["Forbidden*"], cause: .authRole, confidence: .likely,
                              summary: "Pomerium knows the user but the route's policy does not allow it (Forbidden)[ (request id {reqid})]"),
                  ],
                  specificity: 70),
    ]
}
