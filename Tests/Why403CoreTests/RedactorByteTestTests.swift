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
