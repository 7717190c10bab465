import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport
@testable import Why403Nginx

/// The simulator on an in-memory filesystem: evidence, fixes and report shape.
final class AnalyzerTests: XCTestCase {
    func analyze(_ conf: String, _ url: String, ip: String = "203.0.113.9", headers: [(name: String, value: String)] = [],
                 method: String = "GET", fs: InMemoryFileSystem? = nil) throws -> Report {
        var f = fs ?? InMemoryFileSystem()
        if fs == nil {
            f.user("www-data", uid: 33, gid: 33)
            f.file("/srv/site/index.html", "x")
            f.file("/srv/site/admin/index.html", "x")
            f.directory("/srv/site/empty")
        }
        let req = try Request(method: method, url: url, headers: headers, clientIP: ip)
        return try NginxAnalyzer.analyze(.init(config: .text(conf, path: "/etc/nginx/nginx.conf"), request: req, fileSystem: f))
    }

    let base = """
    user www-data;
    events {}
    http {
        server {
            listen 80;
            server_name shop.test;
            root /srv/site;
            location /admin/ {
                allow 10.0.0.0/8;
                deny all;
            }
        }
    }
    """

    func testAccessIPWithEvidenceAndPatch() throws {
        let r = try analyze(base, "http://shop.test/admin/")
        XCTAssertEqual(r.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertEqual(r.subject.kind, "nginx")
        XCTAssertEqual(r.subject.clientIP, "203.0.113.9")
        XCTAssertEqual(r.subject.config, "/etc/nginx/nginx.conf")
        let f = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(f.confidence, .certain)
        XCTAssertEqual(f.evidence.map(\.source), ["/etc/nginx/nginx.conf:9", "/etc/nginx/nginx.conf:10"])
        XCTAssertEqual(f.evidence.last?.text, "deny all;")
        let patch = try XCTUnwrap(f.fixes.first?.patch)
        XCTAssertTrue(patch.contains("+            allow 203.0.113.9;"), patch)
        XCTAssertTrue(patch.hasPrefix("--- a/etc/nginx/nginx.conf\n+++ b/etc/nginx/nginx.conf\n@@ -8,"), patch)
        XCTAssertEqual(try analyze(base, "http://shop.test/admin/", ip: "10.1.2.3").verdict.status, 200)
    }

    func testIndexMissingAndPermission() throws {
        let r = try analyze(base, "shop.test/empty/")
        XCTAssertEqual(r.verdict, Verdict(status: 403, layer: .nginx, cause: .indexMissing))
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/srv/site/secret.txt", "x", mode: 0o600)
        let p = try analyze(base, "http://shop.test/secret.txt", fs: fs)
        XCTAssertEqual(p.verdict.status, 403)
        XCTAssertEqual(p.verdict.cause, .fsPermission)
        XCTAssertTrue(p.findings[0].evidence.contains { $0.text == "user www-data;" })
        XCTAssertEqual(try analyze(base, "http://shop.test/nothing.txt", fs: fs).verdict, Verdict(status: 404, layer: .none, cause: .none))
    }

    func testUpstreamIsApplication() throws {
        let conf = "events {}\nhttp { server { listen 80; location /api/ { proxy_pass http://127.0.0.1:9000; } } }"
        let r = try analyze(conf, "http://x/api/v1")
        XCTAssertEqual(r.verdict.layer, .application)
        XCTAssertNil(r.verdict.status)
        XCTAssertEqual(r.findings.first?.confidence, .possible)
    }

    func testRateLimitIsPossibleOnly() throws {
        let conf = """
        events {}
        http { limit_req_zone $binary_remote_addr zone=z:1m rate=2r/s; limit_req_status 403;
          server { listen 80; root /srv/site; limit_req zone=z; } }
        """
        let r = try analyze(conf, "http://x/index.html")
        XCTAssertEqual(r.verdict, Verdict(status: 200, layer: .none, cause: .none))
        let f = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(f.cause, .rateLimit)
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertTrue(f.summary.contains("2r/s"), f.summary)
    }

    func testHotlinkAndBot() throws {
        let conf = """
        events {}
        http { server { listen 80; server_name shop.test; root /srv/site;
          valid_referers none server_names;
          if ($invalid_referer) { return 403; }
          location /x/ { if ($http_user_agent ~* bot) { return 403; } }
        } }
        """
        let r = try analyze(conf, "http://shop.test/index.html", headers: [("Referer", "http://evil.test/")])
        XCTAssertEqual(r.verdict.cause, .hotlinkReferer)
        XCTAssertTrue(r.findings[0].fixes.first?.patch?.contains("evil.test") ?? false)
        let b = try analyze(conf, "http://shop.test/x/", headers: [("User-Agent", "SomeBot")])
        XCTAssertEqual(b.verdict.cause, .botBlock)
    }

    func testServerNameOrderAndDump() throws {
        let dump = """
        # configuration file /etc/nginx/nginx.conf:
        events {}
        http {
            server { listen 80 default_server; return 403; }
            server { listen 80; server_name ~^www\\.; return 200; }
            server { listen 80; server_name *.example.com; return 204; }
            server { listen 80; server_name www.example.*; return 205; }
        }

        """
        func status(_ host: String) throws -> Int? {
            let req = try Request(url: "http://\(host)/")
            return try NginxAnalyzer.analyze(.init(config: .dump(dump, name: "-"), request: req, fileSystem: InMemoryFileSystem())).verdict.status
        }
        XCTAssertEqual(try status("www.example.com"), 204)
        XCTAssertEqual(try status("www.example.org"), 205)
        XCTAssertEqual(try status("www.other.org"), 200)
        XCTAssertEqual(try status("other.org"), 403)
    }

    func testAuditChecks() throws {
        let conf = """
        events {}
        http {
            limit_req_status 403;
            server {
                root /home/alice/site;
                error_page 403 =404 /404.html;
                location /files/ { alias /srv/files; }
                location /a/ { deny all; allow 10.0.0.1; }
            }
        }
        """
        let config = try Parser.parse(text: conf, path: "/etc/nginx/nginx.conf", source: FuzzTests.MemorySource(files: [:]))
        let ids = Set(NginxAudit.run(config).compactMap(\.rule))
        XCTAssertEqual(ids, ["nginx.missing-user", "nginx.root-in-home", "nginx.alias-trailing-slash", "nginx.allow-after-deny-all",
                             "nginx.error-page-hides-403", "nginx.limit-status-403"])
        let clean = try Parser.parse(text: base, path: "/etc/nginx/nginx.conf", source: FuzzTests.MemorySource(files: [:]))
        XCTAssertEqual(NginxAudit.run(clean).count, 0)
    }

    func testAllowAfterDenyAllPatchMovesTheLineAndApplies() throws {
        // The patch moves the allow above the deny (no second copy left behind); `patch` applies it and
        // the check no longer reports.
        let dir = try TemporaryDirectory(prefix: "why403-move")
        defer { dir.remove() }
        let conf = try dir.write("nginx.conf", """
            events {}
            http {
                server {
                    location /admin/ {
                        deny all;
                        # office
                        allow 10.0.0.0/8;
                    }
                }
            }

            """)
        let finding = try XCTUnwrap(NginxAudit.run(try NginxAnalyzer.parse(.file(conf.path))).first { $0.rule == "nginx.allow-after-deny-all" })
        let diff = try XCTUnwrap(finding.fixes.first?.patch)
        try dir.write("fix.diff", diff)
        let applied = try Run.shell("cd / && patch -p1 < \(dir.path)/fix.diff")
        XCTAssertEqual(applied.status, 0, applied.stdout + applied.stderr + diff)
        let fixed = try String(contentsOf: conf, encoding: .utf8)
        XCTAssertTrue(fixed.contains("            allow 10.0.0.0/8;\n            deny all;\n            # office\n"), fixed)
        XCTAssertEqual(fixed.components(separatedBy: "allow 10.0.0.0/8;").count, 2, fixed)
        XCTAssertFalse(NginxAudit.run(try NginxAnalyzer.parse(.file(conf.path))).contains { $0.rule == "nginx.allow-after-deny-all" })
    }

    func testIPv6RulesAndMappedAddresses() throws {
        let conf = """
        events {}
        http { server { listen 80; root /srv/site;
            location / { deny 2001:db8::1; allow 2001:db8::/32; allow 192.0.2.0/24; deny all; } } }
        """
        XCTAssertEqual(try analyze(conf, "http://x/index.html", ip: "2001:db8::1").verdict.cause, .accessIP)
        XCTAssertEqual(try analyze(conf, "http://x/index.html", ip: "2001:db8::2").verdict.status, 200)
        XCTAssertEqual(try analyze(conf, "http://x/index.html", ip: "::ffff:192.0.2.7").verdict.status, 200)
        XCTAssertEqual(try analyze(conf, "http://x/index.html", ip: "2001:db9::1").verdict.cause, .accessIP)
    }

    func testDumpWithGlobIncludeAndErrorPageConcealment() throws {
        let dump = """
        # configuration file /etc/nginx/nginx.conf:
        user www-data;
        events {}
        http {
            include /etc/nginx/sites-enabled/*;
        }

        # configuration file /etc/nginx/sites-enabled/shop:
        server {
            listen 80;
            root /srv/site;
            error_page 403 =404 /index.html;
            location /admin/ { deny all; }
        }

        """
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/srv/site/index.html", "x")
        let req = try Request(url: "http://shop.test/admin/x", clientIP: "198.51.100.4")
        let r = try NginxAnalyzer.analyze(.init(config: .dump(dump, name: "-"), request: req, fileSystem: fs))
        XCTAssertEqual(r.verdict, Verdict(status: 404, layer: .nginx, cause: .accessDeny))
        XCTAssertEqual(r.findings.first?.evidence.first?.source, "/etc/nginx/sites-enabled/shop:5")
        XCTAssertTrue(r.findings.first?.summary.contains("turns the 403 into 404") ?? false)
    }

    func testRewriteCycleIs500() throws {
        let conf = "events {}\nhttp { server { listen 80; location / { rewrite ^(.*)$ $1 last; } } }"
        XCTAssertEqual(try analyze(conf, "http://x/a").verdict.status, 500)
    }

    /// issue 14: the report shows which address realip used, which trusted hop produced it, or why the
    /// header was not believed; subject.client_ip stays the peer.
    func testIssue14RealIPChainInTheReport() throws {
        let conf = """
            events {}
            http { set_real_ip_from 10.0.0.0/8; real_ip_header X-Forwarded-For;
                server { listen 80; server_name shop.test; root /srv/site;
                    location /admin/ { allow 192.168.1.0/24; deny all; } } }
            """
        let ok = try analyze(conf, "http://shop.test/admin/", ip: "10.0.0.5", headers: [("X-Forwarded-For", "192.168.1.7")])
        XCTAssertEqual(ok.verdict.status, 200)
        XCTAssertEqual(ok.subject.clientIP, "10.0.0.5")
        XCTAssertTrue(ok.notes.contains { $0.hasPrefix("the client address is 192.168.1.7: the last address of X-Forwarded-For sent by the trusted proxy 10.0.0.5") }, "\(ok.notes)")
        let forged = try analyze(conf, "http://shop.test/admin/", ip: "203.0.113.9", headers: [("X-Forwarded-For", "192.168.1.7")])
        XCTAssertEqual(forged.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertTrue(forged.notes.contains { $0.contains("is not in set_real_ip_from (10.0.0.0/8), so X-Forwarded-For is not believed") }, "\(forged.notes)")
        let outside = try analyze(conf, "http://shop.test/admin/", ip: "10.0.0.5", headers: [("X-Forwarded-For", "198.51.100.1")])
        XCTAssertEqual(outside.verdict.cause, .accessIP)
        XCTAssertTrue(outside.findings[0].summary.contains("198.51.100.1 is outside it"), outside.findings[0].summary)
        XCTAssertTrue(outside.findings[0].evidence.contains { $0.source == "header X-Forwarded-For" && $0.text == "198.51.100.1" })
    }
}
