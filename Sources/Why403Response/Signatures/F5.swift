import Why403Core

/// F5 BIG-IP ASM / Advanced WAF: the default blocking page "The requested URL was rejected. Please
/// consult with your administrator. Your support ID is: …".
enum F5 {
    static let signatures: [Signature] = [
        // `likely`, not certain: ASM answers every blocked violation with this page, its geolocation and IP-intelligence
        // violations too (`geo.block`, `access.ip`); only the event the support ID finds says which.
        Signature(id: "f5-asm", product: "F5 BIG-IP ASM", layer: .f5, cause: .wafRule, confidence: .likely,
                  statuses: [200, 403], when: [.any([.body("The requested URL was rejected"), .body("Your support ID is"), .body("support ID anda"),
                                               .body("Su ID de soporte es"), .body("Votre ID de support"), .body("Ihre Support-ID")])],
                  summary: "the BIG-IP ASM security policy rejected this request[ (support ID {support})]",
                  extract: [Extract("support", "support ID", from: [.body(after: "support ID is:", chars: .digits), .body(after: "support ID is", chars: .digits), .body(after: "support ID", chars: .digits),
                                                                    .body(after: "ID de soporte", chars: .digits), .body(after: "Support-ID", chars: .digits)]),
                            // A page reworded to name the module that rejected ("rejected by Bot Defense").
                            Extract("module", "rejected by", from: [.body(after: "The requested URL was rejected by", chars: .line)])],
                  lookup: "BIG-IP Configuration utility: Security > Event Logs > Application > Requests, filter by the Support ID[ {support}] (it lists the violations)",
                  checks: ["the violation decides the cause: an attack signature or other policy violation is a rule; Illegal geolocation is the client's country; an IP-intelligence category is its address"],
                  fixes: [Fix(summary: "if the request is legitimate, relax only the violation it names (Policy Builder suggestion or entity exception), then apply the policy")],
                  variants: [
                      Variant("module", ["*bot defense*"], cause: .botBlock, confidence: .certain,
                              summary: "BIG-IP's Bot Defense rejected this request as a bot[ (support ID {support})]",
                              checks: ["Security > Event Logs > Bot Defense > Requests, filter by the support ID: the bot class and the anomaly (no JavaScript, a known scraper signature, …)"]),
                  ],
                  specificity: 85),
        // The blocking page customised by the site (its own words, an error number in place of the support ID) keeps
        // ASM's template around it: the "Request Rejected" title and the `[Go Back]` history.back() link, served with
        // ASM's no-cache headers, often with status 200.
        Signature(id: "f5-asm-custom-page", product: "F5 BIG-IP ASM", layer: .f5, cause: .wafRule, confidence: .likely,
                  statuses: [200, 403],
                  when: [.body("<title>Request Rejected</title>"), .body("javascript:history.back();"), .body("[Go Back]")],
                  summary: "a customised BIG-IP ASM blocking page (ASM's \"Request Rejected\" template with the site's own text): the security policy rejected this request",
                  lookup: "BIG-IP Configuration utility: Security > Event Logs > Application > Requests, filter by the number the page shows (ASM's support ID) or by time and client address",
                  checks: ["a status 200 does not mean success here: the body is the blocking page"],
                  fixes: [Fix(summary: "if the request is legitimate, relax only the violation the event names (Policy Builder suggestion or entity exception), then apply the policy")],
                  specificity: 80),
    ]
}
