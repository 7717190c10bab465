import Why403Core

/// The Slim framework (PHP) answering for the application: its HtmlErrorRenderer's page, `<title>403 Forbidden</title>` with
/// the renderer's own style line `body{margin:0;padding:30px;font:12px/1.5 Helvetica,Arial,Verdana,sans-serif}` (4.0+);
/// from its source (`Benchmarks/field/documented/servers-2.json`).
enum Slim {
    static let signatures: [Signature] = [
        Signature(id: "slim-error-page", product: "Slim Framework", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.body("body{margin:0;padding:30px;font:12px/1.5 Helvetica,Arial,Verdana,sans-serif}"),
                         .any([.body("<title>403 Forbidden</title>"), .body("<title>401 Unauthorized</title>"), .body("<title>429 Too Many Requests</title>")])],
                  summary: "the Slim application refused the request itself (its default error page)[: {title}]",
                  extract: [Extract("title", "title", from: [.xml("title")])],
                  checks: ["the route's middleware that threw HttpForbiddenException / HttpUnauthorizedException: the application's log names it"],
                  specificity: 58),
    ]
}
