import XCTest
import Why403Logs

final class Why403LogsTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
