import Why403Core

/// aiohttp's server answering for the application: an `HTTPForbidden` / `HTTPUnauthorized` / `HTTPTooManyRequests` raised
/// without a text sends the status and reason alone as the body, "403: Forbidden" (0.21-3.x), and `Server: Python/3.x
/// aiohttp/3.x`; from its source (`Benchmarks/field/documented/servers-2.json`).
enum AioHTTP {
    static let signatures: [Signature] = [
        Signature(id: "aiohttp-error-text", product: "aiohttp", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.bodyIs("403: Forbidden"), .bodyIs("401: Unauthorized"), .bodyIs("429: Too Many Requests")])],
                  summary: "the aiohttp application refused the request itself (\"{text}\": a web.HTTP… exception raised without a message)",
                  extract: [Extract("text", "body", from: [.bodyLine])],
                  checks: ["the handler or middleware that raised it (an auth middleware, aiohttp-security's check_permission, a rate limiter): the application's log names it"],
                  variants: [
                      Variant("text", ["429*"], cause: .rateLimit, confidence: .likely,
                              summary: "the aiohttp application's own rate limit refused the request (\"429: Too Many Requests\")"),
                  ],
                  specificity: 55),
    ]
}
