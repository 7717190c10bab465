import Why403Core

/// GitHub-style scope headers: `x-oauth-scopes` (what the token has) and `x-accepted-oauth-scopes`
/// (what the endpoint accepts). GitHub answers 403 (or 404 for private resources) when they miss.
enum GitHub {
    static let signatures: [Signature] = [
        Signature(id: "github-oauth-scopes", product: "GitHub", layer: .application, cause: .authScope, confidence: .likely,
                  statuses: [403, 404], when: [.header("x-oauth-scopes"), .header("x-accepted-oauth-scopes")],
                  summary: "the token's scopes ({scopes}) include none the endpoint accepts ({accepted})",
                  extract: [Extract("scopes", "token scopes", from: [.header("x-oauth-scopes")]),
                            Extract("accepted", "accepted scopes", from: [.header("x-accepted-oauth-scopes")]),
                            Extract("reqid", "request id", from: [.header("x-github-request-id")]),
                            Extract("msg", "message", from: [.json("message")])],
                  checks: ["compare x-oauth-scopes with x-accepted-oauth-scopes: one accepted scope is needed",
                           "fine-grained tokens send no x-oauth-scopes: check the token's repository access and permissions instead"],
                  specificity: 70),
    ]
}
