import XCTest
import Why403Apache

final class Why403ApacheTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
