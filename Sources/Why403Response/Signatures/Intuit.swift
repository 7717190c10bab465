import Why403Core

/// Intuit's QuickBooks Online API answering for itself (the `application` layer). Its faults come as
/// JSON (`{"fault":{"error":[{"message":"message=AuthorizationFailed; errorCode=003100;
/// statusCode=403","detail":…,"code":"3100"}],"type":"SERVICE"}, "intuitObject":…}`) or as XML
/// (`<IntuitResponse><Fault type="…"><Error code="3100"><Message>…`). The word AuthorizationFailed is
/// Intuit's here, not Azure's: the envelope (`message=…; errorCode=…; statusCode=…`, `intuitObject`,
/// `IntuitResponse`) is what names the product.
enum Intuit {
    static let signatures: [Signature] = [
        Signature(id: "intuit-qbo-fault", product: "QuickBooks Online API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.any([.body("<IntuitResponse"), .body("\"intuitObject\""), .body("schema.intuit.com/finance"),
                               .body("; errorCode=0"), .body("AuthenticationErrorGeneral")])],
                  summary: "QuickBooks Online API fault[ {code}][: {msg}][ ({detail})]",
                  extract: [Extract("msg", "message", from: [.body(after: "message=", chars: .identifier), .xml("Message")]),
                            Extract("code", "error code", from: [.body(after: "errorCode=", chars: .digits), .body(after: "Error code=\"", chars: .digits)]),
                            Extract("detail", "detail", from: [.xml("Detail"), .body(after: "\"detail\":\"", chars: .line)]),
                            Extract("tid", "intuit_tid", from: [.header("intuit_tid")]),
                            // The HTTP status Intuit writes into every fault ("statusCode=401", "statusCode: 401").
                            Extract("sc", "statusCode", from: [.body(after: "statusCode=", chars: .digits), .body(after: "statusCode: ", chars: .digits)])],
                  lookup: "[Intuit developer support identifies the request by intuit_tid {tid}]",
                  checks: ["3100 AuthorizationFailed: the token was issued for another company (realmId), for the sandbox instead of production (or the reverse base URL), or without the com.intuit.quickbooks.accounting scope",
                           "the company's QuickBooks user behind the connection may have lost its admin rights or been removed"],
                  variants: [
                      // A fault with statusCode 401 (AuthenticationFailed 3200, AuthenticationFault 100 "SRV-110"): the token was not
                      // accepted. Likely, not certain: a fault with statusCode 401 is also how a request without a token can be answered.
                      Variant("sc", ["401"], cause: .authInvalid, confidence: .likely,
                              summary: "QuickBooks Online API did not accept the access token (statusCode {sc})[: {msg}][ ({detail})]",
                              checks: ["the OAuth 2.0 access token lives one hour: refresh it with the refresh token and retry",
                                       "a token of the sandbox is not valid on the production base URL (and the reverse)"]),
                  ],
                  specificity: 60),
    ]
}
