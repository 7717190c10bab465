import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 apache`: stdout (a report-v1 object), stderr and exit status.
final class ApacheCLITests: XCTestCase {
    func makeSite() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "why403-apache-cli")
        try dir.write("www/index.html", "hi")
        try dir.write("www/admin/index.html", "admin")
        try dir.write("httpd.conf", """
        ServerRoot "\(dir.path)"
        LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
        LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
        LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
        User root
        DocumentRoot "\(dir.path)/www"
        <Directory "\(dir.path)/www">
            Require all granted
        </Directory>
        <Directory "\(dir.path)/www/admin">
            # only the office network
            Require ip 10.0.0.0/8
        </Directory>
        """)
        return dir
    }

    func testDeniedByAddressJSON() throws {
        let dir = try makeSite()
        defer { dir.remove() }
        let r = try Run.why403(["apache", "http://shop.test/admin/", "--config", dir.path + "/httpd.conf",
                                "--client-ip", "203.0.113.9", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict.status, 403)
        XCTAssertEqual(report.verdict.cause, .accessIP)
        XCTAssertEqual(report.verdict.layer, .apache)
        XCTAssertEqual(report.findings.first?.confidence, .certain)
        XCTAssertTrue(report.findings.first?.evidence.contains { $0.source.hasSuffix("httpd.conf:12") } ?? false,
                      "\(report.findings.first?.evidence ?? [])")
    }

    func testAllowedText() throws {
        let dir = try makeSite()
        defer { dir.remove() }
        let r = try Run.why403(["apache", "shop.test/", "--config", dir.path + "/httpd.conf", "--client-ip", "10.1.2.3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("200"), r.stdout)
    }

    func testMalformedConfigExitsTwoWithFileAndLine() throws {
        let dir = try TemporaryDirectory(prefix: "why403-apache-cli-bad")
        defer { dir.remove() }
        try dir.write("httpd.conf", "ServerName x\n<Directory /var/www>\nRequire all granted\n")
        let r = try Run.why403(["apache", "http://x/", "--config", dir.path + "/httpd.conf"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("httpd.conf:2"), r.stderr)
        XCTAssertTrue(r.stderr.contains("<Directory> was not closed."), r.stderr)
        XCTAssertTrue(r.stdout.isEmpty)
    }

    func testMissingConfigExitsTwo() throws {
        let r = try Run.why403(["apache", "http://x/", "--config", "/nonexistent/why403/httpd.conf"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("/nonexistent/why403/httpd.conf"), r.stderr)
    }

    func testPasswordNeverPrinted() throws {
        let dir = try makeSite()
        defer { dir.remove() }
        let r = try Run.why403(["apache", "http://x/", "--config", dir.path + "/httpd.conf", "--client-ip", "10.0.0.1",
                                "-H", "Authorization: Basic YWxpY2U6c2VjcmV0cGFzcw==", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.contains("YWxpY2U6c2VjcmV0cGFzcw=="))
        XCTAssertFalse(r.stdout.contains("secretpass"))
    }
}
