import Foundation
import Why403Core

/// One run of the checks of `TokenAnalyzer` over a cleaned token; collects findings and notes.
struct Evaluation {
    let input: TokenAnalyzer.Input
    let text: TokenText
    let jwt: DecodedJWT?
    let challenges: [AuthChallenge]
    let signature: SignatureCheck?

    var findings: [Finding] = []
    var notes: [String] = []
    /// What was checked and passed, for the note of a token that checks out.
    var verified: [String] = []

    init(input: TokenAnalyzer.Input, text: TokenText, jwt: DecodedJWT?, challenges: [AuthChallenge], signature: SignatureCheck?) {
        self.input = input
        self.text = text
        self.jwt = jwt
        self.challenges = challenges
        self.signature = signature
    }

    var now: Double { input.now }
    var claims: [String: JSONValue] { jwt?.claims ?? [:] }

    /// The challenge that carries an RFC 6750 error code, preferring Bearer and DPoP.
    var errorChallenge: AuthChallenge? {
        challenges.first { ($0.isScheme("Bearer") || $0.isScheme("DPoP")) && $0.parameter("error") != nil }
            ?? challenges.first { $0.parameter("error") != nil }
    }

    var challengeEvidence: Evidence? {
        input.wwwAuthenticate.map { Evidence(source: "header WWW-Authenticate", text: $0.trimmingSpaces) }
    }

    /// Scopes the challenge names (RFC 6750 §3: the scope required for access).
    var challengeScopes: [String] {
        let withScope = errorChallenge?.parameter("scope") ?? challenges.first { $0.parameter("scope") != nil }?.parameter("scope")
        return withScope.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    mutating func run() {
        switch text.kind {
        case .none:
            checkNoCredentials()
            return
        case .opaque, .jwe:
            checkUnreadable()
        case .jws:
            checkAlgorithm()
            checkTimes()
            checkAudienceAndIssuer()
            checkSignature()
            checkScopes()
            checkRoles()
            checkTokenType()
        }
        checkChallenge()
    }

    // MARK: no credentials

    mutating func checkNoCredentials() {
        var evidence: [Evidence] = []
        if let c = challengeEvidence { evidence.append(c) }
        for s in input.requiredScopes { evidence.append(Evidence(source: "flag --scope", text: s)) }
        for r in input.requiredRoles { evidence.append(Evidence(source: "flag --role", text: r)) }
        let schemes = challenges.map(\.scheme)
        var summary = "no credentials were sent"
        if !schemes.isEmpty {
            summary += "; the server asks for \(schemes.joined(separator: " or "))"
            if let realm = challenges.first(where: { $0.parameter("realm") != nil })?.parameter("realm") {
                summary += " (realm \(InputError.quote(realm)))"
            }
        } else {
            summary += "; the endpoint requires " + requirementText
        }
        if let err = errorChallenge?.parameter("error") {
            notes.append("the challenge carries error=\(err); RFC 6750 §3.1 says a request without credentials gets no error code")
        }
        let scopes = (input.requiredScopes + challengeScopes).uniqued()
        var fix = "send the token in the Authorization header: `Authorization: Bearer <access token>`"
        if !scopes.isEmpty { fix += ", obtained with scope \(scopes.joined(separator: " "))" }
        findings.append(Finding(cause: .authMissing, layer: .application, confidence: .certain, summary: summary,
                                evidence: evidence, fixes: [Fix(summary: fix)], rule: "token-missing"))
    }

    var requirementText: String {
        var parts: [String] = []
        if !input.requiredScopes.isEmpty { parts.append("scope " + input.requiredScopes.joined(separator: " ")) }
        if !input.requiredRoles.isEmpty { parts.append("role " + input.requiredRoles.joined(separator: " ")) }
        return parts.joined(separator: " and ")
    }

    // MARK: opaque and encrypted tokens

    mutating func checkUnreadable() {
        let what: String
        if text.kind == .jwe {
            let alg = jwt?.algorithm ?? "?"
            let enc = jwt?.header["enc"]?.stringValue ?? "?"
            what = "the token is encrypted (JWE, alg \(alg), enc \(enc)): only the API's private key can read its claims"
        } else if let vendor = OpaqueToken.vendor(of: text.value) {
            what = "the token is opaque (\(vendor.name)): its scopes and expiry are known only to its issuer"
        } else {
            what = "the token is opaque (not a JWT): its scopes and expiry are known only to its issuer"
        }
        notes.append(what)
        let checks = OpaqueToken.checks(for: text.value)
        let wanted = !input.requiredScopes.isEmpty || !input.requiredRoles.isEmpty || input.audience != nil
            || input.issuer != nil || input.keys != nil
        if wanted && errorChallenge == nil {
            findings.append(Finding(cause: .unknown, layer: .application, confidence: .possible,
                                    summary: "cannot check \(wanted ? requirementOrChecks : "the token") locally: \(what)",
                                    evidence: [Evidence(source: "token", text: text.kind == .jwe ? "5 segments (JWE)" : "not a JWT (\(text.value.count) characters)")],
                                    rule: "token-unreadable", checks: checks))
        } else {
            notes.append("to read it, ask its issuer: " + checks.joined(separator: "; "))
        }
    }

    var requirementOrChecks: String {
        let r = requirementText
        if !r.isEmpty { return r }
        return "audience, issuer or signature"
    }

    // MARK: algorithm

    mutating func checkAlgorithm() {
        guard let jwt else { return }
        let alg = jwt.algorithm ?? ""
        if alg.lowercased() == "none" {
            findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                    summary: "the token is unsigned (alg none): APIs refuse unsecured JWTs (RFC 8725 §3.1)",
                                    evidence: [Evidence(source: "header alg", text: alg)],
                                    fixes: [TokenFixes.newToken("get a signed access token from the authorization server; never accept or send alg none")],
                                    rule: "token-alg-none"))
        } else if jwt.header["alg"]?.stringValue == nil {
            findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                    summary: "the header's alg is a \(jwt.header["alg"]?.kindName ?? "null"), not an algorithm name",
                                    evidence: [Evidence(source: "header alg", text: jwt.header["alg"]?.display ?? "")],
                                    fixes: [TokenFixes.newToken("get a well-formed token from the authorization server")], rule: "token-alg-invalid"))
        }
        if let crit = jwt.header["crit"] {
            notes.append("the header lists critical extensions (crit \(crit.display)): a server that does not know them must refuse the token (RFC 7515 §4.1.11)")
        }
    }

    // MARK: times

    /// Within this many seconds of a boundary, clocks that differ a little disagree.
    static let boundaryWindow: Double = 60

    mutating func checkTimes() {
        let leeway = input.leeway
        let leewayText = leeway > 0 ? " with a leeway of \(HumanTime.seconds(leeway)) s" : ""
        for name in ["exp", "nbf", "iat"] where claims[name] != nil && claims[name]?.numberValue == nil {
            findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .likely,
                                    summary: "claim \(name) is a \(claims[name]!.kindName), not a NumericDate (seconds since 1970, RFC 7519 §2)",
                                    evidence: [Evidence(source: "claim \(name)", text: claims[name]!.display)],
                                    fixes: [TokenFixes.newToken("fix the issuer: \(name) must be a number of seconds")],
                                    rule: "token-time-type"))
        }
        if let exp = claims["exp"]?.numberValue {
            let near = abs(now - exp) <= Evaluation.boundaryWindow
            if now >= exp + leeway {
                let ev = Evidence(source: "claim exp", text: "\(HumanTime.stamp(exp)) (expired \(HumanTime.span(now - exp)) ago)")
                var f = Finding(cause: .authInvalid, layer: .application, confidence: near ? .likely : .certain,
                                summary: now == exp ? "the token expires at exactly this second: exp is now, and a token is expired on or after exp (RFC 7519 §4.1.4)"
                                                    : "the token expired \(HumanTime.span(now - exp)) ago (exp \(HumanTime.utc(exp)))\(leewayText)",
                                evidence: [ev, nowEvidence], fixes: [TokenFixes.refresh], rule: "token-expired")
                f.details = ["exp": .double(exp), "now": .double(now), "leeway": .double(leeway)]
                findings.append(f)
            } else {
                verified.append("not expired (exp \(HumanTime.utc(exp)), \(HumanTime.relative(exp, now: now)))")
            }
            if near { notes.append("the token is within 60 s of its expiry (exp \(HumanTime.utc(exp))): clocks that differ by a few seconds disagree about it; compare both clocks (`timedatectl`) or allow skew with --leeway") }
        } else if claims["exp"] == nil {
            notes.append("the token has no exp claim: it never expires, which many APIs refuse")
        }
        if let nbf = claims["nbf"]?.numberValue {
            let near = abs(nbf - now) <= Evaluation.boundaryWindow
            if now < nbf - leeway {
                findings.append(Finding(cause: .authInvalid, layer: .application, confidence: near ? .likely : .certain,
                                        summary: "the token is not valid yet: nbf is \(HumanTime.relative(nbf, now: now)) (\(HumanTime.utc(nbf)))\(leewayText)",
                                        evidence: [Evidence(source: "claim nbf", text: "\(HumanTime.stamp(nbf)) (\(HumanTime.relative(nbf, now: now)))"), nowEvidence],
                                        fixes: [TokenFixes.clock], rule: "token-not-yet-valid"))
            } else {
                verified.append("valid since nbf \(HumanTime.utc(nbf))")
            }
            if near { notes.append("the token is within 60 s of its nbf (\(HumanTime.utc(nbf))): a server whose clock is slightly behind refuses it; allow skew with --leeway") }
        }
        if let iat = claims["iat"]?.numberValue {
            let near = abs(iat - now) <= Evaluation.boundaryWindow
            if iat > now + leeway {
                findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .likely,
                                        summary: "the token was issued in the future: iat is \(HumanTime.relative(iat, now: now)) (\(HumanTime.utc(iat))); many libraries refuse it (clock skew between issuer and API)",
                                        evidence: [Evidence(source: "claim iat", text: "\(HumanTime.stamp(iat)) (\(HumanTime.relative(iat, now: now)))"), nowEvidence],
                                        fixes: [TokenFixes.clock], rule: "token-issued-in-future"))
            } else if near && claims["nbf"] == nil {
                notes.append("the token was issued less than 60 s from now (iat \(HumanTime.utc(iat))): a server whose clock is behind the issuer's may refuse it")
            }
        }
    }

    var nowEvidence: Evidence {
        Evidence(source: "clock", text: "\(HumanTime.stamp(now))\(input.leeway > 0 ? ", leeway \(HumanTime.seconds(input.leeway)) s" : "")")
    }

    // MARK: audience and issuer

    mutating func checkAudienceAndIssuer() {
        if let want = input.audience {
            let aud = claims["aud"]?.stringList
            if let aud, aud.contains(want) {
                verified.append("aud contains \(want)")
            } else {
                let has = aud.map { $0.isEmpty ? "an empty aud" : "aud " + $0.joined(separator: ", ") } ?? "no aud claim"
                var f = Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                summary: "the token is not for this API: it expects audience \(want); the token has \(has)",
                                evidence: [Evidence(source: "claim aud", text: claims["aud"]?.display ?? "(absent)"),
                                           Evidence(source: "flag --audience", text: want)],
                                fixes: [TokenFixes.audience(want)], rule: "token-audience")
                if let azp = claims["azp"]?.stringValue, aud?.contains(azp) == true {
                    f.summary += " (aud is the client id \(azp): this looks like an ID token, not an access token)"
                }
                findings.append(f)
            }
        }
        if let want = input.issuer {
            let iss = claims["iss"]?.stringValue
            if iss == want {
                verified.append("iss is \(want)")
            } else {
                var summary = "the token comes from another issuer: the API trusts \(want); the token's iss is \(iss ?? "absent")"
                if let iss, iss.trimmingSuffix("/") == want.trimmingSuffix("/") {
                    summary += " (they differ only by a trailing slash, and issuers are compared exactly, RFC 7519 §4.1.1)"
                }
                findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain, summary: summary,
                                        evidence: [Evidence(source: "claim iss", text: iss ?? "(absent)"),
                                                   Evidence(source: "flag --issuer", text: want)],
                                        fixes: [TokenFixes.newToken("get the token from \(want), or make the API trust \(iss ?? "the token's issuer") if it should")],
                                        rule: "token-issuer"))
            }
        }
    }

    // MARK: signature

    mutating func checkSignature() {
        guard let jwt, (jwt.algorithm ?? "").lowercased() != "none" else { return }
        guard let signature else {
            notes.append("the signature was not checked (give the API's keys with --jwks to check it)")
            return
        }
        let alg = jwt.algorithm ?? "?"
        let file = signature.keys.source
        var skippedNote: String? {
            signature.keys.skipped.isEmpty ? nil : "keys of \(file) that could not be used: " + signature.keys.skipped.joined(separator: "; ")
        }
        if let s = skippedNote { notes.append(s) }
        switch signature.outcome {
        case .verified(let key):
            verified.append("signature verified (\(alg)) with \(key.label) of \(file)")
            if let n = key.secretLength, let bits = Int(alg.suffix(3)), n * 8 < bits {
                notes.append("the HMAC secret is \(n) bytes, shorter than the \(bits / 8) that RFC 7518 §3.2 requires for \(alg): some libraries refuse it")
            }
        case .none:
            break
        case .noUsableKeys:
            notes.append("the signature was not checked: \(file) has no key this tool can use")
        case .unsupported(let a):
            notes.append("the signature was not checked: algorithm \(a) is not one of \(KeySet.supportedAlgorithms.sorted().joined(separator: ", "))")
        case .unknownKID(let kid):
            let ids = signature.keys.keys.compactMap(\.id)
            findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                    summary: "the token's key id \(kid) is not in \(file) (it has \(ids.isEmpty ? "no key ids" : ids.joined(separator: ", "))): the issuer rotated its keys, or the token comes from another issuer or environment",
                                    evidence: [Evidence(source: "header kid", text: kid), Evidence(source: file, text: "kid " + ids.joined(separator: ", "))],
                                    fixes: [Fix(summary: "refresh the API's copy of the issuer's JWKS (from its jwks_uri) if it caches one; otherwise get a token from the issuer the API trusts",
                                                commands: claims["iss"]?.stringValue.map { ["curl -s \($0.trimmingSuffix("/"))/.well-known/openid-configuration"] } ?? [])],
                                    rule: "token-kid-unknown"))
        case .noMatchingKey(let reasons):
            findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                    summary: "no key of \(file) can check a \(alg) signature: \(reasons.joined(separator: "; "))",
                                    evidence: [Evidence(source: "header alg", text: alg)] + (jwt.keyID.map { [Evidence(source: "header kid", text: $0)] } ?? []),
                                    fixes: [TokenFixes.newToken("use a token signed with the algorithm the API's key is for, or configure the API with the issuer's current key")],
                                    rule: "token-alg-key-mismatch"))
        case .invalid(let tried):
            findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                    summary: "the signature (\(alg)) does not verify with \(tried.map(\.label).joined(separator: ", ")) of \(file): the token was altered, or signed by another key (another issuer or environment)",
                                    evidence: [Evidence(source: "header alg", text: alg)] + (jwt.keyID.map { [Evidence(source: "header kid", text: $0)] } ?? [])
                                        + [Evidence(source: file, text: "\(signature.keys.form.rawValue), \(signature.keys.keys.count) key\(signature.keys.keys.count == 1 ? "" : "s")")],
                                    fixes: [TokenFixes.newToken("get a token from the issuer whose keys the API uses (check iss and the environment: staging tokens do not verify in production)")],
                                    rule: "token-signature"))
        }
    }

    // MARK: scopes

    mutating func checkScopes() {
        let fromChallenge = errorChallenge?.parameter("error") == "insufficient_scope" ? challengeScopes : []
        let required = (input.requiredScopes + fromChallenge).uniqued()
        guard !required.isEmpty else { return }
        let read = ClaimReader.scopes(in: claims)
        let granted = read.flatMap(\.values).uniqued()
        let missing = required.filter { !granted.contains($0) }
        let claimNames = read.map { "`\($0.claim)`" }.joined(separator: ", ")
        if missing.isEmpty {
            verified.append("scope \(required.joined(separator: " ")) present (claim \(claimNames))")
            return
        }
        var evidence: [Evidence] = read.map { Evidence(source: "claim \($0.claim)", text: $0.values.joined(separator: " ")) }
        if read.isEmpty { evidence.append(Evidence(source: "claims", text: "no scope or scp claim")) }
        for s in input.requiredScopes { evidence.append(Evidence(source: "flag --scope", text: s)) }
        if !fromChallenge.isEmpty, let c = challengeEvidence { evidence.append(c) }
        let need = "needs scope\(missing.count == 1 ? "" : "s") \(missing.joined(separator: " "))"
        let summary = read.isEmpty
            ? "\(need); the token has no scope claim (`scope` or `scp`)"
            : "\(need); token has \(granted.isEmpty ? "no scopes" : granted.joined(separator: " ")) (claim \(claimNames))"
        var f = Finding(cause: .authScope, layer: .application, confidence: read.isEmpty ? .likely : .certain, summary: summary,
                        evidence: evidence, fixes: [TokenFixes.requestScope(missing, granted: granted), TokenFixes.noRetry],
                        rule: "token-scope")
        f.details = ["required": .array(required.map(JSONValue.string)), "missing": .array(missing.map(JSONValue.string)),
                     "granted": .array(granted.map(JSONValue.string)), "claims": .array(read.map { .string($0.claim) })]
        let near = missing.compactMap { m in granted.first { $0.lowercased() == m.lowercased() }.map { "\($0) (case differs from \(m); scopes are case-sensitive)" } }
        if !near.isEmpty { notes.append("close but not equal: " + near.joined(separator: ", ")) }
        findings.append(f)
    }

    // MARK: roles

    mutating func checkRoles() {
        guard !input.requiredRoles.isEmpty else { return }
        let read = ClaimReader.roles(in: claims)
        let all = read.flatMap(\.values)
        let missing = input.requiredRoles.filter { !all.contains($0) }
        let claimNames = read.map { "`\($0.claim)`" }.joined(separator: ", ")
        if missing.isEmpty {
            let where_ = input.requiredRoles.map { r in "\(r) (\(read.filter { $0.values.contains(r) }.map(\.claim).joined(separator: ", ")))" }
            verified.append("role " + where_.joined(separator: ", ") + " present")
            return
        }
        var evidence = read.map { Evidence(source: "claim \($0.claim)", text: $0.values.joined(separator: " ")) }
        if read.isEmpty {
            evidence.append(Evidence(source: "claims", text: "no role claim (roles, role, groups, permissions, realm_access, resource_access, cognito:groups, …/roles)"))
        }
        for r in input.requiredRoles { evidence.append(Evidence(source: "flag --role", text: r)) }
        let need = "needs role\(missing.count == 1 ? "" : "s") \(missing.joined(separator: " "))"
        let summary = read.isEmpty
            ? "\(need); the token carries no role claim"
            : "\(need); token has \(all.isEmpty ? "no roles" : all.uniqued().joined(separator: " ")) (claim\(read.count == 1 ? "" : "s") \(claimNames))"
        var f = Finding(cause: .authRole, layer: .application, confidence: read.isEmpty ? .likely : .certain, summary: summary,
                        evidence: evidence, fixes: TokenFixes.assignRole(missing, claims: claims, read: read) + [TokenFixes.noRetry],
                        rule: "token-role")
        f.details = ["required": .array(input.requiredRoles.map(JSONValue.string)), "missing": .array(missing.map(JSONValue.string)),
                     "claims": .object(Dictionary(read.map { ($0.claim, JSONValue.array($0.values.map(JSONValue.string))) }, uniquingKeysWith: { a, _ in a }))]
        var hints: [String] = []
        for m in missing {
            if let c = all.first(where: { $0.lowercased() == m.lowercased() }) { hints.append("\(c) (case differs from \(m))") }
            if all.contains("ROLE_" + m) { hints.append("ROLE_\(m) (a ROLE_ prefix: Spring adds or expects it)") }
            if m.hasPrefix("ROLE_"), all.contains(String(m.dropFirst(5))) { hints.append("\(m.dropFirst(5)) (without the ROLE_ prefix)") }
        }
        if !hints.isEmpty { notes.append("close but not equal: " + hints.joined(separator: ", ")) }
        findings.append(f)
    }

    // MARK: token type

    mutating func checkTokenType() {
        guard let jwt else { return }
        let typ = jwt.header["typ"]?.stringValue?.lowercased()
        if claims["nonce"] != nil || claims["at_hash"] != nil || typ == "id_token" {
            notes.append("this looks like an OpenID Connect ID token (claim \(claims["nonce"] != nil ? "nonce" : "at_hash")): APIs expect the access token, not the ID token")
        }
    }

    // MARK: the server's challenge

    mutating func checkChallenge() {
        guard !challenges.isEmpty, let evidence = challengeEvidence else { return }
        let bearerLike = challenges.contains { $0.isScheme("Bearer") || $0.isScheme("DPoP") }
        let sentScheme = text.scheme ?? "Bearer"
        if !bearerLike {
            notes.append("the server asks for \(challenges.map(\.scheme).joined(separator: ", ")), not Bearer: a bearer token is not what it takes here")
        } else if let scheme = text.scheme, !challenges.contains(where: { $0.isScheme(scheme) }) {
            notes.append("the token was sent with the scheme \(scheme); the server asks for \(challenges.map(\.scheme).joined(separator: " or "))")
        }
        guard let challenge = errorChallenge, let error = challenge.parameter("error") else {
            // RFC 6750 §3.1: no error code means the request had no authentication information.
            guard bearerLike else { return }
            findings.append(Finding(cause: .authMissing, layer: .application, confidence: .likely,
                                    summary: "the server answered as if no token had been sent: its challenge has no error code, which RFC 6750 §3.1 reserves for requests without credentials; the Authorization header may be dropped on the way",
                                    evidence: [evidence],
                                    fixes: [TokenFixes.passAuthorization(sentScheme)], rule: "token-not-received",
                                    checks: ["send the request with `curl -v` and check that the Authorization header (\(sentScheme)) is among the lines it prints with `>`",
                                             "check every proxy between client and API for a rule that drops or rewrites Authorization",
                                             "a redirect to another host drops Authorization (curl, browsers, most clients): request the final URL directly"]))
            return
        }
        let description = challenge.parameter("error_description")
        let said = "error=\(error)" + (description.map { ", \(InputError.quote($0, limit: 120))" } ?? "")
        switch error {
        case "invalid_token":
            // A local finding explains it better; the challenge then backs it up.
            if let i = findings.firstIndex(where: { $0.cause == .authInvalid }) {
                // The server's word confirms a 401, not which reason: the confidence stays as found.
                findings[i].evidence.append(evidence)
            } else {
                var checks = ["check the token's aud and iss against what the API expects (--audience, --issuer)"]
                if signature == nil && text.kind == .jws { checks.append("check the signature against the API's keys (--jwks FILE)") }
                checks.append("check the API's and the issuer's clocks (`timedatectl`)")
                findings.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                        summary: "the server refused the token: \(said)", evidence: [evidence],
                                        fixes: [TokenFixes.refresh], rule: "challenge-invalid-token",
                                        checks: text.kind == .jws ? checks : nil))
            }
        case "insufficient_scope":
            if let i = findings.firstIndex(where: { $0.cause == .authScope }) {
                if !findings[i].evidence.contains(evidence) { findings[i].evidence.append(evidence) }
            } else {
                let granted = ClaimReader.scopes(in: claims).flatMap(\.values).uniqued()
                var summary = "the server says the token lacks a scope (\(said))"
                if challengeScopes.isEmpty {
                    summary += "; it does not name the scope"
                } else if text.kind == .jws {
                    summary += "; the token's claims list \(challengeScopes.joined(separator: " ")) all the same: the API may read scopes elsewhere (another claim, an introspection result) or need a role"
                }
                if text.kind == .jws { summary += "; token has \(granted.isEmpty ? "no scopes" : granted.joined(separator: " "))" }
                findings.append(Finding(cause: .authScope, layer: .application,
                                        confidence: challengeScopes.isEmpty || text.kind != .jws ? .certain : .likely,
                                        summary: summary, evidence: [evidence],
                                        fixes: [TokenFixes.requestScope(challengeScopes, granted: granted), TokenFixes.noRetry],
                                        rule: "challenge-insufficient-scope"))
            }
        case "invalid_request":
            notes.append("the server says the request is malformed (\(said)): RFC 6750 answers that with 400, not 401 or 403")
        default:
            notes.append("the challenge carries an error code this tool does not know: \(said)")
        }
    }

    // MARK: report

    func report() -> Report {
        var fs = findings
        // 401 causes first (authentication comes before authorization), then 403; `possible` last.
        func rank(_ f: Finding) -> (Int, Int, Int) {
            let group: Int
            switch f.cause {
            case .authMissing, .authInvalid: group = 0
            case .authScope, .authRole: group = 1
            default: group = 2
            }
            let conf = f.confidence == .certain ? 0 : f.confidence == .likely ? 1 : 2
            return (f.confidence == .possible ? 1 : 0, group, conf)
        }
        fs = fs.enumerated().sorted { a, b in
            let ra = rank(a.element), rb = rank(b.element)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        var status: Int?
        switch fs.first?.cause {
        case .authMissing?, .authInvalid?: status = 401
        case .authScope?, .authRole?: status = 403
        default: status = nil
        }
        var allNotes = summaryNotes()
        if fs.isEmpty && text.kind == .jws {
            var ok = "nothing in the token denies the request"
            if !verified.isEmpty { ok += ": " + verified.joined(separator: "; ") }
            if signature == nil { ok += " (signature not checked: no --jwks)" }
            allNotes.insert(ok, at: 0)
        } else if !verified.isEmpty {
            allNotes.append("also checked: " + verified.joined(separator: "; "))
        }
        allNotes += notes
        let verdict: Verdict
        if let primary = fs.first {
            verdict = Verdict(status: status, layer: primary.layer, cause: primary.cause)
        } else {
            verdict = .notDenied
        }
        return Report(subject: Subject(kind: .token, extra: ["token": subjectSummary()]), verdict: verdict,
                      findings: fs, notes: allNotes)
    }

    /// Header and main claims in one line each, for the text report (times made human).
    func summaryNotes() -> [String] {
        guard let jwt else {
            return text.kind == .none ? [] : ["token: \(text.kind == .opaque ? "opaque" : "JWE"), \(text.value.count) characters" + (text.scheme.map { ", scheme \($0)" } ?? "")]
        }
        var h: [String] = []
        for k in ["alg", "enc", "typ", "kid"] { if let v = jwt.header[k] { h.append("\(k) \(v.display)") } }
        var out = ["header: " + h.joined(separator: ", ")]
        guard !jwt.encrypted else { return out }
        var c: [String] = []
        let shown = ClaimReader.displayable(claims)
        for k in ["iss", "sub", "aud", "azp", "client_id", "exp", "nbf", "iat", "scope", "scp"] {
            guard let v = shown[k] else { continue }
            if ["exp", "nbf", "iat"].contains(k), let t = v.numberValue {
                let rel = HumanTime.relative(t, now: now)
                let phrase = k == "exp" ? (t <= now ? "expired \(HumanTime.span(now - t)) ago" : "expires \(rel)")
                    : k == "iat" ? "issued \(rel)" : "valid from \(rel)"
                c.append("\(k) \(HumanTime.utc(t)) (\(phrase))")
            } else {
                c.append("\(k) \(v.display)")
            }
        }
        let rest = claims.count - c.count
        out.append("claims: " + (c.isEmpty ? "none of iss, sub, aud, exp" : c.joined(separator: "; ")) + (rest > 0 ? " (+\(rest) more in --format json)" : ""))
        return out
    }

    /// The subject's `token` field: format, scheme, header, claims (secret-named ones hidden), times.
    func subjectSummary() -> JSONValue {
        var o: [String: JSONValue] = ["format": .string(text.kind.rawValue)]
        if let s = text.scheme { o["scheme"] = .string(s) }
        if text.kind != .none { o["length"] = .int(text.value.count) }
        if let jwt {
            o["header"] = .object(jwt.header)
            if !jwt.encrypted {
                o["claims"] = .object(ClaimReader.displayable(jwt.claims))
                var times: [String: JSONValue] = [:]
                for k in ["exp", "nbf", "iat"] {
                    if let t = claims[k]?.numberValue {
                        times[k] = ["utc": .string(HumanTime.utc(t)), "relative": .string(HumanTime.relative(t, now: now))]
                    }
                }
                if !times.isEmpty { o["times"] = .object(times) }
                let sig: String
                switch signature?.outcome {
                case nil: sig = (jwt.algorithm ?? "").lowercased() == "none" ? "none" : "not checked"
                case .verified?: sig = "verified"
                case .invalid?: sig = "invalid"
                case .unknownKID?: sig = "unknown kid"
                case .noMatchingKey?: sig = "no matching key"
                case .unsupported?: sig = "unsupported algorithm"
                case .noUsableKeys?: sig = "not checked"
                case .none?: sig = "none"
                }
                o["signature"] = .string(sig)
            }
        } else if text.kind == .opaque, let v = OpaqueToken.vendor(of: text.value) {
            o["issuer_guess"] = .string(v.name)
        }
        o["now"] = .string(HumanTime.utc(now))
        return .object(o)
    }
}

extension Array where Element: Hashable {
    /// The elements in order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) && !suffix.isEmpty { s.removeLast(suffix.count) }
        return s
    }
}
