import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport
@testable import Why403Nginx

/// `why403 nginx` on a configuration with `modsecurity on` (ModSecurity-nginx): the simulation runs the
/// request through libmodsecurity where the connector does — after the location's rewrite directives,
/// before allow/deny — and the real nginx with the module answers the same.
final class ModSecurityNginxTests: XCTestCase {
    func testTheCRSDecidesBeforeAllowDenyAsTheRealConnectorDoes() throws {
        let nginx = try RealTools.require("nginx")
        let module = "/usr/lib/nginx/modules/ngx_http_modsecurity_module.so"
        let setup = "/etc/modsecurity/crs/crs-setup.conf"
        guard FileManager.default.fileExists(atPath: module), FileManager.default.fileExists(atPath: setup),
              FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libmodsecurity.so.3") else {
            let m = "ModSecurity-nginx, libmodsecurity3 and the CRS are not installed (apt-get install libnginx-mod-http-modsecurity modsecurity-crs; .ci/run does)"
            if RealTools.isCI { XCTFail(m) }
            throw XCTSkip(m)
        }
        let dir = try TemporaryDirectory(prefix: "why403-nginx-msc")
        defer { dir.remove() }
        let root = dir.path
        try FileManager.default.createDirectory(atPath: root + "/www/admin", withIntermediateDirectories: true)
        try "ok\n".write(toFile: root + "/www/index.html", atomically: true, encoding: .utf8)
        try "ok\n".write(toFile: root + "/www/admin/index.html", atomically: true, encoding: .utf8)
        try """
            SecRuleEngine On
            SecRequestBodyAccess On
            Include /etc/modsecurity/crs/crs-setup.conf
            Include /usr/share/modsecurity-crs/rules/*.conf

            """.write(toFile: root + "/modsec.conf", atomically: true, encoding: .utf8)
        let port = RealTools.freePort()
        let conf = """
            load_module \(module);
            daemon on;
            pid \(root)/nginx.pid;
            error_log \(root)/error.log info;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(root)/body;
                proxy_temp_path \(root)/proxy;
                fastcgi_temp_path \(root)/fastcgi;
                uwsgi_temp_path \(root)/uwsgi;
                scgi_temp_path \(root)/scgi;
                modsecurity on;
                modsecurity_rules_file \(root)/modsec.conf;
                server {
                    listen 127.0.0.1:\(port);
                    server_name shop.test;
                    root \(root)/www;
                    location /admin/ {
                        allow 10.0.0.0/8;
                        deny all;
                    }
                    location /open/ {
                        modsecurity off;
                        return 200 "open\\n";
                    }
                    location = /teapot {
                        modsecurity_rules 'SecRule ARGS:brew "@streq coffee" "id:4180,phase:1,deny,status:418,log,msg:teapot"';
                    }
                }
            }
            """
        try conf.write(toFile: root + "/nginx.conf", atomically: true, encoding: .utf8)
        let start = try Run.shell("\(nginx) -p \(root) -c \(root)/nginx.conf </dev/null >\(root)/start.log 2>&1")
        XCTAssertEqual(start.status, 0, (try? String(contentsOfFile: root + "/start.log", encoding: .utf8)) ?? "")
        defer { _ = try? Run.shell("\(nginx) -p \(root) -c \(root)/nginx.conf -s stop </dev/null >/dev/null 2>&1") }
        for _ in 0..<100 where (try? Run.shell("curl -s -o /dev/null http://127.0.0.1:\(port)/"))?.status != 0 { usleep(20_000) }

        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        let cases: [(path: String, rule: String?)] = [
            ("/", nil),                                      // 200
            ("/?q=1%27%20or%201%3D1--", "949110"),           // CRS blocks
            ("/admin/", nil),                                // 403 from deny all
            ("/admin/?q=%3Cscript%3Ealert(1)%3C/script%3E", "949110"),   // ModSecurity before allow/deny
            ("/open/?q=1%27%20or%201%3D1--", nil),           // modsecurity off here
            ("/teapot?brew=coffee", "4180"),                 // inline rules of the location
        ]
        for c in cases {
            let before = (FileManager.default.contents(atPath: root + "/error.log") ?? Data()).count
            let r = try Run.program("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: shop.test",
                                                      "-H", "User-Agent: \(ua)", "-H", "Accept: text/html",
                                                      "http://127.0.0.1:\(port)\(c.path)"])
            let real = Int(r.stdout) ?? -1
            usleep(50_000)
            let log = String(decoding: (FileManager.default.contents(atPath: root + "/error.log") ?? Data()).dropFirst(before), as: UTF8.self)
            let request = try Request(url: "http://shop.test:\(port)\(c.path)",
                                      headers: [("Host", "shop.test"), ("User-Agent", ua), ("Accept", "text/html")], clientIP: "127.0.0.1")
            let report = try NginxAnalyzer.analyze(.init(config: .file(root + "/nginx.conf"), request: request,
                                                         fileSystem: LiveFileSystem(), prefix: root))
            XCTAssertEqual(report.verdict.status, real, "\(c.path): \(report.findings.map(\.summary)) \(report.notes)")
            if let rule = c.rule {
                XCTAssertEqual(report.verdict.layer, .modsecurity, c.path)
                XCTAssertEqual(report.findings.first?.rule, rule, c.path)
                XCTAssertTrue(log.contains("[id \"\(rule)\"]"), "\(c.path): nginx logged \(log)")
            } else {
                XCTAssertNotEqual(report.verdict.layer, .modsecurity, c.path)
            }
        }
    }
}
