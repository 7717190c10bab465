import XCTest
import Why403Core
import Why403FileSystem
import Why403Diagnose

/// issue 16: `audit --nginx FILE --root DIR` takes the worker user from FILE, not from /etc/nginx.
final class AuditServerUserTests: XCTestCase {
    func testIssue16TheUserComesFromTheConfigurationGiven() throws {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.user("nobody", uid: 65534, gid: 65534)
        fs.file("/etc/nginx/nginx.conf", "user www-data;\nevents {}\nhttp {}\n")
        fs.file("/srv/site/nginx.conf", "user nobody;\nevents {}\nhttp { server { listen 80; root /srv/site/www; } }\n")
        fs.directory("/srv", mode: 0o755)
        fs.directory("/srv/site", mode: 0o755)
        fs.directory("/srv/site/www", mode: 0o700, uid: 65534, gid: 65534)
        fs.file("/srv/site/www/index.html", "x", mode: 0o600, uid: 65534, gid: 65534)
        let report = try AuditAnalyzer.analyze(AuditAnalyzer.Input(nginx: ["/srv/site/nginx.conf"], roots: ["/srv/site/www"], fileSystem: fs))
        XCTAssertFalse(report.findings.contains { $0.severity == .error }, "\(report.findings.map(\.summary))")
        XCTAssertTrue(report.notes.contains { $0.contains("checked as nobody: the user directive of nginx (/srv/site/nginx.conf:1)") },
                      "\(report.notes)")
        // Without a configuration, the distribution's is read, and the note says which.
        let plain = try AuditAnalyzer.analyze(AuditAnalyzer.Input(roots: ["/srv/site/www"], fileSystem: fs))
        XCTAssertTrue(plain.notes.contains { $0.contains("checked as www-data: the user directive of nginx (/etc/nginx/nginx.conf:1)") },
                      "\(plain.notes)")
        XCTAssertTrue(plain.findings.contains { $0.severity == .error })
    }
}
