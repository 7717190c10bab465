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
    ]
}
