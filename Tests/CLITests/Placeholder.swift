import XCTest
import Why403Core

final class CLITestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
