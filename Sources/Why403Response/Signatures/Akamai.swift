import Why403Core

/// Akamai: `server: AkamaiGHost`, and the "Access Denied … Reference #18.6f2e1602.1700000000.1a2b3c4d"
/// page (newer pages write it with character references, decoded before matching; some write
/// "Reference 0.…" without `#`, some send no `Server` header at all, only `X-Reference-Error`,
/// `X-Akam-SW-Version` or `Server-Timing: cdn-cache…, edge`). Pasted pages are recognised by their words.
enum Akamai {
    static let edge: Condition = .any([.headerContains("server", "AkamaiGHost"), .headerContains("server", "AkamaiNetStorage"),
                                       .header("akamai-grn"), .header("x-akamai-request-id"), .header("x-reference-error"),
                                       .header("x-akam-sw-version"), .body("errors.edgesuite.net"),
                                       // Akamai's own Server-Timing entry (`ak_p; desc="…"`), also on a HEAD that shows no page.
                                       .headerContains("server-timing", "ak_p;")])
    static let reference = Extract("ref", "Akamai reference", from: [.body(after: "Reference #", chars: .identifier), .header("x-reference-error"),
                                                                     .body(after: "Reference ", chars: .identifier), .body(after: "Reference: ", chars: .identifier),
                                                                     .header("akamai-grn")])
    static let lookup = "translate the reference[ {ref}] with Akamai Control Center > Support > Diagnostic tools > Error Statement[ (or https://errors.edgesuite.net/{ref})]: it names the rule, Bot Manager or geo control that denied"

    static let signatures: [Signature] = [
        // The page is the same for every kind of edge deny (a WAF rule, Bot Manager, an IP or geo list, a property's Deny by
        // condition): the field captures are half WAF probes, half IP, bot and unexplained denials. The page proves the
        // layer; only the reference, translated, names the rule: cause unknown.
        Signature(id: "akamai-reference", product: "Akamai", layer: .akamai, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  // The heading, or (a page recorded without it) the refused URL quoted in full, which Apache never writes.
                  when: [.any([edge, .body("You don't have permission to access")]),
                         .any([.body("Access Denied"), .body("You don't have permission to access \"http"), .body("You don't have permission to access &quot;http")]),
                         .any([.body("Reference #"), .body("Reference 0."), .body("Reference 18."), .body("Reference: 18."), .header("x-reference-error")])],
                  summary: "Akamai's edge security denied access (its Access Denied page: a WAF, Bot Manager or edge deny rule; the reference names which)[ (reference {ref})]",
                  extract: [reference], lookup: lookup,
                  checks: ["App & API Protector / Kona Site Defender: the security configuration's attack group or custom rule in Security Center",
                           "Bot Manager: the bot category action", "an edge property rule (geo, IP block list, Deny by condition)"],
                  specificity: 80),
        // The page's first lines pasted without the Reference: Akamai quotes the absolute URL it refused
        // (`to access "http://host/path" on this server`), which Apache's page (a bare path) never does.
        // Without the reference nothing says which rule, nor proves the edge: possible, cause unknown.
        Signature(id: "akamai-access-denied-text", product: "Akamai", layer: .akamai, cause: .unknown, confidence: .possible,
                  statuses: [403], when: [.body("Access Denied"), .any([.body("You don't have permission to access \"http"),
                                                                       .body("You don't have permission to access &quot;http")])],
                  summary: "the first lines of Akamai's Access Denied page (the refused URL quoted in full); the Reference that names the rule is not in the capture",
                  lookup: "the full page ends with \"Reference #18.…\": translate it with Akamai's Error Statement tool (or https://errors.edgesuite.net/<reference>)",
                  checks: ["capture the whole page or the headers (Server: AkamaiGHost, X-Reference-Error) to confirm Akamai and get the reference"],
                  specificity: 60),
        Signature(id: "akamai-blocked-page", product: "Akamai", layer: .akamai, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [edge, .any([.body("Your request has been blocked"), .body("request was blocked")])],
                  summary: "a block page served from Akamai (a custom deny page of the security configuration)[ (reference {ref})]",
                  extract: [reference], lookup: lookup,
                  checks: ["the security configuration's custom deny response: which rule (WAF, Bot Manager, rate control, IP/geo) serves this page"],
                  specificity: 75),
        Signature(id: "akamai", product: "Akamai", layer: .akamai, cause: .unknown, confidence: .possible,
                  statuses: Signatures.refusals, when: [edge],
                  summary: "the response came through Akamai; nothing in it says whether Akamai or the origin refused[ (reference {ref})]",
                  extract: [reference], lookup: lookup,
                  checks: ["request with the Pragma: akamai-x-cache-on, akamai-x-get-request-id headers to see whether the origin was reached"],
                  specificity: 15),
    ]
}
