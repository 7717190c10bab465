import Why403Core

/// Varnish: its synthetic error page ("Error 403 Forbidden … Guru Meditation: XID: …") and
/// `x-varnish` / `via: 1.1 varnish`. Fastly's pages say "Guru Mediation" and are Fastly's.
enum Varnish {
    static let signatures: [Signature] = [
        Signature(id: "varnish", product: "Varnish", layer: .varnish, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [.body("Guru Meditation"), .not(Fastly.edge)],
                  summary: "Varnish answered with a synthetic 403: a VCL rule refused[ (XID {xid})]",
                  extract: [Extract("xid", "XID", from: [.body(after: "XID:", chars: .digits), .header("x-varnish")])],
                  lookup: "varnishlog -d -q 'vxid == {xid}' on the cache shows the VCL path that answered",
                  checks: ["grep the VCL for synth(403 / return (synth(403: an ACL (client.ip ~ …) means access.ip, a URL or header test access.deny or bot.block"],
                  specificity: 80),
            Signature(id: "varnish-cachewall", product: "Varnish Cachewall", layer: .varnish, cause: .wafRule, confidence: .likely,
                  statuses: [403, 429, 503], when: [.header("x-cachewall-action")],
                  summary: "Varnish Cachewall (Varnish's WAF) answered with action {action}[: {reason}]",
                  extract: [Extract("action", "x-cachewall-action", from: [.header("x-cachewall-action")]),
                            Extract("reason", "x-cachewall-reason", from: [.header("x-cachewall-reason")])],
                  checks: ["the Cachewall rule set and its log name the rule that matched"],
                  variants: [Variant("action", ["challenge*", "captcha*"], cause: .botBlock, confidence: .certain,
                                     summary: "Varnish Cachewall served a security challenge instead of the content[: {reason}]")],
                  specificity: 82),
        Signature(id: "varnish-bot-page", product: "Varnish", layer: .varnish, cause: .botBlock, confidence: .likely,
                  statuses: [403, 429],
                  when: [.any([.header("x-varnish"), .headerContains("via", "varnish"), .headerContains("server", "Varnish")]), .not(Fastly.edge),
                         .any([.body("similar to automated requests"), .body("looks suspicious"), .body("automated requests")])],
                  summary: "Varnish's VCL served a page that says the request looked automated: a bot rule in the VCL refused[ (XID {xid})]",
                  extract: [Extract("xid", "XID", from: [.header("x-varnish")])],
                  lookup: "varnishlog -d -q 'vxid == {xid}' on the cache shows the VCL path that answered",
                  checks: ["grep the VCL for the synth/return that serves this page: a User-Agent or request-pattern test"],
                  specificity: 78),
    ]
}
