import Why403Core

/// The Twitter (X) API answering for itself: v1.1's `{"errors":[{"code":89,"message":"Invalid or expired token."}]}` and the
/// access-tier refusal (code 453) "You currently have access to a subset of Twitter API v2 endpoints … you may need a different
/// access level", pointing at developer.twitter.com. (v2's 429 is a bare problem+json "Too Many Requests".)
enum Twitter {
    static let signatures: [Signature] = [
        Signature(id: "twitter-api-error", product: "Twitter (X) API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.body("\"errors\""), .any([.body("developer.twitter.com"), .body("You currently have access to a subset of Twitter API"),
                                                     .all([.body("\"code\":89"), .body("Invalid or expired token")]),
                                                     .all([.body("\"code\":32"), .body("Could not authenticate you")])])],
                  summary: "the Twitter (X) API refused[: {msg}]",
                  extract: [Extract("msg", "message", from: [.jsonListItem(list: "errors", key: "message")])],
                  checks: ["the app's access level in the developer portal (developer.twitter.com > Projects & Apps) and the tokens the call is signed with"],
                  variants: [
                      Variant("msg", ["*different access level*"], cause: .authRole, confidence: .certain,
                              summary: "the Twitter (X) API: the app's access tier does not include this endpoint (code 453)",
                              checks: ["the endpoint's required tier (Free, Basic, Pro) against the project's in the developer portal"]),
                      Variant("msg", ["Invalid or expired token*", "Could not authenticate you*"], cause: .authInvalid, confidence: .certain,
                              summary: "the Twitter (X) API did not accept the token ({msg})"),
                      Variant("msg", ["Rate limit exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "the Twitter (X) API's rate limit for this endpoint was reached"),
                  ],
                  specificity: 64),
    ]
}
