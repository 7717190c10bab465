import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403Apache
import Why403TestSupport

/// Regression tests, on an in-memory filesystem, for the simulator fixes the section differential
/// suite found (issue 14, part 3); each case is also in `ApacheSectionDifferentialTests` against httpd.
final class SectionRegressionTests: XCTestCase {
    func site(_ conf: String, modules: [String] = [], _ extra: (inout InMemoryFileSystem) -> Void = { _ in }) -> InMemoryFileSystem {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        let loads = (["authz_core", "authz_host", "dir"] + modules).map { "LoadModule \($0)_module m/mod_\($0).so" }
        fs.file("/srv/httpd.conf", loads.joined(separator: "\n") + """

        User www-data
        DocumentRoot /var/www
        \(conf)
        """)
        fs.file("/var/www/index.html", "hi")
        extra(&fs)
        return fs
    }

    func analyze(_ fs: InMemoryFileSystem, _ url: String, method: String = "GET") throws -> Report {
        try ApacheAnalyzer.analyze(ApacheAnalyzer.Input(configPath: "/srv/httpd.conf",
                                                       request: Request(method: method, url: url, headers: [], clientIP: "198.51.100.7"),
                                                       fileSystem: fs))
    }

    /// `<DirectoryMatch>` is matched against the request's file name, not the directory.
    func testDirectoryMatchIsMatchedAgainstTheFileName() throws {
        let fs = site("""
        <Directory /var/www>
            Require all granted
        </Directory>
        <DirectoryMatch "/exact$">
            Require all denied
        </DirectoryMatch>
        <DirectoryMatch "/fileish/a\\.txt$">
            Require all denied
        </DirectoryMatch>
        """) { fs in
            fs.file("/var/www/exact/a.txt", "a"); fs.file("/var/www/fileish/a.txt", "a"); fs.file("/var/www/fileish/b.txt", "b")
        }
        XCTAssertEqual(try analyze(fs, "http://x/exact/a.txt").verdict.status, 200)
        XCTAssertEqual(try analyze(fs, "http://x/exact").verdict.cause, .accessDeny)
        XCTAssertEqual(try analyze(fs, "http://x/fileish/a.txt").verdict.cause, .accessDeny)
        XCTAssertEqual(try analyze(fs, "http://x/fileish/b.txt").verdict.status, 200)
    }

    /// With no AllowOverride anywhere httpd 2.4 still reads .htaccess, and refuses every directive in it.
    func testHtaccessWithNoAllowOverrideAnywhereIsA500() throws {
        let fs = site("""
        <Directory /var/www>
            Require all granted
        </Directory>
        """) { fs in
            fs.file("/var/www/deny/.htaccess", "# closed\nRequire all denied\n"); fs.file("/var/www/deny/a.txt", "a")
            fs.file("/var/www/mod/.htaccess", "<IfModule rewrite_module>\n</IfModule>\n"); fs.file("/var/www/mod/a.txt", "a")
            fs.file("/var/www/comments/.htaccess", "# nothing\n"); fs.file("/var/www/comments/a.txt", "a")
        }
        let r = try analyze(fs, "http://x/deny/a.txt")
        XCTAssertEqual(r.verdict.status, 500)
        XCTAssertEqual(r.verdict.cause, .configError)
        XCTAssertTrue(r.findings[0].summary.contains("no AllowOverride applies"), r.findings[0].summary)
        XCTAssertEqual(r.findings[0].evidence.first?.source, "/var/www/deny/.htaccess:2")
        XCTAssertEqual(try analyze(fs, "http://x/mod/a.txt").verdict.status, 500)
        XCTAssertEqual(try analyze(fs, "http://x/comments/a.txt").verdict.status, 200)
    }

    /// `Redirect` in a .htaccess (mod_alias's fixup); with only `AllowOverrideList Redirect` and no
    /// `AllowOverride`, it is allowed and everything else is a 500.
    func testRedirectInHtaccessUnderAllowOverrideList() throws {
        let fs = site("""
        <Directory /var/www>
            Require all granted
            AllowOverrideList Redirect
        </Directory>
        """, modules: ["alias"]) { fs in
            fs.file("/var/www/old/.htaccess", "Redirect 301 /old/a.txt http://example.test/\n"); fs.file("/var/www/old/a.txt", "a")
            fs.file("/var/www/deny/.htaccess", "Require all denied\n"); fs.file("/var/www/deny/a.txt", "a")
        }
        XCTAssertEqual(try analyze(fs, "http://x/old/a.txt").verdict.status, 301)
        XCTAssertEqual(try analyze(fs, "http://x/old/b.txt").verdict.status, 404)
        XCTAssertEqual(try analyze(fs, "http://x/deny/a.txt").verdict.cause, .configError)
    }

    /// `AllowMethods`: 405 for a method it does not list; HEAD goes with GET; `reset` lifts it.
    func testAllowMethods() throws {
        let fs = site("""
        <Directory /var/www>
            Require all granted
            AllowMethods GET
        </Directory>
        <Directory /var/www/any>
            AllowMethods reset
        </Directory>
        """, modules: ["allowmethods"]) { $0.file("/var/www/any/a.txt", "a") }
        let r = try analyze(fs, "http://x/index.html", method: "POST")
        XCTAssertEqual(r.verdict.status, 405)
        XCTAssertEqual(r.verdict.cause, .accessDeny)
        XCTAssertEqual(r.findings[0].rule, "AH01623")
        XCTAssertTrue(r.findings[0].evidence.contains { $0.text == "AllowMethods GET" }, "\(r.findings[0].evidence)")
        XCTAssertEqual(try analyze(fs, "http://x/index.html", method: "HEAD").verdict.status, 200)
        XCTAssertEqual(try analyze(fs, "http://x/any/a.txt", method: "DELETE").verdict.cause, .none)
    }

    /// `Require method GET` grants HEAD (HEAD is M_GET).
    func testRequireMethodGETGrantsHEAD() throws {
        let fs = site("""
        <Directory /var/www>
            Require method GET
        </Directory>
        """)
        XCTAssertEqual(try analyze(fs, "http://x/index.html", method: "HEAD").verdict.status, 200)
        XCTAssertEqual(try analyze(fs, "http://x/index.html", method: "PUT").verdict.cause, .accessDeny)
    }

    /// `ErrorDocument 403` with a full URL is a 302 to it; a local path or text keeps the 403.
    func testErrorDocumentWithAURLRedirects() throws {
        let fs = site("""
        <Directory /var/www>
            Require all denied
            ErrorDocument 403 http://example.test/denied
        </Directory>
        <Directory /var/www/text>
            ErrorDocument 403 "http://not-a-redirect"
        </Directory>
        <Directory /var/www/local>
            ErrorDocument 403 /errors/403.html
        </Directory>
        """) { fs in fs.file("/var/www/text/a.txt", "a"); fs.file("/var/www/local/a.txt", "a") }
        let r = try analyze(fs, "http://x/index.html")
        XCTAssertEqual(r.verdict.status, 302)
        XCTAssertEqual(r.verdict.cause, .accessDeny)
        XCTAssertTrue(r.notes.contains { $0.contains("302 redirect to http://example.test/denied") }, "\(r.notes)")
        XCTAssertEqual(try analyze(fs, "http://x/text/a.txt").verdict.status, 403)
        // A refusal during the directory walk takes the server-level ErrorDocument only.
        var walk = site("""
        ErrorDocument 403 http://example.test/server
        <Directory /var/www>
            Require all granted
            Options -FollowSymLinks
            ErrorDocument 403 http://example.test/dir
        </Directory>
        """) { fs in fs.file("/var/www/real.txt", "r"); fs.symlink("/var/www/link.txt", to: "/var/www/real.txt") }
        var r2 = try analyze(walk, "http://x/link.txt")
        XCTAssertEqual(r2.verdict.status, 302)
        XCTAssertEqual(r2.verdict.cause, .fsSymlink)
        XCTAssertTrue(r2.notes.contains { $0.contains("http://example.test/server") }, "\(r2.notes)")
        walk = site("""
        <Directory /var/www>
            Require all granted
            Options -FollowSymLinks
            ErrorDocument 403 http://example.test/dir
        </Directory>
        """) { fs in fs.file("/var/www/real.txt", "r"); fs.symlink("/var/www/link.txt", to: "/var/www/real.txt") }
        r2 = try analyze(walk, "http://x/link.txt")
        XCTAssertEqual(r2.verdict.status, 403)
        XCTAssertEqual(try analyze(fs, "http://x/local/a.txt").verdict.status, 403)
    }
}
