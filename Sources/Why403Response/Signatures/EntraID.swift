import Why403Core

/// Microsoft Entra ID (Azure AD) token and sign-in endpoints answering for themselves (the `application`
/// layer): an OAuth error body whose description starts with an `AADSTS` code, with `error_codes`,
/// `trace_id` and `correlation_id` (what Microsoft support asks for). The code names the refusal.
enum EntraID {
    static let signatures: [Signature] = [
        Signature(id: "entra-aadsts", product: "Microsoft Entra ID", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403],
                  // "AADSTS" and its number name the platform alone (an SDK's exception text, a description quoted without the envelope)
                  when: [.body("AADSTS"), .any([.body("\"error_codes\""), .body("\"correlation_id\""), .body("\"trace_id\""), .body("Correlation ID:"), .body("login.microsoftonline.com")]
                                                + (1...9).map { .body("AADSTS\($0)") })],
                  summary: "Microsoft Entra ID refused[ ({aadsts})][: {error}][ (correlation id {correlation})]",
                  extract: [Extract("aadsts", "AADSTS code", from: [.body(after: "AADSTS", chars: .digits)]),
                            Extract("error", "error", from: [.json("error")]),
                            Extract("correlation", "correlation id", from: [.json("correlation_id")]),
                            Extract("trace", "trace id", from: [.json("trace_id")]),
                            // ADAL-era text wraps the code that names the refusal: "AADSTS70002: Error validating credentials. AADSTS50126: …".
                            Extract("inner", "inner AADSTS code", from: [.body(after: "Error validating credentials. AADSTS", chars: .digits)])],
                  lookup: "Entra admin center > Sign-in logs (or Microsoft support) find the request[ by correlation id {correlation}]",
                  checks: ["look the AADSTS number up at login.microsoftonline.com/error?code=NUMBER"],
                  variants: [
                      // The wrapped code first: AADSTS70002 alone means no credential was sent, wrapping 50126/50012 it means a wrong one.
                      Variant("inner", ["50126", "50012", "7000215"], cause: .authInvalid, confidence: .certain,
                              summary: "Microsoft Entra ID did not accept the credentials (AADSTS{inner}: wrong password or client secret)",
                              checks: ["the secret's value (not its id) from the app registration's Certificates & secrets, not expired; for a user, the password and the sign-in logs"]),
                      // AADSTS7000215 invalid client secret, 50012 invalid client credential, 50126 invalid username or password.
                      Variant("aadsts", ["7000215", "50012", "50126"], cause: .authInvalid, confidence: .certain,
                              summary: "Microsoft Entra ID did not accept the credentials (AADSTS{aadsts}: wrong password or client secret)[ (correlation id {correlation})]",
                              checks: ["the secret's value (not its id) from the app registration's Certificates & secrets, not expired; for a user, the password and the sign-in logs"]),
                      // AADSTS53003: the credentials were accepted; a Conditional Access policy blocks token issuance.
                      Variant("aadsts", ["53003"], cause: .policyExplicitDeny, confidence: .likely,
                              summary: "Microsoft Entra ID: a Conditional Access policy blocks token issuance (AADSTS53003)[ (correlation id {correlation})]",
                              checks: ["Entra admin center > Sign-in logs > the request's correlation id > Conditional Access tab: the policy and the condition (location, device, app) that blocked"]),
                      // AADSTS70002 / 7000218: the client credential was not sent.
                      Variant("aadsts", ["70002", "7000218"], cause: .authMissing, confidence: .certain,
                              summary: "Microsoft Entra ID: the token request carried no client secret or assertion (AADSTS{aadsts})",
                              checks: ["a confidential client sends client_secret (or client_assertion) in the token request body; a public client must be marked so in the app registration"]),
                      // AADSTS50076 / 50079: multi-factor authentication required; the credentials alone are not enough.
                      Variant("aadsts", ["50076", "50079"], cause: .authMissing, confidence: .likely,
                              summary: "Microsoft Entra ID requires multi-factor authentication for this sign-in (AADSTS{aadsts})[ (correlation id {correlation})]",
                              checks: ["sign in interactively (or with a flow that can satisfy MFA); a non-interactive flow (ROPC, a service account's password) cannot",
                                       "Entra admin center > Sign-in logs > the correlation id: which policy asked for MFA"]),
                      // AADSTS65001: the user or admin has not consented to the permissions the app asks for.
                      Variant("aadsts", ["65001"], cause: .authScope, confidence: .likely,
                              summary: "Microsoft Entra ID: no consent for the permissions the app requests (AADSTS65001)[ (correlation id {correlation})]",
                              checks: ["Entra admin center > App registrations > the app > API permissions: grant admin consent, or let the user consent interactively"]),
                      // AADSTS700016 app not found in the tenant, 50034 user not in the directory, 700082 / 70008 refresh
                      // token or code expired, 50173 grant revoked by a password change, 54005 a code already redeemed, 700024 a client
                      // assertion outside its valid time range: what was presented is not (or no longer) valid.
                      Variant("aadsts", ["700016", "50034", "700082", "70008", "50173", "54005", "700024"], cause: .authInvalid, confidence: .certain,
                              summary: "Microsoft Entra ID did not accept what was presented (AADSTS{aadsts})[: {error}][ (correlation id {correlation})]",
                              checks: ["look the AADSTS number up at login.microsoftonline.com/error?code=NUMBER: an unknown app id or tenant, an unknown user, or an expired or revoked refresh token (sign in again)"]),
                      // AADSTS50057: the account is disabled: whatever is presented for it is refused
                      Variant("aadsts", ["50057"], cause: .authInvalid, confidence: .likely,
                              summary: "Microsoft Entra ID: the user account is disabled (AADSTS50057)[ (correlation id {correlation})]",
                              checks: ["Entra admin center > Users > the user: Account enabled (an administrator re-enables it)"]),
                      // Any other code: the OAuth error (RFC 6749 §5.2) says what kind of refusal it is.
                      Variant("error", ["invalid_client", "invalid_grant"], cause: .authInvalid, confidence: .likely,
                              summary: "Microsoft Entra ID refused the token request ({error}[, AADSTS{aadsts}])[ (correlation id {correlation})]"),
                      Variant("error", ["invalid_scope"], cause: .authScope, confidence: .likely,
                              summary: "Microsoft Entra ID refused the requested scope (invalid_scope[, AADSTS{aadsts}])[ (correlation id {correlation})]"),
                  ],
                  specificity: 60, disguised: true),
    ]
}
