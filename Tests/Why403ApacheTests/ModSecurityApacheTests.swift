import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport
@testable import Why403Apache

/// `why403 apache` on a configuration with mod_security2 and the CRS: the rules run through
/// libmodsecurity, phase 1 before access control and phase 2 at fixups, after it — as the real httpd
/// with mod_security2 answers.
final class ModSecurityApacheTests: XCTestCase {
    func testPhaseOneBeforeAccessControlPhaseTwoAfterAsTheRealServer() throws {
        let apache = try RealTools.require("apache2")
        let module = "/usr/lib/apache2/modules/mod_security2.so"
        guard FileManager.default.fileExists(atPath: module), FileManager.default.fileExists(atPath: "/etc/modsecurity/crs/crs-setup.conf"),
              FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libmodsecurity.so.3") else {
            let m = "mod_security2, libmodsecurity3 and the CRS are not installed (apt-get install libapache2-mod-security2 libmodsecurity3 modsecurity-crs; .ci/run does)"
            if RealTools.isCI { XCTFail(m) }
            throw XCTSkip(m)
        }
        let dir = try TemporaryDirectory(prefix: "why403-apache-msc")
        defer { dir.remove() }
        let root = dir.path
        try FileManager.default.createDirectory(atPath: root + "/www/admin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        try "ok\n".write(toFile: root + "/www/index.html", atomically: true, encoding: .utf8)
        try "ok\n".write(toFile: root + "/www/admin/index.html", atomically: true, encoding: .utf8)
        let port = RealTools.freePort()
        let conf = """
            ServerRoot "\(root)"
            Listen 127.0.0.1:\(port)
            PidFile \(root)/httpd.pid
            ErrorLog \(root)/error.log
            LogLevel warn
            DefaultRuntimeDir \(root)
            ServerName shop.test
            LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
            LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
            LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
            LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
            LoadModule unique_id_module /usr/lib/apache2/modules/mod_unique_id.so
            LoadModule security2_module \(module)
            DirectoryIndex index.html
            DocumentRoot "\(root)/www"
            <Directory />
                Require all denied
            </Directory>
            <Directory "\(root)/www">
                Require all granted
            </Directory>
            <Directory "\(root)/www/admin">
                Require ip 10.0.0.0/8
            </Directory>
            <IfModule security2_module>
                SecDataDir \(root)/data
                SecRuleEngine On
                SecRequestBodyAccess On
                SecRule ARGS:brew "@streq coffee" \\
                    "id:4060,phase:1,deny,status:406,log,msg:'no coffee here'"
                Include /etc/modsecurity/crs/crs-setup.conf
                Include /usr/share/modsecurity-crs/rules/*.conf
            </IfModule>
            """
        try conf.write(toFile: root + "/httpd.conf", atomically: true, encoding: .utf8)
        let start = try Run.shell("\(apache) -f \(root)/httpd.conf -k start </dev/null >\(root)/start.log 2>&1")
        XCTAssertEqual(start.status, 0, (try? String(contentsOfFile: root + "/start.log", encoding: .utf8)) ?? "")
        defer {
            _ = try? Run.shell("\(apache) -f \(root)/httpd.conf -k stop </dev/null >/dev/null 2>&1")
            var n = 0
            while FileManager.default.fileExists(atPath: root + "/httpd.pid") && n < 200 { usleep(20_000); n += 1 }
        }
        for _ in 0..<100 where (try? Run.shell("curl -s -o /dev/null http://127.0.0.1:\(port)/"))?.status != 0 { usleep(20_000) }

        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        let cases: [(path: String, layer: Layer, rule: String?)] = [
            ("/", .none, nil),
            ("/?q=1%27%20or%201%3D1--", .modsecurity, "949110"),          // CRS, phase 2
            ("/admin/", .apache, nil),                                     // Require ip
            ("/admin/?q=1%27%20or%201%3D1--", .apache, nil),               // access control before phase 2
            ("/admin/?brew=coffee", .modsecurity, "4060"),                 // phase 1 before access control
        ]
        for c in cases {
            // why403 first: the error log holds no line for this request yet, so the engine decides (the
            // analyser reads a ModSecurity denial from the log when there is one).
            let request = try Request(url: "http://shop.test:\(port)\(c.path)",
                                      headers: [("Host", "shop.test"), ("User-Agent", ua), ("Accept", "text/html")], clientIP: "127.0.0.1")
            let report = try ApacheAnalyzer.analyze(.init(configPath: root + "/httpd.conf", request: request, fileSystem: LiveFileSystem()))
            let before = (FileManager.default.contents(atPath: root + "/error.log") ?? Data()).count
            let r = try Run.program("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: shop.test",
                                                      "-H", "User-Agent: \(ua)", "-H", "Accept: text/html",
                                                      "http://127.0.0.1:\(port)\(c.path)"])
            let real = Int(r.stdout) ?? -1
            usleep(80_000)
            let log = String(decoding: (FileManager.default.contents(atPath: root + "/error.log") ?? Data()).dropFirst(before), as: UTF8.self)
            XCTAssertEqual(report.verdict.status, real, "\(c.path): \(report.findings.map(\.summary)) \(report.notes); log: \(log)")
            XCTAssertEqual(report.verdict.layer, c.layer, "\(c.path): \(report.findings.map(\.summary))")
            if let rule = c.rule {
                XCTAssertEqual(report.findings.first?.rule, rule, c.path)
                XCTAssertTrue(log.contains("[id \"\(rule)\"]"), "\(c.path): httpd logged \(log)")
            }
        }
    }
}
