import Why403Core

/// Microsoft Graph, and the older Azure AD Graph, answering for themselves (the `application` layer).
/// Graph's envelope: `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to
/// complete the operation.","innerError":{"request-id":"…","date":"…","client-request-id":"…"}}}`; Azure
/// AD Graph's: `{"odata.error":{"code":…,"message":{"lang":"en","value":…},"requestId":…}}`. The envelope
/// (an `innerError` carrying a `request-id`, or `odata.error`) or Graph's own directory code names the product;
/// the request id is what Microsoft support asks for. Without the body, Graph's headers name it: `client-request-id` with
/// `Access-Control-Expose-Headers: ETag, Location, Preference-Applied, Content-Range, request-id, client-request-id`.
enum MicrosoftGraph {
    /// `innerError` and `request-id` together: Graph's envelope (written as NOT(NOT a OR NOT b), "a and b").
    static let innerRequestID: Condition = .not(.any([.not(.body("innerError")), .not(.body("request-id"))]))

    static let signatures: [Signature] = [
        Signature(id: "msgraph-error", product: "Microsoft Graph", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  // Graph's Exchange-style code as the error envelope's code member (ErrorAccessDenied), in JSON or as a printed dict.
                  when: [.any([.body("Authorization_RequestDenied"), .body("odata.error"), innerRequestID, .header("x-ms-ags-diagnostic"),
                               .body("\"code\":\"ErrorAccessDenied\""), .body("\"code\": \"ErrorAccessDenied\""), .body("'code': 'ErrorAccessDenied'"),
                               // Graph's own headers when the body was not kept (a browser's devtools): client-request-id, and the
                               // CORS list that exposes it with Graph's Preference-Applied
                               .all([.header("client-request-id"), .headerContains("access-control-expose-headers", "Preference-Applied")])]),
                         .not(.body("AADSTS")),
                         // the Table service writes its storage codes in the same `odata.error` envelope (AzureStorage.swift)
                         .not(AzureStorage.tableEnvelope)],
                  summary: "Microsoft Graph refused[ ({code})][: {msg}][ (request id {reqid})]",
                  // Printed forms too: a Python dict ('code': '…') and keys without quotes (code: …).
                  extract: [Extract("code", "code", from: [.json("code"), .body(after: "'code': '", chars: .identifier),
                                                          .body(after: "\"code\": \"", chars: .identifier), .body(after: "\"code\":\"", chars: .identifier),
                                                          .body(after: "code: ", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("value"), .json("message"), .body(after: "'message': '", chars: .line)]),
                            Extract("reqid", "request id", from: [.header("request-id"), .json("request-id"), .json("requestId"),
                                                                 .body(after: "request-id\": \"", chars: .identifier),
                                                                 .body(after: "'request-id': '", chars: .identifier),
                                                                 .body(after: "request-id:\"", chars: .identifier)])],
                  lookup: "Microsoft support (and the Entra sign-in/audit logs) identify the request[ by request id {reqid}]",
                  checks: ["the endpoint's page on learn.microsoft.com lists the permissions it needs (delegated and application); the token's scp or roles claim must hold one (`why403 token TOKEN`)",
                           "application permissions need admin consent; a delegated call also needs the signed-in user's own directory role for admin operations"],
                  variants: [
                      Variant("code", ["Authorization_RequestDenied", "ErrorAccessDenied", "accessDenied"], cause: .authScope, confidence: .likely,
                              summary: "Microsoft Graph: the token lacks a permission this operation needs ({code}: insufficient privileges)[ (request id {reqid})]",
                              checks: ["compare the token's scp (delegated) or roles (application) claim with the permissions the endpoint's documentation lists; grant the missing one and admin consent",
                                       "a delegated call to an admin operation also needs the user's directory role (e.g. User Administrator)"]),
                      // Graph answers a request without a token with the same code, in its own words: no token was sent.
                      Variant("msg", ["Access token is empty*"], cause: .authMissing, confidence: .certain,
                              summary: "Microsoft Graph got no access token (\"Access token is empty.\")[ (request id {reqid})]",
                              checks: ["the Authorization header was not sent or was `Bearer ` with nothing after it: log the header the client sends (an empty token from a failed sign-in or a wrong token cache)"]),
                      Variant("code", ["InvalidAuthenticationToken", "ExpiredAuthenticationToken"], cause: .authInvalid, confidence: .certain,
                              summary: "Microsoft Graph did not accept the access token ({code})[: {msg}]",
                              checks: ["decode the token (`why403 token TOKEN`): exp, and aud must be https://graph.microsoft.com (or 00000003-0000-0000-c000-000000000000)"]),
                      Variant("code", ["TooManyRequests", "activityLimitReached"], cause: .rateLimit, confidence: .certain,
                              summary: "Microsoft Graph throttled the client ({code})",
                              checks: ["wait for Retry-After and retry; batch or reduce the requests"]),
                  ],
                  // Below azure-api-invalid-token (70), which names an Azure token refusal also when Graph's code cannot be read.
                  specificity: 68),
    ]
}
