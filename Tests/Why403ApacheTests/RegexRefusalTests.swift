import Foundation
import XCTest
import Why403Core
import Why403Apache
import Why403FileSystem
import Why403TestSupport

/// Regular expressions httpd cannot compile: httpd refuses to start (`apache2 -t`: AH00526), so why403 refuses the
/// configuration in httpd's words (exit 2) rather than explaining a request with it; in an .htaccess, httpd answers 500
/// and so does why403 (`config.error`). Each case is checked with the real `apache2 -t` first. (Session 34: the
/// simulation skipped the rule with a note and gave a verdict.)
final class RegexRefusalTests: XCTestCase {
    static let refused: [(conf: String, message: String)] = [
        (#"RewriteEngine On\#nRewriteRule "^/(a" - [F]"#, "RewriteRule: cannot compile regular expression '^/(a'"),
        (#"RewriteEngine On\#nRewriteCond %{HTTP_USER_AGENT} "bot[" [NC]\#nRewriteRule ^ - [F]"#,
         "RewriteCond: cannot compile regular expression 'bot['"),
        (#"<LocationMatch "^/b[">\#nRequire all denied\#n</LocationMatch>"#, "Regex could not be compiled"),
        (#"<Location ~ "^/c(">\#nRequire all denied\#n</Location>"#, "Regex could not be compiled"),
        (#"<FilesMatch "\.(php">\#nRequire all denied\#n</FilesMatch>"#, "Regex could not be compiled"),
        (#"<DirectoryMatch "^/x{2,1}">\#nRequire all denied\#n</DirectoryMatch>"#, "Regex could not be compiled"),
        (#"RedirectMatch 301 "^/old(" /new"#, "Regular expression could not be compiled."),
        (#"AliasMatch "^/pics/(.+" /tmp/$1"#, "Regular expression could not be compiled."),
    ]
    static let accepted = [
        #"RewriteEngine On\#nRewriteCond %{REQUEST_FILENAME} !-f\#nRewriteCond %{HTTP_HOST} =example.com\#nRewriteRule "^/(?(?=a)abc|xyz)" - [F]"#,
        #"<LocationMatch "^/b[a-z]+">\#nRequire all denied\#n</LocationMatch>\#nRedirectMatch "^/old(.*)" /new$1"#,
    ]

    func testRegexesHttpdCannotCompileAreErrors() throws {
        let apache = try RealTools.require("apache2")
        let dir = try TemporaryDirectory(prefix: "why403-regex")
        defer { dir.remove() }
        try dir.write("www/a.txt", "a")
        for (i, c) in (Self.refused.map { ($0.conf, Optional($0.message)) } + Self.accepted.map { ($0, nil) }).enumerated() {
            let conf = """
                Listen 127.0.0.1:8099
                PidFile \(dir.path)/pid
                ErrorLog \(dir.path)/error.log
                DefaultRuntimeDir \(dir.path)
                ServerName localhost
                LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
                LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
                LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so
                LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
                DocumentRoot \(dir.path)/www
                <Directory \(dir.path)/www>
                Require all granted
                </Directory>
                \(c.0)

                """
            let file = try dir.write("c\(i).conf", conf).path
            let t = try Run.shell("'\(apache)' -t -f '\(file)' 2>&1")
            XCTAssertEqual(t.status != 0, c.1 != nil, "apache2 -t on \(c.0): \(t.stdout)\(t.stderr)")
            let req = try Request(method: "GET", url: "http://127.0.0.1:8099/a.txt", headers: [], clientIP: "127.0.0.1")
            do {
                _ = try ApacheAnalyzer.analyze(.init(configPath: file, request: req, fileSystem: LiveFileSystem()))
                XCTAssertNil(c.1, "why403 accepted \(c.0)")
            } catch let e as InputError {
                guard let message = c.1 else { XCTFail("why403 refused \(c.0): \(e)"); continue }
                XCTAssertTrue("\(e)".contains(message), "\(e)")
                XCTAssertTrue((t.stdout + t.stderr).contains(message), "httpd says: \(t.stdout)\(t.stderr)")
            }
        }
    }

    /// In an .htaccess the same rule is httpd's 500, a `config.error`.
    func testInHtaccessItIsA500() throws {
        let dir = try TemporaryDirectory(prefix: "why403-regex-ht")
        defer { dir.remove() }
        try dir.write("www/a.txt", "a")
        try dir.write("www/.htaccess", "RewriteEngine On\nRewriteRule \"^(a\" - [F]\n")
        let file = try dir.write("httpd.conf", """
            Listen 127.0.0.1:8099
            LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
            LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so
            DocumentRoot \(dir.path)/www
            <Directory \(dir.path)/www>
            AllowOverride All
            Require all granted
            </Directory>

            """).path
        let req = try Request(method: "GET", url: "http://127.0.0.1:8099/a.txt", headers: [], clientIP: "127.0.0.1")
        let r = try ApacheAnalyzer.analyze(.init(configPath: file, request: req, fileSystem: LiveFileSystem()))
        XCTAssertEqual(r.verdict.status, 500)
        XCTAssertEqual(r.verdict.cause, .configError)
        XCTAssertTrue(r.findings.contains { $0.summary.contains("RewriteRule: cannot compile regular expression") }, "\(r.findings.map(\.summary))")
    }
}
