import Why403Core

/// HubSpot's API answering for itself: `{"status": "error", "message": "…", "correlationId": "…", "category": "MISSING_SCOPES",
/// "links": {"scopes": "https://developers.hubspot.com/scopes"}}`. The category names the refusal (HubSpot's documented
/// error categories); the correlation id is what HubSpot's support asks for.
enum HubSpot {
    static let signatures: [Signature] = [
        Signature(id: "hubspot-api-error", product: "HubSpot API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("developers.hubspot.com"), .all([.body("\"correlationId\""), .body("\"category\""), .jsonKey(["status"])])])],
                  summary: "HubSpot's API refused[ ({category})][: {msg}][ (correlationId {cid})]",
                  extract: [Extract("category", "category", from: [.json("category")]),
                            Extract("msg", "message", from: [.json("message")]),
                            Extract("cid", "correlationId", from: [.json("correlationId")])],
                  lookup: "HubSpot's support finds the call by its correlationId[ {cid}]",
                  checks: ["the category names the refusal (developers.hubspot.com/docs/api/error-handling)"],
                  variants: [
                      Variant("category", ["MISSING_SCOPES"], cause: .authScope, confidence: .certain,
                              summary: "HubSpot: the app or private app token lacks a scope this call needs (MISSING_SCOPES)",
                              checks: ["the app's scopes (private app > Scopes, or the OAuth install's scope list) must include the one the error's requiredScopes names; reinstall to grant it"]),
                      Variant("category", ["INVALID_AUTHENTICATION", "EXPIRED_AUTHENTICATION"], cause: .authInvalid, confidence: .certain,
                              summary: "HubSpot did not accept the credentials sent ({category})"),
                      Variant("category", ["RATE_LIMITS"], cause: .rateLimit, confidence: .certain,
                              summary: "HubSpot's rate limit was reached (RATE_LIMITS)[: {msg}]"),
                  ],
                  specificity: 66),
    ]
}
