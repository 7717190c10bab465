import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// `why403 fs` end to end: the built binary on a real tree, real users and ACLs.
final class FSCLITests: XCTestCase {
    var user = ""

    override func setUpWithError() throws {
        for tool in ["useradd", "userdel", "setfacl"] { _ = try RealTools.require(tool) }
        guard getuid() == 0 else { throw XCTSkip("needs root to make a user") }
        user = "w4c" + String(UInt32.random(in: 0..<1_000_000), radix: 36)
        XCTAssertEqual(try Run.shell("useradd -M -U -s /usr/sbin/nologin \(user)").status, 0)
    }

    override func tearDownWithError() throws {
        if !user.isEmpty { try Run.shell("userdel \(user); groupdel \(user) 2>/dev/null; true") }
    }

    func testDeniedDirectoryJSON() throws {
        let tmp = try TemporaryDirectory(prefix: "why403-fs-cli")
        defer { tmp.remove() }
        try tmp.write("site/index.html", "<h1>hi</h1>", mode: 0o644)
        chmod(tmp.path + "/site", 0o750)
        let r = try Run.why403(["fs", tmp.path + "/site/index.html", "--user", user, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "fs")
        XCTAssertEqual(report.subject.path, tmp.path + "/site/index.html")
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .filesystem, cause: .fsPermission))
        let finding = try XCTUnwrap(report.findings.first)
        XCTAssertEqual(finding.confidence, .certain)
        XCTAssertEqual(finding.fixes.first?.commands, ["chmod o+x \(tmp.path)/site"])
        XCTAssertTrue(finding.evidence.contains { $0.source == "path \(tmp.path)/site" && $0.text.hasPrefix("drwxr-x--- root:root") }, "\(finding.evidence)")
    }

    func testACLGrantTextOutput() throws {
        let tmp = try TemporaryDirectory(prefix: "why403-fs-cli")
        defer { tmp.remove() }
        try tmp.write("private/report.pdf", "x", mode: 0o600)
        chmod(tmp.path + "/private", 0o700)
        XCTAssertEqual(try Run.shell("setfacl -m u:\(user):x '\(tmp.path)/private'; setfacl -m u:\(user):r '\(tmp.path)/private/report.pdf'").status, 0)
        let r = try Run.why403(["fs", tmp.path + "/private/report.pdf", "--user", user])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("200"), r.stdout)
    }

    func testMissingIs404AndDirectoryIsListed() throws {
        let tmp = try TemporaryDirectory(prefix: "why403-fs-cli")
        defer { tmp.remove() }
        let r = try Run.why403(["fs", tmp.path + "/nothing.html", "--user", user, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try decodeReport(r.stdout).verdict.status, 404)
        let d = try Run.why403(["fs", tmp.path, "--user", user, "--format", "json"])
        let report = try decodeReport(d.stdout)
        XCTAssertEqual(report.verdict.status, 200)
        XCTAssertTrue(report.notes.contains { $0.contains("is a directory") }, "\(report.notes)")
    }

    func testDefaultUserIsNamedInANote() throws {
        let r = try Run.why403(["fs", "/etc/hostname", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertTrue(report.notes.contains { $0.hasPrefix("user ") && $0.contains("--user") }, "\(report.notes)")
    }

    func testUnknownUserExits2() throws {
        let r = try Run.why403(["fs", "/etc/hostname", "--user", "no-such-user-w403"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no-such-user-w403"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testRelativePathAndMarkdown() throws {
        let tmp = try TemporaryDirectory(prefix: "why403-fs-cli")
        defer { tmp.remove() }
        try tmp.write("a.txt", "x", mode: 0o600)
        let exe = Run.productsDirectory.appendingPathComponent("why403").path
        let r = try Run.shell("cd '\(tmp.path)' && NO_COLOR=1 '\(exe)' fs a.txt --user \(user) --format markdown")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("setfacl -m u:\(user):r \(tmp.path)/a.txt"), r.stdout)
    }
}
