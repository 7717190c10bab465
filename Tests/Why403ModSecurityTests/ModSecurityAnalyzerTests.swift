import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403ModSecurity

/// The analyser on the real engine (libmodsecurity 3) and the installed CRS.
final class ModSecurityAnalyzerTests: XCTestCase {
    func testSQLInjectionIsBlockedByTheAnomalyScoreAndExplainedByTheRuleThatScored() throws {
        let session = try EngineSupport.session()
        let report = session.report(for: try EngineSupport.request("http://shop.test/search?id=1%27%20or%201%3D1--"))
        XCTAssertEqual(report.verdict.status, 403)
        XCTAssertEqual(report.verdict.layer, .modsecurity)
        XCTAssertEqual(report.verdict.cause, .wafRule)
        let primary = try XCTUnwrap(report.findings.first)
        XCTAssertEqual(primary.rule, "949110")
        XCTAssertEqual(primary.confidence, .certain)
        XCTAssertTrue(primary.summary.contains("942100 on ARGS:id"), primary.summary)
        let scored = try XCTUnwrap(report.findings.first { $0.rule == "942100" })
        XCTAssertEqual(scored.details?["variable"], .string("ARGS:id"))
        XCTAssertEqual(scored.details?["paranoia_level"], .int(1))
        XCTAssertTrue(scored.evidence.contains { $0.source.contains("REQUEST-942-APPLICATION-ATTACK-SQLI.conf:") })
        // The fix: a target exclusion scoped to the path, re-evaluated by the engine.
        let fix = try XCTUnwrap(primary.fixes.first)
        XCTAssertTrue(fix.summary.contains("the request then passes"), fix.summary)
        XCTAssertTrue(fix.patch?.contains("ctl:ruleRemoveTargetById=942100;ARGS:id") ?? false, fix.patch ?? "")
        XCTAssertTrue(fix.patch?.contains("@streq /search") ?? false)
        XCTAssertFalse(fix.patch?.contains("SecRuleEngine") ?? true)
    }

    func testALegitimateRequestPassesWithStatusNull() throws {
        let session = try EngineSupport.session()
        let report = session.report(for: try EngineSupport.request("http://shop.test/products?page=2&sort=price"))
        XCTAssertNil(report.verdict.status)
        XCTAssertEqual(report.verdict.layer, .none)
        XCTAssertEqual(report.verdict.cause, .none)
    }

    func testARuleBelowTheThresholdIsListedButDoesNotDecide() throws {
        // A custom rule set: one rule that only scores, a threshold no single rule reaches.
        let dir = try TemporaryDirectory(prefix: "why403-msc")
        defer { dir.remove() }
        try dir.write("rules.conf", """
            SecRuleEngine On
            SecRule ARGS:q "@contains hello" "id:100,phase:2,pass,log,msg:'greeting',severity:'WARNING',setvar:tx.score=+3"
            SecRule TX:SCORE "@ge 5" "id:199,phase:2,deny,status:403,log,msg:'too much'"
            """)
        _ = try EngineSupport.library()
        let report = try ModSecurityAnalyzer.analyze(.init(request: try EngineSupport.request("http://x.test/?q=hello"),
                                                           rules: .file(dir.path + "/rules.conf")))
        XCTAssertNil(report.verdict.status)
        XCTAssertEqual(report.verdict.cause, .none)
        let listed = try XCTUnwrap(report.findings.first { $0.rule == "100" })
        XCTAssertEqual(listed.cause, .none)
        XCTAssertEqual(listed.details?["variable"], .string("ARGS:q"))
    }

    func testARuleThatDeniesByItselfIsThePrimaryFindingWithItsStatus() throws {
        let dir = try TemporaryDirectory(prefix: "why403-msc")
        defer { dir.remove() }
        try dir.write("rules.conf", """
            SecRuleEngine On
            SecRule REQUEST_HEADERS:X-Api-Version "@streq 1" "id:5001,phase:1,deny,status:418,log,msg:'API v1 is retired'"
            """)
        _ = try EngineSupport.library()
        let report = try ModSecurityAnalyzer.analyze(.init(
            request: try EngineSupport.request("http://x.test/api", headers: [("X-Api-Version", "1")]),
            rules: .file(dir.path + "/rules.conf")))
        XCTAssertEqual(report.verdict.status, 418)
        XCTAssertEqual(report.findings.first?.rule, "5001")
        XCTAssertEqual(report.findings.first?.details?["phase"], .int(1))
        let fix = try XCTUnwrap(report.findings.first?.fixes.first)
        XCTAssertTrue(fix.patch?.contains("ctl:ruleRemoveTargetById=5001;REQUEST_HEADERS:X-Api-Version") ?? false, fix.patch ?? "")
        XCTAssertTrue(fix.summary.contains("the request then passes"), fix.summary)
    }

    func testDetectionOnlyReportsWhatWouldBlockNotA403() throws {
        let dir = try TemporaryDirectory(prefix: "why403-msc")
        defer { dir.remove() }
        try dir.write("rules.conf", """
            SecRuleEngine DetectionOnly
            SecRule ARGS "@rx <script" "id:6001,phase:2,deny,status:403,log,msg:'script tag'"
            """)
        _ = try EngineSupport.library()
        let report = try ModSecurityAnalyzer.analyze(.init(
            request: try EngineSupport.request("http://x.test/c?text=%3Cscript%3E"), rules: .file(dir.path + "/rules.conf")))
        XCTAssertNil(report.verdict.status)
        XCTAssertEqual(report.verdict.cause, .none)
        let would = try XCTUnwrap(report.findings.first)
        XCTAssertEqual(would.details?["would_block"], .bool(true))
        XCTAssertTrue(would.summary.contains("DetectionOnly"), would.summary)
        XCTAssertTrue(report.notes.contains { $0.contains("DetectionOnly") })
    }

    func testARuleFileTheEngineRefusesIsBadInputWithFileAndLine() throws {
        let dir = try TemporaryDirectory(prefix: "why403-msc")
        defer { dir.remove() }
        try dir.write("bad.conf", "SecRuleEngine On\n\nSecRule ARGS \"@rx a\" \"id:1,phase:2,deny\"\nSecRule ARGS \"@rx b\" \"id:1,phase:2,deny\"\n")
        try dir.write("syntax.conf", "SecRuleEngine On\nSecRuleFoo bar\n")
        // A rule without an id: the engine names the file by a pointer ("File: 0x7f… at line: 3"): the file is named.
        try dir.write("noid.conf", "SecRuleEngine On\nSecRule ARGS \"@rx a\" \"id:101,phase:2,deny\"\nSecRule ARGS \"@contains x\" \"phase:2,deny\"\n")
        _ = try EngineSupport.library()
        XCTAssertThrowsError(try ModSecurityAnalyzer.analyze(.init(request: try EngineSupport.request("http://x.test/"),
                                                                   rules: .file(dir.path + "/noid.conf")))) { error in
            let text = "\(error)"
            XCTAssertFalse(text.contains("0x"), text)
            XCTAssertTrue(text.contains("noid.conf"), text)
        }
        for name in ["bad.conf", "syntax.conf"] {
            XCTAssertThrowsError(try ModSecurityAnalyzer.analyze(.init(request: try EngineSupport.request("http://x.test/"),
                                                                       rules: .file(dir.path + "/" + name)))) { error in
                let e = error as? InputError
                XCTAssertNotNil(e, "\(error)")
                XCTAssertTrue(e?.message.contains("libmodsecurity refused the rules") ?? false, "\(error)")
            }
        }
    }

    func testAMissingLibraryNamesThePackage() {
        XCTAssertThrowsError(try ModSecurityLibrary.load(path: "/nonexistent/libmodsecurity.so.3")) { error in
            let e = error as? InputError
            XCTAssertTrue(e?.help?.contains("apt-get install libmodsecurity3") ?? false, "\(error)")
        }
    }

    func testParanoiaLevelTwoScoresWhatLevelOneDoesNot() throws {
        // No User-Agent: CRS 3.3's 920320 is a paranoia level 2 rule.
        let request = try EngineSupport.request("http://shop.test/", headers: [("Accept", "*/*")])
        let one = try EngineSupport.session(paranoia: 1).evaluate(request)
        let two = try EngineSupport.session(paranoia: 2).evaluate(request)
        let ids1 = Set(one.matched.map(\.message.id)), ids2 = Set(two.matched.map(\.message.id))
        XCTAssertFalse(ids1.contains("920320"), "\(ids1)")
        XCTAssertTrue(ids2.contains("920320"), "\(ids2)")
        XCTAssertEqual(two.matched.first { $0.message.id == "920320" }?.paranoiaLevel, 2)
    }
}
