import Why403Core

/// Apigee (Edge, X, hybrid) answering for the API behind it (the `api-gateway` layer): a proxy policy's
/// fault in Apigee's own envelope, `{"fault":{"faultstring":"Invalid access token","detail":{"errorcode":
/// "oauth.v2.InvalidAccessToken"}}}`. The envelope names the product; the errorcode's prefix names the policy
/// that raised it (`oauth.v2.` and `keymanagement.service.` for OAuthV2/VerifyAPIKey, `policies.ratelimit.`
/// for Quota and SpikeArrest, `accesscontrol.` for AccessControl), and so the refusal.
enum Apigee {
    static let signatures: [Signature] = [
        Signature(id: "apigee-fault", product: "Apigee", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429, 500, 503],
                  when: [.body("\"faultstring\""), .body("\"errorcode\"")],
                  summary: "Apigee refused the request in a proxy policy[ ({code})][: {fault}]",
                  // The JSON paths first; the text after the key for a fault pasted without its closing braces.
                  extract: [Extract("code", "errorcode", from: [.json("errorcode"), .body(after: "\"errorcode\": \"", chars: .identifier),
                                                               .body(after: "\"errorcode\":\"", chars: .identifier)]),
                            Extract("fault", "faultstring", from: [.json("faultstring"), .body(after: "\"faultstring\": \"", chars: .line),
                                                                  .body(after: "\"faultstring\":\"", chars: .line)])],
                  lookup: "Apigee's Debug (Trace) session of the proxy shows the policy that raised the fault[ ({code})]",
                  checks: ["the errorcode names the policy: oauth.v2.* and keymanagement.service.* are OAuthV2/VerifyAPIKey, policies.ratelimit.* Quota/SpikeArrest, accesscontrol.* AccessControl",
                           "the app's credentials in Apigee (Publish > Apps): approved, not expired, and their API product covers this proxy and path"],
                  variants: [
                      Variant("code", ["*InvalidApiKeyForGivenResource*", "*InvalidAPICallAsNoApiProductMatchFound*", "*InsufficientScope*"],
                              cause: .authScope, confidence: .certain,
                              summary: "Apigee: the credential is valid but its API product does not cover this resource or scope ({code})",
                              checks: ["add this proxy, path and scope to the app's API product, or call with a credential whose product covers it"]),
                      // BasicAuthentication's UnresolvedVariable on the Authorization header: the request carried none.
                      Variant("fault", ["*Unresolved variable : request.header.Authorization*"], cause: .authMissing, confidence: .likely,
                              summary: "Apigee's BasicAuthentication policy found no Authorization header to decode (\"{fault}\")",
                              checks: ["send the credentials as `Authorization: Basic …`, or make the policy's <Source> the variable that carries them"]),
                      Variant("code", ["*FailedToResolveAccessToken*", "*FailedToResolveAPIKey*"], cause: .authMissing, confidence: .certain,
                              summary: "Apigee found no access token or API key where the policy reads it ({code})",
                              checks: ["send the token as `Authorization: Bearer TOKEN` (or the key in the header/query parameter the VerifyAPIKey policy names)"]),
                      Variant("code", ["*InvalidAccessToken*", "*invalid_access_token*", "*access_token_expired*", "*InvalidApiKey*", "*ApiKeyNotApproved*",
                                       "*invalid_client*", "*apiresource_doesnot_exist*"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "Apigee did not accept the access token or API key ({code})[: {fault}]",
                              checks: ["request a new token (tokens expire) or check the key is the app's consumer key, approved, for this environment",
                                       "the token must go in `Authorization: Bearer TOKEN`; another scheme is read as no valid token"]),
                      Variant("code", ["policies.ratelimit.*"], cause: .rateLimit, confidence: .certain,
                              summary: "Apigee's Quota or SpikeArrest policy refused the request ({code})",
                              checks: ["wait for the quota interval to reset or slow down; the app's API product sets the quota"]),
                      Variant("code", ["accesscontrol.*"], cause: .accessIP, confidence: .certain,
                              summary: "Apigee's AccessControl policy refused the client's address ({code})"),
                  ],
                  specificity: 70),
        // Apigee Edge Microgateway (edgemicro, Node.js): its volos quota and spike arrest plugins answer `{"message":"exceeded
        // quota","status":403}` and `{"message":"SpikeArrest engaged","status":503}` (apigee-127/volos), with the quota's
        // X-RateLimit-* headers; from their sources (`Benchmarks/field/documented/gateways-3.json`).
        Signature(id: "apigee-microgateway-limit", product: "Apigee Edge Microgateway", layer: .apiGateway, cause: .rateLimit, confidence: .certain,
                  statuses: [403, 429, 503],
                  when: [.any([.body("\"message\":\"exceeded quota\""), .body("\"message\":\"SpikeArrest engaged\"")]), .body("\"status\":")],
                  summary: "Apigee Edge Microgateway's [{plugin} ]plugin refused the request: the product's quota or spike arrest rate is used up",
                  extract: [Extract("plugin", "plugin", from: [.body(after: "\"message\":\"", chars: .alphanumeric)])],
                  checks: ["the API product's quota (Edge UI > Publish > API Products) and the microgateway's quota / spikearrest settings in its config YAML; wait for X-RateLimit-Reset"],
                  specificity: 70),
    ]
}
