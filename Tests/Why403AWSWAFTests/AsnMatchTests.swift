import XCTest
import Why403Core
@testable import Why403AWSWAF

/// AsnMatchStatement: the autonomous system number of the client address (or of the address in a
/// forwarded header) is in `AsnList`. The ASN is not in the request: it comes from `--asn`; without it the
/// statement is `possible`, with the numbers that would match (as `--country` is for geo match).
///
/// Pages: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-asn-match.html and
/// https://docs.aws.amazon.com/waf/latest/APIReference/API_AsnMatchStatement.html (AsnList: 1 to 100
/// numbers from 0 to 4294967295; ForwardedIPConfig).
final class AsnMatchTests: XCTestCase {
    static func acl(forwarded: String? = nil, list: String = "[64496, 64511]") -> String {
        WAF.oneRule(#"{"AsnMatchStatement": {"AsnList": \#(list)\#(forwarded.map { #", "ForwardedIPConfig": \#($0)"# } ?? "")}}"#)
    }

    func analyze(_ json: String, _ request: Request, asn: Int?) throws -> Report {
        try AWSWAFAnalyzer.analyze(.init(webACL: try WAF.acl(json), request: request, asn: asn))
    }

    func testWithoutAsnTheRuleIsPossibleWithTheValuesThatMatch() throws {
        let r = try analyze(Self.acl(), try WAF.request("https://example.com/", clientIP: "192.0.2.10"), asn: nil)
        let f = try XCTUnwrap(r.findings.first { $0.rule == "R" })
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertEqual(f.cause, .accessIP)
        XCTAssertTrue(f.summary.contains("give --asn") && f.summary.contains("64496, 64511"), f.summary)
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertTrue(r.notes.contains { $0.contains("no --asn given") }, "\(r.notes)")
    }

    func testAsnInTheListBlocksForCertain() throws {
        let r = try analyze(Self.acl(), try WAF.request("https://example.com/"), asn: 64511)
        let f = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(f.confidence, .certain)
        XCTAssertEqual(f.rule, "R")
        XCTAssertEqual(f.cause, .accessIP)
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertTrue(f.summary.contains("AS64511"), f.summary)
        XCTAssertEqual(r.subject.extra["asn"], 64511)
        // The fix takes the number out of AsnList (index 1), and still offers the path exclusion.
        let patch = try XCTUnwrap(f.fixes.first?.patch)
        XCTAssertTrue(patch.contains(#"{"op": "remove", "path": "/WebACL/Rules/0/Statement/AsnMatchStatement/AsnList/1"}"#), patch)
        XCTAssertTrue(f.fixes.contains { $0.summary.contains("exclude the path") })
    }

    func testAsnNotInTheListLetsThrough() throws {
        let r = try analyze(Self.acl(), try WAF.request("https://example.com/"), asn: 13335)
        XCTAssertNil(r.verdict.status)
        XCTAssertEqual(r.findings.first?.rule, "DefaultAction")
        XCTAssertTrue(r.notes.contains { $0.contains("AS13335") && $0.contains("not in AsnList") }, "\(r.notes)")
    }

    /// ForwardedIPConfig (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-forwarded-ip-address.html):
    /// a request without the header is not inspected; a header without a valid address takes FallbackBehavior.
    func testForwardedIPConfig() throws {
        let json = Self.acl(forwarded: #"{"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH"}"#)
        let absent = try analyze(json, try WAF.request("https://example.com/"), asn: 64496)
        XCTAssertNil(absent.verdict.status)
        let invalid = try analyze(json, try WAF.request("https://example.com/", headers: ["X-Forwarded-For: unknown"]), asn: nil)
        XCTAssertEqual(invalid.verdict.status, 403)
        XCTAssertEqual(invalid.findings.first?.confidence, .certain)
        XCTAssertTrue(invalid.findings.first?.summary.contains("FallbackBehavior MATCH") ?? false)
        let valid = try analyze(json, try WAF.request("https://example.com/", headers: ["X-Forwarded-For: 203.0.113.9, 10.0.0.1"]), asn: 64496)
        XCTAssertEqual(valid.findings.first?.confidence, .certain)
        XCTAssertTrue(valid.findings.first?.summary.contains("X-Forwarded-For address 203.0.113.9") ?? false, valid.findings.first?.summary ?? "")
    }

    func testBadAsnListIsInputError() {
        for (list, expect) in [("[]", "AsnList"), ("[-1]", "from 0 to 4294967295"), (#"["AS64496"]"#, "AS64496")] {
            XCTAssertThrowsError(try WAF.acl(Self.acl(list: list)), list) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains(expect) && text.contains("$.WebACL.Rules[0].Statement.AsnMatchStatement"), text)
            }
        }
        XCTAssertThrowsError(try AWSWAFAnalyzer.analyze(.init(webACL: try WAF.acl(Self.acl()), request: try WAF.request("https://example.com/"), asn: -5)))
    }
}
