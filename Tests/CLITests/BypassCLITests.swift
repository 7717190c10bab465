import Foundation
import XCTest
import Why403Core
import Why403Diagnose
import Why403FileSystem
@testable import Why403Lab
import Why403TestSupport

/// issue 14, part 2: `why403 audit --bypass URL`, offline, on the lab's nginx-admin-bypass scenario
/// (an exact-match `location = /admin` in front of an application) and its fixed configuration, on an
/// Apache configuration, and end to end through the executable (JSON and SARIF).
final class BypassCLITests: XCTestCase {
    func materialized() throws -> (TemporaryDirectory, LabScenario) {
        let s = try XCTUnwrap(LabScenario.all.first { $0.id == "nginx-admin-bypass" })
        let dir = try TemporaryDirectory(prefix: "why403-bypass")
        try LabRunner(directory: dir.path, startServers: false).materialize(s, in: dir.path, port: 8080)
        return (dir, s)
    }

    func testTheLabScenarioIsWalkedAroundAndTheFixedConfigurationIsNot() throws {
        let (dir, _) = try materialized()
        defer { dir.remove() }
        let request = try Request(url: "http://127.0.0.1:8080/admin")
        let report = try AuditAnalyzer.analyze(.init(nginx: [dir.path + "/nginx.conf"], bypass: request, nginxPrefix: dir.path))
        let byRule = Dictionary(report.findings.map { ($0.rule ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        for id in ["bypass.trailing-slash", "bypass.upper-case", "bypass.semicolon-dot-dot", "bypass.slash-semicolon-dot-dot",
                   "bypass.encoded-slash", "bypass.trailing-space", "bypass.json-suffix"] {
            XCTAssertNotNil(byRule[id], "\(id) not reported: \(byRule.keys.sorted())\n\(report.notes)")
        }
        // nginx itself decodes, merges slashes and resolves dot segments before matching: these stay refused.
        for id in ["bypass.double-slash", "bypass.dot-segment", "bypass.encoded-dot-segment", "bypass.encoded-letter",
                   "bypass.post", "bypass.x-forwarded-for", "bypass.host-localhost"] {
            XCTAssertNil(byRule[id], "\(id) reported: \(byRule[id]?.summary ?? "")")
        }
        let upper = try XCTUnwrap(byRule["bypass.upper-case"])
        XCTAssertEqual(upper.confidence, .likely, "the application decides what /ADMIN means")
        XCTAssertEqual(upper.severity, .error)
        XCTAssertEqual(upper.cause, .accessDeny)
        XCTAssertEqual(upper.details?["method"], .string("GET"))
        XCTAssertEqual(upper.details?["target"], .string("/ADMIN"))
        XCTAssertEqual(upper.details?["status"], .null)
        XCTAssertTrue(upper.evidence.contains { $0.text == "deny all;" && $0.source.contains("nginx.conf:") }, "the rule that misses it: \(upper.evidence)")
        XCTAssertTrue(upper.evidence.contains { $0.text.hasPrefix("proxy_pass") }, "what serves the variant: \(upper.evidence)")
        XCTAssertTrue(upper.fixes.contains { $0.summary.contains("~*") }, "\(upper.fixes)")
        XCTAssertEqual(byRule["bypass.x-original-url"]?.confidence, .possible)
        XCTAssertEqual(report.verdict.layer, .nginx)

        let fixed = try AuditAnalyzer.analyze(.init(nginx: [dir.path + "/nginx-fixed.conf"], bypass: request, nginxPrefix: dir.path))
        XCTAssertEqual(fixed.findings.map { $0.rule ?? "" }, [], "\(fixed.findings.map(\.summary))\n\(fixed.notes)")
        XCTAssertEqual(fixed.verdict, .notDenied)
    }

    func testARequestThatIsNotRefusedHasNothingToWalkAround() throws {
        let (dir, _) = try materialized()
        defer { dir.remove() }
        let report = try AuditAnalyzer.analyze(.init(nginx: [dir.path + "/nginx.conf"],
                                                     bypass: try Request(url: "http://127.0.0.1:8080/index.html"), nginxPrefix: dir.path))
        XCTAssertTrue(report.findings.isEmpty)
        XCTAssertTrue(report.notes.contains { $0.contains("is not refused") }, "\(report.notes)")
    }

    /// `<Limit GET>` refuses GET and HEAD only: POST gets the file (what httpd 2.4 does, checked by
    /// Why403ApacheTests.BypassDifferentialTests), TRACE is the core's echo, PUT 405 and FOO 501.
    func testApacheLimitGetIsWalkedAroundWithPOST() throws {
        let dir = try TemporaryDirectory(prefix: "why403-bypass-apache")
        defer { dir.remove() }
        _ = try dir.write("www/admin/index.html", "adm")
        let conf = try dir.write("httpd.conf", """
            ServerName shop.test
            Listen 8080
            DocumentRoot "\(dir.path)/www"
            <Directory />
                Require all denied
            </Directory>
            <Directory "\(dir.path)/www">
                Require all granted
            </Directory>
            <Directory "\(dir.path)/www/admin">
                <Limit GET>
                    Require all denied
                </Limit>
            </Directory>

            """)
        let report = try AuditAnalyzer.analyze(.init(apache: [conf.path], bypass: try Request(url: "http://127.0.0.1:8080/admin/index.html")))
        XCTAssertEqual(report.findings.compactMap(\.rule), ["bypass.post", "bypass.method-override"], "\(report.findings.map(\.summary))")
        let post = try XCTUnwrap(report.findings.first)
        XCTAssertEqual(post.confidence, .certain)
        XCTAssertEqual(post.layer, .apache)
        XCTAssertEqual(post.details?["status"], .int(200))
        XCTAssertEqual(post.details?["method"], .string("POST"))
        XCTAssertTrue(post.fixes.contains { $0.summary.contains("<Limit>") }, "\(post.fixes)")
        XCTAssertTrue(report.notes.contains { $0.contains("bypass.trace") && $0.contains("echo") }, "\(report.notes)")
    }

    func testTheCommandWritesJSONAndSARIF() throws {
        let (dir, _) = try materialized()
        defer { dir.remove() }
        let args = ["audit", "--bypass", "http://127.0.0.1:8080/admin", "--nginx", dir.path + "/nginx.conf", "--prefix", dir.path]
        let json = try Run.why403(args + ["--format", "json"])
        XCTAssertEqual(json.status, 1, "an error-severity finding fails the audit: \(json.stderr)")
        let report = try decodeReport(json.stdout)
        XCTAssertEqual(report.subject.kind, .audit)
        XCTAssertEqual(report.subject.url, "http://127.0.0.1:8080/admin")
        XCTAssertTrue(report.findings.contains { $0.rule == "bypass.upper-case" })
        let sarif = try Run.why403(args + ["--format", "sarif"])
        XCTAssertEqual(sarif.status, 1, sarif.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
        let runs = doc?["runs"] as? [[String: Any]]
        let results = runs?.first?["results"] as? [[String: Any]] ?? []
        XCTAssertTrue(results.contains { $0["ruleId"] as? String == "bypass.upper-case" }, sarif.stdout.prefix(2000).description)
        let fixed = try Run.why403(["audit", "--bypass", "http://127.0.0.1:8080/admin", "--nginx", dir.path + "/nginx-fixed.conf",
                                    "--prefix", dir.path])
        XCTAssertEqual(fixed.status, 0, fixed.stdout + fixed.stderr)
        let bad = try Run.why403(["audit", "--bypass", "http://127.0.0.1:8080/admin", "--root", dir.path])
        XCTAssertEqual(bad.status, 2, bad.stderr)
    }

    /// `--variants bypass` is named or nothing: a set without --variants, or another set, is bad input.
    func testProbeTakesTheBypassSetOnlyAfterVariants() throws {
        let alone = try Run.why403(["probe", "http://127.0.0.1:9/admin", "bypass"])
        XCTAssertEqual(alone.status, 2, alone.stderr)
        XCTAssertTrue(alone.stderr.contains("--variants"), alone.stderr)
        let other = try Run.why403(["probe", "--variants", "everything", "http://127.0.0.1:9/admin"])
        XCTAssertEqual(other.status, 2, other.stderr)
        let help = try Run.why403(["probe", "--help"])
        XCTAssertTrue(help.stdout.contains("IDS"), "the help says the bypass set may be flagged")
    }
}
