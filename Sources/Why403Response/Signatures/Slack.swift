import Why403Core

/// Slack's Web API answers most refusals with HTTP 200 and `{"ok": false, "error": "<code>"}`: the code is the refusal
/// (`not_authed` no token, `invalid_auth` a token Slack does not accept, `missing_scope` with `needed`, `ratelimited`).
enum Slack {
    static let signatures: [Signature] = [
        Signature(id: "slack-api-error", product: "Slack Web API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [200, 401, 403, 429],
                  // (Python's slack_sdk prints the answer as a dict: `{'ok': False, 'error': 'missing_scope', …}`)
                  when: [.any([.body("\"ok\":false"), .body("\"ok\": false"), .body("'ok': False")]),
                         .any(["not_authed", "invalid_auth", "token_revoked", "token_expired", "account_inactive", "missing_scope",
                               "not_allowed_token_type", "ratelimited", "access_denied"].flatMap {
                             [Condition.body("\"error\":\"\($0)\""), .body("\"error\": \"\($0)\""), .body("'error': '\($0)'")] })],
                  summary: "Slack's Web API refused the call ({error})",
                  extract: [Extract("error", "error", from: [.json("error"), .body(after: "'error': '", chars: .identifier)]),
                            Extract("needed", "needed scope", from: [.json("needed"), .body(after: "'needed': '", chars: .identifier)]),
                            Extract("reqid", "x-slack-req-id", from: [.header("x-slack-req-id")])],
                  checks: ["the error code names the refusal (api.slack.com/methods/<method>#errors); the token's type and scopes: `curl -H 'Authorization: Bearer TOKEN' https://slack.com/api/auth.test`"],
                  variants: [
                      Variant("error", ["not_authed"], cause: .authMissing, confidence: .certain,
                              summary: "Slack got no token with the call (not_authed)",
                              checks: ["send the token as `Authorization: Bearer xoxb-…` (or the `token` form field on a form-encoded POST)"]),
                      Variant("error", ["invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_allowed_token_type"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "Slack did not accept the token sent ({error})"),
                      Variant("error", ["missing_scope"], cause: .authScope, confidence: .certain,
                              summary: "the Slack token lacks a scope this method needs[ ({needed})]",
                              checks: ["add the scope in the app's OAuth & Permissions page and reinstall the app to get a token with it"]),
                      Variant("error", ["ratelimited"], cause: .rateLimit, confidence: .certain,
                              summary: "Slack rate-limited the method (ratelimited): wait Retry-After seconds"),
                  ],
                  specificity: 70),
    ]
}
