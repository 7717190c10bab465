import Why403Core

/// Supabase Auth (GoTrue) answering for itself: `{"code":403,"error_code":"bad_jwt","msg":"invalid JWT: …"}` (v2.145+, with
/// `x-sb-error-code`), before that `{"code":401,"msg":"…"}`, and from API version 2024-01-01 `{"code":"bad_jwt","message":"…"}`.
/// Its `error_code` names the refusal: no_authorization (no Bearer token), bad_jwt / session_not_found / session_expired /
/// user_not_found / user_banned (a token or session it does not accept), not_admin / insufficient_aal (a known user without
/// the right), invalid_credentials / email_not_confirmed (a sign-in refused, 400), over_*_rate_limit (429). From GoTrue's
/// source (`Benchmarks/field/documented/identity.json`).
enum Supabase {
    static let codes = ["no_authorization", "bad_jwt", "session_not_found", "session_expired", "user_not_found", "user_banned", "not_admin",
                        "insufficient_aal", "invalid_credentials", "email_not_confirmed", "phone_not_confirmed", "refresh_token_not_found",
                        "refresh_token_already_used", "over_request_rate_limit", "over_email_send_rate_limit", "over_sms_send_rate_limit"]
    /// The codes no other API is known to use, for the newest envelope (`{"code":"bad_jwt","message":…}`).
    static let distinctive = ["no_authorization", "bad_jwt", "insufficient_aal", "refresh_token_already_used", "over_request_rate_limit",
                              "over_email_send_rate_limit", "over_sms_send_rate_limit"]
    /// The older envelope's sentences (no error_code), from requireAuthentication and requireAdmin.
    static let oldSentences = ["This endpoint requires a Bearer token", "This endpoint requires a valid Bearer token",
                               "invalid JWT: unable to parse or verify signature"]

    static let signatures: [Signature] = [
        Signature(id: "supabase-auth-error", product: "Supabase Auth (GoTrue)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.any([.header("x-sb-error-code"),
                               // v2.145+: error_code beside GoTrue's own `msg` key
                               .all([.body("\"error_code\":\""), .body("\"msg\":"), .any(codes.map { .body("\"\($0)\"") })]),
                               // API version 2024-01-01: the code alone, only where it is GoTrue's own word
                               .all([.body("\"code\":\""), .any(distinctive.map { .body("\"\($0)\"") })]),
                               .all([.body("\"code\":"), .body("\"msg\":"), .any(oldSentences.map { .body($0) })])])],
                  summary: "Supabase Auth refused the request[ ({code})][: {msg}]",
                  extract: [Extract("code", "error code", from: [.header("x-sb-error-code"), .json("error_code"), .body(after: "\"code\":\"", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("msg"), .json("message")])],
                  checks: ["decode the access token: `why403 token TOKEN` (exp, sub, session_id, aal, role)",
                           "the project's Auth settings (JWT expiry, rate limits, email confirmation) in the Supabase dashboard"],
                  variants: [
                      Variant("msg", ["Anonymous user*"], cause: .authRole, confidence: .certain,
                              summary: "Supabase Auth does not let an anonymous user do this ({msg})"),
                      Variant("code", ["no_authorization"], cause: .authMissing, confidence: .certain,
                              summary: "Supabase Auth got no Bearer token ({msg})",
                              checks: ["send the user's access token as `Authorization: Bearer …` (the anon key alone is not a user's token)"]),
                      Variant("msg", ["This endpoint requires*"], cause: .authMissing, confidence: .certain,
                              summary: "Supabase Auth got no Bearer token ({msg})"),
                      Variant("code", ["bad_jwt", "session_not_found", "session_expired", "user_not_found", "user_banned", "invalid_credentials",
                                       "email_not_confirmed", "phone_not_confirmed", "refresh_token_not_found", "refresh_token_already_used"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "Supabase Auth did not accept the token, session or sign-in ({code}[: {msg}])",
                              checks: ["refresh the session (supabase-js refreshes it itself unless the refresh token was used or revoked); sign in again after a ban, a sign-out elsewhere or an expired session",
                                       "a JWT signed with another project's secret or an old JWT secret fails as bad_jwt: `why403 token TOKEN` shows its iss and exp"]),
                      Variant("msg", ["invalid JWT*"], cause: .authInvalid, confidence: .certain,
                              summary: "Supabase Auth did not accept the JWT ({msg})"),
                      Variant("code", ["not_admin", "insufficient_aal"], cause: .authRole, confidence: .certain,
                              summary: "Supabase Auth knows the user but it lacks the right for this ({code}[: {msg}])",
                              checks: ["not_admin: the admin API needs the service_role key, not a user's token; insufficient_aal: verify the second factor first (an aal2 session)"]),
                      Variant("msg", ["User not allowed*"], cause: .authRole, confidence: .likely,
                              summary: "Supabase Auth knows the user but it may not do this (User not allowed)"),
                      Variant("code", ["over_*"], cause: .rateLimit, confidence: .certain,
                              summary: "Supabase Auth's rate limit refused the request ({code}[: {msg}])",
                              checks: ["the project's Auth rate limits (dashboard > Authentication > Rate Limits); email sends are limited per hour"]),
                  ],
                  specificity: 62),
    ]
}
