import Why403Core

/// Google Cloud Endpoints' Extensible Service Proxy (ESP, the nginx-based v1) answering for the API behind it (the
/// `api-gateway` layer): a `google.rpc.Status` object whose one detail is a `DebugInfo` with empty `stackEntries` and
/// the step that refused in `detail` ("auth", "service_control"):
/// `{"code": 16, "message": "JWT validation failed: BAD_FORMAT", "details": [{"@type": "type.googleapis.com/google.rpc.DebugInfo",
/// "stackEntries": [], "detail": "auth"}]}`. Code 16 is UNAUTHENTICATED, 7 PERMISSION_DENIED. ESPv2 (Envoy-based, behind Google
/// Cloud API Gateway) writes the HTTP code and Envoy's JWT sentence instead: `{"code":401,"message":"Jwt is missing"}`, and its
/// service-control filter's refusals (the API key, the consumer project, quota) in the same two keys, the message led by the
/// gRPC status name: `{"code":403,"message":"PERMISSION_DENIED: IP address blocked."}`, `{"code":400,"message":"INVALID_ARGUMENT:
/// API key not valid. Please pass a valid API key."}` (GoogleCloudPlatform/esp-v2, check_response_convert_utils.cc) — a
/// refusal whatever the status, 400 included.
enum GoogleCloudEndpoints {
    static let signatures: [Signature] = [
        Signature(id: "cloud-endpoints-esp", product: "Google Cloud Endpoints (ESP)", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.any([.all([.body("google.rpc.DebugInfo"), .body("\"stackEntries\"")]),
                               // ESPv2's service-control refusals: the gRPC status name, then the reason (not Google APIs' {"error": …})
                               .all([.not(.jsonKey(["error"])),
                                     .any([.body("\"message\":\"PERMISSION_DENIED: "), .body("\"message\":\"UNAUTHENTICATED: "),
                                           .body("\"message\":\"INVALID_ARGUMENT: API key"), .body("\"message\":\"INVALID_ARGUMENT: Client project"),
                                           .body("\"message\":\"RESOURCE_EXHAUSTED: ")])]),
                               // ESPv2 (Envoy-based; Google Cloud API Gateway) writes its JWT filter's refusal in the same
                               // status object with the HTTP code: {"code":401,"message":"Jwt is missing"}
                               .body("{\"code\":401,\"message\":\"Jwt "), .body("{\"code\": 401, \"message\": \"Jwt "),
                               .body("{\"code\":403,\"message\":\"Jwt "), .body("{\"code\": 403, \"message\": \"Jwt ")]),
                         .jsonKey(["code"]), .jsonKey(["message"])],
                  summary: "Google Cloud Endpoints' proxy (ESP) refused the request before the API saw it[: {msg}][ (step {step})]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            Extract("step", "ESP step", from: [.body(after: "\"detail\": \"", chars: .identifier), .body(after: "\"detail\":\"", chars: .identifier)])],
                  checks: ["the service configuration's authentication providers (issuer, jwks_uri, audiences) and the API key requirement for this method (gcloud endpoints configs describe)",
                           "the ESP container's log at the time of the request"],
                  variants: [
                      Variant("msg", ["JWT validation failed: Missing*", "*unregistered callers*", "*Missing or invalid credentials*", "Jwt is missing*"], cause: .authMissing, confidence: .certain,
                              summary: "Cloud Endpoints' proxy found no credentials the method requires ({msg})"),
                      Variant("msg", ["JWT validation failed: BAD_FORMAT*", "JWT validation failed: TIME_*", "JWT validation failed: Issuer*",
                                      "JWT validation failed: Audience*", "JWT validation failed: *signature*", "JWT validation failed: *expired*",
                                      "JWT validation failed: JWT_*", "JWT validation failed: KID_*", "JWT validation failed: UNKNOWN_*"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "Cloud Endpoints' proxy rejected the token ({msg})"),
                      Variant("msg", Envoy.jwtRejections.map { $0 + "*" }, cause: .authInvalid, confidence: .certain, summary: "Cloud API Gateway's proxy (ESPv2) rejected the token ({msg})"),
                      // ESPv2's service-control refusals (esp-v2's check_response_convert_utils.cc)
                      Variant("msg", ["INVALID_ARGUMENT: API key*", "*Client project not*", "*Project has been deleted*",
                                      "*credential in the request can not be verified*", "*does not represent a valid consumer*"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "Cloud API Gateway's proxy (ESPv2) did not accept the API key or its project ({msg})",
                              checks: ["the key (APIs & Services > Credentials): it exists, is not expired, and belongs to a live project"]),
                      Variant("msg", ["PERMISSION_DENIED: IP address blocked*"], cause: .accessIP, confidence: .certain,
                              summary: "Cloud API Gateway's proxy (ESPv2) refused the API key's IP-address restriction ({msg})",
                              checks: ["the key's application restrictions (IP addresses) must list the caller's public address"]),
                      Variant("msg", ["PERMISSION_DENIED: Referer blocked*"], cause: .hotlinkReferer, confidence: .certain,
                              summary: "Cloud API Gateway's proxy (ESPv2) refused the API key's HTTP-referrer restriction ({msg})",
                              checks: ["the key's Website restrictions must list the page's origin; a server-side caller sends no Referer"]),
                      Variant("msg", ["RESOURCE_EXHAUSTED:*"], cause: .rateLimit, confidence: .certain,
                              summary: "Cloud API Gateway's proxy (ESPv2) refused the call on quota ({msg})",
                              checks: ["the API's quota for the consumer project (APIs & Services > the API > Quotas) and the service configuration's metric rules"]),
                      Variant("msg", ["JWT validation failed: KEY_RETRIEVAL_ERROR*", "*Unable to fetch verification key*"], cause: .unknown, confidence: .certain,
                              summary: "Cloud Endpoints' proxy could not fetch the issuer's signing keys to check the token ({msg}): the proxy's own outbound access, not the token",
                              checks: ["the jwks_uri in the service configuration is reachable from the ESP container (DNS, egress, TLS)",
                                       "ESP's log names the fetch that failed"]),
                  ],
                  specificity: 76, disguised: true),
    ]
}
