import Foundation
import XCTest
import Why403Core
import Why403Logs

/// Every command line a logs report prints (fixes' commands, checks) holds the log's values as single shell words:
/// a request path is whatever the client sent, so `/a;$(touch x)` must reach the printed command as one quoted
/// argument, never as shell syntax a reader would run by copying the line.
final class CommandQuotingTests: XCTestCase {
    /// The printed commands and checks of every finding.
    func commandLines(_ r: Report) -> [String] {
        r.findings.flatMap { f in f.fixes.flatMap(\.commands) + (f.checks ?? []) }
    }

    func write(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("why403-quoting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func analyze(_ text: String, _ name: String) throws -> [String] {
        commandLines(try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: [try write(text, name)], statuses: [403])))
    }

    func testAWSWAFPathIsOneQuotedWord() throws {
        let lines = try analyze(#"{"timestamp":1798761599000,"webaclId":"x","terminatingRuleId":"Default_Action","terminatingRuleType":"REGULAR","action":"BLOCK","httpRequest":{"clientIp":"192.0.2.9","headers":[],"uri":"/a;$(touch /tmp/pwned)","args":"","httpMethod":"GET"}}"# + "\n", "waf.log")
        XCTAssertTrue(lines.contains("why403 aws-waf 'https://HOST/a;$(touch /tmp/pwned)' --web-acl web-acl.json --client-ip 192.0.2.9"), "\(lines)")
    }

    func testCloudflarePathIsOneQuotedWord() throws {
        let lines = try analyze(#"{"ClientCountry":"de","ClientIP":"192.0.2.20","ClientRequestHost":"shop.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/b;$(id)","ClientRequestPath":"/b;$(id)","ClientRequestUserAgent":"curl/8","EdgeResponseStatus":403,"EdgeStartTimestamp":"2027-01-01T00:00:00Z","OriginResponseStatus":0,"RayID":"8f1a2b3c4d5e6f71","SecurityAction":"block","SecuritySources":["firewallCustom"],"SecurityRuleID":"2f6c1e0b4a8b4f0e9a1d3c5b7e9f0a1b","SecurityRuleDescription":"x"}"# + "\n", "cf.log")
        XCTAssertTrue(lines.contains("why403 cloudflare 'https://HOST/b;$(id)' --rules rules.json --country DE"), "\(lines)")
    }

    func testAccessAndErrorLogPathsAreQuoted() throws {
        let access = try analyze(#"203.0.113.1 - - [01/Jan/2027:10:00:00 +0000] "GET /x;$(touch${IFS}/tmp/pwned)&y=`id` HTTP/1.1" 403 12 "-" "ua""# + "\n", "access.log")
        XCTAssertTrue(access.contains("why403 diagnose 'http://HOST/x;$(touch${IFS}/tmp/pwned)&y=`id`'"), "\(access)")
        let error = try analyze("""
        2027/01/01 10:00:00 [error] 100#100: *2 open() "/srv/www/x';touch /tmp/pwned;'" failed (13: Permission denied), client: 203.0.113.1, server: example.com, request: "GET /x HTTP/1.1", host: "example.com"
        2027/01/01 10:00:00 [error] 100#100: *3 access forbidden by rule, client: 203.0.113.1, server: example.com, request: "GET /$(id) HTTP/1.1", host: "example.com"

        """, "error.log")
        XCTAssertTrue(error.contains("why403 nginx 'http://HOST/$(id)' --config /etc/nginx/nginx.conf --client-ip 203.0.113.1"), "\(error)")
        XCTAssertTrue(error.contains(#"namei -l '/srv/www/x'\'';touch /tmp/pwned;'\'''"#), "\(error)")
    }

    func testShellWord() {
        XCTAssertEqual(ShellWord.quote("/var/www/index.html"), "/var/www/index.html")
        XCTAssertEqual(ShellWord.quote("http://HOST/a?b=1"), "'http://HOST/a?b=1'")
        XCTAssertEqual(ShellWord.quote("it's"), #"'it'\''s'"#)
        XCTAssertEqual(ShellWord.quote(""), "''")
        XCTAssertEqual(ShellWord.single("plain"), "'plain'")
    }

    /// The fields a format names as secrets (`$http_cookie`, `$http_authorization`, `%{Cookie}i`) are left out of the
    /// line quoted as evidence, whatever their values look like.
    func testSecretFieldsOfAFormatAreLeftOutOfTheEvidence() throws {
        let line = #"203.0.113.1 - - [01/Jan/2027:10:00:00 +0000] "GET /x HTTP/1.1" 403 12 "-" "ua" "theme=dark; foo=COOKIESECRET1" "Token TOKSECRET3""# + "\n"
        let nginx = try AccessFormat.parse(#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie" "$http_authorization""#)
        let apache = try AccessFormat.apache(#"%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{Cookie}i\" \"%{Authorization}i\""#)
        for format in [nginx, apache] {
            let r = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: [try write(line, "access.log")], statuses: [403], format: format))
            let text = r.findings.flatMap(\.evidence).map(\.text).joined(separator: "\n")
            XCTAssertFalse(text.contains("SECRET"), text)
            XCTAssertTrue(text.contains(#""ua" "[redacted]" "[redacted]""#), text)
        }
    }
}
