import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport

/// The `fs` report and the choice of the server's user.
final class FSAnalyzerTests: XCTestCase {
    func base() -> InMemoryFileSystem {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.user("nginx", uid: 101, gid: 101)
        fs.user("apache", uid: 48, gid: 48)
        fs.user("nobody", uid: 65534, gid: 65534)
        return fs
    }

    func testNginxUserDirective() {
        var fs = base()
        fs.file("/etc/nginx/nginx.conf", "# user root;\nworker_processes auto;\n\nuser  nginx  nginx; # the workers\nhttp { user x; }\n")
        XCTAssertEqual(ServerUser.detect(in: fs), .init(name: "nginx", reason: "the user directive of nginx (/etc/nginx/nginx.conf:4)"))
    }

    func testNginxWithoutUserDirectiveIsNobody() {
        var fs = base()
        fs.file("/etc/nginx/nginx.conf", "events {}\nhttp { server { listen 80; } }\n")
        XCTAssertEqual(ServerUser.detect(in: fs).name, "nobody")
    }

    func testDebianApacheEnvvars() {
        var fs = base()
        fs.file("/etc/apache2/apache2.conf", "# User nope\nUser ${APACHE_RUN_USER}\nGroup ${APACHE_RUN_GROUP}\n")
        fs.file("/etc/apache2/envvars", "unset HOME\nexport APACHE_RUN_USER=www-data\n")
        let choice = ServerUser.detect(in: fs)
        XCTAssertEqual(choice.name, "www-data")
        XCTAssertTrue(choice.reason.contains("/etc/apache2/apache2.conf:2"), choice.reason)
        XCTAssertTrue(choice.reason.contains("/etc/apache2/envvars:2"), choice.reason)
    }

    func testRedHatHttpd() {
        var fs = base()
        fs.file("/etc/httpd/conf/httpd.conf", "ServerRoot \"/etc/httpd\"\nUser apache\n")
        XCTAssertEqual(ServerUser.detect(in: fs).name, "apache")
    }

    func testDefaultIsWwwData() {
        XCTAssertEqual(ServerUser.detect(in: base()).name, "www-data")
    }

    func testReportForDeniedFile() throws {
        var fs = base()
        fs.file("/etc/nginx/nginx.conf", "user www-data;\n")
        fs.directory("/srv/site", mode: 0o700)
        fs.file("/srv/site/index.html")
        let report = try FSAnalyzer.analyze(.init(path: "site/index.html", cwd: "/srv", fileSystem: fs))
        XCTAssertEqual(report.subject.kind, "fs")
        XCTAssertEqual(report.subject.path, "/srv/site/index.html")
        XCTAssertEqual(report.subject.extra["user"], .string("www-data"))
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .filesystem, cause: .fsPermission))
        XCTAssertTrue(report.notes.contains { $0.contains("user www-data: the user directive of nginx") })
        XCTAssertEqual(report.findings.first?.fixes.first?.commands, ["setfacl -m u:www-data:x /srv/site"])
    }

    func testReportForAllowedMissingAndDirectory() throws {
        var fs = base()
        fs.file("/srv/site/index.html")
        let ok = try FSAnalyzer.analyze(.init(path: "/srv/site/index.html", user: "www-data", fileSystem: fs))
        XCTAssertEqual(ok.verdict, Verdict(status: 200, layer: .none, cause: .none))
        let missing = try FSAnalyzer.analyze(.init(path: "/srv/site/nope.html", user: "www-data", fileSystem: fs))
        XCTAssertEqual(missing.verdict.status, 404)
        XCTAssertTrue(missing.notes.contains { $0.contains("does not exist") })
        fs.directory("/srv/site", mode: 0o711)
        let dir = try FSAnalyzer.analyze(.init(path: "/srv/site", user: "www-data", fileSystem: fs))
        XCTAssertEqual(dir.verdict.status, 403, "a directory that cannot be listed")
    }

    func testUnknownUserIsAnInputError() {
        XCTAssertThrowsError(try FSAnalyzer.analyze(.init(path: "/", user: "no-such-user", fileSystem: base()))) { error in
            XCTAssertTrue(String(describing: error).contains("\"no-such-user\""), "\(error)")
        }
    }
}
