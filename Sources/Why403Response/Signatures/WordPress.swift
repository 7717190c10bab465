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
                            Extract("msg", "message", from: [.json("message")])],
                  checks: ["the code names the check that failed: rest_forbidden / rest_cannot_* is a capability the user lacks, rest_not_logged_in no authentication, a plugin's *_invalid_token its own token check",
                           "with application passwords or a plugin token: is the credential sent in the header the plugin reads, and does the server pass Authorization to PHP (CGI/FastCGI setups drop it)"],
                  variants: [
                      Variant("code", ["rest_not_logged_in"], cause: .authMissing, confidence: .certain,
                              summary: "WordPress's REST API saw no logged-in user (rest_not_logged_in)"),
                      Variant("code", ["*invalid_token*", "*invalid_key*", "*incorrect_password*"], cause: .authInvalid, confidence: .likely,
                              summary: "WordPress's REST API (or the plugin behind it) rejected the credential sent: {code}"),
                      Variant("code", ["rest_forbidden*", "rest_cannot_*"], cause: .authRole, confidence: .possible,
                              summary: "WordPress's REST API refused: the user lacks the capability for this ({code})"),
                  ],
                  specificity: 35),
    ]
}
