import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// Rights (403): scopes from flags or an insufficient_scope challenge against scope/scp; roles
/// against every role claim the common identity providers use; challenges (RFC 6750 §3.1).
final class TokenRightsTests: XCTestCase {
    func testMissingScopeInSpaceSeparatedScopeClaim() async throws {
        let t = try PyJOSE.sign(claims(["scope": "read:profile write:profile"]))
        let r = try await analyze(t, scopes: ["admin:reports"])
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .authScope)
        XCTAssertEqual(r.findings[0].summary, "needs scope admin:reports; token has read:profile write:profile (claim `scope`)")
        XCTAssertEqual(r.findings[0].confidence, .certain)
        XCTAssertTrue(r.findings[0].fixes[0].summary.hasPrefix("request scope admin:reports when the token is obtained"))
        XCTAssertTrue(r.findings[0].fixes[0].commands[0].contains("scope=read:profile write:profile admin:reports"))
        XCTAssertTrue(r.findings[0].fixes.contains { $0.summary.hasPrefix("do not retry a 403 with the same token") })
    }

    func testScpAsArrayAndAsString() async throws {
        let arr = try PyJOSE.sign(claims(["scp": ["Files.Read", "User.Read"]]))
        let r = try await analyze(arr, scopes: ["Files.ReadWrite"])
        XCTAssertEqual(r.findings[0].summary, "needs scope Files.ReadWrite; token has Files.Read User.Read (claim `scp`)")
        let r1_ = try await analyze(arr, scopes: ["User.Read"])
        XCTAssertEqual(r1_.verdict.cause, Cause.none)
        let str = try PyJOSE.sign(claims(["scp": "Files.Read User.Read"]))
        let r2_ = try await analyze(str, scopes: ["User.Read", "Files.Read"])
        XCTAssertEqual(r2_.verdict.cause, Cause.none)
        let r3_ = try await analyze(str, scopes: ["files.read"])
        XCTAssertEqual(r3_.verdict.cause, .authScope)
    }

    func testNoScopeClaimAtAllIsLikely() async throws {
        let r = try await analyze(try PyJOSE.sign(claims()), scopes: ["admin"])
        XCTAssertEqual(r.verdict.cause, .authScope)
        XCTAssertEqual(r.findings[0].confidence, .likely)
        XCTAssertTrue(r.findings[0].summary.contains("has no scope claim"))
    }

    func testScopeFromInsufficientScopeChallenge() async throws {
        let t = try PyJOSE.sign(claims(["scope": "read:org"]))
        let challenge = #"Bearer realm="api", error="insufficient_scope", error_description="needs repo", scope="repo""#
        let r = try await analyze(t, challenge: challenge)
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .authScope)
        XCTAssertEqual(r.findings[0].summary, "needs scope repo; token has read:org (claim `scope`)")
        XCTAssertTrue(r.findings[0].evidence.contains { $0.source == "header WWW-Authenticate" })
        // Without a scope parameter the server's word alone is the finding.
        let r2 = try await analyze(t, challenge: #"Bearer error="insufficient_scope""#)
        XCTAssertEqual(r2.verdict.cause, .authScope)
        XCTAssertEqual(r2.findings[0].rule, "challenge-insufficient-scope")
        XCTAssertTrue(r2.findings[0].summary.contains("does not name the scope"))
    }

    func testInvalidTokenChallengeIs401() async throws {
        let fresh = try PyJOSE.sign(claims(["scope": "a"]))
        let r = try await analyze(fresh, challenge: #"Bearer error="invalid_token", error_description="The access token expired""#)
        XCTAssertEqual(r.verdict.status, 401)
        XCTAssertEqual(r.verdict.cause, .authInvalid)
        XCTAssertEqual(r.findings[0].rule, "challenge-invalid-token")
        XCTAssertTrue(r.findings[0].summary.contains("\"The access token expired\""))
        // A local reason takes the lead; the challenge backs it up.
        let expired = try PyJOSE.sign(claims(exp: testNow - 20))
        let r2 = try await analyze(expired, challenge: #"Bearer error="invalid_token""#)
        XCTAssertEqual(r2.findings[0].rule, "token-expired")
        XCTAssertEqual(r2.findings[0].confidence, .likely, "20 s from the boundary; the challenge does not prove which reason")
        XCTAssertTrue(r2.findings[0].evidence.contains { $0.source == "header WWW-Authenticate" })
        // An expired token that also lacks a scope: 401 first (authentication before authorization).
        let both = try await analyze(try PyJOSE.sign(claims(["scope": "a"], exp: testNow - 7200)), scopes: ["b"])
        XCTAssertEqual(both.verdict.status, 401)
        XCTAssertEqual(both.findings.map(\.cause), [.authInvalid, .authScope])
    }

    func testChallengeWithoutErrorWhileATokenWasSent() async throws {
        let r = try await analyze(try PyJOSE.sign(claims()), challenge: #"Bearer realm="example""#)
        XCTAssertEqual(r.verdict.cause, .authMissing)
        XCTAssertEqual(r.findings[0].rule, "token-not-received")
        XCTAssertEqual(r.findings[0].confidence, .likely)
        XCTAssertTrue(r.findings[0].fixes[0].patch!.contains("CGIPassAuth On"))
    }

    func testChallengeParsingFollowsRFC9110() async throws {
        // Several challenges, case-insensitive scheme and names, escapes, token68.
        let value = #"Basic realm="x", NEGOTIATE abc123==, bEaReR REALM="a \"q\" b", ERROR=insufficient_scope, Scope="s1 s2""#
        let r = try await analyze(try PyJOSE.sign(claims(["scope": "s1"])), challenge: "WWW-Authenticate: " + value)
        XCTAssertEqual(r.findings[0].summary, "needs scope s2; token has s1 (claim `scope`)")
        // A malformed challenge is an input error on the flag.
        let e = await assertInputError { _ = try await analyze("x0123456", challenge: #"Bearer error="unterminated"#) }
        XCTAssertEqual(e?.file, "--www-authenticate")
    }

    func testRolesFromEveryClaimShape() async throws {
        let cases: [(claims: [String: Any], claimName: String)] = [
            (["roles": ["reader"]], "roles"),
            (["role": "reader"], "role"),
            (["groups": ["reader"]], "groups"),
            (["permissions": ["read:reports"]], "permissions"),
            (["realm_access": ["roles": ["reader"]]], "realm_access.roles"),
            (["resource_access": ["reports-api": ["roles": ["reader"]]]], "resource_access.reports-api.roles"),
            (["cognito:groups": ["reader"]], "cognito:groups"),
            (["https://example.com/roles": ["reader"]], "https://example.com/roles"),
        ]
        for c in cases {
            let t = try PyJOSE.sign(claims(c.claims))
            let r = try await analyze(t, roles: ["admin"])
            XCTAssertEqual(r.verdict.status, 403, c.claimName)
            XCTAssertEqual(r.verdict.cause, .authRole, c.claimName)
            XCTAssertEqual(r.findings[0].confidence, .certain)
            XCTAssertTrue(r.findings[0].summary.hasPrefix("needs role admin; token has "), r.findings[0].summary)
            XCTAssertTrue(r.findings[0].summary.hasSuffix("(claim `\(c.claimName)`)"), r.findings[0].summary)
            let have = (c.claims.values.first as? [String])?.first ?? (c.claims.values.first as? String) ?? "reader"
            let ok = try await analyze(t, roles: [c.claimName == "permissions" ? "read:reports" : have])
            XCTAssertEqual(ok.verdict.cause, Cause.none, c.claimName)
        }
    }

    func testRoleFixesNameTheIdentityProvider() async throws {
        let kc = try PyJOSE.sign(claims(["iss": "https://sso.example.com/realms/acme", "preferred_username": "ana", "azp": "web",
                                         "realm_access": ["roles": ["user"]], "resource_access": ["web": ["roles": ["viewer"]]]]))
        let r = try await analyze(kc, roles: ["admin"])
        XCTAssertEqual(r.findings[0].summary, "needs role admin; token has user viewer (claims `realm_access.roles`, `resource_access.web.roles`)")
        XCTAssertTrue(r.findings[0].fixes[0].commands.contains("kcadm.sh add-roles -r acme --uusername ana --rolename admin"))
        let cg = try PyJOSE.sign(claims(["iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", "cognito:username": "bo", "cognito:groups": ["users"]]))
        let r2 = try await analyze(cg, roles: ["admins"])
        XCTAssertEqual(r2.findings[0].fixes[0].commands,
                       ["aws cognito-idp admin-add-user-to-group --region eu-west-1 --user-pool-id eu-west-1_AbC --username bo --group-name admins"])
        let none = try await analyze(try PyJOSE.sign(claims()), roles: ["admin"])
        XCTAssertEqual(none.findings[0].confidence, .likely)
        XCTAssertTrue(none.findings[0].summary.contains("carries no role claim"))
        let spring = try await analyze(try PyJOSE.sign(claims(["roles": ["ROLE_admin"]])), roles: ["admin"])
        XCTAssertTrue(spring.notes.contains { $0.contains("ROLE_ prefix") })
    }

    func testScopeAndRoleTogether() async throws {
        let t = try PyJOSE.sign(claims(["scope": "reports:read", "roles": ["viewer"]]))
        let r = try await analyze(t, scopes: ["reports:write"], roles: ["editor"])
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.findings.map(\.cause), [.authScope, .authRole])
    }
}

/// The commands and checks the reports print survive redaction unchanged (they hold placeholders,
/// never secrets), so a person can paste them.
final class TokenFixTextTests: XCTestCase {
    func testFixesAndChecksAreNotMangledByTheRedactor() async throws {
        var reports: [Report] = []
        reports.append(try await analyze(try PyJOSE.sign(claims(exp: testNow - 100)), challenge: #"Bearer error="invalid_token""#))
        reports.append(try await analyze(try PyJOSE.sign(claims(["scope": "a"])), scopes: ["b"], audience: "api://x"))
        reports.append(try await analyze(try PyJOSE.sign(claims()), challenge: #"Bearer realm="r""#))
        reports.append(try await analyze(try PyJOSE.sign(claims(["roles": ["u"]])), roles: ["admin"]))
        for prefix in ["ghp_", "gho_", "glpat-", "xoxb-", "ya29.", "github_pat_"] {
            reports.append(try await analyze(prefix + "abcdefghijklmnopqrstuvwxyz0123456789", scopes: ["repo"]))
        }
        var findings = reports.flatMap(\.findings)
        for body in [#"{"error":{"code":403,"status":"PERMISSION_DENIED","message":"Request had insufficient authentication scopes."}}"#,
                     #"{"error":{"errors":[{"reason":"insufficientPermissions"}],"code":403}}"#,
                     #"{"error":{"code":403,"status":"PERMISSION_DENIED","message":"Permission 'x.y' denied"}}"#] {
            findings += TokenModule.correlate(token: "ya29.abcdefgh", with: AuthResponseFacts(status: 403, body: body), now: testNow)
        }
        findings += TokenModule.correlate(token: "ghp_abcdefghijkl", with: AuthResponseFacts(status: 401, wwwAuthenticate: [#"Bearer realm="x""#]), now: testNow)
        XCTAssertGreaterThan(findings.count, 12)
        for r in [Report(subject: Subject(kind: "token"), status: nil, findings: findings, answeredBy: .application)] {
            let texts = r.findings.flatMap { f in f.fixes.flatMap { [$0.summary] + $0.commands + ($0.patch.map { [$0] } ?? []) } + (f.checks ?? []) }
            for t in texts {
                let redacted = Redactor().redact(t)
                XCTAssertEqual(redacted, t)
            }
        }
    }
}
