import Foundation
import Why403Core

extension TokenAnalyzer {
    /// What `why403 token` is asked: the token sent, what the endpoint requires, and how to check it.
    public struct Input: Sendable {
        /// The token as given: a raw JWT, `Bearer <jwt>`, a whole `Authorization:` line, or `""` for none.
        public var token: String
        /// Scopes the endpoint requires (`--scope`, repeatable).
        public var requiredScopes: [String]
        /// Roles the endpoint requires (`--role`, repeatable).
        public var requiredRoles: [String]
        /// The `WWW-Authenticate` value the server answered with, when known.
        public var wwwAuthenticate: String?
        /// Keys to check the signature with (`--jwks`); nil: the signature is not checked.
        public var keys: KeySet?
        /// The audience the API expects (`aud`), when stated.
        public var audience: String?
        /// The issuer the API trusts (`iss`), when stated.
        public var issuer: String?
        /// The clock, in seconds since 1970 (`--now`; the command passes the system time otherwise).
        public var now: Double
        /// Clock skew allowed on `exp`, `nbf` and `iat`, in seconds (`--leeway`, default 0).
        public var leeway: Double

        /// An input; everything but the token and the clock is optional.
        public init(token: String, requiredScopes: [String] = [], requiredRoles: [String] = [], wwwAuthenticate: String? = nil,
                    keys: KeySet? = nil, audience: String? = nil, issuer: String? = nil, now: Double, leeway: Double = 0) {
            self.token = token
            self.requiredScopes = requiredScopes
            self.requiredRoles = requiredRoles
            self.wwwAuthenticate = wwwAuthenticate
            self.keys = keys
            self.audience = audience
            self.issuer = issuer
            self.now = now
            self.leeway = leeway
        }
    }
}

/// The token layer's entry point: decodes a bearer token locally (it is never sent anywhere), checks
/// it, and decides 401 versus 403 as RFC 6750 §3.1 and RFC 9110 §15.5.2/§15.5.4 say.
///
/// - 401 `auth.missing`: no credentials where the endpoint asks for them (a challenge, or a required
///   scope or role). `certain`.
/// - 401 `auth.invalid`: `exp` reached (RFC 7519 §4.1.4: on or after), `nbf` not reached, `iat` in the
///   future (`likely`: not every server checks it), `aud`/`iss` other than stated, `alg: none`, a
///   signature that does not verify against `--jwks`, a `kid` absent from it, or a challenge with
///   `error="invalid_token"`. `certain` except within 60 s of a time boundary (`likely`, and a note).
/// - 403 `auth.scope`: a required scope (given, or a challenge's `scope` with `insufficient_scope`) is
///   absent from `scope`/`scp`; 403 `auth.role`: a required role is absent from every role claim.
///   `certain` when the claim was read, `likely` when the token has no such claim at all.
///
/// Evidence: the claims read (`claim exp`, `claim scope`), the header (`header alg`), the challenge.
/// Fixes: request the scope when the token is obtained, assign the role in the identity provider,
/// refresh only for a 401, never retry a 403 with the same token.
public struct TokenAnalyzer: Sendable {
    /// An analyzer.
    public init() {}

    /// The report for `input`. Throws `InputError` for a malformed token or challenge.
    public func analyze(_ input: TokenAnalyzer.Input) async throws -> Report {
        let text = try TokenText(input.token)
        let challenges = try TokenAnalyzer.challenges(input.wwwAuthenticate)
        var decoded: DecodedJWT?
        if text.kind == .jws || text.kind == .jwe { decoded = try DecodedJWT(text) }
        var signature: SignatureCheck?
        if let keys = input.keys, let jwt = decoded, !jwt.encrypted {
            signature = await SignatureCheck.run(jwt, keys: keys)
        }
        if text.kind == .none && challenges.isEmpty && input.requiredScopes.isEmpty && input.requiredRoles.isEmpty {
            throw InputError(file: "TOKEN", expected: "a token", found: "an empty string",
                             help: "'' means no credentials: add --www-authenticate VALUE, --scope or --role to analyse a request sent without a token")
        }
        var e = Evaluation(input: input, text: text, jwt: decoded, challenges: challenges, signature: signature)
        e.run()
        return e.report()
    }

    /// Parses the `--www-authenticate` value (a leading `WWW-Authenticate:` is allowed) with `AuthChallenge`.
    static func challenges(_ value: String?) throws -> [AuthChallenge] {
        guard var v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return [] }
        if v.lowercased().hasPrefix("www-authenticate:") { v = String(v.dropFirst("www-authenticate:".count)).trimmingSpaces }
        do {
            return try AuthChallenge.parse(v)
        } catch var error as InputError {
            error.file = "--www-authenticate"
            throw error
        }
    }
}

/// The outcome of checking a JWS signature against `--jwks`.
struct SignatureCheck: Sendable {
    enum Outcome: Sendable {
        case verified(KeySet.Key)
        case invalid(tried: [KeySet.Key])
        case unknownKID(String)
        case noMatchingKey([String])
        case unsupported(String)
        /// The file held no key this tool can use (all skipped).
        case noUsableKeys
        case none
    }
    var outcome: Outcome
    var keys: KeySet

    static func run(_ jwt: DecodedJWT, keys: KeySet) async -> SignatureCheck {
        guard let alg = jwt.algorithm, alg.lowercased() != "none" else { return SignatureCheck(outcome: .none, keys: keys) }
        guard KeySet.supportedAlgorithms.contains(alg) else { return SignatureCheck(outcome: .unsupported(alg), keys: keys) }
        if keys.keys.isEmpty { return SignatureCheck(outcome: .noUsableKeys, keys: keys) }
        var candidates = keys.keys
        // RFC 7515 §4.1.4: with a kid, the key is the one of that id; keys without ids stay candidates
        // only when no key of the set has an id.
        if let kid = jwt.keyID, keys.keys.contains(where: { $0.id != nil }) {
            candidates = keys.keys.filter { $0.id == kid }
            if candidates.isEmpty { return SignatureCheck(outcome: .unknownKID(kid), keys: keys) }
        }
        var reasons: [String] = []
        let usable = candidates.filter { key in
            if let why = KeySet.mismatch(key, alg: alg) { reasons.append(why); return false }
            return true
        }
        if usable.isEmpty { return SignatureCheck(outcome: .noMatchingKey(reasons), keys: keys) }
        for key in usable where await KeySet.verify(key, alg: alg, signingInput: jwt.signingInput, signature: jwt.signature) {
            return SignatureCheck(outcome: .verified(key), keys: keys)
        }
        return SignatureCheck(outcome: .invalid(tried: usable), keys: keys)
    }
}
