import XCTest
import Why403Core
@testable import Why403AWSWAF

/// The readers of `aws wafv2` output: envelope and bare objects, Base64 search strings, JSON paths and
/// lines, priority order, references by ARN. Shapes from the AWS CLI reference
/// (https://docs.aws.amazon.com/cli/latest/reference/wafv2/get-web-acl.html, get-ip-set, get-regex-pattern-set,
/// get-rule-group) and the API's blob type for `SearchString`
/// (https://docs.aws.amazon.com/waf/latest/APIReference/API_ByteMatchStatement.html).
final class ReaderTests: XCTestCase {
    func testEnvelopeAndBare() throws {
        let enveloped = try WAFReader.webACL(path: WAF.fixture("cases/string-match/web-acl.json"))
        XCTAssertTrue(enveloped.enveloped)
        XCTAssertEqual(enveloped.name, "shop-acl")
        XCTAssertEqual(enveloped.rules.map(\.name), ["BlockBadBot", "BlockAdminPath"])
        XCTAssertEqual(enveloped.rules[1].source.path, "$.WebACL.Rules[1]")
        XCTAssertEqual(enveloped.rules[1].source.pointer, "/WebACL/Rules/1")
        XCTAssertEqual(enveloped.labelNamespace, "awswaf:111122223333:webacl:shop-acl")
        let bare = try WAFReader.webACL(path: WAF.fixture("readers/bare-web-acl.json"))
        XCTAssertFalse(bare.enveloped)
        XCTAssertEqual(bare.rules[0].source.path, "$.Rules[0]")
        XCTAssertGreaterThan(bare.rules[0].source.line, 1)
    }

    func testSearchStringIsDecoded() throws {
        let acl = try WAFReader.webACL(path: WAF.fixture("cases/string-match/web-acl.json"))
        guard case .byteMatch(let search, let constraint, let field, _, let src) = acl.rules[0].statement else { return XCTFail() }
        XCTAssertEqual(String(decoding: search, as: UTF8.self), "BadBot")
        XCTAssertEqual(constraint, "CONTAINS_WORD")
        XCTAssertEqual(field, .singleHeader("user-agent"))
        XCTAssertEqual(src.path, "$.WebACL.Rules[0].Statement.ByteMatchStatement")
    }

    func testRulesSortedByPriority() throws {
        let json = """
        {"Name": "p", "DefaultAction": {"Allow": {}}, "Rules": [
          {"Name": "second", "Priority": 20, "Statement": {"GeoMatchStatement": {"CountryCodes": ["FR"]}}, "Action": {"Count": {}}},
          {"Name": "first", "Priority": 3, "Statement": {"GeoMatchStatement": {"CountryCodes": ["DE"]}}, "Action": {"Block": {}}}]}
        """
        let acl = try WAF.acl(json)
        XCTAssertEqual(acl.rules.map(\.name), ["first", "second"])
        XCTAssertEqual(acl.rules[0].source.path, "$.Rules[1]")
    }

    func testReferenceFiles() throws {
        let ip = try WAFReader.ipSet(path: WAF.fixture("cases/ip-set/ip-set.json"))
        XCTAssertEqual(ip.addresses.map(\.text), ["192.0.2.0/24", "203.0.113.77/32"])
        XCTAssertEqual(ip.addresses[1].source.path, "$.IPSet.Addresses[1]")
        let rx = try WAFReader.regexPatternSet(path: WAF.fixture("cases/regex/regex-set.json"))
        XCTAssertEqual(rx.patterns.map(\.text), ["^admin\\.", "\\.internal$"])
        let rg = try WAFReader.ruleGroup(path: WAF.fixture("cases/rule-group/rule-group.json"))
        XCTAssertEqual(rg.name, "scanner-rules")
        XCTAssertEqual(rg.labelNamespace, "awswaf:111122223333:rulegroup:scanner-rules")
        XCTAssertEqual(rg.rules.map(\.name), ["BlockScanner", "BlockWpLogin"])
    }

    func testJSONPathsOfOddKeys() throws {
        let v = try WAFJSON.parse(Array(#"{"a b": [1, {"c": true}]}"#.utf8), file: "x.json")
        XCTAssertEqual(v["a b"]?.array?[1]["c"]?.path, "$[\"a b\"][1].c")
        XCTAssertEqual(WAFSource.pointer("$[\"a/b\"][1].c"), "/a~1b/1/c")
    }

    func testSerializedRoundTrip() throws {
        let text = #"{"a":[1,-2.5e3,"x\"y\n",true,null,{}],"b":{"c":"é"}}"#
        let v = try WAFJSON.parse(Array(text.utf8), file: "x.json")
        XCTAssertEqual(v.serialized, text)
    }
}
