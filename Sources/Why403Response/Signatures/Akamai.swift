import Why403Core

/// Akamai: `server: AkamaiGHost`, and the "Access Denied … Reference #18.6f2e1602.1700000000.1a2b3c4d"
/// page (newer pages write it with character references, decoded before matching).
enum Akamai {
    static let edge: Condition = .any([.headerContains("server", "AkamaiGHost"), .header("akamai-grn"), .header("x-akamai-request-id"),
                                       .body("errors.edgesuite.net")])
    static let reference = Extract("ref", "Akamai reference", from: [.body(after: "Reference #", chars: .identifier), .header("akamai-grn")])
    static let lookup = "translate reference {ref} with Akamai Control Center > Support > Diagnostic tools > Error Statement (or https://errors.edgesuite.net/{ref}): it names the rule, Bot Manager or geo control that denied"

    static let signatures: [Signature] = [
        Signature(id: "akamai-reference", product: "Akamai", layer: .akamai, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [edge, .body("Access Denied"), .body("Reference #")],
                  summary: "Akamai's edge denied access[ (reference {ref})]", extract: [reference], lookup: lookup,
                  checks: ["App & API Protector / Kona Site Defender: the security configuration's attack group or custom rule in Security Center",
                           "Bot Manager: the bot category action", "an edge property rule (geo, IP block list, Deny by condition)"],
                  specificity: 80),
        Signature(id: "akamai", product: "Akamai", layer: .akamai, cause: .unknown, confidence: .possible,
                  statuses: Signatures.refusals, when: [edge],
                  summary: "the response came through Akamai; nothing in it says whether Akamai or the origin refused[ (reference {ref})]",
                  extract: [reference], lookup: lookup,
                  checks: ["request with the Pragma: akamai-x-cache-on, akamai-x-get-request-id headers to see whether the origin was reached"],
                  specificity: 15),
    ]
}
