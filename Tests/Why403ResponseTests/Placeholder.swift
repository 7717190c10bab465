import XCTest
import Why403Response

final class Why403ResponseTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
