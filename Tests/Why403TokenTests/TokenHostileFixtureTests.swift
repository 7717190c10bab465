import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// Every file in `Fixtures/tokens/hostile/` (truncated, binary, huge, wrongly shaped tokens) must be an
/// `InputError` with the message `expected.json` names, never a crash, and never echo the token.
final class TokenHostileFixtureTests: XCTestCase {
    func testEveryHostileFileIsAClearInputError() async throws {
        let dir = Fixtures.url("tokens/hostile")
        let expected = try JSONDecoder().decode([String: String].self, from: Fixtures.data("tokens/hostile/expected.json"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "expected.json" }.sorted()
        XCTAssertEqual(Set(files), Set(expected.keys), "every hostile file has an expectation and the other way round")
        for name in files {
            let bytes = [UInt8](try Fixtures.data("tokens/hostile/\(name)"))
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try TokenText(bytes: bytes, source: name)
                _ = try await analyze(text, scopes: ["a"])
                XCTFail("\(name): no error")
            } catch let e as InputError {
                XCTAssertTrue(e.message.contains(expected[name]!), "\(name): \(e.message)")
                // No piece of the token (segments of 12 characters or more) is echoed.
                for piece in text.split(whereSeparator: { ". \n".contains($0) }) where piece.count >= 12 {
                    XCTAssertFalse(e.description.contains(piece), "\(name) echoes \(piece.prefix(12))…")
                }
                XCTAssertLessThan(e.description.count, 500, name)
            }
        }
    }
}
