import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// Differential test of the validity checks against PyJWT (an independent implementation), with the
/// same fixed clock: PyJWT's clock is pinned to `testNow` inside the helper. 600 cases around the
/// time boundaries (exp = now, nbf = now, leeway edges), audience and issuer variants, and wrong keys;
/// PyJWT's accept/reject must equal ours (a 401 `auth.invalid` finding or not).
final class TokenDifferentialTests: XCTestCase {
    static let script = #"""
import json, random, sys, datetime as _dt
import jwt, jwt.api_jwt
NOW = int(sys.argv[1])
class FixedDatetime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.fromtimestamp(NOW, tz=_dt.timezone.utc)
jwt.api_jwt.datetime = FixedDatetime
SECRET, WRONG = "differential-secret-of-32-bytes!", "another-secret-of-at-least-32-b!"
rng = random.Random(403)
out = []
for i in range(600):
    claims = {"sub": "u%d" % i}
    boundary = rng.random() < 0.5
    for name, offsets, calm in (("exp", [-3600, -61, -60, -1, 0, 1, 59, 60], [None, 3600, 600]),
                                ("nbf", [0, 1, 30, 60, 61, 600], [None, None, -30]),
                                ("iat", [0, 1, 60, 61, 300], [None, -60, -3600])):
        o = rng.choice(offsets) if boundary and rng.random() < 0.5 else rng.choice(calm)
        if o is not None: claims[name] = NOW + o
    aud = rng.choice([None, "api://a", "api://a", ["api://a", "api://b"], ["api://a", "api://b"], "api://c", []])
    if aud is not None: claims["aud"] = aud
    iss = rng.choice([None, "https://id.example/", "https://id.example/", "https://id.example"])
    if iss is not None: claims["iss"] = iss
    want_aud = rng.choice([None, None, "api://a"])
    want_iss = rng.choice([None, None, "https://id.example/"])
    leeway = rng.choice([0, 0, 30, 60])
    key = SECRET if rng.random() < 0.9 else WRONG
    token = jwt.encode(claims, key, algorithm="HS256")
    try:
        jwt.decode(token, SECRET, algorithms=["HS256"], audience=want_aud, issuer=want_iss, leeway=leeway,
                   options={"verify_aud": want_aud is not None, "require": []})
        verdict, error = True, ""
    except jwt.PyJWTError as e:
        verdict, error = False, type(e).__name__
    out.append({"token": token, "audience": want_aud, "issuer": want_iss, "leeway": leeway, "valid": verdict, "error": error})
print(json.dumps(out))
"""#

    struct Case: Decodable {
        var token: String
        var audience: String?
        var issuer: String?
        var leeway: Double
        var valid: Bool
        var error: String
    }

    func testValidityAgreesWithPyJWT() async throws {
        let d = try PyJOSE.workDirectory()
        try d.write("differential.py", Self.script)
        let python = try RealTools.require("python3")
        let r = try Run.program(python, [d.url.appendingPathComponent("differential.py").path, String(Int(testNow))])
        XCTAssertEqual(r.status, 0, r.stderr)
        let cases = try JSONDecoder().decode([Case].self, from: Data(r.stdout.utf8))
        XCTAssertEqual(cases.count, 600)
        let keys = try KeySet(data: Data("differential-secret-of-32-bytes!".utf8), source: "secret")
        var agree = 0
        var rejected = 0
        var disagreements: [String] = []
        for c in cases {
            let report = try await analyze(c.token, keys: keys, audience: c.audience, issuer: c.issuer, leeway: c.leeway)
            let oursValid = !report.findings.contains { $0.cause == .authInvalid }
            if !c.valid { rejected += 1 }
            if oursValid == c.valid {
                agree += 1
            } else {
                let claims = report.subject.extra["token"]?.objectValue?["claims"] ?? .null
                disagreements.append("PyJWT \(c.valid ? "accepts" : "rejects (\(c.error))"), why403 \(oursValid ? "accepts" : "rejects: \(report.findings.map { $0.rule ?? "" })"); claims \(claims.display), leeway \(c.leeway)")
            }
        }
        print("token differential vs PyJWT: \(agree)/\(cases.count) agree (\(rejected) rejected by PyJWT)")
        XCTAssertEqual(agree, cases.count, disagreements.prefix(10).joined(separator: "\n"))
        XCTAssertGreaterThan(rejected, 150)
        XCTAssertLessThan(rejected, 450)
    }
}
