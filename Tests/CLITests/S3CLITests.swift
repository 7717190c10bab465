import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 s3` (cli-v1 "s3"): stdout, stderr and exit status of the built binary.
final class S3CLITests: XCTestCase {
    func policy(_ name: String) -> String { Fixtures.url("s3/policies/\(name)").path }

    func run(_ args: [String]) throws -> (ProcessResult, Report?) {
        let r = try Run.why403(["s3"] + args + ["--format", "json"])
        guard r.status == 0 else { return (r, nil) }
        return (r, try decodeReport(r.stdout))
    }

    func testCrossAccountAllowedOverTLS() throws {
        let (r, report) = try run(["--principal", "arn:aws:sts::444455556666:assumed-role/analytics/etl",
                                   "--action", "s3:GetObject", "--resource", "arn:aws:s3:::amzn-s3-demo-bucket/reports/q3.csv",
                                   "--bucket-policy", policy("tls-only-bucket-policy.json"),
                                   "--identity-policy", policy("analytics-identity-policy.json"),
                                   "--context", "aws:ResourceAccount=111122223333", "--context", "aws:SecureTransport=true"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(report?.verdict.status, 200)
        XCTAssertEqual(report?.subject.kind, "s3")
        XCTAssertEqual(report?.subject.extra["principal"], "arn:aws:sts::444455556666:assumed-role/analytics/etl")
    }

    func testExplicitDenyOverHTTP() throws {
        let (r, report) = try run(["--principal", "arn:aws:sts::444455556666:assumed-role/analytics/etl",
                                   "--action", "s3:GetObject", "--resource", "arn:aws:s3:::amzn-s3-demo-bucket/reports/q3.csv",
                                   "--bucket-policy", policy("tls-only-bucket-policy.json"),
                                   "--identity-policy", policy("analytics-identity-policy.json"),
                                   "--context", "aws:ResourceAccount=111122223333", "--context", "aws:SecureTransport=false"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(report?.verdict.status, 403)
        XCTAssertEqual(report?.verdict.cause, .policyExplicitDeny)
        XCTAssertEqual(report?.verdict.layer, .s3)
        XCTAssertEqual(report?.findings.first?.evidence.first?.source, policy("tls-only-bucket-policy.json") + ":12")
        XCTAssertTrue(report?.findings.first?.summary.contains("DenyInsecureTransport") ?? false)
    }

    func testCloudFrontOACOtherDistributionText() throws {
        let r = try Run.why403(["s3", "--principal", "cloudfront.amazonaws.com", "--action", "s3:GetObject",
                                "--resource", "arn:aws:s3:::amzn-s3-demo-bucket/index.html",
                                "--bucket-policy", policy("oac-bucket-policy.json"),
                                "--context", "aws:SourceArn=arn:aws:cloudfront::111122223333:distribution/E2OTHER"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("403"), r.stdout)
        XCTAssertTrue(r.stdout.contains("EDFDVBD6EXAMPLE"), r.stdout)
    }

    func testBlockPublicAccessAndObjectMissing() throws {
        var (r, report) = try run(["--principal", "*", "--action", "s3:GetObject",
                                   "--resource", "arn:aws:s3:::amzn-s3-demo-bucket/public/logo.png",
                                   "--bucket-policy", policy("public-read-bucket-policy.json"),
                                   "--block-public-access", policy("block-public-access.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(report?.verdict.cause, .policyPublicAccessBlock)
        (r, report) = try run(["--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject",
                               "--resource", "arn:aws:s3:::amzn-s3-demo-bucket/public/gone.png", "--object-missing",
                               "--bucket-policy", policy("public-read-bucket-policy.json")])
        XCTAssertEqual(report?.verdict.status, 403)
        XCTAssertEqual(report?.verdict.cause, .policyNoList)
    }

    func testMultivaluedContextAndRepeatedIdentityPolicies() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let p1 = try dir.write("a.json", #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}]}"#)
        let p2 = try dir.write("b.json", #"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]}"#)
        let base = ["--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject",
                    "--resource", "arn:aws:s3:::b/k", "--identity-policy", p1.path, "--identity-policy", p2.path]
        var (_, report) = try run(base + ["--context", "aws:TagKeys=env", "--context", "aws:TagKeys=team"])
        XCTAssertEqual(report?.verdict.status, 200)
        (_, report) = try run(base + ["--context", "aws:TagKeys=env", "--context", "aws:TagKeys=cost"])
        XCTAssertEqual(report?.verdict.status, 403)
    }

    func testMalformedPolicyIsExit2WithFileLineAndPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bad = try dir.write("bad.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\",\n    \"Action\": 5, \"Resource\": \"*\"}]\n}\n")
        let r = try Run.why403(["s3", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--bucket-policy", bad.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("\(bad.path):4:15: error: expected an action string such as \"s3:GetObject\" or an array of them at $.Statement[0].Action"), r.stderr)
        let junk = try dir.write("junk.json", "\u{1}\u{2}garbage")
        XCTAssertEqual(try Run.why403(["s3", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--identity-policy", junk.path]).status, 2)
        XCTAssertEqual(try Run.why403(["s3", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--bucket-policy", "/nonexistent/p.json"]).status, 2)
    }

    func testBadFlagsAreExit2() throws {
        for args in [["--action", "s3:Get*", "--resource", "arn:aws:s3:::b/k"],
                     ["--action", "s3:GetObject", "--resource", "b/k"],
                     ["--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--principal", "alice"],
                     ["--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--context", "novalue"],
                     ["--resource", "arn:aws:s3:::b/k"]] {
            let r = try Run.why403(["s3"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.isEmpty)
        }
    }

    func testContextSecretsAreRedacted() throws {
        let secret = "AQoDYXdzEJr1234567890SECRETSESSIONTOKEN"
        let r = try Run.why403(["s3", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--format", "json",
                                "--context", "x-amz-security-token=\(secret)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.contains(secret), r.stdout)
    }
}
