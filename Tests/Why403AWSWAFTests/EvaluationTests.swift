import XCTest
import Why403Core
@testable import Why403AWSWAF

/// Evaluation details the case suite does not show: the trace of earlier rules, custom response bodies,
/// the patch, the purity of `CompiledWebACL.evaluate`, and the statements that can only be possible.
final class EvaluationTests: XCTestCase {
    func testEarlierRulesAndJSONPathInDetails() throws {
        let acl = try WAFReader.webACL(path: WAF.fixture("cases/string-match/web-acl.json"))
        let r = try AWSWAFAnalyzer.analyze(.init(webACL: acl, request: try WAF.request("https://shop.example.com/admin", headers: ["User-Agent: curl/8"])))
        let f = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(f.rule, "BlockAdminPath")
        XCTAssertEqual(f.details?["json_path"], "$.WebACL.Rules[1]")
        guard case .array(let earlier)? = f.details?["earlier_rules"], case .object(let first)? = earlier.first else { return XCTFail("no earlier rules") }
        XCTAssertEqual(first["name"], "BlockBadBot")
        XCTAssertEqual(first["result"], "no")
        XCTAssertEqual(r.subject.kind, .awsWAF)
        XCTAssertEqual(r.subject.config, acl.file)
    }

    func testCustomResponseBodyAndCode() throws {
        let acl = try WAFReader.webACL(path: WAF.fixture("cases/size-constraint/web-acl.json"))
        let r = try AWSWAFAnalyzer.analyze(.init(webACL: acl, request: try WAF.request("https://x.test/comments", method: "POST", body: String(repeating: "a", count: 101))))
        XCTAssertEqual(r.verdict.status, 413)
        XCTAssertEqual(r.findings.first?.details?["response_body"], "Comment too long.")
        XCTAssertEqual(r.findings.first?.details?["response_code"], 413)
    }

    /// The patch is valid JSON, and the NotStatement it adds carries the path in Base64.
    func testPatchIsJSON() throws {
        let acl = try WAFReader.webACL(path: WAF.fixture("cases/string-match/web-acl.json"))
        let r = try AWSWAFAnalyzer.analyze(.init(webACL: acl, request: try WAF.request("https://shop.example.com/admin/x", headers: ["User-Agent: a"])))
        let patch = try XCTUnwrap(r.findings.first?.fixes.first?.patch)
        let body = patch.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        let ops = try WAFJSON.parse(Array(body.utf8), file: "patch")
        let op = try XCTUnwrap(ops.array?.first)
        XCTAssertEqual(op["op"]?.string, "replace")
        XCTAssertEqual(op["path"]?.string, "/WebACL/Rules/1/Statement")
        let not = op["value"]?["AndStatement"]?["Statements"]?.array?[1]["NotStatement"]?["Statement"]?["ByteMatchStatement"]
        XCTAssertEqual(not?["SearchString"]?.string, WAF.b64("/admin/x"))
        // The original statement is kept as the first member, as written.
        XCTAssertEqual(op["value"]?["AndStatement"]?["Statements"]?.array?[0]["ByteMatchStatement"]?["SearchString"]?.string, WAF.b64("/admin"))
    }

    /// A replay loop calls `evaluate` per request on one compiled web ACL: results do not leak between calls.
    func testEvaluateIsPure() throws {
        let acl = CompiledWebACL(webACL: try WAFReader.webACL(path: WAF.fixture("cases/geo-match/web-acl.json")))
        let ca = try WAF.request("https://example.com/")
        let first = acl.evaluate(ca, country: "CA")
        let us = acl.evaluate(ca, country: "US")
        let again = acl.evaluate(ca, country: "CA")
        XCTAssertEqual(first.outcomes.count, again.outcomes.count)
        XCTAssertEqual(first.labels, again.labels)
        XCTAssertEqual(us.labels, ["awswaf:clientip:geo:country:US"])
        XCTAssertNil(us.decider)
        XCTAssertEqual(first.decider.map { first.outcomes[$0].name }, "BlockCanadaByLabel")
    }

    func testUnavailableComponentIsPossible() throws {
        let json = WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "\#(WAF.b64("abc"))", "FieldToMatch": {"JA3Fingerprint": {"FallbackBehavior": "NO_MATCH"}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}}"#)
        let r = try WAF.analyze(json, try WAF.request("http://x.test/"))
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.findings.first?.confidence, .possible)
    }

    /// HeaderOrder (https://docs.aws.amazon.com/waf/latest/APIReference/API_HeaderOrder.html): the header
    /// names, colon-separated, in the order sent. The described order is shown; the result is only possible.
    func testHeaderOrderIsShownButPossible() throws {
        let json = WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "\#(WAF.b64("host:user-agent:accept"))", "FieldToMatch": {"HeaderOrder": {"OversizeHandling": "CONTINUE"}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "STARTS_WITH"}}"#)
        let r = try WAF.analyze(json, try WAF.request("http://x.test/", headers: ["User-Agent: curl/8", "Accept: */*"]))
        let f = try XCTUnwrap(r.findings.first { $0.rule == "R" })
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertTrue(f.summary.contains(#""host:user-agent:accept""#), f.summary)
    }

    func testMissingReferenceIsPossibleWithNote() throws {
        let json = WAF.oneRule(#"{"IPSetReferenceStatement": {"ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/missing/x"}}"#)
        let r = try WAF.analyze(json, try WAF.request("http://x.test/", clientIP: "192.0.2.1"))
        XCTAssertEqual(r.findings.first?.confidence, .possible)
        XCTAssertTrue(r.notes.contains { $0.contains("--ip-set") })
    }

    func testJSONBodyAndHeadersAndCookies() throws {
        let json = WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "\#(WAF.b64("admin"))", "FieldToMatch": {"JsonBody": {"MatchPattern": {"IncludedPaths": ["/user/role"]}, "MatchScope": "VALUE", "InvalidFallbackBehavior": "NO_MATCH"}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}}"#)
        XCTAssertEqual(try WAF.analyze(json, try WAF.request("http://x.test/", method: "POST", body: #"{"user": {"role": "admin"}}"#)).verdict.status, 403)
        XCTAssertNil(try WAF.analyze(json, try WAF.request("http://x.test/", method: "POST", body: #"{"user": {"name": "admin"}}"#)).verdict.status)
        XCTAssertNil(try WAF.analyze(json, try WAF.request("http://x.test/", method: "POST", body: "not json")).verdict.status)
        let cookies = WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "\#(WAF.b64("1"))", "FieldToMatch": {"Cookies": {"MatchPattern": {"IncludedCookies": ["debug"]}, "MatchScope": "VALUE", "OversizeHandling": "MATCH"}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}}"#)
        XCTAssertEqual(try WAF.analyze(cookies, try WAF.request("http://x.test/", headers: ["Cookie: a=2; debug=1"])).verdict.status, 403)
        XCTAssertNil(try WAF.analyze(cookies, try WAF.request("http://x.test/", headers: ["Cookie: a=1"])).verdict.status)
        let headers = WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "\#(WAF.b64("x-debug"))", "FieldToMatch": {"Headers": {"MatchPattern": {"All": {}}, "MatchScope": "KEY", "OversizeHandling": "MATCH"}}, "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}], "PositionalConstraint": "EXACTLY"}}"#)
        XCTAssertEqual(try WAF.analyze(headers, try WAF.request("http://x.test/", headers: ["X-Debug: on"])).verdict.status, 403)
        let arg = WAF.oneRule(#"{"ByteMatchStatement": {"SearchString": "\#(WAF.b64("true"))", "FieldToMatch": {"SingleQueryArgument": {"Name": "Preview"}}, "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}}"#)
        XCTAssertEqual(try WAF.analyze(arg, try WAF.request("http://x.test/?a=1&preview=true")).verdict.status, 403)
    }

    func testDefaultActionAllowIsNotDenied() throws {
        let r = try WAF.analyze(WAF.oneRule(#"{"GeoMatchStatement": {"CountryCodes": ["FR"]}}"#), try WAF.request("http://x.test/"), country: "DE")
        XCTAssertEqual(r.verdict, .notDenied)
        XCTAssertEqual(r.findings.first?.rule, "DefaultAction")
    }

    func testRateBasedOnForwardedAddress() throws {
        let json = WAF.oneRule(#"{"RateBasedStatement": {"Limit": 500, "AggregateKeyType": "FORWARDED_IP", "ForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH"}}}"#)
        XCTAssertNil(try WAF.analyze(json, try WAF.request("http://x.test/")).verdict.status)
        let r = try WAF.analyze(json, try WAF.request("http://x.test/", headers: ["X-Forwarded-For: 192.0.2.1"]))
        XCTAssertEqual(r.verdict.cause, .rateLimit)
        XCTAssertEqual(r.findings.first?.confidence, .possible)
        XCTAssertTrue(r.findings.first?.summary.contains("more than 500 requests in 300 seconds") ?? false, r.findings.first?.summary ?? "")
    }
}
