import XCTest
import Why403FileSystem

final class Why403FileSystemTestsPlaceholder: XCTestCase {
    func testModuleLinks() {}
}
