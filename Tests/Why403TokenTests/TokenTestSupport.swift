import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// The fixed clock of every token test: 2026-11-29T10:00:00Z.
let testNow: Double = 1_795_946_400

/// Tokens and keys made at test time by an independent implementation: keys by openssl, tokens by
/// Python's PyJWT, JWKs by Python's joserfc.
enum PyJOSE {
    /// The helper script: one JSON command on stdin, the result on stdout.
    static let script = #"""
import json, sys
cmd = json.load(sys.stdin)
op = cmd["op"]
if op == "sign":
    import jwt
    alg = cmd["alg"]
    if alg == "none":
        key = None
    elif "secret" in cmd:
        key = cmd["secret"].encode()
    else:
        key = open(cmd["key"]).read()
    print(jwt.encode(cmd["claims"], key, algorithm=alg, headers=cmd.get("headers") or None), end="")
elif op == "jwk":
    from joserfc.jwk import JWKRegistry
    params = {"kid": cmd["kid"]} if cmd.get("kid") else {}
    if cmd.get("alg"): params["alg"] = cmd["alg"]
    if "secret" in cmd:
        k = JWKRegistry.import_key(cmd["secret"].encode(), "oct", params)
        d = k.as_dict(private=True)
    else:
        k = JWKRegistry.import_key(open(cmd["key"], "rb").read(), cmd["kty"], params)
        d = k.as_dict(private=False)
    print(json.dumps(d), end="")
elif op == "jwe":
    from joserfc import jwe
    from joserfc.jwk import JWKRegistry
    k = JWKRegistry.import_key(open(cmd["key"], "rb").read(), "RSA")
    print(jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, json.dumps(cmd["claims"]).encode(), k,
                              algorithms=["RSA-OAEP-256", "A256GCM"]), end="")
elif op == "joserfc-sign":
    from joserfc import jwt as jjwt
    from joserfc.jwk import JWKRegistry
    k = JWKRegistry.import_key(open(cmd["key"], "rb").read(), cmd["kty"])
    print(jjwt.encode({"alg": cmd["alg"], **(cmd.get("headers") or {})}, cmd["claims"], k, algorithms=[cmd["alg"]]), end="")
"""#

    nonisolated(unsafe) static var directory: TemporaryDirectory?

    /// The work directory with the script and the keys (made once per test process).
    static func workDirectory() throws -> TemporaryDirectory {
        if let d = directory { return d }
        let python = try RealTools.require("python3")
        let openssl = try RealTools.require("openssl")
        let check = try Run.program(python, ["-c", "import jwt, joserfc, cryptography"])
        if check.status != 0 {
            let message = "PyJWT and joserfc are not installed (pip install PyJWT joserfc; .ci/run does): \(check.stderr)"
            if RealTools.isCI { XCTFail(message); throw XCTSkip("failed: " + message) }
            throw XCTSkip(message)
        }
        let d = try TemporaryDirectory(prefix: "why403-token")
        try d.write("jose.py", script)
        let gen: [(String, [String])] = [
            ("rsa", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
            ("rsa2", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
            ("p256", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
            ("p384", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]),
            ("p521", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"]),
            ("ed", ["genpkey", "-algorithm", "ED25519"]),
        ]
        for (name, args) in gen {
            let r = try Run.program(openssl, args + ["-out", d.url.appendingPathComponent("\(name).pem").path])
            XCTAssertEqual(r.status, 0, r.stderr)
            let p = try Run.program(openssl, ["pkey", "-in", d.url.appendingPathComponent("\(name).pem").path, "-pubout",
                                              "-out", d.url.appendingPathComponent("\(name).pub.pem").path])
            XCTAssertEqual(p.status, 0, p.stderr)
        }
        directory = d
        return d
    }

    static func run(_ command: [String: Any]) throws -> String {
        let d = try workDirectory()
        let python = try RealTools.require("python3")
        let input = try JSONSerialization.data(withJSONObject: command)
        let r = try Run.program(python, [d.url.appendingPathComponent("jose.py").path], stdin: input)
        guard r.status == 0 else {
            XCTFail("python helper failed: \(r.stderr)")
            throw XCTSkip("python helper failed")
        }
        return r.stdout
    }

    /// The key file (private PEM) of `name`: rsa, rsa2, p256, p384, p521, ed.
    static func keyPath(_ name: String) throws -> String { try workDirectory().url.appendingPathComponent("\(name).pem").path }
    static func publicPEM(_ name: String) throws -> Data { try Data(contentsOf: workDirectory().url.appendingPathComponent("\(name).pub.pem")) }

    /// The key name PyJWT signs `alg` with.
    static func keyName(for alg: String) -> String {
        switch alg {
        case "ES256": "p256"
        case "ES384": "p384"
        case "ES512": "p521"
        case "EdDSA": "ed"
        default: "rsa"
        }
    }

    static func kty(for key: String) -> String {
        switch key {
        case "p256", "p384", "p521": "EC"
        case "ed": "OKP"
        default: "RSA"
        }
    }

    /// A token signed by PyJWT.
    static func sign(_ claims: [String: Any], alg: String = "RS256", key: String? = nil, secret: String? = nil,
                     headers: [String: Any] = [:]) throws -> String {
        var cmd: [String: Any] = ["op": "sign", "alg": alg, "claims": claims, "headers": headers]
        if let secret { cmd["secret"] = secret } else if alg != "none" { cmd["key"] = try keyPath(key ?? keyName(for: alg)) }
        return try run(cmd)
    }

    /// A public JWK made by joserfc (or an `oct` JWK for a secret).
    static func jwk(_ key: String? = nil, secret: String? = nil, kid: String?, alg: String? = nil) throws -> String {
        var cmd: [String: Any] = ["op": "jwk"]
        if let kid { cmd["kid"] = kid }
        if let alg { cmd["alg"] = alg }
        if let secret { cmd["secret"] = secret } else { cmd["key"] = try keyPath(key!); cmd["kty"] = kty(for: key!) }
        return try run(cmd)
    }

    static func jwks(_ jwks: [String]) -> Data { Data("{\"keys\": [\(jwks.joined(separator: ","))]}".utf8) }
}

/// Standard claims around the fixed clock.
func claims(_ extra: [String: Any] = [:], exp: Double? = testNow + 3600, iat: Double? = testNow - 60) -> [String: Any] {
    var c: [String: Any] = ["iss": "https://id.example.com/", "sub": "user-42", "aud": "api://reports"]
    if let exp { c["exp"] = Int(exp) }
    if let iat { c["iat"] = Int(iat) }
    for (k, v) in extra { c[k] = v }
    return c
}

/// Analyses with the fixed clock.
func analyze(_ token: String, scopes: [String] = [], roles: [String] = [], challenge: String? = nil, keys: KeySet? = nil,
             audience: String? = nil, issuer: String? = nil, now: Double = testNow, leeway: Double = 0) async throws -> Report {
    let input = TokenAnalyzer.Input(token: token, requiredScopes: scopes, requiredRoles: roles, wwwAuthenticate: challenge, keys: keys,
                           audience: audience, issuer: issuer, now: now, leeway: leeway)
    return try await TokenAnalyzer().analyze(input)
}

/// The report as the command prints it (redacted, JSON), for leak checks.
func rendered(_ report: Report, token: String) -> String {
    let r = report.redacted(by: Redactor().adding(secret: token))
    let data = (try? JSONEncoder().encode(r)) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

/// Asserts that `body` throws an `InputError` and returns it.
func assertInputError(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async -> InputError? {
    do {
        try await body()
        XCTFail("expected an InputError", file: file, line: line)
    } catch let e as InputError {
        return e
    } catch {
        XCTFail("expected an InputError, got \(error)", file: file, line: line)
    }
    return nil
}
