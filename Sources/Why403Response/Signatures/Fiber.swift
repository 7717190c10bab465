import Why403Core

/// Fiber (Go) answering for the application: its keyauth middleware's plain-text refusals; from its sources
/// (`Benchmarks/field/documented/frameworks.json`).
enum Fiber {
    static let signatures: [Signature] = [
        Signature(id: "fiber-keyauth", product: "Fiber (keyauth middleware)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401],
                  when: [.any([.bodyIs("missing or malformed API Key"), .bodyIs("Invalid or expired API Key"), .bodyIs("missing or invalid API Key")])],
                  summary: "the Go application's API-key middleware (Fiber keyauth) refused the request: no key it reads, or one it did not accept",
                  extract: [Extract("missing", "message", from: [.body(after: "missing or malformed", chars: .line)]),
                            Extract("invalid", "message", from: [.body(after: "Invalid or expired", chars: .line)])],
                  checks: ["the key's place (KeyLookup: a header such as Authorization: Bearer, a query parameter or a cookie) and its value against the application's validator"],
                  variants: [
                      Variant("missing", ["*"], cause: .authMissing, confidence: .certain,
                              summary: "the Go application's API-key middleware (Fiber keyauth, v2) found no key where it looks (missing or malformed API Key)"),
                      Variant("invalid", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "the Go application's API-key middleware (Fiber keyauth, v2) refused the key sent (Invalid or expired API Key)"),
                  ],
                  specificity: 60),
    ]
}
