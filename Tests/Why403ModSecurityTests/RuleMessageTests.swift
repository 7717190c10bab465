import XCTest
@testable import Why403ModSecurity

/// The engine's messages, as libmodsecurity 3 and mod_security2 write them (lines captured from the
/// real engines on this machine: Debian 12's libmodsecurity 3.0.9, mod_security2 2.9.7, CRS 3.3.4).
final class RuleMessageTests: XCTestCase {
    func testLibinjectionMessageNamesTheVariableFromItsData() throws {
        let text = #"ModSecurity: Warning. detected SQLi using libinjection. [file "/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [line "46"] [id "942100"] [rev ""] [msg "SQL Injection Attack Detected via libinjection"] [data "Matched Data: s&1c found within ARGS:id: 1' or 1=1--"] [severity "2"] [ver "OWASP_CRS/3.3.4"] [maturity "0"] [accuracy "0"] [hostname "127.0.0.1"] [uri "/"] [unique_id "179621713374.911390"] [ref "v9,11"]"#
        let m = try XCTUnwrap(RuleMessage(text: text))
        XCTAssertEqual(m.id, "942100")
        XCTAssertEqual(m.line, 46)
        XCTAssertEqual(m.file, "/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf")
        XCTAssertEqual(m.variable, "ARGS:id")
        XCTAssertEqual(m.value, "1' or 1=1--")
        XCTAssertEqual(m.severity, 2)
        XCTAssertFalse(m.denied)
    }

    func testDenialNamesStatusPhaseAndThreshold() throws {
        let text = #"[client 127.0.0.1] ModSecurity: Access denied with code 403 (phase 2). Matched "Operator `Ge' with parameter `5' against variable `TX:ANOMALY_SCORE' (Value: `5' ) [file "/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "81"] [id "949110"] [rev ""] [msg "Inbound Anomaly Score Exceeded (Total Score: 5)"] [data ""] [severity "2"] [ver "OWASP_CRS/3.3.4"] [maturity "0"] [accuracy "0"] [tag "application-multi"] [tag "attack-generic"] [hostname "127.0.0.1"] [uri "/"] [unique_id "1"] [ref ""]"#
        let m = try XCTUnwrap(RuleMessage(text: text))
        XCTAssertEqual(m.id, "949110")
        XCTAssertTrue(m.denied)
        XCTAssertEqual(m.status, 403)
        XCTAssertEqual(m.phase, 2)
        XCTAssertEqual(m.variable, "TX:ANOMALY_SCORE")
        XCTAssertEqual(m.value, "5")
        XCTAssertEqual(m.tags, ["application-multi", "attack-generic"])
    }

    func testAForgedGroupInTheMatchedValueIsNotRead() throws {
        // The head quotes the client's value unescaped; the groups start at the last ` [file "`.
        let text = #"ModSecurity: Warning. Matched "Operator `Rx' with parameter `x' against variable `ARGS:q' (Value: `a [id "1"] [file "/etc/passwd"] b' ) [file "/r.conf"] [line "3"] [id "100"] [msg "m \"quoted\""]"#
        let m = try XCTUnwrap(RuleMessage(text: text))
        XCTAssertEqual(m.id, "100")
        XCTAssertEqual(m.file, "/r.conf")
        XCTAssertEqual(m.message, #"m "quoted""#)
        XCTAssertEqual(m.variable, "ARGS:q")
    }

    func testApacheErrorLogLine() throws {
        let text = #"[Wed Dec 02 14:01:02.123456 2026] [security2:error] [pid 42] [client 127.0.0.1:50000] [client 127.0.0.1] ModSecurity: Access denied with code 403 (phase 2). Operator GE matched 5 at TX:anomaly_score. [file "/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "93"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 5)"] [severity "CRITICAL"] [hostname "localhost"] [uri "/search"] [unique_id "Z"]"#
        let m = try XCTUnwrap(RuleMessage(text: text))
        XCTAssertEqual(m.id, "949110")
        XCTAssertEqual(m.status, 403)
        XCTAssertNil(m.severity)   // mod_security2 writes the name, not the number
    }

    func testNoIdIsNoMessage() {
        XCTAssertNil(RuleMessage(text: "ModSecurity: something without groups"))
        XCTAssertNil(RuleMessage(text: #"[file "x"] [id ""]"#))
        XCTAssertNil(RuleMessage(text: "[[[\"\\"))
    }

    func testRuleTextReadsTagsAndPhaseAcrossContinuations() throws {
        let text = """
            SecRule ARGS "@detectSQLi" \\
                "id:942100,\\
                phase:2,\\
                block,\\
                tag:'attack-sqli',\\
                tag:'paranoia-level/1',\\
                severity:'CRITICAL'"
            """
        let r = try XCTUnwrap(RuleText(text: text, line: 1))
        XCTAssertEqual(r.tags, ["attack-sqli", "paranoia-level/1"])
        XCTAssertEqual(r.phase, 2)
        XCTAssertEqual(r.paranoiaLevel, 1)
        XCTAssertEqual(r.attack, "sqli")
        XCTAssertNil(RuleText(text: "# a comment", line: 1))
        XCTAssertNil(RuleText(text: text, line: 99))
    }

    func testExclusionTargetsAndFallsBackToTheWholeRule() {
        XCTAssertTrue(Exclusion.removable("ARGS:comment"))
        XCTAssertTrue(Exclusion.removable("REQUEST_HEADERS:User-Agent"))
        XCTAssertFalse(Exclusion.removable("TX:sql_error_match"))
        XCTAssertFalse(Exclusion.removable("ARGS:a,b"))
        var x = Exclusion(path: "/api/\"x\"")
        x.targets = [.init(rule: "942100", variable: "ARGS:id")]
        x.wholeRules = ["942430"]
        XCTAssertTrue(x.text.contains(#"SecRule REQUEST_FILENAME "@streq /api/\"x\"""#), x.text)
        XCTAssertTrue(x.text.contains("ctl:ruleRemoveTargetById=942100;ARGS:id"))
        XCTAssertTrue(x.text.contains("ctl:ruleRemoveById=942430"))
        XCTAssertFalse(x.text.contains("SecRuleEngine"))
    }
}
