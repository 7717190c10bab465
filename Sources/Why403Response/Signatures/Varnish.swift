import Why403Core

/// Varnish: its synthetic error page ("Error 403 Forbidden … Guru Meditation: XID: …") and
/// `x-varnish` / `via: 1.1 varnish`. Fastly's pages say "Guru Mediation" and are Fastly's.
enum Varnish {
    static let signatures: [Signature] = [
        Signature(id: "varnish", product: "Varnish", layer: .varnish, cause: .unknown, confidence: .likely,
                  // Also the synthetic page with its footer and "Guru Meditation" heading renamed (a host's own template):
                  // its `<h1>Error 403 …</h1>` and `<p>XID: …</p>` are still Varnish's.
                  statuses: [403], when: [.any([.body("Guru Meditation"), .all([.body("<h1>Error 403 "), .body("<p>XID: ")])]), .not(Fastly.edge)],
                  summary: "Varnish answered with a synthetic 403: a VCL rule refused[ (XID {xid})]",
                  extract: [Extract("xid", "XID", from: [.body(after: "XID:", chars: .digits), .header("x-varnish")]),
                            Extract("title", "error", from: [.body(after: "<h1>Error 403 ", chars: .line)])],
                  lookup: "varnishlog -d -q 'vxid == {xid}' on the cache shows the VCL path that answered",
                  checks: ["grep the VCL for synth(403 / return (synth(403: an ACL (client.ip ~ …) means access.ip, a URL or header test access.deny or bot.block"],
                  variants: [Variant("title", ["*User-Agent is banned*"], cause: .botBlock, confidence: .certain,
                                     summary: "Varnish's VCL refused the request's User-Agent (\"Your User-Agent is banned from this site\")[ (XID {xid})]",
                                     checks: ["the VCL's User-Agent list (a req.http.User-Agent ~ test before synth(403)): a library's default agent (python-requests, curl) is often on it"])],
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
        // The same synthetic page for the statuses Varnish gives on its own: 503 when it got no usable answer from
        // the backend ("Backend fetch failed", "Service Unavailable"), 429 when a VCL rate rule (vsthrottle) answered.
        Signature(id: "varnish-error-page", product: "Varnish", layer: .varnish, cause: .unknown, confidence: .likely,
                  statuses: [401, 429, 503],
                  when: [.any([.body("Guru Meditation"), .body("Varnish cache server")]), .body("XID"), .not(Fastly.edge)],
                  summary: "Varnish answered with its own error page[ ({title})][ (XID {xid})]: for a 503 the cache got no usable answer from the backend, nothing was refused on purpose",
                  extract: [Extract("xid", "XID", from: [.body(after: "XID:", chars: .digits), .header("x-varnish")]),
                            Extract("code", "error status", from: [.body(after: "Error ", chars: .digits)]),
                            Extract("title", "error", from: [.body(after: "Error ", chars: .line)])],
                  lookup: "varnishlog -d -q 'vxid == {xid}' on the cache shows the backend fetch (FetchError: connection refused, timeout, health probe) or the VCL rule that answered",
                  checks: ["for a 503: the backend's health (varnishadm backend.list) and the FetchError in varnishlog; the application behind Varnish is down, slow or refusing connections",
                           "for a 429: grep the VCL for vsthrottle / synth(429: a rate rule keyed on the client address"],
                  variants: [Variant("code", ["401"], cause: .unknown, confidence: .likely,
                                     summary: "Varnish's VCL answered 401 with its own page[ (XID {xid})]: a VCL rule asks for credentials (an Authorization test before synth(401))",
                                     checks: ["grep the VCL for synth(401: the Authorization value it compares (a Basic pair in the VCL itself)"]),
                             Variant("code", ["429"], cause: .rateLimit, confidence: .likely,
                                     summary: "Varnish's VCL answered 429 Too Many Requests with its own page[ (XID {xid})]: a rate rule in the VCL held the client back")],
                  specificity: 79),
        // The synthetic page with 405: a VCL rule refused the method. Varnish's documentation (users guide, "Purging
        // and banning") answers a PURGE or BAN from outside `acl purge` with `return (synth(405, "Not allowed."))`, and
        // cache extensions (Magento's) copy it: that reason names the address check; another reason only a method rule.
        Signature(id: "varnish-method-refused", product: "Varnish", layer: .varnish, cause: .accessDeny, confidence: .possible,
                  statuses: [405],
                  when: [.any([.body("Guru Meditation"), .body("Varnish cache server")]), .body("XID"), .not(Fastly.edge)],
                  summary: "Varnish's VCL refused the request's method with its own 405 page[ ({title})][ (XID {xid})]",
                  extract: [Extract("xid", "XID", from: [.body(after: "XID:", chars: .digits), .header("x-varnish")]),
                            Extract("title", "error", from: [.body(after: "Error ", chars: .line)])],
                  lookup: "varnishlog -d -q 'vxid == {xid}' on the cache shows the VCL path that answered",
                  checks: ["grep the VCL for synth(405: the test before it (a method list, or an ACL such as `!client.ip ~ purge`)"],
                  fixes: [Fix(summary: "for a PURGE or BAN: add the address the purging client connects from to the VCL's ACL (not 127.0.0.1 when it comes over the LAN), then `varnishreload`")],
                  variants: [Variant("title", ["405 Not allowed*"], cause: .accessIP, confidence: .likely,
                                     summary: "Varnish's VCL refused a PURGE or BAN from an address outside its ACL (\"405 Not allowed.\", the documented purge rule)[ (XID {xid})]")],
                  specificity: 79),
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
