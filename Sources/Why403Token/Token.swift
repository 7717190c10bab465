import Foundation
import Why403Core

/// The token layer of why403. Entry points: `TokenAnalyzer` (`why403 token`) and
/// `TokenModule.correlate` (`why403 probe --bearer`).
public enum TokenModule {}

/// What a response said about authorization, for correlation with the token that was sent
/// (used by `why403 probe --bearer`).
public struct AuthResponseFacts: Sendable, Equatable {
    /// The response's status code.
    public var status: Int
    /// Raw `WWW-Authenticate` header values.
    public var wwwAuthenticate: [String]
    /// `x-accepted-oauth-scopes` (GitHub style), comma-separated as sent.
    public var acceptedScopes: String?
    /// `x-oauth-scopes`: what the token was granted, as the server sees it.
    public var grantedScopes: String?
    /// The response body (JSON error bodies: insufficient_scope, PERMISSION_DENIED, ...), capped.
    public var body: String?

    /// The facts of one response; everything but the status is optional.
    public init(status: Int, wwwAuthenticate: [String] = [], acceptedScopes: String? = nil,
                grantedScopes: String? = nil, body: String? = nil) {
        self.status = status
        self.wwwAuthenticate = wwwAuthenticate
        self.acceptedScopes = acceptedScopes
        self.grantedScopes = grantedScopes
        self.body = body
    }
}

extension TokenModule {
    /// Findings that tie the token sent (raw JWT or opaque) to what the response says, primary first.
    /// Empty when nothing can be said. Never includes the token itself.
    ///
    /// Reads `WWW-Authenticate` (RFC 6750 §3.1 error codes and `scope`), GitHub's
    /// `x-accepted-oauth-scopes` against `x-oauth-scopes` (with GitHub's scope hierarchy), and JSON error
    /// bodies (`{"error": "insufficient_scope"}`, Google's `PERMISSION_DENIED` /
    /// `ACCESS_TOKEN_SCOPE_INSUFFICIENT` / `insufficientPermissions`). A JWT's own claims (`scope`,
    /// `scp`, `exp`) fill in what the headers do not say. `certain` when the server names the missing
    /// scope or the error code; `likely` for vaguer bodies; `possible` when the scope is present and
    /// the refusal must come from elsewhere.
    public static func correlate(token: String, with facts: AuthResponseFacts, now: Double) -> [Finding] {
        Correlation(token: token, facts: facts, now: now).findings()
    }
}

/// The work of `TokenModule.correlate`.
struct Correlation {
    let facts: AuthResponseFacts
    let now: Double
    let text: TokenText?
    let jwt: DecodedJWT?
    let challenges: [(value: String, challenge: AuthChallenge)]

    init(token: String, facts: AuthResponseFacts, now: Double) {
        self.facts = facts
        self.now = now
        let t = try? TokenText(token)
        text = t
        jwt = t.flatMap { $0.kind == .jws ? try? DecodedJWT($0) : nil }
        var cs: [(String, AuthChallenge)] = []
        for v in facts.wwwAuthenticate {
            for c in (try? AuthChallenge.parse(v)) ?? [] { cs.append((v, c)) }
        }
        challenges = cs
    }

    var tokenScopes: [ClaimValues] { jwt.map { ClaimReader.scopes(in: $0.claims) } ?? [] }

    /// "granted: read:org" from x-oauth-scopes, else from the token's claims.
    var granted: (values: [String], source: String, evidence: Evidence?)? {
        if let g = facts.grantedScopes {
            let values = Correlation.commaList(g)
            return (values, "", Evidence(source: "header x-oauth-scopes", text: g))
        }
        let read = tokenScopes
        guard !read.isEmpty else { return nil }
        return (read.flatMap(\.values).uniqued(), " (claim \(read.map(\.claim).joined(separator: ", ")))",
                Evidence(source: "claim \(read[0].claim)", text: read.flatMap(\.values).joined(separator: " ")))
    }

    static func commaList(_ s: String) -> [String] {
        s.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    func scopeSummary(missing: [String], accepted: [String]?) -> String {
        var s = "the token lacks scope \(missing.joined(separator: " "))"
        var parts: [String] = []
        if let accepted { parts.append("accepted: " + accepted.joined(separator: ", ")) }
        if let g = granted { parts.append("granted: " + (g.values.isEmpty ? "none" : g.values.joined(separator: ", ")) + g.source) }
        if !parts.isEmpty { s += " (" + parts.joined(separator: "; ") + ")" }
        return s
    }

    func findings() -> [Finding] {
        var out: [Finding] = []
        let denied = facts.status == 401 || facts.status == 403 || facts.status == 404
        guard denied else { return [] }

        // GitHub: any one of the accepted scopes suffices.
        if let acceptedRaw = facts.acceptedScopes {
            let accepted = Correlation.commaList(acceptedRaw)
            let have = granted?.values ?? []
            if !accepted.isEmpty && facts.grantedScopes != nil {
                var ev = [Evidence(source: "header x-accepted-oauth-scopes", text: acceptedRaw)]
                if let g = granted?.evidence { ev.append(g) }
                if !accepted.contains(where: { a in have.contains { GitHubScopes.satisfies(granted: $0, needed: a) } }) {
                    out.append(Finding(cause: .authScope, layer: .application, confidence: facts.status == 401 ? .likely : .certain,
                                       summary: scopeSummary(missing: accepted.count == 1 ? accepted : [accepted.joined(separator: " or ")], accepted: accepted),
                                       evidence: ev, fixes: [TokenFixes.requestScope(accepted.count == 1 ? accepted : [accepted[0]], granted: have), TokenFixes.noRetry],
                                       rule: "github-accepted-scopes",
                                       details: ["accepted": .array(accepted.map(JSONValue.string)), "granted": .array(have.map(JSONValue.string))]))
                } else if facts.status != 401 {
                    out.append(Finding(cause: .authRole, layer: .application, confidence: .possible,
                                       summary: "the token has an accepted scope (accepted: \(accepted.joined(separator: ", ")); granted: \(have.joined(separator: ", "))): the refusal comes from the account's own rights (repository or organisation permission, SSO authorization, a fine-grained token's repository list)",
                                       evidence: ev, rule: "github-scope-present",
                                       checks: ["check that the account behind the token can open the resource in the web interface",
                                                "for an organisation with SAML SSO, authorize the token for it (Settings > Tokens > Configure SSO)"]))
                }
            }
        }

        // WWW-Authenticate (RFC 6750 §3.1).
        for (value, c) in challenges {
            guard let error = c.parameter("error") else { continue }
            let ev = Evidence(source: "header WWW-Authenticate", text: value)
            let desc = c.parameter("error_description").map { ": \(InputError.quote($0, limit: 120))" } ?? ""
            switch error {
            case "insufficient_scope":
                let needed = c.parameter("scope").map { $0.split(separator: " ").map(String.init) } ?? []
                let have = granted?.values ?? []
                let missing = needed.filter { !have.contains($0) }
                var f = Finding(cause: .authScope, layer: .application, confidence: .certain,
                                summary: needed.isEmpty ? "the server says the token lacks a scope (insufficient_scope\(desc))"
                                    : scopeSummary(missing: missing.isEmpty ? needed : missing, accepted: needed),
                                evidence: [ev] + (granted?.evidence.map { [$0] } ?? []),
                                fixes: [TokenFixes.requestScope(missing.isEmpty ? needed : missing, granted: have), TokenFixes.noRetry],
                                rule: "challenge-insufficient-scope")
                if !needed.isEmpty && missing.isEmpty && granted != nil {
                    f.summary = "the server says insufficient_scope for \(needed.joined(separator: " ")), which the token's claims list: the API reads scopes elsewhere or needs a role"
                    f.confidence = .likely
                }
                out.append(f)
            case "invalid_token":
                out.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                   summary: "the server refused the token (invalid_token\(desc))" + expiryClause,
                                   evidence: [ev] + expiryEvidence, fixes: [TokenFixes.refresh], rule: "challenge-invalid-token"))
            default:
                continue
            }
        }

        // JSON error bodies.
        out += bodyFindings()

        // An expired JWT explains a 401 on its own.
        if facts.status == 401, !out.contains(where: { $0.cause == .authInvalid }), let exp = jwt?.claims["exp"]?.numberValue, now >= exp {
            out.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                               summary: "the token expired \(HumanTime.span(now - exp)) ago (exp \(HumanTime.utc(exp)))",
                               evidence: expiryEvidence, fixes: [TokenFixes.refresh], rule: "token-expired"))
        }

        // RFC 6750 §3.1: a Bearer challenge without an error code answers a request without credentials.
        if facts.status == 401, out.isEmpty, text?.kind != TokenText.Kind.none,
           let (value, _) = challenges.first(where: { ($0.challenge.isScheme("Bearer") || $0.challenge.isScheme("DPoP")) && $0.challenge.parameter("error") == nil }) {
            out.append(Finding(cause: .authMissing, layer: .application, confidence: .likely,
                               summary: "the server answered as if no token had been sent (a Bearer challenge without an error code, RFC 6750 §3.1): the Authorization header may be dropped on the way",
                               evidence: [Evidence(source: "header WWW-Authenticate", text: value)],
                               fixes: [TokenFixes.passAuthorization(text?.scheme ?? "Bearer")], rule: "token-not-received"))
        }

        // One finding per cause, the most precise first; evidence merged.
        var merged: [Finding] = []
        for f in out {
            if let i = merged.firstIndex(where: { $0.cause == f.cause }) {
                for e in f.evidence where !merged[i].evidence.contains(e) { merged[i].evidence.append(e) }
                if f.confidence < merged[i].confidence { merged[i].confidence = f.confidence }
            } else {
                merged.append(f)
            }
        }
        let preferred: Set<Cause> = facts.status == 401 ? [.authInvalid, .authMissing] : [.authScope, .authRole]
        return merged.enumerated().sorted { a, b in
            let pa = preferred.contains(a.element.cause) ? 0 : 1, pb = preferred.contains(b.element.cause) ? 0 : 1
            if pa != pb { return pa < pb }
            if a.element.confidence != b.element.confidence { return a.element.confidence < b.element.confidence }
            return a.offset < b.offset
        }.map(\.element)
    }

    var expiryEvidence: [Evidence] {
        guard let exp = jwt?.claims["exp"]?.numberValue else { return [] }
        return [Evidence(source: "claim exp", text: "\(HumanTime.stamp(exp)) (\(now >= exp ? "expired \(HumanTime.span(now - exp)) ago" : "expires \(HumanTime.relative(exp, now: now))"))")]
    }

    var expiryClause: String {
        guard let exp = jwt?.claims["exp"]?.numberValue, now >= exp else { return "" }
        return "; the token expired \(HumanTime.span(now - exp)) ago"
    }

    /// OAuth (`{"error": "insufficient_scope"}`) and Google (`{"error": {"status": "PERMISSION_DENIED", ...}}`) bodies.
    func bodyFindings() -> [Finding] {
        guard let body = facts.body, body.contains("{"),
              let start = body.firstIndex(of: "{"),
              case .object(let o)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body[start...].utf8)) else { return [] }
        var out: [Finding] = []
        let have = granted?.values ?? []
        func ev(_ text: String) -> Evidence { Evidence(source: "body", text: text) }
        // RFC 6749 §5.2 / RFC 6750 style.
        if let error = o["error"]?.stringValue {
            let desc = (o["error_description"]?.stringValue).map { ": \(InputError.quote($0, limit: 120))" } ?? ""
            if error == "insufficient_scope" {
                let needed = (o["scope"]?.stringValue ?? o["required_scope"]?.stringValue).map { $0.split(separator: " ").map(String.init) } ?? []
                let missing = needed.filter { !have.contains($0) }
                out.append(Finding(cause: .authScope, layer: .application, confidence: .certain,
                                   summary: needed.isEmpty ? "the server says the token lacks a scope (insufficient_scope\(desc))"
                                       : scopeSummary(missing: missing.isEmpty ? needed : missing, accepted: needed),
                                   evidence: [ev(#""error": "insufficient_scope""# + desc)] + (granted?.evidence.map { [$0] } ?? []),
                                   fixes: [TokenFixes.requestScope(missing, granted: have), TokenFixes.noRetry], rule: "body-insufficient-scope"))
            } else if error == "invalid_token" {
                out.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                   summary: "the server refused the token (invalid_token\(desc))" + expiryClause,
                                   evidence: [ev(#""error": "invalid_token""# + desc)] + expiryEvidence, fixes: [TokenFixes.refresh],
                                   rule: "body-invalid-token"))
            }
        }
        // Google APIs (AIP-193): {"error": {"code": 403, "status": "PERMISSION_DENIED", "details": [{"reason": ...}]}}.
        if case .object(let e)? = o["error"] {
            let status = e["status"]?.stringValue
            let message = e["message"]?.stringValue ?? ""
            var reasons: [String] = []
            if case .array(let details)? = e["details"] {
                for case .object(let d) in details { if let r = d["reason"]?.stringValue { reasons.append(r) } }
            }
            if case .array(let errors)? = e["errors"] {
                for case .object(let d) in errors { if let r = d["reason"]?.stringValue { reasons.append(r) } }
            }
            let quoted = [status.map { #""status": "\#($0)""# }, message.isEmpty ? nil : #""message": \#(InputError.quote(message, limit: 160))"#,
                          reasons.isEmpty ? nil : #""reason": "\#(reasons.joined(separator: ", "))""#].compactMap { $0 }.joined(separator: ", ")
            if reasons.contains("ACCESS_TOKEN_SCOPE_INSUFFICIENT") || message.lowercased().contains("insufficient authentication scopes") {
                out.append(Finding(cause: .authScope, layer: .application, confidence: .certain,
                                   summary: "the token lacks an OAuth scope this Google API needs (ACCESS_TOKEN_SCOPE_INSUFFICIENT)" + (have.isEmpty ? "" : "; granted: \(have.joined(separator: " "))"),
                                   evidence: [ev(quoted)], fixes: [TokenFixes.requestScope([], granted: have), TokenFixes.noRetry],
                                   rule: "google-scope-insufficient",
                                   checks: [#"list the token's scopes: curl -s --data-urlencode access_token@token.txt https://oauth2.googleapis.com/tokeninfo  # token.txt holds the token"#,
                                            "compare them with the scopes listed in the method's reference page"]))
            } else if reasons.contains("insufficientPermissions") {
                out.append(Finding(cause: .authScope, layer: .application, confidence: .likely,
                                   summary: "the server says insufficientPermissions: usually a missing OAuth scope, else the user's own rights on the resource",
                                   evidence: [ev(quoted)], fixes: [TokenFixes.requestScope([], granted: have), TokenFixes.noRetry],
                                   rule: "google-insufficient-permissions",
                                   checks: [#"list the token's scopes: curl -s --data-urlencode access_token@token.txt https://oauth2.googleapis.com/tokeninfo  # token.txt holds the token"#]))
            } else if status == "PERMISSION_DENIED" {
                out.append(Finding(cause: .authRole, layer: .application, confidence: .likely,
                                   summary: "the caller lacks a permission on the resource (PERMISSION_DENIED)" + (message.isEmpty ? "" : ": \(message.prefix(160))"),
                                   evidence: [ev(quoted)],
                                   fixes: [Fix(summary: "grant the caller a role that holds the permission named in the message, on the resource or its project (least privilege: the narrowest predefined role)",
                                               commands: [#"gcloud projects add-iam-policy-binding PROJECT --member="user:EMAIL" --role="ROLE""#]),
                                           TokenFixes.noRetry],
                                   rule: "google-permission-denied"))
            } else if status == "UNAUTHENTICATED" {
                out.append(Finding(cause: .authInvalid, layer: .application, confidence: .certain,
                                   summary: "the server did not accept the credentials (UNAUTHENTICATED)" + expiryClause,
                                   evidence: [ev(quoted)] + expiryEvidence, fixes: [TokenFixes.refresh], rule: "google-unauthenticated"))
            }
        }
        return out
    }
}

/// GitHub's OAuth scope hierarchy: a scope includes the ones listed under it
/// (docs.github.com, "Scopes for OAuth apps").
enum GitHubScopes {
    static let children: [String: [String]] = [
        "repo": ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"],
        "admin:org": ["write:org", "read:org", "manage_runners:org"],
        "write:org": ["read:org"],
        "admin:public_key": ["write:public_key", "read:public_key"],
        "write:public_key": ["read:public_key"],
        "admin:repo_hook": ["write:repo_hook", "read:repo_hook"],
        "write:repo_hook": ["read:repo_hook"],
        "user": ["read:user", "user:email", "user:follow"],
        "write:packages": ["read:packages"],
        "admin:gpg_key": ["write:gpg_key", "read:gpg_key"],
        "write:gpg_key": ["read:gpg_key"],
        "project": ["read:project"],
        "codespace": ["codespace:secrets"],
        "admin:enterprise": ["manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise"],
        "audit_log": ["read:audit_log"],
        "workflow": [],
    ]

    /// True when a token granted `granted` may use an endpoint accepting `needed`.
    static func satisfies(granted: String, needed: String) -> Bool {
        if granted == needed { return true }
        var queue = children[granted] ?? []
        var seen = Set<String>()
        while let s = queue.popLast() {
            if s == needed { return true }
            if seen.insert(s).inserted { queue += children[s] ?? [] }
        }
        return false
    }
}
