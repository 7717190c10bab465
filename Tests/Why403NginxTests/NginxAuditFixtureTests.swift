import Foundation
import XCTest
import Why403Core
@testable import Why403Nginx
import Why403TestSupport

/// The nginx audit checks and their fixtures agree: `Tests/Fixtures/audit/<check-id>/` holds `*.hit.conf`
/// files that must report the check and `*.miss.conf` files (the good version) that must not.
final class NginxAuditFixtureTests: XCTestCase {
    static let folder = Fixtures.url("audit")

    /// The fixture folders that are not Apache's (so an unknown folder fails here).
    func fixtureFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { !$0.hasPrefix("apache.") && !$0.hasPrefix(".") }.sorted()
    }

    func configs(_ id: String, _ kind: String) throws -> [URL] {
        let dir = Self.folder.appendingPathComponent(id)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".\(kind).conf") }.sorted().map { dir.appendingPathComponent($0) }
    }

    func testIdsAreUnique() {
        XCTAssertEqual(NginxAudit.checkIDs.count, Set(NginxAudit.checkIDs).count, "duplicate check ids")
    }

    /// Every registered check has a folder with a hit and a miss; every folder names a registered check.
    func testEveryCheckHasFixturesAndEveryFixtureACheck() throws {
        let folders = Set(try fixtureFolders())
        for id in NginxAudit.checkIDs {
            XCTAssertTrue(folders.contains(id), "check \(id) has no folder Tests/Fixtures/audit/\(id)/")
            guard folders.contains(id) else { continue }
            XCTAssertFalse(try configs(id, "hit").isEmpty, "\(id): no *.hit.conf fixture")
            XCTAssertFalse(try configs(id, "miss").isEmpty, "\(id): no *.miss.conf fixture")
        }
        for f in folders.subtracting(NginxAudit.checkIDs).sorted() {
            XCTFail("fixture folder audit/\(f)/ names no registered nginx check")
        }
    }

    /// Each hit reports its check, with evidence; each miss does not report it.
    func testHitsReportTheirCheckAndMissesDoNot() throws {
        for id in NginxAudit.checkIDs {
            for url in try configs(id, "hit") {
                let found = NginxAudit.run(try NginxAnalyzer.parse(.file(url.path))).filter { $0.rule == id }
                XCTAssertFalse(found.isEmpty, "\(id)/\(url.lastPathComponent): the check did not report")
                XCTAssertFalse(found.contains { $0.evidence.isEmpty }, "\(id)/\(url.lastPathComponent): a finding without evidence")
            }
            for url in try configs(id, "miss") {
                let found = NginxAudit.run(try NginxAnalyzer.parse(.file(url.path))).filter { $0.rule == id }
                XCTAssertEqual(found.map(\.summary), [], "\(id)/\(url.lastPathComponent): a miss reported the check")
            }
        }
    }

    /// The fixtures are valid for the real nginx (`nginx -t`).
    func testFixturesPassNginxT() throws {
        let nginx = try RealTools.require("nginx")
        let prefix = try TemporaryDirectory(prefix: "why403-audit-fixtures")
        defer { prefix.remove() }
        try FileManager.default.createDirectory(at: prefix.url.appendingPathComponent("logs"), withIntermediateDirectories: true)
        for id in try fixtureFolders() {
            for url in try configs(id, "hit") + configs(id, "miss") {
                let r = try Run.program(nginx, ["-t", "-q", "-e", "stderr", "-c", url.path, "-p", prefix.path + "/"])
                XCTAssertEqual(r.status, 0, "\(id)/\(url.lastPathComponent): nginx -t: \(r.stderr)")
            }
        }
    }

    /// Every check has a page `docs/checks/<id>.md`, and its row in docs/audit.md links it with the check's severity and summary.
    func testEveryCheckHasADocsPageAndATableRow() throws {
        let docs = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs")
        let table = try String(contentsOf: docs.appendingPathComponent("audit.md"), encoding: .utf8)
        for check in NginxAudit.checks {
            XCTAssertTrue(FileManager.default.fileExists(atPath: docs.appendingPathComponent("checks/\(check.id).md").path), "no docs/checks/\(check.id).md")
            let row = "| [`\(check.id)`](checks/\(check.id).md) | \(check.severity.rawValue) | \(check.summary) |"
            XCTAssertTrue(table.contains(row), "docs/audit.md has no row \(row)")
        }
    }
}
