import Why403Core

/// Azure Front Door and Azure Application Gateway with their WAF (one report-v1 layer, `azure-front-door`):
/// Front Door's default block response "The request is blocked." with the `x-azure-ref` tracking
/// reference, and Application Gateway v2's bare "403 Forbidden" page signed
/// `Microsoft-Azure-Application-Gateway/v2` (also its `Server` header). Application Gateway for
/// Containers' WAF answers a bare `text/plain` `{"message":"Forbidden"}` that cannot be customised
/// (Azure/AKS#5719); only its shape identifies it, so that one stays `possible`.
enum AzureFrontDoor {
    static let lookup = "find the tracking reference[ {ref}] in the WAF logs: Log Analytics, AzureDiagnostics | where Category == \"FrontDoorWebApplicationFirewallLog\" (trackingReference_s) or \"ApplicationGatewayFirewallLog\" (the rule id and the matched data)"

    static let signatures: [Signature] = [
        Signature(id: "azure-front-door-waf", product: "Azure Front Door", layer: .azureFrontDoor, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [.any([.header("x-azure-ref"), .header("x-msedge-ref"), .body("Azure Front Door")]), .body("The request is blocked.")],
                  summary: "Azure Front Door's WAF policy blocked this request (its default block response)[ (tracking reference {ref})]",
                  extract: [Extract("ref", "tracking reference", from: [.header("x-azure-ref"), .header("x-msedge-ref")])],
                  lookup: lookup,
                  checks: ["the WAF policy's managed rule set (Default/Microsoft_DefaultRuleSet) or a custom rule (geo match, IP, rate limit) named in the log: the rule's type gives the cause"],
                  fixes: [Fix(summary: "if the request is legitimate, add an exclusion for the matched request part to exactly the rule the log names, not a policy in Detection mode")],
                  specificity: 80),
        // Front Door's own 403 without a body (a HEAD request, whose block response keeps only the headers): the
        // tracking reference and the date, and nothing an origin would add (no Server, no Content-Type). Front Door
        // answered itself; its WAF policy is what answers 403 there, but the response cannot show the rule: possible.
        Signature(id: "azure-front-door-bare-403", product: "Azure Front Door", layer: .azureFrontDoor, cause: .wafRule, confidence: .possible,
                  statuses: [403],
                  when: [.any([.header("x-azure-ref"), .header("x-msedge-ref")]), .not(.header("content-type")), .not(.header("server"))],
                  summary: "a 403 carrying only Front Door's tracking reference, with nothing from an origin (no Server, no Content-Type): Front Door answered itself, most likely its WAF policy's block[ (tracking reference {ref})]",
                  extract: [Extract("ref", "tracking reference", from: [.header("x-azure-ref"), .header("x-msedge-ref")])],
                  lookup: lookup,
                  checks: ["the FrontDoorWebApplicationFirewallLog entry with this tracking reference names the rule (managed rule id, or the custom rule: geo match, IP, rate limit, a string match)",
                           "no WAF log entry for it: look in FrontDoorAccessLog for the same reference (a route or rules-engine action answered)",
                           "repeat the request with GET: the WAF's block body (\"The request is blocked.\" or the policy's custom body) says more than a HEAD"],
                  specificity: 62),
        Signature(id: "azure-app-gateway-403", product: "Azure Application Gateway", layer: .azureFrontDoor, cause: .wafRule, confidence: .likely,
                  statuses: [403],
                  when: [.any([.headerContains("server", "Microsoft-Azure-Application-Gateway"), .body("Microsoft-Azure-Application-Gateway")]),
                         .body("403 Forbidden")],
                  summary: "Azure Application Gateway answered its own 403 page: most often its WAF (OWASP CRS or a custom rule) blocked the request",
                  extract: [Extract("version", "server", from: [.header("server")])],
                  lookup: lookup,
                  checks: ["the ApplicationGatewayFirewallLog entry at this time names the rule id and the matched data",
                           "no WAF log entry: a listener or rewrite configuration on the gateway answers 403"],
                  specificity: 78),
        Signature(id: "azure-agc-waf", product: "Azure Application Gateway for Containers", layer: .azureFrontDoor, cause: .wafRule, confidence: .possible,
                  statuses: [403],
                  when: [.headerContains("content-type", "text/plain"), .body("{\"message\":\"Forbidden\"}"),
                         .not(.header("x-amzn-errortype")), .not(.header("x-amzn-requestid")), .not(.header("x-amz-apigw-id")), .not(.header("server"))],
                  summary: "a text/plain {\"message\":\"Forbidden\"} without a Server header is the fixed block response of Application Gateway for Containers' WAF; only the shape says so",
                  lookup: lookup,
                  checks: ["the WAF policy attached to the AGC security policy: its ApplicationGatewayFirewallLog (or the AGC's WAF logs) at this time name the rule",
                           "no WAF policy on the route: the answer came from the backend, not the gateway"],
                  specificity: 30),
    ]
}
