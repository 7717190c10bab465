import Why403Core

/// Heroku: its router ("vegur") adds `Via: 1.1 vegur` to every response it passes from an app. The
/// router's own errors are 503 "Application Error" pages with an H-code; a 401/403 through it with no
/// page of another product is the app's own answer (often behind Cloudflare, whose headers only say
/// the response passed through it).
enum Heroku {
    static let signatures: [Signature] = [
        Signature(id: "heroku-app", product: "Heroku app", layer: .application, cause: .unknown, confidence: .possible,
                  statuses: [401, 403], when: [.headerContains("via", "vegur")],
                  summary: "the app on Heroku answered itself (the response passed Heroku's router, `Via: 1.1 vegur`); nothing in it says why",
                  extract: [Extract("request", "request id", from: [.header("x-request-id")])],
                  checks: ["the app's log for this request (`heroku logs --tail`, the router line shows status=403 and the request id)",
                           "the app's own rules: authentication, a Referer or User-Agent check, an IP allow-list in middleware"],
                  specificity: 20),
    ]
}
