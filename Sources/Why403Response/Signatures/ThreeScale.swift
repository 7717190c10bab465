import Why403Core

/// Red Hat 3scale API Management's gateway, APIcast (OpenResty), answering for itself with a one-line text body: the
/// service's configurable error messages, whose defaults are "Authentication parameters missing" (no credentials, 403 from
/// the admin portal's defaults, 401 from APIcast's own fallback), "Authentication failed" (403), "Usage limit exceeded" /
/// "Limits exceeded" (429), and its policies' "IP address not allowed" (IP check) and "Request blocked due to JWT claim
/// policy" (JWT claim check); the portal's defaults are sent as `text/plain; charset=us-ascii`, and `Server: openresty`.
/// From APIcast's and 3scale porta's sources (`Benchmarks/field/documented/gateways-3.json`). The common-word ones
/// ("Authentication failed", "Limits exceeded", "IP address not allowed") name 3scale only with its headers.
enum ThreeScale {
    static let headers: Condition = .any([.headerContains("content-type", "charset=us-ascii"), .headerContains("server", "openresty")])

    static let signatures: [Signature] = [
        Signature(id: "threescale-apicast", product: "Red Hat 3scale APIcast", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.bodyIs("Authentication parameters missing"), .bodyIs("Usage limit exceeded"), .bodyIs("Request blocked due to JWT claim policy"),
                               .all([headers, .any([.bodyIs("Authentication failed"), .bodyIs("Limits exceeded"), .bodyIs("IP address not allowed")])])])],
                  summary: "3scale's APIcast gateway refused the request itself",
                  extract: [Extract("msg", "message", from: [.body(after: "Authentication ", chars: .line), .body(after: "Usage limit ", chars: .line),
                                                             .body(after: "Limits ", chars: .line), .body(after: "IP address ", chars: .line),
                                                             .body(after: "Request blocked due to ", chars: .line)])],
                  checks: ["the service's authentication settings in the 3scale admin portal (Integration > Settings): where APIcast reads the credentials (user_key / app_id and app_key / OIDC token, in a header or the query)",
                           "the application's plan and its usage limits (Applications > the application), and the policy chain of the service"],
                  variants: [
                      Variant("msg", ["parameters missing*"], cause: .authMissing, confidence: .certain,
                              summary: "3scale's APIcast found no credentials where the service reads them (\"Authentication parameters missing\")",
                              checks: ["send the user_key (or app_id and app_key, or the OIDC token) in the parameter or header the service's Integration settings name"]),
                      Variant("msg", ["failed*"], cause: .authInvalid, confidence: .likely,
                              summary: "3scale's APIcast did not accept the credentials (\"Authentication failed\"): an unknown or suspended application key, or a token it could not verify",
                              checks: ["the application behind the key exists, is live (not suspended) and belongs to this service; an OIDC token must come from the service's issuer"]),
                      Variant("msg", ["exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "3scale's APIcast refused the request: the application's plan's usage limit is used up",
                              checks: ["the application plan's limits for the metric this path maps to; wait for Retry-After, or raise the limit"]),
                      Variant("msg", ["not allowed*"], cause: .accessIP, confidence: .certain,
                              summary: "3scale's APIcast IP check policy refused the client's address (\"IP address not allowed\")",
                              checks: ["the IP check policy's list and its client_ip_sources (last_caller, or X-Forwarded-For behind a proxy)"]),
                      Variant("msg", ["JWT claim policy*"], cause: .authRole, confidence: .certain,
                              summary: "3scale's APIcast JWT claim check policy refused the token's claims (\"Request blocked due to JWT claim policy\")",
                              checks: ["the policy's rules: the claim it tests (a role, a group) and the value the token carries (`why403 token TOKEN`)"]),
                  ],
                  specificity: 60),
    ]
}
