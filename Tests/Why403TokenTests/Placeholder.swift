import XCTest
import Why403Token

final class Why403TokenTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
