import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// URL normalization of incoming URLs, as https://developers.cloudflare.com/rules/normalization/how-it-works/
/// describes it, checked against the table of https://developers.cloudflare.com/rules/normalization/examples/
/// (the "URL at Cloudflare's network" column: what rules see).
final class URLNormalizationTests: XCTestCase {
    /// The examples page, row by row (path part; the host is unchanged).
    func testExamplesTable() {
        let rows: [(String, URLNormalization, String)] = [
            ("/hello", .cloudflare, "/hello"), ("/hello", .rfc3986, "/hello"),
            ("/%68ello", .cloudflare, "/hello"), ("/%68ello", .rfc3986, "/hello"), ("/%68ello", .none, "/%68ello"),
            ("/%68ello//pa\\th", .rfc3986, "/hello//pa%5Cth"),
            ("/%68ello//pa\\th", .cloudflare, "/hello/pa/th"),
            ("/%68ello//pa\\th", .none, "/%68ello//pa\\th"),
            ("/hello//../path", .rfc3986, "/hello/path"),
            ("/hello//../path", .cloudflare, "/path"),
            ("/hello/\\../path", .rfc3986, "/hello/%5C../path"),
            ("/hello/\\../path", .cloudflare, "/path"),
        ]
        for (path, type, want) in rows {
            XCTAssertEqual(type.normalize(path: path), want, "\(path) with \(type)")
        }
    }

    /// The RFC 3986 list of the how-it-works page, one item at a time.
    func testRFC3986Steps() {
        let n = URLNormalization.rfc3986
        // Unreserved characters percent-decoded: letters, digits, - . _ ~
        XCTAssertEqual(n.normalize(path: "/%41%5A%61%7A%30%39%2D%2E%5F%7E"), "/AZaz09-._~")
        // Reserved characters neither encoded nor decoded.
        XCTAssertEqual(n.normalize(path: "/a:b@c!$&'()*+,;=[]"), "/a:b@c!$&'()*+,;=[]")
        XCTAssertEqual(n.normalize(path: "/a%2Fb%3a"), "/a%2Fb%3A", "encoded reserved stay encoded, upper-cased")
        // Other characters (literal bytes) percent-encoded.
        XCTAssertEqual(n.normalize(path: "/a b\"<>é"), "/a%20b%22%3C%3E%C3%A9")
        // Percent-encodings upper-cased.
        XCTAssertEqual(n.normalize(path: "/%c3%a9"), "/%C3%A9")
        // Remove Dot Segments (RFC 3986 5.2.4), also for decoded dots.
        XCTAssertEqual(n.normalize(path: "/a/b/c/./../../g"), "/a/g")
        XCTAssertEqual(n.normalize(path: "/a/%2e%2E/b"), "/b")
        XCTAssertEqual(n.normalize(path: "/../a"), "/a")
    }

    /// Rules see the normalized path, raw fields the path as sent; the report says so, and the fix
    /// excludes the path the rule saw.
    func testRulesSeeTheNormalizedPath() throws {
        let u = "https://example.com/%61dmin//users"
        XCTAssertEqual(try eval("http.request.uri.path eq \"/admin/users\"", u), true)
        XCTAssertEqual(try eval("raw.http.request.uri.path eq \"/%61dmin//users\"", u), true)
        XCTAssertEqual(try eval("http.request.uri eq \"/admin/users?x=%61\"", u + "?x=%61"), true, "the query is left as sent")
        XCTAssertEqual(try eval("http.request.full_uri eq \"https://example.com/admin/users\"", u), true)
        XCTAssertEqual(try eval("raw.http.request.full_uri eq \"https://example.com/%61dmin//users\"", u), true)

        let json = """
        {"result": {"id": "z", "kind": "zone", "phase": "http_request_firewall_custom", "rules": [
          {"ref": "no-admin", "action": "block", "enabled": true, "expression": "starts_with(http.request.uri.path, \\"/admin/\\")"}]}}
        """
        let rs = try RulesReader.read(text: json, file: "n.json")
        let req = try Request(url: "https://example.com/x/..\\%61dmin//users", clientIP: "192.0.2.1")
        let report = try CloudflareAnalyzer.analyze(.init(rulesets: rs, files: ["n.json"], request: req))
        XCTAssertEqual(report.verdict.status, 403)
        XCTAssertTrue(report.notes.contains { $0.contains("into \"/admin/users\"") }, "\(report.notes)")
        XCTAssertTrue(report.findings[0].fixes.first?.patch?.contains("not http.request.uri.path eq \\\"/admin/users\\\"") ?? false,
                      report.findings[0].fixes.first?.patch ?? "")
        // Normalization off: the path as sent, the rule does not match.
        let off = try CloudflareAnalyzer.analyze(.init(rulesets: rs, files: ["n.json"], request: req, urlNormalization: .none))
        XCTAssertNotEqual(off.verdict.status, 403)
    }
}
