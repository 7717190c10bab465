import Why403Core

/// Auth0's Management API answering for itself (the `application` layer): `{"statusCode":403,
/// "error":"Forbidden","message":"Insufficient scope, expected any of: read:users,…",
/// "errorCode":"insufficient_scope"}`. The message lists the scopes the endpoint accepts; the token's
/// `scope` claim (granted to the machine-to-machine application) lacks all of them. SDKs often print only
/// the message (`403 Forbidden: Insufficient scope, expected any of: create:user_tickets`).
enum Auth0 {
    static let signatures: [Signature] = [
        Signature(id: "auth0-api-error", product: "Auth0 Management API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  // The JSON envelope (statusCode and errorCode), or its message alone as SDKs print it.
                  when: [.any([.body("\"errorCode\""), .body("errorCode: '"), .body("Insufficient scope, expected any of")]),
                         .any([.body("\"statusCode\""), .body("statusCode: "), .body("Insufficient scope, expected any of")])],
                  summary: "Auth0's Management API refused[ ({code})][: {msg}]",
                  extract: [Extract("code", "errorCode", from: [.json("errorCode"), .body(after: "errorCode: '", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("message"), .body(after: "message: '", chars: .line)]),
                            Extract("scopes", "accepted scopes", from: [.body(after: "expected any of:", chars: .phrase)])],
                  checks: ["decode the token (`why403 token TOKEN`): its scope claim against the endpoint's required scopes"],
                  variants: [
                      Variant("code", ["insufficient_scope"], cause: .authScope, confidence: .certain,
                              summary: "Auth0's Management API: the token lacks the scope this endpoint needs (insufficient_scope)[; it accepts any of {scopes}]",
                              checks: ["Dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications: grant the scope to the application, then request a new token"]),
                      Variant("code", ["feature_not_enabled", "operation_not_supported"], cause: .appForbidden, confidence: .certain,
                              summary: "Auth0 refused the operation: the tenant's plan or settings do not enable it ({code})[: {msg}]",
                              checks: ["the tenant's subscription and the feature's toggle (Dashboard > Settings, or the API's own settings): the message names the feature"]),
                      Variant("code", ["too_many_requests"], cause: .rateLimit, confidence: .certain,
                              summary: "Auth0's Management API rate limit was reached (too_many_requests)[: {msg}]",
                              checks: ["read X-RateLimit-Remaining / X-RateLimit-Reset and back off; the Management API limits are per tenant (lower on free tenants)"]),
                      Variant("scopes", ["*"], cause: .authScope, confidence: .certain,
                              summary: "Auth0's Management API: the token lacks the scope this endpoint needs; it accepts any of {scopes}",
                              checks: ["Dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications: grant the scope to the application, then request a new token"]),
                  ],
                  specificity: 60),
        // Auth0's Authentication and Management APIs past a tenant's or endpoint's rate limit: a plain-text sentence naming
        // its X-RateLimit headers.
        Signature(id: "auth0-rate-limit-text", product: "Auth0", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.body("Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers")],
                  summary: "Auth0's rate limit for this tenant or endpoint was reached[ (resets at {reset})]",
                  extract: [Extract("reset", "X-RateLimit-Reset", from: [.header("x-ratelimit-reset")])],
                  checks: ["read X-RateLimit-Remaining / X-RateLimit-Reset and back off; the limits are per tenant and endpoint (Auth0's rate limit policy; lower on free tenants)"],
                  specificity: 62),
    ]
}
