import Why403Core

/// Dropbox's API answering for itself (the `application` layer, behind its Envoy front: `server: envoy`):
/// `X-Dropbox-Request-Id`, `WWW-Authenticate: Bearer realm="Dropbox-API"` without an error parameter,
/// and a body `{"error_summary": "invalid_access_token/...", "error": {".tag": "invalid_access_token"}}`
/// whose tag says which refusal it is (so the bare challenge does not decide the cause).
enum Dropbox {
    static let signatures: [Signature] = [
        Signature(id: "dropbox-api-error", product: "Dropbox API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 409, 429],
                  when: [.any([.header("x-dropbox-request-id"), .headerContains("www-authenticate", "Dropbox-API")]),
                         .any([.body("\"error_summary\""), .body("\".tag\"")])],
                  summary: "Dropbox's API refused[: {tag}][ (request id {reqid})]",
                  extract: [Extract("tag", "error", from: [.body(after: "\"error_summary\": \"", chars: .identifier), .body(after: "\"error_summary\":\"", chars: .identifier),
                                                           .body(after: "\".tag\": \"", chars: .identifier)]),
                            Extract("reqid", "request id", from: [.header("x-dropbox-request-id")])],
                  lookup: "[Dropbox support finds the request by X-Dropbox-Request-Id {reqid}]",
                  variants: [
                      Variant("tag", ["invalid_access_token*", "expired_access_token*", "invalid_select_user*"], cause: .authInvalid, confidence: .certain,
                              summary: "Dropbox's API rejected the access token ({tag})",
                              checks: ["short-lived tokens expire after hours: refresh with the refresh token, or link the app again"]),
                      Variant("tag", ["missing_scope*"], cause: .authScope, confidence: .certain,
                              summary: "Dropbox's API says the token lacks a scope the endpoint needs ({tag})",
                              checks: ["enable the scope in the App Console's Permissions tab, then authorise the app again (existing tokens keep their old scopes)"]),
                      Variant("tag", ["no_permission*", "access_denied*", "team_folder*", "no_write_permission*"], cause: .authRole, confidence: .likely,
                              summary: "Dropbox's API says the account may not do this ({tag})"),
                      Variant("tag", ["too_many_requests*", "too_many_write_operations*"], cause: .rateLimit, confidence: .certain,
                              summary: "Dropbox's API rate-limited the app ({tag}); wait for Retry-After"),
                  ],
                  specificity: 60),
    ]
}
