import Why403Core

/// Gravitee API Management's gateway answers for itself with its default two-key JSON envelope
/// `{"message": "…", "http_status_code": 401}` and, on what it proxies and refuses alike, `X-Gravitee-Transaction-Id` /
/// `X-Gravitee-Request-Id`. A request that matches none of the API's plans (no API key, JWT or OAuth2 token a plan
/// accepts) gets 401 "Unauthorized" (the plan could not be resolved: since 1.2 the gateway no longer says which credential
/// it wanted); the API-key plan refuses an unknown or revoked key with "API Key is not valid or is expired / revoked.";
/// the rate-limit and quota policies answer 429 with "Rate limit exceeded ! …" / "Quota exceeded ! …".
/// Since 3.x the gateway says "Unauthorized" for every authentication failure, whatever the credential's fault (the
/// security chain's and the policies' sources); the ip-filtering and resource-filtering policies say which.
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
                      // 3.x-4.x say "Unauthorized" for every authentication failure (gravitee-io's security chain, api-key, jwt and
                      // oauth2 policies): no plan resolved, a key that is missing, unknown, revoked or expired, a JWT that does not
                      // verify, a token without a required scope. The reason is in the gateway's logs only.
                      Variant("msg", ["Unauthorized"], cause: .unknown, confidence: .likely,
                              summary: "Gravitee's gateway refused the credential (\"Unauthorized\": it says this of a missing, unknown, revoked or expired key, a JWT or OAuth2 token that does not verify or lacks a scope, and a request no plan accepts)",
                              checks: ["the request's credential: the API key where the plan reads it (X-Gravitee-Api-Key or ?api-key=), or Authorization: Bearer for a JWT/OAuth2 plan",
                                       "the application's subscription to a plan of this API (accepted, not closed or expired), and the key's state",
                                       "the API's logs in Gravitee's console name the failure key (API_KEY_MISSING, API_KEY_INVALID, JWT_INVALID_TOKEN, OAUTH2_INSUFFICIENT_SCOPE, GATEWAY_PLAN_UNRESOLVABLE)"]),
                      Variant("msg", ["API Key is not valid*", "*expired / revoked*"], cause: .authInvalid, confidence: .certain,
                              summary: "Gravitee's API-key plan does not accept the key sent ({msg})"),
                      Variant("msg", ["Rate limit exceeded*", "Quota exceeded*", "Spike limit exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "Gravitee's rate-limit, quota or spike-arrest policy refused the request ({msg})"),
                      // the ip-filtering policy (its address or an X-Forwarded-For hop is on the list)
                      Variant("msg", ["Your IP (*not allowed to reach this resource*"], cause: .accessIP, confidence: .certain,
                              summary: "Gravitee's ip-filtering policy refused the client's address ({msg})",
                              checks: ["the policy's whitelist / blacklist, and whether it matches X-Forwarded-For hops too (matchAllFromXForwardedFor)"]),
                      Variant("msg", ["You're not allowed to access this resource*"], cause: .accessDeny, confidence: .certain,
                              summary: "Gravitee's resource-filtering policy refuses this path ({msg})",
                              checks: ["the policy's whitelist / blacklist of path patterns and methods on this flow"]),
                  ],
                  specificity: 72),
    ]
}
