import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 probe` (the built binary): exit statuses, JSON report, redaction.
final class ProbeCLITests: XCTestCase {
    /// A real nginx answering 403 on /private/ and 200 elsewhere, stopped by the returned closure.
    func startNginx() throws -> (port: Int, stop: () -> Void) {
        let nginx = try RealTools.require("nginx")
        let dir = try TemporaryDirectory(prefix: "why403-probe-cli")
        let port = RealTools.freePort()
        try dir.write("nginx.conf", """
            worker_processes 1;
            error_log \(dir.path)/error.log;
            pid \(dir.path)/nginx.pid;
            events { worker_connections 32; }
            http {
                access_log off;
                client_body_temp_path \(dir.path)/b; proxy_temp_path \(dir.path)/p; fastcgi_temp_path \(dir.path)/f;
                uwsgi_temp_path \(dir.path)/u; scgi_temp_path \(dir.path)/s;
                server {
                    listen 127.0.0.1:\(port);
                    location /private/ { return 403; }
                    location /app/ { if ($http_user_agent ~* "why403") { return 403; } return 200 "app\\n"; }
                    location / { return 200 "ok\\n"; }
                }
            }
            """)
        // Run.program spawns without pipes (output to files), so the daemon cannot hold anything open.
        let r = try Run.program(nginx, ["-p", dir.path, "-c", dir.path + "/nginx.conf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for _ in 0..<100 {
            if (try? Run.program("/usr/bin/curl", ["-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/"]))?.status == 0 { break }
            usleep(50_000)
        }
        return (port, {
            _ = try? Run.program(nginx, ["-p", dir.path, "-c", dir.path + "/nginx.conf", "-s", "stop"])
            for _ in 0..<50 where FileManager.default.fileExists(atPath: dir.path + "/nginx.pid") { usleep(50_000) }
            dir.remove()
        })
    }

    func testProbeNginx403AsJSON() throws {
        let server = try startNginx()
        defer { server.stop() }
        let r = try Run.why403(["probe", "127.0.0.1:\(server.port)/private/x", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "probe")
        XCTAssertEqual(report.subject.url, "http://127.0.0.1:\(server.port)/private/x")
        XCTAssertEqual(report.verdict.status, 403)
        XCTAssertFalse(report.findings.isEmpty)
    }

    func testVariantsFindTheUserAgentRule() throws {
        let server = try startNginx()
        defer { server.stop() }
        let r = try Run.why403(["probe", "http://127.0.0.1:\(server.port)/app/", "--variants", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict.cause, .botBlock)
    }

    func testBearerTokenNeverAppearsInOutput() throws {
        let server = try startNginx()
        defer { server.stop() }
        let token = "tok-9f8e7d6c5b4a39281706"
        for format in ["json", "text", "markdown"] {
            let r = try Run.why403(["probe", "http://127.0.0.1:\(server.port)/private/?token=\(token)",
                                    "--bearer", token, "-H", "Cookie: sid=\(token)", "--format", format])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(r.stdout.contains(token), format)
            XCTAssertFalse(r.stderr.contains(token), format)
        }
    }

    func testConnectionRefusedIsExit0WithNullStatus() throws {
        let port = RealTools.freePort()
        let r = try Run.why403(["probe", "http://127.0.0.1:\(port)/", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertNil(report.verdict.status)
        XCTAssertEqual(report.findings.first?.rule, "probe.connection-refused")
    }

    func testUsageErrorsExit2() throws {
        let cases: [(String, [String])] = [
            ("client-ip", ["probe", "http://127.0.0.1/", "--client-ip", "10.0.0.1"]),
            ("bad header", ["probe", "http://127.0.0.1/", "-H", "no colon here"]),
            ("bad scheme", ["probe", "ftp://127.0.0.1/"]),
            ("bad proxy", ["probe", "http://127.0.0.1/", "--proxy", "gopher://p:1"]),
            ("rate too high", ["probe", "http://127.0.0.1/", "--rate", "500"]),
            ("negative timeout", ["probe", "http://127.0.0.1/", "--timeout", "-1"]),
        ]
        for (id, argv) in cases {
            let r = try Run.why403(argv)
            XCTAssertEqual(r.status, 2, "\(id): \(r.stderr)")
            XCTAssertFalse(r.stderr.isEmpty, id)
            XCTAssertEqual(r.stdout, "", id)
        }
    }
}
