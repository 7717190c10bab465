import Foundation
import XCTest
import Why403Core
import Why403Lab
import Why403TestSupport

/// `why403 lab`, `diagnose` and `audit`, end to end, against the real servers where they apply.
final class LabCLITests: XCTestCase {
    /// The lab is itself a differential test: every scenario explained as expected, and the real nginx and
    /// Apache answering what was predicted.
    func testLabExplainsEveryScenarioAndTheRealServersAgree() throws {
        _ = try RealTools.require("nginx")
        _ = try RealTools.require("apache2")
        let r = try Run.why403(["lab", "--format", "json"], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "lab")
        guard case .array(let scenarios)? = report.subject.extra["scenarios"] else { return XCTFail("no scenarios") }
        // A scenario this machine cannot run (the ModSecurity one without libmodsecurity) is left out.
        let runner = LabRunner(directory: "/tmp", startServers: false)
        let runnable = LabScenario.all.filter { runner.unavailable($0) == nil }
        XCTAssertEqual(scenarios.count, runnable.count)
        for case .object(let s) in scenarios {
            XCTAssertEqual(s["explained"], .bool(true), "\(s)")
            if s["observed"] != .null { XCTAssertEqual(s["agrees"], .bool(true), "\(s)") }
        }
        if geteuid() == 0 {
            let asked = scenarios.filter { if case .object(let s) = $0 { return s["observed"] != .null }; return false }
            // The ModSecurity scenario asks the real Apache too, where mod_security2 is installed.
            let modsec = FileManager.default.fileExists(atPath: "/usr/lib/apache2/modules/mod_security2.so")
            XCTAssertEqual(asked.count, runnable.filter { $0.kind == .nginx || $0.kind == .apache || (modsec && $0.kind == .modsecurity) }.count)
        }
    }

    func testLabWithoutServersStillExplains() throws {
        let r = try Run.why403(["lab", "--no-servers"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        let runner = LabRunner(directory: "/tmp", startServers: false)
        let runnable = LabScenario.all.filter { runner.unavailable($0) == nil }
        XCTAssertTrue(r.stdout.contains("\(runnable.count) of \(runnable.count) scenarios explained as expected"), r.stdout)
        XCTAssertTrue(r.stdout.contains("403 from Cloudflare"), r.stdout)
        // issue 11: stdout is a pipe here, and each scenario's title is still printed.
        for (i, s) in runnable.enumerated() {
            XCTAssertTrue(r.stdout.contains("[\(i + 1)/\(runnable.count)] \(s.id) — \(s.story)\n"), s.id)
        }
    }

    func testLabUnknownScenarioIsExit2() throws {
        let r = try Run.why403(["lab", "--only", "no-such-scenario"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("nginx-admin-allowlist"), r.stderr)
    }
}

final class DiagnoseCLITests: XCTestCase {
    /// A real nginx on loopback with an address rule: diagnose probes it, reads its configuration, and
    /// the configuration's finding (with file:line) leads.
    func testDiagnoseLocalNginxExplainsFromTheConfiguration() throws {
        _ = try RealTools.require("nginx")
        let dir = try TemporaryDirectory(prefix: "why403-diagnose")
        defer { dir.remove() }
        let port = RealTools.freePort()
        for sub in ["logs", "www/admin"] { try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true) }
        try dir.write("www/admin/index.html", "admin\n")
        try dir.write("www/index.html", "home\n")
        let conf = try dir.write("nginx.conf", """
        \(geteuid() == 0 ? "user www-data;" : "")
        error_log \(dir.path)/logs/error.log;
        pid \(dir.path)/logs/nginx.pid;
        events { worker_connections 16; }
        http {
            access_log off;
            client_body_temp_path \(dir.path)/logs;
            server {
                listen 127.0.0.1:\(port);
                root \(dir.path)/www;
                location /admin/ {
                    allow 10.0.0.0/8;
                    deny all;
                }
            }
        }
        """)
        for path in [dir.path, dir.path + "/www", dir.path + "/www/admin", dir.path + "/logs"] { chmod(path, 0o755) }
        let server = try LocalServer.nginx(config: conf.path, prefix: dir.path, port: port)
        defer { server.stop() }

        let r = try Run.why403(["diagnose", "http://127.0.0.1:\(port)/admin/", "--config", conf.path, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertEqual(report.findings.first?.confidence, .certain)
        XCTAssertTrue(report.findings.first?.evidence.contains { $0.source == "\(conf.path):12" } ?? false,
                      "\(report.findings.first?.evidence ?? [])")
        XCTAssertTrue(report.notes.contains { $0.contains("as its configuration") }, "\(report.notes)")

        let ok = try Run.why403(["diagnose", "http://127.0.0.1:\(port)/", "--config", conf.path, "--format", "json"])
        XCTAssertEqual(try decodeReport(ok.stdout).verdict, Verdict(status: 200, layer: .none, cause: .none))
    }

    func testDiagnoseRemoteUnreachableIsAFindingNotACrash() throws {
        let port = RealTools.freePort()
        let r = try Run.why403(["diagnose", "http://127.0.0.1:\(port)/", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertNil(try decodeReport(r.stdout).verdict.status)
    }

    func testDiagnoseRejectsClientIP() throws {
        let r = try Run.why403(["diagnose", "http://127.0.0.1:1/", "--client-ip", "10.0.0.1"])
        XCTAssertEqual(r.status, 2)
    }
}

final class AuditCLITests: XCTestCase {
    func testNginxChecksSarifAndFailOn() throws {
        let dir = try TemporaryDirectory(prefix: "why403-audit")
        defer { dir.remove() }
        let conf = try dir.write("nginx.conf", """
        events {}
        http {
            server {
                listen 8080;
                root /home/alice/site;
            }
        }
        """)
        let warnOnly = try Run.why403(["audit", "--nginx", conf.path, "--format", "json"])
        let report = try decodeReport(warnOnly.stdout)
        XCTAssertTrue(report.findings.contains { $0.rule == "nginx.missing-user" }, "\(report.findings.map(\.rule))")
        XCTAssertTrue(report.findings.contains { $0.rule == "nginx.root-in-home" && $0.evidence.first?.source == "\(conf.path):5" })
        XCTAssertEqual(warnOnly.status, 0, "warnings do not fail the default --fail-on error")

        let strict = try Run.why403(["audit", "--nginx", conf.path, "--fail-on", "warning", "--format", "sarif"])
        XCTAssertEqual(strict.status, 1)
        let sarif = try JSONSerialization.jsonObject(with: Data(strict.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(sarif?["version"] as? String, "2.1.0")
        let results = ((sarif?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        XCTAssertFalse(results.isEmpty)
    }

    func testRootUnreadableFileIsAnError() throws {
        guard geteuid() == 0 else { throw XCTSkip("checks files as www-data: needs root to make them") }
        let dir = try TemporaryDirectory(prefix: "why403-audit-root")
        defer { dir.remove() }
        try dir.write("index.html", "ok\n")
        try dir.write("secret.html", "no\n", mode: 0o600)
        let r = try Run.why403(["audit", "--root", dir.path, "--user", "www-data", "--format", "json"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.findings.first?.rule, "fs.unreadable-file")
        XCTAssertEqual(report.findings.first?.severity, .error)
        XCTAssertFalse(report.findings.contains { $0.evidence.contains { $0.text.contains("index.html") } })
    }

    func testNoInputIsExit2() throws {
        let r = try Run.why403(["audit"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--nginx"), r.stderr)
    }

    func testMalformedConfigIsExit2WithFileAndLine() throws {
        let dir = try TemporaryDirectory(prefix: "why403-audit-bad")
        defer { dir.remove() }
        let conf = try dir.write("nginx.conf", "events {}\nhttp {\n  server {\n")
        let r = try Run.why403(["audit", "--nginx", conf.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains(conf.path), r.stderr)
    }
}

final class ApacheAuditCLITests: XCTestCase {
    func testIgnoredHtaccessIsReported() throws {
        let dir = try TemporaryDirectory(prefix: "why403-audit-apache")
        defer { dir.remove() }
        try dir.write("www/.htaccess", "Require all granted\n")
        let conf = try dir.write("httpd.conf", """
        Listen 8080
        DocumentRoot "\(dir.path)/www"
        <Directory "\(dir.path)/www">
            AllowOverride None
            Require all granted
        </Directory>
        """)
        let r = try Run.why403(["audit", "--apache", conf.path, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertTrue(report.findings.contains { $0.rule == "apache.htaccess-ignored" && $0.severity == .warning },
                      "\(report.findings.map(\.rule))")
    }
}
