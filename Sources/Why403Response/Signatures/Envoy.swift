import Why403Core

/// Envoy (and Istio's sidecars and gateways): `server: envoy`, `x-envoy-*` headers, and its local replies
/// in plain text: `RBAC: access denied` from the RBAC filter, `Jwt is missing` / `Jwt verification fails`
/// from the JWT filter; Istio's Mixer-era RBAC adapter (before 1.4) said `PERMISSION_DENIED:handler.rbac.<ns>:RBAC:
/// permission denied.`
/// The JWT filter's 401 can arrive without its body (a debug log of the encoded headers, a HEAD): it is Envoy's
/// own when an Envoy header names the proxy (`x-envoy-peer-metadata-id`, `server: envoy`/`istio-envoy`), no
/// `x-envoy-upstream-service-time` says an upstream answered, and the Bearer challenge's realm is the request's
/// URL (`WWW-Authenticate: Bearer realm="http://host/path", error="invalid_token"`, since Envoy 1.19); the
/// challenge's error then says the cause.
/// The api_key_auth filter answers in plain text too: "Client authentication failed." (a key missing or unknown, the body
/// does not say which) and "Client is forbidden."; the JWT filter's other statuses begin "Jwt is not in the form of …",
/// "Jwt header is an invalid …", "Jwt payload is an invalid …", "Jwt not yet valid".
/// The basic_auth filter (1.30+) answers 401 in plain text: "User authentication failed. Missing username and password."
/// and "User authentication failed. Invalid username/password combination". An external authorization service's 401
/// reaches the client as Envoy's own answer: its challenge with `server: envoy` and no `x-envoy-upstream-service-time`.
/// The rate limit filters answer 429: the local one with the text `local_rate_limited`, the global one (and the local one
/// when configured) with `x-envoy-ratelimited: true`; with `enable_x_ratelimit_headers` the global one writes the IETF
/// draft's headers in their draft-03 form, the limit followed by its quota policy (`x-ratelimit-limit: 3, 3;w=3600`).
/// Ambassador Edge Stack's filters (JWT, API key, OAuth2) answer from Envoy in their own JSON envelope
/// `{"message": "no Bearer token", "requestId": "…", "statusCode": 401}` with `server: envoy`.
enum Envoy {
    static let jwtChallenge: Condition = .all([.any([.header("x-envoy-peer-metadata-id"), .headerContains("server", "envoy")]),
                                              .not(.header("x-envoy-upstream-service-time")),
                                              .challenge(scheme: "Bearer", error: nil), .headerContains("www-authenticate", "realm=\"http")])

    /// The JWT filter's sentences for a token it rejected (its missing-token sentence is "Jwt is missing"): the messages of
    /// jwt_authn's status codes, which ESPv2 (`cloud-endpoints-esp`) passes on in its JSON too.
    static let jwtRejections = ["Jwt verification fails", "Jwt is expired", "Jwt issuer is not configured", "Audiences in Jwt are not allowed",
                                "Jwt is not in the form of", "Jwt header is an invalid", "Jwt payload is an invalid", "Jwt not yet valid",
                                // a header or payload claim of the wrong type ("Jwt header [alg] is not supported", "Jwt payload [exp] field
                                // is not an integer", 2018 on), a signature it cannot decode, more than one token (jwt_verify_lib's status.cc)
                                "Jwt header [", "Jwt payload [", "Jwt signature is an invalid Base64", "Jwt ED25519 signature is wrong length",
                                "Found multiple Jwt tokens"]
    /// The same filter's sentences about its keys (jwt_verify_lib's status strings): the token names a key the JWKS lacks
    /// (a token from another issuer or a rotated key: the token is refused), or the proxy could not fetch the JWKS at all
    /// (the provider's `remote_jwks` URI or cluster: nothing is wrong with the token).
    static let jwksSentences = ["Jwks doesn't have key to match kid or alg from Jwt", "Jwks remote fetch is failed",
                                "Jwks doesn't have any valid public key", "Jwks is an invalid JSON"]

    static let signatures: [Signature] = [
        Signature(id: "envoy-local-reply", product: "Envoy", layer: .envoy, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.body("RBAC: access denied"), .body("Jwt is missing")] + jwtRejections.map { .body($0) }
                              + jwksSentences.map { .body($0) } + [
                               // the api_key_auth filter's plain-text replies (not an OAuth server's JSON error_description)
                               .all([.any([.body("Client authentication failed."), .body("Client is forbidden.")]),
                                     .not(.body("{")), .not(.body("<"))]),
                               // the basic_auth filter's plain-text replies (Envoy 1.30+), not an application's "Invalid username or password"
                               .all([.any([.body("User authentication failed. Missing username and password"),
                                           .body("User authentication failed. Invalid username/password combination"),
                                           .body("User authentication failed. Expected 'Basic' authentication scheme"),
                                           .body("User authentication failed. Invalid basic credential format")]),
                                     .not(.body("{")), .not(.body("<"))]),
                               // Istio before 1.4 denied through Mixer: "PERMISSION_DENIED:handler.rbac.istio-system:RBAC: permission denied."
                               .body("RBAC: permission denied"),
                               // Istio up to 1.5, its alpha authentication Policy (istio/proxy's authn filter): the origin's JWT or the
                               // peer's mTLS identity was not accepted
                               .all([.any([.body("Origin authentication failed."), .body("Peer authentication failed.")]), .not(.body("{")), .not(.body("<"))]),
                               // the oauth2 filter's reply when the authorization server's token exchange failed
                               .all([.body("OAuth flow failed."), .not(.body("{")), .not(.body("<"))]),
                               // the JWT filter's 401 headers without the body
                               jwtChallenge,
                  ])],
                  summary: "Envoy answered itself[ (RBAC: {rbac})][ (Jwt {jwt})]: a filter refused before any upstream saw the request",
                  extract: [Extract("rbac", "RBAC filter", from: [.body(after: "RBAC:", chars: .line)]),
                            Extract("jwks", "JWT filter's keys", from: [.body(after: "Jwks ", chars: .line)]),
                            Extract("jwt", "JWT filter", from: [.body(after: "Jwt ", chars: .line)]),
                            Extract("apikey", "api_key_auth filter", from: [.body(after: "Client ", chars: .line)]),
                            Extract("basic", "basic_auth filter", from: [.body(after: "User authentication failed.", chars: .line)]),
                            Extract("authn", "Istio authentication", from: [.body(after: "Origin authentication", chars: .line), .body(after: "Peer authentication", chars: .line)]),
                            Extract("oauth", "oauth2 filter", from: [.body(after: "OAuth flow", chars: .line)])],
                  checks: ["RBAC: the RBAC filter's policies (Istio AuthorizationPolicy) did not allow this request; the principal or source they match says whether it is an address rule (access.ip) or an identity rule (auth.role)",
                           "the Envoy access log shows response flags and the filter that answered (%RESPONSE_CODE_DETAILS%: rbac_access_denied_matched_policy[...])"],
                  variants: [
                      // The key sentences first: "… from Jwt" ends in the word the "jwt" key is read after.
                      Variant("jwks", ["doesn't have key to match*"], cause: .authInvalid, confidence: .likely,
                              summary: "Envoy's JWT filter has no key for the token's kid or alg (Jwks {jwks}): a token from another issuer, or signed with a key the provider's JWKS no longer lists",
                              checks: ["decode the token's header (`why403 token TOKEN`): its kid and alg must be in the JWKS of the provider whose issuer it names",
                                       "the jwt_authn provider's remote_jwks (Istio RequestAuthentication jwksUri) must be the issuer's current JWKS"]),
                      Variant("jwks", ["remote fetch is failed*", "doesn't have any valid public key*", "is an invalid JSON*"], cause: .configError, confidence: .likely,
                              summary: "Envoy's JWT filter could not get usable keys (Jwks {jwks}): the proxy's configuration, not the token, is at fault",
                              checks: ["the jwt_authn provider's remote_jwks URI answers from the proxy (its cluster, DNS and TLS), and serves a JWKS with a `keys` list",
                                       "the Envoy log has the fetch's error (\"Jwks async fetching url=…: failed\")"]),
                      Variant("jwt", ["is missing*"], cause: .authMissing, confidence: .certain, summary: "Envoy's JWT filter: no token was sent (Jwt is missing)"),
                      // "jwt" is what follows "Jwt ": the sentence's rest, or (for "Audiences in Jwt are not allowed") its tail
                      Variant("jwt", jwtRejections.map { $0.hasPrefix("Jwt ") ? $0.dropFirst(4) + "*" : "*" + $0.components(separatedBy: "Jwt ").last! + "*" },
                              cause: .authInvalid, confidence: .certain,
                              summary: "Envoy's JWT filter rejected the token (Jwt {jwt})"),
                      Variant("basic", ["Missing username and password*"], cause: .authMissing, confidence: .certain,
                              summary: "Envoy's basic_auth filter: no user name and password were sent"),
                      Variant("basic", ["Invalid username/password*", "Expected 'Basic'*", "Invalid basic credential*"], cause: .authInvalid, confidence: .certain,
                              summary: "Envoy's basic_auth filter: the user name and password sent are not in its users list",
                              checks: ["the basic_auth filter's users (htpasswd SHA entries; Envoy Gateway SecurityPolicy basicAuth secret) must hold this user with this password"]),
                      Variant("authn", ["failed*"], cause: .authInvalid, confidence: .likely,
                              summary: "Istio's authentication policy (1.5 and before) refused the request: the origin's JWT or the peer's mTLS identity was not accepted",
                              checks: ["Origin: the Policy's origins (jwt issuer, jwksUri, audiences) must accept the Authorization: Bearer token sent",
                                       "Peer: the Policy's peers (mtls) need a sidecar with Istio's certificate on the caller"]),
                      Variant("oauth", ["failed*"], cause: .authInvalid, confidence: .likely,
                              summary: "Envoy's oauth2 filter could not complete the sign-in (OAuth flow failed.): the authorization server refused the code exchange",
                              checks: ["the filter's token_endpoint, client id and secret (the SDS secret) and redirect_uri must match the client registered at the authorization server",
                                       "the Envoy log names the token endpoint's answer"]),
                      Variant("apikey", ["is forbidden*"], cause: .authRole, confidence: .likely,
                              summary: "Envoy's api_key_auth filter knows the client but it is not allowed on this route (Client is forbidden.)"),
                  ],
                  specificity: 75),
        // A challenge Envoy sent itself (an ext_authz service's or an auth filter's 401: Contour's htpasswd auth, Gloo's
        // extauth): `server: envoy` and no x-envoy-upstream-service-time, so no upstream answered. The layer is Envoy's;
        // the challenge (auth-challenge-*) says the cause.
        Signature(id: "envoy-auth-challenge", product: "Envoy", layer: .envoy, cause: .unknown, confidence: .likely,
                  statuses: [401],
                  when: [.any([.header("x-envoy-peer-metadata-id"), .headerContains("server", "envoy")]),
                         .not(.header("x-envoy-upstream-service-time")), .challenge(scheme: nil, error: nil)],
                  summary: "Envoy answered with an authentication challenge itself (an auth filter or its external authorization service): no upstream saw the request",
                  extract: [Extract("scheme", "scheme", from: [.challengeScheme]),
                            Extract("realm", "realm", from: [.challenge(scheme: "*", parameter: "realm")])],
                  checks: ["the route's authentication: Envoy's ext_authz filter (Contour ExtensionService, Gloo AuthConfig, Envoy Gateway SecurityPolicy) or its basic_auth/jwt_authn filter, and that service's log for this request"],
                  specificity: 40),
        // An external authorization service's denial passed on by Envoy's ext_authz filter, marked by the service's own
        // header: Authorino's (Kuadrant's) `x-ext-auth-reason` with its reason, or Istio's sample ext-authz server's
        // `x-ext-authz-check-result: denied`. The reason says the cause where it names the credential's fate.
        Signature(id: "envoy-ext-authz-denied", product: "Envoy ext_authz (Authorino, Kuadrant, an external authorization service)",
                  layer: .envoy, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.header("x-ext-auth-reason"), .headerContains("x-ext-authz-check-result", "denied")])],
                  summary: "the external authorization service behind Envoy's ext_authz filter denied the request[: {reason}]",
                  extract: [Extract("reason", "x-ext-auth-reason", from: [.header("x-ext-auth-reason")]),
                            Extract("result", "x-ext-authz-check-result", from: [.header("x-ext-authz-check-result")])],
                  checks: ["the authorization service's policy for this route (Authorino AuthConfig / Kuadrant AuthPolicy: identity, metadata and authorization sections; Istio's ext-authz provider) and its log for this request",
                           "the reason header names the rule that failed where the policy sets one; \"Unauthorized\" is the default of a failed authorization rule"],
                  variants: [
                      Variant("reason", ["*credential not found*", "*credentials not found*"], cause: .authMissing, confidence: .certain,
                              summary: "the external authorization service found no credential in the request ({reason})"),
                      Variant("reason", ["*invalid*", "*unknown authority*", "*not active*", "*expired*"], cause: .authInvalid, confidence: .likely,
                              summary: "the external authorization service rejected the credential sent ({reason})"),
                  ],
                  specificity: 70),
        // The rate limit filters' 429: local_rate_limit's text body, or the x-envoy-ratelimited header.
        Signature(id: "envoy-rate-limited", product: "Envoy", layer: .envoy, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.header("x-envoy-ratelimited"), .all([.body("local_rate_limited"), .not(.body("{")), .not(.body("<"))])])],
                  summary: "Envoy's rate limit filter refused the request (429) before any upstream saw it",
                  extract: [Extract("ratelimited", "x-envoy-ratelimited", from: [.header("x-envoy-ratelimited")]),
                            Extract("local", "local rate limit", from: [.body(after: "local_rate", chars: .identifier)])],
                  checks: ["the local_ratelimit filter's token bucket (Istio EnvoyFilter, Envoy Gateway BackendTrafficPolicy rateLimit) or the global rate limit service's descriptors for this route",
                           "the access log's response flag RL (rate limited) for the request"],
                  specificity: 75),
        Signature(id: "envoy-ratelimit-headers", product: "Envoy (global rate limit)", layer: .envoy, cause: .rateLimit, confidence: .likely,
                  statuses: [429],
                  // draft-03's "limit, limit;w=window": Envoy's form; a bare number (GitHub, most APIs) is not enough
                  when: [.headerContains("x-ratelimit-limit", ";w="), .headerContains("x-ratelimit-limit", ", ")],
                  summary: "a rate limit refused the request (429), with the rate-limit headers Envoy's global rate limit filter writes (x-ratelimit-limit {limit})",
                  extract: [Extract("limit", "x-ratelimit-limit", from: [.header("x-ratelimit-limit")]),
                            Extract("reset", "x-ratelimit-reset (seconds)", from: [.header("x-ratelimit-reset")])],
                  checks: ["the rate limit service's descriptors for this route (Envoy Gateway BackendTrafficPolicy rateLimit.global, Istio EnvoyFilter): the window in w= and the limit",
                           "the client is refused until x-ratelimit-reset seconds pass"],
                  specificity: 70),
        Signature(id: "ambassador-filter-error", product: "Ambassador Edge Stack (Envoy)", layer: .envoy, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.headerContains("server", "envoy"), .jsonKey(["requestId"]), .jsonKey(["statusCode"]), .jsonKey(["message"])],
                  summary: "an Ambassador Edge Stack filter answered from Envoy before any upstream saw the request[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            Extract("reqid", "request id", from: [.json("requestId")])],
                  checks: ["the Filter and FilterPolicy resources that apply to this host and path (kubectl get filters,filterpolicies -A)",
                           "the Edge Stack pod's log at the time names the filter's decision"],
                  variants: [
                      Variant("msg", ["no Bearer token*", "*missing*"], cause: .authMissing, confidence: .certain,
                              summary: "an Ambassador Edge Stack filter found no credentials ({msg})"),
                      Variant("msg", ["API key not found*"], cause: .authMissing, confidence: .likely,
                              summary: "Ambassador Edge Stack's API key filter found no key it knows in the request ({msg}): none was sent, or one it does not hold"),
                      Variant("msg", ["*expired*", "*invalid*", "*signature*"], cause: .authInvalid, confidence: .certain,
                              summary: "an Ambassador Edge Stack filter rejected the token ({msg})"),
                  ],
                  specificity: 74),
    ]
}
