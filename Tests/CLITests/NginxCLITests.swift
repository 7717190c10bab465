import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// `why403 nginx` end to end: flags, JSON report, nginx -T on stdin, exit status 2 on bad input.
final class NginxCLITests: XCTestCase {
    func testDeniedByAddressJSON() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("www/index.html", "hi")
        try dir.write("nginx.conf", """
        events {}
        http {
            server {
                listen 80;
                server_name shop.test;
                root \(dir.path)/www;
                location / { allow 10.0.0.0/8; deny all; }
            }
        }
        """)
        let r = try Run.why403(["nginx", "http://shop.test/", "--config", dir.path + "/nginx.conf", "--client-ip", "203.0.113.9",
                                "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertEqual(report.subject.kind, "nginx")
        XCTAssertEqual(report.findings.first?.evidence.last?.source, dir.path + "/nginx.conf:7")
    }

    func testDumpOnStdinAndHeaders() throws {
        let dump = "# configuration file /etc/nginx/nginx.conf:\nevents {}\nhttp { server { listen 80; if ($http_user_agent ~* bot) { return 403; } return 204; } }\n"
        let r = try Run.why403(["nginx", "x.test", "--config", "-", "-H", "User-Agent: GoodBot", "--format", "json"], stdin: Data(dump.utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try decodeReport(r.stdout).verdict.cause, .botBlock)
    }

    func testMalformedConfigExits2WithFileAndLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("nginx.conf", "events {}\nhttp {\n  server {\n")
        let r = try Run.why403(["nginx", "http://x/", "--config", dir.path + "/nginx.conf"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("nginx.conf:3: error: unexpected end of file, expecting \"}\""), r.stderr)
    }
}
