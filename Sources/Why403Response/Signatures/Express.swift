import Why403Core

/// Express answering for the application with its default error handler (finalhandler, Express 4-5): a small HTML document
/// `<title>Error</title>` whose only content is `<pre>Forbidden</pre>` (the status's name, or the error's message outside
/// production). An application's `res.sendStatus(403)` writes the bare word instead, which names nothing.
enum Express {
    static let signatures: [Signature] = [
        Signature(id: "express-default-error", product: "Express (finalhandler)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.body("<title>Error</title>"), .any([.body("<pre>Forbidden</pre>"), .body("<pre>Unauthorized</pre>"), .body("<pre>Too Many Requests</pre>")])],
                  summary: "the Express application refused the request itself (its default error handler's page)[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "<pre>", chars: .line)])],
                  checks: ["the route's middleware that called next(err) with this status (an authentication middleware such as passport, a rate limiter): the application's log shows which"],
                  variants: [
                      Variant("msg", ["Too Many Requests*"], cause: .rateLimit, confidence: .likely,
                              summary: "the Express application's rate limiter refused the request (its default error page: Too Many Requests)"),
                  ],
                  specificity: 55),
        // express-rate-limit's default handler (its `message` option's default since 2.x): the plain sentence, or the same
        // sentence as a JSON string when the application returns it so.
        Signature(id: "express-rate-limit", product: "express-rate-limit", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.body("Too many requests, please try again later.")],
                  summary: "the Node.js application's rate limiter (express-rate-limit) held the client back[ (limit {limit})]",
                  extract: [Extract("limit", "limit", from: [.header("ratelimit-limit"), .header("x-ratelimit-limit")]),
                            Extract("reset", "reset", from: [.header("ratelimit-reset"), .header("x-ratelimit-reset"), .header("retry-after")])],
                  checks: ["the application's rateLimit({ windowMs, limit }) options and its keyGenerator: behind a proxy Express must trust it (app.set('trust proxy', …)) or every client shares the proxy's address"],
                  specificity: 58),
    ]
}
