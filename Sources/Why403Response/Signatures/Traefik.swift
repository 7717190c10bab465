import Why403Core

/// Traefik: its BasicAuth middleware answers a request without valid credentials with a plain-text
/// `401 Unauthorized` and `WWW-Authenticate: Basic realm="traefik"` (the default realm, kept unless the
/// middleware sets `realm`). Its rateLimit middleware answers 429 with `X-Retry-In`. The `server` header
/// hint names Traefik when it is sent.
enum Traefik {
    static let signatures: [Signature] = [
        Signature(id: "traefik-basic-auth", product: "Traefik", layer: .traefik, cause: .unknown, confidence: .likely,
                  statuses: [401], when: [.headerContains("www-authenticate", "realm=\"traefik\"")],
                  summary: "Traefik's BasicAuth middleware refused: the request carried no credentials it accepts (its default realm \"traefik\")",
                  checks: ["the router's middlewares: the basicAuth `users`/`usersFile` entries (htpasswd lines; `$` doubled in docker labels)",
                           "whether the client sent an Authorization header at all (curl -v), and whether a proxy in front strips it"],
                  specificity: 80),
        // Traefik's rateLimit middleware (and the oxy limiter Traefik 1.x used): 429 with `X-Retry-In`, a
        // header of its own beside Retry-After.
        Signature(id: "traefik-rate-limit", product: "Traefik", layer: .traefik, cause: .rateLimit, confidence: .likely,
                  statuses: [429], when: [.header("x-retry-in")],
                  summary: "Traefik's rateLimit middleware refused: the source went over its average/burst[ (retry in {retry})]",
                  extract: [Extract("retry", "X-Retry-In", from: [.header("x-retry-in")])],
                  checks: ["the router's rateLimit middleware: average, period and burst, and its sourceCriterion (the client address, a header, or the host)",
                           "behind another proxy every client may share one address: set sourceCriterion.ipStrategy.depth or requestHeaderName"],
                  fixes: [Fix(summary: "wait X-Retry-In, then slow the client down; or raise average/burst for this router")],
                  specificity: 70),
        // Traefik's limiters in their own words (pkg/middlewares): ratelimit's refusal of a request its burst cannot take
        // ("No bursty traffic allowed"), inFlightReq's ("max connections reached: N"), and the oxy rate limiter of Traefik 1.x
        // ("max rate reached: retry-in 1s").
        Signature(id: "traefik-limiter-text", product: "Traefik", layer: .traefik, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.body("No bursty traffic allowed"), .body("max connections reached: "), .body("max rate reached: retry-in")]),
                         .not(.body("{")), .not(.body("<"))],
                  summary: "Traefik's rateLimit or inFlightReq middleware refused the request[ (max connections reached: {conns})]",
                  extract: [Extract("conns", "inFlightReq amount", from: [.body(after: "max connections reached:", chars: .digits)])],
                  checks: ["the router's rateLimit (average, period, burst: a burst of 0 refuses any request above the average) or inFlightReq (amount) middleware, and its sourceCriterion"],
                  specificity: 72),
    ]
}
