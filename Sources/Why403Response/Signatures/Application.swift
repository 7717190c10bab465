import Why403Core

/// JSON error bodies written by applications (`{"error": "forbidden", "message": "…"}`, RFC 9457
/// problem details): the application behind the server answered itself. A 403 is its own refusal
/// (`app.forbidden` unless the message names a cause); a 401 refused authentication (the message says
/// whether the credentials were missing or rejected, or the cause stays open).
enum Application {
    static let keys = ["error", "message", "detail", "errors", "error_description", "title", "code", "reason"]
    /// The signatures that read nothing but a JSON body: under a finding that already read the body as
    /// its own product's reply, they are not reported as a second layer.
    static let readsBodyOnly: Set<String> = ["app-json", "app-json-401"]
    /// Those, and Google's error envelope: under a finding that already read the body as its own product's reply (Cloud
    /// Storage's errors are Google API errors), none is reported as a second layer.
    static let readsEnvelope: Set<String> = readsBodyOnly.union(["google-api-error"])
    /// The signatures that read nothing but a 429's rate-limit counters: under a finding that already says `rate.limit`
    /// (Envoy's global rate limit writes the same `x-ratelimit-*` headers), they are not reported as a second layer.
    static let readsCountersOnly: Set<String> = ["app-rate-limit-headers"]

    static let signatures: [Signature] = [
        Signature(id: "app-json", product: "application", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [403], when: [.jsonKey(keys)],
                  summary: "the application answered with its own JSON error[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .json("detail"), .json("error_description"), .json("title"), .json("reason"), .json("error")]),
                            Extract("status", "status", from: [.header(":status")])],
                  checks: ["the application's log for this request: which authorisation check refused (role, ownership, tenant)",
                           "compare with a request by a user who is allowed"],
                  variants: [
                      Variant("msg", ["*rate limit*", "*too many requests*", "*attempts exceeded*", "*attempt exceeded*", "*quota exceeded*"],
                              cause: .rateLimit, confidence: .likely),
                      Variant("msg", ["*scope*"], cause: .authScope, confidence: .possible),
                      Variant("msg", ["Bad credentials*", "*invalid credentials*", "*invalid api key*", "*invalid_grant*", "*not a valid key*", "*invalid key*"], cause: .authInvalid, confidence: .likely),
                      Variant("msg", ["*role*", "*permission*", "*not allowed*", "*admin*"], cause: .authRole, confidence: .possible),
                      Variant("msg", ["*expired*", "*invalid token*", "*invalid_token*", "*signature*", "*failed to authenticate*"], cause: .authInvalid, confidence: .likely),
                      Variant("msg", ["*missing*", "*required*", "*unauthenticated*", "*no token*", "*not authenticated*"], cause: .authMissing, confidence: .likely),
                  ],
                  specificity: 30),
        // The same envelope with 401: the application refused authentication, not a permission. A 401 says
        // nothing of a role, so without a message that names the credentials' fate ("incorrect", "missing")
        // the cause stays open between no credentials and refused ones: `{"message":"401 Unauthorized"}`
        // (GitLab) is written for both.
        Signature(id: "app-json-401", product: "application", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401], when: [.jsonKey(keys)],
                  summary: "the application refused to authenticate the request, in its own JSON error[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .json("detail"), .json("error_description"), .json("title"), .json("reason"), .json("error"),
                                                             // a list of errors (a container registry's `{"errors":[{"code":"UNAUTHORIZED","message":…}]}`)
                                                             .jsonListItem(list: "errors", key: "message"),
                                                             // SonarQube's `{"errors":[{"msg":"Authentication is required"}]}`
                                                             .jsonListItem(list: "errors", key: "msg")])],
                  checks: ["was a credential sent (curl -v shows Authorization, a token header or a cookie)? none: send one; one: it was not accepted",
                           "a token sent in the wrong place or form (a header the API does not read, Bearer where it wants its own header, a query parameter) counts as none",
                           "the application's log for this request names the authentication failure"],
                  variants: [
                      Variant("msg", ["*rate limit*", "*too many requests*", "*attempts exceeded*", "*attempt exceeded*",
                                      // Symfony's login throttling ("Too many failed login attempts, please try again in 1 minute.")
                                      "*too many failed*"], cause: .rateLimit, confidence: .likely),
                      Variant("msg", ["Bad credentials*", "*invalid credentials*", "*invalid api key*", "*invalid_grant*", "*not a valid key*", "*invalid key*",
                                      "*incorrect*", "*expired*", "*invalid token*", "*invalid_token*", "*signature*", "*failed to authenticate*",
                                      "*unable to authenticate*", "*wrong password*", "*invalid username or password*",
                                      // "Authentication failed - could not decode JWT token": a token was sent and failed.
                                      "*could not decode*", "*authentication failed*",
                                      // "API token is invalid.", "The API key is invalid", "This hapikey doesn't exist."
                                      "*token is invalid*", "*key is invalid*", "*key doesn't exist*", "*key does not exist*",
                                      // hapi's basic scheme, Devise's failure message
                                      "*bad username or password*", "*invalid email or password*",
                                      // Portainer's "Invalid JWT token"
                                      "*invalid jwt*"],
                              cause: .authInvalid, confidence: .likely,
                              summary: "the application rejected the credentials sent: {msg}"),
                      Variant("msg", ["*missing*", "*required*", "*unauthenticated*", "*no token*", "*not authenticated*", "*no api key*",
                                      "*no authorization token*", "*no authorization header*", "*no credentials*",
                                      // Devise: "You need to sign in or sign up before continuing."
                                      "*need to sign in*"],
                              cause: .authMissing, confidence: .likely,
                              summary: "the application found no credentials it reads: {msg}"),
                  ],
                  specificity: 30),
        // A 429 carrying an API's own quota counters (X-RateLimit-Limit/Remaining, the IETF RateLimit-* fields):
        // the API or the gateway in front of it counted the client out. Products with their own page or
        // envelope (GitHub, Cloudflare, Docker Hub, Kong …) are recognised above this.
        Signature(id: "app-rate-limit-headers", product: "application", layer: .application, cause: .rateLimit, confidence: .likely,
                  statuses: [429],
                  when: [.any([.header("x-ratelimit-limit"), .header("x-ratelimit-remaining"), .header("ratelimit-limit"),
                               .header("ratelimit-remaining"), .header("ratelimit-policy")])],
                  summary: "the API answered 429 Too Many Requests with its own rate-limit counters[ (limit {limit}, remaining {remaining})]",
                  extract: [Extract("limit", "x-ratelimit-limit", from: [.header("x-ratelimit-limit"), .header("ratelimit-limit")]),
                            Extract("remaining", "x-ratelimit-remaining", from: [.header("x-ratelimit-remaining"), .header("ratelimit-remaining")]),
                            Extract("retry", "retry-after", from: [.header("retry-after")])],
                  checks: ["wait for the window to reset (Retry-After, X-RateLimit-Reset) and slow the client down",
                           "the API's documentation for the limit per key or per address; a key of its own raises it"],
                  specificity: 25),
    ]
}
