import Why403Core

/// Azure Resource Manager answering for itself (the `application` layer): `{"error": {"code":
/// "AuthorizationFailed", "message": "The client '…' with object id '…' does not have authorization to
/// perform action 'Microsoft.…/read' over scope '/subscriptions/…' or the scope is invalid."}}`, with
/// `x-ms-failure-cause: gateway` and `x-ms-request-id`/`x-ms-correlation-request-id`. Azure RBAC: a
/// known principal lacks a role assignment.
enum AzureResourceManager {
    static let signatures: [Signature] = [
        Signature(id: "azure-rm-authorization-failed", product: "Azure Resource Manager", layer: .application, cause: .authRole, confidence: .likely,
                  statuses: [403],
                  // Azure's shape, not the word: Intuit and others also say "AuthorizationFailed".
                  when: [.any([.body("\"code\":\"AuthorizationFailed\""), .body("\"code\": \"AuthorizationFailed\""),
                               .body("does not have authorization to perform action"), .body("LinkedAuthorizationFailed"),
                               .headerContains("x-ms-failure-cause", "gateway")]),
                         .not(.body("errorCode=")), .not(.body("<IntuitResponse"))],
                  summary: "Azure Resource Manager: the principal has no role assignment allowing[ {action}][ over {scope}]",
                  extract: [Extract("action", "action", from: [.body(after: "perform action '", chars: .identifier)]),
                            Extract("scope", "scope", from: [.body(after: "over scope '", chars: .identifier)]),
                            Extract("reqid", "request id", from: [.header("x-ms-request-id"), .header("x-ms-correlation-request-id")])],
                  lookup: "Azure Activity Log / support identify the request by correlation id[ {reqid}]",
                  checks: ["az role assignment list --assignee PRINCIPAL --all: no role with this action at this scope (or a parent)",
                           "a new role assignment takes up to 10 minutes to apply; a deny assignment or a missing scope (the message says \"or the scope is invalid\") also answers this"],
                  fixes: [Fix(summary: "assign the least built-in role that contains the action, at the narrowest scope",
                              commands: ["az role assignment create --assignee PRINCIPAL --role ROLE --scope SCOPE"])],
                  variants: [Variant("action", ["*"], cause: .authRole, confidence: .certain)],
                  specificity: 75),
        // Azure's REST error envelope (`{"error": {"code", "message", "innererror"}}`, shared by Resource Manager
        // and the data-plane APIs such as Log Analytics) with one of the codes for a token Azure did not accept.
        // Some of these APIs answer an expired token with 403, not 401. The code names the refusal (certain), which a
        // bare `WWW-Authenticate: Bearer authorization_uri=…` challenge on the same response does not.
        Signature(id: "azure-api-invalid-token", product: "Azure REST API", layer: .application, cause: .authInvalid, confidence: .certain,
                  statuses: [401, 403],
                  when: [.any([.body("\"innererror\""), .header("x-ms-request-id"), .header("x-ms-correlation-request-id"),
                               .headerContains("www-authenticate", "login.windows.net"), .headerContains("www-authenticate", "login.microsoftonline.com"),
                               // the envelope's code inside an SDK's exception text ("Status code 401, {"error":{"code":"InvalidAuthenticationToken",…}}")
                               // (only where the body is not the envelope itself: Graph's own answers that, msgraph-error)
                               .all([.any([.body("\"code\":\"InvalidAuthenticationToken\""), .body("\"code\": \"InvalidAuthenticationToken\"")]),
                                     .not(.jsonKey(["error"]))]),
                               // autorest's rendering of ARM's answer to a request without a token
                               .body("The 'Authorization' header is missing"),
                               // ARM's own sentences for an expired token and one issued for another resource, whatever prints them
                               .body("The access token expiry UTC time"), .body("The access token has been obtained for wrong audience or resource")]),
                         .any([.body("InvalidAuthenticationToken"), .body("ExpiredAuthenticationToken"), .body("InvalidTokenError"),
                               .body("The access token expiry UTC time"),
                               .all([.body("AuthenticationFailed"), .body("The 'Authorization' header is missing")])])],
                  summary: "an Azure API did not accept the access token[ ({code})][: {msg}]",
                  extract: [Extract("code", "code", from: [.json("code"), .body(after: "\"code\":\"", chars: .identifier), .body(after: "Code=\"", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("message"), .body(after: "Message=\"", chars: .line)]),
                            Extract("reqid", "request id", from: [.header("x-ms-request-id"), .header("x-ms-correlation-request-id")])],
                  lookup: "Azure support identifies the request by its request id[ {reqid}]",
                  checks: ["decode the token (`why403 token TOKEN`): exp, and aud must be this API's resource (https://management.azure.com/, https://api.loganalytics.io, ...)",
                           "request a new token for this resource before the old one expires; a client-credentials token is not refreshed by the client on a 403"],
                  // The same code answers a request with no token at all, and the message says so.
                  variants: [Variant("msg", ["Access token is empty*", "*The 'Authorization' header is missing*"], cause: .authMissing, confidence: .certain,
                                     summary: "an Azure API got no access token ({msg})",
                                     checks: ["the Authorization header was not sent or carried `Bearer ` with nothing after it"])],
                  specificity: 70),
        // Resource Manager's throttling: 429 with the code naming what was throttled (a resource provider's limit on one
        // action, the subscription's or the tenant's request allowance) and the sentence with the limit and the wait.
        Signature(id: "azure-rm-throttled", product: "Azure Resource Manager", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.body("ResourceRequestsThrottled"), .body("SubscriptionRequestsThrottled"), .body("TenantRequestsThrottled"),
                               .body("ResourceCollectionRequestsThrottled")])],
                  summary: "Azure Resource Manager throttled the request[ ({code})][: {msg}]",
                  extract: [Extract("code", "code", from: [.json("code"), .body(after: "\"code\": \"", chars: .identifier), .body(after: "\"code\":\"", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("message"), .body(after: "\"message\": \"", chars: .line)]),
                            Extract("reqid", "request id", from: [.header("x-ms-request-id"), .header("x-ms-correlation-request-id")])],
                  checks: ["wait the Retry-After seconds (the message names them too) and retry; the x-ms-ratelimit-remaining-* headers show the allowance left",
                           "spread the calls or cache reads: a resource provider's limit is per action and time window (the message names both)"],
                  specificity: 72),
    ]
}
