import Why403Core

/// Kong Gateway: its plugins answer for it (key-auth, basic-auth, hmac-auth, acl, rate-limiting) with a
/// one-key JSON body `{"message": "…"}`, and Kong marks its own answers with `Server: kong/<version>` and
/// `X-Kong-Response-Latency` (a proxied answer carries `X-Kong-Upstream-Latency` and `Via: kong/…` instead).
enum Kong {
    static let signatures: [Signature] = [
        Signature(id: "kong-gateway", product: "Kong Gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.headerContains("server", "kong/"), .header("x-kong-response-latency"),
                               // key-auth's own sentence, in Kong's {"message": …} envelope
                               .body("No API key found in headers or querystring"), .body("No API key found in request")]),
                         .not(.header("x-kong-upstream-latency"))],
                  summary: "Kong Gateway refused the request itself (a plugin answered, the upstream service was not called)[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            Extract("server", "Server", from: [.header("server")])],
                  checks: ["the route's and service's plugins (Kong Manager, or `curl :8001/routes/<route>/plugins`): key-auth, basic-auth, jwt, hmac-auth, acl, rate-limiting, ip-restriction",
                           "Kong's access log entry for the request: the consumer it resolved (none for a missing or unknown credential)"],
                  variants: [
                      Variant("msg", ["No API key found*"], cause: .authMissing, confidence: .certain,
                              summary: "Kong's key-auth plugin found no API key in the headers or query string it is configured to read (config.key_names)"),
                      Variant("msg", ["*rate limit exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "Kong's rate-limiting plugin refused the request: {msg}"),
                  ],
                  specificity: 70),
    ]
}
