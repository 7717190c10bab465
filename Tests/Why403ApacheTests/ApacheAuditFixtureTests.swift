import Foundation
import XCTest
import Why403Core
import Why403FileSystem
@testable import Why403Apache
import Why403TestSupport

/// The Apache audit checks and their fixtures agree: `Tests/Fixtures/audit/<check-id>/` holds `*.hit.conf`
/// files that must report the check and `*.miss.conf` files (the good version) that must not.
///
/// Each config is read from `/etc/httpd/conf/httpd.conf` of an in-memory file system; the folder's `www/`,
/// when it has one, is that file system's `/var/www/` (the document roots the configs name).
final class ApacheAuditFixtureTests: XCTestCase {
    static let folder = Fixtures.url("audit")

    /// The fixture folders that are not nginx's (so an unknown folder fails here).
    func fixtureFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { !$0.hasPrefix("nginx.") && !$0.hasPrefix(".") }.sorted()
    }

    func configs(_ id: String, _ kind: String) throws -> [URL] {
        let dir = Self.folder.appendingPathComponent(id)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".\(kind).conf") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// The ids `config` reports, run as `/etc/httpd/conf/httpd.conf` with the folder's `www/` as `/var/www/`.
    func reported(_ config: URL) throws -> [String] {
        var fs = InMemoryFileSystem()
        fs.file("/etc/httpd/conf/httpd.conf", try String(contentsOf: config, encoding: .utf8))
        let www = config.deletingLastPathComponent().appendingPathComponent("www")
        if let files = FileManager.default.enumerator(atPath: www.path) {
            fs.directory("/var/www")
            while let rel = files.nextObject() as? String {
                var dir: ObjCBool = false
                FileManager.default.fileExists(atPath: www.appendingPathComponent(rel).path, isDirectory: &dir)
                if dir.boolValue { fs.directory("/var/www/" + rel) } else {
                    fs.file("/var/www/" + rel, try String(contentsOf: www.appendingPathComponent(rel), encoding: .utf8))
                }
            }
        }
        return try ApacheAudit.run(configPath: "/etc/httpd/conf/httpd.conf", fileSystem: fs).map(\.id)
    }

    func testIdsAreUnique() {
        XCTAssertEqual(ApacheAudit.checkIDs.count, Set(ApacheAudit.checkIDs).count, "duplicate check ids")
    }

    /// Every registered check has a folder with a hit and a miss; every folder names a registered check.
    func testEveryCheckHasFixturesAndEveryFixtureACheck() throws {
        let folders = Set(try fixtureFolders())
        for id in ApacheAudit.checkIDs {
            XCTAssertTrue(folders.contains(id), "check \(id) has no folder Tests/Fixtures/audit/\(id)/")
            guard folders.contains(id) else { continue }
            XCTAssertFalse(try configs(id, "hit").isEmpty, "\(id): no *.hit.conf fixture")
            XCTAssertFalse(try configs(id, "miss").isEmpty, "\(id): no *.miss.conf fixture")
        }
        for f in folders.subtracting(ApacheAudit.checkIDs).sorted() {
            XCTFail("fixture folder audit/\(f)/ names no registered Apache check")
        }
    }

    /// Each hit reports its check; each miss does not.
    func testHitsReportTheirCheckAndMissesDoNot() throws {
        for id in ApacheAudit.checkIDs {
            for url in try configs(id, "hit") {
                XCTAssertTrue(try reported(url).contains(id), "\(id)/\(url.lastPathComponent): the check did not report")
            }
            for url in try configs(id, "miss") {
                XCTAssertFalse(try reported(url).contains(id), "\(id)/\(url.lastPathComponent): a miss reported the check")
            }
        }
    }

    /// Every check has a page `docs/checks/<id>.md`, and its row in docs/audit.md links it with the check's severity and summary.
    func testEveryCheckHasADocsPageAndATableRow() throws {
        let docs = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs")
        let table = try String(contentsOf: docs.appendingPathComponent("audit.md"), encoding: .utf8)
        for check in ApacheAudit.checks {
            XCTAssertTrue(FileManager.default.fileExists(atPath: docs.appendingPathComponent("checks/\(check.id).md").path), "no docs/checks/\(check.id).md")
            let row = "| [`\(check.id)`](checks/\(check.id).md) | \(check.severity.rawValue) | \(check.summary) |"
            XCTAssertTrue(table.contains(row), "docs/audit.md has no row \(row)")
        }
    }
}
