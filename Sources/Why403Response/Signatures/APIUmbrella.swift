import Why403Core

/// API Umbrella (api.data.gov and the agency APIs behind it) answering for the API (recorded as the
/// `application` layer, as the corpus's api.data.gov captures are): `{"error": {"code": "API_KEY_MISSING",
/// "message": "…"}}`, the upper-case code naming the refusal (API_KEY_MISSING, API_KEY_INVALID,
/// API_KEY_DISABLED, API_KEY_UNAUTHORIZED, OVER_RATE_LIMIT), a refusal whatever status carries it.
enum APIUmbrella {
    static let signatures: [Signature] = [
        Signature(id: "api-umbrella-error", product: "API Umbrella (api.data.gov)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.body("\"error\""), .any([.body("\"API_KEY_MISSING\""), .body("\"API_KEY_INVALID\""), .body("\"API_KEY_DISABLED\""),
                                                  .body("\"API_KEY_UNAUTHORIZED\""), .body("\"OVER_RATE_LIMIT\"")])],
                  summary: "API Umbrella (api.data.gov) refused the API key[ ({code}: {msg})]",
                  extract: [Extract("code", "error code", from: [.json("code")]),
                            Extract("msg", "message", from: [.json("message")])],
                  checks: ["the key is sent as the api_key query parameter or the X-Api-Key header",
                           "the key's roles: an agency API can require a role the key was not given (ask the API's contact)"],
                  variants: [
                      Variant("code", ["API_KEY_MISSING"], cause: .authMissing, confidence: .certain,
                              summary: "API Umbrella found no API key in the request"),
                      Variant("code", ["API_KEY_INVALID", "API_KEY_DISABLED"], cause: .authInvalid, confidence: .certain,
                              summary: "API Umbrella does not accept the API key sent ({code})"),
                      Variant("code", ["API_KEY_UNAUTHORIZED"], cause: .authRole, confidence: .certain,
                              summary: "API Umbrella knows the key but it is not authorised for this service (API_KEY_UNAUTHORIZED)"),
                      Variant("code", ["OVER_RATE_LIMIT"], cause: .rateLimit, confidence: .certain,
                              summary: "API Umbrella's rate limit for the key was exceeded"),
                  ],
                  // Every one of these codes is a refusal of the key, whatever status wraps it (a 400 in front of some agency APIs).
                  specificity: 72, disguised: true),
    ]
}
