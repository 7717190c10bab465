import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport
@testable import Why403Nginx

/// Regression tests, on an in-memory filesystem, for the simulator fixes `EdgeDifferentialTests` found
/// against the real nginx (issue 14, part 3).
final class EdgeRegressionTests: XCTestCase {
    func analyze(_ server: String, _ path: String, fs: InMemoryFileSystem) throws -> Report {
        let conf = """
        user www-data;
        events {}
        http { server { listen 80; root /srv/site; \(server) } }
        """
        let req = try Request(method: "GET", url: "http://x" + path, headers: [], clientIP: "203.0.113.9")
        return try NginxAnalyzer.analyze(.init(config: .text(conf, path: "/etc/nginx/nginx.conf"), request: req, fileSystem: fs))
    }

    func site() -> InMemoryFileSystem {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.directory("/srv/site")
        return fs
    }

    /// A directory requested without its slash is opened before the redirect: unreadable is 403.
    func testDirectoryWithoutSlashTheWorkerCannotRead() throws {
        var fs = site()
        fs.directory("/srv/site/closed", mode: 0o700); fs.file("/srv/site/closed/index.html")
        fs.directory("/srv/site/nosearch", mode: 0o744)
        let r = try analyze("", "/closed", fs: fs)
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .fsPermission)
        XCTAssertEqual(try analyze("", "/nosearch", fs: fs).verdict.status, 301)
    }

    /// disable_symlinks on: a link in the middle of the path is ENOTDIR, a 404; the last one is a 403.
    func testDisableSymlinksLinkInTheMiddleIs404() throws {
        var fs = site()
        fs.directory("/srv/site/real"); fs.file("/srv/site/real/f.txt")
        fs.symlink("/srv/site/mid", to: "/srv/site/real"); fs.symlink("/srv/site/last.txt", to: "/srv/site/real/f.txt")
        let middle = try analyze("disable_symlinks on;", "/mid/f.txt", fs: fs)
        XCTAssertEqual(middle.verdict.status, 404)
        XCTAssertEqual(middle.verdict.cause, .fsSymlink)
        XCTAssertTrue(middle.findings[0].summary.contains("Not a directory"), middle.findings[0].summary)
        XCTAssertEqual(try analyze("disable_symlinks on;", "/last.txt", fs: fs).verdict.status, 403)
        // (if_not_owner with a middle link is covered against the real filesystem by EdgeDifferentialTests:
        // InMemoryFileSystem's path walk does not follow a link in the middle of a path.)
    }
}
