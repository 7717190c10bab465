import Why403Core

/// Web frameworks' and their standard middleware's one-line refusals, answering for the application, in their own words
/// as their sources write them (`Benchmarks/field/documented/frameworks.json`): Laravel's ThrottleRequests ("Too Many
/// Attempts.", in JSON or, before 5.5, as text), Go's `http.CrossOriginProtection` (1.25+), Fiber's keyauth middleware.
/// A bare status word ("Unauthorized", "Forbidden") names no framework and is left to the fallback.
enum Frameworks {
    static let signatures: [Signature] = [
        Signature(id: "laravel-throttle", product: "Laravel (ThrottleRequests)", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.bodyIs("Too Many Attempts."), .body("\"message\": \"Too Many Attempts.\""), .body("\"message\":\"Too Many Attempts.\"")])],
                  summary: "the Laravel application's throttle middleware held the client back (\"Too Many Attempts.\")[; retry after {retry} s]",
                  extract: [Extract("retry", "Retry-After", from: [.header("retry-after")])],
                  checks: ["the route's throttle middleware (throttle:60,1 or a named RateLimiter in a service provider) and the key it counts by: behind a proxy, TrustProxies must be set or every client shares the proxy's address"],
                  specificity: 60),
        Signature(id: "go-cross-origin-protection", product: "Go net/http (CrossOriginProtection)", layer: .application, cause: .appForbidden, confidence: .certain,
                  statuses: [403],
                  when: [.body("cross-origin request detected")],
                  summary: "the Go application's cross-origin protection (net/http CrossOriginProtection, Go 1.25+) refused a state-changing request from another origin",
                  extract: [Extract("why", "reason", from: [.body(after: "cross-origin request detected", chars: .line)])],
                  checks: ["a browser's Sec-Fetch-Site: cross-site (or, without it, an Origin unlike the Host) on a POST, PUT, PATCH or DELETE is refused: call from the same origin or add the caller with AddTrustedOrigin",
                           "a proxy that rewrites Host without keeping the Origin consistent fails the fallback check"],
                  specificity: 62),
        Signature(id: "fiber-keyauth", product: "Fiber (keyauth middleware)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401],
                  when: [.any([.bodyIs("missing or malformed API Key"), .bodyIs("Invalid or expired API Key"), .bodyIs("missing or invalid API Key")])],
                  summary: "the Go application's API-key middleware (Fiber keyauth) refused the request: no key it reads, or one it did not accept",
                  extract: [Extract("missing", "message", from: [.body(after: "missing or malformed", chars: .line)]),
                            Extract("invalid", "message", from: [.body(after: "Invalid or expired", chars: .line)])],
                  checks: ["the key's place (KeyLookup: a header such as Authorization: Bearer, a query parameter or a cookie) and its value against the application's validator"],
                  variants: [
                      Variant("missing", ["*"], cause: .authMissing, confidence: .certain,
                              summary: "the Go application's API-key middleware (Fiber keyauth, v2) found no key where it looks (missing or malformed API Key)"),
                      Variant("invalid", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "the Go application's API-key middleware (Fiber keyauth, v2) refused the key sent (Invalid or expired API Key)"),
                  ],
                  specificity: 60),
    ]
}
