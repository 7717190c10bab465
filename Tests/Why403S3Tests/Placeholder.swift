import XCTest
import Why403S3

final class Why403S3TestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
