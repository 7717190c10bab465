import XCTest
import Why403
import Why403TestSupport

/// The umbrella product: one `import Why403` gives a server application every analyser and the report
/// model (docs/library.md shows this example).
final class LibraryTests: XCTestCase {
    func testTheDocumentedExampleWorksInProcess() throws {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/etc/nginx/nginx.conf", """
            user www-data;
            events {}
            http {
                server {
                    listen 80;
                    server_name shop.test;
                    root /srv/shop;
                    location /admin/ { allow 10.0.0.0/8; deny all; }
                }
            }
            """)
        fs.file("/srv/shop/admin/index.html", "x")
        let request = try Request(url: "http://shop.test/admin/", clientIP: "203.0.113.9")
        let report = try NginxAnalyzer.analyze(.init(config: .file("/etc/nginx/nginx.conf"), request: request, fileSystem: fs))
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertTrue(Renderer.text(report, color: false).hasPrefix("403 from nginx"))
        XCTAssertEqual(try decodeReport(Renderer.json(report)), report)
    }
}
