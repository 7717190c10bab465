import Foundation
import XCTest
import Why403TestSupport

/// docs/DEVELOPING.md stays true: every module folder under Sources/ appears in its layout.
final class DevelopingDocTests: XCTestCase {
    func testLayoutNamesEveryModule() throws {
        let root = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/DEVELOPING.md"), encoding: .utf8)
        let modules = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path)
        for m in modules where !m.hasPrefix(".") {
            XCTAssertTrue(doc.contains("Sources/\(m)/"), "docs/DEVELOPING.md does not name Sources/\(m)/")
        }
    }
}
