import XCTest
import Why403Nginx

final class Why403NginxTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
