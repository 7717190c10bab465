import Foundation
import XCTest
import Why403Core
import Why403Replay
import Why403TestSupport
@testable import Why403ModSecurity

/// `--replay`: the reader (HAR, access logs, broken entries) and the CRS replay grouped by rule.
final class ReplayTests: XCTestCase {
    func testAccessLogLinesBecomeRequestsAndBrokenLinesAreCountedNotFatal() throws {
        let dir = try TemporaryDirectory(prefix: "why403-replay")
        defer { dir.remove() }
        try dir.write("access.log", """
            203.0.113.7 - - [02/Dec/2026:13:00:00 +0000] "GET /search?q=1%27%20or%201%3D1-- HTTP/1.1" 403 199 "-" "Mozilla/5.0"
            this is not a log line
            198.51.100.2 - alice [02/Dec/2026:13:00:01 +0000] "POST /login HTTP/1.1" 200 12 "https://shop.test/" "curl/8.4.0"
            10.0.0.1 - - [02/Dec/2026:13:00:02 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"

            """)
        var seen: [Request] = []
        let stats = try ReplayReader.read(path: dir.path + "/access.log", base: try RequestTarget(url: "https://shop.test")) {
            seen.append($0.request)
        }
        XCTAssertEqual(stats.requests, 2)
        XCTAssertEqual(stats.broken, 2)
        XCTAssertTrue(stats.samples[0].contains("access.log:2"), stats.samples[0])
        XCTAssertEqual(seen[0].target.url, "https://shop.test/search?q=1%27%20or%201%3D1--")
        XCTAssertEqual(seen[0].clientIP, "203.0.113.7")
        XCTAssertEqual(seen[0].header("User-Agent"), "Mozilla/5.0")
        XCTAssertNil(seen[0].header("Referer"))
        XCTAssertEqual(seen[1].method, "POST")
        XCTAssertEqual(seen[1].header("Referer"), "https://shop.test/")
    }

    func testHAREntriesBecomeRequestsWithTheirBodies() throws {
        let dir = try TemporaryDirectory(prefix: "why403-replay")
        defer { dir.remove() }
        try dir.write("x.har", #"""
            {"log": {"entries": [
              {"request": {"method": "POST", "url": "https://api.test/v1/notes", "headers": [{"name": ":authority", "value": "api.test"}, {"name": "Accept", "value": "*/*"}],
                           "postData": {"mimeType": "application/json", "text": "{\"a\":1}"}}},
              {"request": {"url": "https://api.test/missing-method"}},
              {"nope": 1}
            ]}}
            """#)
        var seen: [Request] = []
        let stats = try ReplayReader.read(path: dir.path + "/x.har", base: try RequestTarget(url: "http://unused")) { seen.append($0.request) }
        XCTAssertEqual(stats.format, "har")
        XCTAssertEqual(stats.requests, 1)
        XCTAssertEqual(stats.broken, 2)
        XCTAssertTrue(stats.samples.contains { $0.contains("$.log.entries[1]") }, "\(stats.samples)")
        XCTAssertEqual(seen[0].header("Content-Type"), "application/json")
        XCTAssertNil(seen[0].header(":authority"))
        XCTAssertEqual(seen[0].body, Array(#"{"a":1}"#.utf8))
    }

    func testNotAHARIsBadInput() throws {
        let dir = try TemporaryDirectory(prefix: "why403-replay")
        defer { dir.remove() }
        try dir.write("bad.har", "{\"log\": 1}")
        XCTAssertThrowsError(try ReplayReader.read(path: dir.path + "/bad.har", base: try RequestTarget(url: "http://x")) { _ in }) {
            XCTAssertTrue(($0 as? InputError)?.message.contains("log.entries") ?? false, "\($0)")
        }
    }

    func testCRSReplayGroupsBlockedRequestsByRuleWithExclusionsThatLetThemThrough() throws {
        let source = try EngineSupport.crs()
        let dir = try TemporaryDirectory(prefix: "why403-replay")
        defer { dir.remove() }
        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        var lines: [String] = []
        for i in 0..<20 { lines.append(#"127.0.0.1 - - [02/Dec/2026:13:00:00 +0000] "GET /products?page=\#(i) HTTP/1.1" 200 1 "-" "\#(ua)""#) }
        for _ in 0..<3 { lines.append(#"127.0.0.1 - - [02/Dec/2026:13:00:00 +0000] "GET /search?q=1%27%20or%201%3D1-- HTTP/1.1" 403 1 "-" "\#(ua)""#) }
        try dir.write("access.log", lines.joined(separator: "\n") + "\n")
        let report = try ModSecurityAnalyzer.replay(.init(request: try EngineSupport.request("http://shop.test/"), rules: source),
                                                    replay: .init(path: dir.path + "/access.log", base: try RequestTarget(url: "http://shop.test")))
        XCTAssertNil(report.verdict.status)
        let sqli = try XCTUnwrap(report.findings.first { $0.rule == "942100" })
        XCTAssertEqual(sqli.details?["count"], .int(3))
        XCTAssertTrue(sqli.fixes.first?.patch?.contains("ctl:ruleRemoveTargetById=942100;ARGS:q") ?? false)
        XCTAssertTrue(report.notes[0].contains("replayed 23 requests"), report.notes[0])
        XCTAssertTrue(report.notes[0].contains("3 would be blocked"), report.notes[0])
        XCTAssertTrue(report.notes.contains { $0.contains("3 of the 3 blocked requests re-evaluated by libmodsecurity pass") }, "\(report.notes)")
    }
}
