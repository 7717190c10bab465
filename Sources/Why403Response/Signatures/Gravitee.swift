import Why403Core

/// Gravitee API Management's gateway answers for itself with its default two-key JSON envelope
/// `{"message": "…", "http_status_code": 401}` and, on what it proxies and refuses alike, `X-Gravitee-Transaction-Id` /
/// `X-Gravitee-Request-Id`. A request that matches none of the API's plans (no API key, JWT or OAuth2 token a plan
/// accepts) gets 401 "Unauthorized" (the plan could not be resolved: since 1.2 the gateway no longer says which credential
/// it wanted); the API-key plan refuses an unknown or revoked key with "API Key is not valid or is expired / revoked.";
/// the rate-limit and quota policies answer 429 with "Rate limit exceeded ! …" / "Quota exceeded ! …".
enum Gravitee {
    static let signatures: [Signature] = [
        Signature(id: "gravitee-error", product: "Gravitee API Management gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.jsonKey(["http_status_code"]), .jsonKey(["message"])],
                  summary: "Gravitee's API gateway refused the request itself[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            Extract("txid", "X-Gravitee-Transaction-Id", from: [.header("x-gravitee-transaction-id"), .header("x-gravitee-request-id")])],
                  lookup: "look the request up in the API's logs in Gravitee's console (APIs > the API > Logs)[ by transaction id {txid}]",
                  checks: ["the API's plans (keyless, API key, JWT, OAuth2) and the application's subscription to one of them: a plan needs an accepted subscription and its credential in the request",
                           "the API key is sent where the plan reads it (X-Gravitee-Api-Key header or api-key query parameter by default)"],
                  variants: [
                      // No plan matched: no credential a plan accepts was found.
                      // the OAuth2 plan's sentence for a request without a Bearer token (also in its challenge's realm)
                      Variant("msg", ["No OAuth authorization header was supplied*"], cause: .authMissing, confidence: .certain,
                              summary: "Gravitee's OAuth2 plan found no Authorization: Bearer header ({msg})"),
                      Variant("msg", ["Unauthorized"], cause: .authMissing, confidence: .likely,
                              summary: "Gravitee's gateway found no credential for any of the API's plans (\"Unauthorized\": no plan could be resolved)"),
                      Variant("msg", ["API Key is not valid*", "*expired / revoked*"], cause: .authInvalid, confidence: .certain,
                              summary: "Gravitee's API-key plan does not accept the key sent ({msg})"),
                      Variant("msg", ["Rate limit exceeded*", "Quota exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "Gravitee's rate-limit or quota policy refused the request ({msg})"),
                  ],
                  specificity: 72),
    ]
}
