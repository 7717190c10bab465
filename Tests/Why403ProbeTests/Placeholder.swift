import XCTest
import Why403Probe

final class Why403ProbeTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
