import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// Validity (401, auth.invalid): exp, nbf, iat, leeway, aud, iss, alg none. Fixed clock in every test.
final class TokenValidityTests: XCTestCase {
    func testExpiredThreeHoursAgo() async throws {
        let t = try PyJOSE.sign(claims(exp: testNow - 3 * 3600 - 5))
        let r = try await analyze(t)
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.verdict.cause, .authInvalid)
        let f = r.findings[0]
        XCTAssertEqual(f.confidence, .certain)
        XCTAssertEqual(f.rule, "token-expired")
        XCTAssertTrue(f.summary.hasPrefix("the token expired 3 h ago (exp 2026-11-29T06:59:55Z)"), f.summary)
        XCTAssertEqual(f.evidence[0].source, "claim exp")
        XCTAssertTrue(f.evidence[0].text.contains("(expired 3 h ago)"), f.evidence[0].text)
        XCTAssertTrue(f.fixes.contains { $0.summary.contains("refreshing is the answer to a 401 only") })
        XCTAssertTrue(r.notes.contains { $0.contains("exp 2026-11-29T06:59:55Z (expired 3 h ago)") }, r.notes.joined(separator: "\n"))
    }

    func testExpEqualToNowIsExpired() async throws {
        let t = try PyJOSE.sign(claims(exp: testNow))
        let r = try await analyze(t)
        XCTAssertEqual(r.verdict.cause, .authInvalid)
        XCTAssertTrue(r.findings[0].summary.contains("on or after exp"), r.findings[0].summary)
        // Within 60 s of the boundary: likely, and a note.
        XCTAssertEqual(r.findings[0].confidence, .likely)
        XCTAssertTrue(r.notes.contains { $0.contains("within 60 s of its expiry") })
        // One second before exp it is valid, with the same note.
        let ok = try await analyze(t, now: testNow - 1)
        XCTAssertEqual(ok.verdict.cause, Cause.none)
        XCTAssertTrue(ok.notes.contains { $0.contains("within 60 s of its expiry") })
    }

    func testLeewayKeepsARecentlyExpiredTokenValid() async throws {
        let t = try PyJOSE.sign(claims(exp: testNow - 30))
        let r1_ = try await analyze(t)
        XCTAssertEqual(r1_.verdict.cause, .authInvalid)
        let r2_ = try await analyze(t, leeway: 60)
        XCTAssertEqual(r2_.verdict.cause, Cause.none)
        let r3_ = try await analyze(t, leeway: 30)
        XCTAssertEqual(r3_.verdict.cause, .authInvalid)
    }

    func testFarFromBoundaryHasNoSkewNote() async throws {
        let r = try await analyze(try PyJOSE.sign(claims(exp: testNow + 7200)))
        XCTAssertFalse(r.notes.contains { $0.contains("within 60 s") })
        XCTAssertTrue(r.notes.contains { $0.contains("expires in 2 h") }, r.notes.joined(separator: "\n"))
    }

    func testNotBeforeInTheFuture() async throws {
        let t = try PyJOSE.sign(claims(["nbf": Int(testNow + 600)]))
        let r = try await analyze(t)
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.findings[0].rule, "token-not-yet-valid")
        XCTAssertTrue(r.findings[0].summary.contains("nbf is in 10 min"), r.findings[0].summary)
        let r4_ = try await analyze(t, leeway: 600)
        XCTAssertEqual(r4_.verdict.cause, Cause.none)
        let near = try await analyze(try PyJOSE.sign(claims(["nbf": Int(testNow + 20)])))
        XCTAssertEqual(near.findings[0].confidence, .likely)
        XCTAssertTrue(near.notes.contains { $0.contains("within 60 s of its nbf") })
    }

    func testIssuedInTheFuture() async throws {
        let t = try PyJOSE.sign(claims(iat: testNow + 300))
        let r = try await analyze(t)
        XCTAssertEqual(r.verdict.cause, .authInvalid)
        XCTAssertEqual(r.findings[0].rule, "token-issued-in-future")
        XCTAssertEqual(r.findings[0].confidence, .likely)
        let r5_ = try await analyze(t, leeway: 300)
        XCTAssertEqual(r5_.verdict.cause, Cause.none)
    }

    func testTimeClaimOfTheWrongType() async throws {
        let t = try PyJOSE.sign(claims(["exp": "tomorrow"], exp: nil))
        let r = try await analyze(t)
        XCTAssertEqual(r.findings[0].rule, "token-time-type")
    }

    func testExtremeNumbersDoNotTrap() async throws {
        let t = try PyJOSE.sign(claims(["nbf": -1e300, "iat": -1e300], exp: nil).merging(["exp": 1e300]) { $1 })
        let r = try await analyze(t, leeway: 1e300)
        XCTAssertEqual(r.verdict.cause, Cause.none)
        XCTAssertTrue(r.notes.joined().contains("out of range"), r.notes.joined(separator: "\n"))
        let past = try PyJOSE.sign(claims(exp: nil).merging(["exp": -1e300]) { $1 })
        let r2 = try await analyze(past, now: 1e15, leeway: 1e12)
        XCTAssertEqual(r2.verdict.cause, .authInvalid)
        XCTAssertTrue(r2.findings[0].summary.contains("an unbounded time"), r2.findings[0].summary)
    }

    func testAudience() async throws {
        let t = try PyJOSE.sign(claims(["aud": ["api://billing", "api://reports"]]))
        let r6_ = try await analyze(t, audience: "api://reports")
        XCTAssertEqual(r6_.verdict.cause, Cause.none)
        let r = try await analyze(t, audience: "api://admin")
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.findings[0].rule, "token-audience")
        XCTAssertTrue(r.findings[0].summary.contains("expects audience api://admin; the token has aud api://billing, api://reports"))
        let none = try await analyze(try PyJOSE.sign(["sub": "x", "exp": Int(testNow + 60)]), audience: "api://admin")
        XCTAssertTrue(none.findings[0].summary.contains("no aud claim"))
        // An ID token sent to an API: aud is the client id (azp).
        let id = try await analyze(try PyJOSE.sign(claims(["aud": "client-123", "azp": "client-123", "nonce": "n"])), audience: "api://reports")
        XCTAssertTrue(id.findings[0].summary.contains("looks like an ID token"), id.findings[0].summary)
    }

    func testIssuer() async throws {
        let t = try PyJOSE.sign(claims())
        let r7_ = try await analyze(t, issuer: "https://id.example.com/")
        XCTAssertEqual(r7_.verdict.cause, Cause.none)
        let r = try await analyze(t, issuer: "https://id.example.com")
        XCTAssertEqual(r.verdict.cause, .authInvalid)
        XCTAssertEqual(r.findings[0].rule, "token-issuer")
        XCTAssertTrue(r.findings[0].summary.contains("differ only by a trailing slash"))
        let r8_ = try await analyze(t, issuer: "https://other.example.com")
        XCTAssertEqual(r8_.findings[0].rule, "token-issuer")
    }

    func testAlgNone() async throws {
        let t = try PyJOSE.sign(claims(), alg: "none")
        XCTAssertTrue(t.hasSuffix("."))
        let r = try await analyze(t)
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.findings[0].rule, "token-alg-none")
        XCTAssertEqual(r.findings[0].confidence, .certain)
        XCTAssertEqual(r.subject.extra["token"]?.objectValue?["signature"], "none")
    }

    func testValidTokenSaysWhatWasVerified() async throws {
        let t = try PyJOSE.sign(claims(["scope": "read:profile admin:reports"]))
        let r = try await analyze(t, scopes: ["admin:reports"], audience: "api://reports", issuer: "https://id.example.com/")
        XCTAssertEqual(r.verdict, .notDenied)
        XCTAssertTrue(r.findings.isEmpty)
        let note = r.notes[0]
        XCTAssertTrue(note.hasPrefix("nothing in the token denies the request: "), note)
        XCTAssertTrue(note.contains("not expired"))
        XCTAssertTrue(note.contains("aud contains api://reports"))
        XCTAssertTrue(note.contains("scope admin:reports present"))
        XCTAssertTrue(note.contains("signature not checked: no --jwks"), note)
        // The decoded header and claims are in the subject, with human times.
        let tok = r.subject.extra["token"]?.objectValue
        XCTAssertEqual(tok?["format"], "jws")
        XCTAssertEqual(tok?["header"]?.objectValue?["alg"], "RS256")
        XCTAssertEqual(tok?["claims"]?.objectValue?["sub"], "user-42")
        XCTAssertEqual(tok?["times"]?.objectValue?["exp"]?.objectValue?["relative"], "in 1 h")
    }

    func testSecretNamedClaimsAreHidden() async throws {
        let t = try PyJOSE.sign(claims(["client_secret": "hunter2hunter2", "password": "pw-123456"]))
        let r = try await analyze(t)
        let out = rendered(r, token: t)
        XCTAssertFalse(out.contains("hunter2hunter2"))
        XCTAssertFalse(out.contains("pw-123456"))
    }

    /// Secret-named claims at any depth, in camelCase and with dashes (session 33's QA), while ordinary ones and
    /// OIDC's `sid` stay shown.
    func testSecretNamedClaimsAreHiddenAtAnyDepthAndSpelling() async throws {
        let t = try PyJOSE.sign(claims(["ext": ["db_password": "NESTEDPW1", "token": "NESTEDTOK2", "tier": "gold"],
                                        "credentials": [["secret": "ARRSECRET3"]],
                                        "Authorization": "Bearer INNERBEARER4", "x-api-key": "DASHKEY5",
                                        "privateKey": "CAMELKEY6", "sessionToken": "CAMELTOK7", "sid": "session-id-9",
                                        "policy": "readonly-policy-10"]))
        let out = rendered(try await analyze(t), token: t)
        for secret in ["NESTEDPW1", "NESTEDTOK2", "ARRSECRET3", "INNERBEARER4", "DASHKEY5", "CAMELKEY6", "CAMELTOK7"] {
            XCTAssertFalse(out.contains(secret), secret)
        }
        XCTAssertTrue(out.contains("gold"))
        XCTAssertTrue(out.contains("session-id-9"))
        XCTAssertTrue(out.contains("readonly-policy-10"), "MinIO's policy claim authorises: it stays shown")
    }
}
