import Why403Core

/// Rate limiters that frameworks' applications mount, in their default words (`Benchmarks/field/documented/servers-2.json`,
/// from their sources): koa-ratelimit's and @fastify/rate-limit's "Rate limit exceeded, retry in …", actix-governor's
/// "Too many requests, retry in Ns", chi's Throttle "Server capacity exceeded." (429 from v5, 503 before).
enum FrameworkRateLimiters {
    static let signatures: [Signature] = [
        Signature(id: "framework-rate-limiter", product: "an application's rate limiter (koa-ratelimit, @fastify/rate-limit, actix-governor, chi)",
                  layer: .application, cause: .rateLimit, confidence: .likely,
                  statuses: [429, 503],
                  when: [.any([.body("Rate limit exceeded, retry in "), .body("Too many requests, retry in "), .bodyIs("Server capacity exceeded.")])],
                  summary: "the application's rate limiter refused the request[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .bodyLine])],
                  checks: ["the limiter's window and maximum in the application (koa-ratelimit's duration/max, @fastify/rate-limit's timeWindow/max, actix-governor's per_second/burst_size, chi's Throttle limit) and its key (the client address behind a proxy)"],
                  specificity: 56),
    ]
}
