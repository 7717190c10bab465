import Why403Core

/// Apache CouchDB answering for itself (the `application` layer): `{"error": "unauthorized" | "forbidden", "reason": "…"}`
/// (chttpd_auth, couch_httpd_auth, couch_db), 401 for a request it did not authenticate, also for an anonymous caller at an
/// admin-only endpoint ("You are not a server admin."), 403 for a known user outside a database's members; from its sources
/// (`Benchmarks/field/documented/self-hosted.json`).
enum CouchDB {
    static let signatures: [Signature] = [
        Signature(id: "couchdb-error", product: "Apache CouchDB", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.jsonKey(["reason"]), .any([.body("\"unauthorized\""), .body("\"forbidden\"")]),
                         .any(["Name or password is incorrect", "Authentication required.", "Please login.", "You are not an authenticated user",
                               "You are not authorized to access this db", "You are not allowed to access this db", "You are not a server admin",
                               "You are not a server or db admin", "Account is temporarily locked due to multiple authentication failures",
                               "Token missing"].map { Condition.body($0) })],
                  summary: "CouchDB refused the request: {reason}",
                  extract: [Extract("reason", "reason", from: [.json("reason")])],
                  checks: ["GET /_session with the same credentials shows who CouchDB takes the caller for (userCtx name and roles)",
                           "a database's members and admins: GET /DB/_security"],
                  variants: [
                      Variant("reason", ["Name or password is incorrect*"], cause: .authInvalid, confidence: .certain,
                              summary: "CouchDB did not accept the name and password (Name or password is incorrect)"),
                      Variant("reason", ["Account is temporarily locked*"], cause: .authInvalid, confidence: .likely,
                              summary: "CouchDB locked the account after repeated failed logins (3.4+): wait for the lockout to pass",
                              checks: ["[chttpd_auth_lockout] mode, threshold and max_lifetime in the server's configuration"]),
                      Variant("reason", ["Token missing*", "Token *"], cause: .authInvalid, confidence: .likely,
                              summary: "CouchDB's JWT authentication refused the token ({reason})",
                              checks: ["[jwt_auth] required_claims and the keys in [jwt_keys]; `why403 token TOKEN` shows the claims"]),
                      Variant("reason", ["Authentication required*", "Please login*", "You are not an authenticated user*"], cause: .authMissing, confidence: .likely,
                              summary: "CouchDB wants an authenticated user and found none ({reason})"),
                      Variant("reason", ["You are not allowed to access this db*"], cause: .authRole, confidence: .certain,
                              summary: "CouchDB knows the user but it is not a member of this database (You are not allowed to access this db)",
                              checks: ["GET /DB/_security: add the user's name or one of its roles to members (or admins)"]),
                      Variant("reason", ["You are not authorized to access this db*"], cause: .authMissing, confidence: .likely,
                              summary: "CouchDB refused an anonymous caller at a database with members (You are not authorized to access this db): log in as a member"),
                      Variant("reason", ["You are not a server admin*", "You are not a server or db admin*"], cause: .unknown, confidence: .likely,
                              summary: "CouchDB wants a server (or database) admin here ({reason}): the caller is anonymous or not an admin",
                              checks: ["the admins in the server's [admins] section (or the database's _security admins); CouchDB answers anonymous callers and non-admin users alike"]),
                  ],
                  specificity: 62),
    ]
}
