import Why403Core

/// OAuth2 Proxy (oauth2-proxy): the authenticating reverse proxy in front of an application (alone, or as nginx's
/// `auth_request` / Traefik's ForwardAuth). Its error page (pkg/app/pagewriter/error.html) has the title
/// `<status> <title>`, the footer "Secured with OAuth2 Proxy version …" and, for 403, "You do not have permission to access
/// this resource."; its sign-in form posts to `<prefix>/sign_in` (`/oauth2/sign_in`). The first versions (before 2020)
/// answered a login refused by the allowed-domain/group check with the page "Permission Denied" / "Invalid Account".
/// report-v1 has no layer id for an authenticating proxy: the refusal is the application's access layer.
enum OAuth2Proxy {
    static let signatures: [Signature] = [
        Signature(id: "oauth2-proxy", product: "OAuth2 Proxy", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.all([.body("Secured with"), .body("OAuth2 Proxy")]),
                               .body("/oauth2/sign_in"),
                               // the old page's title and message together
                               .all([.body("Permission Denied"), .body("Invalid Account")]),
                               // the page's 403 sentence, as its title renders it ("403 Forbidden" / "403: You do not …")
                               .all([.body("403"), .body("You do not have permission to access this resource.")]),
                               .all([.body("401"), .body("You need to be logged in to access this resource.")])])],
                  summary: "OAuth2 Proxy, in front of the application, refused the request[ (request id {reqid})]",
                  extract: [Extract("reqid", "request id", from: [.body(after: "Request ID:", chars: .identifier)])],
                  checks: ["OAuth2 Proxy's log for the request (with --request-id-header): it names the check that refused (email domain, allowed groups or roles, a CSRF cookie missing on the callback)",
                           "the proxy's allow-lists: --email-domain, --allowed-group, --allowed-role, --authenticated-emails-file, and the groups/roles claims the provider actually sends for this user"],
                  specificity: 60),
    ]
}
