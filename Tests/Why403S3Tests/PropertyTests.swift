import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403S3

/// Randomised (seeded, bounded) properties of the evaluation logic (IAM "Policy evaluation logic"):
/// adding an explicit Deny that matches the request always yields 403 policy.explicit-deny; removing
/// every statement always yields an implicit deny.
final class PropertyTests: XCTestCase {
    let principals = ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::444455556666:user/bob",
                      "arn:aws:sts::111122223333:assumed-role/reader/s1", "*", "cloudfront.amazonaws.com", "111122223333"]
    let actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"]
    let resources = ["arn:aws:s3:::amzn-bucket/a.txt", "arn:aws:s3:::amzn-bucket", "arn:aws:s3:::other/x/y"]
    let actionPatterns = ["\"s3:*\"", "\"s3:Get*\"", "\"s3:GetObject\"", "\"*\"", "[\"s3:PutObject\", \"s3:ListBucket\"]", "\"s3:?etObject\""]
    let resourcePatterns = ["\"*\"", "\"arn:aws:s3:::amzn-bucket/*\"", "\"arn:aws:s3:::amzn-bucket\"", "\"arn:aws:s3:::other/*\""]
    let principalPatterns = ["\"*\"", "{\"AWS\": \"111122223333\"}", "{\"AWS\": \"arn:aws:iam::444455556666:root\"}",
                             "{\"AWS\": \"arn:aws:iam::111122223333:user/alice\"}", "{\"Service\": \"cloudfront.amazonaws.com\"}"]
    let conditions: [String?] = [nil, #"{"Bool": {"aws:SecureTransport": "true"}}"#, #"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
                                 #"{"StringLike": {"s3:prefix": "home/*"}}"#]

    func randomScenario(_ rng: inout SplitMix64) -> Scenario {
        var s = Scenario()
        s.principal = principals.randomElement(using: &rng)!
        s.action = actions.randomElement(using: &rng)!
        s.resource = resources.randomElement(using: &rng)!
        if Bool.random(using: &rng) { s.context.append(("aws:SecureTransport", Bool.random(using: &rng) ? "true" : "false")) }
        if Bool.random(using: &rng) { s.context.append(("aws:SourceIp", Bool.random(using: &rng) ? "203.0.113.5" : "198.51.100.1")) }
        if Bool.random(using: &rng) { s.context.append(("aws:ResourceAccount", "111122223333")) }
        var bucket: [String] = []
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            bucket.append(stmt(Bool.random(using: &rng) ? "Allow" : "Deny", principal: principalPatterns.randomElement(using: &rng)!,
                               action: actionPatterns.randomElement(using: &rng)!, resource: resourcePatterns.randomElement(using: &rng)!,
                               condition: conditions.randomElement(using: &rng)!))
        }
        if !bucket.isEmpty { s.bucket = "{\"Version\": \"2012-10-17\", \"Statement\": [\(bucket.joined(separator: ","))]}" }
        var identity: [String] = []
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            identity.append(istmt(Bool.random(using: &rng) ? "Allow" : "Deny", action: actionPatterns.randomElement(using: &rng)!,
                                  resource: resourcePatterns.randomElement(using: &rng)!, condition: conditions.randomElement(using: &rng)!))
        }
        if !identity.isEmpty { s.identity = ["{\"Version\": \"2012-10-17\", \"Statement\": [\(identity.joined(separator: ","))]}"] }
        if Int.random(in: 0..<4, using: &rng) == 0 { s.bpa = PublicAccessBlock(restrictPublicBuckets: true, file: "bpa.json") }
        s.objectMissing = Int.random(in: 0..<4, using: &rng) == 0
        return s
    }

    func testAddingAMatchingDenyAlwaysYields403() throws {
        var rng = SplitMix64(seed: 0x5EED_0403)
        for i in 0..<400 {
            var s = randomScenario(&rng)
            let deny = stmt("Deny", principal: "\"*\"", action: "\"\(s.action)\"", resource: "\"\(s.resource)\"", sid: "PropertyDeny")
            if let b = s.bucket {
                s.bucket = b.replacingOccurrences(of: "\"Statement\": [", with: "\"Statement\": [\(deny),")
            } else {
                s.bucket = doc(deny)
            }
            let r = try s.report()
            XCTAssertEqual(r.verdict.status, 403, "case \(i): \(s)")
            XCTAssertEqual(r.verdict.cause, .policyExplicitDeny, "case \(i)")
            XCTAssertTrue(r.findings[0].evidence.contains { $0.text.contains("PropertyDeny") }, "case \(i)")
        }
    }

    func testNoStatementsAlwaysYieldsImplicitDeny() throws {
        var rng = SplitMix64(seed: 0xD0_0D1E)
        for i in 0..<400 {
            var s = randomScenario(&rng)
            if s.principal == "111122223333" { s.principal = "arn:aws:iam::111122223333:user/alice" }  // root has implicit permissions
            s.bucket = s.bucket.map { _ in "{\"Version\": \"2012-10-17\", \"Statement\": []}" }
            s.identity = s.identity.map { _ in "{\"Version\": \"2012-10-17\", \"Statement\": []}" }
            let r = try s.report()
            XCTAssertEqual(r.verdict.status, 403, "case \(i)")
            XCTAssertTrue([.policyImplicitDeny, .policyOriginAccess].contains(r.verdict.cause), "case \(i): \(r.verdict.cause)")
        }
    }

    func testDecisionIsIndependentOfStatementOrder() throws {
        var rng = SplitMix64(seed: 42)
        for i in 0..<200 {
            let s = randomScenario(&rng)
            guard let b = s.bucket, let p = try? PolicyParser.parse(b, file: "bucket.json", kind: .bucket), p.statements.count > 1 else { continue }
            var input = try s.input()
            let a = S3Analyzer.analyze(input).verdict
            input.bucketPolicy?.statements.reverse()
            XCTAssertEqual(S3Analyzer.analyze(input).verdict, a, "case \(i)")
        }
    }
}
