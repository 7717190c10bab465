import Why403Core

/// Caddy: `server: Caddy` (the server-header hint names it) and the refusals of its modules. The caddy-waf
/// module answers a blocked request with its own plain-text line, `Request blocked by WAF. Reason: <why>`
/// (an anomaly-score threshold, a rule, an IP or country list), which names the module and its reason.
enum Caddy {
    static let signatures: [Signature] = [
        Signature(id: "caddy-waf-block", product: "Caddy (caddy-waf)", layer: .caddy, cause: .wafRule, confidence: .likely,
                  statuses: [403, 429], when: [.body("Request blocked by WAF. Reason:")],
                  summary: "Caddy's caddy-waf module blocked the request[ (reason: {reason})]",
                  extract: [Extract("reason", "caddy-waf reason", from: [.body(after: "Request blocked by WAF. Reason: ", chars: .line)])],
                  lookup: "Caddy's log: caddy-waf logs the rule ids, the anomaly score and the client address of each blocked request",
                  checks: ["\"Anomaly threshold exceeded\": the scores of the matched rules passed anomaly_threshold; the log names the rules",
                           "an IP or country block list (ip_blacklist_file, country_block) can refuse before any rule: check them for the client"],
                  fixes: [Fix(summary: "if the request is legitimate, remove or narrow the rule the log names (or raise anomaly_threshold), not the whole module")],
                  specificity: 80),
    ]
}
