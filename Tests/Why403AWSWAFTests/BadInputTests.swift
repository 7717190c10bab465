import XCTest
import Why403Core
@testable import Why403AWSWAF

/// Bad input is an `InputError` naming the file, the line and column and the JSON path, never a crash.
/// The valid values come from the API reference of each type
/// (https://docs.aws.amazon.com/waf/latest/APIReference/API_Statement.html and the pages it links).
final class BadInputTests: XCTestCase {
    func error(_ json: String, file: String = "acl.json") -> InputError? {
        do { _ = try WAFReader.webACL(Array(json.utf8), file: file); return nil } catch let e as InputError { return e } catch {
            XCTFail("not an InputError: \(error)"); return nil
        }
    }

    func testSyntaxErrorHasLineAndColumn() {
        let e = error("{\n  \"WebACL\": {\n    \"Name\": \"x\",,\n  }\n}")
        XCTAssertEqual(e?.file, "acl.json")
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.column, 17)
        XCTAssertTrue(e?.message.contains("expected a member name") ?? false, e?.description ?? "")
    }

    func testUnknownStatementNamesThePath() {
        let e = error(WAF.oneRule(#"{"FancyMatchStatement": {}}"#))
        XCTAssertTrue(e?.message.hasPrefix("$.WebACL.Rules[0].Statement:") ?? false, e?.description ?? "")
        XCTAssertTrue(e?.message.contains("\"FancyMatchStatement\"") ?? false)
        XCTAssertEqual(e?.line, 3)
    }

    func testSearchStringMustBeBase64() {
        let e = error(WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "/admin?", "FieldToMatch": {"UriPath": {}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "CONTAINS"}}"#))
        XCTAssertTrue(e?.message.hasPrefix("$.WebACL.Rules[0].Statement.ByteMatchStatement.SearchString:") ?? false, e?.description ?? "")
        XCTAssertNotNil(e?.help)
    }

    func testOtherMistakes() {
        let cases: [(String, String)] = [
            (WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "eA==", "FieldToMatch": {"UriPath": {}}, "TextTransformations": [{"Priority": 0, "Type": "ROT13"}], "PositionalConstraint": "CONTAINS"}}"#), "TextTransformations[0].Type"),
            (WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "eA==", "FieldToMatch": {"Fragment": {}}, "TextTransformations": [], "PositionalConstraint": "CONTAINS"}}"#), "FieldToMatch"),
            (WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "eA==", "FieldToMatch": {"UriPath": {}}, "TextTransformations": [], "PositionalConstraint": "NEAR"}}"#), "PositionalConstraint"),
            (WAF.oneRule(#"{"RegexMatchStatement": {"RegexString": "(unclosed", "FieldToMatch": {"UriPath": {}}, "TextTransformations": []}}"#), "RegexString"),
            (WAF.oneRule(#"{"GeoMatchStatement": {"CountryCodes": ["US"]}}"#, action: #"{"Deny": {}}"#), "Action"),
            (WAF.oneRule(#"{"AndStatement": {"Statements": [{"GeoMatchStatement": {"CountryCodes": ["US"]}}]}}"#), "Statements"),
            (WAF.oneRule(#"{"IPSetReferenceStatement": {"ARN": "a", "IPSetForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH", "Position": "MIDDLE"}}}"#), "Position"),
            (#"{"WebACL": {"Name": "x", "Rules": []}}"#, "DefaultAction"),
            (#"[1, 2]"#, "$"),
            (#"{"Foo": 1}"#, "$"),
            ("", "expected a JSON value"),
            (#"{"WebACL": {"Name": "x", "DefaultAction": {"Allow": {}}, "Rules": [{"Name": "a", "Priority": 1, "Statement": {"GeoMatchStatement": {"CountryCodes": ["US"]}}, "Action": {"Block": {}}}, {"Name": "b", "Priority": 1, "Statement": {"GeoMatchStatement": {"CountryCodes": ["US"]}}, "Action": {"Block": {}}}]}}"#, "same Priority"),
        ]
        for (json, needle) in cases {
            let e = error(json)
            XCTAssertNotNil(e, needle)
            XCTAssertTrue(e?.description.contains(needle) ?? false, "\(needle): \(e?.description ?? "no error")")
            XCTAssertEqual(e?.file, "acl.json")
        }
    }

    func testBadIPSet() {
        XCTAssertThrowsError(try WAFReader.ipSet(Array(#"{"IPSet": {"Name": "s", "ARN": "a", "Addresses": ["10.0.0.0/33"]}}"#.utf8), file: "ip.json")) { e in
            XCTAssertTrue((e as? InputError)?.message.hasPrefix("$.IPSet.Addresses[0]:") ?? false, "\(e)")
        }
    }

    func testBadCountry() throws {
        let r = try WAF.request("http://x.test/")
        XCTAssertThrowsError(try WAF.analyze(WAF.oneRule(#"{"GeoMatchStatement": {"CountryCodes": ["US"]}}"#), r, country: "USA"))
    }

    func testDeepNestingIsRefused() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        XCTAssertNotNil(error(deep))
    }
}
