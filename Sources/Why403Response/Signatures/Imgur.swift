import Why403Core

/// Imgur's API answering for itself (the `application` layer): every answer is the envelope
/// `{"data": {"error": …, "request": "/3/image", "method": "POST"}, "success": false, "status": 403}`,
/// the error a sentence ("The access token provided is invalid.", "These actions are forbidden.") or an
/// object (`{"code": 403, "message": "Forbidden", "type": "ImgurException"}`), and refusals come as 400 as
/// often as 403. Only the access-token sentence says why.
enum Imgur {
    static let signatures: [Signature] = [
        Signature(id: "imgur-api-error", product: "Imgur API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.body("\"data\":{\"error\""), .body("\"success\":false"), .body("\"status\":4")],
                  summary: "Imgur's API refused[: {msg}]",
                  extract: [Extract("msg", "error", from: [.json("error"), .body(after: "\"message\":\"", chars: .line)]),
                            Extract("type", "type", from: [.body(after: "\"type\":\"", chars: .identifier)])],
                  checks: ["the access token (Authorization: Bearer) or the client id (Authorization: Client-ID) is the app's; re-authorise when the token is rejected",
                           "\"These actions are forbidden\" without a reason: Imgur blocks some clients, networks and regions; try from another network before changing credentials"],
                  variants: [
                      Variant("msg", ["*access token provided is invalid*", "*Invalid refresh token*", "*token*expired*"], cause: .authInvalid, confidence: .certain,
                              summary: "Imgur's API rejected the access token: {msg}",
                              checks: ["refresh the token (POST /oauth2/token with the refresh token) or authorise the app again"]),
                  ],
                  specificity: 60),
        // The same envelope with a refusal's code inside a 400 (`"status":400` outside, `"error":{"code":403,"message":
        // "Forbidden","type":"ImgurException"}` inside): the API refused, whatever the outer status says.
        Signature(id: "imgur-refusal-in-400", product: "Imgur API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [200, 400],
                  when: [.body("\"data\":{\"error\""), .body("\"success\":false"), .body("ImgurException"),
                         .any([.body("\"code\":401"), .body("\"code\":403"), .body("\"code\":429")])],
                  summary: "Imgur's API refused the request: its error says {code}[ {msg}] inside a {outer}",
                  extract: [Extract("code", "inner code", from: [.body(after: "\"error\":{\"code\":", chars: .digits)]),
                            // The envelope's `data.error.message` (read to the end of the line, the message took the rest of
                            // the JSON with it).
                            Extract("msg", "message", from: [.json("message")]),
                            Extract("outer", "status", from: [.body(after: "\"status\":", chars: .digits)])],
                  checks: ["the access token (Authorization: Bearer) or the client id (Authorization: Client-ID) is the app's; re-authorise when the token is rejected",
                           "a 403 without a reason: Imgur blocks some clients, networks and regions; try from another network before changing credentials"],
                  specificity: 64, disguised: true),
    ]
}
