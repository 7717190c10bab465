import Why403Core

/// OAuth 2.0 resource servers that put the RFC 6750 error in a JSON body instead of (or as well as) the
/// `WWW-Authenticate` header: `{"error": "insufficient_scope", "error_description": "The request requires
/// higher privileges than provided by the access token.", "scope": "api"}` (GitLab, Doorkeeper-based
/// APIs). The `application` layer: the API answered for itself.
enum OAuthJSON {
    static let signatures: [Signature] = [
        Signature(id: "oauth-error-json", product: "OAuth resource server", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403],
                  when: [.any([.body("\"error\":\"insufficient_scope\""), .body("\"error\": \"insufficient_scope\""),
                               .body("\"error\":\"invalid_token\""), .body("\"error\": \"invalid_token\"")])],
                  summary: "the API says {error}[: {desc}][ (required scope {scope})]",
                  extract: [Extract("error", "error", from: [.json("error")]),
                            Extract("desc", "error_description", from: [.json("error_description")]),
                            Extract("scope", "scope", from: [.json("scope")])],
                  checks: ["the error names the refusal (RFC 6750): insufficient_scope means a valid token without the scope; invalid_token an expired, revoked or malformed one"],
                  variants: [
                      Variant("error", ["insufficient_scope"], cause: .authScope, confidence: .certain,
                              summary: "the token is valid but lacks the scope the endpoint needs (insufficient_scope)[: required scope {scope}]",
                              checks: ["create a token with the scope (GitLab: a personal access token with `api` instead of `read_api`/`read_user`)"]),
                      Variant("error", ["invalid_token"], cause: .authInvalid, confidence: .certain,
                              summary: "the token was rejected as invalid, expired or revoked (invalid_token)[: {desc}]",
                              checks: [HTTPAuth.tokenChecks]),
                  ],
                  specificity: 40),
    ]
}
