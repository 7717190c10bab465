import Foundation
import XCTest
import Why403TestSupport

/// A real nginx on 127.0.0.1, in a temporary prefix, for the probe's tests.
struct NginxHarness {
    let dir: TemporaryDirectory
    let nginx: String
    let port: Int

    /// Starts nginx with `server` (the body of one `server {}` block; `PORT` and `ROOT`, a folder holding index.html, are replaced) and the
    /// `http`-level lines in `http`. With `tls` (`listen … ssl http2`, accepted by nginx 1.22 and, deprecated, by later ones), a self-signed certificate for 127.0.0.1 is made with openssl.
    static func start(server: String, http: String = "", tls: Bool = false,
                      file: StaticString = #filePath, line: UInt = #line) throws -> NginxHarness {
        let nginx = try RealTools.require("nginx", file: file, line: line)
        let dir = try TemporaryDirectory(prefix: "why403-probe-nginx")
        let port = RealTools.freePort()
        if tls {
            let openssl = try RealTools.require("openssl", file: file, line: line)
            let r = try startDaemon(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                              "-keyout", dir.path + "/key.pem", "-out", dir.path + "/cert.pem"],
                                    log: dir.path + "/openssl.log")
            XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        }
        let conf = """
        worker_processes 1;
        error_log \(dir.path)/error.log;
        pid \(dir.path)/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log \(dir.path)/access.log;
            client_body_temp_path \(dir.path)/tmp_body;
            proxy_temp_path \(dir.path)/tmp_proxy;
            fastcgi_temp_path \(dir.path)/tmp_fastcgi;
            uwsgi_temp_path \(dir.path)/tmp_uwsgi;
            scgi_temp_path \(dir.path)/tmp_scgi;
            \(http)
            server {
                \(tls ? "listen 127.0.0.1:\(port) ssl http2;\n        ssl_certificate \(dir.path)/cert.pem;\n        ssl_certificate_key \(dir.path)/key.pem;" : "listen 127.0.0.1:\(port);")
                server_name localhost;
                \(server.replacingOccurrences(of: "PORT", with: String(port)).replacingOccurrences(of: "ROOT", with: dir.path + "/www"))
            }
        }
        """
        try dir.write("nginx.conf", conf)
        try dir.write("www/index.html", "<p>ok</p>\n", mode: 0o644)
        // Not through Run.program: a daemon would inherit its pipes and hold them open forever.
        let r = try startDaemon(nginx, ["-p", dir.path, "-c", dir.path + "/nginx.conf"], log: dir.path + "/start.log")
        guard r.status == 0 else {
            let log = (try? String(contentsOfFile: dir.path + "/start.log", encoding: .utf8)) ?? ""
            XCTFail("nginx did not start: \(log)", file: file, line: line)
            throw XCTSkip("nginx did not start")
        }
        let h = NginxHarness(dir: dir, nginx: nginx, port: port)
        h.waitUntilListening()
        return h
    }

    /// Waits (bounded) until the port accepts connections; not a timed assertion, only a readiness wait.
    func waitUntilListening() {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if ok == 0 { return }
            usleep(50_000)
        }
    }

    func url(_ path: String, scheme: String = "http") -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    func stop() {
        _ = try? startDaemon(nginx, ["-p", dir.path, "-c", dir.path + "/nginx.conf", "-s", "stop"], log: dir.path + "/stop.log")
        // Wait for the master to exit so the prefix can go.
        for _ in 0..<50 where FileManager.default.fileExists(atPath: dir.path + "/nginx.pid") { usleep(50_000) }
        dir.remove()
    }
}

/// Runs a program that daemonizes (nginx) with no pipes (`Run.detached`): stdin from /dev/null, output to `log`.
func startDaemon(_ path: String, _ arguments: [String], log: String) throws -> (status: Int32, stderr: String) {
    let status = try Run.detached([path] + arguments, log: log)
    return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
}
