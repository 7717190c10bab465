import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport

/// PathWalk on the in-memory twin: the kernel's rules one by one, the evidence and the fixes.
final class PathWalkTests: XCTestCase {
    static let www: UInt32 = 33, alice: UInt32 = 1000, web: UInt32 = 2000

    func fs(selinux: Bool = false) -> InMemoryFileSystem {
        var fs = InMemoryFileSystem(selinuxEnabled: selinux)
        fs.user("www-data", uid: Self.www, gid: Self.www, groups: [Self.web])
        fs.user("alice", uid: Self.alice, gid: Self.alice)
        fs.group("web", gid: Self.web)
        return fs
    }

    var wwwData: UserIdentity { UserIdentity(name: "www-data", uid: Self.www, gid: Self.www, groups: [Self.www, Self.web]) }

    func testAllowedWalkHasOneStepPerComponent() {
        var f = fs()
        f.file("/srv/www/index.html", "hi")
        let r = PathWalk.check("/srv/www/index.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .allowed)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.steps.map(\.path), ["/", "/srv", "/srv/www", "/srv/www/index.html"])
        XCTAssertEqual(r.steps.map(\.effective), ["r-x", "r-x", "r-x", "r--"])
        XCTAssertTrue(r.findings.isEmpty)
        XCTAssertTrue(r.notes.contains { $0.contains("SELinux is not enabled") })
    }

    func testHomeDirectoryWithoutSearchBitPrefersACL() throws {
        var f = fs()
        f.directory("/home/alice", mode: 0o750, uid: Self.alice, gid: Self.alice)
        f.file("/home/alice/site/index.html", uid: Self.alice, gid: Self.alice)
        let r = PathWalk.check("/home/alice/site/index.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .denied(component: "/home/alice"))
        XCTAssertEqual(r.status, 403)
        let finding = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(finding.cause, .fsPermission)
        XCTAssertEqual(finding.layer, .filesystem)
        XCTAssertEqual(finding.confidence, .certain)
        XCTAssertEqual(finding.fixes.first?.commands, ["setfacl -m u:www-data:x /home/alice"])
        XCTAssertEqual(finding.fixes.dropFirst().first?.commands, ["chmod o+x /home/alice"])
        XCTAssertTrue(finding.evidence.contains { $0.source == "path /home/alice" && $0.text == "drwxr-x--- alice:alice  (www-data may: ---)" }, "\(finding.evidence)")
        XCTAssertFalse(finding.fixes.flatMap(\.commands).contains { $0.contains("777") })
    }

    func testOtherDirectoryGetsTheOneMissingBit() throws {
        var f = fs()
        f.directory("/srv/www", mode: 0o750)
        f.file("/srv/www/a.html")
        let r = PathWalk.check("/srv/www/a.html", as: wwwData, in: f)
        XCTAssertEqual(r.findings.first?.fixes.first?.commands, ["chmod o+x /srv/www"])
    }

    func testUnreadableFileGetsOPlusR() throws {
        var f = fs()
        f.file("/srv/www/a.html", mode: 0o640)
        let r = PathWalk.check("/srv/www/a.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .denied(component: "/srv/www/a.html"))
        XCTAssertEqual(r.findings.first?.fixes.first?.commands, ["chmod o+r /srv/www/a.html"])
    }

    func testPrivateFileGetsACLFirst() throws {
        var f = fs()
        f.file("/srv/www/secret.conf", mode: 0o600)
        let r = PathWalk.check("/srv/www/secret.conf", as: wwwData, in: f)
        XCTAssertEqual(r.findings.first?.fixes.first?.commands, ["setfacl -m u:www-data:r /srv/www/secret.conf"])
    }

    func testGroupClassIsExclusive() throws {
        var f = fs()
        // Other has x, but www-data is in the owning group, which has none.
        f.directory("/srv/www", mode: 0o705, gid: Self.web)
        f.file("/srv/www/a.html")
        let r = PathWalk.check("/srv/www/a.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .denied(component: "/srv/www"))
        XCTAssertEqual(r.findings.first?.fixes.first?.commands, ["chmod g+x /srv/www"])
    }

    func testOwnerClassIsExclusive() {
        var f = fs()
        f.file("/srv/www/a.html", mode: 0o044, uid: Self.www)
        let r = PathWalk.check("/srv/www/a.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .denied(component: "/srv/www/a.html"))
        XCTAssertEqual(r.findings.first?.fixes.first?.commands, ["chmod u+r /srv/www/a.html"])
    }

    func testSupplementaryGroupGrants() {
        var f = fs()
        f.directory("/srv/www", mode: 0o750, gid: Self.web)
        f.file("/srv/www/a.html", mode: 0o640, gid: Self.web)
        XCTAssertEqual(PathWalk.check("/srv/www/a.html", as: wwwData, in: f).outcome, .allowed)
    }

    func testNamedUserEntryLimitedByMask() throws {
        var f = fs()
        f.directory("/srv/www", mode: 0o740, acl: [
            ACLEntry(tag: .userObj, permissions: 7), ACLEntry(tag: .user, qualifier: Self.www, permissions: 5),
            ACLEntry(tag: .groupObj, permissions: 0), ACLEntry(tag: .mask, permissions: 4), ACLEntry(tag: .other, permissions: 0),
        ])
        f.file("/srv/www/a.html")
        let r = PathWalk.check("/srv/www/a.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .denied(component: "/srv/www"))
        let finding = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(finding.fixes.first?.commands, ["setfacl -m m::rx /srv/www"])
        XCTAssertTrue(finding.evidence.contains { $0.source == "acl /srv/www" && $0.text.contains("user:www-data:r-x") })
    }

    func testNamedGroupEntryThatLacksTheBitDenies() {
        var f = fs()
        f.file("/srv/www/a.html", mode: 0o644, acl: [
            ACLEntry(tag: .userObj, permissions: 6), ACLEntry(tag: .groupObj, permissions: 4),
            ACLEntry(tag: .group, qualifier: Self.web, permissions: 0), ACLEntry(tag: .mask, permissions: 4),
            ACLEntry(tag: .other, permissions: 4),
        ])
        let r = PathWalk.check("/srv/www/a.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .denied(component: "/srv/www/a.html"))
        XCTAssertEqual(r.findings.first?.fixes.first?.commands, ["setfacl -m u:www-data:r /srv/www/a.html"])
    }

    func testRootBypassesModes() {
        var f = fs()
        f.directory("/srv/private", mode: 0o000)
        f.file("/srv/private/a.html", mode: 0o000)
        let root = UserIdentity(name: "root", uid: 0, gid: 0, groups: [0])
        XCTAssertEqual(PathWalk.check("/srv/private/a.html", as: root, in: f).outcome, .allowed)
        XCTAssertFalse(PathWalk.permits(FileInfo(kind: .regular, mode: 0o644, uid: 5, gid: 5), user: root, want: 1))
        XCTAssertTrue(PathWalk.permits(FileInfo(kind: .regular, mode: 0o001, uid: 5, gid: 5), user: root, want: 1))
    }

    func testSymlinksRelativeAbsoluteDotDotAndLoops() {
        var f = fs()
        f.file("/srv/real/a.html")
        f.symlink("/srv/www/rel", to: "../real/a.html")
        f.symlink("/srv/www/abs", to: "/srv/real")
        f.symlink("/srv/www/loop1", to: "loop2")
        f.symlink("/srv/www/loop2", to: "loop1")
        f.symlink("/srv/www/dangling", to: "/nowhere/x")
        XCTAssertEqual(PathWalk.check("/srv/www/rel", as: wwwData, in: f).resolvedPath, "/srv/real/a.html")
        XCTAssertEqual(PathWalk.check("/srv/www/abs/a.html", as: wwwData, in: f).outcome, .allowed)
        let loop = PathWalk.check("/srv/www/loop1", as: wwwData, in: f)
        XCTAssertEqual(loop.status, 403)
        XCTAssertEqual(loop.findings.first?.cause, .fsSymlink)
        XCTAssertEqual(PathWalk.check("/srv/www/dangling", as: wwwData, in: f).outcome, .missing(component: "/nowhere"))
        XCTAssertEqual(PathWalk.check("/srv/www/../real/./a.html", as: wwwData, in: f).outcome, .allowed)
    }

    func testMissingAndNotADirectory() {
        var f = fs()
        f.file("/srv/www/a.html")
        XCTAssertEqual(PathWalk.check("/srv/www/b.html", as: wwwData, in: f).outcome, .missing(component: "/srv/www/b.html"))
        XCTAssertEqual(PathWalk.check("/srv/www/b.html", as: wwwData, in: f).status, 404)
        XCTAssertEqual(PathWalk.check("/srv/www/a.html/x", as: wwwData, in: f).outcome, .notADirectory(component: "/srv/www/a.html"))
        XCTAssertEqual(PathWalk.check("/srv/www/a.html/", as: wwwData, in: f).outcome, .notADirectory(component: "/srv/www/a.html"))
    }

    func testDeniedBeforeMissingAndLaterProblemsAlsoReported() {
        var f = fs()
        f.directory("/srv/www", mode: 0o700)
        f.file("/srv/www/a.html", mode: 0o600)
        let r = PathWalk.check("/srv/www/a.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .denied(component: "/srv/www"))
        XCTAssertEqual(r.findings.compactMap { $0.details?["component"] }, [.string("/srv/www"), .string("/srv/www/a.html")])
        f.directory("/srv/www2", mode: 0o700)
        XCTAssertEqual(PathWalk.check("/srv/www2/nothing", as: wwwData, in: f).outcome, .denied(component: "/srv/www2"))
    }

    func testListAndReach() {
        var f = fs()
        f.directory("/srv/www", mode: 0o711)
        f.file("/srv/www/a.html", mode: 0o000)
        XCTAssertEqual(PathWalk.check("/srv/www", as: wwwData, need: .list, in: f).outcome, .denied(component: "/srv/www"))
        XCTAssertEqual(PathWalk.check("/srv/www/a.html", as: wwwData, need: .reach, in: f).outcome, .allowed)
        XCTAssertEqual(PathWalk.check("/srv/www/a.html", as: wwwData, need: .read, in: f).outcome, .denied(component: "/srv/www/a.html"))
        f.directory("/srv/www", mode: 0o755)
        XCTAssertEqual(PathWalk.check("/srv/www/", as: wwwData, need: .list, in: f).outcome, .allowed)
    }

    func testSELinuxLabelOutsideWebContent() throws {
        var f = fs(selinux: true)
        f.file("/var/www/html/index.html", label: "system_u:object_r:httpd_sys_content_t:s0")
        f.file("/var/www/html/moved.html", label: "unconfined_u:object_r:user_home_t:s0")
        XCTAssertEqual(PathWalk.check("/var/www/html/index.html", as: wwwData, in: f).outcome, .allowed)
        let r = PathWalk.check("/var/www/html/moved.html", as: wwwData, in: f)
        XCTAssertEqual(r.status, 403)
        let finding = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(finding.cause, .fsSELinux)
        XCTAssertEqual(finding.layer, .selinux)
        XCTAssertEqual(finding.confidence, .likely)
        XCTAssertTrue(finding.fixes.flatMap(\.commands).contains("restorecon -Rv /var/www/html"))
        XCTAssertTrue(finding.fixes.flatMap(\.commands).contains { $0.hasPrefix("semanage fcontext -a -t httpd_sys_content_t") })
    }

    func testSELinuxPermissiveOnlyNotes() {
        var f = InMemoryFileSystem(selinuxEnabled: true, selinuxEnforcing: false)
        f.file("/var/www/html/moved.html", label: "unconfined_u:object_r:user_home_t:s0")
        let r = PathWalk.check("/var/www/html/moved.html", as: wwwData, in: f)
        XCTAssertEqual(r.outcome, .allowed)
        XCTAssertTrue(r.notes.contains { $0.contains("permissive") && $0.contains("user_home_t") }, "\(r.notes)")
        var g = InMemoryFileSystem(selinuxEnabled: true)
        g.file("/var/www/html/x.html")
        XCTAssertTrue(PathWalk.check("/var/www/html/x.html", as: wwwData, in: g).notes.contains { $0.contains("no security.selinux label") })
    }

    func testQuotingOfPathsInFixes() {
        var f = fs()
        f.file("/srv/my site/it's.html", mode: 0o640)
        let r = PathWalk.check("/srv/my site/it's.html", as: wwwData, in: f)
        XCTAssertEqual(r.findings.first?.fixes.first?.commands, ["chmod o+r '/srv/my site/it'\\''s.html'"])
    }

    func testModeStrings() {
        XCTAssertEqual(PathWalk.modeString(FileInfo(kind: .directory, mode: 0o1777, uid: 0, gid: 0)), "drwxrwxrwt")
        XCTAssertEqual(PathWalk.modeString(FileInfo(kind: .regular, mode: 0o4754, uid: 0, gid: 0)), "-rwsr-xr--")
        XCTAssertEqual(PathWalk.modeString(FileInfo(kind: .regular, mode: 0o2640, uid: 0, gid: 0,
                                                    acl: [ACLEntry(tag: .mask, permissions: 4)])), "-rw-r-S---+")
    }

    func testACLCodecRoundTrip() {
        let entries = [ACLEntry(tag: .userObj, permissions: 7), ACLEntry(tag: .user, qualifier: 33, permissions: 5),
                       ACLEntry(tag: .groupObj, permissions: 5), ACLEntry(tag: .group, qualifier: 70000, permissions: 4),
                       ACLEntry(tag: .mask, permissions: 5), ACLEntry(tag: .other, permissions: 0)]
        XCTAssertEqual(ACLCodec.decode(ACLCodec.encode(entries)), entries)
        XCTAssertNil(ACLCodec.decode([1, 0, 0, 0]))
        XCTAssertNil(ACLCodec.decode([2, 0, 0, 0, 1]))
    }

    /// Bounded random walks: random trees, links and paths never crash or hang, and every outcome is
    /// consistent with its status.
    func testFuzzRandomTrees() {
        var seed: UInt64 = 42
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        let names = ["a", "b", "c", "..", ".", "l"]
        for _ in 0..<500 {
            var f = fs()
            for _ in 0..<8 {
                let depth = Int(next() % 4) + 1
                let path = "/" + (0..<depth).map { _ in names[Int(next() % 3)] }.joined(separator: "/")
                switch next() % 3 {
                case 0: f.directory(path, mode: UInt32(next() % 0o1000), uid: UInt32(next() % 2) * Self.www)
                case 1: f.file(path, mode: UInt32(next() % 0o1000))
                default:
                    let target = (next() % 2 == 0 ? "/" : "") + (0..<Int(next() % 3 + 1)).map { _ in names[Int(next() % 6)] }.joined(separator: "/")
                    f.symlink(path, to: target)
                }
            }
            let path = "/" + (0..<Int(next() % 5 + 1)).map { _ in names[Int(next() % 6)] }.joined(separator: "/")
            for need in [AccessNeed.read, .list, .reach] {
                let r = PathWalk.check(path, as: wwwData, need: need, in: f)
                if r.outcome == .allowed { XCTAssertTrue(r.findings.isEmpty, path) }
                if r.status == 403 { XCTAssertFalse(r.findings.isEmpty, path) }
                XCTAssertLessThanOrEqual(r.steps.count, 200)
            }
        }
    }
}
