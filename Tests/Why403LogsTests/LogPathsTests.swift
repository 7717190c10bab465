import Foundation
import XCTest
import Why403Core
@testable import Why403Logs

/// `LogPaths.expand`: a directory named to `why403 logs` stands for the log files under it.
final class LogPathsTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "why403-logpaths-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        _ = chmod(root + "/locked", 0o755)
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ relative: String, _ text: String = "x\n") throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func testADirectoryStandsForItsFilesInPathOrder() throws {
        try write("2026/12/07/b.log.gz")
        try write("2026/12/06/z.log")
        try write("2026/12/07/a.log")
        try write("error.log")
        try write(".DS_Store")
        try write(".sync/hidden.log")
        try write("2026/.partial.log")
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        // A link to a file already read is read once; a link to a directory is not followed (it would loop here).
        try FileManager.default.createSymbolicLink(atPath: root + "/zz-link.log", withDestinationPath: root + "/error.log")
        try FileManager.default.createSymbolicLink(atPath: root + "/2026/loop", withDestinationPath: root)
        XCTAssertEqual(mkfifo(root + "/pipe", 0o600), 0)
        let files = try LogPaths.expand([root])
        XCTAssertEqual(files.paths, ["2026/12/06/z.log", "2026/12/07/a.log", "2026/12/07/b.log.gz", "error.log"].map { root + "/" + $0 })
        XCTAssertEqual(files.listed, Set(files.paths))
        // A trailing slash gives the same paths, with no double slash.
        XCTAssertEqual(try LogPaths.expand([root + "/"]), files)
    }

    func testNamedFilesPassOnOnceAndStdinStays() throws {
        try write("access.log")
        try write("logs/error.log")
        let a = root + "/access.log"
        // A file named twice, or named and inside a named directory, is read once (at its first place).
        let both = try LogPaths.expand([a, "-", a, root])
        XCTAssertEqual(both.paths, [a, "-", root + "/logs/error.log"])
        XCTAssertEqual(both.listed, [root + "/logs/error.log"])
        // A file named after its directory is read at the directory's place, but as a named file (never left out).
        let after = try LogPaths.expand([root, a])
        XCTAssertEqual(after.paths, [a, root + "/logs/error.log"])
        XCTAssertEqual(after.listed, [root + "/logs/error.log"])
        // A missing file passes on: the read names it.
        XCTAssertEqual(try LogPaths.expand([root + "/missing.log"]).paths, [root + "/missing.log"])
    }

    /// A directory of another file system mounted inside is not walked (`/proc` under `/`): the walk enters only
    /// subdirectories on the named directory's device. Here the temporary directory is walked as if named on another
    /// device: its files are found, its subdirectory is not entered.
    func testTheWalkStaysOnTheDirectorysFileSystem() throws {
        try write("a.log")
        try write("sub/b.log")
        var tmp = stat()
        XCTAssertEqual(stat(root, &tmp), 0)
        var found: [(String, LogPaths.FileID)] = []
        try LogPaths.walk(root, device: tmp.st_dev, into: &found)
        XCTAssertEqual(Set(found.map(\.0)), [root + "/a.log", root + "/sub/b.log"])
        found = []
        try LogPaths.walk(root, device: tmp.st_dev &+ 1, into: &found)
        XCTAssertEqual(found.map(\.0), [root + "/a.log"])
    }

    func testADirectoryWithNothingToReadIsAnError() throws {
        try write("only/.hidden.log")
        XCTAssertThrowsError(try LogPaths.expand([root + "/only"])) { error in
            let text = (error as? InputError)?.description ?? ""
            XCTAssertTrue(text.contains(root + "/only"), text)
            XCTAssertTrue(text.contains("expected log files in the directory, found none"), text)
        }
    }

    func testADirectoryThatCannotBeListedIsAnError() throws {
        try write("locked/access.log")
        XCTAssertEqual(chmod(root + "/locked", 0), 0)
        // A directory that cannot be opened as one (here a file in its place) names itself and why.
        var found: [(String, LogPaths.FileID)] = []
        XCTAssertThrowsError(try LogPaths.walk(root + "/locked/access.log", device: 0, into: &found)) { error in
            let text = (error as? InputError)?.description ?? ""
            XCTAssertTrue(text.contains("access.log: error: expected a directory that can be listed, found not a directory"), text)
        }
        // root lists any directory: the refusal itself is only seen by other users.
        if geteuid() == 0 { return }
        XCTAssertThrowsError(try LogPaths.expand([root])) { error in
            let text = (error as? InputError)?.description ?? ""
            XCTAssertTrue(text.contains(root + "/locked"), text)
            XCTAssertTrue(text.contains("permission denied"), text)
        }
    }

    /// `-` named twice is standard input once (QA: it was read twice, the second time its first 64 KiB again).
    func testStandardInputNamedTwiceIsReadOnce() throws {
        XCTAssertEqual(try LogPaths.expand(["-", "-"]).paths, ["-"])
    }

    /// A server's rotated logs come oldest first, then the current one (QA: `access.log` before `access.log.1` split a
    /// burst across the rotation in two and halved its peak), with logrotate's numbered and `dateext` names.
    func testRotatedLogsComeOldestFirst() throws {
        for f in ["access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz", "error.log", "error.log.1",
                  "other/site.log-20261207", "other/site.log", "other/site.log-20261206.gz", "other/app.2026.log"] { try write(f) }
        XCTAssertEqual(try LogPaths.expand([root]).paths, ["access.log.10.gz", "access.log.2.gz", "access.log.1", "access.log",
                                                           "error.log.1", "error.log", "other/app.2026.log",
                                                           "other/site.log-20261206.gz", "other/site.log-20261207", "other/site.log"]
                        .map { root + "/" + $0 })
    }

    /// Rotated siblings named one by one (what `access.log*` expands to) come oldest first; other files keep their order.
    func testNamedRotatedSiblingsComeOldestFirst() throws {
        for f in ["access.log", "access.log.1", "access.log.2.gz", "error.log"] { try write(f) }
        let named = ["error.log", "access.log", "access.log.1", "access.log.2.gz"].map { root + "/" + $0 }
        XCTAssertEqual(try LogPaths.expand(named).paths, ["error.log", "access.log.2.gz", "access.log.1", "access.log"].map { root + "/" + $0 })
    }
}
