import Why403Core

/// The Facebook (Meta) Graph API answering for itself: `{"error": {"message": "(#4) Application request limit reached",
/// "type": "OAuthException", "code": 4, "is_transient": true, "fbtrace_id": "…"}}`. The code names the refusal (the Graph
/// API's documented error codes): 4, 17, 32 and 613 are the app's, the user's, the Page's and a method's call limits
/// (80001–80014 the business use case limits), 190 an access token it does not accept (expired, revoked, or for another
/// app; `error_subcode` says which), 10 and 200–299 a permission the token was not granted. `fbtrace_id` is the id
/// Meta's support asks for.
enum Facebook {
    static let signatures: [Signature] = [
        Signature(id: "facebook-graph-error", product: "Facebook Graph API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.body("\"fbtrace_id\""), .any([.body("OAuthException"), .body("GraphMethodException"), .body("\"is_transient\"")])],
                  summary: "the Facebook Graph API refused the call[ (code {code})][: {msg}][ (fbtrace_id {trace})]",
                  extract: [Extract("code", "error code", from: [.json("code")]),
                            Extract("msg", "message", from: [.json("message")]),
                            Extract("trace", "fbtrace_id", from: [.json("fbtrace_id")])],
                  lookup: "Meta's developer support identifies the call by its fbtrace_id[ {trace}]",
                  checks: ["the code names the refusal: developers.facebook.com/docs/graph-api/guides/error-handling",
                           "the app's dashboard (Application Rate Limit, and the X-App-Usage / X-Business-Use-Case-Usage headers) for a call limit"],
                  variants: [
                      Variant("code", ["4", "17", "32", "613", "8000*"], cause: .rateLimit, confidence: .certain,
                              summary: "the Graph API's call limit is reached (code {code}: {msg})",
                              checks: ["the X-App-Usage (code 4), X-Ad-Account-Usage or X-Business-Use-Case-Usage headers show the share used; wait until it falls, and spread or batch the calls"]),
                      Variant("code", ["190", "102"], cause: .authInvalid, confidence: .certain,
                              summary: "the Graph API does not accept the access token (code {code}: {msg})",
                              checks: ["debug the token (developers.facebook.com/tools/debug/accesstoken): expired, revoked by the user, or issued for another app; error_subcode 463 is an expired token, 460 a changed password"]),
                      Variant("code", ["10"] + (200...299).map(String.init), cause: .authScope, confidence: .likely,
                              summary: "the access token lacks a permission the call needs (code {code}: {msg})",
                              checks: ["the permissions the endpoint lists must be granted to the token (and approved in App Review for a live app)"]),
                  ],
                  specificity: 66),
    ]
}
