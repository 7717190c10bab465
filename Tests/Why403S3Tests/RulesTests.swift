import XCTest
import Why403Core
@testable import Why403S3

/// Block Public Access, the ListBucket 403-for-404 rule, CloudFront OAC and SSE-KMS.
final class RulesTests: XCTestCase {
    let publicRead = stmt(principal: "\"*\"", sid: "PublicRead")

    // MARK: Block Public Access — "Blocking public access to your Amazon S3 storage"
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)

    func testRestrictPublicBucketsBlocksAnonymous() throws {
        // "RestrictPublicBuckets ... restricts access to a bucket with a public policy to only AWS
        // service principals and authorized users within the bucket owner's account."
        var s = Scenario()
        s.principal = "*"
        s.bucket = doc(publicRead)
        assertVerdict(try s.report(), 200, .none)
        s.bpa = PublicAccessBlock(restrictPublicBuckets: true, file: "bpa.json")
        let r = try s.report()
        assertVerdict(r, 403, .policyPublicAccessBlock)
        XCTAssertEqual(r.findings[0].evidence[0].text, "\"RestrictPublicBuckets\": true")
        XCTAssertTrue(r.findings[0].evidence.contains { $0.source == "bucket.json:4" })
    }

    func testRestrictPublicBucketsBlocksCrossAccountButNotOwnAccount() throws {
        var s = Scenario()
        s.bucket = doc(publicRead)
        s.bpa = PublicAccessBlock(restrictPublicBuckets: true, file: "bpa.json")
        assertVerdict(try s.report(), 200, .none)  // same account: unaffected
        s.principal = "arn:aws:iam::444455556666:user/bob"
        s.context = [("aws:ResourceAccount", "111122223333")]
        s.identity = [doc(istmt())]
        assertVerdict(try s.report(), 403, .policyPublicAccessBlock)
        // "This setting blocks all cross-account access" — also via a named, non-public statement.
        s.bucket = doc(publicRead, stmt(principal: "{\"AWS\": \"arn:aws:iam::444455556666:user/bob\"}"))
        assertVerdict(try s.report(), 403, .policyPublicAccessBlock)
        // A non-public policy is not affected.
        s.bucket = doc(stmt(principal: "{\"AWS\": \"arn:aws:iam::444455556666:user/bob\"}"))
        assertVerdict(try s.report(), 200, .none)
    }

    func testIgnorePublicAclsAndBlockPublicPolicyDoNotChangeAccess() throws {
        // BlockPublicPolicy / BlockPublicAcls act on PUT calls; IgnorePublicAcls on ACLs.
        var s = Scenario()
        s.principal = "*"
        s.bucket = doc(publicRead)
        s.bpa = PublicAccessBlock(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, file: "bpa.json")
        let r = try s.report()
        assertVerdict(r, 200, .none)
        XCTAssertTrue(r.notes.contains { $0.contains("IgnorePublicAcls") })
    }

    func testMeaningOfPublic() throws {
        // "The meaning of 'public'": fixed values of aws:SourceIp (not wider than /8), aws:SourceArn,
        // aws:SourceVpce, aws:PrincipalOrgID ... make a wildcard-principal statement non-public;
        // wildcards or negated operators do not.
        func isPublic(_ condition: String?) throws -> Bool {
            try PublicAccessBlock.isPublic(PolicyParser.parse(doc(stmt(principal: "\"*\"", condition: condition)), file: "p", kind: .bucket))
        }
        XCTAssertTrue(try isPublic(nil))
        XCTAssertFalse(try isPublic(#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#))
        XCTAssertTrue(try isPublic(#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}}"#))
        XCTAssertFalse(try isPublic(#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#))
        XCTAssertFalse(try isPublic(#"{"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}"#))
        XCTAssertTrue(try isPublic(#"{"StringLike": {"aws:PrincipalOrgID": "o-*"}}"#))
        XCTAssertTrue(try isPublic(#"{"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#))
        XCTAssertTrue(try isPublic(#"{"StringEquals": {"s3:prefix": "public/"}}"#))
        XCTAssertFalse(try isPublic(#"{"ArnEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1"}}"#))
        XCTAssertFalse(try PublicAccessBlock.isPublic(PolicyParser.parse(doc(stmt()), file: "p", kind: .bucket)))
    }

    func testBlockPublicAccessFileShapes() throws {
        let inner = try PublicAccessBlock.parse(Array(#"{"RestrictPublicBuckets": true, "IgnorePublicAcls": false}"#.utf8), file: "a.json")
        XCTAssertTrue(inner.restrictPublicBuckets)
        let outer = try PublicAccessBlock.parse(Array("{\"PublicAccessBlockConfiguration\": {\n\"BlockPublicAcls\": true,\n\"RestrictPublicBuckets\": true}}".utf8), file: "b.json")
        XCTAssertTrue(outer.blockPublicAcls)
        XCTAssertEqual(outer.lines["RestrictPublicBuckets"], 3)
        XCTAssertThrowsError(try PublicAccessBlock.parse(Array(#"{"RestrictPublicBuckets": "yes"}"#.utf8), file: "c.json")) { e in
            XCTAssertTrue("\(e)".contains("c.json:1"), "\(e)")
            XCTAssertTrue("\(e)".contains("true or false"), "\(e)")
        }
    }

    // MARK: ListBucket — S3 API Reference, GetObject, "Permissions"
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html): 404 with s3:ListBucket, else 403.

    func testMissingObjectWithoutListBucketIs403() throws {
        var s = Scenario()
        s.identity = [doc(istmt())]
        s.objectMissing = true
        let r = try s.report()
        assertVerdict(r, 403, .policyNoList)
        XCTAssertTrue(r.findings[0].fixes.contains { $0.patch?.contains("\"s3:ListBucket\"") ?? false })
        XCTAssertTrue(r.findings[0].fixes.contains { $0.patch?.contains("\"arn:aws:s3:::amzn-bucket\"") ?? false })
    }

    func testMissingObjectWithListBucketIs404() throws {
        var s = Scenario()
        s.identity = [doc(istmt(), istmt(action: "\"s3:ListBucket\"", resource: "\"arn:aws:s3:::amzn-bucket\""))]
        s.objectMissing = true
        let r = try s.report()
        XCTAssertEqual(r.verdict.status, 404)
        XCTAssertEqual(r.verdict.cause, .none)
        // ListBucket granted on the objects (bucket/*) does not count: it is a bucket action.
        s.identity = [doc(istmt(action: "[\"s3:GetObject\", \"s3:ListBucket\"]"))]
        assertVerdict(try s.report(), 403, .policyNoList)
    }

    func testMissingObjectButDeniedAnywayKeepsTheDenyCause() throws {
        var s = Scenario()
        s.objectMissing = true
        assertVerdict(try s.report(), 403, .policyImplicitDeny)
    }

    // MARK: CloudFront OAC — CloudFront Developer Guide, "Restricting access to an Amazon S3 origin"
    // (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html)

    let oac = stmt(principal: #"{"Service": "cloudfront.amazonaws.com"}"#,
                   condition: #"{"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}"#,
                   sid: "AllowCloudFrontServicePrincipal")

    func testOACGrantedDistribution() throws {
        var s = Scenario()
        s.principal = "cloudfront.amazonaws.com"
        s.bucket = doc(oac)
        s.context = [("aws:SourceArn", "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE")]
        assertVerdict(try s.report(), 200, .none)
    }

    func testOACOtherDistribution() throws {
        var s = Scenario()
        s.principal = "cloudfront.amazonaws.com"
        s.bucket = doc(oac)
        s.context = [("aws:SourceArn", "arn:aws:cloudfront::111122223333:distribution/E2NEWDIST")]
        let r = try s.report()
        assertVerdict(r, 403, .policyOriginAccess)
        XCTAssertEqual(r.findings[0].confidence, .certain)
        XCTAssertTrue(r.findings[0].summary.contains("EDFDVBD6EXAMPLE"))
        XCTAssertTrue(r.findings[0].fixes[0].patch?.contains("E2NEWDIST") ?? false)
        XCTAssertTrue(r.findings[0].fixes[0].patch?.contains("cloudfront.amazonaws.com") ?? false)
    }

    /// issue 11 (report-v1 second edition): the legacy origin access identity principal is accepted,
    /// granted by its ARN, and its absence is `policy.origin-access` with a grant as the fix.
    func testIssue11LegacyOAIPrincipal() throws {
        let oai = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL"
        var s = Scenario()
        s.principal = oai
        s.bucket = doc(stmt(principal: #"{"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL"}"#))
        assertVerdict(try s.report(), 200, .none)
        s.bucket = doc(stmt(principal: #"{"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1OTHER"}"#))
        let r = try s.report()
        assertVerdict(r, 403, .policyOriginAccess)
        XCTAssertEqual(r.findings[0].rule, "s3-cloudfront-oai")
        XCTAssertTrue(r.findings[0].fixes[0].patch?.contains(oai) ?? false)
        XCTAssertThrowsError(try Principal.parse("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "))
    }

    func testOACNotGrantedAtAll() throws {
        var s = Scenario()
        s.principal = "cloudfront.amazonaws.com"
        s.bucket = doc(stmt())
        s.context = [("aws:SourceArn", "arn:aws:cloudfront::111122223333:distribution/E2NEWDIST")]
        let r = try s.report()
        assertVerdict(r, 403, .policyOriginAccess)
        XCTAssertTrue(r.findings[0].summary.contains("no bucket-policy statement grants"))
    }

    func testOACWithoutSourceArnIsOnlyLikely() throws {
        var s = Scenario()
        s.principal = "cloudfront.amazonaws.com"
        s.bucket = doc(oac)
        let r = try s.report()
        assertVerdict(r, 403, .policyOriginAccess)
        XCTAssertNotEqual(r.findings[0].confidence, .certain)
    }

    // MARK: SSE-KMS — S3 User Guide "Using server-side encryption with AWS KMS keys (SSE-KMS)" and
    // AWS KMS Developer Guide "Key policies in AWS KMS": IAM policies grant a key only when the key
    // policy allows it directly or delegates to the account.

    let keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    func kmsScenario() -> Scenario {
        var s = Scenario()
        s.identity = [doc(istmt())]
        s.context = [("s3:x-amz-server-side-encryption", "aws:kms"), ("s3:x-amz-server-side-encryption-aws-kms-key-id", keyArn)]
        return s
    }

    func testKMSDecryptMissingFromIdentity() throws {
        let r = try kmsScenario().report()
        assertVerdict(r, 403, .policyImplicitDeny)
        XCTAssertEqual(r.findings[0].rule, "s3-kms")
        XCTAssertEqual(r.findings[0].confidence, .likely)  // the key policy was not given
    }

    func testKMSKeyPolicyDelegatesToAccount() throws {
        var s = kmsScenario()
        s.kms = doc(stmt(principal: #"{"AWS": "arn:aws:iam::111122223333:root"}"#, action: "\"kms:*\"", resource: "\"*\""))
        assertVerdict(try s.report(), 403, .policyImplicitDeny)  // delegation, but IAM does not allow kms:Decrypt
        s.identity = [doc(istmt(), istmt(action: "\"kms:Decrypt\"", resource: "\"\(keyArn)\""))]
        assertVerdict(try s.report(), 200, .none)
    }

    func testKMSKeyPolicyMustAllowEvenIfIAMDoes() throws {
        var s = kmsScenario()
        s.identity = [doc(istmt(), istmt(action: "\"kms:Decrypt\"", resource: "\"*\""))]
        s.kms = doc(stmt(principal: #"{"AWS": "arn:aws:iam::111122223333:user/admin"}"#, action: "\"kms:*\"", resource: "\"*\""))
        let r = try s.report()
        assertVerdict(r, 403, .policyImplicitDeny)
        XCTAssertEqual(r.findings[0].confidence, .certain)
        XCTAssertTrue(r.findings[0].fixes[0].patch?.contains("kms:Decrypt") ?? false)
        s.kms = doc(stmt(principal: #"{"AWS": "arn:aws:iam::111122223333:user/alice"}"#, action: "\"kms:Decrypt\"", resource: "\"*\""))
        assertVerdict(try s.report(), 200, .none)
    }

    func testKMSWithoutKeyArnIsPossibleOnly() throws {
        var s = Scenario()
        s.identity = [doc(istmt())]
        s.context = [("s3:x-amz-server-side-encryption", "aws:kms")]
        let r = try s.report()
        XCTAssertEqual(r.verdict.status, 200)
        XCTAssertEqual(r.findings.first?.rule, "s3-allow")  // the verdict's finding first
        XCTAssertTrue(r.findings.contains { $0.rule == "s3-kms" && $0.confidence == .possible })
    }
}
