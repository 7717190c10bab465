import Why403Core

/// Google Cloud Endpoints' Extensible Service Proxy (ESP, the nginx-based v1) answering for the API behind it (the
/// `api-gateway` layer): a `google.rpc.Status` object whose one detail is a `DebugInfo` with empty `stackEntries` and
/// the step that refused in `detail` ("auth", "service_control"):
/// `{"code": 16, "message": "JWT validation failed: BAD_FORMAT", "details": [{"@type": "type.googleapis.com/google.rpc.DebugInfo",
/// "stackEntries": [], "detail": "auth"}]}`. Code 16 is UNAUTHENTICATED, 7 PERMISSION_DENIED. ESPv2 (Envoy-based, behind Google
/// Cloud API Gateway) writes the HTTP code and Envoy's JWT sentence instead: `{"code":401,"message":"Jwt is missing"}`.
enum GoogleCloudEndpoints {
    static let signatures: [Signature] = [
        Signature(id: "cloud-endpoints-esp", product: "Google Cloud Endpoints (ESP)", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.all([.body("google.rpc.DebugInfo"), .body("\"stackEntries\"")]),
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
                      Variant("msg", ["JWT validation failed: KEY_RETRIEVAL_ERROR*", "*Unable to fetch verification key*"], cause: .unknown, confidence: .certain,
                              summary: "Cloud Endpoints' proxy could not fetch the issuer's signing keys to check the token ({msg}): the proxy's own outbound access, not the token",
                              checks: ["the jwks_uri in the service configuration is reachable from the ESP container (DNS, egress, TLS)",
                                       "ESP's log names the fetch that failed"]),
                  ],
                  specificity: 76),
    ]
}
