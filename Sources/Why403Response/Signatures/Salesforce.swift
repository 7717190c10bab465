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
    ]
}
