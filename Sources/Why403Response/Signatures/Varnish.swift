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
    ]
}
