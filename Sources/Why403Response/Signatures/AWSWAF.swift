import Why403Core

/// AWS WAF: its default Block action answers 403 with the front's own page: CloudFront's "Request
/// blocked." page, or the Application Load Balancer's bare 403 page (`server: awselb/2.0`).
enum AWSWAF {
    static let lookup = "in the web ACL: AWS WAF > Web ACLs > Sampled requests (or WAF logs, field terminatingRuleId)[ near request id {cfid}]"

    static let signatures: [Signature] = [
        Signature(id: "cloudfront-request-blocked", product: "AWS WAF", layer: .awsWAF, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [CloudFront.edge, .body("Request blocked.")],
                  summary: "CloudFront's \"Request blocked\" page: most often the web ACL on the distribution blocked the request[ (request id {cfid})]",
                  extract: [CloudFront.requestID], lookup: lookup,
                  checks: ["if no WAF web ACL is attached, CloudFront itself refused: the Host is not one of the distribution's alternate domain names (CNAMEs)",
                           "or the method is not in the behaviour's allowed HTTP methods (POST/PUT/DELETE need 'GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE')"],
                  fixes: [Fix(summary: "if the request is legitimate, add a scope-down statement or label-based exception to the rule that terminated it, not an allow-all")],
                  specificity: 80),
        Signature(id: "aws-waf-alb", product: "AWS WAF", layer: .awsWAF, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [.headerContains("server", "awselb"), .body("<h1>403 Forbidden</h1>")],
                  summary: "the load balancer's bare 403 page: the web ACL attached to the ALB blocked the request",
                  extract: [Extract("trace", "ALB trace id", from: [.header("x-amzn-trace-id")])],
                  lookup: "in the web ACL attached to the load balancer: Sampled requests or WAF logs (terminatingRuleId)",
                  checks: ["an ALB listener rule with a fixed-response 403 gives the same page: check the listener rules (aws elbv2 describe-rules)"],
                  fixes: [Fix(summary: "if the request is legitimate, add a scope-down statement or an exception to the terminating rule")],
                  specificity: 75),
    ]
}
