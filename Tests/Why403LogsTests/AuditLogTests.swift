import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// The ModSecurity audit-log reader on the real samples of `Fixtures/logs/modsecurity` (see its
/// SOURCE.md: nginx + libmodsecurity 3 in JSON and native format, Apache + mod_security2 in Serial
/// format, OWASP CRS 3.3.4, the same five requests each: SQLi, XSS, a scanner User-Agent, a UNION
/// SELECT post, and one request that only scored and passed). Expected counts come from those
/// requests and from the logs the real servers wrote alongside.
final class AuditLogTests: XCTestCase {
    func sample(_ name: String) -> String { Fixtures.url("logs/modsecurity/\(name)").path }

    func run(_ files: [String], format: LogInputFormat? = nil, statuses: Set<Int> = [403]) throws -> (Report, LogsSummary) {
        let r = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: files.map(sample), statuses: statuses, inputFormat: format))
        return (r, try summary(r))
    }

    func perCause(_ s: LogsSummary) -> [String: Int] {
        var out: [String: Int] = [:]
        for c in s.causes { out[c.cause, default: 0] += c.count }
        return out
    }

    /// The rules that scored, as the finding's details list them (`ID msg` → count).
    func scored(_ f: Finding) -> [String: Int] {
        guard case .array(let rows)? = f.details?["scored_rules"] else { return [:] }
        var out: [String: Int] = [:]
        for case .object(let o) in rows {
            if case .string(let k)? = o["key"], case .int(let n)? = o["count"] { out[String(k.prefix(while: { $0 != " " })), default: 0] += n }
        }
        return out
    }

    func checkFourRefusals(_ r: Report, _ s: LogsSummary, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(s.denials, 4, file: file, line: line)
        XCTAssertEqual(perCause(s), ["waf.rule": 3, "bot.block": 1], file: file, line: line)
        XCTAssertEqual(perRule(s), ["modsecurity-949110": 4], file: file, line: line)
        XCTAssertEqual(s.malformed.count, 0, file: file, line: line)
        XCTAssertEqual(Set(s.topPaths.map(\.key)), ["/", "/search", "/admin", "/comment"], file: file, line: line)
        XCTAssertEqual(s.topUserAgents.first { $0.key.hasPrefix("Nikto") }?.count, 1, file: file, line: line)
        let waf = try XCTUnwrap(r.findings.first { $0.cause == .wafRule }, file: file, line: line)
        XCTAssertEqual(waf.layer, .modsecurity, file: file, line: line)
        XCTAssertEqual(waf.confidence, .certain, file: file, line: line)
        XCTAssertEqual(waf.rule, "modsecurity-949110", file: file, line: line)
        // Every rule that scored, not only 949110 (the point of the audit log).
        let rules = scored(waf)
        XCTAssertEqual(rules["942100"], 2, "\(rules)", file: file, line: line)   // libinjection SQLi on ?id= and in the post
        XCTAssertEqual(rules["941100"], 1, "\(rules)", file: file, line: line)   // libinjection XSS on ?q=
        XCTAssertEqual(rules["942270"], 1, "\(rules)", file: file, line: line)   // UNION SELECT in the post
        XCTAssertEqual(rules["942190"], 1, "\(rules)", file: file, line: line)   // MSSQL code execution / UNION
        XCTAssertEqual(rules["920350"], 3, "\(rules)", file: file, line: line)   // numeric Host on every request
        XCTAssertNil(rules["949110"], file: file, line: line)
        XCTAssertNil(rules["980130"], file: file, line: line)
        XCTAssertTrue(waf.checks?.contains { $0.contains("why403 modsecurity") } ?? false, file: file, line: line)
        XCTAssertTrue(waf.fixes.first?.patch?.contains("ctl:ruleRemoveById=") ?? false, file: file, line: line)
        XCTAssertFalse(waf.fixes.first?.patch?.contains("ruleRemoveById=949110") ?? true, file: file, line: line)
        XCTAssertTrue(waf.evidence.contains { $0.text.contains("[id \"942100\"]") }, file: file, line: line)
        let bot = try XCTUnwrap(r.findings.first { $0.cause == .botBlock }, file: file, line: line)
        XCTAssertNotNil(scored(bot)["913100"], file: file, line: line)
        XCTAssertEqual(bot.layer, .modsecurity, file: file, line: line)
    }

    func testNginxJSON() throws {
        let (r, s) = try run(["audit-nginx-json.log"])
        try checkFourRefusals(r, s)
        XCTAssertTrue(r.notes.contains { $0.contains("5 transactions read, 4 refused") }, "\(r.notes)")
        XCTAssertEqual(s.timeline.start, "2026-12-02T14:21:00Z")
    }

    func testNginxNative() throws {
        let (r, s) = try run(["audit-nginx-native.log"])
        try checkFourRefusals(r, s)
    }

    func testApacheSerial() throws {
        let (r, s) = try run(["audit-apache-serial.log"])
        try checkFourRefusals(r, s)
        XCTAssertTrue(r.findings[0].evidence[0].source.hasSuffix("audit-apache-serial.log:2"), r.findings[0].evidence[0].source)
    }

    func testGzipAndForcedFormat() throws {
        let (r, s) = try run(["audit-apache-serial.log.gz"])
        try checkFourRefusals(r, s)
        let (r2, s2) = try run(["audit-nginx-json.log"], format: .modsecurityAudit)
        try checkFourRefusals(r2, s2)
    }

    /// A log forced to `modsecurity-audit` that is not one: exit 2 naming its first line, not "no refused requests".
    func testForcedOnAnotherLogIsAnError() throws {
        XCTAssertThrowsError(try run(["apache-access.log"], format: .modsecurityAudit)) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("apache-access.log:1") && text.contains("ModSecurity audit log"), text)
        }
    }

    /// Error log + audit log: each refusal once (the audit one, both lines as evidence); the
    /// access log then claims the joined refusal.
    func testJoinedByUniqueId() throws {
        let (_, alone) = try run(["nginx-error.log"])
        XCTAssertEqual(alone.denials, 8)
        XCTAssertEqual(perRule(alone), ["modsecurity-949110": 8])
        let (r, s) = try run(["audit-nginx-json.log", "nginx-error.log", "audit-nginx-native.log"])
        XCTAssertEqual(s.denials, 8)
        XCTAssertEqual(perCause(s), ["waf.rule": 6, "bot.block": 2])
        XCTAssertEqual(s.causes.reduce(0) { $0 + $1.correlated }, 8)
        XCTAssertTrue(r.notes.contains { $0.contains("8 joined with their error-log line by unique_id") }, "\(r.notes)")
        // Eight reasons read (each error line with its transaction, once), not 8 − 8 (session 33's QA saw 0).
        XCTAssertEqual(s.errorLogEvents, 8)
        let ev = r.findings[0].evidence
        XCTAssertTrue(ev.contains { $0.source.contains("nginx-error.log:") && $0.text.contains("Access denied with code 403") }, "\(ev)")
        XCTAssertTrue(ev.contains { $0.source.contains("audit-nginx-") }, "\(ev)")
        XCTAssertEqual(scored(r.findings.first { $0.cause == .wafRule }!)["942100"], 4)

        let (_, all) = try run(["apache-access.log", "audit-apache-serial.log", "apache-error.log"])
        XCTAssertEqual(all.denials, 4)
        XCTAssertEqual(all.correlated, 4)
        XCTAssertEqual(perCause(all), ["waf.rule": 3, "bot.block": 1])
    }

    /// The same audit log given twice (plain and gzip): each transaction once (QA: counted twice), and a note says so.
    func testTheSameAuditLogTwiceCountsEachTransactionOnce() throws {
        let (r, s) = try run(["apache-access.log", "apache-error.log", "audit-apache-serial.log.gz", "audit-apache-serial.log"])
        XCTAssertEqual(s.denials, 4)
        XCTAssertEqual(perCause(s), ["waf.rule": 3, "bot.block": 1])
        XCTAssertTrue(r.notes.contains { $0.contains("repeated a unique_id already read") }, "\(r.notes)")
    }

    func testBrokenInput() throws {
        let json = try String(contentsOfFile: sample("audit-nginx-json.log"), encoding: .utf8)
        let native = try String(contentsOfFile: sample("audit-nginx-native.log"), encoding: .utf8)
        let lines = json.split(separator: "\n")
        // A cut JSON line, a JSON value that is not a transaction, garbage between transactions, a
        // native transaction without its Z, a section before any A: counted, sampled, no crash.
        let broken = [String(lines[0]), String(lines[1].prefix(200)), "{\"foo\": 1}", "[1,2]", "not an audit line",
                      "--deadbeef-H--", "Message: Access denied with code 403 [id \"1\"]"].joined(separator: "\n") + "\n"
            + native.components(separatedBy: "---3C99FOLj---Z--")[0]
        for chunk in [1, 7, 4096, Int.max] {
            let r = try LogsAnalyzer().analyze(data: Array(broken.utf8), name: "broken.log", chunkSize: min(chunk, broken.utf8.count),
                                               input: LogsAnalyzer.Input(paths: ["broken.log"], inputFormat: .modsecurityAudit))
            let s = try summary(r)
            XCTAssertEqual(s.malformed.count, 7, "chunk \(chunk): \(s.malformed.samples)")
            // The first JSON line, and the native transaction without Z (its messages show the refusal).
            XCTAssertEqual(s.denials, 2, "chunk \(chunk)")
        }
        // Auto-detected from the first line.
        let r = try LogsAnalyzer().analyze(data: Array(json.utf8), name: "a.log", chunkSize: 100, input: LogsAnalyzer.Input(paths: ["a.log"]))
        XCTAssertEqual(try summary(r).denials, 4)
        // Binary bytes.
        var bytes = Array(native.utf8.prefix(600))
        bytes += [0, 0xFF, 0xFE, 10, 0x7B, 0x80, 10]
        _ = try LogsAnalyzer().analyze(data: bytes, name: "bin.log", chunkSize: 3,
                                       input: LogsAnalyzer.Input(paths: ["bin.log"], inputFormat: .modsecurityAudit))
    }

    /// Under DetectionOnly, or when the application answered 403 after mere warnings, the refusal
    /// is not ModSecurity's.
    func testNotTheEnginesRefusal() throws {
        let json = try String(contentsOfFile: sample("audit-nginx-json.log"), encoding: .utf8)
            .replacingOccurrences(of: "\"secrules_engine\":\"Enabled\"", with: "\"secrules_engine\":\"DetectionOnly\"")
        let native = try String(contentsOfFile: sample("audit-apache-serial.log"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Message: Access denied") && !$0.hasPrefix("Action: Intercepted") }.joined(separator: "\n")
        for text in [json, native] {
            let r = try LogsAnalyzer().analyze(data: Array(text.utf8), name: "t.log", chunkSize: 512,
                                               input: LogsAnalyzer.Input(paths: ["t.log"], inputFormat: .modsecurityAudit))
            let s = try summary(r)
            XCTAssertEqual(s.denials, 0)
            XCTAssertEqual(s.malformed.count, 0)
            XCTAssertTrue(s.modsecurityRules.contains { $0.key.hasPrefix("modsecurity-942100") }, "\(s.modsecurityRules)")
        }
    }
}
