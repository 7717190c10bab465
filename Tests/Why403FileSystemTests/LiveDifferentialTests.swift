import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport

/// PathWalk on the live filesystem against what really happens when the user opens the path
/// (`runuser -u USER -- cat|ls|stat`): real users, groups, modes, ACLs and symbolic links made by the
/// test. Every denial's first fix is then applied (by the test, never by why403) and must give access.
final class LiveDifferentialTests: XCTestCase {
    struct Case {
        var name: String
        /// Shell lines run in the case directory ($T); $A is the server user, $B another user,
        /// $G a group A is in (supplementary), $P A's primary group, $H a group A is not in.
        var setup: String
        var path: String
        var need: AccessNeed = .read
        var expect: Expect
    }
    enum Expect: String { case allowed, denied, missing, notDir }

    static let cases: [Case] = [
        Case(name: "plain 755/644", setup: "mkdir d; echo x > d/f; chmod 755 d; chmod 644 d/f", path: "d/f", expect: .allowed),
        Case(name: "dir 700 root", setup: "mkdir d; echo x > d/f; chmod 700 d", path: "d/f", expect: .denied),
        Case(name: "dir 750 supplementary group", setup: "mkdir d; echo x > d/f; chgrp $G d; chmod 750 d", path: "d/f", expect: .allowed),
        Case(name: "dir 750 foreign group", setup: "mkdir d; echo x > d/f; chgrp $H d; chmod 750 d", path: "d/f", expect: .denied),
        Case(name: "group class exclusive", setup: "mkdir d; echo x > d/f; chgrp $G d; chmod 705 d", path: "d/f", expect: .denied),
        Case(name: "primary group file 640", setup: "mkdir d; echo x > d/f; chmod 711 d; chgrp $P d/f; chmod 640 d/f", path: "d/f", expect: .allowed),
        Case(name: "file 600 root", setup: "echo x > f; chmod 600 f", path: "f", expect: .denied),
        Case(name: "owner class exclusive", setup: "echo x > f; chown $A f; chmod 044 f", path: "f", expect: .denied),
        Case(name: "other read, owner B", setup: "echo x > f; chown $B f; chmod 044 f", path: "f", expect: .allowed),
        Case(name: "acl named user x on 700 dir", setup: "mkdir d; echo x > d/f; chmod 700 d; setfacl -m u:$A:x d", path: "d/f", expect: .allowed),
        Case(name: "acl named user r on 600 file", setup: "echo x > f; chmod 600 f; setfacl -m u:$A:r f", path: "f", expect: .allowed),
        Case(name: "acl mask --- on 600", setup: "echo x > f; chmod 600 f; setfacl -m u:$A:r f; setfacl -m m::--- f", path: "f", expect: .denied),
        Case(name: "acl mask --- with other r", setup: "echo x > f; chmod 600 f; setfacl -m u:$A:r f; setfacl -m m::--- f; chmod o+r f", path: "f", expect: .allowed),
        Case(name: "acl named group r", setup: "echo x > f; chgrp $H f; chmod 640 f; setfacl -m g:$G:r f", path: "f", expect: .allowed),
        Case(name: "acl named group --- beats other", setup: "echo x > f; chmod 644 f; setfacl -m g:$G:--- f", path: "f", expect: .denied),
        Case(name: "acl named user masked on dir", setup: "mkdir d; echo x > d/f; chmod 700 d; setfacl -m u:$A:rx d; setfacl -m m::r d", path: "d/f", expect: .denied),
        Case(name: "acl other user only", setup: "mkdir d; echo x > d/f; chmod 700 d; setfacl -m u:$B:rx d", path: "d/f", expect: .denied),
        Case(name: "symlink relative", setup: "mkdir real; echo x > real/f; ln -s real/f link", path: "link", expect: .allowed),
        Case(name: "symlink absolute into 700", setup: "mkdir priv; echo x > priv/f; chmod 700 priv; ln -s $T/priv/f link", path: "link", expect: .denied),
        Case(name: "symlink loop", setup: "ln -s l2 l1; ln -s l1 l2", path: "l1", expect: .denied),
        Case(name: "dangling symlink", setup: "ln -s nowhere/f link", path: "link", expect: .missing),
        Case(name: "missing file", setup: "mkdir d", path: "d/nothing", expect: .missing),
        Case(name: "file as directory", setup: "echo x > f", path: "f/x", expect: .notDir),
        Case(name: "trailing slash on file", setup: "echo x > f", path: "f/", expect: .notDir),
        Case(name: "symlinked dir", setup: "mkdir d; echo x > d/f; ln -s d dl", path: "dl/f", expect: .allowed),
        Case(name: "dot-dot through 700", setup: "mkdir a b; echo x > b/f; chmod 700 a", path: "a/../b/f", expect: .denied),
        Case(name: "dot-dot through 711", setup: "mkdir a b; echo x > b/f; chmod 711 a", path: "a/../b/f", expect: .allowed),
        Case(name: "link with dot-dot", setup: "mkdir sub real; echo x > real/f; ln -s ../real/f sub/link", path: "sub/link", expect: .allowed),
        Case(name: "list 755", setup: "mkdir d; echo x > d/f; chmod 755 d", path: "d", need: .list, expect: .allowed),
        Case(name: "list 711", setup: "mkdir d; echo x > d/f; chmod 711 d", path: "d", need: .list, expect: .denied),
        Case(name: "list 744", setup: "mkdir d; echo x > d/f; chmod 744 d", path: "d", need: .list, expect: .denied),
        Case(name: "list 750 group", setup: "mkdir d; echo x > d/f; chgrp $G d; chmod 750 d", path: "d", need: .list, expect: .allowed),
        Case(name: "list via acl", setup: "mkdir d; echo x > d/f; chmod 700 d; setfacl -m u:$A:rx d", path: "d", need: .list, expect: .allowed),
        Case(name: "reach file 000", setup: "mkdir d; echo x > d/f; chmod 000 d/f", path: "d/f", need: .reach, expect: .allowed),
        Case(name: "reach in 700", setup: "mkdir d; echo x > d/f; chmod 700 d", path: "d/f", need: .reach, expect: .denied),
        Case(name: "deep chain", setup: "mkdir -p a/b/c/d; echo x > a/b/c/d/f; chgrp $H a/b/c; chmod 750 a/b/c", path: "a/b/c/d/f", expect: .denied),
        Case(name: "sticky and setuid", setup: "mkdir d; echo x > d/f; chmod 1777 d; chmod 4644 d/f", path: "d/f", expect: .allowed),
        Case(name: "owner dir 077", setup: "mkdir d; echo x > d/f; chown $A d; chmod 077 d", path: "d/f", expect: .denied),
        Case(name: "two problems", setup: "mkdir d; echo x > d/f; chmod 700 d; chmod 600 d/f", path: "d/f", expect: .denied),
        Case(name: "home-like private dir", setup: "mkdir -p home/u/site; echo x > home/u/site/f; chown -R $B home/u; chmod 750 home/u", path: "home/u/site/f", expect: .denied),
        Case(name: "file group no read other read", setup: "echo x > f; chgrp $G f; chmod 604 f", path: "f", expect: .denied),
    ]

    var names: [String: String] = [:]

    override func setUpWithError() throws {
        for tool in ["useradd", "groupadd", "userdel", "groupdel", "runuser", "setfacl"] { _ = try RealTools.require(tool) }
        guard getuid() == 0 else { throw XCTSkip("needs root to make users") }
        let tag = String(UInt32.random(in: 0..<1_000_000), radix: 36)
        names = ["A": "w4s\(tag)", "B": "w4o\(tag)", "G": "w4g\(tag)", "P": "w4p\(tag)", "H": "w4h\(tag)"]
        let n = names
        let r = try Run.shell("""
            set -e
            groupadd \(n["G"]!); groupadd \(n["P"]!); groupadd \(n["H"]!)
            useradd -M -N -s /usr/sbin/nologin -g \(n["P"]!) -G \(n["G"]!) \(n["A"]!)
            useradd -M -N -s /usr/sbin/nologin -g \(n["H"]!) \(n["B"]!)
            """)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    override func tearDownWithError() throws {
        guard let a = names["A"] else { return }
        try Run.shell("userdel \(a); userdel \(names["B"]!); groupdel \(names["G"]!); groupdel \(names["P"]!); groupdel \(names["H"]!)")
    }

    /// What the kernel answers when A really does it.
    func real(_ path: String, need: AccessNeed) throws -> Expect {
        let a = names["A"]!
        let r: ProcessResult
        switch need {
        case .read: r = try Run.program("/usr/sbin/runuser", ["-u", a, "--", "cat", "--", path])
        case .list: r = try Run.program("/usr/sbin/runuser", ["-u", a, "--", "sh", "-c", "ls -1 --color=never -- \"$1\" >/dev/null && cd -- \"$1\"", "sh", path])
        case .reach: r = try Run.program("/usr/sbin/runuser", ["-u", a, "--", "stat", "-L", "--", path])
        }
        if r.status == 0 { return .allowed }
        if r.stderr.contains("Permission denied") || r.stderr.contains("Too many levels") || r.stderr.contains("can't cd") { return .denied }
        if r.stderr.contains("Not a directory") { return .notDir }
        if r.stderr.contains("No such file") { return .missing }
        XCTFail("unexpected: \(r.stderr)")
        return .denied
    }

    func expectOf(_ a: PathAccess) -> Expect {
        switch a.outcome {
        case .allowed: .allowed
        case .denied: .denied
        case .missing: .missing
        case .notADirectory: .notDir
        }
    }

    func substitute(_ s: String, _ dir: String) -> String {
        var s = s.replacingOccurrences(of: "$T", with: dir)
        for (k, v) in names { s = s.replacingOccurrences(of: "$" + k, with: v) }
        return s
    }

    func testPathWalkAgreesWithTheKernel() throws {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 30)
        let base = try TemporaryDirectory(prefix: "why403-fs-diff")
        defer { base.remove() }
        let fs = LiveFileSystem()
        let user = try XCTUnwrap(fs.user(named: names["A"]!))
        XCTAssertEqual(user.groups.count, 2, "primary and one supplementary group")
        var compared = 0, fixed = 0
        for (i, c) in Self.cases.enumerated() {
            let dir = base.path + "/case\(i)"
            let setup = try Run.shell("set -e; mkdir -p '\(dir)'; cd '\(dir)'; " + substitute(c.setup, dir))
            XCTAssertEqual(setup.status, 0, "\(c.name): \(setup.stderr)")
            let path = dir + "/" + c.path
            let truth = try real(path, need: c.need)
            let walk = PathWalk.check(path, as: user, need: c.need, in: fs)
            XCTAssertEqual(truth, c.expect, "\(c.name): the case itself is not what it says")
            XCTAssertEqual(expectOf(walk), truth, "\(c.name): PathWalk \(walk.outcome), kernel \(truth)\n\(walk.findings.map(\.summary))")
            compared += 1
            if truth == .denied, walk.findings.first?.cause == .fsPermission {
                XCTAssertEqual(walk.findings.first?.confidence, .certain)
                // Apply the first fix of every finding, as a person would, and try again.
                for finding in walk.findings {
                    for command in finding.fixes.first?.commands ?? [] {
                        XCTAssertFalse(command.contains("777"), command)
                        let r = try Run.shell(command)
                        XCTAssertEqual(r.status, 0, "\(c.name): \(command): \(r.stderr)")
                    }
                }
                XCTAssertEqual(try real(path, need: c.need), .allowed, "\(c.name): the fix did not give access: \(walk.findings.map(\.fixes))")
                XCTAssertEqual(PathWalk.check(path, as: user, need: c.need, in: fs).outcome, .allowed, c.name)
                fixed += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 30)
        XCTAssertGreaterThanOrEqual(fixed, 10)
    }

    /// The status PathWalk predicts against the real nginx serving the same tree as user A
    /// (`user A P;`, `autoindex on`): 200, 403 (EACCES, ELOOP) or 404 (ENOENT, ENOTDIR). Cases whose
    /// path has `..` are left out (nginx normalizes the URI) and so are `reach` cases.
    func testStatusAgreesWithRealNginx() throws {
        let nginx = try RealTools.require("nginx")
        let curl = try RealTools.require("curl")
        let base = try TemporaryDirectory(prefix: "why403-fs-nginx")
        defer { base.remove() }
        let www = base.path + "/www"
        let port = RealTools.freePort()
        try base.write("nginx.conf", """
            user \(names["A"]!) \(names["P"]!);
            worker_processes 1;
            pid \(base.path)/nginx.pid;
            error_log \(base.path)/error.log info;
            events { worker_connections 64; }
            http {
                access_log off;
                server {
                    listen 127.0.0.1:\(port);
                    root \(www);
                    autoindex on;
                }
            }
            """)
        var expected: [(String, String, Int)] = []
        let fs = LiveFileSystem()
        let user = try XCTUnwrap(fs.user(named: names["A"]!))
        for (i, c) in Self.cases.enumerated() where c.need != .reach && !c.path.contains("..") {
            let dir = www + "/case\(i)"
            XCTAssertEqual(try Run.shell("set -e; mkdir -p '\(dir)'; cd '\(dir)'; " + substitute(c.setup, dir)).status, 0)
            let uri = "/case\(i)/" + c.path + (c.need == .list ? "/" : "")
            let walk = PathWalk.check(www + uri, as: user, need: c.need, in: fs)
            expected.append((c.name, uri, walk.status))
        }
        // The daemon must not inherit the test's pipes: its output goes to files.
        let conf = "-p '\(base.path)' -c '\(base.path)/nginx.conf' -e '\(base.path)/startup.log'"
        let start = Self.spawnShell("'\(nginx)' \(conf) </dev/null >'\(base.path)/start.out' 2>&1")
        XCTAssertEqual(start, 0, (try? String(contentsOfFile: base.path + "/start.out", encoding: .utf8)) ?? "")
        defer { _ = Self.spawnShell("'\(nginx)' \(conf) -s stop </dev/null >/dev/null 2>&1") }
        // Wait until it answers (bounded; not a timed assertion).
        for _ in 0..<100 {
            if (try? Run.program(curl, ["-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/"]))?.status == 0 { break }
            usleep(50_000)
        }
        for (name, uri, predicted) in expected {
            let r = try Run.program(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)\(uri)"])
            XCTAssertEqual(Int(r.stdout), predicted, "\(name): \(uri): nginx \(r.stdout), why403 \(predicted)")
        }
        XCTAssertGreaterThanOrEqual(expected.count, 30)
    }

    /// Runs `sh -c command` and waits for it (`Run.detached`: nginx daemonizes); its exit status.
    static func spawnShell(_ command: String) -> Int32 {
        (try? Run.detached(["/bin/sh", "-c", command])) ?? -1
    }

    /// Root (uid 0, with the capabilities) against the kernel on the same cases: only "exists" matters.
    func testRootAgreesWithTheKernel() throws {
        let base = try TemporaryDirectory(prefix: "why403-fs-root")
        defer { base.remove() }
        let fs = LiveFileSystem()
        let root = try XCTUnwrap(fs.user(named: "root"))
        for (i, c) in Self.cases.enumerated() {
            let dir = base.path + "/case\(i)"
            XCTAssertEqual(try Run.shell("set -e; mkdir -p '\(dir)'; cd '\(dir)'; " + substitute(c.setup, dir)).status, 0)
            let path = dir + "/" + c.path
            let r: ProcessResult
            switch c.need {
            case .read: r = try Run.program("/bin/cat", ["--", path])
            case .list: r = try Run.program("/bin/sh", ["-c", "ls -1 --color=never -- \"$1\" >/dev/null && cd -- \"$1\"", "sh", path])
            case .reach: r = try Run.program("/usr/bin/stat", ["-L", "--", path])
            }
            let truth: Expect = r.status == 0 ? .allowed : r.stderr.contains("Not a directory") ? .notDir
                : r.stderr.contains("No such file") ? .missing : .denied
            XCTAssertEqual(expectOf(PathWalk.check(path, as: root, need: c.need, in: fs)), truth, "root: \(c.name): \(r.stderr)")
        }
    }

    /// The steps match `namei -l` (util-linux) component by component: mode, owner, group.
    func testStepsMatchNamei() throws {
        let namei = try RealTools.require("namei")
        let base = try TemporaryDirectory(prefix: "why403-fs-namei")
        defer { base.remove() }
        let n = names
        XCTAssertEqual(try Run.shell("""
            set -e; cd '\(base.path)'; mkdir -p a/b; echo x > a/b/f; chown \(n["B"]!):\(n["G"]!) a; chmod 2751 a
            chmod 1777 a/b; chmod 4640 a/b/f; setfacl -m u:\(n["A"]!):r a/b/f; ln -s a/b al
            """).status, 0)
        let path = base.path + "/al/f"
        let r = try Run.program(namei, ["-l", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        // namei prints "f: PATH" then one line per component: "drwxr-xr-x root root name"; a link's
        // target is walked in nested lines. Keep the mode, owner and group columns.
        let expected = r.stdout.split(separator: "\n").dropFirst().map { line -> String in
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            return cols.prefix(3).joined(separator: " ")
        }
        let fs = LiveFileSystem()
        let user = try XCTUnwrap(fs.user(named: n["A"]!))
        let walk = PathWalk.check(path, as: user, in: fs)
        var got: [String] = []
        var seen: Set<String> = []
        for (i, step) in walk.steps.enumerated() {
            guard let info = step.info else { continue }
            // namei does not repeat the directory a relative link resolves in.
            defer { seen.insert(step.path) }
            if i > 0, walk.steps[i - 1].info?.kind == .symlink, seen.contains(step.path) { continue }
            let mode = String(PathWalk.modeString(info).prefix(10))
            got.append("\(mode) \(fs.userName(info.uid) ?? String(info.uid)) \(fs.groupName(info.gid) ?? String(info.gid))")
        }
        XCTAssertEqual(walk.outcome, .allowed)
        XCTAssertEqual(got, expected, "why403: \(got)\nnamei: \(expected)")
    }

    func testReadRefusesFIFOsAndDirectoriesWithoutHanging() throws {
        let base = try TemporaryDirectory(prefix: "why403-fs-fifo")
        defer { base.remove() }
        XCTAssertEqual(mkfifo(base.path + "/pipe", 0o644), 0)
        let fs = LiveFileSystem()
        XCTAssertEqual(fs.info(base.path + "/pipe")?.kind, .other)
        for path in [base.path + "/pipe", base.path, "/dev/zero"] {
            XCTAssertThrowsError(try fs.read(path, limit: 10)) { error in
                XCTAssertEqual((error as? InputError)?.file, path)
            }
        }
    }

    func testSELinuxStateFromTheMount() throws {
        let base = try TemporaryDirectory(prefix: "why403-fs-selinux")
        defer { base.remove() }
        XCTAssertFalse(LiveFileSystem(selinuxMount: base.path + "/absent").selinuxEnabled)
        try base.write("enforce", "1")
        XCTAssertTrue(LiveFileSystem(selinuxMount: base.path).selinuxEnabled)
        XCTAssertTrue(LiveFileSystem(selinuxMount: base.path).selinuxEnforcing)
        try base.write("enforce", "0")
        XCTAssertFalse(LiveFileSystem(selinuxMount: base.path).selinuxEnforcing)
    }

    func testLiveInfoReadsACLAndSymlink() throws {
        let base = try TemporaryDirectory(prefix: "why403-fs-live")
        defer { base.remove() }
        try base.write("f", "hello", mode: 0o640)
        XCTAssertEqual(try Run.shell("setfacl -m u:\(names["A"]!):r '\(base.path)/f' && ln -s f '\(base.path)/l'").status, 0)
        let fs = LiveFileSystem()
        let info = try XCTUnwrap(fs.info(base.path + "/f"))
        XCTAssertEqual(info.kind, .regular)
        XCTAssertEqual(info.mode, 0o640)
        let uid = try XCTUnwrap(fs.user(named: names["A"]!)).uid
        XCTAssertTrue(info.acl?.contains(ACLEntry(tag: .user, qualifier: uid, permissions: 4)) ?? false, "\(String(describing: info.acl))")
        XCTAssertEqual(fs.info(base.path + "/l")?.kind, .symlink)
        XCTAssertEqual(fs.info(base.path + "/l")?.symlinkTarget, "f")
        XCTAssertEqual(try fs.read(base.path + "/f", limit: 3), Array("hel".utf8))
        XCTAssertEqual(fs.list(base.path), ["f", "l"])
        XCTAssertNil(fs.info(base.path + "/nothing"))
        XCTAssertThrowsError(try fs.read(base.path + "/nothing", limit: 10))
        XCTAssertEqual(fs.userName(0), "root")
        XCTAssertEqual(fs.groupName(0), "root")
        XCTAssertEqual(fs.user(named: "0")?.name, "root")
        XCTAssertNil(fs.user(named: "no-such-user-w403"))
    }
}
