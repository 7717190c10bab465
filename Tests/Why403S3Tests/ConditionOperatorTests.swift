import XCTest
import Why403Core
@testable import Why403S3

/// Condition operators, one family per test, with expectations from the IAM User Guide page
/// "IAM JSON policy elements: Condition operators"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
/// and "Single-valued vs. multivalued context keys"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
final class ConditionOperatorTests: XCTestCase {
    /// Evaluates one condition block in an identity policy; returns the HTTP status.
    func status(_ condition: String, _ context: [(String, String)], policyVersion: String = "2012-10-17",
                resource: String = "\"arn:aws:s3:::amzn-bucket/*\"") throws -> Int? {
        var s = Scenario()
        s.identity = ["{\"Version\": \"\(policyVersion)\", \"Statement\": [\(istmt(resource: resource, condition: condition))]}"]
        s.context = context
        return try s.report().verdict.status
    }

    func testStringOperators() throws {
        // "String condition operators": StringEquals is case-sensitive, StringEqualsIgnoreCase is not,
        // StringLike honours * and ?, values of one key are OR'ed.
        XCTAssertEqual(try status(#"{"StringEquals": {"aws:PrincipalTag/team": ["red", "blue"]}}"#, [("aws:PrincipalTag/team", "blue")]), 200)
        XCTAssertEqual(try status(#"{"StringEquals": {"aws:PrincipalTag/team": "Blue"}}"#, [("aws:PrincipalTag/team", "blue")]), 403)
        XCTAssertEqual(try status(#"{"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "Blue"}}"#, [("aws:PrincipalTag/team", "blue")]), 200)
        XCTAssertEqual(try status(#"{"StringLike": {"s3:prefix": "home/?lice/*"}}"#, [("s3:prefix", "home/alice/docs")]), 200)
        XCTAssertEqual(try status(#"{"StringEquals": {"s3:prefix": "home/*"}}"#, [("s3:prefix", "home/alice")]), 403)  // * is literal for Equals
        XCTAssertEqual(try status(#"{"StringNotEquals": {"aws:PrincipalTag/team": ["red", "blue"]}}"#, [("aws:PrincipalTag/team", "green")]), 200)
        XCTAssertEqual(try status(#"{"StringNotEquals": {"aws:PrincipalTag/team": ["red", "blue"]}}"#, [("aws:PrincipalTag/team", "red")]), 403)
        XCTAssertEqual(try status(#"{"StringNotLike": {"s3:prefix": "private/*"}}"#, [("s3:prefix", "public/x")]), 200)
        // Condition key names are case-insensitive.
        XCTAssertEqual(try status(#"{"StringEquals": {"AWS:PRINCIPALTAG/team": "red"}}"#, [("aws:PrincipalTag/team", "red")]), 200)
    }

    func testAbsentKeys() throws {
        // "If the key that you specify in a policy condition is not present in the request context, the
        // values do not match and the condition is false. If the policy condition requires that the key is
        // not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition
        // is true." ...IfExists: "If the policy key is not present, the condition evaluates to true."
        XCTAssertEqual(try status(#"{"StringEquals": {"aws:PrincipalTag/team": "red"}}"#, []), 403)
        XCTAssertEqual(try status(#"{"StringNotEquals": {"aws:PrincipalTag/team": "red"}}"#, []), 200)
        XCTAssertEqual(try status(#"{"StringEqualsIfExists": {"aws:PrincipalTag/team": "red"}}"#, []), 200)
        XCTAssertEqual(try status(#"{"StringEqualsIfExists": {"aws:PrincipalTag/team": "red"}}"#, [("aws:PrincipalTag/team", "blue")]), 403)
        XCTAssertEqual(try status(#"{"ArnNotLike": {"aws:SourceArn": "arn:aws:cloudfront::*:distribution/*"}}"#, []), 200)
    }

    func testNumericOperators() throws {
        // "Numeric condition operators".
        XCTAssertEqual(try status(#"{"NumericLessThanEquals": {"s3:max-keys": "10"}}"#, [("s3:max-keys", "10")]), 200)
        XCTAssertEqual(try status(#"{"NumericLessThan": {"s3:max-keys": "10"}}"#, [("s3:max-keys", "10")]), 403)
        XCTAssertEqual(try status(#"{"NumericGreaterThan": {"s3:max-keys": 5}}"#, [("s3:max-keys", "6")]), 200)
        XCTAssertEqual(try status(#"{"NumericGreaterThanEquals": {"s3:max-keys": 5}}"#, [("s3:max-keys", "4")]), 403)
        XCTAssertEqual(try status(#"{"NumericEquals": {"s3:max-keys": "5"}}"#, [("s3:max-keys", "5.0")]), 200)
        XCTAssertEqual(try status(#"{"NumericNotEquals": {"s3:max-keys": "5"}}"#, [("s3:max-keys", "5")]), 403)
        XCTAssertEqual(try status(#"{"NumericEquals": {"s3:max-keys": "5"}}"#, [("s3:max-keys", "five")]), 403)
    }

    func testDateOperators() throws {
        // "Date condition operators": W3C ISO 8601 or epoch seconds.
        XCTAssertEqual(try status(#"{"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}}"#, [("aws:CurrentTime", "2026-11-29T10:00:00Z")]), 200)
        XCTAssertEqual(try status(#"{"DateGreaterThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}}"#, [("aws:CurrentTime", "2026-11-29T10:00:00Z")]), 403)
        XCTAssertEqual(try status(#"{"DateGreaterThanEquals": {"aws:EpochTime": "1700000000"}}"#, [("aws:EpochTime", "1800000000")]), 200)
        XCTAssertEqual(try status(#"{"DateEquals": {"aws:CurrentTime": "2026-01-01"}}"#, [("aws:CurrentTime", "2026-01-01T00:00:00Z")]), 200)
        XCTAssertEqual(try status(#"{"DateNotEquals": {"aws:CurrentTime": "2026-01-01"}}"#, [("aws:CurrentTime", "2026-01-01T00:00:00Z")]), 403)
        XCTAssertEqual(try status(#"{"DateLessThanEquals": {"aws:CurrentTime": "2026-01-01T00:00:00+01:00"}}"#, [("aws:CurrentTime", "2025-12-31T23:00:00Z")]), 200)
    }

    func testBoolAndBinaryAndNull() throws {
        // "Boolean condition operators", "Binary condition operators", "Condition operator to check
        // existence of condition keys" (Null: true = absent).
        XCTAssertEqual(try status(#"{"Bool": {"aws:SecureTransport": "true"}}"#, [("aws:SecureTransport", "TRUE")]), 200)
        XCTAssertEqual(try status(#"{"Bool": {"aws:SecureTransport": true}}"#, [("aws:SecureTransport", "false")]), 403)
        XCTAssertEqual(try status(#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}"#, []), 200)
        XCTAssertEqual(try status(#"{"BinaryEquals": {"s3:x-test": "QmluYXJ5VmFsdWU="}}"#, [("s3:x-test", "QmluYXJ5VmFsdWU=")]), 200)
        XCTAssertEqual(try status(#"{"BinaryEquals": {"s3:x-test": "QmluYXJ5VmFsdWU="}}"#, [("s3:x-test", "T3RoZXI=")]), 403)
        XCTAssertEqual(try status(#"{"Null": {"aws:TokenIssueTime": "true"}}"#, []), 200)
        XCTAssertEqual(try status(#"{"Null": {"aws:TokenIssueTime": "true"}}"#, [("aws:TokenIssueTime", "2026-11-29T00:00:00Z")]), 403)
        XCTAssertEqual(try status(#"{"Null": {"aws:TokenIssueTime": "false"}}"#, [("aws:TokenIssueTime", "2026-11-29T00:00:00Z")]), 200)
    }

    func testIPAddressOperators() throws {
        // "IP address condition operators": RFC 4632 CIDR, IPv4 and IPv6.
        XCTAssertEqual(try status(#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, [("aws:SourceIp", "203.0.113.7")]), 200)
        XCTAssertEqual(try status(#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, [("aws:SourceIp", "198.51.100.7")]), 403)
        XCTAssertEqual(try status(#"{"IpAddress": {"aws:SourceIp": ["198.51.100.7", "2001:db8::/32"]}}"#, [("aws:SourceIp", "2001:db8:1::5")]), 200)
        XCTAssertEqual(try status(#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, [("aws:SourceIp", "198.51.100.7")]), 200)
        XCTAssertEqual(try status(#"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, [("aws:SourceIp", "203.0.113.9")]), 403)
        XCTAssertEqual(try status(#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#, [("aws:SourceIp", "not-an-ip")]), 403)
    }

    func testArnOperators() throws {
        // "Amazon Resource Name (ARN) condition operators": segment-wise, case-sensitive; ArnEquals = ArnLike.
        let arn = "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"
        XCTAssertEqual(try status(#"{"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/*"}}"#, [("aws:SourceArn", arn)]), 200)
        XCTAssertEqual(try status(#"{"ArnEquals": {"aws:SourceArn": "arn:aws:cloudfront::*:distribution/EDFDVBD6EXAMPLE"}}"#, [("aws:SourceArn", arn)]), 200)
        XCTAssertEqual(try status(#"{"ArnEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/edfdvbd6example"}}"#, [("aws:SourceArn", arn)]), 403)
        XCTAssertEqual(try status(#"{"ArnNotEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/OTHER"}}"#, [("aws:SourceArn", arn)]), 200)
        // * does not cross a segment: the account segment cannot absorb the region's colon.
        XCTAssertEqual(try status(#"{"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront:*:distribution/*"}}"#, [("aws:SourceArn", arn)]), 403)
    }

    func testSetOperators() throws {
        // Multivalued keys: ForAnyValue needs one match (false on an absent key); ForAllValues needs every
        // value to match (true when the key is absent).
        let tags = #"{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}"#
        XCTAssertEqual(try status(tags, [("aws:TagKeys", "env"), ("aws:TagKeys", "team")]), 200)
        XCTAssertEqual(try status(tags, [("aws:TagKeys", "env"), ("aws:TagKeys", "cost")]), 403)
        XCTAssertEqual(try status(tags, []), 200)
        let any = #"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}"#
        XCTAssertEqual(try status(any, [("aws:TagKeys", "cost"), ("aws:TagKeys", "env")]), 200)
        XCTAssertEqual(try status(any, [("aws:TagKeys", "cost")]), 403)
        XCTAssertEqual(try status(any, []), 403)
        XCTAssertEqual(try status(#"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret"]}}"#, [("aws:TagKeys", "env"), ("aws:TagKeys", "team")]), 200)
        XCTAssertEqual(try status(#"{"ForAnyValue:StringLike": {"aws:TagKeys": ["sec*"]}}"#, [("aws:TagKeys", "env"), ("aws:TagKeys", "secret")]), 200)
    }

    func testSeveralKeysAreANDed() throws {
        // "Evaluation logic for conditions": several keys in a block and several operators are AND'ed.
        let c = #"{"StringEquals": {"aws:PrincipalTag/team": "red", "s3:prefix": "red/"}, "Bool": {"aws:SecureTransport": "true"}}"#
        XCTAssertEqual(try status(c, [("aws:PrincipalTag/team", "red"), ("s3:prefix", "red/"), ("aws:SecureTransport", "true")]), 200)
        XCTAssertEqual(try status(c, [("aws:PrincipalTag/team", "red"), ("s3:prefix", "red/"), ("aws:SecureTransport", "false")]), 403)
        XCTAssertEqual(try status(c, [("aws:PrincipalTag/team", "red"), ("aws:SecureTransport", "true")]), 403)
    }

    func testPolicyVariables() throws {
        // "IAM policy elements: Variables and tags": ${aws:username}, tags, defaults, and the special
        // characters ${*} ${?} ${$}, which are literal; variables only under Version 2012-10-17.
        XCTAssertEqual(try status(nil ?? #"{"StringLike": {"s3:prefix": "home/${aws:username}/*"}}"#, [("s3:prefix", "home/alice/x")]), 200)
        XCTAssertEqual(try status(#"{"StringLike": {"s3:prefix": "home/${aws:username}/*"}}"#, [("s3:prefix", "home/bob/x")]), 403)
        XCTAssertEqual(try status(#"{"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team}"}}"#, [("aws:PrincipalTag/team", "red"), ("s3:prefix", "red")]), 200)
        XCTAssertEqual(try status(#"{"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team, 'shared'}"}}"#, [("s3:prefix", "shared")]), 200)
        XCTAssertEqual(try status(#"{"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team}"}}"#, [("s3:prefix", "")]), 403)
        // ${*} is a literal asterisk: StringLike "a${*}" matches only "a*", not "ab".
        XCTAssertEqual(try status(#"{"StringLike": {"s3:prefix": "a${*}"}}"#, [("s3:prefix", "a*")]), 200)
        XCTAssertEqual(try status(#"{"StringLike": {"s3:prefix": "a${*}"}}"#, [("s3:prefix", "ab")]), 403)
        XCTAssertEqual(try status(#"{"StringLike": {"s3:prefix": "a${?}"}}"#, [("s3:prefix", "ab")]), 403)
        XCTAssertEqual(try status(#"{"StringEquals": {"s3:prefix": "cost${$}"}}"#, [("s3:prefix", "cost$")]), 200)
        // In a Resource element.
        XCTAssertEqual(try status(#"{"Bool": {"aws:SecureTransport": "true"}}"#, [("aws:SecureTransport", "true")],
                                  resource: #""arn:aws:s3:::amzn-bucket/home/${aws:username}/*""#).map { $0 }, 403)
        var s = Scenario()
        s.resource = "arn:aws:s3:::amzn-bucket/home/alice/a.txt"
        s.identity = [doc(istmt(resource: #""arn:aws:s3:::amzn-bucket/home/${aws:username}/*""#))]
        XCTAssertEqual(try s.report().verdict.status, 200)
        // Version 2008-10-17: "${aws:username}" is plain text.
        s.identity = ["{\"Version\": \"2008-10-17\", \"Statement\": [\(istmt(resource: #""arn:aws:s3:::amzn-bucket/home/${aws:username}/*""#))]}"]
        XCTAssertEqual(try s.report().verdict.status, 403)
    }
}
