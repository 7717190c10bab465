import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 aws-waf` (cli-v1, second edition): stdout, stderr and exit status of the
/// built binary.
final class AWSWAFCLITests: XCTestCase {
    func fixture(_ name: String) -> String { Fixtures.url("aws-waf/cases/\(name)").path }

    func testListedWithHelp() throws {
        let root = try Run.why403(["--help"])
        XCTAssertTrue(root.stdout.contains("aws-waf"), root.stdout)
        let r = try Run.why403(["aws-waf", "--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for flag in ["--web-acl", "--ip-set", "--regex-set", "--rule-group", "--data", "--country", "--asn", "--resource-type", "--client-ip", "--format"] {
            XCTAssertTrue(r.stdout.contains(flag), "aws-waf --help lacks \(flag):\n\(r.stdout)")
        }
    }

    func testReferenceFilesAndForwardedAddress() throws {
        let r = try Run.why403(["aws-waf", "https://api.example.com/v1/items", "--web-acl", fixture("ip-set/web-acl.json"),
                                "--ip-set", fixture("ip-set/ip-set.json"), "--client-ip", "198.51.100.1",
                                "-H", "X-Forwarded-For: 203.0.113.77", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "aws-waf")
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .awsWAF, cause: .accessIP))
        XCTAssertEqual(report.findings.first?.rule, "BlockListedForwarded")
        XCTAssertEqual(report.subject.clientIP, "198.51.100.1")
    }

    func testDataFromFileAndCustomCode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let body = try dir.write("body.txt", String(repeating: "x", count: 300))
        let r = try Run.why403(["aws-waf", "https://example.com/comments", "-X", "post", "--data", "@" + body.path,
                                "--web-acl", fixture("size-constraint/web-acl.json"), "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict.status, 413)
        XCTAssertEqual(report.subject.method, "POST")
    }

    func testTextOutputNamesRuleAndPatch() throws {
        let r = try Run.why403(["aws-waf", "https://example.com/admin/users", "--web-acl", fixture("logical/web-acl.json"),
                                "--ip-set", fixture("logical/ip-set.json"), "--client-ip", "203.0.113.9", "--country", "us"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("AdminOnlyFromOffice"), r.stdout)
        XCTAssertTrue(r.stdout.contains("NotStatement"), r.stdout)
    }

    func testBadInputExitsTwo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bad = try dir.write("acl.json", #"{"WebACL": {"Name": "x", "DefaultAction": {"Allow": {}}, "Rules": [{"Name": "r", "Priority": 0, "Statement": {"NopeStatement": {}}, "Action": {"Block": {}}}]}}"#)
        let r = try Run.why403(["aws-waf", "https://example.com/", "--web-acl", bad.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains(bad.path + ":1:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("$.WebACL.Rules[0].Statement"), r.stderr)
        let missing = try Run.why403(["aws-waf", "https://example.com/", "--web-acl", dir.path + "/nope.json"])
        XCTAssertEqual(missing.status, 2)
        let country = try Run.why403(["aws-waf", "https://example.com/", "--web-acl", fixture("geo-match/web-acl.json"), "--country", "Canada"])
        XCTAssertEqual(country.status, 2)
    }

    /// `--asn N` drives AsnMatchStatement; `--resource-type` the body inspection limit (8 KB for an ALB,
    /// 16 KB for API Gateway) of a REGIONAL web ACL; an unknown type is refused by the parser (exit 2).
    func testAsnAndResourceType() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let acl = try dir.write("acl.json", """
            {"WebACL": {"Name": "t", "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/x", "DefaultAction": {"Allow": {}},
              "Rules": [
                {"Name": "BlockAsn", "Priority": 0, "Action": {"Block": {}}, "Statement": {"AsnMatchStatement": {"AsnList": [64496]}},
                 "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "a"}},
                {"Name": "BlockNeedle", "Priority": 1, "Action": {"Block": {}},
                 "Statement": {"ByteMatchStatement": {"SearchString": "bmVlZGxl", "FieldToMatch": {"Body": {}},
                   "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "CONTAINS"}},
                 "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "n"}}]}}
            """)
        let asn = try decodeReport(try Run.why403(["aws-waf", "https://example.com/", "--web-acl", acl.path, "--asn", "64496", "--format", "json"]).stdout)
        XCTAssertEqual(asn.findings.first?.rule, "BlockAsn")
        XCTAssertEqual(asn.findings.first?.confidence, .certain)
        let body = try dir.write("body.txt", String(repeating: "a", count: 10_000) + "needle")
        func run(_ extra: [String]) throws -> Report {
            let r = try Run.why403(["aws-waf", "https://example.com/upload", "-X", "POST", "--data", "@" + body.path, "--web-acl", acl.path,
                                    "--asn", "13335", "--format", "json"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try decodeReport(r.stdout)
        }
        XCTAssertNil(try run(["--resource-type", "alb"]).verdict.status)
        XCTAssertEqual(try run(["--resource-type", "api-gateway"]).verdict.status, 403)
        XCTAssertEqual(try run([]).findings.first { $0.rule == "BlockNeedle" }?.confidence, .possible)
        let bad = try Run.why403(["aws-waf", "https://example.com/", "--web-acl", acl.path, "--resource-type", "lambda"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        let scope = try Run.why403(["aws-waf", "https://example.com/", "--web-acl", acl.path, "--resource-type", "cloudfront"])
        XCTAssertEqual(scope.status, 2, scope.stderr)
    }
}
