import Foundation
import XCTest
import Why403Core
@testable import Why403Nginx
import Why403TestSupport

/// The nginx audit checks and their fixtures agree: `Tests/Fixtures/audit/<check-id>/` holds `*.hit.conf`
/// files that must report the check and `*.miss.conf` files (the good version) that must not.
final class NginxAuditFixtureTests: XCTestCase {
    let catalogue = AuditFixtures(ids: NginxAudit.checkIDs, family: "nginx", owns: { $0.hasPrefix("nginx.") })

    func testEveryCheckHasFixturesAndEveryFixtureACheck() throws {
        try catalogue.assertComplete()
    }

    /// Each hit reports its check, with evidence; each miss does not report it.
    func testHitsReportTheirCheckAndMissesDoNot() throws {
        try catalogue.assertHitsAndMisses { url in
            let found = NginxAudit.run(try NginxAnalyzer.parse(.file(url.path)))
            XCTAssertFalse(found.contains { $0.evidence.isEmpty }, "\(url.lastPathComponent): a finding without evidence")
            return found.compactMap(\.rule)
        }
    }

    /// The fixtures are valid for the real nginx (`nginx -t`).
    func testFixturesPassNginxT() throws {
        let nginx = try RealTools.require("nginx")
        let prefix = try TemporaryDirectory(prefix: "why403-audit-fixtures")
        defer { prefix.remove() }
        try FileManager.default.createDirectory(at: prefix.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        for id in try catalogue.folders() {
            for url in try catalogue.configs(id, "hit") + catalogue.configs(id, "miss") {
                let r = try Run.program(nginx, ["-t", "-q", "-e", "stderr", "-c", url.path, "-p", prefix.path + "/"])
                XCTAssertEqual(r.status, 0, "\(id)/\(url.lastPathComponent): nginx -t: \(r.stderr)")
            }
        }
    }

    func testEveryCheckHasADocsPageAndATableRow() throws {
        try catalogue.assertDocs(NginxAudit.checks.map { ($0.id, $0.severity.rawValue, $0.summary) })
    }
}
