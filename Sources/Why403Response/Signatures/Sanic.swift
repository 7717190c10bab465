import Why403Core

/// Sanic answering for the application: its default error text `⚠️ 403 — Forbidden` underlined with `=` (20.9+) and its
/// JSON `{"description":"Forbidden","status":403,"message":"Forbidden"}`; from its source (`Benchmarks/field/documented/servers-2.json`).
enum Sanic {
    static let signatures: [Signature] = [
        Signature(id: "sanic-error", product: "Sanic", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("⚠️ 403 — Forbidden"), .body("⚠️ 401 — Unauthorized"), .body("⚠️ 429 — Too Many Requests"),
                               .all([.body("\"description\":"), .body("\"status\":"), .body("\"message\":"),
                                     .any([.body("\"description\":\"Forbidden\""), .body("\"description\":\"Unauthorized\""),
                                           .body("\"description\": \"Forbidden\""), .body("\"description\": \"Unauthorized\"")])])])],
                  summary: "the Sanic application refused the request itself (its default error response)",
                  checks: ["the handler or middleware that raised Forbidden / Unauthorized (sanic-ext's auth, a decorator): the application's log names it"],
                  specificity: 58),
    ]
}
