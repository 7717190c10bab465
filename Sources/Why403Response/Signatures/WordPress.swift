import Why403Core

/// The WordPress REST API (and plugins that answer through it): `{"code": "rest_forbidden", "message": "…",
/// "data": {"status": 403}}`, the error's code a snake_case id that says what failed.
enum WordPress {
    static let signatures: [Signature] = [
        Signature(id: "wordpress-rest-error", product: "WordPress REST API", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [401, 403],
                  when: [.jsonKey(["code"]), .jsonKey(["data"]), .body("\"status\"")],
                  summary: "WordPress's REST API answered with its own error {code}[: {msg}]",
                  extract: [Extract("code", "code", from: [.json("code")]),
                            Extract("msg", "message", from: [.json("message")]),
                            Extract("status", "status", from: [.json("status")])],
                  checks: ["the code names the check that failed: rest_forbidden / rest_cannot_* is a capability the user lacks, rest_not_logged_in no authentication, a plugin's *_invalid_token its own token check",
                           "with application passwords or a plugin token: is the credential sent in the header the plugin reads, and does the server pass Authorization to PHP (CGI/FastCGI setups drop it)"],
                  variants: [
                      Variant("code", ["rest_not_logged_in"], cause: .authMissing, confidence: .certain,
                              summary: "WordPress's REST API saw no logged-in user (rest_not_logged_in)"),
                      Variant("code", ["*invalid_token*", "*invalid_key*", "*incorrect_password*"], cause: .authInvalid, confidence: .likely,
                              summary: "WordPress's REST API (or the plugin behind it) rejected the credential sent: {code}"),
                      // The cookie authentication's nonce check (wp_rest nonce missing, stale or of another session): "Cookie check failed"
                      // / "Cookie nonce is invalid", in the site's language.
                      Variant("code", ["rest_cookie_invalid_nonce"], cause: .authInvalid, confidence: .certain,
                              summary: "WordPress's REST API refused the cookie session's nonce (rest_cookie_invalid_nonce): the X-WP-Nonce sent is missing, stale, or not this session's",
                              checks: ["the page must send a fresh wp_rest nonce (wp_create_nonce('wp_rest')) in X-WP-Nonce with the logged-in cookies; a page cached by a plugin or CDN serves an expired one"]),
                      // A capability check's refusal carries the status rest_authorization_required_code() chose: 401 when no user is
                      // logged in (no credentials WordPress accepted), 403 when a logged-in user lacks the capability.
                      Variant("status", ["401"], cause: .authMissing, confidence: .likely,
                              summary: "WordPress's REST API saw no logged-in user ({code}, status 401): no credentials it accepts reached it",
                              checks: ["with application passwords: Basic credentials in Authorization, over HTTPS, and the server passing Authorization to PHP (Apache CGI/FastCGI drop it: SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1)",
                                       "with cookies: the logged-in cookies and an X-WP-Nonce"]),
                      Variant("code", ["rest_forbidden*", "rest_cannot_*"], cause: .authRole, confidence: .possible,
                              summary: "WordPress's REST API refused: the user lacks the capability for this ({code})"),
                  ],
                  specificity: 35),
    ]
}
