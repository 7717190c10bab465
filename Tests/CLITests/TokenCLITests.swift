import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 token`: tokens made at test time by PyJWT, a fixed clock (--now),
/// stdout (report-v1), stderr and exit status; the token never appears in any output.
final class TokenCLITests: XCTestCase {
    /// 2026-11-29T10:00:00Z.
    static let now = 1_795_946_400
    static let secret = "cli-test-secret-of-32-bytes-long"

    /// An HS256 token signed by PyJWT.
    func makeToken(_ claims: [String: Any]) throws -> String {
        let python = try RealTools.require("python3")
        let json = String(decoding: try JSONSerialization.data(withJSONObject: claims), as: UTF8.self)
        let r = try Run.program(python, ["-c", "import jwt, json, sys; print(jwt.encode(json.loads(sys.argv[1]), sys.argv[2], algorithm='HS256'), end='')",
                                         json, Self.secret])
        if r.status != 0 {
            let message = "PyJWT is not installed (pip install PyJWT; .ci/run does): \(r.stderr)"
            if RealTools.isCI { XCTFail(message) }
            throw XCTSkip(message)
        }
        return r.stdout
    }

    func base(_ extra: [String: Any] = [:]) -> [String: Any] {
        var c: [String: Any] = ["iss": "https://id.example.com/", "sub": "user-42", "aud": "api://reports",
                                "iat": Self.now - 60, "exp": Self.now + 3600]
        for (k, v) in extra { c[k] = v }
        return c
    }

    func assertNoLeak(_ r: ProcessResult, _ token: String, file: StaticString = #filePath, line: UInt = #line) {
        let sig = String(token.split(separator: ".").last ?? "")
        for text in [r.stdout, r.stderr] {
            XCTAssertFalse(text.contains(token), "the token leaked", file: file, line: line)
            XCTAssertFalse(!sig.isEmpty && text.contains(sig), "the signature leaked", file: file, line: line)
        }
    }

    func testExpiredTokenFromStdinIs401() throws {
        let t = try makeToken(base(["exp": Self.now - 3 * 3600]))
        let r = try Run.why403(["token", "-", "--now", "\(Self.now)", "--format", "json"], stdin: Data("Bearer \(t)\n".utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "token")
        XCTAssertEqual(report.verdict.status, 401)
        XCTAssertEqual(report.verdict.cause, .authInvalid)
        XCTAssertTrue(report.findings[0].summary.hasPrefix("the token expired 3 h ago"), report.findings[0].summary)
        assertNoLeak(r, t)
    }

    func testMissingScopeTextReport() throws {
        let t = try makeToken(base(["scope": "read:profile write:profile"]))
        let r = try Run.why403(["token", "Authorization: Bearer \(t)", "--scope", "admin:reports", "--now", "\(Self.now)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("403 from the application: needs scope admin:reports; token has read:profile write:profile (claim `scope`)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("do not retry a 403 with the same token"), r.stdout)
        assertNoLeak(r, t)
    }

    func testSignatureWithSecretFile() throws {
        let t = try makeToken(base())
        let dir = try TemporaryDirectory(prefix: "why403-token-cli")
        defer { dir.remove() }
        let good = try dir.write("secret.txt", Self.secret + "\n")
        let bad = try dir.write("wrong.txt", "another-secret-another-secret-xx\n")
        let ok = try Run.why403(["token", t, "--jwks", good.path, "--now", "\(Self.now)", "--format", "json"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(try decodeReport(ok.stdout).verdict.cause, Cause.none)
        XCTAssertTrue(ok.stdout.contains("signature verified (HS256)"), ok.stdout)
        XCTAssertFalse(ok.stdout.contains(Self.secret))
        let no = try Run.why403(["token", t, "--jwks", bad.path, "--now", "\(Self.now)", "--format", "json"])
        XCTAssertEqual(try decodeReport(no.stdout).findings.first?.rule, "token-signature")
        assertNoLeak(no, t)
    }

    func testNoCredentialsWithChallengeIsAuthMissing() throws {
        let r = try Run.why403(["token", "", "--www-authenticate", #"Bearer realm="api""#, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict.status, 401)
        XCTAssertEqual(report.verdict.cause, .authMissing)
    }

    func testMalformedTokensExitTwoWithoutEchoingThem() throws {
        let t = try makeToken(base())
        let two = t.split(separator: ".").prefix(2).joined(separator: ".")
        let r = try Run.why403(["token", two, "--now", "\(Self.now)"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("TOKEN: error: expected a JWT of 3 segments"), r.stderr)
        XCTAssertFalse(r.stderr.contains(two))
        XCTAssertTrue(r.stdout.isEmpty)
        // Binary junk on stdin.
        let junk = try Run.why403(["token", "-"], stdin: Data([0x65, 0x79, 0x4A, 0x00, 0xFF, 0x01]))
        XCTAssertEqual(junk.status, 2)
        XCTAssertTrue(junk.stderr.contains("stdin:4: error: expected a token of printable ASCII characters, found the byte 0x00 at byte 4"), junk.stderr)
        // A huge token on stdin.
        let huge = try Run.why403(["token", "-"], stdin: Data(repeating: 0x61, count: 200_000))
        XCTAssertEqual(huge.status, 2)
        XCTAssertTrue(huge.stderr.contains("expected a token of at most 65536 bytes"), huge.stderr)
        // A key file that is not one.
        let dir = try TemporaryDirectory(prefix: "why403-token-cli")
        defer { dir.remove() }
        let keys = try dir.write("jwks.json", "{\"keys\": [")
        let k = try Run.why403(["token", t, "--jwks", keys.path])
        XCTAssertEqual(k.status, 2)
        XCTAssertTrue(k.stderr.contains("jwks.json:1: error: expected a JWKS or a JWK (JSON), found malformed JSON"), k.stderr)
        // No token and nothing required.
        let empty = try Run.why403(["token", ""])
        XCTAssertEqual(empty.status, 2)
        XCTAssertTrue(empty.stderr.contains("expected a token, found an empty string"), empty.stderr)
    }

    func testMarkdownAndFlagValidation() throws {
        let t = try makeToken(base(["roles": ["viewer"]]))
        let md = try Run.why403(["token", t, "--role", "editor", "--now", "\(Self.now)", "--format", "markdown"])
        XCTAssertEqual(md.status, 0, md.stderr)
        XCTAssertTrue(md.stdout.contains("| 403 | `application` | `auth.role` |"), md.stdout)
        assertNoLeak(md, t)
        let neg = try Run.why403(["token", t, "--leeway=-5"])
        XCTAssertEqual(neg.status, 2)
        XCTAssertTrue(neg.stderr.contains("--leeway takes a number of seconds, 0 or more"), neg.stderr)
        let badNow = try Run.why403(["token", t, "--now", "yesterday"])
        XCTAssertEqual(badNow.status, 2)
        XCTAssertFalse(badNow.stderr.contains(t))
        let badChallenge = try Run.why403(["token", t, "--www-authenticate", #"Bearer error="open"#])
        XCTAssertEqual(badChallenge.status, 2)
        XCTAssertTrue(badChallenge.stderr.hasPrefix("--www-authenticate:"), badChallenge.stderr)
    }

    func testHelpListsEveryFlag() throws {
        let r = try Run.why403(["token", "--help"])
        XCTAssertEqual(r.status, 0)
        for flag in ["--scope", "--role", "--www-authenticate", "--jwks", "--audience", "--issuer", "--now", "--leeway", "--format"] {
            XCTAssertTrue(r.stdout.contains(flag), flag)
        }
    }
}
