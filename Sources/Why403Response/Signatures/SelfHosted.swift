import Why403Core

/// Self-hosted platforms answering for themselves (the `application` layer), in their own words as their sources write
/// them (`Benchmarks/field/documented/self-hosted.json`):
/// - Apache CouchDB's `{"error": "unauthorized" | "forbidden", "reason": "…"}` (chttpd_auth, couch_httpd_auth): 401 for a
///   request it did not authenticate, also for an anonymous caller at an admin-only endpoint ("You are not a server
///   admin."), 403 for a known user outside a database's members;
/// - RabbitMQ's management API `{"error": "not_authorised", "reason": "Not management user"}` (rabbit_mgmt_util), 401 for
///   every refusal, wrong credentials (`not_authorized` / `Not_Authorized`) and missing permissions alike;
/// - Gogs' Git over HTTP (routes/repo/http.go), plain text.
enum SelfHosted {
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
        Signature(id: "rabbitmq-management-refused", product: "RabbitMQ management API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.jsonKey(["reason"]), .any([.body("\"not_authorised\""), .body("\"not_authorized\"")])],
                  summary: "RabbitMQ's management API refused: {reason}",
                  extract: [Extract("reason", "reason", from: [.json("reason")])],
                  checks: ["rabbitmqctl list_users shows the user's tags (management, monitoring, administrator); rabbitmqctl list_user_permissions USER its virtual hosts"],
                  variants: [
                      Variant("reason", ["Not_Authorized*"], cause: .authInvalid, confidence: .likely,
                              summary: "RabbitMQ did not accept the user name and password (Not_Authorized)"),
                      Variant("reason", ["User can only log in via localhost*"], cause: .accessIP, confidence: .certain,
                              summary: "RabbitMQ lets this user log in only from localhost (loopback_users: the default guest user)",
                              fixes: [Fix(summary: "create a user of your own (rabbitmqctl add_user, set_user_tags … management, set_permissions), or list it out of loopback_users")]),
                      Variant("reason", ["Not management user*", "Not administrator user*", "Not monitor user*", "User not authorised to access*"], cause: .authRole, confidence: .certain,
                              summary: "RabbitMQ knows the user but it lacks the tag or permission this call needs ({reason})",
                              checks: ["rabbitmqctl set_user_tags USER management (or monitoring, administrator); rabbitmqctl set_permissions -p VHOST USER '.*' '.*' '.*'"]),
                      Variant("reason", ["HTTP access denied: basic auth disabled*"], cause: .authInvalid, confidence: .certain,
                              summary: "RabbitMQ's management API takes no Basic credentials here (management.disable_basic_auth): use the OAuth 2.0 token it expects"),
                  ],
                  specificity: 62),
        Signature(id: "gogs-git-http", product: "Gogs (Git over HTTP)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.bodyIs("User permission denied"), .bodyIs("Mirror repository is read-only"),
                               .bodyIs("Interacting with repositories by HTTP protocol is disabled"),
                               .body("User with two-factor authentication enabled cannot perform HTTP/HTTPS operations via plain username and password")])],
                  summary: "the Git server (Gogs) refused the Git operation over HTTP",
                  extract: [Extract("perm", "permission", from: [.body(after: "User permission", chars: .line)]),
                            Extract("mirror", "mirror", from: [.body(after: "Mirror repository", chars: .line)]),
                            Extract("http", "HTTP", from: [.body(after: "by HTTP protocol", chars: .line)]),
                            Extract("tfa", "two-factor", from: [.body(after: "two-factor authentication enabled", chars: .line)])],
                  variants: [
                      Variant("perm", ["*denied*"], cause: .authRole, confidence: .certain,
                              summary: "Gogs knows the user but it may not do this to the repository (User permission denied): a push needs write access",
                              checks: ["the repository's Collaborators (or the organisation team) must give the user write access for a push, read for a private clone"]),
                      Variant("mirror", ["*read-only*"], cause: .accessDeny, confidence: .certain,
                              summary: "the repository is a mirror, which Gogs keeps read-only: nobody can push to it"),
                      Variant("http", ["*disabled*"], cause: .accessDeny, confidence: .certain,
                              summary: "Git over HTTP is turned off on this Gogs server (DISABLE_HTTP_GIT): clone over SSH"),
                      Variant("tfa", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "the account has two-factor authentication, so Gogs refuses its password over HTTP: use a personal access token",
                              fixes: [Fix(summary: "create a personal access token (user settings > Applications) and use it as the password")]),
                  ],
                  specificity: 60),
    ]
}
