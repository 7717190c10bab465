import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403Nginx
@testable import Why403Lab
@testable import Why403Diagnose
import Why403Probe
import Why403Response
import Why403TestSupport

/// issue 16: `diagnose` finds the server that listens on the URL's port, from /proc, and explains with the
/// configuration it was started with — laid out in memory here, and with real servers below.
final class ListeningServerTests: XCTestCase {
    /// A /proc with one LISTEN socket held by a master and its worker.
    func proc(port: Int, exe: String, args: [String], env: [String] = [], v6: Bool = false) -> InMemoryFileSystem {
        var fs = InMemoryFileSystem()
        let hexPort = String(port, radix: 16, uppercase: true).leftPad(4)
        let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        if v6 {
            fs.file("/proc/net/tcp", header)
            fs.file("/proc/net/tcp6", header + "   0: 00000000000000000000000000000000:\(hexPort) 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1\n")
        } else {
            fs.file("/proc/net/tcp", header
                    + "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1\n"
                    + "   1: 0100007F:\(hexPort) 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1\n"
                    + "   2: 0100007F:\(hexPort) 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 5555 1\n")
            fs.file("/proc/net/tcp6", header)
        }
        for (pid, ppid) in [(700, 1), (701, 700)] {
            fs.file("/proc/\(pid)/stat", "\(pid) (\((exe as NSString).lastPathComponent)) S \(ppid) \(pid) \(pid) 0\n")
            fs.symlink("/proc/\(pid)/exe", to: exe)
            fs.file("/proc/\(pid)/cmdline", args.joined(separator: "\0") + "\0")
            fs.file("/proc/\(pid)/environ", env.joined(separator: "\0"))
            fs.symlink("/proc/\(pid)/fd/0", to: "/dev/null")
            fs.symlink("/proc/\(pid)/fd/6", to: "socket:[4242]")
            fs.symlink("/proc/\(pid)/ns/mnt", to: "mnt:[4026531841]")
        }
        fs.symlink("/proc/self/ns/mnt", to: "mnt:[4026531841]")
        fs.file("/proc/900/stat", "900 (sshd) S 1 900 900 0\n")
        fs.symlink("/proc/900/fd/3", to: "socket:[1111]")
        return fs
    }

    func testNginxStartedWithItsOwnPaths() throws {
        let fs = proc(port: 8443, exe: "/usr/sbin/nginx",
                      args: ["nginx: master process /usr/sbin/nginx", "-p", "/srv/shop/", "-c", "nginx.conf", "-g", "daemon off;"])
        let s = try XCTUnwrap(ListeningServer.find(port: 8443, addresses: [IPAddress("127.0.0.1")!], in: fs))
        XCTAssertEqual(s.pid, 700, "the master, not its worker")
        XCTAssertEqual(s.kind, .nginx)
        XCTAssertEqual(s.config, "/srv/shop/nginx.conf", "a relative -c is taken from the prefix")
        XCTAssertEqual(s.prefix, "/srv/shop/")
        XCTAssertEqual(s.socket, "127.0.0.1:8443")
        XCTAssertTrue(s.caveats.contains { $0.contains("-g \"daemon off;\"") }, "\(s.caveats)")
        XCTAssertTrue(s.evidence.contains { $0.source == "/proc/700/cmdline" })
        XCTAssertNil(s.containerRoot)
        XCTAssertNil(ListeningServer.find(port: 9999, addresses: [IPAddress("127.0.0.1")!], in: fs), "nothing listens there")
        XCTAssertNil(ListeningServer.find(port: 8443, addresses: [IPAddress("10.1.2.3")!], in: fs), "another address")
    }

    /// The nginx master rewrites its argv into one title string (as /proc shows it for real).
    func testNginxMasterTitle() throws {
        let fs = proc(port: 8443, exe: "/usr/sbin/nginx",
                      args: ["nginx: master process /usr/sbin/nginx -p /srv/shop/ -c /srv/shop/nginx.conf -g daemon off;"])
        let s = try XCTUnwrap(ListeningServer.find(port: 8443, addresses: [IPAddress("127.0.0.1")!], in: fs))
        XCTAssertEqual(s.config, "/srv/shop/nginx.conf")
        XCTAssertEqual(s.prefix, "/srv/shop/")
        XCTAssertTrue(s.caveats.contains { $0.contains("-g \"daemon off;\"") }, "\(s.caveats)")
    }

    func testApacheWithDefinesAndDebianConfdir() throws {
        let fs = proc(port: 8080, exe: "/usr/sbin/apache2", args: ["/usr/sbin/apache2", "-k", "start", "-DSSL", "-D", "INTRANET"],
                      env: ["APACHE_CONFDIR=/etc/apache2-intranet", "APACHE_RUN_USER=intranet"], v6: true)
        let s = try XCTUnwrap(ListeningServer.find(port: 8080, addresses: [IPAddress("127.0.0.1")!], in: fs),
                              "a wildcard [::] socket serves IPv4 too")
        XCTAssertEqual(s.kind, .apache)
        XCTAssertEqual(s.config, "/etc/apache2-intranet/apache2.conf")
        XCTAssertEqual(s.defines, ["SSL", "INTRANET"])
        XCTAssertEqual(s.environment["APACHE_RUN_USER"], "intranet")
        XCTAssertEqual(s.socket, "[::]:8080")
        let f = proc(port: 8080, exe: "/usr/sbin/httpd", args: ["/usr/sbin/httpd", "-d", "/srv/intranet", "-f", "conf/httpd.conf"])
        XCTAssertEqual(ListeningServer.find(port: 8080, addresses: [IPAddress("127.0.0.1")!], in: f)?.config, "/srv/intranet/conf/httpd.conf")
    }

    func testAContainerIsNamedAndReadThroughItsRoot() throws {
        var fs = proc(port: 8080, exe: "/usr/sbin/nginx", args: ["nginx", "-c", "/etc/nginx/nginx.conf"])
        fs.symlink("/proc/700/ns/mnt", to: "mnt:[4026532999]")
        let s = try XCTUnwrap(ListeningServer.find(port: 8080, addresses: [IPAddress("127.0.0.1")!], in: fs))
        XCTAssertEqual(s.containerRoot, "/proc/700/root")
        XCTAssertTrue(s.evidence.contains { $0.text.contains("a container") })
    }

    func testKernelAddressesAreReadWordByWord() {
        XCTAssertEqual(ListeningServer.kernelAddress("0100007F"), IPAddress("127.0.0.1"))
        XCTAssertEqual(ListeningServer.kernelAddress("00000000000000000000000001000000"), IPAddress("::1"))
        XCTAssertEqual(ListeningServer.kernelAddress("0000000000000000FFFF00000100007F"), IPAddress("::ffff:127.0.0.1"))
        XCTAssertNil(ListeningServer.kernelAddress("zz"))
    }
}

/// A server that answers 403 with its own page, whatever is asked.
struct Canned403: HTTPTransport {
    var server: String
    var body = "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>"
    func send(_ request: ProbeRequest, options: TransportOptions) async -> TransportResult {
        TransportResult(response: CapturedResponse(url: request.url, method: request.method, status: 403, reason: "Forbidden",
                                                   headers: HeaderList([("Server", server), ("Content-Type", "text/html")]),
                                                   body: Array(body.utf8)))
    }
}

/// issue 16: nothing local listens on the URL's port (no /proc here) and the distribution's configuration
/// does not listen there either: it must not explain, confirm or patch — for nginx and for Apache.
final class DiagnoseNeverUsesAForeignConfigurationTests: XCTestCase {
    func run(_ server: String, _ fs: InMemoryFileSystem, body: String? = nil) async throws -> Report {
        var t = Canned403(server: server)
        if let body { t.body = body }
        return try await DiagnoseAnalyzer.analyze(DiagnoseAnalyzer.Input(url: "http://127.0.0.1:9999/private/", transport: t,
                                                                  fileSystem: fs, now: { 1_800_000_000 }, resolve: { _ in [] })).report
    }

    func testApache() async throws {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/etc/apache2/apache2.conf", "Listen 80\nDocumentRoot /var/www\n<Directory />\n    Require all denied\n</Directory>\n")
        fs.file("/var/www/private/index.html", "x")
        let report = try await run("Apache/2.4.62 (Debian)", fs)
        XCTAssertEqual(report.verdict.layer, .apache, "the black box still names Apache")
        XCTAssertNotEqual(report.verdict.cause, .accessDeny, "never explained with a configuration that does not listen there")
        XCTAssertFalse(report.findings.contains { f in f.fixes.contains { $0.patch != nil } }, "never patched")
        XCTAssertFalse(report.notes.contains { $0.contains("as its configuration") }, "never confirmed: \(report.notes)")
        XCTAssertTrue(report.notes.contains { $0.contains("expected a Listen on port 9999") }, "\(report.notes)")
    }

    func testNginx() async throws {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/etc/nginx/nginx.conf", "events {}\nhttp { server { listen 80; root /var/www; location /private/ { deny all; } } }\n")
        let report = try await run("nginx/1.22.1", fs, body: "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")
        XCTAssertEqual(report.verdict.layer, .nginx)
        XCTAssertNotEqual(report.verdict.cause, .accessDeny)
        XCTAssertFalse(report.findings.contains { f in f.fixes.contains { $0.patch != nil } })
        XCTAssertFalse(report.notes.contains { $0.contains("as its configuration") }, "\(report.notes)")
        XCTAssertTrue(report.notes.contains { $0.contains("expected a server listening on port 9999") }, "\(report.notes)")
    }
}

/// With real servers: started with non-default paths, `diagnose` with no flags finds and reads them.
final class DiagnoseFindsTheServerTests: XCTestCase {
    func testNginxWithItsOwnConfigurationAndPrefix() throws {
        _ = try RealTools.require("nginx")
        let dir = try TemporaryDirectory(prefix: "why403-find-nginx")
        defer { dir.remove() }
        let port = RealTools.freePort()
        for sub in ["logs", "www"] { try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true) }
        try dir.write("www/report.html", "secret\n")
        chmod(dir.path + "/www/report.html", 0o600)
        try dir.write("www/index.html", "home\n")
        let conf = try dir.write("nginx.conf", """
        \(geteuid() == 0 ? "user www-data;" : "")
        error_log logs/error.log;
        pid logs/nginx.pid;
        events { worker_connections 16; }
        http {
            log_format mine '$remote_addr [$time_local] "$request" $status ua="$http_user_agent"';
            access_log logs/access.log mine;
            client_body_temp_path logs;
            server {
                listen 127.0.0.1:\(port);
                server_name shop.test;
                root www;
            }
        }
        """)
        for path in [dir.path, dir.path + "/www", dir.path + "/logs"] { chmod(path, 0o755) }
        let server = try LocalServer.nginx(config: conf.path, prefix: dir.path + "/", port: port)
        defer { server.stop() }
        let r = try Run.why403(["diagnose", "http://127.0.0.1:\(port)/report.html", "-H", "Host: shop.test", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.config, conf.path, "\(report.notes)")
        XCTAssertTrue(report.notes.contains { $0.hasPrefix("found the server: pid ") && $0.contains("-c \(conf.path)") }, "\(report.notes)")
        XCTAssertTrue(report.notes.contains { $0.hasPrefix("logs of that configuration read for this request: \(dir.path)/logs/error.log, \(dir.path)/logs/access.log") },
                      "the error and access logs of the configuration found, relative to its prefix: \(report.notes)")
        if geteuid() == 0 {
            XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .filesystem, cause: .fsPermission), "\(report.findings.map(\.summary))")
            XCTAssertTrue(report.notes.contains { $0.hasPrefix("the error log agrees with the configuration: fs.permission") }, "\(report.notes)")
            XCTAssertTrue(report.findings.contains { $0.evidence.contains { $0.text.contains("(13: Permission denied)") } }, "the log line quoted")
            XCTAssertTrue(report.findings.first?.fixes.contains { $0.commands.contains { $0.contains("setfacl") } } ?? false)
        }
    }

    /// The report that started it: Apache from its own httpd.conf on a free port; the distribution's
    /// apache2.conf (which does not listen there) must never explain, confirm or be patched.
    func testApacheWithItsOwnConfigurationIsNotExplainedWithTheSystemOne() throws {
        _ = try RealTools.require("apache2")
        guard let scenario = LabScenario.all.first(where: { $0.id == "apache-htaccess-deny" }) else { return XCTFail("no lab scenario") }
        let dir = try TemporaryDirectory(prefix: "why403-find-apache")
        defer { dir.remove() }
        let port = RealTools.freePort()
        try LabRunner(directory: dir.path, startServers: false).materialize(scenario, in: dir.path, port: port)
        let server = try LocalServer.apache(config: dir.path + "/httpd.conf", serverRoot: dir.path, port: port)
        defer { server.stop() }
        let r = try Run.why403(["diagnose", "http://127.0.0.1:\(port)\(scenario.request)", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.config, dir.path + "/httpd.conf", "\(report.notes)")
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .apache, cause: scenario.expectedCause))
        XCTAssertFalse(r.stdout.contains("/etc/apache2/apache2.conf"), "the system configuration is not this server's")
    }
}

private extension String {
    func leftPad(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

/// issue 14: the lab's behind-a-proxy scenario — the allowlist sees the balancer's address, the fix is
/// shown first, and the fixed configuration it ships lets the office in (and a forged header from
/// elsewhere still not).
final class BehindProxyLabTests: XCTestCase {
    func testTheScenarioAndItsFixedConfiguration() throws {
        guard let s = LabScenario.all.first(where: { $0.id == "nginx-allowlist-behind-proxy" }) else { return XCTFail("no scenario") }
        let dir = try TemporaryDirectory(prefix: "why403-behind-proxy")
        defer { dir.remove() }
        try LabRunner(directory: dir.path, startServers: false).materialize(s, in: dir.path, port: 8080)
        let request = try s.request(url: "http://127.0.0.1:8080/admin/")
        let before = try NginxAnalyzer.analyze(.init(config: .file(dir.path + "/nginx.conf"), request: request,
                                                     fileSystem: LiveFileSystem(), prefix: dir.path))
        XCTAssertEqual(before.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertTrue(before.findings[0].fixes[0].patch?.contains("set_real_ip_from 127.0.0.1;") ?? false, "\(before.findings[0].fixes)")
        XCTAssertTrue(before.findings[0].evidence.contains { $0.source == "header X-Forwarded-For" })
        XCTAssertTrue(before.findings[0].checks?.contains { $0.contains("externalTrafficPolicy") } ?? false)
        let after = try NginxAnalyzer.analyze(.init(config: .file(dir.path + "/nginx-fixed.conf"), request: request,
                                                    fileSystem: LiveFileSystem(), prefix: dir.path))
        XCTAssertEqual(after.verdict.status, 200, "\(after.notes)")
        var forged = request
        forged.clientAddress = IPAddress("203.0.113.9")
        let outsider = try NginxAnalyzer.analyze(.init(config: .file(dir.path + "/nginx-fixed.conf"), request: forged,
                                                       fileSystem: LiveFileSystem(), prefix: dir.path))
        XCTAssertEqual(outsider.verdict.cause, .accessIP, "the header is believed only from the balancer")
    }
}
