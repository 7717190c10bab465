import Foundation
import XCTest
import JWTKit
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// Signatures against --jwks: every algorithm, tokens from PyJWT and from jwt-kit, JWKS from joserfc,
/// PEM keys and HMAC secrets from the same test run; wrong key, unknown kid, key/algorithm mismatch.
final class TokenSignatureTests: XCTestCase {
    static let asymmetric = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
    static let secret = "a-shared-secret-of-32-bytes-min!"

    func testEveryAsymmetricAlgorithmVerifiesWithAJWKS() async throws {
        var jwks: [String] = []
        for key in ["rsa", "p256", "p384", "p521", "ed"] { jwks.append(try PyJOSE.jwk(key, kid: "kid-\(key)")) }
        let keys = try KeySet(data: PyJOSE.jwks(jwks), source: "jwks.json")
        XCTAssertEqual(keys.keys.count, 5)
        for alg in Self.asymmetric {
            let key = PyJOSE.keyName(for: alg)
            let t = try PyJOSE.sign(claims(), alg: alg, headers: ["kid": "kid-\(key)"])
            let r = try await analyze(t, keys: keys)
            XCTAssertEqual(r.verdict.cause, Cause.none, "\(alg): \(r.findings.map(\.summary))")
            XCTAssertEqual(r.subject.extra["token"]?.objectValue?["signature"], "verified", alg)
            XCTAssertTrue(r.notes[0].contains("signature verified (\(alg)) with key"), r.notes[0])
        }
    }

    func testEveryAsymmetricAlgorithmVerifiesWithAPEM() async throws {
        for alg in Self.asymmetric {
            let key = PyJOSE.keyName(for: alg)
            let keys = try KeySet(data: try PyJOSE.publicPEM(key), source: "\(key).pub.pem")
            let r = try await analyze(try PyJOSE.sign(claims(), alg: alg), keys: keys)
            XCTAssertEqual(r.subject.extra["token"]?.objectValue?["signature"], "verified", alg)
        }
    }

    func testHMACWithSecretFileAndOctJWK() async throws {
        for alg in ["HS256", "HS384", "HS512"] {
            let t = try PyJOSE.sign(claims(), alg: alg, secret: Self.secret)
            let file = try KeySet(data: Data((Self.secret + "\n").utf8), source: "secret.txt")
            XCTAssertEqual(file.form, .secret)
            let r1_ = try await analyze(t, keys: file)
            XCTAssertEqual(r1_.subject.extra["token"]?.objectValue?["signature"], "verified", alg)
            let jwk = try KeySet(data: Data(try PyJOSE.jwk(secret: Self.secret, kid: nil).utf8), source: "oct.json")
            let r2_ = try await analyze(t, keys: jwk)
            XCTAssertEqual(r2_.subject.extra["token"]?.objectValue?["signature"], "verified", alg)
            let wrong = try KeySet(data: Data("another-secret-another-secret-xx".utf8), source: "secret.txt")
            let r = try await analyze(t, keys: wrong)
            XCTAssertEqual(r.findings[0].rule, "token-signature", alg)
            XCTAssertFalse(rendered(r, token: t).contains(Self.secret))
        }
    }

    func testShortHMACSecretVerifiesWithANote() async throws {
        let t = try PyJOSE.sign(claims(), alg: "HS512", secret: "short-secret")
        let r = try await analyze(t, keys: try KeySet(data: Data("short-secret".utf8), source: "secret.txt"))
        XCTAssertEqual(r.subject.extra["token"]?.objectValue?["signature"], "verified")
        XCTAssertTrue(r.notes.contains { $0.contains("the HMAC secret is 12 bytes, shorter than the 64 that RFC 7518") }, r.notes.joined(separator: "\n"))
    }

    func testWrongKeyDoesNotVerify() async throws {
        let keys = try KeySet(data: PyJOSE.jwks([try PyJOSE.jwk("rsa2", kid: "k1")]), source: "jwks.json")
        let r = try await analyze(try PyJOSE.sign(claims(), alg: "RS256", headers: ["kid": "k1"]), keys: keys)
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.findings[0].rule, "token-signature")
        XCTAssertEqual(r.findings[0].confidence, .certain)
        XCTAssertTrue(r.findings[0].summary.contains("does not verify with key 1 of the JWKS (kid k1) of jwks.json"), r.findings[0].summary)
    }

    func testAlteredPayloadDoesNotVerify() async throws {
        let keys = try KeySet(data: try PyJOSE.publicPEM("p256"), source: "p256.pub.pem")
        let t = try PyJOSE.sign(claims(["scope": "read"]), alg: "ES256")
        var parts = t.split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Array(#"{"sub":"user-42","scope":"admin","exp":1795950000}"#.utf8))
        let r = try await analyze(parts.joined(separator: "."), keys: keys)
        XCTAssertEqual(r.findings[0].rule, "token-signature")
    }

    func testKidAbsentFromJWKS() async throws {
        let keys = try KeySet(data: PyJOSE.jwks([try PyJOSE.jwk("rsa", kid: "2026-10"), try PyJOSE.jwk("rsa2", kid: "2026-11")]), source: "jwks.json")
        let r = try await analyze(try PyJOSE.sign(claims(), alg: "RS256", headers: ["kid": "2026-09"]), keys: keys)
        XCTAssertEqual(r.verdict.cause, .authInvalid)
        XCTAssertEqual(r.findings[0].rule, "token-kid-unknown")
        XCTAssertTrue(r.findings[0].summary.contains("key id 2026-09 is not in jwks.json (it has 2026-10, 2026-11)"), r.findings[0].summary)
    }

    func testKeyOfTheWrongKindOrAlgorithm() async throws {
        let keys = try KeySet(data: PyJOSE.jwks([try PyJOSE.jwk("p256", kid: "k1")]), source: "jwks.json")
        let r = try await analyze(try PyJOSE.sign(claims(), alg: "RS256", headers: ["kid": "k1"]), keys: keys)
        XCTAssertEqual(r.findings[0].rule, "token-alg-key-mismatch")
        XCTAssertTrue(r.findings[0].summary.contains("is an EC P-256 key, which cannot check RS256"), r.findings[0].summary)
        // A JWK that states another alg.
        let ps = try KeySet(data: PyJOSE.jwks([try PyJOSE.jwk("rsa", kid: "k1", alg: "PS256")]), source: "jwks.json")
        let r2 = try await analyze(try PyJOSE.sign(claims(), alg: "RS256", headers: ["kid": "k1"]), keys: ps)
        XCTAssertTrue(r2.findings[0].summary.contains("is for PS256, the token says RS256"), r2.findings[0].summary)
        // HS256 "signed" with the public key (algorithm confusion) is refused, not verified.
        let pem = try PyJOSE.publicPEM("rsa")
        struct Sub: JWTPayload {
            var sub: SubjectClaim
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let confused = JWTKeyCollection()
        await confused.add(hmac: HMACKey(from: pem), digestAlgorithm: .sha256)
        let forged = try await confused.sign(Sub(sub: "x"))
        let r3 = try await analyze(forged, keys: try KeySet(data: pem, source: "rsa.pub.pem"))
        XCTAssertEqual(r3.findings[0].rule, "token-alg-key-mismatch")
    }

    func testTokensSignedByJWTKit() async throws {
        struct Payload: JWTPayload {
            var sub: SubjectClaim
            var exp: ExpirationClaim
            var scope: String
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let payload = Payload(sub: "svc", exp: .init(value: Date(timeIntervalSince1970: testNow + 600)), scope: "read:profile")
        let es = ES256PrivateKey()
        let ed = try EdDSA.PrivateKey(curve: .ed25519)
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: es, kid: "es")
        await collection.add(eddsa: ed, kid: "ed")
        await collection.add(hmac: HMACKey(from: Self.secret + Self.secret), digestAlgorithm: .sha384, kid: "hs")
        let jwks = #"{"keys":[{"kty":"EC","crv":"P-256","kid":"es","x":"\#(es.publicKey.parameters!.x)","y":"\#(es.publicKey.parameters!.y)"}]}"#
        let t1 = try await collection.sign(payload, kid: "es")
        let r1 = try await analyze(t1, scopes: ["admin:reports"], keys: try KeySet(data: Data(jwks.utf8), source: "jwks.json"))
        XCTAssertEqual(r1.subject.extra["token"]?.objectValue?["signature"], "verified")
        XCTAssertEqual(r1.verdict.cause, .authScope)
        let t2 = try await collection.sign(payload, kid: "ed")
        let r2 = try await analyze(t2, keys: try KeySet(data: Data(ed.publicKey.pemRepresentation.utf8), source: "ed.pem"))
        XCTAssertEqual(r2.subject.extra["token"]?.objectValue?["signature"], "verified")
        let t3 = try await collection.sign(payload, kid: "hs")
        let r3 = try await analyze(t3, keys: try KeySet(data: Data((Self.secret + Self.secret).utf8), source: "secret"))
        XCTAssertEqual(r3.subject.extra["token"]?.objectValue?["signature"], "verified")
    }

    func testTokenSignedByJoserfc() async throws {
        let d = try PyJOSE.workDirectory()
        let t = try PyJOSE.run(["op": "joserfc-sign", "alg": "ES384", "kty": "EC", "key": d.url.appendingPathComponent("p384.pem").path,
                                "claims": claims(), "headers": ["kid": "x"]])
        let r = try await analyze(t, keys: try KeySet(data: PyJOSE.jwks([try PyJOSE.jwk("p384", kid: "x")]), source: "jwks.json"))
        XCTAssertEqual(r.subject.extra["token"]?.objectValue?["signature"], "verified")
    }

    func testMalformedKeyFiles() async throws {
        for (data, expected) in [("{\"keys\": ", "expected a JWKS or a JWK (JSON), found malformed JSON (Unexpected end of file during JSON parse.)"),
                                 ("{\"kty\": \"RSA\", \"n\": 5, \"e\": \"AQAB\"}", "expected a usable JWK, found a key that has \"n\" as a JSON number, not a base64url string"),
                                 ("{\"foo\": 1}", "expected a JWKS ({\"keys\": [...]}) or a JWK (an object with \"kty\"), found an object with the members \"foo\""),
                                 ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "expected an RSA (2048 bits or more), EC (P-256, P-384, P-521) or Ed25519 public key, found a PEM block that is none of these"),
                                 ("\n", "expected a JWKS, a JWK, a PEM public key or an HMAC secret, found an empty file"),
                                 ("{\"kty\": \"RSA\", \"n\": \"AQAB\"}", "expected a usable JWK, found a key that has no \"e\"")] {
            do {
                _ = try KeySet(data: Data(data.utf8), source: "keys.json")
                XCTFail("no error for \(data)")
            } catch let e as InputError {
                XCTAssertEqual(e.message, expected)
                XCTAssertEqual(e.file, "keys.json")
            }
        }
        // A file cut off names its last line (JSON's "end of file" gives no position).
        XCTAssertThrowsError(try KeySet(data: Data("{\"keys\":[\n{\"kty\":\"RSA\"".utf8), source: "keys.json")) { e in
            XCTAssertEqual((e as? InputError)?.line, 2, "\(e)")
        }
        // Malformed JSON names the line (QA: it named none).
        XCTAssertThrowsError(try KeySet(data: Data("\n{\"keys\":[\n {\"kty\":\"RSA\",\n  \"n\": 5,,\n}]}".utf8), source: "keys.json")) { e in
            XCTAssertEqual((e as? InputError)?.line, 4, "\(e)")
        }
        let priv = try Data(contentsOf: URL(fileURLWithPath: try PyJOSE.keyPath("rsa")))
        XCTAssertThrowsError(try KeySet(data: priv, source: "rsa.pem")) { e in
            XCTAssertEqual((e as? InputError)?.message, "expected a public key, found a PEM private key")
            XCTAssertFalse((e as? InputError)!.description.contains("MII"))
        }
        // A JWKS with an unusable key keeps the others and says which was skipped.
        let mixed = PyJOSE.jwks([#"{"kty":"XYZ","kid":"bad"}"#, try PyJOSE.jwk("rsa", kid: "good")])
        let ks = try KeySet(data: mixed, source: "jwks.json")
        XCTAssertEqual(ks.keys.count, 1)
        XCTAssertEqual(ks.skipped, ["key 1 (kid bad): has the key type \"XYZ\", not RSA, EC, OKP or oct"])
        // A JWKS with no usable key: the signature is said unchecked, not invalid.
        let useless = try KeySet(data: PyJOSE.jwks([#"{"kty":"XYZ","kid":"bad"}"#]), source: "jwks.json")
        let r = try await analyze(try PyJOSE.sign(claims()), keys: useless)
        XCTAssertEqual(r.verdict.cause, Cause.none)
        XCTAssertTrue(r.notes.contains { $0.contains("jwks.json has no key this tool can use") }, r.notes.joined(separator: "\n"))
    }
}
