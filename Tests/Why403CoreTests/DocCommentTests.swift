import Foundation
import XCTest
import Why403TestSupport

/// Every public declaration of the library opens with a `///` summary (STYLE.md, "Doc comments"):
/// the umbrella product `Why403` is documented for the applications that import it.
final class DocCommentTests: XCTestCase {
    func testEveryPublicDeclarationHasADocComment() throws {
        let sources = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(pattern: #"^(@[\w()]+\s+)*public\s+((static|final|mutating|indirect|override|nonisolated)\s+)*(struct|enum|class|protocol|func|var|let|init|typealias|subscript)\b|^public init"#)
        var missing: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            // The executable and the test helpers are not part of the library's API.
            if url.path.contains("/Sources/why403/") || url.path.contains("/Why403TestSupport/") { continue }
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() {
                let t = line.trimmingCharacters(in: .whitespaces)
                guard pattern.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) != nil else { continue }
                var j = i - 1
                while j >= 0, lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("@") { j -= 1 }
                if j < 0 || !lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("///") {
                    missing.append("\(url.path.components(separatedBy: "/Sources/").last!):\(i + 1): \(t.prefix(90))")
                }
            }
        }
        XCTAssertTrue(missing.isEmpty, "public declarations without a /// summary:\n" + missing.joined(separator: "\n"))
    }
}
