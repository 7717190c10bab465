import Why403Core

/// Tornado answering for the application: `RequestHandler.write_error`'s default page, the whole body
/// `<html><title>403: Forbidden</title><body>403: Forbidden</body></html>` (2.x-6.x; also what `@tornado.web.authenticated`
/// and the XSRF check send), from its source (`Benchmarks/field/documented/servers-2.json`).
enum Tornado {
    static let signatures: [Signature] = [
        Signature(id: "tornado-error-page", product: "Tornado", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.bodyIs("<html><title>403: Forbidden</title><body>403: Forbidden</body></html>"),
                               .bodyIs("<html><title>401: Unauthorized</title><body>401: Unauthorized</body></html>"),
                               .bodyIs("<html><title>429: Too Many Requests</title><body>429: Too Many Requests</body></html>")])],
                  summary: "the Tornado application refused the request itself (its default error page)[: {title}]",
                  extract: [Extract("title", "title", from: [.xml("title")])],
                  checks: ["the handler's own checks decide this answer: `@tornado.web.authenticated` (no user: 403 for a non-GET, a redirect to login_url for GET), the XSRF check (`xsrf_cookies`: a POST without the _xsrf argument or X-XSRFToken header), or a `raise HTTPError(403)` in the handler; the application's log names the reason"],
                  variants: [
                      Variant("title", ["429*"], cause: .rateLimit, confidence: .likely,
                              summary: "the Tornado application answered 429 with its default error page: its own rate limit refused the request"),
                  ],
                  specificity: 58),
    ]
}
