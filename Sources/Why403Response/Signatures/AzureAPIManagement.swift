import Why403Core

/// Azure API Management: the gateway answers for itself with a two-key JSON envelope
/// `{"statusCode": 401, "message": "Access denied due to missing subscription key. …"}` and, for a missing
/// key, `WWW-Authenticate: AzureApiManagementKey realm="…",name="Ocp-Apim-Subscription-Key",type="header"`.
/// The rate-limit and quota policies answer 429/403 in the same envelope ("Rate limit is exceeded. Try
/// again in N seconds.", "Out of call volume quota. …", "Out of bandwidth quota. …"; a policy's own message such as
/// NuGet.org's "Quota exceeded.").
/// The Cognitive Services / Azure OpenAI front ends, built on it, write the same sentences in another envelope,
/// `{"error": {"code": "401", "message": "Access denied due to invalid subscription key or wrong API endpoint. …"}}`
/// (older: `"code": "Unspecified"`), often printed by an SDK or as a Python dict: the sentence names the gateway.
/// The validate-jwt policy answers 401 in the envelope with "Unauthorized. Access token is missing or invalid." (it does
/// not say which).
enum AzureAPIManagement {
    static let signatures: [Signature] = [
        Signature(id: "azure-apim-error", product: "Azure API Management", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  // its challenge alone, or its envelope (a top-level statusCode) with one of its own messages
                  when: [.any([.headerContains("www-authenticate", "AzureApiManagementKey"), .jsonKey(["statusCode"]),
                               // the quota policy's whole sentence names API Management without the envelope (a client's dict or log line)
                               .body("Out of call volume quota. Quota will be replenished in"),
                               // the gateway's whole sentence for a key, in any envelope (Cognitive Services' {"error": {…}}, a dict)
                               .body("Access denied due to invalid subscription key"), .body("Access denied due to missing subscription key")]),
                         .any([.headerContains("www-authenticate", "AzureApiManagementKey"),
                               .body("subscription key"), .body("Rate limit is exceeded"), .body("call volume quota"),
                               // the validate-jwt policy's default failure message ("Unauthorized. Access token is missing or invalid.";
                               // Azure OpenAI's front end lists the audience and expiry too)
                               .body("Access token is missing or invalid"), .body("Access token is missing, invalid"),
                               // a quota policy's message in the envelope ("Quota exceeded.", "Out of bandwidth quota. …")
                               .all([.jsonKey(["statusCode"]), .any([.body("\"Quota exceeded"), .body("bandwidth quota")])]),
                               // validate-jwt's default message for a request without the token (its failed-validation-error-message)
                               .all([.jsonKey(["statusCode"]), .body("JWT not present")])])],
                  summary: "Azure API Management's gateway refused the call itself[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            // the sentence wherever it stands (an SDK's dict or exception text, not JSON)
                            Extract("sentence", "refusal", from: [.body(after: "Access denied due to", chars: .line)]),
                            Extract("keyname", "subscription key header", from: [.challenge(scheme: "AzureApiManagementKey", parameter: "name")]),
                            // the quota policy's renewal time, read from the sentence wherever it stands (no JSON envelope needed)
                            Extract("renewal", "quota renewal", from: [.body(after: "Quota will be replenished in", chars: .identifier)])],
                  checks: ["the API's product requires a subscription: send the key in Ocp-Apim-Subscription-Key (or the name the challenge gives) or ?subscription-key=",
                           "in the portal: APIs > the API > Settings (Subscription required, header name) and Subscriptions (the key's state and scope)"],
                  variants: [
                      Variant("msg", ["*missing subscription key*"], cause: .authMissing, confidence: .certain,
                              summary: "Azure API Management refused the call: no subscription key was sent[ (header {keyname})]"),
                      Variant("msg", ["*invalid subscription key*"], cause: .authInvalid, confidence: .certain,
                              summary: "Azure API Management refused the call: the subscription key is not valid for this API"),
                      Variant("sentence", ["missing subscription key*"], cause: .authMissing, confidence: .certain,
                              summary: "Azure API Management refused the call: no subscription key was sent[ (header {keyname})]"),
                      Variant("sentence", ["invalid subscription key*"], cause: .authInvalid, confidence: .certain,
                              summary: "Azure API Management (the Cognitive Services / Azure OpenAI front end) refused the call: the key is not valid for this resource or region (\"invalid subscription key or wrong API endpoint\")",
                              checks: ["the key belongs to this resource and region (Keys and Endpoint of the resource in the portal); an OpenAI key or another region's key gets this answer",
                                       "the endpoint's host matches the resource (https://<resource>.openai.azure.com, https://<region>.api.cognitive.microsoft.com)"]),
                      Variant("msg", ["Rate limit is exceeded*", "*call volume quota*", "Quota exceeded*", "*bandwidth quota*"], cause: .rateLimit, confidence: .certain,
                              summary: "Azure API Management's rate-limit or quota policy refused the call: {msg}"),
                      Variant("msg", ["JWT not present*"], cause: .authMissing, confidence: .certain,
                              summary: "Azure API Management's validate-jwt policy found no token in the request (\"{msg}\")",
                              checks: ["send the token where the policy's header-name / query-parameter-name reads it (Authorization: Bearer … by default)"]),
                      Variant("renewal", ["*"], cause: .rateLimit, confidence: .certain,
                              summary: "Azure API Management's quota policy refused the call: out of call volume quota, replenished in {renewal}"),
                  ],
                  specificity: 75),
    ]
}
