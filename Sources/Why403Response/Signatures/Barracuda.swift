import Why403Core

/// Barracuda Web Application Firewall: its default block page ("You have been blocked / You are
/// unable to access this website … The action you just performed triggered this service … the
/// event ID found at the bottom of the page"), the event ID (`17abdf41afe-14f7b185`) and the client
/// address printed last. Cloudflare's "Sorry, you have been blocked" page shares the heading but says
/// "triggered the security solution" and asks for the Cloudflare Ray ID, so neither sentence matches it.
/// Barracuda's cookies (`barra_counter_session`, `BNI__BARRACUDA_LB_COOKIE`, `BNI_persistence`,
/// `BNIS_…`) come with every response it passes, so they only support the page, never replace it.
enum Barracuda {
    static let signatures: [Signature] = [
        Signature(id: "barracuda-block-page", product: "Barracuda Web Application Firewall", layer: .barracuda, cause: .wafRule, confidence: .likely,
                  statuses: [],
                  when: [.any([.body("You have been blocked"), .body("You are unable to access this website")]),
                         .any([.body("event ID found at the bottom of the page"), .body("The action you just performed triggered this service")])],
                  summary: "Barracuda's web application firewall blocked this request[ (event ID {event})]",
                  extract: [Extract("event", "event ID", from: [.body(after: "event ID found at the bottom of the page", chars: .identifier)])],
                  lookup: "look up the event ID[ {event}] in the Barracuda WAF web interface: BASIC > Web Firewall Logs (it names the attack type and the rule or policy that denied)",
                  checks: ["the security policy's attack types (SQL injection, cross-site scripting, malformed data) that matched the request's parameters",
                           "an allow/deny rule or rate control on the URL", "the client's address in the service's blocked or reputation lists"],
                  fixes: [Fix(summary: "if the request is legitimate, add an exception for exactly that parameter and URL from the Web Firewall Logs entry (\"Fix\"), not a policy-wide one")],
                  specificity: 85),
    ]
}
