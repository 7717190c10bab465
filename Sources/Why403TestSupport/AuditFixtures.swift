import Foundation
import XCTest

/// The fixture catalogue of one family of audit checks: `Tests/Fixtures/audit/<check-id>/` holds
/// `*.hit.<ext>` files that must report the check and `*.miss.<ext>` files (the good version) that must
/// not (`ext` is `conf` for nginx and Apache, `tree` for the web-root checks), and
/// `docs/checks/<check-id>.md` with a row in docs/audit.md. Shared by the nginx, Apache and web-root
/// check tests, so each family's test says only how to run its checks.
public struct AuditFixtures {
    /// The registered check ids.
    public let ids: [String]
    /// The family's name in messages (`nginx`, `Apache`).
    public let family: String
    /// Whether a fixture folder belongs to this family (so an unknown folder fails somewhere).
    public let owns: (String) -> Bool
    /// The fixture files' extension (`conf`, `tree`).
    public let ext: String

    public static let folder = Fixtures.url("audit")
    /// The id prefix of every family: a fixture folder starting with none of them belongs to no family.
    public static let prefixes = ["nginx.", "apache.", "fs."]

    public init(ids: [String], family: String, ext: String = "conf", owns: @escaping (String) -> Bool) {
        self.ids = ids
        self.family = family
        self.ext = ext
        self.owns = owns
    }

    /// This family's fixture folders.
    public func folders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.hasPrefix(".") && owns($0) }.sorted()
    }

    /// The `*.<kind>.<ext>` files of check `id` (kind `hit` or `miss`).
    public func configs(_ id: String, _ kind: String) throws -> [URL] {
        let dir = Self.folder.appendingPathComponent(id)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".\(kind).\(ext)") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Ids are unique; every check has a folder with a hit and a miss; every folder names a check; every
    /// folder under audit/ belongs to a family (starts with one of `prefixes`).
    public func assertComplete(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(ids.count, Set(ids).count, "duplicate check ids", file: file, line: line)
        let folders = Set(try folders())
        for id in ids {
            XCTAssertTrue(folders.contains(id), "check \(id) has no folder Tests/Fixtures/audit/\(id)/", file: file, line: line)
            guard folders.contains(id) else { continue }
            XCTAssertFalse(try configs(id, "hit").isEmpty, "\(id): no *.hit.\(ext) fixture", file: file, line: line)
            XCTAssertFalse(try configs(id, "miss").isEmpty, "\(id): no *.miss.\(ext) fixture", file: file, line: line)
        }
        for f in folders.subtracting(ids).sorted() {
            XCTFail("fixture folder audit/\(f)/ names no registered \(family) check", file: file, line: line)
        }
        let all = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.hasPrefix(".") }
        for f in all.sorted() where !Self.prefixes.contains(where: { f.hasPrefix($0) }) {
            XCTFail("fixture folder audit/\(f)/ belongs to no family (\(Self.prefixes.joined(separator: ", ")))", file: file, line: line)
        }
    }

    /// Each hit reports its check and each miss does not; `reported` runs the family's checks on a
    /// fixture and returns the ids reported.
    public func assertHitsAndMisses(file: StaticString = #filePath, line: UInt = #line,
                                    reported: (URL) throws -> [String]) throws {
        for id in ids {
            for url in try configs(id, "hit") {
                XCTAssertTrue(try reported(url).contains(id), "\(id)/\(url.lastPathComponent): the check did not report", file: file, line: line)
            }
            for url in try configs(id, "miss") {
                XCTAssertFalse(try reported(url).contains(id), "\(id)/\(url.lastPathComponent): a miss reported the check", file: file, line: line)
            }
        }
    }

    /// Every check has a page `docs/checks/<id>.md`, and its row in docs/audit.md links it with the
    /// check's severity and summary; `checks` gives (id, severity, summary).
    public func assertDocs(_ checks: [(id: String, severity: String, summary: String)],
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let docs = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs")
        let table = try String(contentsOf: docs.appendingPathComponent("audit.md"), encoding: .utf8)
        for check in checks {
            XCTAssertTrue(FileManager.default.fileExists(atPath: docs.appendingPathComponent("checks/\(check.id).md").path),
                          "no docs/checks/\(check.id).md", file: file, line: line)
            let row = "| [`\(check.id)`](checks/\(check.id).md) | \(check.severity) | \(check.summary) |"
            XCTAssertTrue(table.contains(row), "docs/audit.md has no row \(row)", file: file, line: line)
        }
    }
}
