import Why403Core

/// Laravel answering for the application: its ThrottleRequests middleware's "Too Many Attempts." (JSON through the
/// exception handler, or before 5.5 the text alone); from its sources (`Benchmarks/field/documented/frameworks.json`).
enum Laravel {
    static let signatures: [Signature] = [
        Signature(id: "laravel-throttle", product: "Laravel (ThrottleRequests)", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.bodyIs("Too Many Attempts."), .body("\"message\": \"Too Many Attempts.\""), .body("\"message\":\"Too Many Attempts.\"")])],
                  summary: "the Laravel application's throttle middleware held the client back (\"Too Many Attempts.\")[; retry after {retry} s]",
                  extract: [Extract("retry", "Retry-After", from: [.header("retry-after")])],
                  checks: ["the route's throttle middleware (throttle:60,1 or a named RateLimiter in a service provider) and the key it counts by: behind a proxy, TrustProxies must be set or every client shares the proxy's address"],
                  specificity: 60),
    ]
}
