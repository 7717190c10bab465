import Foundation
import XCTest
@testable import Why403Core

/// The redactor's quick byte tests (`hasBytes`) against Foundation's `contains`, which they replaced:
/// the same answer for every needle the rules use, on text with multi-byte and combining characters.
final class RedactorByteTestTests: XCTestCase {
    func testByteTestsAgreeWithFoundationsContains() {
        let pieces = ["a", "B", ":", "=", "@", "/", " ", "eyJ", "ey", "J", "Bearer ", "Basic ", "bearer", "://", ":/", "é", "e\u{301}",
                      "\u{37E}", "\u{212A}", "日本", "\r\n", "\"", "?token", "🙂"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let s = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            XCTAssertEqual(s.hasBytes(":"), s.contains(":"), s)
            XCTAssertEqual(s.hasBytes("="), s.contains("="), s)
            XCTAssertEqual(s.hasBytes("@"), s.contains("@"), s)
            XCTAssertEqual(s.hasBytes("eyJ"), s.contains("eyJ"), s)
            XCTAssertEqual(s.hasBytes("://"), s.contains("://"), s)
            XCTAssertEqual(s.hasBytes("Bearer "), s.contains("Bearer "), s)
            XCTAssertEqual(s.hasBytes("Basic "), s.contains("Basic "), s)
        }
        XCTAssertTrue("x".hasBytes(""))
        XCTAssertFalse("".hasBytes(":"))
    }
}

/// The quick test in front of the header-line rule (`mayHoldSecretHeaderLine`): whenever it says no, reading every
/// line changes nothing; on lines that name secret headers in any case, after quotes, prompts and spaces.
final class RedactorHeaderLineTestTests: XCTestCase {
    func testTheQuickTestNeverHidesALineTheRuleWouldRedact() {
        let pieces = ["Authorization", "authorization", "COOKIE", "Set-Cookie", "x-api-key", "X-Api-Kez", "Host", ":", ": ", " ", "'", "\"",
                      "> ", "< ", "-H '", "\n", "\r\n", "Bearer abcdefgh12345", "a=b; c=d", "2026-11-29T09:30:00Z", "é", "\u{212A}",
                      "x-api-\u{212A}ey", "\t", "203.0.113.9", "{\"k\":\"v\"}", "\u{301}", ":\u{301}", "\u{600}", "—", "a:b:c"]
        let r = Redactor()
        var rng = SystemRandomNumberGenerator()
        var yes = 0
        for _ in 0..<5_000 {
            let s = (0..<Int.random(in: 0...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let rewritten = r.rewriteHeaderLines(s)
            if Redactor.mayHoldSecretHeaderLine(s) { yes += 1 } else { XCTAssertEqual(rewritten, s, s) }
            XCTAssertEqual(r.redactHeaderLines(s), rewritten, s)
        }
        XCTAssertGreaterThan(yes, 100)
        XCTAssertFalse(Redactor.mayHoldSecretHeaderLine("2026-11-29T09:30:00Z GET /a: 403"))
        XCTAssertFalse(Redactor.mayHoldSecretHeaderLine("refused — see log a.log:12"))
        XCTAssertTrue(Redactor.mayHoldSecretHeaderLine("a:\u{301} Cookie: x"))
        XCTAssertTrue(Redactor.mayHoldSecretHeaderLine("x\n> Cookie: a=b"))
        XCTAssertEqual(r.redactHeaderLines("> Cookie: a=b"), "> Cookie: a=[redacted]")
    }
}

/// `trimmingSpaces` on `String` and `Substring` (concrete since session 30, was generic over `StringProtocol`): spaces
/// and tabs only, at both ends, the rest as it was (combining marks and other white space kept).
final class TrimmingSpacesTests: XCTestCase {
    func testTrimsSpacesAndTabsOnly() {
        XCTAssertEqual("  a b\t".trimmingSpaces, "a b")
        XCTAssertEqual("\t \t".trimmingSpaces, "")
        XCTAssertEqual("".trimmingSpaces, "")
        XCTAssertEqual(" e\u{301} ".trimmingSpaces, "e\u{301}")
        XCTAssertEqual(" \u{301}x".trimmingSpaces, "\u{301}x")  // a combining mark after the space stays
        XCTAssertEqual("\nx\r".trimmingSpaces, "\nx\r")
        let line = "Name: value \t"
        let value = line[line.index(after: line.firstIndex(of: ":")!)...]
        XCTAssertEqual(value.trimmingSpaces, "value")
        XCTAssertEqual("403, 401 ,429".split(separator: ",").map(\.trimmingSpaces), ["403", "401", "429"])
    }
}
