import XCTest
import Why403Core
@testable import Why403S3

/// The decision, with expectations from the IAM User Guide "Policy evaluation logic"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
/// "Cross-account policy evaluation logic"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
/// and "IAM JSON policy elements" (Principal, NotPrincipal, Action, NotAction, Resource, NotResource).
final class EvaluationLogicTests: XCTestCase {
    let alice = "arn:aws:iam::111122223333:user/alice"
    let other = "arn:aws:iam::444455556666:user/bob"

    func testImplicitDenyByDefault() throws {
        // "By default, all requests are implicitly denied."
        let r = try Scenario().report()
        assertVerdict(r, 403, .policyImplicitDeny)
        // No policy was given at all: the verdict rests on policies taken as empty, so not certain.
        XCTAssertEqual(r.findings.first?.confidence, .likely)
        var s = Scenario()
        s.bucket = doc()
        s.identity = [doc()]
        let given = try s.report()
        assertVerdict(given, 403, .policyImplicitDeny)
        XCTAssertEqual(given.findings.first?.confidence, .certain)
    }

    func testAllowWithoutBucketPolicyIsOnlyLikely() throws {
        // A Deny in a bucket policy that was not given could still refuse the request.
        var s = Scenario()
        s.identity = [doc(istmt())]
        XCTAssertEqual(try s.report().findings.first?.confidence, .likely)
        s.bucket = doc()
        XCTAssertEqual(try s.report().findings.first?.confidence, .certain)
    }

    func testSameAccountIdentityAloneAllows() throws {
        // "For requests within a single account ... an allow in an identity-based policy OR a
        // resource-based policy" is enough.
        var s = Scenario()
        s.identity = [doc(istmt())]
        let r = try s.report()
        assertVerdict(r, 200, .none)
        XCTAssertEqual(r.verdict.layer, .none)
        XCTAssertEqual(r.findings.first?.evidence.first?.source, "identity0.json:4")
    }

    func testSameAccountBucketPolicyAloneAllows() throws {
        var s = Scenario()
        s.bucket = doc(stmt(sid: "AliceRead"))
        let r = try s.report()
        assertVerdict(r, 200, .none)
        XCTAssertTrue(r.findings[0].evidence[0].text.contains("Sid \"AliceRead\""))
    }

    func testExplicitDenyWins() throws {
        // "An explicit deny in any policy overrides any allows."
        var s = Scenario()
        s.identity = [doc(istmt(action: "\"s3:*\""))]
        s.bucket = doc(stmt(principal: "\"*\"", resource: "\"arn:aws:s3:::amzn-bucket/photos/*\"", sid: "NoPhotos").replacingOccurrences(of: "\"Allow\"", with: "\"Deny\""))
        let r = try s.report()
        assertVerdict(r, 403, .policyExplicitDeny)
        XCTAssertEqual(r.findings[0].evidence[0].source, "bucket.json:4")
        XCTAssertTrue(r.findings[0].summary.contains("Sid \"NoPhotos\""))
        // The fix is a narrowed condition, never a public grant.
        XCTAssertTrue(r.findings[0].fixes[0].patch?.contains("ArnNotEquals") ?? false)
    }

    func testDenyOverHTTPSuggestsHTTPS() throws {
        // A common bucket policy: deny when aws:SecureTransport is false.
        var s = Scenario()
        s.identity = [doc(istmt())]
        s.bucket = doc(stmt("Deny", principal: "\"*\"", action: "\"s3:*\"", resource: "[\"arn:aws:s3:::amzn-bucket\", \"arn:aws:s3:::amzn-bucket/*\"]",
                            condition: #"{"Bool": {"aws:SecureTransport": "false"}}"#, sid: "TLSOnly"))
        s.context = [("aws:SecureTransport", "false")]
        let r = try s.report()
        assertVerdict(r, 403, .policyExplicitDeny)
        XCTAssertTrue(r.findings[0].fixes[0].summary.contains("HTTPS"))
        s.context = [("aws:SecureTransport", "true")]
        assertVerdict(try s.report(), 200, .none)
    }

    func testAbsentKeyLowersConfidence() throws {
        // Without aws:SecureTransport in the context the Deny's Bool condition is false (key absent),
        // but a real request carries the key: the verdict must not be "certain".
        var s = Scenario()
        s.identity = [doc(istmt())]
        s.bucket = doc(stmt("Deny", principal: "\"*\"", action: "\"s3:*\"", condition: #"{"Bool": {"aws:SecureTransport": "false"}}"#))
        let r = try s.report()
        assertVerdict(r, 200, .none)
        XCTAssertEqual(r.findings[0].confidence, .likely)
        XCTAssertTrue(r.notes.contains { $0.contains("aws:SecureTransport") })
    }

    func testCrossAccountNeedsBothSides() throws {
        // Cross-account: "the identity-based policy in the requesting account AND the resource-based
        // policy in the trusting account" must both allow.
        var s = Scenario()
        s.principal = other
        s.context = [("aws:ResourceAccount", "111122223333")]
        s.identity = [doc(istmt())]
        let onlyIdentity = try s.report()
        assertVerdict(onlyIdentity, 403, .policyImplicitDeny)
        XCTAssertTrue(onlyIdentity.findings[0].summary.contains("cross-account"))
        XCTAssertTrue(onlyIdentity.findings[0].fixes.contains { $0.patch?.contains(other) ?? false })

        s.identity = []
        s.bucket = doc(stmt(principal: "{\"AWS\": \"444455556666\"}"))
        assertVerdict(try s.report(), 403, .policyImplicitDeny)

        s.identity = [doc(istmt())]
        assertVerdict(try s.report(), 200, .none)
    }

    func testAccountPrincipalDelegatesWithinAccount() throws {
        // A resource policy naming only the account delegates to the account's IAM policies.
        var s = Scenario()
        s.bucket = doc(stmt(principal: "{\"AWS\": \"arn:aws:iam::111122223333:root\"}"))
        assertVerdict(try s.report(), 403, .policyImplicitDeny)
        s.identity = [doc(istmt())]
        assertVerdict(try s.report(), 200, .none)
    }

    func testPrincipalForms() throws {
        // Principal: account id, root ARN, user, role (matches its sessions), session, service, "*".
        let session = "arn:aws:sts::111122223333:assumed-role/reader/alice-session"
        func status(_ principalJSON: String, caller: String) throws -> Int? {
            var s = Scenario()
            s.principal = caller
            s.context = [("aws:ResourceAccount", "111122223333")]
            s.bucket = doc(stmt(principal: principalJSON))
            return try s.report().verdict.status
        }
        XCTAssertEqual(try status(#"{"AWS": "arn:aws:iam::111122223333:role/reader"}"#, caller: session), 200)
        XCTAssertEqual(try status(#"{"AWS": "arn:aws:sts::111122223333:assumed-role/reader/alice-session"}"#, caller: session), 200)
        XCTAssertEqual(try status(#"{"AWS": "arn:aws:sts::111122223333:assumed-role/reader/other"}"#, caller: session), 403)
        XCTAssertEqual(try status(#"{"AWS": "*"}"#, caller: session), 200)
        XCTAssertEqual(try status(#""*""#, caller: "*"), 200)
        XCTAssertEqual(try status(#"{"AWS": "arn:aws:iam::111122223333:user/alice"}"#, caller: "*"), 403)
        XCTAssertEqual(try status(#"{"Service": "cloudfront.amazonaws.com"}"#, caller: "cloudfront.amazonaws.com"), 200)
        XCTAssertEqual(try status(#"{"Service": "cloudfront.amazonaws.com"}"#, caller: alice), 403)
        XCTAssertEqual(try status(#"{"AWS": ["arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:user/alice"]}"#, caller: alice), 200)
        XCTAssertEqual(try status(#"{"Federated": "cognito-identity.amazonaws.com"}"#, caller: alice), 403)
        XCTAssertEqual(try status(#"{"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#, caller: alice), 403)
    }

    func testNotPrincipalWithDeny() throws {
        // NotPrincipal with Deny: "you must also specify the account ARN of the not-denied principal".
        var s = Scenario()
        s.identity = [doc(istmt())]
        s.bucket = doc(stmt("Deny", principal: #"{"AWS": ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:root"]}"#, notPrincipal: true))
        assertVerdict(try s.report(), 200, .none)
        s.bucket = doc(stmt("Deny", principal: #"{"AWS": ["arn:aws:iam::111122223333:user/alice"]}"#, notPrincipal: true))
        assertVerdict(try s.report(), 403, .policyExplicitDeny)
        s.principal = "arn:aws:iam::111122223333:user/carol"
        assertVerdict(try s.report(), 403, .policyExplicitDeny)
    }

    func testActionMatching() throws {
        // Action: service prefix and name case-insensitive, * and ? wildcards; NotAction.
        var s = Scenario()
        for (pattern, expected) in [("\"S3:getobject\"", 200), ("\"s3:Get*\"", 200), ("\"s3:GetObjec?\"", 200), ("\"s3:Put*\"", 403),
                                    ("\"*\"", 200), ("[\"s3:ListBucket\", \"s3:GetObject\"]", 200), ("\"ec2:GetObject\"", 403)] {
            s.identity = [doc(istmt(action: pattern))]
            XCTAssertEqual(try s.report().verdict.status, expected, pattern)
        }
        s.identity = [doc("{\"Effect\": \"Allow\", \"NotAction\": \"s3:Delete*\", \"Resource\": \"*\"}")]
        XCTAssertEqual(try s.report().verdict.status, 200)
        s.action = "s3:DeleteObject"
        XCTAssertEqual(try s.report().verdict.status, 403)
    }

    func testResourceMatching() throws {
        // Resource: case-sensitive ARN with * and ?; NotResource.
        var s = Scenario()
        for (pattern, expected) in [("\"arn:aws:s3:::amzn-bucket/*\"", 200), ("\"arn:aws:s3:::AMZN-bucket/*\"", 403),
                                    ("\"arn:aws:s3:::amzn-bucket/photos/???.jpg\"", 200), ("\"arn:aws:s3:::amzn-bucket\"", 403),
                                    ("\"arn:aws:s3:::amzn-bucket/Photos/*\"", 403), ("\"*\"", 200)] {
            s.identity = [doc(istmt(resource: pattern))]
            XCTAssertEqual(try s.report().verdict.status, expected, pattern)
        }
        s.identity = [doc("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"NotResource\": \"arn:aws:s3:::amzn-bucket/private/*\"}")]
        XCTAssertEqual(try s.report().verdict.status, 200)
        s.resource = "arn:aws:s3:::amzn-bucket/private/key"
        XCTAssertEqual(try s.report().verdict.status, 403)
    }

    func testSCPBoundaryAndSessionNarrow() throws {
        // "Service control policies", "Permissions boundaries", "Session policies": each must allow;
        // they never grant.
        var s = Scenario()
        s.identity = [doc(istmt())]
        s.scps = [doc(istmt(action: "\"s3:List*\"", resource: "\"*\""))]
        let r = try s.report()
        assertVerdict(r, 403, .policyImplicitDeny)
        XCTAssertTrue(r.findings[0].summary.contains("service control policy"))
        s.scps = [doc(istmt(action: "\"*\"", resource: "\"*\""))]
        assertVerdict(try s.report(), 200, .none)
        s.boundary = doc(istmt(action: "\"s3:PutObject\""))
        let narrowed = try s.report()
        assertVerdict(narrowed, 403, .policyImplicitDeny)
        // The identity policy allows: the boundary is the gap, and the fix is there (not a bucket grant).
        XCTAssertTrue(narrowed.findings[0].summary.contains("permissions boundary"), narrowed.findings[0].summary)
        XCTAssertFalse(narrowed.findings[0].summary.contains("bucket policy"), narrowed.findings[0].summary)
        XCTAssertEqual(narrowed.findings[0].fixes.count, 1)
        s.boundary = doc(istmt(action: "\"s3:Get*\""))
        assertVerdict(try s.report(), 200, .none)
        s.principal = "arn:aws:sts::111122223333:assumed-role/reader/s1"
        s.session = doc(istmt(action: "\"s3:ListBucket\""))
        assertVerdict(try s.report(), 403, .policyImplicitDeny)
        // A deny in an SCP is an explicit deny.
        s.session = nil
        s.scps = [doc(istmt(action: "\"*\"", resource: "\"*\""), istmt("Deny", action: "\"s3:GetObject\""))]
        assertVerdict(try s.report(), 403, .policyExplicitDeny)
    }

    func testBoundaryDoesNotLimitResourcePolicyGrantToUserArn() throws {
        // Permissions boundaries page: within an account, a resource-based policy granting the IAM user
        // ARN is not limited by an implicit deny in the boundary; granting the role ARN is.
        var s = Scenario()
        s.boundary = doc(istmt(action: "\"s3:PutObject\""))
        s.bucket = doc(stmt())
        assertVerdict(try s.report(), 200, .none)
        s.principal = "arn:aws:sts::111122223333:assumed-role/reader/s1"
        s.bucket = doc(stmt(principal: #"{"AWS": "arn:aws:iam::111122223333:role/reader"}"#))
        assertVerdict(try s.report(), 403, .policyImplicitDeny)
    }

    func testAnonymousIgnoresIdentityPolicies() throws {
        var s = Scenario()
        s.principal = "*"
        s.identity = [doc(istmt())]
        let r = try s.report()
        assertVerdict(r, 403, .policyImplicitDeny)
        XCTAssertTrue(r.notes.contains { $0.contains("do not apply to an anonymous caller") })
        s.bucket = doc(stmt(principal: "\"*\""))
        assertVerdict(try s.report(), 200, .none)
    }

    func testEveryStatementIsExplained() throws {
        var s = Scenario()
        s.bucket = doc(stmt(action: "\"s3:PutObject\"", sid: "Writers"), stmt(principal: "{\"AWS\": \"arn:aws:iam::111122223333:user/zed\"}", sid: "Zed"))
        s.identity = [doc(istmt(resource: "\"arn:aws:s3:::other-bucket/*\""))]
        let r = try s.report()
        guard case .array(let list)? = r.findings[0].details?["statements"] else { return XCTFail("no statements list") }
        XCTAssertEqual(list.count, 3)
        let reasons = list.compactMap { v -> String? in if case .object(let o) = v, case .string(let s)? = o["reason"] { return s }; return nil }
        XCTAssertTrue(reasons[0].contains("does not match s3:GetObject"))
        XCTAssertTrue(reasons[1].contains("does not include"))
        XCTAssertTrue(reasons[2].contains("Resource"))
        XCTAssertEqual(r.notes.filter { $0.contains("does not apply") }.count, 3)
    }

    func testFixesAreLeastPrivilege() throws {
        // Fixes never grant "Principal": "*" together with s3:*.
        for principal in ["*", alice, other, "cloudfront.amazonaws.com"] {
            var s = Scenario()
            s.principal = principal
            s.context = [("aws:ResourceAccount", "111122223333")]
            let r = try s.report()
            for f in r.findings.flatMap(\.fixes) {
                let p = f.patch ?? ""
                XCTAssertFalse(p.contains("\"s3:*\""), p)
                XCTAssertFalse(p.contains("\"Action\": \"*\""), p)
            }
            XCTAssertFalse(r.findings[0].fixes.isEmpty, principal)
        }
    }

    func testAccountRootUser() throws {
        // The root user has full access to its own account's resources unless an explicit deny (or an
        // SCP) says otherwise; across accounts the resource policy must still grant.
        var s = Scenario()
        s.principal = "arn:aws:iam::111122223333:root"
        assertVerdict(try s.report(), 200, .none)
        s.bucket = doc(stmt("Deny", principal: "\"*\""))
        assertVerdict(try s.report(), 403, .policyExplicitDeny)
        s.principal = "444455556666"
        s.context = [("aws:ResourceAccount", "111122223333")]
        s.bucket = nil
        assertVerdict(try s.report(), 403, .policyImplicitDeny)
        s.bucket = doc(stmt(principal: "{\"AWS\": \"444455556666\"}"))
        assertVerdict(try s.report(), 200, .none)
    }
}
