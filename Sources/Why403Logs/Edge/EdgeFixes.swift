import Why403Core

/// The words and least changes for refusals read from edge logs. Printed, never run.
enum EdgeFixes {
    static func describe(_ g: CauseGroup, meaning: String) -> String {
        let rule = g.rule.map { "rule \($0): " } ?? ""
        return "\(g.layer == .unknown ? "" : g.layer.displayName + " ")\(rule)\(meaning)"
    }

    static func fixes(_ g: CauseGroup, path: String, topClient: String?) -> (fixes: [Fix], checks: [String]) {
        let rule = g.rule ?? "RULE"
        let client = topClient ?? "CLIENT"
        let country = g.countries.top(1).first?.key
        switch (g.layer, g.cause) {
        case (.awsWAF, .accessDeny):
            return ([Fix(summary: "add an Allow rule for the requests that should pass (this path, these clients) above the default action; keep the default Block",
                         commands: ["aws wafv2 get-web-acl --scope REGIONAL --name NAME --id ID > web-acl.json",
                                    "why403 aws-waf \(LogsFixes.w("https://HOST" + path)) --web-acl web-acl.json --client-ip \(LogsFixes.w(client))"])], [])
        case (.awsWAF, .rateLimit):
            return ([Fix(summary: "if these clients are legitimate, raise rule \(rule)'s limit or narrow its scope-down statement; if not, the limit works")],
                    ["see the bursts: one address with many paths is a scanner; one path retried is a client bug"])
        case (.awsWAF, .botBlock):
            return ([Fix(summary: "if the client is a legitimate automated one, exempt it from rule \(rule) with a scope-down statement (a label, a header it sends, its addresses); browsers pass once they solve the challenge")], [])
        case (.awsWAF, .accessIP):
            return ([Fix(summary: "if \(client) is legitimate, allow it with an IP set rule evaluated before the managed group, or override rule \(rule) to Count")],
                    ["why403 aws-waf \(LogsFixes.w("https://HOST" + path)) --web-acl web-acl.json --client-ip \(LogsFixes.w(client))"])
        case (.awsWAF, .wafRule) where rule == "alb-waf":
            return ([], ["the load balancer's log does not name the WAF rule: read the AWS WAF log of the same minute (why403 logs WAF-LOG)",
                         "aws wafv2 get-logging-configuration --resource-arn WEB_ACL_ARN"])
        case (.awsWAF, _):
            return ([Fix(summary: "if this is a false positive, override rule \(rule) to Count for \(path) only (a scope-down statement, or a rule action override in the rule group), not for the whole web ACL",
                         commands: ["why403 aws-waf \(LogsFixes.w("https://HOST" + path)) --web-acl web-acl.json --client-ip \(LogsFixes.w(client))"])],
                    ["read the matched request in the evidence: a real attack needs no fix"])
        case (.cloudflare, _):
            let why = "why403 cloudflare \(LogsFixes.w("https://HOST" + path)) --rules rules.json" + (country.map { " --country \(LogsFixes.w($0))" } ?? "")
            let summary: String
            switch g.cause {
            case .geoBlock: summary = "if visitors from \(country ?? "this country") should get in, remove the country from the IP access rule (or narrow it to the paths that need it)"
            case .accessIP: summary = "if \(client) should get in, remove or narrow the IP access rule / zone lockdown that lists it"
            case .botBlock: summary = "if the client is a legitimate automated one, add a skip rule for it (verified bot, a header or its addresses) before rule \(rule)"
            case .rateLimit: summary = "if these clients are legitimate, raise the rate limiting rule's threshold or narrow its expression"
            case .hotlinkReferer: summary = "allow the referring site (hotlink protection has no allow list: turn it off, or replace it with a custom rule on http.referer)"
            default: summary = "if this is a false positive, add a skip (or exception) for rule \(rule) on \(path) only"
            }
            return ([Fix(summary: summary, commands: g.layer == .cloudflare ? [why] : [])],
                    ["the Ray ID in the evidence finds the request in Security Events"])
        case (.cloudfront, .geoBlock):
            return ([Fix(summary: "if viewers from \(country ?? "this country") should get in, add it to the distribution's geographic restriction allow list (or remove it from the block list)",
                         commands: ["aws cloudfront get-distribution-config --id DISTRIBUTION_ID --query DistributionConfig.Restrictions"])], [])
        case (.s3, .authInvalid):
            return ([Fix(summary: "the credentials or the signature are wrong: check the access key and secret (or the session token's expiry), the signing region and the client's clock")],
                    ["aws sts get-caller-identity (with the same credentials) shows whether they are valid at all"])
        case (.s3, .rateLimit):
            return ([Fix(summary: "retry with exponential backoff, and spread requests over more key prefixes")], [])
        case (.s3, _):
            let commands = g.targets.top(5).map(\.key)
            let bucket = commands.first.flatMap { c in c.range(of: "arn:aws:s3:::").map { String(c[$0.upperBound...].prefix(while: { $0 != "/" && $0 != "'" })) } } ?? "BUCKET"
            return ([Fix(summary: "evaluate each refused request against the bucket policy (and the principal's identity policies with --identity-policy): the statement that denies, or the one missing, is the fix",
                         commands: ["aws s3api get-bucket-policy --bucket \(bucket) --query Policy --output text > bucket-policy.json"] + commands)],
                    ["the requester column is the principal: '-' is an anonymous request, a 64-hex id is a canonical user (put its IAM ARN in --principal)",
                     "aws s3api get-public-access-block --bucket \(bucket)"])
        case (.iis, .indexMissing):
            return ([Fix(summary: "add the default document the site expects to the directory (or to <defaultDocument>); turn on directory browsing only if listing is wanted",
                         patch: "+    <defaultDocument><files><add value=\"index.html\" /></files></defaultDocument>\n")], [])
        case (.iis, .accessIP):
            return ([Fix(summary: "if \(client) should get in, allow it in <ipSecurity> of the site or path",
                         patch: "+    <ipSecurity><add ipAddress=\"\(client)\" allowed=\"true\" /></ipSecurity>\n")], [])
        case (.iis, _), (.filesystem, _):
            return ([], ["look up IIS substatus \(rule.replacingAll("iis-", with: "")) in Microsoft's list of HTTP status codes in IIS",
                         "appcmd list config \"Default Web Site\(path)\" -section:system.webServer/security"])
        default:
            if rule.hasPrefix("alb-target") || rule.hasPrefix("cloudflare-origin") {
                return ([], ["the origin answered this status: run why403 logs on the origin's own logs (nginx, Apache, the application) for the same minute"])
            }
            if rule == "alb-fixed-response" {
                return ([Fix(summary: "find the listener rule with a fixed-response action that matches \(path) and narrow it",
                             commands: ["aws elbv2 describe-rules --listener-arn LISTENER_ARN"])], [])
            }
            return ([], ["the edge log does not say which rule refused; the origin's logs or the WAF's log of the same minute may"])
        }
    }
}
