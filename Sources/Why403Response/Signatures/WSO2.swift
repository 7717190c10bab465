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
                  when: [.any([.all([.body("\"fault\""), .body("\"description\"")]), .body("\"description\""), .body("status: (900"), .body("<ams:fault")]),
                         .any([.body("<ams:code>9009"), .body("<ams:code>9008"), .body("\"code\":9009"), .body("\"code\": 9009"), .body("\"code\":9008"), .body("\"code\": 9008"),
                               .body("\"code\":\"9009"), .body("\"code\":\"9008"), .body("\"code\": \"9009"), .body("\"code\": \"9008"),
                               .body("status: (9009"), .body("status: (9008")])],
                  summary: "WSO2 API Manager's gateway refused the request itself[ (code {code}: {msg})]",
                  extract: [Extract("code", "fault code", from: [.json("code"), .body(after: "status: (", chars: .digits), .body(after: "<ams:code>", chars: .digits)]),
                            Extract("msg", "message", from: [.json("message"), .body(after: "<ams:message>", chars: .line)]),
                            Extract("description", "description", from: [.json("description"), .body(after: "<ams:description>", chars: .line)])],
                  checks: ["the gateway's wso2carbon.log at the time of the request names the key-validation or throttling failure",
                           "the application's subscription to this API in the Developer Portal, and the token or key it sends (Authorization: Bearer, or the API's apikey header)"],
                  variants: [
                      Variant("code", ["900901"], cause: .authInvalid, confidence: .certain,
                              summary: "WSO2 API Manager rejected the credentials sent (900901 Invalid Credentials)"),
                      Variant("code", ["900902"], cause: .authMissing, confidence: .certain,
                              summary: "WSO2 API Manager found no credentials in the request (900902 Missing Credentials)"),
                      Variant("code", ["900910"], cause: .authScope, confidence: .certain,
                              summary: "WSO2 API Manager: the token's scopes do not cover this resource (900910)"),
                      Variant("code", ["900800", "900802", "900803", "900806", "900807"], cause: .rateLimit, confidence: .certain,
                              summary: "WSO2 API Manager's throttling refused the request ({code}: {msg})"),
                  ],
                  specificity: 72),
    ]
}
