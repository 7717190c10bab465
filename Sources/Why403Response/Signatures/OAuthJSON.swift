import Why403Core

/// OAuth 2.0 resource servers that put the RFC 6750 error in a JSON body instead of (or as well as) the
/// `WWW-Authenticate` header: `{"error": "insufficient_scope", "error_description": "The request requires
/// higher privileges than provided by the access token.", "scope": "api"}` (GitLab, Doorkeeper-based
/// APIs). The `application` layer: the API answered for itself.
///
/// An authorization server's token endpoint refusing a token request answers with the RFC 6749 §5.2 error
/// in the same shape (`{"error": "invalid_grant", "error_description": "…"}`, usually a 400): Keycloak,
/// Auth0, Okta and any OAuth library. The error names the refusal: a client that could not authenticate
/// (`invalid_client`; "… is missing" when it sent no credential), a grant (code, refresh token, password)
/// that is invalid, expired or revoked (`invalid_grant`), a scope it may not have (`invalid_scope`).
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
        Signature(id: "oauth-token-error", product: "OAuth authorization server", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403],
                  when: [.any(["invalid_client", "invalid_grant", "invalid_scope", "unauthorized_client"].flatMap {
                      // JSON, or a Python client's dict repr of it ({'error': 'unauthorized_client', …})
                      [Condition.body("\"error\":\"\($0)\""), .body("\"error\": \"\($0)\""), .body("\"error\" : \"\($0)\""), .body("'error': '\($0)'")] })],
                  summary: "the authorization server refused the token request ({error})[: {desc}]",
                  // The text too, where the JSON does not parse (a raw newline inside the description, as Entra ID's
                  // long AADSTS messages are often pasted).
                  extract: [Extract("error", "error", from: [.json("error"), .body(after: "'error': '", chars: .identifier),
                                                             .body(after: "\"error\":\"", chars: .identifier), .body(after: "\"error\": \"", chars: .identifier)]),
                            Extract("desc", "error_description", from: [.json("error_description"), .body(after: "'error_description': '", chars: .line),
                                                                         .body(after: "\"error_description\":\"", chars: .line),
                                                                         .body(after: "\"error_description\": \"", chars: .line)])],
                  checks: ["the error names the refusal (RFC 6749 §5.2): invalid_client is the client's own credentials (id, secret, assertion), invalid_grant the code, refresh token or password it presented, invalid_scope a scope it may not ask for"],
                  variants: [
                      Variant("desc", ["*is missing*", "*missing parameter*", "Missing *", "*not provided*"], cause: .authMissing, confidence: .likely,
                              summary: "the token request lacked a credential the authorization server needs ({error}: {desc})"),
                      // Keycloak answers a wrong client secret with unauthorized_client, "Invalid client or Invalid client credentials".
                      Variant("desc", ["*invalid client credentials*", "*invalid client secret*"], cause: .authInvalid, confidence: .certain,
                              summary: "the authorization server did not accept the client's credentials ({error}: {desc})"),
                      Variant("error", ["invalid_client", "invalid_grant"], cause: .authInvalid, confidence: .certain,
                              summary: "the authorization server did not accept the credentials or grant presented ({error})[: {desc}]",
                              checks: ["invalid_client: the client id and secret (or assertion) as registered, sent the way the server expects (Basic header or body)",
                                       "invalid_grant: an authorization code is single-use and short-lived; a refresh token expires or is revoked (sign in again); a password grant's user may be disabled"]),
                      Variant("error", ["invalid_scope"], cause: .authScope, confidence: .certain,
                              summary: "the authorization server refused the requested scope (invalid_scope)[: {desc}]"),
                      // RFC 6749 §5.2: "The authenticated client is not authorized to use this authorization grant type" — a client
                      // it knows, refused a grant (Okta: "The client is not authorized to use the provided grant type",
                      // Keycloak: "Client not allowed for direct access grants"). Keycloak's wrong secret is caught above.
                      Variant("error", ["unauthorized_client"], cause: .authRole, confidence: .likely,
                              summary: "the authorization server knows the client but does not allow it this grant (unauthorized_client)[: {desc}]",
                              checks: ["the client's registration at the authorization server: the grant types it may use (authorization code, client credentials, password / direct access grants, refresh token)"]),
                  ],
                  specificity: 35),
    ]
}
