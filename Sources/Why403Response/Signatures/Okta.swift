import Why403Core

/// Okta's management and authentication APIs answering for themselves (the `application` layer): the
/// error envelope `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the
/// requested action","errorLink":"E0000006","errorId":"oae…","errorCauses":[]}`. The `errorId` is what
/// Okta support and the System Log search for.
enum Okta {
    static let signatures: [Signature] = [
        Signature(id: "okta-api-error", product: "Okta API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.body("\"errorCode\""), .body("\"errorSummary\""), .any([.body("\"errorId\""), .body("\"errorLink\"")])],
                  summary: "Okta's API refused[ ({code})][: {summary}][ (errorId {errorId})]",
                  extract: [Extract("code", "errorCode", from: [.json("errorCode")]),
                            Extract("summary", "errorSummary", from: [.json("errorSummary")]),
                            Extract("errorId", "errorId", from: [.json("errorId")])],
                  lookup: "Okta System Log (Reports > System Log) finds the request[ by errorId {errorId}]",
                  checks: ["Okta's error code reference (developer.okta.com/docs/reference/error-codes) says what the code means"],
                  variants: [
                      Variant("code", ["E0000006"], cause: .authRole, confidence: .certain,
                              summary: "Okta's API: the token's principal has no admin role (or the service app no okta.* scope) allowing this action (E0000006)[ (errorId {errorId})]",
                              checks: ["an API token acts with its creator's admin role: a Read-Only Admin cannot write, group and app endpoints need a role that covers them",
                                       "an OAuth service app needs the okta.* scope granted (Okta API Scopes tab) and an admin role assigned to the app itself"]),
                      Variant("code", ["E0000004"], cause: .authInvalid, confidence: .certain,
                              summary: "Okta did not accept the credentials (E0000004 Authentication failed)[ (errorId {errorId})]",
                              checks: ["the username or password is wrong, or the user is locked out or not active (the System Log event names which)"]),
                      Variant("code", ["E0000011"], cause: .authInvalid, confidence: .certain,
                              summary: "Okta did not accept the token sent (E0000011 Invalid token provided)[ (errorId {errorId})]",
                              checks: ["an API token (Authorization: SSWS …) that was revoked, expired after 30 days unused, or belongs to another org; a state or session token that expired"]),
                      Variant("code", ["E0000005"], cause: .authInvalid, confidence: .likely,
                              summary: "Okta did not accept the session or token sent (E0000005 Invalid session)[ (errorId {errorId})]",
                              checks: ["a session token or cookie that expired or was ended; an OAuth access token sent to an endpoint that takes only an API token (SSWS) gets it too"]),
                      Variant("code", ["E0000015", "E0000043", "E0000056", "E0000032", "E0000166"], cause: .appForbidden, confidence: .certain,
                              summary: "Okta refused the operation itself, not the caller's credentials ({code}[: {summary}])[ (errorId {errorId})]",
                              checks: ["the errorSummary names what Okta does not allow: a feature the org is not licensed for (E0000015), a setting the app does not have (E0000043), an app that must be deactivated first (E0000056), an unlock of a user who is not locked (E0000032), a count past the org's limit (E0000166)"]),
                      Variant("code", ["E0000047"], cause: .rateLimit, confidence: .certain,
                              summary: "Okta's rate limit for this endpoint is exhausted (E0000047)[ (errorId {errorId})]",
                              checks: ["wait for X-Rate-Limit-Reset; the org's rate-limit dashboard shows which limit was hit"]),
                      // From Okta's error catalogue (okta-developer-docs' error codes): the factor-resend limits (an SMS, an
                      // email, a call sent moments ago), credentials it did not accept, and accounts that cannot sign in.
                      Variant("code", ["E0000109", "E0000118", "E0000133"], cause: .rateLimit, confidence: .certain,
                              summary: "Okta refused to send another verification so soon ({code}[: {summary}])[ (errorId {errorId})]"),
                      Variant("code", ["E0000207", "E0000068", "E0000013"], cause: .authInvalid, confidence: .certain,
                              summary: "Okta did not accept what was sent ({code}[: {summary}])[ (errorId {errorId})]"),
                      Variant("code", ["E0000069", "E0000119", "E0000064"], cause: .authInvalid, confidence: .likely,
                              summary: "Okta refused the sign-in for the account's state ({code}[: {summary}])[ (errorId {errorId})]",
                              checks: ["Okta admin console > Directory > People > the user: unlock it, or reset the expired password"]),
                      Variant("code", ["E0000058"], cause: .authMissing, confidence: .likely,
                              summary: "Okta requires multi-factor authentication for this application ({code}[: {summary}])[ (errorId {errorId})]"),
                      Variant("code", ["E0000057"], cause: .accessDeny, confidence: .likely,
                              summary: "Okta denied access to the application by a policy ({code}[: {summary}])[ (errorId {errorId})]",
                              checks: ["the application's sign-on policy and the global session policy: the rule that denies this user, group, network zone or device"]),
                  ],
                  specificity: 60),
        // Okta's front end marks every answer with the compact privacy policy `P3P: CP="HONK"`; its 429 is the org's rate
        // limit for the endpoint (X-Rate-Limit-Limit / -Remaining / -Reset say which and when it resets).
        Signature(id: "okta-rate-limited", product: "Okta API", layer: .application, cause: .rateLimit, confidence: .likely,
                  statuses: [429],
                  when: [.headerContains("p3p", "HONK")],
                  summary: "Okta's rate limit for this endpoint was reached[ (resets at {reset})]",
                  extract: [Extract("reset", "X-Rate-Limit-Reset", from: [.header("x-rate-limit-reset")]),
                            Extract("limit", "X-Rate-Limit-Limit", from: [.header("x-rate-limit-limit")])],
                  checks: ["Okta's rate limits are per org and endpoint (Admin Console > Reports > Rate Limits); wait until X-Rate-Limit-Reset (epoch seconds)",
                           "spread the calls, or raise the app's share of the limit (the rate limit dashboard); the System Log records each violation"],
                  specificity: 60),
    ]
}
