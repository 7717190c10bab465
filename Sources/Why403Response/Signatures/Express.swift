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
    ]
}
