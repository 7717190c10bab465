import Foundation
import XCTest
import Why403Core
import Why403Response
import Why403TestSupport

/// The real nginx and Apache httpd installed here, started on loopback: their default 401/403 pages
/// are identified by the catalogue, and match the fixtures captured from them.
final class LiveServerTests: XCTestCase {
    /// A server process started by a test, stopped at the end.
    final class Server {
        let process: BackgroundProcess
        init(_ path: String, _ args: [String]) throws {
            process = try BackgroundProcess(path, args)
        }
        func stop() { process.stop() }
    }

    /// `curl -si URL` once the server answers (polls a bounded number of times; no timing asserted).
    func fetch(_ curl: String, _ url: String, _ extra: [String] = []) throws -> [UInt8] {
        for _ in 0..<100 {
            let r = try Run.program(curl, ["-si", "--max-time", "5"] + extra + [url])
            if r.status == 0, !r.stdout.isEmpty { return Array(r.stdout.utf8) }
            usleep(100_000)
        }
        XCTFail("the server at \(url) never answered")
        return []
    }

    /// The report of a live response, its verdict and primary rule checked.
    @discardableResult
    func expect(_ bytes: [UInt8], _ name: String, _ verdict: Verdict, rule: String,
                file: StaticString = #filePath, line: UInt = #line) throws -> Report {
        let report = try ResponseReport.report(bytes: bytes, file: name)
        XCTAssertEqual(report.verdict, verdict, name, file: file, line: line)
        XCTAssertEqual(report.findings.first?.rule, rule, name, file: file, line: line)
        return report
    }

    func body(_ bytes: [UInt8]) throws -> String {
        try ResponseReader.read(bytes, file: "live").responses[0].bodyText
    }

    /// The start of a minimal httpd.conf in `dir` on `port`, loading `modules` (Debian's module
    /// directory), serving `dir/www` to everyone; a test appends its sections.
    func apacheConfig(_ dir: TemporaryDirectory, port: Int, modules: [String]) -> String {
        let load = modules.map { "LoadModule \($0)_module /usr/lib/apache2/modules/mod_\($0).so" }.joined(separator: "\n")
        return """
            ServerRoot \(dir.path)
            Listen 127.0.0.1:\(port)
            PidFile \(dir.path)/httpd.pid
            ErrorLog \(dir.path)/error.log
            \(load)
            TypesConfig /etc/mime.types
            ServerName localhost
            User www-data
            Group www-data
            DocumentRoot \(dir.path)/www
            <Directory \(dir.path)/www>
              Require all granted
            </Directory>

            """
    }

    /// The start of a minimal nginx.conf in `dir` (no daemon, its files in `dir`), up to inside `http {`: a test appends
    /// its directives and servers, and the closing brace.
    func nginxConfig(_ dir: TemporaryDirectory) -> String {
        """
        daemon off; pid \(dir.path)/nginx.pid; error_log \(dir.path)/error.log; worker_processes 1;
        events {}
        http { access_log off; client_body_temp_path \(dir.path); proxy_temp_path \(dir.path); fastcgi_temp_path \(dir.path);
          uwsgi_temp_path \(dir.path); scgi_temp_path \(dir.path);

        """
    }

    /// Apache on `port` serving `dir/www`, with `/deny/` (`Require all denied`) and `/auth/` (Basic, `Require valid-user`,
    /// no user who can pass), the base modules plus `modules`, and `extra` configuration; started (the caller stops it).
    func startApacheDenyAndAuth(_ apache: String, _ dir: TemporaryDirectory, port: Int, modules: [String] = [], extra: String = "") throws -> Server {
        try dir.write("www/index.html", "ok\n")
        try dir.write("www/deny/x.html", "x\n")
        try dir.write("www/auth/x.html", "x\n")
        try dir.write("htpasswd", "u:$apr1$x$y\n")
        let base = ["mpm_event", "authz_core", "authz_host", "authn_core", "authn_file", "authz_user", "auth_basic", "dir", "mime"]
        try dir.write("httpd.conf", apacheConfig(dir, port: port, modules: base + modules) + """
            <Directory \(dir.path)/www/deny>
              Require all denied
            </Directory>
            <Directory \(dir.path)/www/auth>
              AuthType Basic
              AuthName "Members only"
              AuthUserFile \(dir.path)/htpasswd
              Require valid-user
            </Directory>

            """ + extra)
        _ = try Run.shell("chmod -R a+rX \(dir.path)")
        return try Server(apache, ["-f", "\(dir.path)/httpd.conf", "-DFOREGROUND"])
    }

    func testRealNginxDefaultPages() throws {
        let nginx = try RealTools.require("nginx")
        let curl = try RealTools.require("curl")
        let dir = try TemporaryDirectory(prefix: "why403-resp-nginx")
        defer { dir.remove() }
        let port = RealTools.freePort()
        try dir.write("www/index.html", "ok\n")
        try dir.write("htpasswd", "u:$apr1$x$y\n")
        try dir.write("nginx.conf", nginxConfig(dir) + """
              limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
              server { listen 127.0.0.1:\(port); root \(dir.path)/www;
                location /deny/ { deny all; }
                location /limited/ { limit_req zone=one; }
                location /auth/ { auth_basic "Restricted area"; auth_basic_user_file \(dir.path)/htpasswd; }
              } }
            """)
        let server = try Server(nginx, ["-c", "\(dir.path)/nginx.conf"])
        defer { server.stop() }
        let denied = try fetch(curl, "http://127.0.0.1:\(port)/deny/")
        let report = try ResponseReport.report(bytes: denied, file: "live-nginx-403")
        XCTAssertEqual(report.verdict.layer, .nginx)
        XCTAssertEqual(report.verdict.status, 403)
        XCTAssertEqual(report.findings.first?.rule, "nginx-default-403")
        // The committed fixture is this page (the version may differ on another machine).
        let fixture = try body(Array(try Fixtures.data("responses/nginx-default-403/deny-all.hit.http")))
        XCTAssertEqual(try body(denied).replacingOccurrences(of: #"nginx/[0-9.]+"#, with: "nginx", options: .regularExpression),
                       fixture.replacingOccurrences(of: #"nginx/[0-9.]+"#, with: "nginx", options: .regularExpression))

        let challenged = try fetch(curl, "http://127.0.0.1:\(port)/auth/")
        let r401 = try ResponseReport.report(bytes: challenged, file: "live-nginx-401")
        XCTAssertEqual(r401.verdict, Verdict(status: 401, layer: .nginx, cause: .authMissing))

        let transcript = try Run.program(curl, ["-sv", "-u", "u:wrong-password", "http://127.0.0.1:\(port)/auth/"])
        let rv = try ResponseReport.report(bytes: Array((transcript.stderr + transcript.stdout).utf8), file: "live-nginx-v")
        XCTAssertEqual(rv.verdict, Verdict(status: 401, layer: .nginx, cause: .authInvalid))
        XCTAssertEqual(rv.subject.extra["format"], .string("curl-v"))

        // limit_req's default status is 503: the second request within the minute gets nginx's 503 page, which
        // can only be a possible rate limit (a `return 503` writes the same page).
        try dir.write("www/limited/index.html", "ok\n")
        _ = try fetch(curl, "http://127.0.0.1:\(port)/limited/")
        let limited = try fetch(curl, "http://127.0.0.1:\(port)/limited/")
        let r503 = try expect(limited, "live-nginx-503", Verdict(status: 503, layer: .nginx, cause: .rateLimit), rule: "nginx-default-503")
        XCTAssertEqual(r503.findings.first?.confidence, .possible)
        XCTAssertTrue(try String(contentsOfFile: "\(dir.path)/error.log", encoding: .utf8).contains("limiting requests"))
    }

    /// `ssl_verify_client on`: nginx's 400 pages for no client certificate and for one that does not verify,
    /// from the real nginx with a throw-away CA made by the real openssl.
    func testRealNginxClientCertificatePages() throws {
        let nginx = try RealTools.require("nginx")
        let curl = try RealTools.require("curl")
        let openssl = try RealTools.require("openssl")
        let dir = try TemporaryDirectory(prefix: "why403-resp-nginx-tls")
        defer { dir.remove() }
        for name in ["ca", "other"] {
            let r = try Run.program(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir.path)/\(name).key",
                                              "-out", "\(dir.path)/\(name).pem", "-days", "2", "-subj", "/CN=why403-\(name)"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let port = RealTools.freePort()
        try dir.write("www/index.html", "ok\n")
        try dir.write("nginx.conf", nginxConfig(dir) + """
              server { listen 127.0.0.1:\(port) ssl; root \(dir.path)/www;
                ssl_certificate \(dir.path)/ca.pem; ssl_certificate_key \(dir.path)/ca.key;
                ssl_verify_client on; ssl_client_certificate \(dir.path)/ca.pem; } }
            """)
        let server = try Server(nginx, ["-c", "\(dir.path)/nginx.conf"])
        defer { server.stop() }
        try expect(try fetch(curl, "https://127.0.0.1:\(port)/", ["-k"]), "live-nginx-no-cert",
                   Verdict(status: 400, layer: .nginx, cause: .authMissing), rule: "nginx-client-cert-missing")
        try expect(try fetch(curl, "https://127.0.0.1:\(port)/", ["-k", "--cert", "\(dir.path)/other.pem", "--key", "\(dir.path)/other.key"]),
                   "live-nginx-bad-cert", Verdict(status: 400, layer: .nginx, cause: .authInvalid), rule: "nginx-client-cert-invalid")
    }

    /// A real ModSecurity denial answers with Apache's own page: the response cannot name ModSecurity,
    /// so the verdict is Apache with an unknown cause, and the checks point at the error log line.
    func testRealModSecurityDenialIsApachesPageWithTheLogCheck() throws {
        let apache = try RealTools.require("apache2")
        let curl = try RealTools.require("curl")
        guard FileManager.default.fileExists(atPath: "/usr/lib/apache2/modules/mod_security2.so") else {
            if RealTools.isCI { XCTFail("mod_security2 is not installed (libapache2-mod-security2)") }
            throw XCTSkip("mod_security2 is not installed")
        }
        let dir = try TemporaryDirectory(prefix: "why403-resp-modsec")
        defer { dir.remove() }
        let port = RealTools.freePort()
        try dir.write("www/index.html", "ok\n")
        let modules = ["mpm_event", "authz_core", "dir", "mime", "unique_id", "security2"]
        try dir.write("httpd.conf", apacheConfig(dir, port: port, modules: modules) + """
            SecRuleEngine On
            SecAuditEngine Off
            SecRule ARGS "@contains attack" "id:1001,phase:2,deny,status:403,log,msg:'test rule'"
            """)
        _ = try Run.shell("chmod -R a+rX \(dir.path)")
        let server = try Server(apache, ["-f", "\(dir.path)/httpd.conf", "-DFOREGROUND"])
        defer { server.stop() }
        _ = try fetch(curl, "http://127.0.0.1:\(port)/")
        let denied = try fetch(curl, "http://127.0.0.1:\(port)/?q=attack")
        let report = try ResponseReport.report(bytes: denied, file: "live-modsec-403")
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .apache, cause: .unknown))
        XCTAssertNotEqual(report.findings.first?.confidence, .certain)
        XCTAssertTrue(report.findings.first?.checks?.contains { $0.contains("ModSecurity: Access denied") } ?? false)
        let log = (try? String(contentsOfFile: "\(dir.path)/error.log", encoding: .utf8)) ?? ""
        XCTAssertTrue(log.contains("ModSecurity: Access denied with code 403"), "the real ModSecurity did deny: \(log.suffix(500))")
    }

    func testRealApacheDefaultPages() throws {
        let apache = try RealTools.require("apache2")
        let curl = try RealTools.require("curl")
        let dir = try TemporaryDirectory(prefix: "why403-resp-apache")
        defer { dir.remove() }
        let port = RealTools.freePort()
        let server = try startApacheDenyAndAuth(apache, dir, port: port)
        defer { server.stop() }
        let denied = try fetch(curl, "http://127.0.0.1:\(port)/deny/x.html")
        let report = try ResponseReport.report(bytes: denied, file: "live-apache-403")
        XCTAssertEqual(report.verdict.layer, .apache)
        XCTAssertEqual(report.findings.first?.rule, "apache-default-403")
        let fixture = try body(Array(try Fixtures.data("responses/apache-default-403/require-denied.hit.http")))
        XCTAssertEqual(try body(denied), fixture)

        let challenged = try fetch(curl, "http://127.0.0.1:\(port)/auth/x.html")
        let r401 = try ResponseReport.report(bytes: challenged, file: "live-apache-401")
        XCTAssertEqual(r401.verdict, Verdict(status: 401, layer: .apache, cause: .authMissing))
    }

    /// The real Squid on loopback as a forward proxy: `http_access deny` answers its ERR_ACCESS_DENIED page (Squid named,
    /// the rule not: cause unknown), and a `proxy_auth` ACL its 407 ERR_CACHE_ACCESS_DENIED page, whose challenge
    /// says that no credentials were sent.
    func testRealSquidErrorPages() throws {
        let squid = try RealTools.require("squid")
        let curl = try RealTools.require("curl")
        let dir = try TemporaryDirectory(prefix: "why403-resp-squid")
        defer { dir.remove() }
        _ = try Run.shell("chmod 777 \(dir.path)")
        let port = RealTools.freePort()
        try dir.write("passwd", "u:$apr1$x$y\n")
        try dir.write("squid.conf", """
            http_port 127.0.0.1:\(port)
            pid_filename \(dir.path)/squid.pid
            cache_log \(dir.path)/cache.log
            access_log none
            cache deny all
            coredump_dir \(dir.path)
            auth_param basic program /usr/lib/squid/basic_ncsa_auth \(dir.path)/passwd
            acl authed proxy_auth REQUIRED
            acl authpath urlpath_regex ^/auth
            http_access deny authpath !authed
            http_access deny all
            """)
        _ = try Run.shell("chmod -R a+rX \(dir.path)")
        let server = try Server(squid, ["-N", "-f", "\(dir.path)/squid.conf"])
        defer { server.stop() }
        let r403 = try expect(try fetch(curl, "http://example.invalid/x", ["-x", "http://127.0.0.1:\(port)"]), "live-squid-403",
                              Verdict(status: 403, layer: .unknown, cause: .unknown), rule: "squid-access-denied")
        XCTAssertTrue(r403.findings.first?.summary.contains("Squid") ?? false)
        try expect(try fetch(curl, "http://example.invalid/auth", ["-x", "http://127.0.0.1:\(port)"]), "live-squid-407",
                   Verdict(status: 407, layer: .unknown, cause: .authMissing), rule: "squid-proxy-auth")
    }

    /// httpd's multilingual error documents (Debian installs them in /usr/share/apache2/error/; distributions and
    /// XAMPP serve them): the real Apache renders the 403 and 401 documents in every language the installed
    /// type maps list, and each page is Apache's, with its headers and as a body alone (a pasted page).
    func testRealApacheMultilingualErrorDocuments() throws {
        let apache = try RealTools.require("apache2")
        let curl = try RealTools.require("curl")
        let errors = "/usr/share/apache2/error"
        func languages(_ file: String) throws -> [String] {
            guard let text = try? String(contentsOfFile: "\(errors)/\(file)", encoding: .utf8) else {
                let message = "\(errors)/\(file) is missing (apt-get install apache2-data; .ci/run installs apache2)"
                if RealTools.isCI { XCTFail(message) }
                throw XCTSkip(message)
            }
            return text.split(separator: "\n").filter { $0.hasPrefix("Content-language: ") }.map { String($0.dropFirst(18)) }
        }
        let forbidden = try languages("HTTP_FORBIDDEN.html.var"), unauthorized = try languages("HTTP_UNAUTHORIZED.html.var")
        XCTAssertGreaterThan(forbidden.count, 15, "the type map lists the languages")
        let dir = try TemporaryDirectory(prefix: "why403-resp-apache-lang")
        defer { dir.remove() }
        let port = RealTools.freePort()
        let server = try startApacheDenyAndAuth(apache, dir, port: port, modules: ["alias", "include", "negotiation"], extra: """
            Alias /error/ "\(errors)/"
            <Directory "\(errors)">
              Options IncludesNoExec
              AddOutputFilter Includes html
              AddHandler type-map var
              Require all granted
              LanguagePriority en
              ForceLanguagePriority Prefer Fallback
            </Directory>
            ErrorDocument 401 /error/HTTP_UNAUTHORIZED.html.var
            ErrorDocument 403 /error/HTTP_FORBIDDEN.html.var
            """)
        defer { server.stop() }
        for (path, status, langs, rule) in [("deny", 403, forbidden, "apache-default-403"), ("auth", 401, unauthorized, "apache-default-401")] {
            for lang in langs {
                let page = try fetch(curl, "http://127.0.0.1:\(port)/\(path)/x.html", ["-H", "Accept-Language: \(lang)"])
                let captured = try ResponseReader.read(page, file: "live").responses[0]
                XCTAssertEqual(captured.headers["content-language"], lang, "Apache served the \(lang) document")
                let whole = try ResponseReport.report(bytes: page, file: "live-apache-\(status)-\(lang)")
                XCTAssertEqual(whole.verdict.layer, .apache, "\(status) in \(lang)")
                XCTAssertEqual(whole.findings.first?.rule, rule, "\(status) in \(lang)")
                let pasted = Array("HTTP/1.1 \(status)\n\n\(captured.bodyText)".utf8)
                let alone = ResponseAnalyzer.identify(try ResponseReader.read(pasted, file: "pasted").responses[0])
                XCTAssertEqual(alone.findings.first?.rule, rule, "\(status) in \(lang), the body alone")
                // The title alone (a quoted excerpt, no footer) with the Server header: each language's title is known.
                guard let open = captured.bodyText.range(of: "<h1>"), let close = captured.bodyText.range(of: "</h1>", range: open.upperBound..<captured.bodyText.endIndex) else {
                    XCTFail("\(status) in \(lang): no <h1> title"); continue
                }
                let title = captured.bodyText[open.upperBound..<close.lowerBound]
                let excerpt = Array("HTTP/1.1 \(status)\nServer: Apache\n\n<h1>\(title)</h1>\n".utf8)
                let titled = ResponseAnalyzer.identify(try ResponseReader.read(excerpt, file: "title").responses[0])
                XCTAssertEqual(titled.findings.first?.rule, rule, "\(status) in \(lang): the title \"\(title)\" alone")
            }
        }
    }
}
