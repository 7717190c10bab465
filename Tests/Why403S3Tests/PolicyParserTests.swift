import XCTest
import Why403Core
@testable import Why403S3
import Why403TestSupport

/// The policy grammar ("IAM JSON policy element reference", "Grammar of the IAM JSON policy
/// language": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html) and
/// the errors for malformed policies: file, line, JSON path, what was expected.
final class PolicyParserTests: XCTestCase {
    func parse(_ text: String, kind: PolicyKind = .bucket) throws -> Policy {
        try PolicyParser.parse(text, file: "p.json", kind: kind)
    }

    func error(_ text: String, kind: PolicyKind = .bucket) -> String {
        do { _ = try parse(text, kind: kind); return "no error" } catch { return "\(error)" }
    }

    func testStatementAsObjectOrArray() throws {
        let single = try parse(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#)
        XCTAssertEqual(single.statements.count, 1)
        let text = """
        {
          "Version": "2012-10-17",
          "Id": "policy-1",
          "Statement": [
            {
              "Sid": "One",
              "Effect": "Deny",
              "NotPrincipal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:user/alice"], "Service": "cloudfront.amazonaws.com"},
              "NotAction": ["s3:Get*"],
              "NotResource": "arn:aws:s3:::b/public/*",
              "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", 5, true]}}
            },
            {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "abc"}, "Action": "*", "Resource": ["*"]}
          ]
        }
        """
        let p = try parse(text)
        XCTAssertEqual(p.statements.count, 2)
        XCTAssertEqual(p.statements[0].sid, "One")
        XCTAssertEqual(p.statements[0].line, 5)
        XCTAssertEqual(p.statements[1].line, 13)
        XCTAssertEqual(p.statements[0].notPrincipal?.count, 3)
        XCTAssertEqual(p.statements[0].conditions[0].values, ["a*", "5", "true"])
        XCTAssertEqual(p.statements[0].conditions[0].op.set, .forAnyValue)
        XCTAssertTrue(p.statements[0].conditions[0].op.ifExists)
        XCTAssertEqual(p.statements[1].principal?.map(\.type), ["Federated", "CanonicalUser"])
    }

    func testErrorsNameFileLinePathAndExpectation() {
        XCTAssertEqual(error("{\n\"Statement\": [{\"Effect\": \"Permit\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"),
                       "p.json:2:26: error: expected \"Allow\" or \"Deny\" at $.Statement[0].Effect, found the string \"Permit\"")
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}").contains("expected a \"Principal\" or \"NotPrincipal\" key"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}", kind: .identity)
            .contains("expected no Principal in an identity policy"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"GetObject\", \"Resource\": \"*\"}]}")
            .contains("$.Statement[0].Action[0]"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"bucket/*\"}]}")
            .contains("expected an ARN"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"StringEqualz\": {\"a\": \"b\"}}}]}")
            .contains("expected a condition operator"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/33\"}}}]}")
            .contains("$.Statement[0].Condition.IpAddress.aws:SourceIp"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"NotAction\": \"s3:Put*\", \"Resource\": \"*\"}]}")
            .contains("either Action or NotAction"))
        XCTAssertTrue(error("{\"Version\": \"2020-01-01\", \"Statement\": []}").contains("$.Version"))
        XCTAssertTrue(error("{\"Statement\": [], \"Statement\": []}").contains("a second \"Statement\""))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Users\": \"x\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}")
            .contains("AWS, Service, Federated or CanonicalUser"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Extra\": 1}]}")
            .contains("the key \"Extra\""))
    }

    func testMalformedJSON() {
        XCTAssertEqual(error(""), "p.json:1: error: expected a JSON policy document, found an empty file")
        XCTAssertEqual(error("{\n  \"Statement\": [\n"), "p.json:3:1: error: expected a JSON value at $.Statement[0], found the end of the file")
        XCTAssertEqual(error("{\"Statement\": [}"), "p.json:1:16: error: expected a JSON value at $.Statement[0], found \"}\"")
        XCTAssertEqual(error("{\"a\" 1}"), "p.json:1:6: error: expected ':' after the key \"a\" at $, found \"1\"")
        XCTAssertEqual(error("{} x"), "p.json:1:4: error: expected the end of the document at $, found \"x\"")
        XCTAssertTrue(error("{\"a\": \"x\ny\"}").contains("found a line break"))
        XCTAssertTrue(error("{\"a\": \"\\q\"}").contains("expected a JSON escape"))
        XCTAssertTrue(error(String(repeating: "[", count: 200)).contains("levels of nesting"))
        XCTAssertTrue(error("\u{0}\u{1}\u{2}").contains("byte 0x0"))
        XCTAssertTrue(error("[1, 2]").contains("expected a policy document object"))
        XCTAssertTrue(error("{\"a\": -}").contains("expected a digit at $.a"))
        XCTAssertTrue(error("{\"Statement\": [{\"Effect\": \"Allow\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": tru}}}]}")
            .contains("at $.Statement[0].Condition.Bool.aws:SecureTransport"))
    }

    /// A wildcard inside a principal ARN: AWS refuses the policy ("Invalid principal in policy"), so does why403
    /// (QA: it was accepted and matched nothing); "*" alone stays the anonymous principal.
    func testAWildcardInsideAPrincipalIsRefused() {
        let policy = #"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/*"]}, "Action": "s3:GetObject", "Resource": "*"}]}"#
        XCTAssertTrue(error(policy).contains(#"found "arn:aws:iam::111122223333:role/*""#), error(policy))
        XCTAssertEqual(error(#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"}]}"#), "no error")
    }

    func testJSONStringEscapes() throws {
        let n = try JSONScanner.parse(Array(#"["a\"b\\c\/\n\u00e9\ud83d\ude00"]"#.utf8), file: "x")
        guard case .array(let items) = n.kind, case .string(let s) = items[0].kind else { return XCTFail() }
        XCTAssertEqual(s, "a\"b\\c/\né😀")
    }

    func testPrincipalAndContextParsing() throws {
        XCTAssertEqual(try Principal.parse("*").kind, .anonymous)
        XCTAssertEqual(try Principal.parse("111122223333").kind, .root)
        XCTAssertEqual(try Principal.parse("arn:aws:iam::111122223333:root").kind, .root)
        let u = try Principal.parse("arn:aws:iam::111122223333:user/division/alice")
        XCTAssertEqual(u.name, "alice")
        XCTAssertEqual(u.derivedKeys["aws:username"], "alice")
        let s = try Principal.parse("arn:aws:sts::111122223333:assumed-role/reader/sess")
        XCTAssertEqual(s.roleArn, "arn:aws:iam::111122223333:role/reader")
        XCTAssertEqual(s.derivedKeys["aws:PrincipalArn"], "arn:aws:iam::111122223333:role/reader")
        XCTAssertEqual(try Principal.parse("cloudfront.amazonaws.com").kind, .service)
        XCTAssertEqual(try Principal.parse("arn:aws:sts::111122223333:federated-user/bob").derivedKeys["aws:userid"], "111122223333:bob")
        for bad in ["alice", "arn:aws:iam::1234:user/x", "arn:aws:s3:::bucket", "arn:aws:iam::111122223333:group/g", ""] {
            XCTAssertThrowsError(try Principal.parse(bad), bad)
        }
        XCTAssertThrowsError(try S3Analyzer.Input.contextPair("novalue"))
        XCTAssertEqual(try S3Analyzer.Input.contextPair("s3:prefix=a=b").value, "a=b")
        XCTAssertThrowsError(try S3Analyzer.Input(principal: .parse("*"), action: "s3:Get*", resource: "arn:aws:s3:::b/k"))
        XCTAssertThrowsError(try S3Analyzer.Input(principal: .parse("*"), action: "s3:GetObject", resource: "b/k"))
        // --context overrides derived keys; repeated keys are multivalued.
        let ctx = RequestContext(principal: u, action: "s3:GetObject", resource: "arn:aws:s3:::b/k",
                                 context: [("aws:username", "mallory"), ("aws:TagKeys", "a"), ("aws:TagKeys", "b")])
        XCTAssertEqual(ctx.lookup("AWS:USERNAME"), ["mallory"])
        XCTAssertEqual(ctx.lookup("aws:tagkeys"), ["a", "b"])
        XCTAssertEqual(ctx.resourceAccount, "111122223333")
    }

    func testWildcardMatcher() {
        XCTAssertTrue(Wildcard.match(Wildcard.tokens("a*b*c"), "aXXbYYc"))
        XCTAssertTrue(Wildcard.match(Wildcard.tokens("*"), ""))
        XCTAssertFalse(Wildcard.match(Wildcard.tokens("a?c"), "ac"))
        XCTAssertTrue(Wildcard.match(Wildcard.tokens("a**"), "a"))
        XCTAssertFalse(Wildcard.match(Wildcard.tokens("a*b"), "aXbX"))
        XCTAssertTrue(Wildcard.match(Wildcard.tokens("S3:GET*"), "s3:GetObject", ignoreCase: true))
        // Pathological patterns stay fast (linear matcher; no timing assertion, just completion).
        XCTAssertFalse(Wildcard.match(Wildcard.tokens(String(repeating: "a*", count: 200) + "b"), String(repeating: "a", count: 5000)))
    }

    func testHostileFilesAreInputErrors() throws {
        // A device that never ends, a directory, a missing file, an oversized file: exit-2 errors, no hang.
        for path in ["/dev/zero", "/tmp", "/nonexistent/policy.json"] {
            XCTAssertThrowsError(try PolicyParser.load(path: path, kind: .bucket), path) { e in
                XCTAssertEqual((e as? InputError)?.file, path)
            }
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let big = try dir.write("big.json", "{\"Statement\": [" + String(repeating: " ", count: PolicyParser.maxBytes) + "]}")
        XCTAssertThrowsError(try PolicyParser.load(path: big.path, kind: .identity)) { e in
            XCTAssertTrue("\(e)".contains("at most"), "\(e)")
        }
        XCTAssertThrowsError(try PublicAccessBlock.load(path: "/dev/zero"))
    }
}
