import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// TOKEN forms (raw, `Bearer`, a whole `Authorization:` line, none) and malformed input: every bad
/// input is an `InputError` that never echoes the token.
final class TokenInputTests: XCTestCase {
    func testRawBearerAndHeaderLineDecodeAlike() async throws {
        let t = try PyJOSE.sign(claims(["scope": "read:profile"]))
        for form in [t, "Bearer \(t)", "bearer  \(t)\n", "Authorization: Bearer \(t)", "authorization:Bearer \(t)\r\n",
                     "Proxy-Authorization: Bearer \(t)", "DPoP \(t)"] {
            let text = try TokenText(form)
            XCTAssertEqual(text.kind, .jws)
            XCTAssertEqual(text.value, t)
            let r = try await analyze(form)
            XCTAssertEqual(r.verdict.cause, Cause.none)
            XCTAssertEqual(r.subject.kind, "token")
        }
    }

    func testEmptyTokenAloneIsAnInputError() async {
        let e = await assertInputError { _ = try await analyze("") }
        XCTAssertEqual(e?.message, "expected a token, found an empty string")
    }

    func testEmptyTokenWithChallengeIsAuthMissing() async throws {
        let r = try await analyze("", challenge: #"Bearer realm="api""#)
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.verdict.cause, .authMissing)
        XCTAssertEqual(r.findings.first?.confidence, .certain)
        XCTAssertTrue(r.findings[0].summary.contains("realm \"api\""), r.findings[0].summary)
    }

    func testEmptyTokenWithRequiredScopeIsAuthMissing() async throws {
        let r = try await analyze("", scopes: ["admin:reports"])
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.verdict.cause, .authMissing)
        let r1_ = try await analyze("", roles: ["admin"])
        XCTAssertEqual(r1_.verdict.cause, .authMissing)
        let r2_ = try await analyze("Authorization: Bearer", roles: ["admin"])
        XCTAssertEqual(r2_.verdict.cause, .authMissing)
        let r3_ = try await analyze("Bearer ", scopes: ["a"])
        XCTAssertEqual(r3_.verdict.cause, .authMissing)
    }

    func testTwoSegmentsIsAnInputError() async throws {
        let t = try PyJOSE.sign(claims())
        let two = t.split(separator: ".").prefix(2).joined(separator: ".")
        let e = await assertInputError { _ = try await analyze(two) }
        XCTAssertEqual(e?.message, "expected a JWT of 3 segments (signed, JWS) or 5 (encrypted, JWE) separated by '.', found 2 segments")
        XCTAssertFalse(e!.description.contains(two))
    }

    func testBadBase64URLNamesSegmentAndPosition() async throws {
        let t = try PyJOSE.sign(claims())
        var parts = t.split(separator: ".").map(String.init)
        parts[1].insert("*", at: parts[1].index(parts[1].startIndex, offsetBy: 5))
        let bad = parts.joined(separator: ".")
        // '*' is not even a b64token character: caught before base64url decoding.
        let e1 = await assertInputError { _ = try await analyze(bad) }
        XCTAssertTrue(e1!.message.contains("found the character \"*\""), e1!.message)
        // '+' is a b64token character but not base64url.
        parts[1] = parts[1].replacingOccurrences(of: "*", with: "+")
        let e2 = await assertInputError { _ = try await analyze(parts.joined(separator: ".")) }
        XCTAssertTrue(e2!.message.hasPrefix("expected base64url in segment 2 (payload), found the character \"+\" at position"), e2!.message)
        XCTAssertEqual(e2?.column, parts[0].count + 1 + 5 + 1)
        XCTAssertFalse(e2!.description.contains(parts[1]))
    }

    func testImpossibleBase64Length() async {
        let e = await assertInputError { _ = try await analyze("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0xx.c2ln") }
        XCTAssertTrue(e!.message.contains("a length of"), e!.message)
    }

    func testJSONThatIsNotAnObject() async {
        let header = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8))
        for (payload, found) in [("[1,2]", "a JSON array"), ("\"sub\"", "a JSON string"), ("42", "a JSON number"), ("{\"a\":", "malformed JSON"),
                                 ("not json", "bytes that are not JSON")] {
            let token = header + "." + Base64URL.encode(Array(payload.utf8)) + ".c2ln"
            let e = await assertInputError { _ = try await analyze(token) }
            XCTAssertEqual(e?.message, "expected a JSON object in segment 2 (payload), found \(found)")
        }
        let badHeader = Base64URL.encode(Array("[\"alg\"]".utf8)) + "." + Base64URL.encode(Array("{}".utf8)) + ".c2ln"
        let e = await assertInputError { _ = try await analyze("ey" + badHeader) }
        XCTAssertNotNil(e)
    }

    /// issue 11 (report-v1 second edition): a JWS-shaped token whose header is not a JSON object is bad
    /// input naming segment 1, not an opaque token.
    func testIssue11JWSShapedTokenWithABadHeaderIsBadInput() async {
        let payload = Base64URL.encode(Array(#"{"sub":"x"}"#.utf8))
        for token in ["hbGciOiJIUzI1NiJ9." + payload + ".c2lnbmF0dXJl", "abcd.efgh.ijkl"] {
            let e = await assertInputError { _ = try await analyze(token) }
            XCTAssertTrue(e?.message.hasPrefix("expected a JSON object in segment 1 (header) of a token shaped like a JWT") ?? false, e?.message ?? "no error")
            XCTAssertTrue(e?.help?.contains("cut short") ?? false)
            XCTAssertFalse(e?.description.contains(payload) ?? true)
        }
        // Not three segments, or a character base64url lacks: still opaque.
        XCTAssertEqual(try TokenText("abc.def.ghi.jkl").kind, .opaque)
        XCTAssertEqual(try TokenText("ya29.a0AfH6SMBx").kind, .opaque)
        XCTAssertEqual(try TokenText("abcd.ef+h.ijkl").kind, .opaque)
    }

    func testDecodingAnOpaqueTextIsAnErrorNotACrash() async throws {
        let opaque = try TokenText("abc.def.ghi.jkl")
        XCTAssertEqual(opaque.kind, .opaque)
        XCTAssertThrowsError(try DecodedJWT(opaque))
        XCTAssertThrowsError(try DecodedJWT(try TokenText("")))
    }

    func testHeaderWithoutAlg() async {
        let token = Base64URL.encode(Array(#"{"typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"x"}"#.utf8)) + ".c2ln"
        let e = await assertInputError { _ = try await analyze(token) }
        XCTAssertEqual(e?.message, "expected an \"alg\" member in the JOSE header (segment 1), found a header without one")
    }

    func testHugeTokenIsRefused() async {
        let header = Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8))
        let huge = header + "." + Base64URL.encode(Array(("{\"pad\":\"" + String(repeating: "a", count: 200_000) + "\"}").utf8)) + ".c2ln"
        let e = await assertInputError { _ = try await analyze(huge) }
        XCTAssertTrue(e!.message.hasPrefix("expected a token of at most 65536 bytes, found"), e!.message)
        XCTAssertLessThan(e!.description.count, 400)
    }

    func testBinaryJunkIsRefusedWithItsPosition() async {
        var bytes = Array("eyJhbGciOiJIUzI1NiJ9.eyJ".utf8)
        bytes += [0x00, 0xFF, 0xFE]
        let e = await assertInputError { _ = try TokenText(bytes: bytes) }
        XCTAssertEqual(e?.message, "expected a token of printable ASCII characters, found the byte 0x00 at byte 25")
        let e2 = await assertInputError { _ = try await analyze("eyJ\u{1F600}.a.b") }
        XCTAssertTrue(e2!.message.contains("the byte 0xf0"), e2!.message)
    }

    func testBasicCredentialsAreNotATokenAndTwoLinesAreRefused() async {
        let e = await assertInputError { _ = try await analyze("Basic dXNlcjpwYXNz") }
        XCTAssertEqual(e?.message, "expected a bearer token, found Basic credentials")
        XCTAssertFalse(e!.description.contains("dXNlcjpwYXNz"))
        let e2 = await assertInputError { _ = try await analyze("abc\ndef") }
        XCTAssertEqual(e2?.message, "expected one token on one line, found 2 lines")
    }

    func testOpaqueTokensAreRecognisedAndSaidUnreadable() async throws {
        let r = try await analyze("ghp_" + String(repeating: "A1b2", count: 9), scopes: ["repo"])
        XCTAssertEqual(r.verdict.cause, .unknown)
        XCTAssertNil(r.verdict.status)
        XCTAssertEqual(r.findings.first?.confidence, .possible)
        XCTAssertTrue(r.findings[0].summary.contains("GitHub personal access token"), r.findings[0].summary)
        XCTAssertTrue(r.findings[0].checks!.joined().contains("RFC 7662"))
        // Google's tokens have one dot: still opaque, not a malformed JWT.
        let g = try await analyze("ya29.a0AfH6SMBx-example_token", scopes: ["https://www.googleapis.com/auth/drive"])
        XCTAssertEqual(g.subject.extra["token"]?.objectValue?["format"], "opaque")
        // Nothing required: a verdict of none, with notes saying it is unreadable.
        let n = try await analyze("0123456789abcdefopaque")
        XCTAssertEqual(n.verdict.cause, Cause.none)
        XCTAssertTrue(n.notes.joined().contains("introspection"), n.notes.joined(separator: "\n"))
    }

    func testJWEIsRecognisedAndSaidUnreadable() async throws {
        let d = try PyJOSE.workDirectory()
        let jwe = try PyJOSE.run(["op": "jwe", "key": d.url.appendingPathComponent("rsa.pem").path, "claims": claims(["scope": "a"])])
        XCTAssertEqual(jwe.split(separator: ".").count, 5)
        let r = try await analyze(jwe, scopes: ["admin"])
        XCTAssertEqual(r.verdict.cause, .unknown)
        XCTAssertTrue(r.findings[0].summary.contains("encrypted (JWE, alg RSA-OAEP-256, enc A256GCM)"), r.findings[0].summary)
        XCTAssertTrue(r.findings[0].checks!.joined().contains("RFC 7662"))
    }

    func testReportNeverHoldsTheTokenOrItsSignature() async throws {
        let t = try PyJOSE.sign(claims(["scope": "read:profile"], exp: testNow - 10_800))
        let r = try await analyze("Bearer " + t, scopes: ["admin:reports"], challenge: #"Bearer error="invalid_token""#)
        let out = rendered(r, token: t)
        let sig = String(t.split(separator: ".")[2])
        XCTAssertFalse(out.contains(t))
        XCTAssertFalse(out.contains(sig))
        // Even without redaction, the analyzer itself never quotes the token.
        let raw = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        XCTAssertFalse(raw.contains(sig))
    }

    /// Bounded mutation fuzzing: every mutation of a real token either analyses or is an InputError
    /// whose text holds neither the token nor its signature; never a crash.
    func testFuzzMutationsNeverCrashOrLeak() async throws {
        let t = try PyJOSE.sign(claims(["scope": "a b", "realm_access": ["roles": ["x"]]]), alg: "HS256", secret: "s3cr3t-s3cr3t-s3cr3t-s3cr3t-32by")
        let sig = String(t.split(separator: ".")[2])
        var rng = SplitMix64(seed: 0x5EED_0403)
        let alphabet = Array("ABCxyz019-_.+/=~ \t\n\u{0}\u{7F}é{}\"[]:,eyJ")
        for _ in 0..<1500 {
            var chars = Array(t)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(chars.count))
                switch rng.next() % 4 {
                case 0: chars[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: chars.remove(at: i)
                case 2: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
                default:
                    let cut: Int = min(chars.count, i + Int(rng.next() % 8))
                    chars.removeSubrange(i..<cut)
                }
                if chars.isEmpty { chars = ["x"] }
            }
            let input = String(chars)
            do {
                let r = try await analyze(input, scopes: ["b"], roles: ["x"])
                XCTAssertFalse(rendered(r, token: input).contains(sig))
            } catch let e as InputError {
                XCTAssertFalse(e.description.contains(sig), e.description)
                XCTAssertLessThan(e.description.count, 600)
            }
        }
        // Random bytes.
        for _ in 0..<500 {
            let n = Int(rng.next() % 200)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            do { _ = try TokenText(bytes: bytes) } catch is InputError {}
        }
        // Random base64url segments around real JSON fragments.
        let fragments = ["{", "}", "[", "]", "\"alg\":", "\"none\"", "1e999", "1e300", "-1e300", "\"nbf\":", "\"iat\":", "\"scope\":", "\"scp\":", "\"realm_access\":", "-0", "null", "\"exp\":", ",", "{\"a\":{\"b\":", "\"\\u0000\""]
        for _ in 0..<500 {
            var header = ""
            var payload = ""
            for _ in 0..<Int(rng.next() % 8) { header += fragments[Int(rng.next() % UInt64(fragments.count))] }
            for _ in 0..<Int(rng.next() % 12) { payload += fragments[Int(rng.next() % UInt64(fragments.count))] }
            let token = "ey" + Base64URL.encode(Array(("{\"alg\":\"HS256\"" + header).utf8)).dropFirst(2) + "." + Base64URL.encode(Array(payload.utf8)) + ".c2ln"
            do { _ = try await analyze(token, scopes: ["a"], roles: ["r"], audience: "x", issuer: "y") } catch is InputError {}
        }
        // Well-formed claims of every JSON type in every claim the checks read.
        let names = ["exp", "nbf", "iat", "aud", "iss", "scope", "scp", "roles", "role", "groups", "permissions", "realm_access",
                     "resource_access", "cognito:groups", "https://x.example/roles", "azp", "nonce", "client_secret"]
        let values = ["null", "true", "0", "-1", "1.5", "1e300", "-1e300", "1795946400", "\"\"", "\"a b\"", "[]", "[1,\"a\",null,{}]",
                      "{}", "{\"roles\":[\"a\"]}", "{\"api\":{\"roles\":\"a\"}}", "{\"api\":[]}", "\"\\u0000\""]
        for _ in 0..<800 {
            var members: [String] = []
            for _ in 0..<Int(1 + rng.next() % 8) {
                members.append("\"\(names[Int(rng.next() % UInt64(names.count))])\":\(values[Int(rng.next() % UInt64(values.count))])")
            }
            let header = rng.next() % 4 == 0 ? #"{"alg":"none"}"# : #"{"alg":"HS256","kid":"k"}"#
            let token = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(("{" + members.joined(separator: ",") + "}").utf8)) + ".c2ln"
            let r = try await analyze(token, scopes: ["a"], roles: ["a"], challenge: #"Bearer error="insufficient_scope", scope="b""#,
                                      audience: "x", issuer: "y", leeway: Double(rng.next() % 120))
            XCTAssertEqual(r.verdict.status, 401, "aud/iss never match here, so every token is a 401")
        }
    }
}

extension JSONValue {
    var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
}
