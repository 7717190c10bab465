import Why403Core

/// Twilio's REST API answering for itself: the JSON `{"code": 20003, "message": "Authenticate", "more_info":
/// "https://www.twilio.com/docs/errors/20003", "status": 401}` (`moreInfo` in the Serverless API), or the older XML `<TwilioResponse><RestException><Code>20003</Code>
/// <Detail>Your AccountSid or AuthToken was incorrect.</Detail>…`. The code is Twilio's documented error: 20003 credentials it
/// does not accept, 20429 too many requests.
enum Twilio {
    static let signatures: [Signature] = [
        Signature(id: "twilio-api-error", product: "Twilio REST API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("<TwilioResponse><RestException>"), .all([.any([.body("\"more_info\""), .body("\"moreInfo\"")]), .body("twilio.com/docs/errors/")])])],
                  summary: "Twilio's API refused[ (error {code})][: {msg}]",
                  extract: [Extract("code", "error code", from: [.xml("Code"), .json("code")]),
                            Extract("msg", "message", from: [.xml("Detail"), .json("message")])],
                  checks: ["Twilio's error reference: twilio.com/docs/errors/CODE"],
                  variants: [
                      Variant("code", ["20003"], cause: .authInvalid, confidence: .certain,
                              summary: "Twilio did not accept the Account SID and Auth Token (or API key and secret) sent (20003)",
                              checks: ["the Account SID and Auth Token of the Console (or an API key's SID and secret), for the right account or subaccount; a rotated Auth Token invalidates the old one"]),
                      Variant("code", ["20429"], cause: .rateLimit, confidence: .certain,
                              summary: "Twilio's rate limit for the account was reached (20429 Too Many Requests)"),
                  ],
                  specificity: 70),
    ]
}
