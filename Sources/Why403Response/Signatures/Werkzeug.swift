import Why403Core

/// Werkzeug (Flask and the applications built on it) answering for the application: its default error page, an HTML
/// 3.2 document `<title>403 Forbidden</title><h1>Forbidden</h1><p>You don't have the permission to access the requested
/// resource. It is either read-protected or not readable by the server.</p>` — the words differ from Apache's
/// ("…access the requested object…", "You don't have permission to access …").
enum Werkzeug {
    static let signatures: [Signature] = [
        Signature(id: "werkzeug-forbidden", product: "Werkzeug (Flask)", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [403],
                  when: [.body("You don't have the permission to access the requested resource")],
                  summary: "the Flask/Werkzeug application refused the request itself (its default 403 page: the view called abort(403) or raised Forbidden)",
                  checks: ["the view's own checks (a login or role decorator such as Flask-Login's, Flask-AppBuilder's permissions) decide this answer; the application's log shows which"],
                  specificity: 60),
        // The same error pages for 401 and 429 (werkzeug.exceptions.Unauthorized, TooManyRequests; 0.15-3.1, rendered)
        Signature(id: "werkzeug-error-page", product: "Werkzeug (Flask)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 429],
                  when: [.any([.body("The server could not verify that you are authorized to access the URL requested"),
                               .body("This user has exceeded an allotted request count")])],
                  summary: "the Flask/Werkzeug application refused the request itself (its default error page)[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "<p>", chars: .line)]),
                            Extract("limited", "429", from: [.body(after: "exceeded an allotted request count", chars: .line)])],
                  checks: ["the view or extension that answered (Flask-Login, Flask-HTTPAuth, Flask-Limiter): the application's log shows which"],
                  variants: [
                      Variant("limited", ["*"], cause: .rateLimit, confidence: .certain,
                              summary: "the Flask/Werkzeug application's rate limit refused the request (\"This user has exceeded an allotted request count\")",
                              checks: ["the limits of the application's limiter (Flask-Limiter's decorators and default_limits) and its key (the client address behind a proxy: ProxyFix)"]),
                  ],
                  specificity: 60),
    ]
}
