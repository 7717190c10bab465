import Foundation
import XCTest
import Why403Core
import Why403Nginx
import Why403TestSupport

/// Values nginx refuses when it loads a configuration: why403 refuses them too, in nginx's words, with the file and
/// line (exit 2), rather than explaining a request with a configuration no running nginx uses (session 33's QA found
/// verdicts, some `certain`, for each of these). Each case is checked with the real `nginx -t` first.
final class ValueCheckTests: XCTestCase {
    static let refused: [(body: String, message: String)] = [
        ("location / { allow 10.0.0.300; }", #"invalid parameter "10.0.0.300""#),
        ("location / { allow 10.0.0.0/33; deny all; }", #"invalid parameter "10.0.0.0/33""#),
        ("location / { deny 2001:db8::/129; }", #"invalid parameter "2001:db8::/129""#),
        ("location / { satisfy maybe; }", #"invalid value "maybe""#),
        ("location / { allow all; } location / { deny all; }", #"duplicate location "/""#),
        ("location /a { } location ^~ /a { }", #"duplicate location "/a""#),
        ("location /a { location /a/b { } location /a/b { } }", #"duplicate location "/a/b""#),
        // Directives out of their context (session 33's QA: a location at http level was explained as if it applied).
        ("} location / { deny all; } server { listen 127.0.0.1:8081;", #""location" directive is not allowed here"#),
        ("location /a { alias /tmp; } alias /tmp;", #""alias" directive is not allowed here"#),
        ("location /a { listen 8082; }", #""listen" directive is not allowed here"#),
        ("if ($http_x) { allow 10.0.0.1; }", #""allow" directive is not allowed here"#),
        ("location /a { if ($http_x) { try_files $uri =404; } }", #""try_files" directive is not allowed here"#),
        ("location /a { limit_except GET { return 403; } }", #""return" directive is not allowed here"#),
        ("} server { listen 127.0.0.1:8083; } http {", #""http" directive is not allowed here"#),
        // Regular expressions PCRE2 refuses (nginx compiles them when it loads the configuration).
        (#"location ~ "^/(a" { return 403; }"#, #"pcre2_compile() failed: missing closing parenthesis in "^/(a""#),
        (#"location ~* "^/b[" { }"#, #"pcre2_compile() failed: missing terminating ] for character class in "^/b[""#),
        (#"location /c { rewrite "^/c(?<n" /d; }"#, #"pcre2_compile() failed:"#),
        (#"} map $uri $m { default 0; "~^/(x" 1; } server { listen 127.0.0.1:8085;"#, #"pcre2_compile() failed: missing closing parenthesis in "^/(x""#),
        (#"if ($http_x ~ "a{2,1}") { return 403; }"#, #"pcre2_compile() failed: numbers out of order in {} quantifier in "a{2,1}" at "}""#),
    ]
    /// Accepted by nginx: no error.
    static let accepted = [
        "location / { allow 10.0.0.1/8; allow unix:; deny 2001:db8::/32; satisfy any; }",
        // Enumerations and flags ignore case (ngx_conf_set_enum_slot, ngx_conf_set_flag_slot): QA found `satisfy ANY`
        // refused by this check.
        "location / { satisfy ANY; autoindex ON; } location /b { satisfy All; }",
        "location /a { } location = /a { } location ~ /a { } location ~ /a { }",
        "location /a { location /a/x { } } location /a/ { location /a/x { } }",
        "if ($http_x) { return 403; set $a 1; rewrite ^ /b; break; } location /c { if ($http_y) { root /tmp; proxy_pass http://127.0.0.1:9; error_page 403 /e; } "
            + "limit_except GET { deny all; allow 10.0.0.1; auth_basic off; proxy_pass http://127.0.0.1:9; } internal; }",
        #"location ~ "^/(?<name>[a-z]++)\.php$" { } location ~* "^/x\d{2,}$" { } if ($uri ~* "^/y(?i)z") { return 403; }"#,
        "} upstream u { server 127.0.0.1:9; } map $uri $m { default 0; } server { listen 127.0.0.1:8084; location / { alias /tmp/; }",
    ]

    func config(_ body: String) -> String {
        "events {}\nhttp {\n  server { listen 127.0.0.1:8080; \(body) }\n}\n"
    }

    func testValuesNginxRefusesAreErrors() throws {
        let nginx = try RealTools.require("nginx")
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (i, c) in (Self.refused.map { ($0.body, Optional($0.message)) } + Self.accepted.map { ($0, nil) }).enumerated() {
            let file = try dir.write("c\(i).conf", config(c.0)).path
            let t = try Run.shell("'\(nginx)' -t -q -p '\(dir.path)/' -c '\(file)' -e /dev/null 2>&1")
            XCTAssertEqual(t.status != 0, c.1 != nil, "nginx -t on \(c.0): \(t.stdout)\(t.stderr)")
            do {
                _ = try NginxAnalyzer.parse(.file(file))
                XCTAssertNil(c.1, "why403 accepted \(c.0)")
            } catch let e as InputError {
                guard let message = c.1 else { XCTFail("why403 refused \(c.0): \(e)"); continue }
                XCTAssertTrue("\(e)".contains("c\(i).conf:3: error: \(message)"), "\(e)")
                XCTAssertTrue((t.stdout + t.stderr).contains(message), "nginx says: \(t.stdout)\(t.stderr)")
            }
        }
    }
}
