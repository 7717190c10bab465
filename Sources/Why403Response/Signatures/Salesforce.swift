import Why403Core

/// Salesforce's REST API answering for itself (the `application` layer): a JSON array of errors,
/// `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`, with `WWW-Authenticate:
/// Token` on a 401. INVALID_SESSION_ID covers an expired or revoked access token and a session the org
/// does not accept for the API (IP-locked, lower security level than the profile requires).
enum Salesforce {
    static let signatures: [Signature] = [
        Signature(id: "salesforce-api-error", product: "Salesforce REST API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.body("\"errorCode\""), .body("\"message\""),
                         .any([.body("[{\"message\""), .body("INVALID_SESSION_ID"), .headerContains("www-authenticate", "Token"),
                               .headerContains("set-cookie", "salesforce.com")])],
                  summary: "Salesforce's REST API refused[ ({code})]",
                  extract: [Extract("code", "errorCode", from: [.body(after: "\"errorCode\":", chars: .identifier)])],
                  checks: ["the errorCode names the refusal (Salesforce's REST API developer guide, status codes and error responses)"],
                  variants: [
                      Variant("code", ["*INVALID_SESSION_ID*"], cause: .authInvalid, confidence: .certain,
                              summary: "Salesforce did not accept the session (INVALID_SESSION_ID): the access token is expired, revoked, sent the wrong way, or not allowed for the API",
                              checks: ["the access token goes in `Authorization: Bearer TOKEN` (not the URL) and is not expired or revoked: refresh it with the refresh token",
                                       "\"not valid for use with the REST API\": the connected app's IP relaxation, or the profile's session security level (High Assurance) refuses this session for the API"]),
                  ],
                  specificity: 60),
        // SDKs print "CODE: message" without the JSON: each code only with Salesforce's own wording.
        Signature(id: "salesforce-error-text", product: "Salesforce API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.any([.body("API_DISABLED_FOR_ORG"), .body("REQUEST_LIMIT_EXCEEDED")]),
                         .any([.body("API is not enabled for this Organization"), .body("TotalRequests Limit exceeded")])],
                  summary: "Salesforce's API refused[ ({code})]",
                  extract: [Extract("code", "errorCode", from: [.body(after: "\"errorCode\":", chars: .identifier), .body(after: "[ERROR] ", chars: .identifier)]),
                            Extract("disabled", "message", from: [.body(after: "The REST API is not", chars: .line), .body(after: "API is not enabled", chars: .line)]),
                            Extract("limit", "message", from: [.body(after: "TotalRequests", chars: .line)])],
                  variants: [
                      Variant("disabled", ["*"], cause: .appForbidden, confidence: .certain,
                              summary: "Salesforce: the API is not enabled for this organization (API_DISABLED_FOR_ORG): the edition does not include it, or the user's profile lacks API Enabled",
                              checks: ["Setup > the user's profile or permission set: API Enabled", "Group and Professional editions have no API unless Salesforce enables it for the org"]),
                      Variant("limit", ["*"], cause: .rateLimit, confidence: .certain,
                              summary: "Salesforce: the org's 24-hour API request allowance is used up (REQUEST_LIMIT_EXCEEDED)",
                              checks: ["Setup > System Overview (API Requests, Last 24 Hours); the Sforce-Limit-Info response header shows api-usage"]),
                  ],
                  specificity: 58),
    ]
}
