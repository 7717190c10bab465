import Why403Core

/// Envoy (and Istio's sidecars and gateways): `server: envoy`, `x-envoy-*` headers, and its local replies
/// in plain text: `RBAC: access denied` from the RBAC filter, `Jwt is missing` / `Jwt verification fails`
/// from the JWT filter; Istio's Mixer-era RBAC adapter (before 1.4) said `PERMISSION_DENIED:handler.rbac.<ns>:RBAC:
/// permission denied.`
/// The JWT filter's 401 can arrive without its body (a debug log of the encoded headers, a HEAD): it is Envoy's
/// own when an Envoy header names the proxy (`x-envoy-peer-metadata-id`, `server: envoy`/`istio-envoy`), no
/// `x-envoy-upstream-service-time` says an upstream answered, and the Bearer challenge's realm is the request's
/// URL (`WWW-Authenticate: Bearer realm="http://host/path", error="invalid_token"`, since Envoy 1.19); the
/// challenge's error then says the cause.
enum Envoy {
    static let jwtChallenge: Condition = .all([.any([.header("x-envoy-peer-metadata-id"), .headerContains("server", "envoy")]),
                                              .not(.header("x-envoy-upstream-service-time")),
                                              .challenge(scheme: "Bearer", error: nil), .headerContains("www-authenticate", "realm=\"http")])

    static let signatures: [Signature] = [
        Signature(id: "envoy-local-reply", product: "Envoy", layer: .envoy, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.body("RBAC: access denied"), .body("Jwt is missing"), .body("Jwt verification fails"), .body("Jwt is expired"),
                               .body("Jwt issuer is not configured"), .body("Audiences in Jwt are not allowed"),
                               // Istio before 1.4 denied through Mixer: "PERMISSION_DENIED:handler.rbac.istio-system:RBAC: permission denied."
                               .body("RBAC: permission denied"),
                               // the JWT filter's 401 headers without the body
                               jwtChallenge])],
                  summary: "Envoy answered itself[ (RBAC: {rbac})][ (Jwt {jwt})]: a filter refused before any upstream saw the request",
                  extract: [Extract("rbac", "RBAC filter", from: [.body(after: "RBAC:", chars: .line)]),
                            Extract("jwt", "JWT filter", from: [.body(after: "Jwt ", chars: .line)])],
                  checks: ["RBAC: the RBAC filter's policies (Istio AuthorizationPolicy) did not allow this request; the principal or source they match says whether it is an address rule (access.ip) or an identity rule (auth.role)",
                           "the Envoy access log shows response flags and the filter that answered (%RESPONSE_CODE_DETAILS%: rbac_access_denied_matched_policy[...])"],
                  variants: [
                      Variant("jwt", ["is missing*"], cause: .authMissing, confidence: .certain, summary: "Envoy's JWT filter: no token was sent (Jwt is missing)"),
                      Variant("jwt", ["verification fails*", "is expired*", "issuer*", "*not allowed*"], cause: .authInvalid, confidence: .certain,
                              summary: "Envoy's JWT filter rejected the token (Jwt {jwt})"),
                  ],
                  specificity: 75),
    ]
}
