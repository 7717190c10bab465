import Why403Core

/// AWS WAF: its default Block action answers 403 with the front's own page: CloudFront's "Request
/// blocked." page, or the Application Load Balancer's bare 403 page (`server: awselb/2.0`); its CAPTCHA
/// and Challenge actions answer 405 and 202 with `x-amzn-waf-action: captcha|challenge` and a page that
/// loads the `…awswaf.com` integration script; a custom response body is the site's own text.
enum AWSWAF {
    static let lookup = "in the web ACL: AWS WAF > Web ACLs > Sampled requests (or WAF logs, field terminatingRuleId)[ near request id {cfid}]"

    /// The offline explanation by rule, when the web ACL can be exported (issue 12): `scope` is
    /// `REGIONAL` (a load balancer, API Gateway) or `CLOUDFRONT` (a distribution, read in us-east-1).
    /// No `[...]` in the text: `Signature.fill` reads it as an optional part.
    static func byRule(scope: String) -> String {
        let region = scope == "CLOUDFRONT" ? " --region us-east-1" : ""
        return "with the web ACL exported (`aws wafv2 get-web-acl --name NAME --scope \(scope)\(region) --id ID > web-acl.json`, "
            + "and `aws wafv2 get-ip-set`, `get-regex-pattern-set`, `get-rule-group` for the sets and groups it references): "
            + "`why403 aws-waf URL --web-acl web-acl.json` (with `--ip-set FILE`, `--regex-set FILE`, `--rule-group FILE` for each) names the rule and the statement that matched, with the JSON patch that lets the request through"
    }

    /// The same, when the page does not say which front (a load balancer or a distribution) it came through.
    static let byRuleEither = byRule(scope: "REGIONAL").replacingOccurrences(of: "--scope REGIONAL", with: "--scope REGIONAL|CLOUDFRONT")

    static let signatures: [Signature] = [
        Signature(id: "cloudfront-request-blocked", product: "AWS WAF", layer: .awsWAF, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [.any([CloudFront.edge, .body("CloudFront")]), .body("Request blocked.")],
                  summary: "CloudFront's \"Request blocked\" page: most often the web ACL on the distribution blocked the request[ (request id {cfid})]",
                  extract: [CloudFront.requestID], lookup: lookup,
                  checks: ["if no WAF web ACL is attached, CloudFront itself refused: the Host is not one of the distribution's alternate domain names (CNAMEs)",
                           "or the method is not in the behaviour's allowed HTTP methods (POST/PUT/DELETE need 'GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE')",
                           byRule(scope: "CLOUDFRONT")],
                  fixes: [Fix(summary: "if the request is legitimate, add a scope-down statement or label-based exception to the rule that terminated it, not an allow-all")],
                  specificity: 80),
        Signature(id: "aws-waf-alb", product: "AWS WAF", layer: .awsWAF, cause: .wafRule, confidence: .likely,
                  // The ALB answers 403 itself only for its web ACL (or a fixed-response rule): a target's 403 passes with the
                  // target's headers. Its page, or no body at all (a HEAD, or a capture that kept only the headers).
                  statuses: [403], when: [.headerContains("server", "awselb"), .any([.body("<h1>403 Forbidden</h1>"), .not(.body("<"))])],
                  summary: "the load balancer's bare 403 page: the web ACL attached to the ALB blocked the request",
                  extract: [Extract("trace", "ALB trace id", from: [.header("x-amzn-trace-id")])],
                  lookup: "in the web ACL attached to the load balancer: Sampled requests or WAF logs (terminatingRuleId)",
                  checks: ["an ALB listener rule with a fixed-response 403 gives the same page: check the listener rules (aws elbv2 describe-rules)",
                           byRule(scope: "REGIONAL")],
                  fixes: [Fix(summary: "if the request is legitimate, add a scope-down statement or an exception to the terminating rule")],
                  specificity: 75),
            Signature(id: "aws-waf-challenge", product: "AWS WAF", layer: .awsWAF, cause: .botBlock, confidence: .certain,
                  statuses: [202, 403, 405, 429],
                  when: [.any([.header("x-amzn-waf-action"), .body("AwsWafIntegration"), .body(".awswaf.com/"), .body("awsWafCookieDomainList")])],
                  summary: "AWS WAF answered with its {action} action instead of the content: the client must prove it is a browser",
                  extract: [Extract("action", "x-amzn-waf-action", from: [.header("x-amzn-waf-action")]), CloudFront.requestID],
                  lookup: lookup,
                  checks: ["the web ACL rule with action CAPTCHA or Challenge (often a Bot Control or rate-based rule) that matched: WAF logs, field terminatingRuleId",
                           "a script or API client cannot solve it: scope the rule down (exclude the API path) or use the AWS WAF mobile/JS SDK token",
                           byRuleEither],
                  specificity: 86),
        // An AWS service that takes a web ACL of its own (Cognito user pools, AppSync) answers its block in its API's JSON:
        // `{"__type":"ForbiddenException","message":"Request not allowed due to WAF block."}`.
        Signature(id: "aws-waf-service-block", product: "AWS WAF", layer: .awsWAF, cause: .wafRule, confidence: .likely,
                  statuses: [400, 403],
                  when: [.body("Request not allowed due to WAF block")],
                  summary: "the web ACL associated with the AWS service (a Cognito user pool, AppSync) blocked the request",
                  extract: [Extract("type", "error type", from: [.json("__type"), .body(after: "\"__type\":\"", chars: .identifier)])],
                  lookup: "in the web ACL associated with the user pool or API: Sampled requests or WAF logs (terminatingRuleId)",
                  checks: ["aws wafv2 get-web-acl-for-resource --resource-arn <the user pool's or API's ARN>: the rules of that web ACL",
                           byRule(scope: "REGIONAL")],
                  specificity: 84),
        Signature(id: "aws-waf-custom-block", product: "AWS WAF", layer: .awsWAF, cause: .wafRule, confidence: .possible,
                  statuses: [400, 403, 405, 406, 429],
                  when: [.headerContains("x-cache", "Error from cloudfront"),
                         .any([.body("have blocked"), .body("has been blocked"), .body("been blocked"), .body("blocked access")]),
                         .not(.body("Request blocked."))],
                  summary: "a custom block page served through CloudFront as an error (x-cache: Error from cloudfront): most likely an AWS WAF rule with a custom response[ (request id {cfid})]",
                  extract: [CloudFront.requestID], lookup: lookup,
                  checks: ["the web ACL's rules with a custom response body: WAF logs (terminatingRuleId) near this request id",
                           "else the origin's own block page, cached as an error by CloudFront",
                           byRule(scope: "CLOUDFRONT")],
                  specificity: 72),
    ]
}
