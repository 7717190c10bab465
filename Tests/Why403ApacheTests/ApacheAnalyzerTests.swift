import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403Apache
import Why403TestSupport

/// The simulator on an in-memory filesystem: findings, evidence, notes and the cases a live
/// server cannot show (Debian layout, ignored .htaccess, ModSecurity log mapping).
final class ApacheAnalyzerTests: XCTestCase {
    func site(_ conf: String, _ extra: (inout InMemoryFileSystem) -> Void = { _ in }) -> InMemoryFileSystem {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/srv/httpd.conf", """
        LoadModule authz_core_module m/mod_authz_core.so
        LoadModule authz_host_module m/mod_authz_host.so
        LoadModule dir_module m/mod_dir.so
        LoadModule rewrite_module m/mod_rewrite.so
        LoadModule security2_module m/mod_security2.so
        User www-data
        DocumentRoot /var/www
        ErrorLog /var/log/error.log
        <Directory />
            AllowOverride None
            Require all denied
        </Directory>
        \(conf)
        """)
        fs.file("/var/www/index.html", "hi")
        extra(&fs)
        return fs
    }

    func analyze(_ fs: InMemoryFileSystem, _ url: String, ip: String? = "198.51.100.7", headers: [(name: String, value: String)] = [],
                 log: String? = nil) throws -> Report {
        try ApacheAnalyzer.analyze(ApacheAnalyzer.Input(configPath: "/srv/httpd.conf",
                                                       request: Request(url: url, headers: headers, clientIP: ip),
                                                       fileSystem: fs, logPath: log))
    }

    func testIgnoredHtaccessIsReportedWithTheAllowOverrideLine() throws {
        let fs = site("""
        <Directory /var/www>
            AllowOverride None
            Require all granted
        </Directory>
        """) { $0.file("/var/www/.htaccess", "Require all denied\n") }
        let r = try analyze(fs, "http://x/index.html")
        XCTAssertEqual(r.verdict.status, 200)
        XCTAssertEqual(r.verdict.cause, .none)
        let f = try XCTUnwrap(r.findings.first { $0.rule == "htaccess-ignored" })
        XCTAssertTrue(f.summary.contains("/var/www/.htaccess is IGNORED"), f.summary)
        XCTAssertEqual(f.evidence.first?.source, "/srv/httpd.conf:14")
        XCTAssertEqual(f.evidence.first?.text, "AllowOverride None")
        XCTAssertFalse(f.fixes.isEmpty)
    }

    func testHonouredHtaccessDecidesWithItsLine() throws {
        let fs = site("""
        <Directory /var/www>
            AllowOverride AuthConfig
            Require all granted
        </Directory>
        """) { $0.file("/var/www/.htaccess", "# closed\nRequire all denied\n") }
        let r = try analyze(fs, "http://x/index.html")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .accessDeny)
        XCTAssertEqual(r.findings.first?.evidence.first?.source, "/var/www/.htaccess:2")
        XCTAssertEqual(r.findings.first?.rule, "AH01630")
        XCTAssertEqual(r.findings.first?.confidence, .certain)
    }

    func testAddressRuleWithoutClientIPIsOnlyLikely() throws {
        let fs = site("""
        <Directory /var/www>
            Require ip 10.0.0.0/8
        </Directory>
        """)
        let r = try analyze(fs, "http://x/", ip: nil)
        XCTAssertEqual(r.verdict.cause, .accessIP)
        XCTAssertEqual(r.findings.first?.confidence, .likely)
        XCTAssertTrue(r.notes.contains { $0.contains("no --client-ip") })
    }

    func testHostRuleIsNotCertain() throws {
        let fs = site("""
        <Directory /var/www>
            Require host example.com
        </Directory>
        """)
        let r = try analyze(fs, "http://x/")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.findings.first?.confidence, .likely)
    }

    func testModSecurityDenialFromTheLog() throws {
        let line = #"[Sun Nov 29 10:00:00.000000 2026] [security2:error] [pid 1] [client 198.51.100.7:5000] [client 198.51.100.7] ModSecurity: Access denied with code 403 (phase 2). Operator GE matched 5 at TX:anomaly_score. [file "/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "81"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 5)"] [hostname "x"] [uri "/index.html"] [unique_id "abc"]"#
        let warn = #"[Sun Nov 29 10:00:00.000000 2026] [security2:error] [pid 1] [client 198.51.100.7:5000] [client 198.51.100.7] ModSecurity: Warning. detected SQLi using libinjection. [id "942100"] [msg "SQL Injection Attack Detected via libinjection"] [uri "/index.html"] [unique_id "abc"]"#
        let fs = site("""
        SecRuleEngine On
        SecAction "id:900110,phase:1,nolog,pass,t:none,setvar:tx.inbound_anomaly_score_threshold=7"
        <Directory /var/www>
            Require all granted
        </Directory>
        """) { $0.file("/var/log/error.log", warn + "\n" + line + "\n") }
        let r = try analyze(fs, "http://x/index.html?id=1'or'1'='1")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .wafRule)
        XCTAssertEqual(r.verdict.layer, .modsecurity)
        XCTAssertEqual(r.findings.first?.rule, "949110")
        XCTAssertTrue(r.findings.first?.summary.contains("942100") ?? false)
        XCTAssertTrue(r.notes.contains { $0.contains("SecRuleEngine On") && $0.contains("threshold 7") }, "\(r.notes)")
    }

    func testDebianLayoutEndToEnd() throws {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/etc/apache2/envvars", "export APACHE_RUN_USER=www-data\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n")
        fs.file("/etc/apache2/apache2.conf", """
        User ${APACHE_RUN_USER}
        ErrorLog ${APACHE_LOG_DIR}/error.log
        IncludeOptional mods-enabled/*.load
        <Directory />
            AllowOverride None
            Require all denied
        </Directory>
        <Directory /var/www/>
            Options Indexes FollowSymLinks
            AllowOverride None
            Require all granted
        </Directory>
        IncludeOptional sites-enabled/*.conf
        """)
        fs.file("/etc/apache2/mods-enabled/authz_core.load", "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n")
        fs.file("/etc/apache2/mods-enabled/dir.load", "LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so\n")
        fs.file("/etc/apache2/sites-enabled/shop.conf", """
        <VirtualHost *:80>
            ServerName shop.test
            DocumentRoot /var/www/shop
            <Directory /var/www/shop/admin>
                Require ip 10.0.0.0/8
            </Directory>
        </VirtualHost>
        """)
        fs.file("/var/www/shop/admin/index.html", "a")
        let r = try ApacheAnalyzer.analyze(ApacheAnalyzer.Input(
            configPath: "/etc/apache2/apache2.conf",
            request: Request(url: "http://shop.test/admin/", clientIP: "203.0.113.9"), fileSystem: fs))
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .accessIP)
        XCTAssertEqual(r.findings.first?.evidence.map(\.source),
                       ["/etc/apache2/sites-enabled/shop.conf:4", "/etc/apache2/sites-enabled/shop.conf:5"])
        XCTAssertEqual(r.findings.first?.evidence.first?.text, "<Directory /var/www/shop/admin>")
        XCTAssertEqual(r.subject.extra["virtual_host"], .string("/etc/apache2/sites-enabled/shop.conf:1: <VirtualHost *:80>"))
    }

    func testErrorDocumentIsNamed() throws {
        let fs = site("""
        ErrorDocument 403 /denied.html
        <Directory /var/www>
            Require all denied
        </Directory>
        """)
        let r = try analyze(fs, "http://x/index.html")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertTrue(r.notes.contains { $0.contains("ErrorDocument 403 is set (/srv/httpd.conf:13") }, "\(r.notes)")
    }

    func testNotAllowedInHtaccessPredicts500() throws {
        let fs = site("""
        <Directory /var/www>
            AllowOverride AuthConfig
            Require all granted
        </Directory>
        """) { $0.file("/var/www/.htaccess", "RewriteEngine On\n") }
        let r = try analyze(fs, "http://x/index.html")
        XCTAssertEqual(r.verdict.status, 500)
        XCTAssertEqual(r.verdict.cause, .configError)
        XCTAssertEqual(r.verdict.layer, .apache)
        XCTAssertTrue(r.findings.first?.summary.contains("RewriteEngine not allowed here") ?? false)
    }
}

/// The audit checks: each must report on its hit configuration and stay quiet on the miss.
final class ApacheAuditTests: XCTestCase {
    func run(_ conf: String, htaccess: Bool = false) throws -> [String] {
        var fs = InMemoryFileSystem()
        fs.file("/c/httpd.conf", conf)
        fs.file("/var/www/index.html", "x")
        if htaccess { fs.file("/var/www/.htaccess", "Require all denied\n") }
        return try ApacheAudit.run(configPath: "/c/httpd.conf", fileSystem: fs).compactMap(\.rule)
    }

    func testHitsAndMisses() throws {
        XCTAssertEqual(try run("<Directory /var/www>\nOrder allow,deny\nAllow from all\nRequire ip 10.0.0.0/8\n</Directory>\n"),
                       ["apache.mixed-access-control"])
        XCTAssertEqual(try run("<Directory /var/www>\nRequire ip 10.0.0.0/8\n</Directory>\n"), [])
        XCTAssertEqual(try run("<Directory /var/www>\nAuthType Basic\nAuthName x\n</Directory>\n"), ["apache.authtype-without-require"])
        XCTAssertEqual(try run("<Directory />\nRequire all granted\n</Directory>\n"), ["apache.root-granted"])
        XCTAssertEqual(try run("<Directory />\nRequire all denied\n</Directory>\n"), [])
        XCTAssertEqual(try run("<Directory /var/www>\nOptions Indexes\nRequire all granted\n</Directory>\n"), ["apache.indexes-on"])
        XCTAssertEqual(try run("DocumentRoot /var/www\n<Directory /var/www>\nAllowOverride None\n</Directory>\n", htaccess: true),
                       ["apache.htaccess-ignored"])
        XCTAssertEqual(try run("DocumentRoot /var/www\n<Directory /var/www>\nAllowOverride All\n</Directory>\n", htaccess: true), [])
    }

    /// Every finding carries its check's id as the rule and its typed severity (one audit shape with nginx).
    func testFindingsCarryRuleAndTypedSeverity() throws {
        var fs = InMemoryFileSystem()
        fs.file("/c/httpd.conf", "<Directory />\nRequire all granted\nOptions Indexes\n</Directory>\n")
        let found = try ApacheAudit.run(configPath: "/c/httpd.conf", fileSystem: fs)
        XCTAssertEqual(found.map(\.rule), ["apache.root-granted", "apache.indexes-on"])
        XCTAssertEqual(found.map(\.severity), [.error, .info])
    }
}

extension ApacheAnalyzerTests {
    /// issue 16: a configuration that does not listen on the URL's port is not the server that answered:
    /// an input error naming its Listen lines, never a verdict (as nginx's "no server listening on port").
    func testIssue16AConfigurationThatDoesNotListenThereIsNotExplainedWith() throws {
        let fs = site("Listen 80\nListen 127.0.0.1:8080\n<Directory /var/www>\n    Require all granted\n</Directory>")
        XCTAssertEqual(try analyze(fs, "http://shop.test/").verdict.status, 200)
        XCTAssertEqual(try analyze(fs, "http://127.0.0.1:8080/").verdict.status, 200)
        XCTAssertThrowsError(try analyze(fs, "http://127.0.0.1:9090/")) { e in
            let e = e as? InputError
            XCTAssertEqual(e?.message, "expected a Listen on port 9090, found Listen 80, Listen 127.0.0.1:8080 (httpd would refuse the connection: this configuration is not the server that answered)")
            XCTAssertEqual(e?.line, 13)
        }
        XCTAssertThrowsError(try analyze(fs, "http://127.0.0.2:8080/"), "bound to another address")
        // No Listen at all (a fragment): nothing to compare.
        XCTAssertEqual(try analyze(site("<Directory /var/www>\n    Require all granted\n</Directory>"), "http://shop.test:9090/").verdict.status, 200)
    }
}
