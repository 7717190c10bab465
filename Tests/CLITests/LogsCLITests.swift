import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 logs`: stdout, stderr and exit status of the built binary.
final class LogsCLITests: XCTestCase {
    func recorded(_ name: String) -> String { Fixtures.url("logs/recorded/\(name)").path }

    func testJSONReportOfAccessAndErrorLogs() throws {
        let r = try Run.why403(["logs", recorded("nginx-access.log"), recorded("nginx-error.log"), "--status", "401,403,429",
                                "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "logs")
        XCTAssertEqual(report.verdict.cause, .fsPermission)
        XCTAssertEqual(report.verdict.layer, .filesystem)
        XCTAssertEqual(report.subject.extra["denials"], .int(10))
        XCTAssertEqual(report.subject.extra["correlated"], .int(10))
        XCTAssertEqual(report.findings.first?.confidence, .certain)
        XCTAssertTrue(report.findings.first?.evidence.first?.source.hasPrefix("log ") ?? false)
    }

    func testTextPageWithTablesAndTimeline() throws {
        let r = try Run.why403(["logs", recorded("apache-access.log"), recorded("apache-error.log"), "--status", "401,403"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for part in ["refused requests", "causes\n", "paths\n", "clients\n", "user agents\n", "timeline", "fix: "] {
            XCTAssertTrue(r.stdout.contains(part), "missing \(part) in\n\(r.stdout)")
        }
        XCTAssertEqual(r.stderr, "", "no progress bar when stderr is not a terminal")
    }

    func testEdgeLogsForcedOnStdinAndEmitSQL() throws {
        let waf = try Data(contentsOf: Fixtures.url("logs/edge/aws-waf.log"))
        let r = try Run.why403(["logs", "-", "--input-format", "aws-waf", "--format", "json"], stdin: waf)
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict.layer, .awsWAF)
        XCTAssertEqual(report.subject.extra["denials"], .int(6))
        let sql = try Run.why403(["logs", "--emit-sql", "duckdb", "--input-format", "alb", "--table", "alb_logs", "--status", "401,403"])
        XCTAssertEqual(sql.status, 0, sql.stderr)
        XCTAssertTrue(sql.stdout.contains("SELECT cause, count(*) AS \"count\""), sql.stdout)
        XCTAssertTrue(sql.stdout.contains("FROM alb_logs"), sql.stdout)
        XCTAssertTrue(sql.stdout.contains("WHERE status IN (401, 403)"), sql.stdout)
        for bad in [["--emit-sql", "mysql", "--input-format", "alb", "--table", "t"], ["--emit-sql", "duckdb", "--table", "t"],
                    ["--emit-sql", "duckdb", "--input-format", "alb", "--table", "t; drop"], ["x.log", "--input-format", "apache-access"]] {
            let e = try Run.why403(["logs"] + bad)
            XCTAssertEqual(e.status, 2, "\(bad): \(e.stdout)")
            XCTAssertFalse(e.stderr.isEmpty, "\(bad)")
        }
    }

    func testStdinAndHTML() throws {
        let log = try Data(contentsOf: URL(fileURLWithPath: recorded("nginx-access.log")))
        let r = try Run.why403(["logs", "-", "--format", "html"], stdin: log)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("<!doctype html>"))
        XCTAssertTrue(r.stdout.contains("<svg"))
        XCTAssertTrue(r.stdout.contains("(stdin)"))
    }

    func testSecretsInLogsAreRedacted() throws {
        let line = #"10.0.0.1 - - [29/Nov/2026:09:30:17 +0000] "GET /dl?token=SuperSecretValue123 HTTP/1.1" 403 0 "-" "curl/8""# + "\n"
        for format in ["text", "json", "markdown", "html"] {
            let r = try Run.why403(["logs", "-", "--format", format], stdin: Data(line.utf8))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(r.stdout.contains("SuperSecretValue123"), format)
        }
    }

    func testBadInputExitsTwo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Run.shell("printf '\\037\\213\\010\\000garbage-garbage' > \(dir.path)/bad.gz")
        let cases: [(id: String, args: [String], stderr: String)] = [
            ("bad gzip", ["logs", dir.path + "/bad.gz"], "\(dir.path)/bad.gz: error: expected gzip data"),
            ("missing file", ["logs", dir.path + "/none.log"], "\(dir.path)/none.log: error: expected a readable log file"),
            ("wrong format", ["logs", recorded("nginx-access.log"), "--log-format", "$remote_addr \"$request\" $status"],
             "\(recorded("nginx-access.log")):1: error: this line does not match the log format"),
            ("bad status", ["logs", recorded("nginx-access.log"), "--status", "40x"], "--status takes HTTP statuses"),
            ("bad since", ["logs", recorded("nginx-access.log"), "--since", "yesterday"], "expected --since as ISO 8601"),
            ("sarif", ["logs", recorded("nginx-access.log"), "--format", "sarif"], "--format sarif is not available here"),
            ("no file", ["logs"], "give at least one log file"),
        ]
        for c in cases {
            let r = try Run.why403(c.args)
            XCTAssertEqual(r.status, 2, "\(c.id): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(c.stderr), "\(c.id): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", c.id)
        }
    }
}
