import Why403Core

/// Apache APISIX: its plugins answer for the gateway with a one-key JSON body, `{"message": "…"}` from the
/// authentication and restriction plugins (key-auth "Missing API key found in request" / "Invalid API key in request",
/// basic-auth and ldap-auth "Missing authorization in request", jwt-auth "Missing JWT token in request" / "JWT token
/// invalid" / "failed to verify jwt", wolf-rbac "Missing rbac token in request", every credential plugin "Invalid user
/// authorization" for a credential no consumer owns, referer-restriction "Your referer host is not allowed",
/// ip-restriction "Your IP address is not allowed", consumer-restriction "The consumer_name is forbidden." / "The service_id is forbidden.", hmac-auth "client request can't
/// be validated"), and
/// `{"error_msg": "…"}` from the limiters and uri-blocker when a `rejected_msg` is configured (without one they answer
/// the bare status). Its own answers carry `Server: APISIX/<version>` (unless the server-info is hidden).
/// A plugin that answers with a bare status gets OpenResty's stock page, to which APISIX's runtime adds "Powered by APISIX".
/// The sentences are those of APISIX's plugin sources (apisix/plugins/*.lua, back to 0.7 where the wording changed).
enum APISIX {
    /// The plugins' whole sentences, inside the `{"message": …}` envelope.
    static let sentences: [Condition] = [
        .body("Missing API key found in request"), .body("Missing API key in request"), .body("Invalid API key in request"),
        .body("Missing authorization in request"), .body("Invalid authorization in request"), .body("Invalid user authorization"),
        .body("Missing JWT token in request"), .body("Missing rbac token in request"), .body("invalid rbac token"),
        .body("Missing related consumer"), .body("Your referer host is not allowed"), .body("Your IP address is not allowed"),
        .body("_name is forbidden."), .body("_id is forbidden."),
        // hmac-auth's refusal of a request whose signature it cannot check
        .body("client request can't be validated"), .body("failed to verify jwt"),
        // jwt-auth on a token it cannot use, wolf-rbac on a token for another app (apisix/plugins/jwt-auth.lua, wolf-rbac.lua, 3.18)
        .body("JWT token invalid"), .body("user key in JWT token"), .body("Invalid appid in rbac token"),
        // consumer-restriction: 3.5+ on a request no authentication plugin identified, 1.4-3.4 the same, 1.4-1.5 a consumer
        // not on its lists
        .body("The request is rejected, please check the "), .body("Missing authentication or identity verification"),
        .body("The consumer is not allowed"),
        // older wordings: basic-auth 1.1-2.13 ("Invalid user key in authorization", "Password is error"), the X-HMAC-*
        // hmac-auth of 2.0-2.13 ("access key or signature missing", "Clock skew exceeded")
        .body("Invalid user key in authorization"), .body("Password is error"), .body("access key or signature missing"),
        .body("Clock skew exceeded"),
    ]

    /// The line APISIX's runtime (apisix-base / apisix-runtime, api7/apisix-nginx-module's patch) adds to OpenResty's
    /// stock error pages: the page a plugin that answers with a bare status gets (the limiters' 503, uri-blocker's,
    /// opa's and forward-auth's 403, openid-connect's 401).
    static let poweredBy: Condition = .body("Powered by <a href=\"https://apisix.apache.org/\">APISIX</a>")

    /// csrf's refusals, `{"error_msg": …}` (apisix/plugins/csrf.lua, 2.13-3.18).
    static let csrf: [Condition] = [.body("no csrf token in headers"), .body("no csrf cookie"), .body("csrf token mismatch"),
                                    .body("Failed to verify the csrf token signature")]

    static let signatures: [Signature] = [
        Signature(id: "apisix", product: "Apache APISIX", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429, 503],
                  when: [.any([.headerContains("server", "apisix"), poweredBy,
                               .all([.jsonKey(["error_msg"]), .any(csrf)]),
                               // the chaitin-waf plugin's verdict headers on the answer it made (SafeLine refused the request)
                               .header("x-apisix-chaitin-waf-action"),
                               // the workflow plugin's default refusal
                               .all([.jsonKey(["error_msg"]), .body("rejected by workflow")]),
                               .all([.jsonKey(["message"]), .not(.body("\"error\"")), .any(sentences)])])],
                  summary: "Apache APISIX refused the request itself (a plugin answered, the upstream was not called)[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .json("error_msg")]),
                            Extract("chaitin", "SafeLine action", from: [.header("x-apisix-chaitin-waf-action")]),
                            Extract("event", "SafeLine event id", from: [.json("event_id")]),
                            Extract("server", "Server", from: [.header("server")])],
                  checks: ["the route's plugins (`curl http://127.0.0.1:9180/apisix/admin/routes/<id> -H 'X-API-KEY: …'`): key-auth, basic-auth, jwt-auth, ip-restriction, referer-restriction, consumer-restriction, limit-count, limit-req",
                           "APISIX's error.log at the time of the request names the plugin that answered"],
                  variants: [
                      Variant("chaitin", ["reject*"], cause: .wafRule, confidence: .certain,
                              summary: "Chaitin SafeLine, called by APISIX's chaitin-waf plugin, rejected the request[ (event {event})]",
                              checks: ["SafeLine's console: the event id names the detection that matched",
                                       "the chaitin-waf plugin's match rules on the route decide which requests are sent to SafeLine"]),
                      Variant("msg", ["rejected by workflow*"], cause: .accessDeny, confidence: .likely,
                              summary: "Apache APISIX's workflow plugin refused the request: one of its rules' `return` action matched",
                              checks: ["the route's workflow plugin rules: the case whose vars match this request and its return action"]),
                      // a credential whose consumer is gone: sent, but no consumer owns it
                      Variant("msg", ["Missing related consumer*"], cause: .authInvalid, confidence: .likely,
                              summary: "Apache APISIX found no consumer for the credential sent ({msg})"),
                      // a JWT was sent, but its payload has no (or an unknown) `key` claim naming a consumer
                      Variant("msg", ["*user key in JWT token*"], cause: .authInvalid, confidence: .certain,
                              summary: "Apache APISIX's jwt-auth plugin could not find the consumer the JWT names in its `key` claim ({msg})",
                              checks: ["the token's payload must carry `key` (the consumer's jwt-auth key) and be signed with that consumer's secret"]),
                      // consumer-restriction saw no consumer: no authentication plugin ran before it, or none identified the client
                      Variant("msg", ["The request is rejected, please check the*", "Missing authentication or identity verification*"],
                              cause: .authMissing, confidence: .likely,
                              summary: "Apache APISIX's consumer-restriction plugin found no identified consumer on the request ({msg})",
                              checks: ["an authentication plugin (key-auth, jwt-auth, basic-auth, ...) must run on the route and identify the consumer before consumer-restriction"]),
                      Variant("msg", ["The consumer is not allowed*"], cause: .authRole, confidence: .certain,
                              summary: "Apache APISIX's consumer-restriction plugin refused the identified consumer ({msg})"),
                      Variant("msg", ["access key or signature missing*"], cause: .authMissing, confidence: .certain,
                              summary: "Apache APISIX's hmac-auth plugin found no access key or signature on the request ({msg})"),
                      Variant("msg", ["Clock skew exceeded*"], cause: .authInvalid, confidence: .certain,
                              summary: "Apache APISIX's hmac-auth plugin refused the signature's timestamp: outside its clock_skew ({msg})",
                              checks: ["the client's clock and the X-HMAC-... date it signs: the plugin's clock_skew (seconds) bounds the difference"]),
                      Variant("msg", ["*csrf*"], cause: .unknown, confidence: .certain,
                              summary: "Apache APISIX's csrf plugin refused the request: its CSRF token check failed ({msg})",
                              checks: ["a state-changing request must carry the token of the `apisix-csrf-token` cookie (the plugin's `name`) in the header of the same name, unchanged"]),
                      Variant("msg", ["Missing *"], cause: .authMissing, confidence: .certain,
                              summary: "Apache APISIX's authentication plugin found no credential where it reads one ({msg})",
                              checks: ["send the credential where the plugin reads it: key-auth the `apikey` header (or its configured header/query), basic-auth and ldap-auth an Authorization: Basic header, jwt-auth an Authorization: Bearer header"]),
                      Variant("msg", ["Invalid API key*", "Invalid authorization*", "Invalid user authorization*", "JWT token invalid*",
                                      "failed to verify jwt*", "invalid rbac token*", "Invalid appid in rbac token*", "Invalid user key in authorization*",
                                      "Password is error*"], cause: .authInvalid, confidence: .certain,
                              summary: "Apache APISIX's authentication plugin did not accept the credential sent ({msg})",
                              checks: ["the consumer that should own the credential (`/apisix/admin/consumers/<name>` and its credentials): the key, password or JWT secret must match"]),
                      Variant("msg", ["*referer host is not allowed*"], cause: .hotlinkReferer, confidence: .certain,
                              summary: "Apache APISIX's referer-restriction plugin refused the request's Referer ({msg})"),
                      Variant("msg", ["*IP address is not allowed*"], cause: .accessIP, confidence: .certain,
                              summary: "Apache APISIX's ip-restriction plugin refused the client address ({msg})"),
                      // 3.11+ says why when the header is absent
                      Variant("msg", ["client request can't be validated: missing Authorization header*"], cause: .authMissing, confidence: .certain,
                              summary: "Apache APISIX's hmac-auth plugin found no signed Authorization header on the request ({msg})"),
                      Variant("msg", ["client request can't be validated*"], cause: .authInvalid, confidence: .certain,
                              summary: "Apache APISIX's hmac-auth plugin could not validate the request's signature ({msg})"),
                      Variant("msg", ["*_name is forbidden.*", "*_id is forbidden.*"], cause: .authRole, confidence: .certain,
                              summary: "Apache APISIX's consumer-restriction plugin refused the identified consumer ({msg})"),
                      // a limiter's configured rejected_msg
                      Variant("msg", ["*too many*", "*rate limit*", "*try again later*"], cause: .rateLimit, confidence: .likely,
                              summary: "Apache APISIX's rate limiter (limit-count, limit-req or limit-conn) refused the request ({msg})",
                              checks: ["the route's limit-count / limit-req / limit-conn settings (count, time_window, rate, key) and the consumer they key on"]),
                  ],
                  specificity: 70),
        // The limiters (limit-count, limit-req, limit-conn) refuse with 503 by default (rejected_code) and no body of their
        // own: OpenResty's stock 503 page under APISIX's Server header. An upstream that fails is a 502/504, not this.
        Signature(id: "apisix-limit-503", product: "Apache APISIX", layer: .apiGateway, cause: .rateLimit, confidence: .possible,
                  statuses: [503],
                  when: [.any([.headerContains("server", "apisix"), poweredBy]), .not(.body("\"error_msg\""))],
                  summary: "Apache APISIX answered 503 itself: the default refusal of its limit-count, limit-req and limit-conn plugins (rejected_code 503)",
                  checks: ["the route's limit-count / limit-req / limit-conn settings (count, time_window, rate, key): their rejected_code defaults to 503",
                           "APISIX's error.log at the time: a limiter's refusal, or another plugin's 503"],
                  specificity: 71),
    ]
}
