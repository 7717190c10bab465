import Why403Core

/// Imperva (Incapsula): the "Request unsuccessful. Incapsula incident ID: …" page (often in an
/// iframe of `/_Incapsula_Resource`), `x-iinfo`, `x-cdn: Imperva`.
enum Imperva {
    static let signatures: [Signature] = [
        Signature(id: "imperva-incident", product: "Imperva", layer: .imperva, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [.any([.body("Incapsula incident ID"), .body("_Incapsula_Resource")])],
                  summary: "Imperva blocked this request[ (incident ID {incident})]",
                  extract: [Extract("incident", "Incapsula incident ID", from: [.body(after: "incident ID:", chars: .identifier), .body(after: "incident_id=", chars: .identifier)]),
                            Extract("iinfo", "x-iinfo", from: [.header("x-iinfo")])],
                  lookup: "look up incident ID {incident} in the Imperva Cloud Security Console: Security Events (it names the rule: WAF, bot, ACL by IP or country)",
                  checks: ["a security rule (SQLi/XSS/illegal resource)", "Bot protection (client classification)", "an access control rule: blocked IPs, countries or URLs"],
                  fixes: [Fix(summary: "if legitimate, add an exception to the triggered rule scoped to this URL and client")],
                  specificity: 80),
    ]
}
