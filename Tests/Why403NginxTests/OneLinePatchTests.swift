import Foundation
import XCTest
import Why403Core
import Why403Nginx
import Why403FileSystem
import Why403TestSupport

/// The fix's patch when the directive shares its line with others (`location /a { allow …; deny all; }`): the edit is
/// made inside the line, `patch` applies it, the real `nginx -t` accepts the result, and why403 then lets the request
/// through. Session 33's QA found the `allow` added at server level (nginx does not merge it into the location, so the
/// fix did nothing) and a commented-out line that took the location's `{` with it (`nginx -t` failed).
final class OneLinePatchTests: XCTestCase {
    func fixedAndChecked(_ config: String, url: String, ip: String = "127.0.0.1", expect line: String,
                         file: StaticString = #filePath, line l: UInt = #line) throws {
        let nginx = try RealTools.require("nginx", file: file, line: l)
        let dir = try TemporaryDirectory(prefix: "why403-oneline")
        defer { dir.remove() }
        try dir.write("www/index.html", "hi")
        try dir.write("www/api", "api")
        let conf = try dir.write("nginx.conf", config.replacingAll("@ROOT@", with: dir.path + "/www"))
        func analyze() throws -> Report {
            let req = try Request(method: "GET", url: url, headers: [], clientIP: ip)
            return try NginxAnalyzer.analyze(.init(config: .file(conf.path), request: req, fileSystem: LiveFileSystem()))
        }
        let before = try analyze()
        XCTAssertEqual(before.verdict.status, 403, file: file, line: l)
        let diff = try XCTUnwrap(before.findings.first?.fixes.compactMap(\.patch).first, "no patch", file: file, line: l)
        try dir.write("fix.diff", diff)
        let applied = try Run.shell("cd / && patch -p1 < '\(dir.path)/fix.diff'")
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr + diff, file: file, line: l)
        let fixed = try String(contentsOf: conf, encoding: .utf8)
        XCTAssertTrue(fixed.contains(line), fixed, file: file, line: l)
        let t = try Run.shell("'\(nginx)' -t -q -p '\(dir.path)/' -c '\(conf.path)' -e /dev/null 2>&1")
        XCTAssertEqual(t.status, 0, "nginx -t on the patched file: \(t.stdout)\(t.stderr)\n\(fixed)", file: file, line: l)
        XCTAssertNotEqual(try analyze().verdict.status, 403, fixed, file: file, line: l)
    }

    /// A directive alone on its line however it is spaced (`deny  all;`), with a trailing comment: a whole-line edit
    /// (session 33 made these fall through to the inside-the-line path, which found no `deny all;` and gave no patch).
    func testSpacedDirectiveAloneOnItsLineGetsAWholeLinePatch() throws {
        try fixedAndChecked("""
            events {}
            http { server { listen 127.0.0.1:8080; root @ROOT@;
                location / {
                    allow   10.0.0.0/8;
                    deny\tall;   # everyone else
                }
            } }

            """, url: "http://127.0.0.1:8080/index.html", expect: "allow 127.0.0.1;")
        try fixedAndChecked("""
            events {}
            http { server { listen 127.0.0.1:8080; root @ROOT@;
                location /api {
                    return   403;  # closed
                }
            } }

            """, url: "http://127.0.0.1:8080/api", expect: "# return 403; # closed")
    }

    func testAllowInsertedInsideTheLocationsLine() throws {
        try fixedAndChecked("""
            events {}
            http { server { listen 127.0.0.1:8080; root @ROOT@;
                location / { allow 10.0.0.0/8; deny all; }
            } }

            """, url: "http://127.0.0.1:8080/index.html", expect: "location / { allow 10.0.0.0/8; allow 127.0.0.1; deny all; }")
    }

    func testReturnRemovedInsideTheLine() throws {
        try fixedAndChecked("""
            events {}
            http { server { listen 127.0.0.1:8080; root @ROOT@;
                location /api { return 403; }
            } }

            """, url: "http://127.0.0.1:8080/api", expect: "location /api { }")
    }

    func testReturnRemovedInsideAnIfOnTheLocationsLine() throws {
        try fixedAndChecked("""
            events {}
            http { server { listen 127.0.0.1:8080; root @ROOT@;
                location /api { if ($http_x_key = "") { return 403; }
                    try_files $uri =404;
                }
            } }

            """, url: "http://127.0.0.1:8080/api", expect: #"location /api { if ($http_x_key = "") { }"#)
    }
}
