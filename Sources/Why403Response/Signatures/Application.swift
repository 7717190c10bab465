import Why403Core

/// JSON error bodies written by applications (`{"error": "forbidden", "message": "…"}`, RFC 9457
/// problem details): the application behind the server answered itself.
enum Application {
    static let keys = ["error", "message", "detail", "errors", "error_description", "title", "code", "reason"]

    static let signatures: [Signature] = [
        Signature(id: "app-json", product: "application", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [401, 403], when: [.jsonKey(keys)],
                  summary: "the application answered with its own JSON error[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .json("detail"), .json("error_description"), .json("title"), .json("error")]),
                            Extract("status", "status", from: [.header(":status")])],
                  checks: ["the application's log for this request: which authorisation check refused (role, ownership, tenant)",
                           "compare with a request by a user who is allowed"],
                  variants: [
                      Variant("msg", ["*rate limit*", "*too many requests*", "*attempts exceeded*", "*attempt exceeded*", "*quota exceeded*"],
                              cause: .rateLimit, confidence: .likely),
                      Variant("msg", ["*scope*"], cause: .authScope, confidence: .possible),
                      Variant("msg", ["Bad credentials*", "*invalid credentials*", "*invalid api key*", "*invalid_grant*"], cause: .authInvalid, confidence: .likely),
                      Variant("msg", ["*role*", "*permission*", "*not allowed*", "*admin*"], cause: .authRole, confidence: .possible),
                      Variant("msg", ["*expired*", "*invalid token*", "*invalid_token*", "*signature*", "*failed to authenticate*"], cause: .authInvalid, confidence: .likely),
                      Variant("msg", ["*missing*", "*required*", "*unauthenticated*", "*no token*", "*not authenticated*"], cause: .authMissing, confidence: .likely),
                  ],
                  specificity: 30),
    ]
}
