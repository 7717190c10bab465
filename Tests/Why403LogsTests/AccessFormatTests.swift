import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// Access-log formats: combined, common, IPv6, nginx `log_format` and Apache `LogFormat` strings,
/// JSON lines; a wrong format names the field and the line.
final class AccessFormatTests: XCTestCase {
    func testCombinedAndCommonIPv4AndIPv6() throws {
        let text = [
            combined("203.0.113.9", "GET /admin/ HTTP/1.1"),
            combined("2001:db8::42", "GET /admin/?token=abc HTTP/2.0", ua: "Mozilla/5.0 (X11; Linux x86_64)"),
            "198.51.100.7 - frank [29/Nov/2026:09:31:00 +0100] \"GET /private HTTP/1.0\" 403 0",
            combined("203.0.113.9", "GET / HTTP/1.1", status: 200),
        ].joined(separator: "\n") + "\n"
        let r = try analyzeText(text)
        let s = try summary(r)
        XCTAssertEqual(s.denials, 3)
        XCTAssertEqual(s.topPaths, [LogsSummary.Row(key: "/admin/", count: 2, error: nil), LogsSummary.Row(key: "/private", count: 1, error: nil)])
        XCTAssertEqual(Set(s.topClients.map(\.key)), ["203.0.113.9", "2001:db8::42", "198.51.100.7"])
        XCTAssertTrue(s.topUserAgents.contains { $0.key == "Mozilla/5.0 (X11; Linux x86_64)" })
        XCTAssertEqual(s.malformed.count, 0)
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .unknown)
        // 09:31 +0100 is 08:31Z: the timeline spans 08:31 to 09:30
        XCTAssertEqual(s.timeline.start, "2026-11-29T08:31:00Z")
    }

    /// Debian's Apache writes virtual hosts without a CustomLog to other_vhosts_access.log in `vhost_combined`
    /// (`%v:%p` before combined): the default format reads those lines too, with the address as the client (read as
    /// combined they made `www.example.com:443 203.0.113.9` the client). The real server's lines: RealServerTests.
    func testVhostCombinedLinesUnderTheDefaultFormat() throws {
        let text = [
            "www.example.com:443 203.0.113.9 - - [29/Nov/2026:09:30:00 +0000] \"GET /admin/ HTTP/1.1\" 403 437 \"-\" \"curl/8.4.0\"",
            "shop.example.com:80 2001:db8::42 - alice [29/Nov/2026:09:30:01 +0000] \"GET /private HTTP/1.1\" 403 512 \"-\" \"Mozilla/5.0 (X11)\"",
            combined("198.51.100.7", "GET /admin/ HTTP/1.1"),
        ].joined(separator: "\n") + "\n"
        let s = try summary(try analyzeText(text))
        XCTAssertEqual(s.denials, 3)
        XCTAssertEqual(Set(s.topClients.map(\.key)), ["203.0.113.9", "2001:db8::42", "198.51.100.7"])
        XCTAssertEqual(s.topPaths, [LogsSummary.Row(key: "/admin/", count: 2, error: nil), LogsSummary.Row(key: "/private", count: 1, error: nil)])
        XCTAssertEqual(s.malformed.count, 0)
        // Named, the format reads them alone; a combined line is then malformed.
        let only = try summary(try analyzeText(text, format: try AccessFormat.parse("vhost_combined")))
        XCTAssertEqual(only.denials, 2)
        XCTAssertEqual(only.malformed.count, 1)
        // A client field never holds a space: such a line is no common line.
        XCTAssertThrowsError(try analyzeText("a b - - [29/Nov/2026:09:30:00 +0000] \"GET / HTTP/1.1\" 403 1\n", format: .common)) { error in
            XCTAssertTrue("\(error)".contains("expected a client address (no space in it), found \"a b\""), "\(error)")
        }
    }

    /// nginx's `main` (combined and `"$http_x_forwarded_for"`) and combined with other fields after it are read as
    /// combined: their user agents are kept (they were read as `common` before, which lost them).
    func testCombinedFollowedByMoreFields() throws {
        let text = [
            combined("203.0.113.9", "GET /admin HTTP/1.1", ua: "curl/8.4.0") + " \"-\"",
            combined("203.0.113.10", "GET /x HTTP/1.1", ua: "Mozilla/5.0 (X11)") + " \"198.51.100.1, 10.0.0.1\"",
            combined("203.0.113.11", "GET /y HTTP/1.1", ua: "Wget/1.21") + " 0.004 0.003 .",
            // ingress-nginx's default `upstreaminfo`.
            combined("10.244.0.1", "GET /z HTTP/1.1", ua: "kube-probe/1.31")
                + " 79 0.000 [default-web-80] [] - - - - 5a8c1d9d1f0f7b1f3e0d3c2b1a090807",
        ].joined(separator: "\n") + "\n"
        let s = try summary(try analyzeText(text))
        XCTAssertEqual(s.denials, 4)
        XCTAssertEqual(Set(s.topUserAgents.map(\.key)), ["curl/8.4.0", "Mozilla/5.0 (X11)", "Wget/1.21", "kube-probe/1.31"])
        XCTAssertEqual(Set(s.topClients.map(\.key)), ["203.0.113.9", "203.0.113.10", "203.0.113.11", "10.244.0.1"])
        XCTAssertEqual(s.malformed.count, 0)
    }

    func testNginxLogFormatString() throws {
        let fmt = try AccessFormat.parse(#"$remote_addr [$time_iso8601] $host "$request" $status $request_time "$http_user_agent""#)
        let text = #"10.1.2.3 [2026-11-29T09:30:17+00:00] shop.test "POST /api/orders HTTP/1.1" 403 0.004 "python-requests/2.31""# + "\n"
        let s = try summary(try analyzeText(text, format: fmt))
        XCTAssertEqual(s.denials, 1)
        XCTAssertEqual(s.topPaths.first?.key, "/api/orders")
        XCTAssertEqual(s.topUserAgents.first?.key, "python-requests/2.31")
        XCTAssertEqual(s.timeline.start, "2026-11-29T09:30:00Z")
    }

    func testApacheLogFormatString() throws {
        let fmt = try AccessFormat.parse(#"%v %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""#)
        let text = #"shop.test 10.9.8.7 - - [29/Nov/2026:09:30:17 +0000] "GET /a\"b HTTP/1.1" 403 12 "-" "Wget/1.21""# + "\n"
        let s = try summary(try analyzeText(text, format: fmt))
        XCTAssertEqual(s.denials, 1)
        XCTAssertEqual(s.topClients.first?.key, "10.9.8.7")
        XCTAssertEqual(s.topUserAgents.first?.key, "Wget/1.21")
    }

    func testJSONLines() throws {
        let text = """
        {"time":"2026-11-29T09:30:17+00:00","remote_addr":"10.0.0.1","request":"GET /x HTTP/1.1","status":403,"http_user_agent":"a \\"quoted\\" agent","extra":{"k":[1,2]}}
        {"time":"2026-11-29T09:30:18+00:00","remote_addr":"10.0.0.2","request":"GET /y HTTP/1.1","status":"200"}
        {"@timestamp":"2026-11-29T09:30:19Z","client_ip":"::1","method":"GET","path":"/z","status":"403"}

        """
        let s = try summary(try analyzeText(text, format: .json))
        XCTAssertEqual(s.denials, 2)
        XCTAssertEqual(Set(s.topPaths.map(\.key)), ["/x", "/z"])
        XCTAssertTrue(s.topUserAgents.contains { $0.key == "a \"quoted\" agent" })
        XCTAssertEqual(s.malformed.count, 0)
    }

    func testWrongLogFormatSaysWhichFieldOnWhichLine() throws {
        let fmt = try AccessFormat.parse(#"$remote_addr "$request" $status"#)
        let text = combined() + "\n" + combined() + "\n"
        XCTAssertThrowsError(try analyzeText(text, name: "access.log", format: fmt)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.file, "access.log")
            XCTAssertEqual(e?.line, 1)
            XCTAssertTrue(e?.message.contains("$remote_addr") ?? false, e?.message ?? "\(error)")
            XCTAssertTrue(e?.message.contains("found") ?? false)
        }
    }

    func testFormatStringErrors() {
        XCTAssertThrowsError(try AccessFormat.parse("$remote_addr $request_time")) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("status") ?? false)
        }
        XCTAssertThrowsError(try AccessFormat.parse("${remote_addr $status"))
        XCTAssertThrowsError(try AccessFormat.parse("$remote_addr$status"))
        XCTAssertThrowsError(try AccessFormat.parse("%h %{Referer"))
    }

    func testMalformedLinesAreCountedWithSamples() throws {
        let text = [combined(), "garbage here", "\u{1}\u{2}\u{0}binary", combined(status: 40), String(combined().prefix(30))]
            .joined(separator: "\n") + "\n"
        let r = try analyzeText(text)
        let s = try summary(r)
        XCTAssertEqual(s.denials, 1)
        XCTAssertEqual(s.malformed.count, 4)
        XCTAssertEqual(s.malformed.samples.map(\.source), ["log test.log:2", "log test.log:3", "log test.log:4", "log test.log:5"])
        XCTAssertTrue(r.notes.contains { $0.contains("4 malformed") })
    }
}
