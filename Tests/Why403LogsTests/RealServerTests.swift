import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// Real nginx and Apache (with ModSecurity and the OWASP CRS) on loopback refuse requests in every
/// way `why403 logs` classifies; curl sends them; the lines the servers wrote are classified and
/// joined with their access-log lines. Under CI=true a missing server or tool fails the test.
final class RealServerTests: XCTestCase {
    func testRealNginxAndApacheLogsAreClassified() throws {
        for tool in ["nginx", "apache2", "curl", "openssl"] { _ = try RealTools.require(tool) }
        guard FileManager.default.fileExists(atPath: "/usr/lib/apache2/modules/mod_security2.so"),
              FileManager.default.fileExists(atPath: "/usr/share/modsecurity-crs/owasp-crs.load") else {
            let message = "libapache2-mod-security2 and modsecurity-crs are not installed"
            if RealTools.isCI { XCTFail(message) }
            throw XCTSkip(message)
        }
        let dir = try TemporaryDirectory(prefix: "why403-logs-real")
        defer { dir.remove() }
        let script = Fixtures.url("logs/real/run-servers.sh").path
        let nginxPort = RealTools.freePort()
        var apachePort = RealTools.freePort()
        if apachePort == nginxPort { apachePort = RealTools.freePort() }
        let run = try Run.shell("sh \(script) \(dir.path) \(nginxPort) \(apachePort)", timeout: 120)
        XCTAssertEqual(run.status, 0, "servers did not run:\n\(run.stdout)\n\(run.stderr)")
        // Every request was answered as the script intends.
        for expected in ["403 http://127.0.0.1:\(nginxPort)/deny/x", "429 http://127.0.0.1:\(nginxPort)/limited/",
                         "403 http://127.0.0.1:\(nginxPort)/links/t.html", "403 http://127.0.0.1:\(nginxPort)/loop1",
                         "403 http://127.0.0.1:\(nginxPort)/conn/big.bin", "401 http://127.0.0.1:\(apachePort)/auth/",
                         "403 http://127.0.0.1:\(apachePort)/hta/", "403 http://127.0.0.1:\(apachePort)/waf/?q=attack"] {
            XCTAssertTrue(run.stdout.contains(expected), "\(expected) not in\n\(run.stdout)")
        }

        // nginx
        let nginxLogs = ["nginx/access.log", "nginx/error.log"].map { dir.path + "/" + $0 }
        let n = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: nginxLogs, statuses: [401, 403, 429], top: 50))
        let ns = try XCTUnwrap(LogsSummary(report: n))
        let nginxErrors = (try? String(contentsOfFile: nginxLogs[1], encoding: .utf8)) ?? ""
        XCTAssertEqual(ns.accessDenials, 13, nginxErrors)
        XCTAssertEqual(ns.correlated, 13, "\(ns.causes)\n\(nginxErrors)")
        let nginxRules = perRule(ns)
        XCTAssertEqual(nginxRules, [
            "nginx-access-forbidden-by-rule": 1, "nginx-directory-index-forbidden": 1, "nginx-permission-denied": 3,
            "nginx-auth-basic-missing": 1, "nginx-auth-basic-user-not-found": 1, "nginx-auth-basic-password-mismatch": 1,
            "nginx-limit-req": 2, "nginx-symlink-refused": 1, "nginx-symlink-loop": 1, "nginx-limit-conn": 1,
        ], nginxErrors)
        // fs.permission and rate.limit tie at 3: the verdict is the first cause shown, and proved.
        XCTAssertEqual(n.verdict.cause.rawValue, ns.causes.first?.cause)
        XCTAssertEqual(ns.causes.first?.count, 3)
        XCTAssertEqual(n.findings.first?.confidence, .certain)
        // The same requests in nginx's `main` format (combined and "$http_x_forwarded_for"), read with the default
        // format: the same refusals, joins and user agents (read as `common` before, their user agents were lost).
        let mainLogs = ["nginx/access-main.log", "nginx/error.log"].map { dir.path + "/" + $0 }
        let m = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: mainLogs, statuses: [401, 403, 429], top: 50))
        let ms = try XCTUnwrap(LogsSummary(report: m))
        let mainLines = (try? String(contentsOfFile: mainLogs[0], encoding: .utf8)) ?? ""
        XCTAssertTrue(mainLines.contains("\" \"-\"\n"), mainLines)
        XCTAssertEqual(ms.accessDenials, ns.accessDenials, mainLines)
        XCTAssertEqual(ms.correlated, ns.correlated)
        XCTAssertEqual(perRule(ms), nginxRules)
        XCTAssertEqual(ms.topUserAgents, ns.topUserAgents)
        XCTAssertFalse(ms.topUserAgents.contains { $0.key == "-" }, "\(ms.topUserAgents)")
        XCTAssertEqual(ms.topClients, ns.topClients)
        XCTAssertEqual(ms.malformed.count, 0)

        // Apache
        let apacheLogs = ["apache/access.log", "apache/error.log"].map { dir.path + "/" + $0 }
        let a = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: apacheLogs, statuses: [401, 403], top: 50))
        let s = try XCTUnwrap(LogsSummary(report: a))
        let apacheErrors = (try? String(contentsOfFile: apacheLogs[1], encoding: .utf8)) ?? ""
        XCTAssertEqual(s.accessDenials, 14, apacheErrors)
        // Apache writes no error line for a request that sent no credentials at all.
        XCTAssertEqual(s.correlated, 13, "\(s.causes)\n\(apacheErrors)")
        let apacheRules = perRule(s)
        XCTAssertEqual(apacheRules, [
            "AH01630": 1, "AH01797": 1, "AH01276": 1, "AH00132": 1, "AH00035": 1, "AH00037": 1, "AH01618": 1,
            "AH01617": 1, "AH01614": 1, "AH01631": 1, "AH00529": 1, "modsecurity-10001": 1, "modsecurity-949110": 1, "status-401": 1,
        ], apacheErrors)
        XCTAssertTrue(s.modsecurityRules.contains { $0.key.hasPrefix("modsecurity-941100") }, "\(s.modsecurityRules)")

        // The same requests in Debian's vhost_combined (`localhost:80 127.0.0.1 - - [...] ...`), read with the default
        // format: the same refusals, joined the same way, and the client is the address, not `localhost:80 127.0.0.1`.
        let vhostLogs = ["apache/other_vhosts_access.log", "apache/error.log"].map { dir.path + "/" + $0 }
        let v = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: vhostLogs, statuses: [401, 403], top: 50))
        let vs = try XCTUnwrap(LogsSummary(report: v))
        let vhostLines = (try? String(contentsOfFile: vhostLogs[0], encoding: .utf8)) ?? ""
        // (`%p` is the server's canonical port: 80 for `ServerName localhost`, whatever it listens on.)
        XCTAssertTrue(vhostLines.hasPrefix("localhost:80 127.0.0.1 - - ["), vhostLines)
        XCTAssertEqual(vs.accessDenials, s.accessDenials, vhostLines)
        XCTAssertEqual(vs.correlated, s.correlated, "\(vs.causes)")
        XCTAssertEqual(perRule(vs), apacheRules)
        XCTAssertEqual(vs.topClients.map(\.key), ["127.0.0.1"])
        XCTAssertEqual(vs.topPaths, s.topPaths)
        XCTAssertEqual(vs.malformed.count, 0)
    }
}
