import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// An access-log 403 joined with the error-log reason for the same client, request and second.
final class CorrelationTests: XCTestCase {
    func testNginxAccessJoinedWithErrorLog() throws {
        // access log first on the command line: error logs are still read first
        let r = try analyzeFiles([recorded("nginx-access.log"), recorded("nginx-error.log")], statuses: [401, 403, 429])
        let s = try summary(r)
        XCTAssertEqual(s.accessDenials, 10)
        XCTAssertEqual(s.correlated, 10, "\(s.causes)")
        XCTAssertEqual(s.denials, 10)
        let byRule = perRule(s)
        XCTAssertEqual(byRule["nginx-access-forbidden-by-rule"], 1)
        XCTAssertEqual(byRule["nginx-directory-index-forbidden"], 1)
        XCTAssertEqual(byRule["nginx-permission-denied"], 3)
        XCTAssertEqual(byRule["nginx-limit-req"], 2)
        XCTAssertEqual(byRule["nginx-auth-basic-missing"], 1)
        let perm = try XCTUnwrap(r.findings.first { $0.cause == .fsPermission })
        XCTAssertEqual(perm.confidence, .certain)
        XCTAssertEqual(perm.evidence.count, 6, "access line and error line per sample")
        XCTAssertTrue(perm.evidence[0].source.hasSuffix("nginx-access.log:4"), perm.evidence[0].source)
        XCTAssertTrue(perm.evidence[1].text.contains("(13: Permission denied)"))
        XCTAssertTrue(perm.fixes.first?.commands.contains { $0.hasPrefix("namei -l '/tmp/w4l/nginx/www/") } ?? false)
        let rate = try XCTUnwrap(r.findings.first { $0.cause == .rateLimit })
        XCTAssertEqual(rate.details?["statuses"], .object(["429": 2]))
        XCTAssertTrue(rate.summary.contains("zone \"one\""), rate.summary)
    }

    func testApacheAccessJoinedByClientAndSecond() throws {
        let r = try analyzeFiles([recorded("apache-access.log"), recorded("apache-error.log")], statuses: [401, 403], top: 20)
        let s = try summary(r)
        // 8 refusals with 403, 4 with 401; Apache logs nothing for a request without credentials,
        // so one 401 stays unexplained.
        XCTAssertEqual(s.accessDenials, 12)
        XCTAssertEqual(s.correlated, 11, "\(s.causes)")
        XCTAssertEqual(s.denials, 12)
        XCTAssertEqual(Set(r.findings.map(\.cause)),
                       [.accessDeny, .accessIP, .indexMissing, .fsPermission, .fsSymlink, .authInvalid, .authMissing, .wafRule, .unknown])
        let byRule = perRule(s)
        XCTAssertEqual(byRule["AH01618"], 1)
        XCTAssertEqual(byRule["AH01617"], 1)
        XCTAssertEqual(byRule["modsecurity-10001"], 1)
        XCTAssertEqual(byRule["modsecurity-949110"], 1)
        XCTAssertEqual(byRule["AH00132"], 1)
        XCTAssertEqual(byRule["AH00035"], 1)
    }

    func testUnreadableHtaccessJoinsRequestsBelowItsDirectory() throws {
        // AH00529 names the .htaccess, not the URI: a request joins it when the URI passes through
        // the .htaccess's directory; a request elsewhere in the same second does not.
        let err = "[Sun Nov 29 12:51:23.163341 2026] [core:crit] [pid 8644:tid 8644] (13)Permission denied: [client 10.0.0.1:42150] AH00529: /srv/www/hta/.htaccess pcfg_openfile: unable to check htaccess file, ensure it is readable and that '/srv/www/hta/' is executable"
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let e = try dir.write("error.log", err + "\n" + err.replacingOccurrences(of: "42150", with: "42151") + "\n").path
        let a = try dir.write("access.log", [
            combined("10.0.0.1", time: "29/Nov/2026:12:51:23 +0000", "GET /hta/sub/page.html HTTP/1.1"),
            combined("10.0.0.1", time: "29/Nov/2026:12:51:23 +0000", "GET /other/ HTTP/1.1"),
        ].joined(separator: "\n") + "\n").path
        let s = try summary(try analyzeFiles([a, e]))
        XCTAssertEqual(s.accessDenials, 2)
        XCTAssertEqual(s.correlated, 1, "\(s.causes)")
        XCTAssertEqual(perRule(s)["AH00529"], 2, "the joined one and the unclaimed one")
        XCTAssertEqual(perRule(s)["status-403"], 1)
    }

    func testOnlyAccessLogGivesUnknownWithAdvice() throws {
        let r = try analyzeFiles([recorded("nginx-access.log")])
        XCTAssertEqual(r.verdict.cause, .unknown)
        let f = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertTrue(f.checks?.first?.contains("error log") ?? false)
    }

    func testUnclaimedErrorEventsCountOnTheirOwn() throws {
        let r = try analyzeFiles([recorded("nginx-error.log")])
        let s = try summary(r)
        // 403s only: rule, index, 2x open(), forbidden, 2x limiting (status set by configuration)
        XCTAssertEqual(s.denials, 7, "\(s.causes)")
        XCTAssertEqual(s.correlated, 0)
        XCTAssertEqual(r.verdict.cause, .fsPermission)
    }
}
