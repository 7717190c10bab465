import Why403Core

/// Higress (Alibaba's Envoy-based gateway, also sold as MSE Gateway) answering for itself through its Wasm plugins:
/// "Request denied by Key Auth check. …", "… by Basic Auth check. …", "… by JWT Auth check. …" with a challenge whose
/// realm is the hard-coded "MSE Gateway"; its bot-detect plugin's "Invalid User-Agent" and its ip-restriction plugin's
/// `{"message":"Your IP address is blocked."}`. From its plugins' sources (`Benchmarks/field/documented/envoy-2.json`).
enum Higress {
    static let signatures: [Signature] = [
        Signature(id: "higress-plugin-denied", product: "Higress (MSE Gateway)", layer: .envoy, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.body("Request denied by Key Auth check."), .body("Request denied by Basic Auth check."),
                               .body("Request denied by JWT Auth check."), .headerContains("www-authenticate", "realm=MSE Gateway"),
                               .all([.bodyIs("{\"message\":\"Your IP address is blocked.\"}")]),
                               .all([.bodyIs("Invalid User-Agent"), .any([.headerContains("server", "envoy"), .header("x-envoy-upstream-service-time")])])])],
                  summary: "Higress' plugin refused the request[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "Auth check.", chars: .line), .json("message"), .bodyLine])],
                  checks: ["the route's plugin configuration in Higress (the console, or the WasmPlugin resource): its consumers, allow list and global_auth setting"],
                  variants: [
                      Variant("msg", ["No * information found*", "JWT is missing*"], cause: .authMissing, confidence: .certain,
                              summary: "Higress found no credentials for its auth plugin ({msg})"),
                      Variant("msg", ["Invalid username*", "Multi Key*", "JWT is expired*", "JWT verification fails*"], cause: .authInvalid, confidence: .certain,
                              summary: "Higress' auth plugin did not accept the credentials ({msg})"),
                      Variant("msg", ["Unauthorized consumer*", "JWT token not allow*"], cause: .authRole, confidence: .certain,
                              summary: "Higress knows the consumer but the route's allow list leaves it out ({msg})",
                              checks: ["the plugin's `allow` list for this route must name the consumer"]),
                      Variant("msg", ["Your IP address is blocked*"], cause: .accessIP, confidence: .certain,
                              summary: "Higress' ip-restriction plugin refused the client's address",
                              checks: ["the plugin's allow/deny lists and ip_source_type (origin-source or a header such as X-Forwarded-For)"]),
                      Variant("msg", ["Invalid User-Agent*"], cause: .botBlock, confidence: .certain,
                              summary: "Higress' bot-detect plugin refused the User-Agent"),
                  ],
                  specificity: 70),
    ]
}
