import Foundation
import XCTest
import Why403Core
import Why403Render
import Why403TestSupport

/// The cause and layer ids in code are exactly those of report-v1.md.
final class ContractTests: XCTestCase {
    func specText() throws -> String {
        // ../shared/spec/report-v1.md next to the checkout (CI lays shared/ beside it).
        let root = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [root.deletingLastPathComponent().appendingPathComponent("shared/spec/report-v1.md")]
        for c in candidates where FileManager.default.fileExists(atPath: c.path) {
            return try String(contentsOf: c, encoding: .utf8)
        }
        throw XCTSkip("../shared/spec/report-v1.md not found beside the checkout")
    }

    func testCauseIdsMatchSpec() throws {
        let spec = try specText()
        var ids: [String] = []
        var inTable = false
        for line in spec.split(separator: "\n") {
            if line.hasPrefix("## Cause ids") { inTable = true; continue }
            if line.hasPrefix("## ") { inTable = false }
            if inTable, line.hasPrefix("| `"), let end = line.dropFirst(3).firstIndex(of: "`") {
                ids.append(String(line[line.index(line.startIndex, offsetBy: 3)..<end]))
            }
        }
        XCTAssertEqual(ids, Cause.allCases.map(\.rawValue))
    }

    func testLayerIdsMatchSpec() throws {
        let spec = try specText()
        guard let range = spec.range(of: "## Layer ids") else { return XCTFail("no layer table") }
        let after = spec[range.upperBound...]
        let paragraph = after.split(separator: "\n", omittingEmptySubsequences: true).prefix(3).joined(separator: " ")
        var ids: [String] = []
        var rest = Substring(paragraph.components(separatedBy: "Add a layer id")[0])
        while let open = rest.firstIndex(of: "`") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "`") else { break }
            ids.append(String(rest[afterOpen..<close]))
            rest = rest[rest.index(after: close)...]
        }
        XCTAssertEqual(ids, Layer.allCases.map(\.rawValue))
    }

    func testReportRoundTripsAndKeepsNullStatus() throws {
        let report = Report(subject: Subject(kind: "fs", path: "/srv/x", extra: ["user": "www-data"]),
                            verdict: Verdict(status: nil, layer: .none, cause: .none))
        let json = Renderer.json(report)
        XCTAssertTrue(json.contains("\"status\" : null"), json)
        XCTAssertTrue(json.contains("\"user\" : \"www-data\""), json)
        XCTAssertEqual(try decodeReport(json), report)
    }
}

final class RedactorTests: XCTestCase {
    let r = Redactor()

    func testJWT() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
        let out = r.redact("token was \(jwt) ok")
        XCTAssertFalse(out.contains("dozjg"))
        XCTAssertFalse(out.contains("eyJzdWIi"))
        XCTAssertTrue(out.hasSuffix(" ok"))
    }

    func testHeaders() {
        XCTAssertEqual(r.redactHeader(name: "Authorization", value: "Bearer abc.def.ghi"), "Bearer [redacted]")
        XCTAssertEqual(r.redactHeader(name: "Cookie", value: "sid=123; theme=dark"), "sid=[redacted]; theme=[redacted]")
        XCTAssertEqual(r.redactHeader(name: "Set-Cookie", value: "sid=abc; Path=/; HttpOnly"), "sid=[redacted]; Path=/; HttpOnly")
        XCTAssertEqual(r.redactHeader(name: "Server", value: "nginx"), "nginx")
        let transcript = "> GET / HTTP/1.1\r\n> Authorization: Basic dXNlcjpwYXNz\r\n< Set-Cookie: a=b; Secure\r\n"
        let out = r.redact(transcript)
        XCTAssertFalse(out.contains("dXNlcjpwYXNz"), out)
        XCTAssertTrue(out.contains("> Authorization: Basic [redacted]\r\n"), out)
        XCTAssertTrue(out.contains("< Set-Cookie: a=[redacted]; Secure"), out)
    }

    func testSignedURLAndUserInfo() {
        let url = "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Signature=deadbeef&versionId=3"
        let out = r.redact(url)
        XCTAssertFalse(out.contains("deadbeef"))
        XCTAssertFalse(out.contains("AKIA"))
        XCTAssertTrue(out.contains("versionId=3"))
        XCTAssertEqual(r.redact("https://bob:hunter2@example.com/x"), "https://bob:[redacted]@example.com/x")
        XCTAssertEqual(r.redact("password=hunter2 user=bob"), "password=[redacted] user=bob")
    }

    func testProseAfterSchemeWordsStays() {
        XCTAssertEqual(r.redact("Basic authentication failed"), "Basic authentication failed")
        XCTAssertEqual(r.redact("challenge Basic realm=\"admin\""), "challenge Basic realm=\"admin\"")
        XCTAssertEqual(r.redact("Basic Authentication"), "Basic Authentication")
        XCTAssertEqual(r.redact("sent Basic dXNlcjpwYXNz here"), "sent Basic [redacted] here")
        XCTAssertEqual(r.redact("sent Bearer abcDEF123456 here"), "sent Bearer [redacted] here")
    }

    func testRegisteredSecret() {
        let r2 = r.adding(secret: "opaque-token-123456")
        XCTAssertEqual(r2.redact("sent opaque-token-123456 to it"), "sent [redacted] to it")
    }

    func testReportIsRedactedEverywhere() {
        let f = Finding(cause: .authScope, layer: .application, confidence: .certain,
                        summary: "Bearer abcdefGHIJ1234mnop was sent",
                        evidence: [Evidence(source: "header Authorization", text: "Authorization: Bearer abcdefGHIJ1234mnop")])
        let report = Report(subject: Subject(kind: "probe", url: "https://x/?token=s3cr3t"), status: 403, findings: [f], answeredBy: .unknown)
        let json = Renderer.json(report.redacted(by: r))
        XCTAssertFalse(json.contains("abcdefGHIJ1234mnop"), json)
        XCTAssertFalse(json.contains("s3cr3t"), json)
    }
}
