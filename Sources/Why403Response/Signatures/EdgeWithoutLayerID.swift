import Why403Core

/// Edge products report-v1 has no layer id for yet (as LiteSpeed): the layer stays `unknown`, the product is
/// named in the summary and `rule`, and the cause is what the page says.
/// - StackPath's WAF: `x-hw` names its WAF back ends (`…-wafbe…stackpath.systems`), `server: fbs`, and its page
///   "… is using a security service for protection against online attacks. An action has triggered the service and
///   blocked your request." with a Reference ID.
/// - RedShield: "Invalid Request: Support ID …" / "Your request has been blocked for security purposes" with
///   support@red-shield.net.
/// - Linkerd's proxy (Rust, not Envoy): an authorization policy's or rate limit's refusal carries `l5d-proxy-error`
///   ("unauthorized request on route", "total rate limit exceeded: Nrps", "per-identity …", "override …") over an empty
///   body; the header reaches meshed clients only (linkerd2-proxy's source; `Benchmarks/field/documented/envoy-2.json`).
/// - Vercel's firewall: `x-vercel-mitigated: challenge` with the "Vercel Security Checkpoint" page (a challenge, so
///   `bot.block` whatever rule issued it).
enum EdgeWithoutLayerID {
    static let signatures: [Signature] = [
        Signature(id: "linkerd-proxy-denied", product: "Linkerd proxy", layer: .unknown, cause: .unknown, confidence: .likely,
                  statuses: [403, 429],
                  when: [.any([.headerContains("l5d-proxy-error", "unauthorized request on route"), .headerContains("l5d-proxy-error", "rate limit exceeded")])],
                  summary: "Linkerd's proxy refused the request (report-v1 has no Linkerd layer id): {err}",
                  extract: [Extract("err", "l5d-proxy-error", from: [.header("l5d-proxy-error")])],
                  checks: ["`linkerd viz authz -n NAMESPACE deploy/NAME` lists the server's authorization policies and which requests they refused"],
                  variants: [
                      Variant("err", ["*rate limit exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "Linkerd's proxy rate limit refused the request ({err})",
                              checks: ["the HTTPLocalRateLimitPolicy on the server: its total, identity and override limits"]),
                      Variant("err", ["*unauthorized request on route*"], cause: .authRole, confidence: .likely,
                              summary: "Linkerd's authorization policy does not allow this client on this route ({err})",
                              checks: ["the AuthorizationPolicy and MeshTLSAuthentication / NetworkAuthentication for the route: the client's mesh identity (its service account) or network must be listed"]),
                  ],
                  specificity: 80),
        Signature(id: "stackpath-waf", product: "StackPath WAF", layer: .unknown, cause: .wafRule, confidence: .likely,
                  statuses: [403],
                  when: [.any([.headerContains("x-hw", "stackpath.systems"), .body("Protected by StackPath"), .body("<title>StackPath</title>")]),
                         .any([.headerContains("x-hw", "wafbe"), .body("An action has triggered the service and blocked your request")])],
                  summary: "StackPath's WAF blocked the request (report-v1 has no StackPath layer id)[ (Reference ID {ref})]",
                  extract: [Extract("ref", "Reference ID", from: [.body(after: "Reference ID", chars: .hex)]),
                            Extract("hw", "x-hw", from: [.header("x-hw")])],
                  lookup: "StackPath portal > the site > WAF > Requests: find the request by the client address and time[ (Reference ID {ref})]",
                  checks: ["the WAF's request log names the rule or policy (a managed rule, an IP or country rule, a rate rule) that blocked it"],
                  specificity: 78),
        Signature(id: "redshield-block", product: "RedShield", layer: .unknown, cause: .wafRule, confidence: .likely,
                  statuses: [403],
                  when: [.any([.body("red-shield.net"), .body("RedShield")]),
                         .any([.body("Your request has been blocked for security purposes"), .body("Invalid Request: Support ID")])],
                  summary: "RedShield's web application firewall blocked the request (report-v1 has no RedShield layer id)[ (Support ID {support})]",
                  extract: [Extract("support", "Support ID", from: [.body(after: "Support ID", chars: .digits)])],
                  lookup: "send the Support ID[ {support}] to RedShield (support@red-shield.net, as the page says): their logs name the rule",
                  checks: ["the request's payload (query, body, headers) is what a WAF rule matches: compare with a request that passes"],
                  specificity: 78),
        Signature(id: "vercel-challenge", product: "Vercel Firewall", layer: .unknown, cause: .botBlock, confidence: .certain,
                  statuses: [403, 429],
                  when: [.any([.headerContains("x-vercel-mitigated", "challenge"), .body("<title>Vercel Security Checkpoint</title>")])],
                  summary: "Vercel's firewall served its Security Checkpoint challenge instead of the page (report-v1 has no Vercel layer id)[ (request {id})]",
                  extract: [Extract("id", "x-vercel-id", from: [.header("x-vercel-id")]),
                            Extract("mitigated", "x-vercel-mitigated", from: [.header("x-vercel-mitigated")])],
                  lookup: "Vercel dashboard > the project > Firewall: the rule or Attack Challenge Mode that challenged the request[ ({id})]",
                  checks: ["a browser passes the checkpoint; a script does not: Attack Challenge Mode, or a custom rule with the challenge action, is on",
                           "for an API or a bot that must get through, add a bypass rule for its path or address"],
                  specificity: 82),
    ]
}
