import Why403Core

/// Slack's Web API answers most refusals with HTTP 200 and `{"ok": false, "error": "<code>"}`: the code is the refusal
/// (`not_authed` no token, `invalid_auth` a token Slack does not accept, `missing_scope` with `needed`, `ratelimited`).
/// The workspace's own refusals, from the "Errors" tables of the methods' reference pages (chat.postMessage and
/// others): `team_access_not_granted` (the token is not granted the workspace's access), `accesslimited`
/// ("Access to this method is limited on the current network"), `ekm_access_denied` ("Administrators have suspended
/// the ability to post a message"), `restricted_action` ("A workspace preference prevents the authenticated user from
/// posting") and its `restricted_action_*` channel forms. (Not `no_permission`: other APIs write `{"ok": false, "error":
/// "no_permission"}` too, and it would name Slack for them.)
enum Slack {
    static let signatures: [Signature] = [
        Signature(id: "slack-api-error", product: "Slack Web API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [200, 401, 403, 429],
                  // (Python's slack_sdk prints the answer as a dict: `{'ok': False, 'error': 'missing_scope', …}`)
                  when: [.any([.body("\"ok\":false"), .body("\"ok\": false"), .body("'ok': False")]),
                         .any(["not_authed", "invalid_auth", "token_revoked", "token_expired", "account_inactive", "missing_scope",
                               "not_allowed_token_type", "ratelimited", "access_denied", "team_access_not_granted",
                               "accesslimited", "ekm_access_denied", "restricted_action", "restricted_action_read_only_channel",
                               "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel"].flatMap {
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
                      Variant("error", ["team_access_not_granted"], cause: .authRole, confidence: .likely,
                              summary: "the token is valid but not granted this workspace (team_access_not_granted)",
                              checks: ["install the app in the workspace the token is used on (Enterprise Grid: an org admin grants an org-wide app each workspace)"]),
                      Variant("error", ["accesslimited"], cause: .accessIP, confidence: .likely,
                              summary: "Slack refused the method from this network (accesslimited): the workspace limits it to allowed IP ranges",
                              checks: ["the workspace's or app's allowed IP address ranges (app settings: OAuth & Permissions, Restrict API Token Usage)"]),
                      Variant("error", ["ekm_access_denied", "restricted_action*"], cause: .appForbidden, confidence: .likely,
                              summary: "the workspace's administrators do not allow this ({error})",
                              checks: ["a workspace or channel setting (posting permissions, a read-only or thread-only channel, Enterprise Key Management) forbids the action: ask the workspace admin"]),
                  ],
                  specificity: 70),
    ]
}
