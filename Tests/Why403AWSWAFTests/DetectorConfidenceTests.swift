import XCTest
import Why403Core
@testable import Why403AWSWAF
import Why403TestSupport

/// SqliMatch / XssMatch: AWS WAF's own detectors are not published; libinjection (CRS's detector,
/// through libmodsecurity's @detectSQLi/@detectXSS) approximates them. Issue 12: its match is `likely`,
/// never `certain`, and `possible` where libmodsecurity is absent and only the token approximation ran.
///
/// Pages: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-sqli-match.html
/// (SensitivityLevel LOW/HIGH, default LOW) and
/// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-xss-match.html
final class DetectorConfidenceTests: XCTestCase {
    static func sqli(_ field: String = #"{"QueryString": {}}"#, level: String? = nil) -> String {
        WAF.oneRule(#"{"SqliMatchStatement": {"FieldToMatch": \#(field), "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}]\#(level.map { #", "SensitivityLevel": "\#($0)""# } ?? "")}}"#)
    }

    static let xss = WAF.oneRule(#"{"XssMatchStatement": {"FieldToMatch": {"Body": {}}, "TextTransformations": [{"Priority": 0, "Type": "HTML_ENTITY_DECODE"}]}}"#)

    /// libmodsecurity 3 must be installed under CI (it is what the `likely` answer stands on).
    func requireLibinjection() throws {
        if InjectionDetection.libinjectionAvailable { return }
        let message = "libmodsecurity 3 is not installed (apt-get install libmodsecurity3): libinjection cannot run"
        if RealTools.isCI { XCTFail(message); throw XCTSkip("failed: " + message) }
        throw XCTSkip(message)
    }

    func analyze(_ json: String, _ request: Request, libinjection: Bool, resourceType: ResourceType? = nil) throws -> Report {
        let acl = CompiledWebACL(webACL: try WAF.acl(json), ipSets: [], regexSets: [], ruleGroups: [], libinjection: libinjection)
        return try AWSWAFAnalyzer.analyze(.init(acl: acl, request: request, resourceType: resourceType))
    }

    func testSqliByLibinjectionIsLikelyWithTheSensitivityLevel() throws {
        try requireLibinjection()
        let r = try analyze(Self.sqli(), try WAF.request("https://example.com/item?id=1%27%20or%20%271%27=%271"), libinjection: true)
        let f = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(f.confidence, .likely, f.summary)
        XCTAssertEqual(f.rule, "R")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .wafRule)
        XCTAssertTrue(f.summary.hasPrefix("likely: "), f.summary)
        XCTAssertTrue(f.summary.contains("SensitivityLevel LOW"), f.summary)  // LOW is the documented default
        XCTAssertTrue(f.summary.contains("libinjection"), f.summary)
        XCTAssertTrue(f.summary.contains("approximation"), f.summary)
        XCTAssertTrue(r.notes.contains { $0.contains("approximation of AWS WAF's own detectors") && $0.contains("likely") }, "\(r.notes)")
        XCTAssertFalse(r.findings.contains { $0.confidence == .certain && $0.cause != .none })
    }

    func testHighSensitivityIsStated() throws {
        try requireLibinjection()
        let r = try analyze(Self.sqli(level: "HIGH"), try WAF.request("https://example.com/item?id=1%27%20or%20%271%27=%271"), libinjection: true)
        XCTAssertEqual(r.findings.first?.confidence, .likely)
        XCTAssertTrue(r.findings.first?.summary.contains("SensitivityLevel HIGH") ?? false, r.findings.first?.summary ?? "")
        // A miss at HIGH says that HIGH detects more than the approximation may.
        let clean = try analyze(Self.sqli(level: "HIGH"), try WAF.request("https://example.com/item?id=42"), libinjection: true)
        XCTAssertNil(clean.verdict.status)
        let earlier = clean.notes.first { $0.contains("earlier rule \"R\"") } ?? ""
        XCTAssertTrue(earlier.contains("SensitivityLevel HIGH detects more"), earlier)
    }

    func testXssByLibinjectionIsLikely() throws {
        try requireLibinjection()
        let r = try analyze(Self.xss, try WAF.request("https://example.com/comment", method: "POST", body: "&lt;script&gt;alert(1)&lt;/script&gt;"), libinjection: true)
        XCTAssertEqual(r.findings.first?.confidence, .likely, r.findings.first?.summary ?? "")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertFalse(r.findings.first?.summary.contains("SensitivityLevel") ?? true)  // XssMatch has none
    }

    /// Without libmodsecurity only the token approximation answers: a match is `possible`.
    func testWithoutLibinjectionAMatchIsPossible() throws {
        let r = try analyze(Self.sqli(), try WAF.request("https://example.com/item?id=1%27%20or%20%271%27=%271"), libinjection: false)
        let f = try XCTUnwrap(r.findings.first { $0.rule == "R" })
        XCTAssertEqual(f.confidence, .possible, f.summary)
        XCTAssertTrue(f.summary.contains("token approximation"), f.summary)
        XCTAssertEqual(r.verdict.status, 403)
        let x = try analyze(Self.xss, try WAF.request("https://example.com/c", method: "POST", body: "<script>alert(1)</script>"), libinjection: false)
        XCTAssertEqual(x.findings.first { $0.rule == "R" }?.confidence, .possible)
    }

    /// An OR of a certain match and a likely one is certain; an AND of them is likely; a NOT of a likely
    /// match is only possible (the detector's verdict is not proof either way).
    func testLikelyThroughLogicalStatements() {
        XCTAssertEqual(MatchState.or([.likely, .yes]), .yes)
        XCTAssertEqual(MatchState.or([.likely, .possible, .no]), .likely)
        XCTAssertEqual(MatchState.and([.likely, .yes]), .likely)
        XCTAssertEqual(MatchState.and([.likely, .possible]), .possible)
        XCTAssertEqual(MatchState.and([.likely, .no]), .no)
        XCTAssertEqual(MatchState.likely.negated, .possible)
    }

    /// OversizeHandling MATCH decides without the detector: that match is certain.
    /// (https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html)
    func testOversizeMatchIsCertainEvenForSqli() throws {
        let json = Self.sqli(#"{"Body": {"OversizeHandling": "MATCH"}}"#)
        let body = String(repeating: "a", count: 9000)
        let r = try analyze(json, try WAF.request("https://example.com/upload", method: "POST", body: body), libinjection: true, resourceType: .alb)
        XCTAssertEqual(r.findings.first?.confidence, .certain, r.findings.first?.summary ?? "")
        XCTAssertTrue(r.findings.first?.summary.contains("OversizeHandling MATCH") ?? false)
    }

    func testBadSensitivityLevelIsInputError() {
        XCTAssertThrowsError(try WAF.acl(Self.sqli(level: "MEDIUM"))) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("SensitivityLevel") && text.contains("LOW or HIGH") && text.contains("MEDIUM"), text)
        }
    }
}
