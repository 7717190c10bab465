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
///
/// Tyk's own refusals in that envelope, from its documented error list (docs "Tyk Gateway error responses", the
/// gateway's middleware): the IP allow and block lists ("Access from this IP has been disallowed"), access rights
/// ("Access to this API has been disallowed", "… this resource …"), JWT policies ("Key not authorized: no matching
/// policy", "No matching policy found in scope claim"), signed requests ("Request signature verification failed"),
/// mutual TLS ("Client TLS certificate is required", "Certificate with SHA256 … not allowed"), the organisation's
/// limits ("This organisation … has been exceeded").
enum Tyk {
    static let messages = ["Access from this IP has been disallowed", "Access to this API has been disallowed",
                           "Access to this resource has been disallowed", "Key not authorized: no matching policy",
                           "No matching policy found in scope claim", "Request signature verification failed",
                           "Client TLS certificate is required", "Attempted access with non-existent cert",
                           "This organisation rate limit has been exceeded", "This organisation quota has been exceed",
                           "This organisation access has been disabled", "Rejected paths not within whitelist",
                           "API Rate Limit Exceeded", "API Rate limit exceeded",
                           // more of the gateway's own sentences (its middleware, 2.x-5.x; `Benchmarks/field/documented/gateways-3.json`)
                           "access from this IP has been disallowed", "Key not authorized: token has expired", "Key not authorized:signature is invalid",
                           "key not authorized: no matching policy", "Key is inactive, please renew", "Key has expired, please renew",
                           "Requested endpoint is forbidden", "Attempted access with malformed header, header not in basic auth format",
                           "This organisation quota has been exceeded"]
    /// Tyk writes its envelope with Go's `json.MarshalIndent` and four spaces, no newline at the end: `{\n    "error": "…"\n}`.
    /// Some of its sentences are common words ("User not authorised", "Rate limit exceeded"): they name Tyk only in that layout.
    static let indented: Condition = .body("{\n    \"error\": \"")
    static let commonWords = ["User not authorised", "Rate limit exceeded", "Key not authorized", "Client certificate required",
                              "Certificate has expired", "access token is not valid"]

    static let signatures: [Signature] = [
        Signature(id: "tyk-gateway", product: "Tyk Gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.all([.any([.body("Key not authorised"), .body("Attempted administrative access with invalid or missing key"), .body("Authorization field missing")]),
                                        .any([.body("\"error\""), .body("\"message\"")])]),
                               .body("Invalid API key or access to this API has been disallowed"),
                               .headerContains("x-generator", "tyk.io"),
                               // the rate limiter's and quota's whole message in Tyk's one-key envelope
                               .all([.jsonKey(["error"]), .any([.body("\"Rate Limit Exceeded\""), .body("\"Quota exceeded\"")]),
                                     .not(.body("\"errors\"")), .not(.body("\"message\""))]),
                               // the documented messages in the one-key envelope
                               .all([.jsonKey(["error"]), .any(messages.map { .body($0) }), .not(.body("\"errors\"")), .not(.body("\"message\""))]),
                               // its common-word sentences only in its own indented layout, the whole value
                               .all([indented, .any(commonWords.map { .body("\"\($0)\"\n}") })]),
                               // the same envelope in XML, for a request that sent XML (templates/error.xml, 3.2+)
                               .body("<error>Authorization field missing</error>")])],
                  summary: "Tyk Gateway refused the request itself[: {msg}]",
                  extract: [Extract("msg", "error", from: [.json("error"), .json("message"), .body(after: "\"error\":", chars: .line), .xml("error")])],
                  checks: ["the key's session in Tyk (Dashboard > Keys, or GET /tyk/keys/<key> on the gateway): does it exist, is it expired, does its access_rights list this API",
                           "for the admin API (/tyk/…): the x-tyk-authorization header must carry the gateway's `secret` from tyk.conf"],
                  variants: [
                      Variant("msg", ["*Access from this IP has been disallowed*", "*access from this IP has been disallowed*"], cause: .accessIP, confidence: .certain,
                              summary: "Tyk Gateway's IP allow or block list refused the client's address (\"{msg}\")",
                              checks: ["the API definition's allowed_ips / blacklisted_ips (ip_access_control_disabled false): the address Tyk sees is the connection's, or X-Real-IP / X-Forwarded-For behind a proxy"]),
                      // Tyk answers an unknown key with this sentence too (so as not to say whether the key exists), as well as a
                      // known key whose access rights leave this API out: the sentence alone does not say which.
                      Variant("msg", ["*Access to this API has been disallowed*"], cause: .unknown, confidence: .likely,
                              summary: "Tyk Gateway refused the key for this API (\"{msg}\"): the key is unknown to it, or its access rights leave this API out",
                              checks: ["does the key exist (Dashboard > Keys, or GET /tyk/keys/<key> on the gateway)? an unknown or expired key is answered with this sentence too",
                                       "the key's access_rights (or its policies') must list this API id and version"]),
                      Variant("msg", ["*Access to this resource has been disallowed*", "*no matching policy*"],
                              cause: .authRole, confidence: .likely,
                              summary: "Tyk Gateway knows the key but its access rights do not include this API or path (\"{msg}\")",
                              checks: ["the key's access_rights (or its policies') must list this API id, its version and, with granular rights, this path and method"]),
                      Variant("msg", ["*No matching policy found in scope claim*"], cause: .authScope, confidence: .certain,
                              summary: "Tyk Gateway found no policy for the JWT's scopes (\"{msg}\")",
                              checks: ["the API's JWT scope-to-policy mapping (jwt_scope_to_policy_mapping) must map one of the token's scopes to a policy"]),
                      Variant("msg", ["*Request signature verification failed*", "*Unexpected signing method*", "*non-existent cert*",
                                      "*signature is invalid*", "*token has expired*", "*Certificate has expired*", "access token is not valid*",
                                      "*malformed header*"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "Tyk Gateway did not accept the credential's signature or certificate (\"{msg}\")"),
                      Variant("msg", ["*Client TLS certificate is required*", "Client certificate required*"], cause: .authMissing, confidence: .certain,
                              summary: "Tyk Gateway requires a client certificate (mutual TLS) and none was sent"),
                      Variant("msg", ["*This organisation rate limit*", "*This organisation quota*", "API Rate Limit Exceeded*", "API Rate limit exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "Tyk Gateway's limits refused the request (\"{msg}\")"),
                      Variant("msg", ["*Rejected paths not within whitelist*"], cause: .accessDeny, confidence: .certain,
                              summary: "Tyk Gateway's endpoint allow list does not include this path (\"{msg}\")"),
                      Variant("msg", ["*Key not authorised*", "User not authorised*"], cause: .authInvalid, confidence: .certain,
                              summary: "Tyk Gateway does not know the key, token or user sent (\"{msg}\")"),
                      // the JWT middleware (4.1+): a token it could verify whose key or policy it does not accept
                      Variant("msg", ["Key not authorized"], cause: .authInvalid, confidence: .likely,
                              summary: "Tyk Gateway's JWT middleware did not accept the token (\"Key not authorized\")"),
                      Variant("msg", ["Key is inactive*", "Key has expired*"], cause: .authInvalid, confidence: .certain,
                              summary: "Tyk Gateway knows the key but it is inactive or expired (\"{msg}\")",
                              checks: ["the key's session (Dashboard > Keys, or GET /tyk/keys/<key>): its expires date and is_inactive flag; renew or re-activate it"]),
                      Variant("msg", ["Requested endpoint is forbidden*"], cause: .accessDeny, confidence: .certain,
                              summary: "Tyk Gateway's version settings block this path for every caller (\"Requested endpoint is forbidden\")",
                              checks: ["the API version's extended paths: a black_list (block list) entry, or a white_list that leaves this path out"]),
                      // The admin API (/tyk/…) refusing the x-tyk-authorization secret: sent, but not the gateway's.
                      Variant("msg", ["*Attempted administrative access with invalid or missing key*"], cause: .authInvalid, confidence: .likely,
                              summary: "Tyk Gateway's admin API did not accept the secret in x-tyk-authorization (\"invalid or missing key\")",
                              checks: ["the x-tyk-authorization header must carry the `secret` of tyk.conf (not an API key, not in Authorization)"]),
                      Variant("msg", ["Rate Limit Exceeded*", "Rate limit exceeded*", "Quota exceeded*"], cause: .rateLimit, confidence: .certain,
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
