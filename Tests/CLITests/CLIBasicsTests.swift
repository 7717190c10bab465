import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// The contract's exit statuses and the shape of every command's help (cli-v1).
final class CLIBasicsTests: XCTestCase {
    func testHelpListsEveryCommand() throws {
        let r = try Run.why403(["--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for command in ["probe", "response", "nginx", "apache", "fs", "token", "s3", "logs", "diagnose", "audit", "lab"] {
            XCTAssertTrue(r.stdout.contains(command), "help does not list \(command):\n\(r.stdout)")
        }
    }

    func testEveryCommandHasHelpWithFormat() throws {
        for command in ["probe", "response", "nginx", "apache", "fs", "token", "s3", "logs", "diagnose", "audit", "lab"] {
            let r = try Run.why403([command, "--help"])
            XCTAssertEqual(r.status, 0, "\(command) --help: \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("--format"), "\(command) --help has no --format:\n\(r.stdout)")
        }
    }

    func testUnknownCommandIsUsageErrorExit2() throws {
        let r = try Run.why403(["frobnicate"])
        XCTAssertEqual(r.status, 2)
        XCTAssertFalse(r.stderr.isEmpty)
        XCTAssertEqual(r.stdout, "")
    }

    func testUnknownOptionIsExit2() throws {
        let r = try Run.why403(["fs", "/tmp", "--no-such-flag"])
        XCTAssertEqual(r.status, 2, r.stderr)
    }

    func testBadFormatIsExit2() throws {
        let r = try Run.why403(["fs", "/tmp", "--format", "yaml"])
        XCTAssertEqual(r.status, 2, r.stderr)
    }

    func testVersion() throws {
        let r = try Run.why403(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), Why403Version.current)
    }
}

/// Formats beyond text, json and markdown belong to the commands that write them.
final class FormatCheckTests: XCTestCase {
    func testSarifOnlyForAuditAndHtmlOnlyForLogs() throws {
        for (argv, ok) in [(["fs", "/tmp", "--format", "sarif"], false), (["fs", "/tmp", "--format", "html"], false),
                           (["lab", "--no-servers", "--only", "cloudflare-1020", "--format", "sarif"], false)] {
            let r = try Run.why403(argv)
            XCTAssertEqual(r.status == 2, !ok, "\(argv): \(r.status) \(r.stderr)")
        }
    }
}
