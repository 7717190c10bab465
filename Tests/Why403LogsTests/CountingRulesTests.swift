import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// What is counted and what the verdict names, whatever is shown: found by the session-33 QA pass.
final class CountingRulesTests: XCTestCase {
    /// The recorded nginx logs: two `/limited/` requests were answered 429 (limit_req_status 429), and their
    /// `limiting requests` error lines name no status. With the access log covering their time, no 403 line claims
    /// them, so under `--status 403` they are not 403 refusals (they were counted as two until session 33).
    func testRateLimitEventsAnsweredWithAnotherStatusAreNotCountedUnder403() throws {
        let files = [recorded("nginx-access.log"), recorded("nginx-error.log")]
        let r = try analyzeFiles(files)
        let s = try summary(r)
        XCTAssertEqual(s.denials, 5)
        XCTAssertEqual(s.byStatus, ["403": 5])
        XCTAssertNil(s.causes.first { $0.cause == "rate.limit" }, "\(s.causes)")
        XCTAssertTrue(r.notes.contains { $0.hasPrefix("2 rate-limit events of the error log (limit_req, limit_conn) were not counted") }, "\(r.notes)")
        // Counting 429 too, the two access lines claim them.
        let all = try summary(try analyzeFiles(files, statuses: [403, 429]))
        XCTAssertEqual(all.denials, 7)
        XCTAssertEqual(all.causes.first { $0.cause == "rate.limit" }?.correlated, 2)
        // An error log alone still counts them (nothing says how they were answered).
        let alone = try summary(try analyzeFiles([recorded("nginx-error.log")]))
        XCTAssertEqual(alone.causes.first { $0.cause == "rate.limit" }?.count, 2)
    }

    /// The verdict is the same whatever `--top` shows: the group `Verdict.decide` picks among all of them (the first
    /// more than possible), shown even when it ranks below the cut.
    func testVerdictDoesNotDependOnTop() throws {
        let file = Fixtures.url("logs/qa/s3-mixed-causes.log").path
        var verdicts: Set<String> = []
        for top in 1...4 {
            let r = try analyzeFiles([file], statuses: [403, 503], top: top)
            verdicts.insert("\(r.verdict.layer.rawValue)/\(r.verdict.cause.rawValue)")
            XCTAssertEqual(r.findings.first?.cause, .authInvalid, "top \(top)")
            XCTAssertLessThanOrEqual(r.findings.count, top)
        }
        XCTAssertEqual(verdicts, ["s3/auth.invalid"])
    }

    /// The balancer writes an IPv6 client with its port and no brackets: the port goes, so the line joins the AWS WAF
    /// record of the same request (it was counted twice, once as `alb-waf` under `2a02:…:f215:50718`).
    func testALBIPv6ClientLosesItsPortAndJoinsTheWAFRecord() throws {
        let files = ["alb-ipv6-client.log", "aws-waf-ipv6-client.log"].map { Fixtures.url("logs/qa/\($0)").path }
        let s = try summary(try analyzeFiles(files))
        XCTAssertEqual(s.denials, 2)
        XCTAssertEqual(s.correlated, 2)
        XCTAssertEqual(Set(s.causes.compactMap(\.rule)), ["BlockV4", "BlockV6"])
        XCTAssertEqual(Set(s.topClients.map(\.key)), ["198.51.100.4", "2a02:a33c:4538:1:bcf4:5264:e01c:f215"])
    }

    /// A log forced to an edge format it is not in: not one line is a record, an error naming the first line and why
    /// (it was an empty report, exit 0, whereas a --log-format that fits nothing is exit 2).
    func testAForcedEdgeFormatThatFitsNoLineIsAnError() throws {
        let file = recorded("nginx-access.log")
        for format: LogInputFormat in [.alb, .cloudflare, .awsWAF, .s3Access, .iis] {
            XCTAssertThrowsError(try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: [file], inputFormat: format)), "\(format)") { e in
                XCTAssertTrue("\(e)".contains("nginx-access.log:1: error: expected a"), "\(e)")
            }
        }
    }

    /// An error log's times carry no offset; with access logs that agree on one (-05:00 here), they are read in it, so
    /// `--since` keeps the error lines of the access lines it keeps (QA: they were read as UTC, fell outside the window,
    /// and the refusals lost their proven cause; the time-zone note vanished in that run).
    func testErrorLogTimesAreReadInTheAccessLogsOffset() throws {
        let files = ["nginx-access-minus0500.log", "nginx-error-minus0500.log"].map { Fixtures.url("logs/qa/\($0)").path }
        let all = try summary(try analyzeFiles(files))
        let since = try LogsTimeSpec.parse("2027-01-01T05:00:00Z", now: 0, flag: "--since")
        let r = try analyzeFiles(files, since: since)
        let s = try summary(r)
        XCTAssertEqual(s.correlated, s.accessDenials, "\(s)")
        XCTAssertFalse(s.causes.contains { $0.cause == "unknown" }, "\(s.causes)")
        XCTAssertLessThan(s.denials, all.denials)
        XCTAssertTrue(r.notes.contains { $0.contains("read in the access log's (-05:00)") }, "\(r.notes)")
    }
}
