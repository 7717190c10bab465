import Why403Core

/// Imperva (Incapsula): the "Request unsuccessful. Incapsula incident ID: …" page (often in an
/// iframe of `/_Incapsula_Resource`), `x-iinfo`, `x-cdn: Imperva`.
enum Imperva {
    static let signatures: [Signature] = [
        Signature(id: "imperva-incident", product: "Imperva", layer: .imperva, cause: .wafRule, confidence: .likely,
                  // 503 too: the same stub answers a held-back crawler with 503 (a weekly crawl of missouri.gov/robots.txt, 2020)
                  statuses: [200, 403, 503], when: [.any([.body("Incapsula incident ID"), .body("_Incapsula_Resource")]),
                                               // at 200 (or 503) only the block page itself, not a page that merely loads Imperva's script
                                               .any([.status([403]), .body("Request unsuccessful")])],
                  summary: "Imperva blocked this request[ (incident ID {incident})]",
                  extract: [Extract("incident", "Incapsula incident ID", from: [.body(after: "incident ID:", chars: .identifier), .body(after: "incident_id=", chars: .identifier)]),
                            Extract("iinfo", "x-iinfo", from: [.header("x-iinfo")]),
                            // The bot-classification script beside the incident iframe: the stub a client must run.
                            Extract("challenge", "Incapsula challenge script", from: [.body(after: "_Incapsula_Resource?SWJIYLWA=", chars: .hex)])],
                  lookup: "look up the incident ID[ {incident}] in the Imperva Cloud Security Console: Security Events (it names the rule: WAF, bot, ACL by IP or country)",
                  checks: ["a security rule (SQLi/XSS/illegal resource)", "Bot protection (client classification)", "an access control rule: blocked IPs, countries or URLs"],
                  fixes: [Fix(summary: "if legitimate, add an exception to the triggered rule scoped to this URL and client")],
                  variants: [
                      Variant("challenge", ["*"], cause: .botBlock, confidence: .likely,
                              summary: "Imperva held the client back with its bot-classification stub (the SWJIYLWA script and the incident iframe)[ (incident ID {incident})]"),
                  ],
                  specificity: 80),
            Signature(id: "imperva-challenge", product: "Imperva", layer: .imperva, cause: .botBlock, confidence: .certain,
                  statuses: [200, 403, 429],
                  // Also the Advanced Bot Protection interstitial ("Pardon Our Interruption" with Imperva's
                  // `window.isImpervaSpaSupport` hook), which has no _Incapsula_Resource path.
                  when: [.any([.body("_Incapsula_Resource?SWJIYLWA="), .body("_Incapsula_Resource?SWUDNSAI="), .body("Request unsuccessful. Incapsula"),
                               .body("window.isImpervaSpaSupport")]),
                         .not(.body("incident ID")), .not(.body("incident_id="))],
                  summary: "Imperva served its JavaScript challenge instead of the content: the client has to run it to prove it is a browser",
                  extract: [Extract("iinfo", "x-iinfo", from: [.header("x-iinfo")])],
                  lookup: "Imperva Cloud Security Console > Security Events for the site (Bot Protection / client classification)",
                  checks: ["a script cannot run the challenge: ask the site to classify the client as a good bot or to exempt the path in the bot-protection settings"],
                  specificity: 82),
        // Distil Networks' block page (Imperva bought Distil in 2019 and its bot defence became Imperva's): "Pardon Our
        // Interruption… something about your browser made us think you were a bot", its assets on cdn.distilnetworks.com.
        Signature(id: "distil-block-page", product: "Distil Networks (Imperva Advanced Bot Protection)", layer: .imperva, cause: .botBlock, confidence: .certain,
                  statuses: [200, 403, 405],
                  when: [.any([.body("distilnetworks.com"), .body("made us think you were a bot")]), .body("Pardon Our Interruption")],
                  summary: "Distil's (Imperva's) bot defence refused the client: its page says the browser looked like a bot",
                  checks: ["a script or crawler is what it detects: ask the site to allow the client (its bot rules), or use the site's API",
                           "a browser with JavaScript or cookies off, or an extension that blocks the page's script, is flagged too"],
                  specificity: 83),
    ]
}
