import Foundation
import XCTest
import Why403Core
import Why403Render

/// The JSON page's strings (written whole when nothing needs escaping, else scalar by scalar) read back as the
/// same strings by `JSONSerialization`, for text with quotes, backslashes, control characters and non-ASCII, and
/// the page keeps JSONEncoder's layout.
final class JSONRenderTests: XCTestCase {
    func testStringsReadBackUnchanged() throws {
        let pieces = ["a", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "日本", "🙂", " ", "/", "\u{2028}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let s = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let report = Report(subject: Subject(kind: .logs, file: s, extra: ["k": .array([.string(s), .int(3)]), s: .object(["x": .string(s)])]),
                                verdict: Verdict(status: 403, layer: .nginx, cause: .unknown),
                                findings: [Finding(cause: .unknown, layer: .nginx, confidence: .possible, summary: s,
                                                   evidence: [Evidence(source: s, text: s)])],
                                notes: [s])
            let text = Renderer.render(report, as: .json)
            let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
            let subject = try XCTUnwrap(parsed["subject"] as? [String: Any])
            XCTAssertEqual(subject["file"] as? String, s)
            XCTAssertEqual((subject["k"] as? [Any])?.first as? String, s)
            XCTAssertEqual((subject[s] as? [String: Any])?["x"] as? String, s)
            XCTAssertEqual(parsed["notes"] as? [String], [s])
        }
    }

    func testLayout() {
        let report = Report(subject: Subject(kind: .logs, extra: ["a": .array([]), "b": .object([:]), "c": .array([.int(1), .bool(false)])]),
                            verdict: Verdict(status: nil, layer: .nginx, cause: .unknown))
        let text = Renderer.render(report, as: .json)
        XCTAssertTrue(text.hasPrefix("{\n  \"schema\" : \"why403.report/v1\",\n  \"tool\" : {\n    \"name\" : \"why403\",\n"), text)
        XCTAssertTrue(text.contains("    \"a\" : [],\n    \"b\" : {},\n    \"c\" : [\n      1,\n      false\n    ]\n  },\n"), text)
        XCTAssertTrue(text.contains("  \"verdict\" : {\n    \"status\" : null,\n"), text)
        XCTAssertTrue(text.hasSuffix("  \"notes\" : [\n\n  ]\n}\n") || text.hasSuffix("  \"notes\" : []\n}\n"), text)
    }
}
