import Why403Core

/// Tyk Gateway: its middleware answers with a one-key JSON body `{"error": "…"}` in its own words ("Key not
/// authorised" for a token it does not know); its admin API (`/tyk/…`) with
/// `{"status": "error", "message": "Attempted administrative access with invalid or missing key!"}`.
enum Tyk {
    static let signatures: [Signature] = [
        Signature(id: "tyk-gateway", product: "Tyk Gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("Key not authorised"), .body("Attempted administrative access with invalid or missing key")]),
                         .any([.body("\"error\""), .body("\"message\"")])],
                  summary: "Tyk Gateway refused the request itself[: {msg}]",
                  extract: [Extract("msg", "error", from: [.json("error"), .json("message"), .body(after: "\"error\":", chars: .line)])],
                  checks: ["the key's session in Tyk (Dashboard > Keys, or GET /tyk/keys/<key> on the gateway): does it exist, is it expired, does its access_rights list this API",
                           "for the admin API (/tyk/…): the x-tyk-authorization header must carry the gateway's `secret` from tyk.conf"],
                  variants: [
                      Variant("msg", ["*Key not authorised*"], cause: .authInvalid, confidence: .certain,
                              summary: "Tyk Gateway does not know the key or token sent (\"Key not authorised\")"),
                  ],
                  specificity: 70),
    ]
}
