import Why403Core

/// Sucuri Website Firewall: `server: Sucuri/Cloudproxy`, `x-sucuri-id`, and its "Access Denied -
/// Sucuri Website Firewall" page with a Block ID and a Block reason.
enum Sucuri {
    static let signatures: [Signature] = [
        Signature(id: "sucuri-block", product: "Sucuri", layer: .sucuri, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [.any([.body("Sucuri Website Firewall"), .body("Sucuri WebSite Firewall"), .header("x-sucuri-block"), .body("GoDaddy Security - Access Denied")]),
                                          .any([.body("Access Denied"), .header("x-sucuri-block")])],
                  summary: "Sucuri's firewall blocked this request[: {reason}][ (Block ID {block})]",
                  extract: [Extract("block", "Block ID", from: [.header("x-sucuri-block"), .body(after: "Block ID:", chars: .identifier)]),
                            Extract("reason", "Block reason", from: [.body(after: "Block reason:", chars: .line)]),
                            Extract("sid", "Sucuri server id", from: [.header("x-sucuri-id")])],
                  lookup: "Sucuri dashboard > Firewall (WAF) > Audit Trails, filter by the client's IP and time[ (Block ID {block})]",
                  variants: [
                      // The page's own reason first: BNP005 is "Bad bot access attempt." (a bot rule, not an address list).
                      Variant("reason", ["*bad bot*"], cause: .botBlock, confidence: .certain),
                      Variant("block", ["GEO*"], cause: .geoBlock, confidence: .certain),
                      Variant("block", ["BL*", "BNP*", "IP*"], cause: .accessIP, confidence: .likely),
                      Variant("block", ["RFI*", "LFI*", "XSS*", "SQL*", "EXP*", "CMD*", "VRSP*"], cause: .wafRule, confidence: .certain),
                      Variant("block", ["BOT*"], cause: .botBlock, confidence: .likely),
                  ],
                  specificity: 80),
    ]
}
