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
    let catalogue = AuditFixtures(ids: ApacheAudit.checkIDs, family: "Apache", owns: { $0.hasPrefix("apache.") })

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
        return try ApacheAudit.run(configPath: "/etc/httpd/conf/httpd.conf", fileSystem: fs).compactMap(\.rule)
    }

    func testEveryCheckHasFixturesAndEveryFixtureACheck() throws {
        try catalogue.assertComplete()
    }

    func testHitsReportTheirCheckAndMissesDoNot() throws {
        try catalogue.assertHitsAndMisses(reported: reported)
    }

    func testEveryCheckHasADocsPageAndATableRow() throws {
        try catalogue.assertDocs(ApacheAudit.checks.map { ($0.id, $0.severity.rawValue, $0.summary) })
    }
}
