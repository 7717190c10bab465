import Why403Core

/// WSO2 API Manager's gateway answering for the API behind it (the `api-gateway` layer): its own fault
/// envelope `{"fault":{"code":900901,"message":"Invalid Credentials","description":"…"}}` with a numeric
/// code in the 9009xx (authentication) or 9008xx (throttling) range. The code says the refusal; 900900
/// ("Unclassified Authentication Failure") says only that key validation failed, and WSO2 2.x answered it
/// with status 500. Older gateways (and XML APIs) write the same fault as XML: `<ams:fault xmlns:ams="http://wso2.org/apimanager/security">
/// <ams:code>900900</ams:code><ams:message>…</ams:message><ams:description>…</ams:description></ams:fault>`.
enum WSO2 {
    static let signatures: [Signature] = [
        Signature(id: "wso2-apim-fault", product: "WSO2 API Manager", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429, 500, 503],
                  // The fault object with or without its `{"fault": …}` wrapper (4.x writes the members alone, the code a string),
                  // or wrapped in the Open Banking error envelope ("Access failure for API: … status: (900901) - Invalid Credentials").
                  when: [.any([.all([.body("\"fault\""), .body("\"description\"")]), .body("\"description\""), .body("status: (900"), .body("<ams:fault"),
                               // the throttling handler's own XML fault (2.x-3.2)
                               .body("<amt:fault")]),
                         .any([.body("<ams:code>9009"), .body("<ams:code>9008"), .body("<amt:code>9008"), .body("\"code\":9009"), .body("\"code\": 9009"), .body("\"code\":9008"), .body("\"code\": 9008"),
                               .body("\"code\":\"9009"), .body("\"code\":\"9008"), .body("\"code\": \"9009"), .body("\"code\": \"9008"),
                               .body("status: (9009"), .body("status: (9008")])],
                  summary: "WSO2 API Manager's gateway refused the request itself[ (code {code}: {msg})]",
                  extract: [Extract("code", "fault code", from: [.json("code"), .body(after: "status: (", chars: .digits), .body(after: "<ams:code>", chars: .digits),
                                                                   .body(after: "<amt:code>", chars: .digits)]),
                            Extract("msg", "message", from: [.json("message"), .body(after: "<ams:message>", chars: .line), .body(after: "<amt:message>", chars: .line)]),
                            Extract("description", "description", from: [.json("description"), .body(after: "<ams:description>", chars: .line),
                                                                         .body(after: "<amt:description>", chars: .line)])],
                  checks: ["the gateway's wso2carbon.log at the time of the request names the key-validation or throttling failure",
                           "the application's subscription to this API in the Developer Portal, and the token or key it sends (Authorization: Bearer, or the API's apikey header)"],
                  variants: [
                      Variant("code", ["900901"], cause: .authInvalid, confidence: .certain,
                              summary: "WSO2 API Manager rejected the credentials sent (900901 Invalid Credentials)"),
                      Variant("code", ["900902"], cause: .authMissing, confidence: .certain,
                              summary: "WSO2 API Manager found no credentials in the request (900902 Missing Credentials)"),
                      Variant("code", ["900910"], cause: .authScope, confidence: .certain,
                              summary: "WSO2 API Manager: the token's scopes do not cover this resource (900910)"),
                      // every throttling code (APIThrottleConstants): 900800 the API, 900801 a hard limit ("API Limit Reached", 503),
                      // 900802 the resource, 900803 the application, 900804 the subscription, 900806 custom policies, 900807 the burst
                      Variant("code", ["900800", "900801", "900802", "900803", "900804", "900806", "900807"], cause: .rateLimit, confidence: .certain,
                              summary: "WSO2 API Manager's throttling refused the request ({code}: {msg})"),
                      // 900805: an administrator's blocking condition (an API, an application, a user or an address range)
                      Variant("code", ["900805"], cause: .accessDeny, confidence: .likely,
                              summary: "WSO2 API Manager refused the request under a blocking condition (900805 Message blocked): an administrator blocked this API, application, user or address",
                              checks: ["the Admin Portal's Rate Limiting Policies > Deny Policies (blocking conditions): the API context, application, user or IP range that matches this request"]),
                      // 900908: the token's application is not subscribed to this API or resource
                      Variant("code", ["900908"], cause: .authRole, confidence: .likely,
                              summary: "WSO2 API Manager refused the resource to this token (900908 Resource forbidden): its application has no subscription that allows it",
                              checks: ["the application's subscriptions in the Developer Portal: it must be subscribed to this API (and version), and the resource must not be blocked for it"]),
                  ],
                  // Every 9008xx / 9009xx code is a refusal, whatever the status: 900900 came with 500 in WSO2 2.x.
                  specificity: 72, disguised: true),
    ]
}
