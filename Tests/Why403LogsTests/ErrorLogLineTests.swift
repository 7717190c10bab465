import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// Every error message `why403 logs` maps, from lines real nginx 1.22 and Apache 2.4.71 wrote
/// (Tests/Fixtures/logs/recorded, made by Tests/Fixtures/logs/real/run-servers.sh).
final class ErrorLogLineTests: XCTestCase {
    struct Row { var id: String; var line: String; var cause: Cause; var layer: Layer; var confidence: Confidence; var rule: String; var client: String }

    func causeOf(_ line: String, statuses: Set<Int> = [401, 403, 429, 503]) throws -> Finding? {
        try analyzeText(line + "\n", statuses: statuses).findings.first
    }

    func testNginxMessages() throws {
        let rows: [Row] = [
            Row(id: "rule", line: #"2026/11/29 09:42:07 [error] 17968#17968: *2 access forbidden by rule, client: 127.0.0.1, server: localhost, request: "GET /deny/x HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .accessIP, layer: .nginx, confidence: .likely, rule: "nginx-access-forbidden-by-rule", client: "127.0.0.1"),
            Row(id: "index", line: #"2026/11/29 09:42:07 [error] 17968#17968: *3 directory index of "/tmp/w4l/nginx/www/dir/" is forbidden, client: 127.0.0.1, server: localhost, request: "GET /dir/ HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .indexMissing, layer: .nginx, confidence: .certain, rule: "nginx-directory-index-forbidden", client: "127.0.0.1"),
            Row(id: "open13", line: #"2026/11/29 09:42:07 [error] 17968#17968: *4 open() "/tmp/w4l/nginx/www/secret.txt" failed (13: Permission denied), client: 127.0.0.1, server: localhost, request: "GET /secret.txt HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: "nginx-permission-denied", client: "127.0.0.1"),
            Row(id: "forbidden13", line: #"2026/11/29 09:42:22 [error] 18198#18198: *6 "/tmp/w4l/nginx/www/nox/index.html" is forbidden (13: Permission denied), client: 2001:db8::7, server: localhost, request: "GET /nox/ HTTP/1.1", host: "[::1]:18431""#,
                cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: "nginx-permission-denied", client: "2001:db8::7"),
            Row(id: "limitreq", line: #"2026/11/29 09:42:08 [error] 17968#17968: *10 limiting requests, excess: 1.000 by zone "one", client: 127.0.0.1, server: localhost, request: "GET /limited/ HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .rateLimit, layer: .nginx, confidence: .certain, rule: "nginx-limit-req", client: "127.0.0.1"),
            Row(id: "nouser", line: #"2026/11/29 09:42:07 [info] 17968#17968: *6 no user/password was provided for basic authentication, client: 127.0.0.1, server: localhost, request: "GET /auth/ HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .authMissing, layer: .nginx, confidence: .certain, rule: "nginx-auth-basic-missing", client: "127.0.0.1"),
            Row(id: "notfound", line: #"2026/11/29 09:42:08 [error] 17968#17968: *7 user "bob" was not found in "/tmp/w4l/htpasswd", client: 127.0.0.1, server: localhost, request: "GET /auth/ HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .authInvalid, layer: .nginx, confidence: .certain, rule: "nginx-auth-basic-user-not-found", client: "127.0.0.1"),
            Row(id: "mismatch", line: #"2026/11/29 09:42:08 [error] 17968#17968: *8 user "alice": password mismatch, client: 127.0.0.1, server: localhost, request: "GET /auth/ HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .authInvalid, layer: .nginx, confidence: .certain, rule: "nginx-auth-basic-password-mismatch", client: "127.0.0.1"),
            // The next three from a real nginx 1.22 run of run-servers.sh (disable_symlinks, a link loop, limit_conn).
            Row(id: "openat40", line: #"2026/11/29 12:51:22 [error] 8639#8639: *13 openat() "/tmp/lr/nginx/www/links/t.html" failed (40: Too many levels of symbolic links), client: 127.0.0.1, server: localhost, request: "GET /links/t.html HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .fsSymlink, layer: .nginx, confidence: .certain, rule: "nginx-symlink-refused", client: "127.0.0.1"),
            Row(id: "open40", line: #"2026/11/29 12:51:22 [error] 8639#8639: *14 open() "/tmp/lr/nginx/www/loop1" failed (40: Too many levels of symbolic links), client: 127.0.0.1, server: localhost, request: "GET /loop1 HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .fsSymlink, layer: .filesystem, confidence: .certain, rule: "nginx-symlink-loop", client: "127.0.0.1"),
            Row(id: "limitconn", line: #"2026/11/29 12:51:23 [error] 8639#8639: *16 limiting connections by zone "addr", client: 127.0.0.1, server: localhost, request: "GET /conn/big.bin HTTP/1.1", host: "127.0.0.1:18431""#,
                cause: .rateLimit, layer: .nginx, confidence: .certain, rule: "nginx-limit-conn", client: "127.0.0.1"),
            Row(id: "modsec3", line: #"2026/11/29 10:00:00 [error] 100#100: *3 [client 10.0.0.5] ModSecurity: Access denied with code 403 (phase 2). Matched "Operator `Ge' with parameter `5' against variable `TX:ANOMALY_SCORE' (Value: `8' ) [file "/etc/nginx/crs/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "80"] [id "949110"] [rev ""] [msg "Inbound Anomaly Score Exceeded (Total Score: 8)"] [data ""] [severity "2"] [hostname "10.0.0.1"] [uri "/login"] [unique_id "1700"] [ref ""], client: 10.0.0.5, server: shop, request: "POST /login HTTP/1.1", host: "shop.test""#,
                cause: .wafRule, layer: .modsecurity, confidence: .certain, rule: "modsecurity-949110", client: "10.0.0.5"),
        ]
        for r in rows {
            let f = try XCTUnwrap(try causeOf(r.line), r.id)
            XCTAssertEqual(f.cause, r.cause, r.id)
            XCTAssertEqual(f.layer, r.layer, r.id)
            XCTAssertEqual(f.confidence, r.confidence, r.id)
            XCTAssertEqual(f.rule, r.rule, r.id)
            XCTAssertEqual(f.details?["top_clients"], .array([.object(["key": .string(r.client), "count": 1])]), r.id)
            XCTAssertEqual(f.evidence.first?.source, "log test.log:1", r.id)
        }
    }

    func testApacheMessages() throws {
        let rows: [Row] = [
            Row(id: "AH01630", line: "[Sun Nov 29 09:42:08.130667 2026] [authz_core:error] [pid 17975:tid 17975] [client 127.0.0.1:53324] AH01630: client denied by server configuration: /tmp/w4l/apache/www/denied/",
                cause: .accessDeny, layer: .apache, confidence: .likely, rule: "AH01630", client: "127.0.0.1"),
            Row(id: "AH01797", line: "[Sun Nov 29 09:42:08.155587 2026] [access_compat:error] [pid 17973:tid 17973] [client 127.0.0.1:53326] AH01797: client denied by server configuration: /tmp/w4l/apache/www/old/",
                cause: .accessIP, layer: .apache, confidence: .likely, rule: "AH01797", client: "127.0.0.1"),
            Row(id: "AH01276", line: "[Sun Nov 29 09:42:08.173810 2026] [autoindex:error] [pid 17972:tid 17972] [client 127.0.0.1:53328] AH01276: Cannot serve directory /tmp/w4l/apache/www/dir/: No matching DirectoryIndex (index.html) found, and server-generated directory index forbidden by Options directive",
                cause: .indexMissing, layer: .apache, confidence: .certain, rule: "AH01276", client: "127.0.0.1"),
            Row(id: "AH00132", line: "[Sun Nov 29 09:42:08.199578 2026] [core:error] [pid 17977:tid 17977] (13)Permission denied: [client 127.0.0.1:53338] AH00132: file permissions deny server access: /tmp/w4l/apache/www/secret.txt",
                cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: "AH00132", client: "127.0.0.1"),
            Row(id: "AH00035", line: "[Sun Nov 29 09:42:08.219014 2026] [core:error] [pid 17974:tid 17974] (13)Permission denied: [client 2001:db8::1:53348] AH00035: access to /nox/page.html denied (filesystem path '/tmp/w4l/apache/www/nox/page.html') because search permissions are missing on a component of the path",
                cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: "AH00035", client: "2001:db8::1"),
            Row(id: "AH00037", line: "[Sun Nov 29 09:42:08.334720 2026] [core:error] [pid 17974:tid 17974] [client 127.0.0.1:53392] AH00037: Symbolic link not allowed or link target not accessible: /tmp/w4l/apache/www/link/t.html",
                cause: .fsSymlink, layer: .apache, confidence: .likely, rule: "AH00037", client: "127.0.0.1"),
            Row(id: "AH01618", line: "[Sun Nov 29 09:42:08.265856 2026] [auth_basic:error] [pid 17973:tid 17973] [client 127.0.0.1:53356] AH01618: user bob not found: /auth/",
                cause: .authInvalid, layer: .apache, confidence: .certain, rule: "AH01618", client: "127.0.0.1"),
            Row(id: "AH01617", line: "[Sun Nov 29 09:42:08.282250 2026] [auth_basic:error] [pid 17972:tid 17972] [client 127.0.0.1:53366] AH01617: user alice: authentication failure for \"/auth/\": Password Mismatch",
                cause: .authInvalid, layer: .apache, confidence: .certain, rule: "AH01617", client: "127.0.0.1"),
            // The next two from a real Apache 2.4 run of run-servers.sh (a known user Require does not name; an unreadable .htaccess).
            Row(id: "AH01631", line: #"[Sun Nov 29 12:51:23.151854 2026] [authz_core:error] [pid 8648:tid 8648] [client 127.0.0.1:42142] AH01631: user bob: authorization failure for "/auth/": "#,
                cause: .authRole, layer: .apache, confidence: .certain, rule: "AH01631", client: "127.0.0.1"),
            Row(id: "AH00529", line: "[Sun Nov 29 12:51:23.163341 2026] [core:crit] [pid 8644:tid 8644] (13)Permission denied: [client 127.0.0.1:42150] AH00529: /tmp/lr/apache/www/hta/.htaccess pcfg_openfile: unable to check htaccess file, ensure it is readable and that '/tmp/lr/apache/www/hta/' is executable",
                cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: "AH00529", client: "127.0.0.1"),
            Row(id: "AH01614", line: "[Sun Nov 29 09:42:08.305130 2026] [auth_basic:error] [pid 17977:tid 17977] [client 127.0.0.1:53376] AH01614: client used wrong authentication scheme: /auth/",
                cause: .authMissing, layer: .apache, confidence: .likely, rule: "AH01614", client: "127.0.0.1"),
            Row(id: "modsec2", line: #"[Sun Nov 29 09:42:08.348792 2026] [security2:error] [pid 17975:tid 17975] [client 127.0.0.1:53396] [client 127.0.0.1] ModSecurity: Access denied with code 403 (phase 2). String match "attack" at ARGS:q. [file "/tmp/w4l/apache/httpd.conf"] [line "50"] [id "10001"] [msg "test attack word"] [data "attack"] [tag "why403-test"] [hostname "127.0.0.1"] [uri "/waf/"] [unique_id "awvzcMyJ17BcfGy9jXMRDAAAAAM"]"#,
                cause: .wafRule, layer: .modsecurity, confidence: .certain, rule: "modsecurity-10001", client: "127.0.0.1"),
        ]
        for r in rows {
            let f = try XCTUnwrap(try causeOf(r.line), r.id)
            XCTAssertEqual(f.cause, r.cause, r.id)
            XCTAssertEqual(f.layer, r.layer, r.id)
            XCTAssertEqual(f.confidence, r.confidence, r.id)
            XCTAssertEqual(f.rule, r.rule, r.id)
            XCTAssertEqual(f.details?["top_clients"], .array([.object(["key": .string(r.client), "count": 1])]), r.id)
        }
    }

    func testModSecurityDetailsAndContributingRules() throws {
        let r = try analyzeFiles([recorded("apache-error.log")])
        let waf = try XCTUnwrap(r.findings.first { $0.rule == "modsecurity-949110" })
        XCTAssertTrue(waf.summary.contains("Inbound Anomaly Score Exceeded"), waf.summary)
        XCTAssertTrue(waf.checks?.joined().contains("941100") ?? false, "\(waf.checks ?? [])")
        let s = try summary(r)
        XCTAssertTrue(s.modsecurityRules.contains { $0.key.hasPrefix("modsecurity-941100 XSS Attack Detected via libinjection") }, "\(s.modsecurityRules)")
        let custom = try XCTUnwrap(r.findings.first { $0.rule == "modsecurity-10001" })
        XCTAssertEqual(custom.details?["messages"], .array([.object(["key": "test attack word; data: attack", "count": 1])]))
        XCTAssertTrue(custom.fixes.first?.patch?.contains("ctl:ruleRemoveById=10001") ?? false)
    }

    func testLinesThatExplainNothingAreIgnored() throws {
        let text = """
        2026/11/29 09:41:58 [notice] 17803#17803: using the "epoll" event method
        2026/11/29 09:42:07 [info] 17968#17968: *1 client 127.0.0.1 closed keepalive connection
        [Sun Nov 29 09:42:07.748893 2026] [mpm_prefork:notice] [pid 17970:tid 17970] AH00163: Apache/2.4.71 (Debian) configured -- resuming normal operations
        2026/11/29 09:42:07 [error] 17968#17968: *4 open() "/srv/missing.html" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: "GET /missing.html HTTP/1.1", host: "x"

        """
        let r = try analyzeText(text)
        XCTAssertEqual(r.findings.count, 0)
        XCTAssertEqual(r.verdict.cause, .none)
        XCTAssertEqual(try summary(r).malformed.count, 0)
    }
}
