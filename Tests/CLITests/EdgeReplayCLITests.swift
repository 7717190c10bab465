import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// `--replay` of the edge commands (cli-v1 second edition): every request of an access log through rules
/// compiled once, one finding per rule that would refuse, with the count and samples; broken lines
/// counted, not fatal.
final class EdgeReplayCLITests: XCTestCase {
    func accessLog(_ dir: TemporaryDirectory, _ lines: [(ip: String, path: String)]) throws -> String {
        var text = lines.map { #"\#($0.ip) - - [02/Dec/2026:13:00:00 +0000] "GET \#($0.path) HTTP/1.1" 200 1 "-" "Mozilla/5.0""# }
        text.insert("not an access-log line", at: 1)
        return try dir.write("access.log", text.joined(separator: "\n") + "\n").path
    }

    func testCloudflareReplayGroupsTheRefusalsByRule() throws {
        let dir = try TemporaryDirectory(prefix: "why403-edge-replay")
        defer { dir.remove() }
        let log = try accessLog(dir, [("203.0.113.7", "/admin/users"), ("203.0.113.8", "/"), ("203.0.113.9", "/admin/"),
                                      ("198.51.100.4", "/admin/users")])
        let r = try Run.why403(["cloudflare", "https://www.example.com/", "--rules", Fixtures.url("cloudflare/zone-custom.json").path,
                                "--country", "DE", "--bot-score", "90", "--no-verified-bot", "--replay", log, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertNil(report.verdict.status)
        let f = try XCTUnwrap(report.findings.first { $0.rule == "admin-office-only" }, "\(report.findings.map(\.rule))")
        XCTAssertEqual(f.details?["count"], .int(2))
        XCTAssertTrue(report.notes[0].contains("replayed 4 requests"), report.notes[0])
        XCTAssertTrue(report.notes.contains { $0.contains("1 entry was not a request") && $0.contains("access.log:2") }, "\(report.notes)")
    }

    func testAWSWAFReplayGroupsTheRefusalsByRule() throws {
        let dir = try TemporaryDirectory(prefix: "why403-edge-replay")
        defer { dir.remove() }
        let log = try accessLog(dir, [("203.0.113.9", "/"), ("10.20.3.4", "/"), ("203.0.113.10", "/reports")])
        let c = "aws-waf/cases/default-block/"
        let r = try Run.why403(["aws-waf", "https://intranet.example.com/", "--web-acl", Fixtures.url(c + "web-acl.json").path,
                                "--ip-set", Fixtures.url(c + "ip-set.json").path, "--replay", log, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertNil(report.verdict.status)
        let f = try XCTUnwrap(report.findings.first { $0.rule == "DefaultAction" }, "\(report.findings.map(\.rule))")
        XCTAssertEqual(f.details?["count"], .int(2))
        XCTAssertTrue(report.notes[0].contains("2 would be refused or challenged, 1 pass"), report.notes[0])
    }
}
