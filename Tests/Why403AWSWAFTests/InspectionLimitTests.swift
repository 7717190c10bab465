import XCTest
import Why403Core
@testable import Why403AWSWAF

/// Body, header and cookie inspection limits and OversizeHandling.
///
/// Pages: https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
/// (the first 8 KB for Application Load Balancer and AppSync; 16 KB by default for CloudFront, API Gateway,
/// Cognito, App Runner and Verified Access, raised to 32/48/64 KB by AssociationConfig.RequestBody's
/// DefaultSizeInspectionLimit) and
/// https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html (headers and
/// cookies: the first 8 KB or 200 of them; OversizeHandling CONTINUE / MATCH / NO_MATCH, CONTINUE by default).
final class InspectionLimitTests: XCTestCase {
    /// A ByteMatch CONTAINS "needle" on `field`, in a web ACL whose ARN says its scope.
    static func acl(field: String = #"{"Body": {}}"#, scope: String = "regional", association: String? = nil) -> String {
        """
        {"WebACL": {"Name": "t", "ARN": "arn:aws:wafv2:us-east-1:111122223333:\(scope)/webacl/t/x",
          "DefaultAction": {"Allow": {}},
          \(association.map { "\"AssociationConfig\": {\"RequestBody\": \($0)}," } ?? "")
          "Rules": [{"Name": "R", "Priority": 0, "Action": {"Block": {}},
                     "Statement": {"ByteMatchStatement": {"SearchString": "\(WAF.b64("needle"))", "FieldToMatch": \(field),
                                   "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "CONTAINS"}},
                     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "R"}}]}}
        """
    }

    /// A body with "needle" starting at byte `at`.
    static func body(needleAt at: Int, total: Int? = nil) -> String {
        let s = String(repeating: "a", count: at) + "needle"
        return s + String(repeating: "b", count: max(0, (total ?? s.count) - s.count))
    }

    func analyze(_ json: String, body: String, resourceType: ResourceType? = nil, headers: [String] = []) throws -> Report {
        try AWSWAFAnalyzer.analyze(.init(webACL: try WAF.acl(json),
                                         request: try WAF.request("https://example.com/upload", method: "POST", headers: headers, body: body),
                                         resourceType: resourceType))
    }

    /// A needle at 10,000 bytes: past ALB's 8 KB, within API Gateway's 16 KB.
    func testRegionalWebACLWithoutResourceTypeIsPossible() throws {
        let r = try analyze(Self.acl(), body: Self.body(needleAt: 10_000))
        let f = try XCTUnwrap(r.findings.first { $0.rule == "R" })
        XCTAssertEqual(f.confidence, .possible, f.summary)
        XCTAssertTrue(f.summary.contains("give --resource-type"), f.summary)
        XCTAssertTrue(f.summary.contains("Application Load Balancer") && f.summary.contains("API Gateway"), f.summary)
        XCTAssertTrue(r.notes.contains { $0.contains("body inspection limit") && $0.contains("8192") && $0.contains("16384") }, "\(r.notes)")
    }

    func testResourceTypeDecides() throws {
        let alb = try analyze(Self.acl(), body: Self.body(needleAt: 10_000), resourceType: .alb)
        XCTAssertNil(alb.verdict.status, alb.findings.first?.summary ?? "")
        XCTAssertTrue(alb.notes.contains { $0.contains("first 8192 of") && $0.contains("CONTINUE") }, "\(alb.notes)")
        let appsync = try analyze(Self.acl(), body: Self.body(needleAt: 10_000), resourceType: .appsync)
        XCTAssertNil(appsync.verdict.status)
        for t in [ResourceType.apiGateway, .cognito, .appRunner, .verifiedAccess] {
            let r = try analyze(Self.acl(), body: Self.body(needleAt: 10_000), resourceType: t)
            XCTAssertEqual(r.verdict.status, 403, t.rawValue)
            XCTAssertEqual(r.findings.first?.confidence, .certain, t.rawValue)
        }
        // Within 8 KB every resource type sees it: certain without --resource-type.
        let small = try analyze(Self.acl(), body: Self.body(needleAt: 100, total: 12_000))
        XCTAssertEqual(small.findings.first?.confidence, .certain)
    }

    /// A CLOUDFRONT web ACL (its ARN is global/webacl) needs no flag: 16 KB unless AssociationConfig raises it.
    func testCloudFrontScopeAndAssociationConfig() throws {
        let cf = try analyze(Self.acl(scope: "global"), body: Self.body(needleAt: 10_000))
        XCTAssertEqual(cf.findings.first?.confidence, .certain)
        XCTAssertEqual(cf.verdict.status, 403)
        let past16 = try analyze(Self.acl(scope: "global"), body: Self.body(needleAt: 20_000))
        XCTAssertNil(past16.verdict.status)
        let raised = try analyze(Self.acl(scope: "global", association: #"{"CLOUDFRONT": {"DefaultSizeInspectionLimit": "KB_32"}}"#),
                                 body: Self.body(needleAt: 20_000))
        XCTAssertEqual(raised.verdict.status, 403)
        // API Gateway raised to 48 KB; ALB stays at 8 KB whatever AssociationConfig says.
        let json = Self.acl(association: #"{"API_GATEWAY": {"DefaultSizeInspectionLimit": "KB_48"}}"#)
        XCTAssertEqual(try analyze(json, body: Self.body(needleAt: 40_000), resourceType: .apiGateway).verdict.status, 403)
        XCTAssertNil(try analyze(json, body: Self.body(needleAt: 40_000), resourceType: .alb).verdict.status)
        XCTAssertNil(try analyze(json, body: Self.body(needleAt: 40_000), resourceType: .cognito).verdict.status)
    }

    func testBodyOversizeHandling() throws {
        let match = try analyze(Self.acl(field: #"{"Body": {"OversizeHandling": "MATCH"}}"#), body: String(repeating: "x", count: 9000), resourceType: .alb)
        XCTAssertEqual(match.verdict.status, 403)
        XCTAssertEqual(match.findings.first?.confidence, .certain)
        XCTAssertTrue(match.findings.first?.summary.contains("OversizeHandling MATCH") ?? false)
        let noMatch = try analyze(Self.acl(field: #"{"Body": {"OversizeHandling": "NO_MATCH"}}"#), body: Self.body(needleAt: 10, total: 9000), resourceType: .alb)
        XCTAssertNil(noMatch.verdict.status)
        // MATCH on a regional web ACL: 9,000 bytes is oversize for ALB (match) but not for API Gateway,
        // where the needle-less body does not match: possible without --resource-type.
        let depends = try analyze(Self.acl(field: #"{"Body": {"OversizeHandling": "MATCH"}}"#), body: String(repeating: "x", count: 9000))
        XCTAssertEqual(depends.findings.first { $0.rule == "R" }?.confidence, .possible)
    }

    func testJsonBodyLimitsAndFallback() throws {
        let field = #"{"JsonBody": {"MatchPattern": {"IncludedPaths": ["/note"]}, "MatchScope": "VALUE", "InvalidFallbackBehavior": "MATCH", "OversizeHandling": "CONTINUE"}}"#
        // Valid JSON: the value at /note is inspected, not the key or other values.
        XCTAssertEqual(try analyze(Self.acl(field: field), body: #"{"note": "a needle here", "x": 1}"#).verdict.status, 403)
        XCTAssertNil(try analyze(Self.acl(field: field), body: #"{"other": "needle"}"#).verdict.status)
        // Invalid JSON with InvalidFallbackBehavior MATCH: the statement matches, for certain.
        let invalid = try analyze(Self.acl(field: field), body: #"{"note": "#)
        XCTAssertEqual(invalid.verdict.status, 403)
        XCTAssertEqual(invalid.findings.first?.confidence, .certain)
        XCTAssertTrue(invalid.findings.first?.summary.contains("InvalidFallbackBehavior MATCH") ?? false)
        // Cut at ALB's 8 KB, a large JSON document is no longer valid JSON: the fallback decides.
        let big = #"{"note": "ok", "pad": ""# + String(repeating: "p", count: 9000) + #""}"#
        let cut = try analyze(Self.acl(field: field), body: big, resourceType: .alb)
        XCTAssertEqual(cut.verdict.status, 403)
        XCTAssertTrue(cut.findings.first?.summary.contains("first 8192 of") ?? false, cut.findings.first?.summary ?? "")
        XCTAssertNil(try analyze(Self.acl(field: field), body: big, resourceType: .apiGateway).verdict.status)
        // No InvalidFallbackBehavior: AWS WAF evaluates what it parsed before the error; the text stands in, possible.
        let noFallback = #"{"JsonBody": {"MatchPattern": {"All": {}}, "MatchScope": "ALL"}}"#
        XCTAssertEqual(try analyze(Self.acl(field: noFallback), body: #"{"a": "needle""#).findings.first { $0.rule == "R" }?.confidence, .possible)
        // Cut at 8 KB without a fallback (possible) and whole at 16 KB (certain): the weaker holds, possible.
        let padded = #"{"a": "needle", "pad": ""# + String(repeating: "p", count: 9000) + #""}"#
        let both = try analyze(Self.acl(field: noFallback), body: padded)
        let f = try XCTUnwrap(both.findings.first { $0.rule == "R" })
        XCTAssertEqual(f.confidence, .possible, f.summary)
        XCTAssertTrue(f.summary.contains("with every body inspection limit that may apply"), f.summary)
        XCTAssertEqual(try analyze(Self.acl(field: noFallback), body: padded, resourceType: .apiGateway).findings.first?.confidence, .certain)
        // EVALUATE_AS_STRING: the text is inspected, for certain.
        let asString = #"{"JsonBody": {"MatchPattern": {"All": {}}, "MatchScope": "ALL", "InvalidFallbackBehavior": "EVALUATE_AS_STRING"}}"#
        XCTAssertEqual(try analyze(Self.acl(field: asString), body: #"{"a": "needle""#).findings.first?.confidence, .certain)
    }

    /// Headers: the first 200 headers and 8 KB of them; beyond, OversizeHandling.
    func testHeaderLimits() throws {
        var many = (0..<200).map { "X-Pad-\($0): v" }
        many.append("X-Late: needle")
        let cont = Self.acl(field: #"{"Headers": {"MatchPattern": {"All": {}}, "MatchScope": "VALUE", "OversizeHandling": "CONTINUE"}}"#)
        XCTAssertNil(try analyze(cont, body: "", headers: many).verdict.status)  // the 201st header is not forwarded
        XCTAssertEqual(try analyze(cont, body: "", headers: ["X-Early: needle"] + many).verdict.status, 403)
        let match = Self.acl(field: #"{"Headers": {"MatchPattern": {"All": {}}, "MatchScope": "VALUE", "OversizeHandling": "MATCH"}}"#)
        let m = try analyze(match, body: "", headers: many)
        XCTAssertEqual(m.verdict.status, 403)
        XCTAssertTrue(m.findings.first?.summary.contains("OversizeHandling MATCH") ?? false)
        let big = ["X-Big: " + String(repeating: "z", count: 9000)]
        XCTAssertNil(try analyze(Self.acl(field: #"{"Headers": {"MatchPattern": {"All": {}}, "MatchScope": "VALUE", "OversizeHandling": "NO_MATCH"}}"#),
                                 body: "", headers: big + ["X-Needle: needle"]).verdict.status)
    }

    /// Cookies: the first 200 cookies and 8 KB of them.
    func testCookieLimits() throws {
        let cookie = "Cookie: " + (0..<201).map { "c\($0)=v" }.joined(separator: "; ") + "; late=needle"
        let cont = Self.acl(field: #"{"Cookies": {"MatchPattern": {"All": {}}, "MatchScope": "VALUE", "OversizeHandling": "CONTINUE"}}"#)
        XCTAssertNil(try analyze(cont, body: "", headers: [cookie]).verdict.status)
        let match = Self.acl(field: #"{"Cookies": {"MatchPattern": {"All": {}}, "MatchScope": "VALUE", "OversizeHandling": "MATCH"}}"#)
        XCTAssertEqual(try analyze(match, body: "", headers: [cookie]).verdict.status, 403)
        XCTAssertEqual(try analyze(cont, body: "", headers: ["Cookie: a=1; b=needle"]).verdict.status, 403)
    }

    func testBadLimitsAreInputErrors() throws {
        XCTAssertThrowsError(try WAF.acl(Self.acl(association: #"{"CLOUDFRONT": {"DefaultSizeInspectionLimit": "KB_20"}}"#))) { e in
            XCTAssertTrue("\(e)".contains("KB_16, KB_32, KB_48 or KB_64") && "\(e)".contains("KB_20"), "\(e)")
        }
        XCTAssertThrowsError(try WAF.acl(Self.acl(association: #"{"ALB": {"DefaultSizeInspectionLimit": "KB_16"}}"#))) { e in
            XCTAssertTrue("\(e)".contains("\"ALB\""), "\(e)")
        }
        XCTAssertThrowsError(try WAF.acl(Self.acl(field: #"{"Body": {"OversizeHandling": "SKIP"}}"#))) { e in
            XCTAssertTrue("\(e)".contains("CONTINUE, MATCH or NO_MATCH") && "\(e)".contains("OversizeHandling"), "\(e)")
        }
        XCTAssertThrowsError(try WAF.acl(Self.acl(field: #"{"JsonBody": {"MatchPattern": {"All": {}}, "MatchScope": "ALL", "InvalidFallbackBehavior": "MAYBE"}}"#)))
        // A resource type the web ACL's scope cannot protect.
        XCTAssertThrowsError(try analyze(Self.acl(scope: "global"), body: "x", resourceType: .alb))
        XCTAssertThrowsError(try analyze(Self.acl(scope: "regional"), body: "x", resourceType: .cloudfront))
    }
}
