import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 cloudflare` (cli-v1, second edition): stdout, stderr and exit status of
/// the built binary.
final class CloudflareCLITests: XCTestCase {
    func fixture(_ name: String) -> String { Fixtures.url("cloudflare/\(name)").path }

    func testBlockedAdminRequestAsJSON() throws {
        let r = try Run.why403(["cloudflare", "https://www.example.com/admin/users", "--rules", fixture("zone-managed.json"),
                                "--rules", fixture("zone-custom.json"), "--rules", fixture("api-custom-ruleset.json"),
                                "--client-ip", "203.0.113.7", "--country", "de", "--bot-score", "90", "--no-verified-bot",
                                "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "cloudflare")
        XCTAssertEqual(report.verdict.status, 403)
        XCTAssertEqual(report.verdict.layer, .cloudflare)
        XCTAssertEqual(report.verdict.cause, .accessIP)
        XCTAssertEqual(report.findings.first?.rule, "admin-office-only")
        XCTAssertEqual(report.subject.extra["signals"], ["country": "DE", "bot_score": 90, "verified_bot": false, "threat_score": 0])
    }

    func testTextNamesRuleAndFix() throws {
        let r = try Run.why403(["cloudflare", "https://www.example.com/wp-login.php", "--rules", fixture("rules.tf"), "--client-ip", "192.0.2.10"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("block_wp_login"), r.stdout)
        XCTAssertTrue(r.stdout.contains("403"), r.stdout)
        XCTAssertTrue(r.stdout.contains("and not http.request.uri.path eq"), r.stdout)
    }

    func testBadExpressionExitsTwoWithRefAndColumn() throws {
        let r = try Run.why403(["cloudflare", "https://www.example.com/", "--rules", fixture("bad-type.tf")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad-type.tf:9:17: error: rule \"asn-as-string\""), r.stderr)
    }

    /// `--list FILE` (cloudflare_list HCL), `--list NAME=FILE` (Lists API items) and `--data`.
    func testListsAndBody() throws {
        let rules = fixture("zone-lists-body.json")
        func run(_ extra: [String], _ url: String) throws -> Report {
            let r = try Run.why403(["cloudflare", url, "--rules", rules, "--format", "json"] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try decodeReport(r.stdout)
        }
        XCTAssertEqual(try run(["--list", fixture("lists.tf"), "--client-ip", "198.51.100.20"], "https://example.com/admin").verdict.status, nil)
        let out = try run(["--list", "office_ips=" + fixture("list-items.json"), "--client-ip", "192.0.2.1"], "https://example.com/admin")
        XCTAssertEqual(out.verdict.status, 403)
        XCTAssertEqual(out.findings.first?.rule, "admin-office-list")
        let body = try run(["-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded", "--data", "user=eve&role=admin",
                            "--client-ip", "192.0.2.1"], "https://example.com/signup")
        XCTAssertEqual(body.findings.first?.rule, "no-admin-signup")
        XCTAssertEqual(body.verdict.status, 403)
        let bad = try Run.why403(["cloudflare", "https://example.com/", "--rules", rules, "--list", fixture("list-items.json")])
        XCTAssertEqual(bad.status, 2, "a file of items needs its name")
        XCTAssertTrue(bad.stderr.contains("--list NAME=FILE"), bad.stderr)
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try Run.why403(["cloudflare", "https://www.example.com/"]).status, 2)
        XCTAssertEqual(try Run.why403(["cloudflare", "https://www.example.com/", "--rules", fixture("zone-custom.json"), "--country", "Germany"]).status, 2)
        XCTAssertEqual(try Run.why403(["cloudflare", "https://www.example.com/", "--rules", "/nonexistent.json"]).status, 2)
    }
}
