import Why403Core

/// Kong Gateway: its plugins answer for it (key-auth, basic-auth, hmac-auth, acl, rate-limiting) with a
/// one-key JSON body `{"message": "…"}`, and Kong marks its own answers with `Server: kong/<version>` and
/// `X-Kong-Response-Latency` (a proxied answer carries `X-Kong-Upstream-Latency` and `Via: kong/…` instead).
/// Without headers the envelope alone can name it when the message is one of Kong's whole sentences:
/// `{"message": "Invalid authentication credentials"}` (basic-auth, key-auth, hmac-auth refusing a credential it
/// does not know; Kong 0.14 answered it with 403, later versions with 401). basic-auth and jwt answer a request
/// that carries no credential with the bare `{"message": "Unauthorized"}` (basic-auth adds `WWW-Authenticate: Basic realm="kong"`).
/// The rate-limiting plugins (rate-limiting, rate-limiting-advanced, the AI Gateway's token limits) add `Retry-After` and
/// `RateLimit-Reset` to their own 429, also to a HEAD that carries no body; no other plugin sets them. An authorization
/// plugin that runs after the consumer is identified (OPA, a custom one) answers 403 with `{"message":"unauthorized"}`,
/// which is not basic-auth's or jwt's 401 for a missing credential.
/// Kong's error template (`kong.response.error`, 2.1+) writes `{\n  "message":"…"\n}`, two spaces and no space after the
/// colon, which no common JSON printer does; 3.5+ adds `"request_id"`. The jwt plugin still answers in compact JSON with its
/// own sentences ("Bad token; invalid alg", "No mandatory 'iss' in claims", "Invalid key\/secret" with the slash escaped) and
/// a claim's verdict as `{"exp":"token expired"}`. Since 3.6 the credential plugins say "Unauthorized" for a credential that is
/// missing and one that is wrong alike (the sources of kong/plugins/*/handler.lua, 0.5 to 3.9).
enum Kong {
    /// The jwt plugin's sentences (kong/plugins/jwt/handler.lua, jwt_parser.lua), in its compact `{"message": …}`.
    static let jwtSentences: [Condition] = [.body("Bad token; invalid JSON"), .body("Bad token; invalid alg"), .body("Unrecognizable token"),
                                            .body("Multiple tokens provided"), .body("' in claims"), .body("Invalid key\\/secret"),
                                            .body("Could not find consumer for '")]
    /// Kong answering for itself (not an upstream's answer carried through it).
    static let own: Condition = .all([.any([.headerContains("server", "kong/"), .header("x-kong-response-latency")]),
                                      .not(.header("x-kong-upstream-latency"))])

    static let signatures: [Signature] = [
        Signature(id: "kong-gateway", product: "Kong Gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.headerContains("server", "kong/"), .header("x-kong-response-latency"),
                               // key-auth's own sentence, in Kong's {"message": …} envelope
                               .body("No API key found in headers or querystring"), .body("No API key found in request"),
                               // the credential plugins' refusal of an unknown credential, as the whole JSON string (not Google's
                               // "Request had invalid authentication credentials. …")
                               // (FastAPI's security classes say the same in `{"detail": …}`: not Kong's envelope)
                               .all([.body("\"Invalid authentication credentials\""), .not(.jsonKey(["detail"]))]),
                               // the acl plugin's whole sentence for a consumer outside the allowed groups, however the quotes were pasted
                               .body("You cannot consume this service"),
                               // the jwt plugin's refusal of a token whose key claim (`iss`, or the configured key_claim_name) no
                               // consumer's credential has, and hmac-auth's refusals of a signature it cannot verify
                               .body("No credentials found for given '"), .body("HMAC signature cannot be verified"),
                               .body("HMAC signature does not match"),
                               // Kong 0.x's wording for an unknown credential, and the rate limiting plugins' own sentence as the whole
                               // JSON string (GitHub's "API rate limit exceeded for <ip>. …" goes on)
                               .body("Your authentication credentials are invalid"),
                               // (Spotify's `{"error": {"status": 429, "message": "API rate limit exceeded"}}` is its own envelope)
                               .all([.body("\"API rate limit exceeded\""), .not(.body("\"error\""))]),
                               .body("API rate limit exceeded for provider"),
                               // response-ratelimiting's sentence names the limit ("API rate limit exceeded for 'videos'")
                               .body("API rate limit exceeded for '"),
                               // key-auth with key_in_body (0.x), and its refusal of a key sent twice
                               .body("No API key found in headers, body or querystring"), .body("Duplicate API key found"),
                               // Kong's error template, 2.1+ (a message then, from 3.5, the request id)
                               .body("{\n  \"message\":\""), .body("{\r\n  \"message\":\""),
                               .all([.jsonKey(["message"]), .any(jwtSentences)]),
                               // the jwt plugin's claim verdicts, `{"exp":"token expired"}`
                               .all([.jsonKey(["exp"]), .any([.body("\"token expired\""), .body("\"must be a number\""), .body("exceeds maximum allowed expiration")])]),
                               .all([.jsonKey(["nbf"]), .body("\"token not valid yet\"")]),
                               // ip-restriction (3.4+ names the address) and its refusal when it cannot read one; acl without a consumer
                               .all([.jsonKey(["message"]), .any([.body("IP address not allowed: "), .body("Cannot identify the client IP address"),
                                                                  .body("Cannot identify the consumer, add an authentication plugin")])])]),
                         .not(.header("x-kong-upstream-latency")),
                         // Anthropic's and Bitbucket Cloud's envelopes carry the same sentences inside `{"type": "error", …}`
                         .not(Signatures.typeErrorEnvelope)],
                  summary: "Kong Gateway refused the request itself (a plugin answered, the upstream service was not called)[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            // the jwt plugin's claim verdict: `{"exp":"token expired"}`
                            Extract("claim", "claim", from: [.json("exp"), .json("nbf")]),
                            // "Unauthorized" in the 3.5+ template, with the request id after it
                            Extract("rid", "request_id", from: [.body(after: "\"message\":\"Unauthorized\",\n  \"request_id\":\"", chars: .hex),
                                                                .body(after: "\"message\":\"Unauthorized\",\r\n  \"request_id\":\"", chars: .hex)]),
                            Extract("server", "Server", from: [.header("server")]),
                            Extract("acl", "acl refusal", from: [.body(after: "You cannot consume", chars: .line)]),
                            // the OpenID Connect plugin's Bearer challenge (`realm="kong",error="no Authorization header found"`)
                            Extract("challenge", "challenge error", from: [.challenge(scheme: "Bearer", parameter: "error")]),
                            // only the rate-limiting plugins set these on Kong's own answer
                            Extract("retry", "Retry-After", from: [.header("retry-after"), .header("ratelimit-reset")])],
                  checks: ["the route's and service's plugins (Kong Manager, or `curl :8001/routes/<route>/plugins`): key-auth, basic-auth, jwt, hmac-auth, acl, rate-limiting, ip-restriction",
                           "Kong's access log entry for the request: the consumer it resolved (none for a missing or unknown credential)"],
                  variants: [
                      // The acl plugin: the consumer was identified (a credential plugin ran first) but is in no allowed group.
                      Variant("acl", ["*this service*"], cause: .authRole, confidence: .certain,
                              summary: "Kong's acl plugin refused the consumer: it is not in a group the route allows (\"You cannot consume this service\")",
                              checks: ["the acl plugin's allow/deny groups on the route or service, and the consumer's groups (`curl :8001/consumers/<consumer>/acls`)"]),
                      Variant("challenge", ["no Authorization header found*"], cause: .authMissing, confidence: .certain,
                              summary: "Kong's OpenID Connect plugin found no Authorization header (its challenge: \"{challenge}\")"),
                      Variant("msg", ["No API key found*"], cause: .authMissing, confidence: .certain,
                              summary: "Kong's key-auth plugin found no API key in the headers or query string it is configured to read (config.key_names)"),
                      Variant("msg", ["No credentials found for given*"], cause: .authInvalid, confidence: .certain,
                              summary: "Kong's jwt plugin: no consumer has a JWT credential for the token's key claim ({msg})",
                              checks: ["the token's key claim (iss by default; `why403 token TOKEN`) must equal the `key` of a JWT credential of a consumer (`curl :8001/consumers/<consumer>/jwt`)"]),
                      Variant("msg", ["HMAC signature*"], cause: .authInvalid, confidence: .certain,
                              summary: "Kong's hmac-auth plugin could not verify the request's signature ({msg})",
                              checks: ["sign the headers the plugin expects (a Date or X-Date header within clock_skew, and every header listed in the signature) with the credential's secret"]),
                      Variant("msg", ["Invalid authentication credentials*", "Your authentication credentials are invalid*"], cause: .authInvalid, confidence: .certain,
                              summary: "Kong's authentication plugin (basic-auth, key-auth, hmac-auth) does not know the credential sent (\"Invalid authentication credentials\")",
                              checks: ["the consumer's credentials (`curl :8001/consumers/<consumer>/basic-auth`, `/key-auth`): the user name, password or key sent must be one of them; in DB-less mode, the declarative file's credentials"]),
                      // Kong Enterprise's RBAC on the Admin API: "<user>, you do not have permissions to <action> this resource".
                      Variant("msg", ["*you do not have permissions to*"], cause: .authRole, confidence: .certain,
                              summary: "Kong's RBAC refused the admin user ({msg})",
                              checks: ["the RBAC user's roles (`curl :8001/rbac/users/<user>/roles`) must grant the action on this endpoint (an endpoint permission with the action for the workspace)"]),
                      Variant("msg", ["Duplicate API key found*", "Bad token*", "Unrecognizable token*", "Multiple tokens provided*", "*' in claims*",
                                      "Invalid key/secret*", "Could not find consumer for*"], cause: .authInvalid, confidence: .certain,
                              summary: "Kong's key-auth or jwt plugin did not accept the credential sent ({msg})",
                              checks: ["decode the token (`why403 token TOKEN`): its alg, its key claim (iss by default) and its signature must match a JWT credential of a consumer (`curl :8001/consumers/<consumer>/jwt`)"]),
                      Variant("claim", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "Kong's jwt plugin refused the token's time claims ({claim})",
                              checks: ["the token's exp / nbf (`why403 token TOKEN`), the plugin's claims_to_verify and maximum_expiration, and the clocks"]),
                      Variant("msg", ["*rate limit exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "Kong's rate-limiting plugin refused the request: {msg}"),
                      Variant("msg", ["IP address not allowed*", "Your IP address is not allowed*"], cause: .accessIP, confidence: .certain,
                              summary: "Kong's ip-restriction plugin refused the client's address ({msg})",
                              checks: ["the ip-restriction plugin's allow / deny lists, and the address Kong sees (trusted_ips and real_ip_header behind a load balancer)"]),
                      Variant("msg", ["Cannot identify the*"], cause: .configError, confidence: .likely,
                              summary: "Kong could not run the plugin on this request ({msg}): the route's configuration, not the client, is at fault",
                              checks: ["acl needs an authentication plugin before it on the same route or service; ip-restriction cannot read an address on a unix socket"]),
                      // 3.6+ (its template, with the request id) says "Unauthorized" of a missing and of a wrong credential alike
                      Variant("rid", ["*"], cause: .unknown, confidence: .likely,
                              summary: "Kong's credential plugin refused the request (\"Unauthorized\"): since 3.6 it says so of a missing and of a wrong credential alike[ (request id {rid})]",
                              checks: ["send the credential where the plugin reads it (key-auth: the apikey header or config.key_names; basic-auth: Authorization: Basic), and check that a consumer owns it (`curl :8001/consumers/<consumer>/key-auth`)",
                                       "Kong's error log, by X-Kong-Request-Id, says which"]),
                      // basic-auth and jwt say only "Unauthorized" when the request carries no credential they read.
                      Variant("msg", ["Unauthorized"], cause: .authMissing, confidence: .likely,
                              summary: "Kong's basic-auth or jwt plugin found no credential in the request (\"Unauthorized\")",
                              checks: ["send the credential where the plugin reads it: basic-auth an Authorization: Basic header, jwt an Authorization: Bearer header (or the configured uri_param_names / cookie_names)"]),
                      // A HEAD (no body) from a rate-limiting plugin: its Retry-After / RateLimit-Reset say it.
                      Variant("retry", ["*"], cause: .rateLimit, confidence: .likely,
                              summary: "Kong's rate-limiting plugin refused the request (Retry-After: {retry})",
                              checks: ["the rate-limiting plugin's limits on the route, service or consumer (X-RateLimit-Limit-* headers), and wait Retry-After seconds"]),
                  ],
                  specificity: 70),
        // An authorization plugin (OPA, a custom plugin) refused an identified consumer: 403 "unauthorized", in Kong's envelope.
        Signature(id: "kong-authz-denied", product: "Kong Gateway", layer: .apiGateway, cause: .authRole, confidence: .likely,
                  statuses: [403],
                  when: [own, .jsonKey(["message"]), .body("\"unauthorized\"")],
                  summary: "Kong Gateway refused the request itself: an authorization plugin (OPA or a custom plugin) did not allow the identified consumer (\"unauthorized\")",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            Extract("kongid", "X-Kong-Request-Id", from: [.header("x-kong-request-id"), .json("request_id")])],
                  lookup: "look the request up in Kong's logs by X-Kong-Request-Id[ {kongid}]",
                  checks: ["the route's authorization plugins (opa, or a custom plugin) and the policy's decision for this consumer's claims or groups",
                           "the credential itself was accepted: a missing or unknown credential gets 401 from the authentication plugin instead"],
                  specificity: 72),
    ]
}
