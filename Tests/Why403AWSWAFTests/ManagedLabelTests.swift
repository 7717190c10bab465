import XCTest
import Why403Core
@testable import Why403AWSWAF

/// Labels of AWS managed rule groups seen by later LabelMatchStatements. The groups' rules are not
/// published, but their label namespaces and rule names are: a managed group that ran (even counted:
/// counted rules still add labels) is a possible producer of labels in its namespace, and the report names
/// the documented rule a label stands for and whether it fits this request.
///
/// Pages: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-label-match.html,
/// https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html (core rule set:
/// label namespace awswaf:managed:aws:core-rule-set:, one label per rule, NoUserAgent_Header for NoUserAgent_HEADER)
/// and https://docs.aws.amazon.com/waf/latest/developerguide/waf-labels.html (labels of counted rules).
final class ManagedLabelTests: XCTestCase {
    static func acl(labelScope: String, key: String, managedPriority: Int = 0, labelPriority: Int = 1, scopeDown: String? = nil) -> String {
        """
        {"WebACL": {"Name": "t", "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/x", "DefaultAction": {"Allow": {}},
          "Rules": [
            {"Name": "CRS", "Priority": \(managedPriority), "OverrideAction": {"Count": {}},
             "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"\(scopeDown.map { ", \"ScopeDownStatement\": \($0)" } ?? "")}},
             "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "CRS"}},
            {"Name": "BlockByLabel", "Priority": \(labelPriority), "Action": {"Block": {}},
             "Statement": {"LabelMatchStatement": {"Scope": "\(labelScope)", "Key": "\(key)"}},
             "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "L"}}]}}
        """
    }

    func testLabelOfACountedManagedRuleIsPossibleWithItsProducer() throws {
        let r = try WAF.analyze(Self.acl(labelScope: "LABEL", key: "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"),
                                try WAF.request("https://example.com/app"))
        let f = try XCTUnwrap(r.findings.first { $0.rule == "BlockByLabel" }, "\(r.findings.map(\.rule))")
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertTrue(f.summary.contains("managed rule group AWSManagedRulesCommonRuleSet"), f.summary)
        XCTAssertTrue(f.summary.contains("documented producer: NoUserAgent_HEADER"), f.summary)
        XCTAssertTrue(f.summary.contains("likely for this request: NoUserAgent_HEADER"), f.summary)
        // With a User-Agent the rule is still a documented producer, but not a likely one.
        let ua = try WAF.analyze(Self.acl(labelScope: "LABEL", key: "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"),
                                 try WAF.request("https://example.com/app", headers: ["User-Agent: Mozilla/5.0"]))
        let g = try XCTUnwrap(ua.findings.first { $0.rule == "BlockByLabel" })
        XCTAssertEqual(g.confidence, .possible)
        XCTAssertFalse(g.summary.contains("likely for this request"), g.summary)
    }

    func testNamespaceScope() throws {
        let r = try WAF.analyze(Self.acl(labelScope: "NAMESPACE", key: "awswaf:managed:aws:core-rule-set:"),
                                try WAF.request("https://example.com/app", headers: ["User-Agent: Mozilla/5.0"]))
        let f = try XCTUnwrap(r.findings.first { $0.rule == "BlockByLabel" })
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertTrue(f.summary.contains("labels under awswaf:managed:aws:core-rule-set"), f.summary)
    }

    /// Labels are seen only by rules evaluated after the rule that adds them; a group whose scope-down
    /// statement does not match runs no rule and adds no label.
    func testNoProducerBeforeOrOutOfScope() throws {
        let before = try WAF.analyze(Self.acl(labelScope: "NAMESPACE", key: "awswaf:managed:aws:core-rule-set:", managedPriority: 2, labelPriority: 1),
                                     try WAF.request("https://example.com/app"))
        XCTAssertNil(before.findings.first { $0.rule == "BlockByLabel" })
        let scopeDown = #"{"ByteMatchStatement": {"SearchString": "\#(WAF.b64("/api"))", "FieldToMatch": {"UriPath": {}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "STARTS_WITH"}}"#
        let out = try WAF.analyze(Self.acl(labelScope: "NAMESPACE", key: "awswaf:managed:aws:core-rule-set:", scopeDown: scopeDown),
                                  try WAF.request("https://example.com/app"))
        XCTAssertNil(out.verdict.status)
        XCTAssertNil(out.findings.first { $0.rule == "BlockByLabel" })
    }
}
