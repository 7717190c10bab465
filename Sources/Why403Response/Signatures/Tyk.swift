import Why403Core

/// Tyk Gateway: its middleware answers with a one-key JSON body `{"error": "…"}` in its own words ("Key not
/// authorised" for a token it does not know); its admin API (`/tyk/…`) with
/// `{"status": "error", "message": "Attempted administrative access with invalid or missing key!"}`.
/// A gateway may reword its errors in text: openrouteservice's Tyk answers a refused key with the plain
/// "Invalid API key or access to this API has been disallowed" (Tyk's own "Access to this API has been
/// disallowed" prefixed), which names the gateway without the JSON envelope.
/// Tyk's default error responses carry `X-Generator: tyk.io` (unless `hide_generator_header` is set), also on a HEAD
/// without a body. Its rate limiter and quota answer 429 with the one-key envelope `{"error": "Rate Limit Exceeded"}`
/// / `{"error": "Quota exceeded"}` (the whole string, not GitHub's "API rate limit exceeded" or Twitter's `errors` list).
enum Tyk {
    static let signatures: [Signature] = [
        Signature(id: "tyk-gateway", product: "Tyk Gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.all([.any([.body("Key not authorised"), .body("Attempted administrative access with invalid or missing key"), .body("Authorization field missing")]),
                                        .any([.body("\"error\""), .body("\"message\"")])]),
                               .body("Invalid API key or access to this API has been disallowed"),
                               .headerContains("x-generator", "tyk.io"),
                               // the rate limiter's and quota's whole message in Tyk's one-key envelope
                               .all([.jsonKey(["error"]), .any([.body("\"Rate Limit Exceeded\""), .body("\"Quota exceeded\"")]),
                                     .not(.body("\"errors\"")), .not(.body("\"message\""))])])],
                  summary: "Tyk Gateway refused the request itself[: {msg}]",
                  extract: [Extract("msg", "error", from: [.json("error"), .json("message"), .body(after: "\"error\":", chars: .line)])],
                  checks: ["the key's session in Tyk (Dashboard > Keys, or GET /tyk/keys/<key> on the gateway): does it exist, is it expired, does its access_rights list this API",
                           "for the admin API (/tyk/…): the x-tyk-authorization header must carry the gateway's `secret` from tyk.conf"],
                  variants: [
                      Variant("msg", ["*Key not authorised*"], cause: .authInvalid, confidence: .certain,
                              summary: "Tyk Gateway does not know the key or token sent (\"Key not authorised\")"),
                      // The admin API (/tyk/…) refusing the x-tyk-authorization secret: sent, but not the gateway's.
                      Variant("msg", ["*Attempted administrative access with invalid or missing key*"], cause: .authInvalid, confidence: .likely,
                              summary: "Tyk Gateway's admin API did not accept the secret in x-tyk-authorization (\"invalid or missing key\")",
                              checks: ["the x-tyk-authorization header must carry the `secret` of tyk.conf (not an API key, not in Authorization)"]),
                      Variant("msg", ["Rate Limit Exceeded*", "Quota exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "Tyk Gateway's rate limiter or quota refused the key's request ({msg})",
                              checks: ["the key's or policy's rate (requests per period) and quota in Tyk (Dashboard > Keys / Policies): wait for the period or the quota renewal, or raise them"]),
                      // The header the API definition reads (auth.auth_header_name, Authorization by default) is absent.
                      Variant("msg", ["*Authorization field missing*"], cause: .authMissing, confidence: .certain,
                              summary: "Tyk Gateway found no key in the header the API definition reads (\"Authorization field missing\")",
                              checks: ["send the key in the header the API definition names (auth.auth_header_name, Authorization by default), not x-tyk-authorization (the admin API's header)"]),
                  ],
                  specificity: 70),
    ]
}
