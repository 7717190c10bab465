import XCTest
import Why403Htpasswd

final class Why403HtpasswdTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
