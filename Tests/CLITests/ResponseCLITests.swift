import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 response`: stdout (a report-v1 object), stderr and exit status.
final class ResponseCLITests: XCTestCase {
    func testCloudflare1020JSON() throws {
        let r = try Run.why403(["response", Fixtures.url("responses/cloudflare-1020/html-page.hit.http").path, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "response")
        XCTAssertEqual(report.subject.file, Fixtures.url("responses/cloudflare-1020/html-page.hit.http").path)
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .cloudflare, cause: .wafRule))
        XCTAssertEqual(report.findings.first?.confidence, .certain)
        XCTAssertEqual(report.findings.first?.rule, "cloudflare-1020")
    }

    func testTextHeadline() throws {
        let r = try Run.why403(["response", Fixtures.url("responses/cloudflare-1020/html-page.hit.http").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("403 from Cloudflare: a firewall rule blocked this request (Ray ID 8a1b2c3d4e5f6789)"), r.stdout)
        XCTAssertFalse(r.stdout.contains("\u{1B}["), "colour without a terminal")
    }

    func testStdin() throws {
        let text = "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\ncf-ray: 0123456789abcdef-FRA\r\n\r\nerror code: 1015"
        let r = try Run.why403(["response", "-", "--format", "json"], stdin: Data(text.utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try decodeReport(r.stdout).verdict.cause, .rateLimit)
    }

    func testHARWithSecretsIsRedacted() throws {
        let har = """
        {"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [
          {"request": {"method": "GET", "url": "https://shop.example.com/a?access_token=tok_live_abcdef123456",
                       "headers": [{"name": "Cookie", "value": "sid=cookie_secret_987654"}, {"name": "Authorization", "value": "Basic YWxpY2U6aHVudGVyMg=="}]},
           "response": {"status": 401, "statusText": "Unauthorized", "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "WWW-Authenticate", "value": "Basic realm=\\"shop\\""}, {"name": "Set-Cookie", "value": "sid=new_cookie_secret_1234; HttpOnly"}],
                        "content": {"size": 0, "mimeType": "text/plain", "text": ""}}}
        ]}}
        """
        let dir = try TemporaryDirectory(prefix: "why403-response-cli")
        defer { dir.remove() }
        let file = try dir.write("s.har", har)
        for format in ["text", "json", "markdown"] {
            let r = try Run.why403(["response", file.path, "--format", format])
            XCTAssertEqual(r.status, 0, r.stderr)
            for secret in ["tok_live_abcdef123456", "cookie_secret_987654", "YWxpY2U6aHVudGVyMg==", "new_cookie_secret_1234"] {
                XCTAssertFalse(r.stdout.contains(secret) || r.stderr.contains(secret), "\(format): \(secret) leaked\n\(r.stdout)")
            }
        }
        let report = try decodeReport(try Run.why403(["response", file.path, "--format", "json"]).stdout)
        XCTAssertEqual(report.verdict.cause, .authInvalid)
    }

    func testMalformedFileExitsTwoNamingFileAndLine() throws {
        let dir = try TemporaryDirectory(prefix: "why403-response-cli-bad")
        defer { dir.remove() }
        let file = try dir.write("bad.http", "HTTP/1.1 403 Forbidden\r\nthis is not a header\r\n\r\n")
        let r = try Run.why403(["response", file.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad.http:2: error: expected a header line"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testBinaryJunkAndMissingFileExitTwo() throws {
        let dir = try TemporaryDirectory(prefix: "why403-response-cli-junk")
        defer { dir.remove() }
        let junk = dir.url.appendingPathComponent("junk.bin")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0xFF]).write(to: junk)
        let r = try Run.why403(["response", junk.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("junk.bin:1: error:") && r.stderr.contains("binary data"), r.stderr)
        let missing = try Run.why403(["response", dir.path + "/nope.http"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nope.http: error: no such file"), missing.stderr)
    }

    func testRejectsOtherFormats() throws {
        let r = try Run.why403(["response", "-", "--format", "sarif"], stdin: Data())
        XCTAssertEqual(r.status, 2)
    }
}
