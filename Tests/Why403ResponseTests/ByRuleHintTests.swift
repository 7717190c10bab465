import Foundation
import XCTest
import Why403Core
import Why403Response
import Why403TestSupport

/// Issue 12: when an edge WAF's block is recognised, the check list names the command and the export
/// that explain it by rule, offline (Cloudflare: `why403 cloudflare`; AWS WAF behind CloudFront or a
/// load balancer: `aws wafv2 get-web-acl`, then `why403 aws-waf`; ModSecurity: `why403 modsecurity`).
final class ByRuleHintTests: XCTestCase {
    func checks(_ relative: String) throws -> (rule: String?, checks: [String]) {
        let capture = try ResponseReader.read(Array(try Fixtures.data("responses/\(relative)")), file: relative)
        let f = try XCTUnwrap(ResponseAnalyzer.identify(capture.responses[0]).findings.first, relative)
        return (f.rule, f.checks ?? [])
    }

    func testAWSWAFBlocksNameTheExportAndTheCommand() throws {
        let cases: [(fixture: String, signature: String, scope: String)] = [
            ("cloudfront-request-blocked/waf-block.hit.http", "cloudfront-request-blocked", "--scope CLOUDFRONT --region us-east-1"),
            ("aws-waf-alb/alb-waf.hit.http", "aws-waf-alb", "--scope REGIONAL"),
            ("aws-waf-challenge/wappalyzer-awswaf-captcha-405.hit.http", "aws-waf-challenge", "--scope REGIONAL|CLOUDFRONT"),
            ("aws-waf-custom-block/whatwaf-awswaf-cloudfront-custom-400.hit.http", "aws-waf-custom-block", "--scope CLOUDFRONT"),
            ("cloudfront/plain-through-cloudfront.hit.http", "cloudfront", "--scope CLOUDFRONT"),
        ]
        for c in cases {
            let (rule, checks) = try checks(c.fixture)
            XCTAssertEqual(rule, c.signature, c.fixture)
            let hint = checks.first { $0.contains("why403 aws-waf URL --web-acl web-acl.json") }
            XCTAssertNotNil(hint, "\(c.fixture): \(checks)")
            XCTAssertTrue(hint?.contains("aws wafv2 get-web-acl --name NAME \(c.scope)") ?? false, "\(c.fixture): \(hint ?? "")")
            XCTAssertTrue(hint?.contains("--rule-group FILE") ?? false, hint ?? "")
        }
    }

    func testModSecurityPageNamesTheRulesCommand() throws {
        for fixture in ["modsecurity/forbidden-modsec.hit.http", "modsecurity/hoster-page.hit.http"] {
            let (rule, checks) = try checks(fixture)
            XCTAssertEqual(rule, "modsecurity", fixture)
            XCTAssertTrue(checks.contains { $0.contains("`why403 modsecurity URL --rules FILE`") && $0.contains("--crs") }, "\(fixture): \(checks)")
        }
    }

    func testCloudflareBlocksNameTheRulesCommand() throws {
        for fixture in ["cloudflare-1020/html-page.hit.http", "cloudflare-1020/plain-curl.hit.http"] {
            XCTAssertTrue(try checks(fixture).checks.contains { $0.contains("`why403 cloudflare URL --rules FILE...`") }, fixture)
        }
    }

    /// A page that is not a WAF's block does not send the reader to a WAF export.
    func testOtherPagesDoNotNameTheEdgeCommands() throws {
        for fixture in ["aws-waf-alb/nginx-page.miss.http", "modsecurity/apache-page.miss.http"] {
            let (_, checks) = try checks(fixture)
            XCTAssertFalse(checks.contains { $0.contains("why403 aws-waf") || $0.contains("why403 modsecurity") }, "\(fixture): \(checks)")
        }
    }
}
