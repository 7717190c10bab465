import Why403Core

/// Ory's servers (Oathkeeper in front of an application; Kratos, Hydra and Keto for their own APIs) answering with their
/// error library's envelope (ory/herodot): `{"error":{"code":401,"status":"Unauthorized","message":"…"}}`. With Oathkeeper's
/// default `verbose: false` the message is the generic one ("The request could not be authorized"); from their sources
/// (`Benchmarks/field/documented/auth-proxies-jvm.json`).
enum Ory {
    static let signatures: [Signature] = [
        Signature(id: "ory-herodot-error", product: "Ory (Oathkeeper, Kratos, Hydra, Keto)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("\"status\":\"Unauthorized\""), .body("\"status\":\"Forbidden\""), .body("\"status\":\"Too Many Requests\"")]),
                         .any(["The request could not be authorized", "Access credentials are invalid", "The requested action was forbidden",
                               "Access credentials are not sufficient to access this resource"].map { Condition.body($0) } + [.header("ory-error-id")])],
                  summary: "an Ory server (Oathkeeper's access rules, or Kratos/Hydra/Keto) refused the request: {msg}",
                  extract: [Extract("msg", "message", from: [.json("message")])],
                  checks: ["Oathkeeper: the access rule that matched the URL and its authenticators and authorizer; its log (and `verbose: true` in the errors config) says which failed"],
                  variants: [
                      Variant("msg", ["Access credentials are invalid*"], cause: .authInvalid, confidence: .certain,
                              summary: "Ory Oathkeeper did not accept the credentials sent (Access credentials are invalid)"),
                      Variant("msg", ["Access credentials are not sufficient*"], cause: .authRole, confidence: .likely,
                              summary: "Ory Oathkeeper's authorizer refused these credentials for this resource (Access credentials are not sufficient to access this resource)"),
                  ],
                  specificity: 62),
    ]
}
