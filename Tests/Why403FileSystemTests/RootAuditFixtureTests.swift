import Foundation
import XCTest
import Why403Core
@testable import Why403FileSystem
import Why403TestSupport

/// The web-root checks (`fs.*`) and their fixtures agree: `Tests/Fixtures/audit/<check-id>/` holds
/// `*.hit.tree` manifests (see `TreeManifest`) that must report the check and `*.miss.tree` manifests (the
/// good version) that must not.
final class RootAuditFixtureTests: XCTestCase {
    let catalogue = AuditFixtures(ids: RootAudit.checkIDs, family: "web-root", ext: "tree", owns: { $0.hasPrefix("fs.") })

    /// The findings of `RootAudit` over the manifest's tree in memory, as its user.
    func audit(_ manifest: URL) throws -> [Finding] {
        let tree = try TreeManifest(contentsOf: manifest)
        let fs = tree.inMemory()
        let user = try XCTUnwrap(fs.user(named: tree.user), "\(manifest.lastPathComponent): no user \(tree.user)")
        return try RootAudit(root: tree.root, user: user).run(in: fs).findings
    }

    func testEveryCheckHasFixturesAndEveryFixtureACheck() throws {
        try catalogue.assertComplete()
    }

    /// Each hit reports its check, with evidence; each miss does not report it.
    func testHitsReportTheirCheckAndMissesDoNot() throws {
        try catalogue.assertHitsAndMisses { url in
            let found = try audit(url)
            XCTAssertFalse(found.contains { $0.evidence.isEmpty }, "\(url.lastPathComponent): a finding without evidence")
            return found.compactMap(\.rule)
        }
    }

    /// Each unreadable file and each unsearchable directory is reported once, itself; nothing below an
    /// unsearchable directory is reported again.
    func testEveryDeniedPathIsReportedOnceItself() throws {
        let dir = try TemporaryDirectory(prefix: "why403-tree")
        defer { dir.remove() }
        let manifest = try dir.write("two.tree", """
            audit /srv/www as www-data
            user www-data 33 33
            /srv/www                 dir  0755 root root
            /srv/www/a.html          file 0600 root root
            /srv/www/b.html          file 0600 root root
            /srv/www/docs            dir  0700 root root
            /srv/www/docs/c.html     file 0600 root root
            /srv/www/docs/sub        dir  0700 root root
            /srv/www/drafts          dir  0744 root root

            """)
        let found = try audit(manifest)
        let unreadable = found.filter { $0.rule == "fs.unreadable-file" }.map(\.summary)
        let unsearchable = found.filter { $0.rule == "fs.unsearchable-directory" }.map(\.summary)
        XCTAssertEqual(unreadable.count, 2, "\(unreadable)")
        XCTAssertTrue(unreadable.allSatisfy { $0.contains("/srv/www/a.html") || $0.contains("/srv/www/b.html") }, "\(unreadable)")
        XCTAssertEqual(unsearchable.count, 2, "\(unsearchable)")
        XCTAssertTrue(unsearchable.contains { $0.contains("the directory /srv/www/docs:") }, "\(unsearchable)")
        XCTAssertTrue(unsearchable.contains { $0.contains("the directory /srv/www/drafts:") }, "\(unsearchable)")
        XCTAssertFalse(found.contains { $0.summary.contains("c.html") || $0.summary.contains("/sub") }, "\(found.map(\.summary))")
    }

    func testEveryCheckHasADocsPageAndATableRow() throws {
        try catalogue.assertDocs(RootAudit.checks.map { ($0.id, $0.severity.rawValue, $0.summary) })
    }

    /// The same manifests made for real on disk (chmod, and chown when root) and read with LiveFileSystem
    /// give the same findings and notes as their in-memory twin, both audited as the current user. Checks
    /// that do not depend on the user's permission bits (root bypasses them): world-writable and
    /// symlink-outside-root.
    func testLiveTreeAgreesWithItsInMemoryTwin() throws {
        let live = LiveFileSystem()
        let me = try XCTUnwrap(live.user(named: String(geteuid())))
        let cases = ["fs.world-writable/world-writable-file.hit.tree", "fs.world-writable/sticky-directory.miss.tree",
                     "fs.symlink-outside-root/relative-outside.hit.tree", "fs.symlink-outside-root/inside.miss.tree"]
        for name in cases {
            let tree = try TreeManifest(contentsOf: AuditFixtures.folder.appendingPathComponent(name))
            let dir = try TemporaryDirectory(prefix: "why403-root-twin")
            defer { dir.remove() }
            let root = me.uid == 0
            try tree.materialize(under: dir.path, chown: root)
            var twin = tree.inMemory(under: dir.path, owner: root ? nil : (me.uid, me.gid))
            twin.user(me.name, uid: me.uid, gid: me.gid, groups: me.groups)
            let audit = RootAudit(root: dir.path + tree.root, user: me)
            let onDisk = try audit.run(in: live)
            let inMemory = try audit.run(in: twin)
            XCTAssertEqual(onDisk.findings, inMemory.findings, name)
            XCTAssertEqual(onDisk.notes, inMemory.notes, name)
            XCTAssertEqual(onDisk.findings.contains { $0.rule == name.split(separator: "/")[0].description },
                           name.hasSuffix(".hit.tree"), "\(name): \(onDisk.findings.map(\.rule))")
        }
    }
}

