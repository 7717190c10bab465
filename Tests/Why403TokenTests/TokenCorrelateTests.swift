import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Token

/// `TokenModule.correlate`, the part of `probe --bearer` that ties the token sent to the response.
final class TokenCorrelateTests: XCTestCase {
    func testGitHubAcceptedVersusGrantedScopes() throws {
        let facts = AuthResponseFacts(status: 403, acceptedScopes: "repo", grantedScopes: "read:org",
                                      body: #"{"message":"Resource not accessible by personal access token"}"#)
        let f = TokenModule.correlate(token: "ghp_" + String(repeating: "x", count: 36), with: facts, now: testNow)
        XCTAssertEqual(f.first?.cause, .authScope)
        XCTAssertEqual(f.first?.summary, "the token lacks scope repo (accepted: repo; granted: read:org)")
        XCTAssertEqual(f.first?.confidence, .certain)
        XCTAssertEqual(f.first?.evidence.map(\.source), ["header x-accepted-oauth-scopes", "header x-oauth-scopes"])
    }

    func testGitHubScopeHierarchy() {
        let facts = AuthResponseFacts(status: 403, acceptedScopes: "read:org", grantedScopes: "admin:org, repo")
        let f = TokenModule.correlate(token: "gho_abcdefabcdef", with: facts, now: testNow)
        XCTAssertEqual(f.first?.cause, .authRole)
        XCTAssertEqual(f.first?.confidence, .possible)
        XCTAssertTrue(GitHubScopes.satisfies(granted: "repo", needed: "public_repo"))
        XCTAssertFalse(GitHubScopes.satisfies(granted: "read:org", needed: "write:org"))
    }

    func testChallengeAndJWTClaims() throws {
        let t = try PyJOSE.sign(claims(["scope": "read:org"]))
        let facts = AuthResponseFacts(status: 403, wwwAuthenticate: [#"Bearer error="insufficient_scope", scope="repo""#])
        let f = TokenModule.correlate(token: "Bearer " + t, with: facts, now: testNow)
        XCTAssertEqual(f.first?.summary, "the token lacks scope repo (accepted: repo; granted: read:org (claim scope))")
        XCTAssertFalse(f.flatMap(\.evidence).contains { $0.text.contains(t) })
    }

    func testExpiredJWTExplainsA401() throws {
        let t = try PyJOSE.sign(claims(exp: testNow - 3 * 3600))
        let withChallenge = TokenModule.correlate(token: t, with: AuthResponseFacts(status: 401, wwwAuthenticate: [#"Bearer error="invalid_token""#]), now: testNow)
        XCTAssertEqual(withChallenge.first?.cause, .authInvalid)
        XCTAssertTrue(withChallenge.first!.summary.contains("the token expired 3 h ago"), withChallenge.first!.summary)
        let bare = TokenModule.correlate(token: t, with: AuthResponseFacts(status: 401), now: testNow)
        XCTAssertEqual(bare.first?.rule, "token-expired")
    }

    func testTokenNotReceived() throws {
        let t = try PyJOSE.sign(claims())
        let f = TokenModule.correlate(token: t, with: AuthResponseFacts(status: 401, wwwAuthenticate: [#"Bearer realm="api""#]), now: testNow)
        XCTAssertEqual(f.first?.cause, .authMissing)
        XCTAssertEqual(f.first?.rule, "token-not-received")
    }

    func testJSONBodies() {
        let oauth = AuthResponseFacts(status: 403, body: #"{"error":"insufficient_scope","error_description":"requires admin","scope":"admin"}"#)
        XCTAssertEqual(TokenModule.correlate(token: "opaque-token-1234", with: oauth, now: testNow).first?.summary,
                       "the token lacks scope admin (accepted: admin)")
        let google = AuthResponseFacts(status: 403, body: #"""
        {"error": {"code": 403, "message": "Request had insufficient authentication scopes.", "status": "PERMISSION_DENIED",
          "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}
        """#)
        let g = TokenModule.correlate(token: "ya29.abcdefgh", with: google, now: testNow)
        XCTAssertEqual(g.first?.cause, .authScope)
        XCTAssertEqual(g.first?.rule, "google-scope-insufficient")
        let legacy = AuthResponseFacts(status: 403, body: #"{"error":{"errors":[{"domain":"global","reason":"insufficientPermissions","message":"Insufficient Permission"}],"code":403,"message":"Insufficient Permission"}}"#)
        XCTAssertEqual(TokenModule.correlate(token: "ya29.abcdefgh", with: legacy, now: testNow).first?.rule, "google-insufficient-permissions")
        let iam = AuthResponseFacts(status: 403, body: #"{"error":{"code":403,"message":"Permission 'storage.objects.get' denied on resource","status":"PERMISSION_DENIED"}}"#)
        let i = TokenModule.correlate(token: "ya29.abcdefgh", with: iam, now: testNow)
        XCTAssertEqual(i.first?.cause, .authRole)
        XCTAssertTrue(i.first!.summary.contains("storage.objects.get"))
    }

    func testNothingToSay() {
        XCTAssertTrue(TokenModule.correlate(token: "abc", with: AuthResponseFacts(status: 200), now: testNow).isEmpty)
        XCTAssertTrue(TokenModule.correlate(token: "%%%garbage", with: AuthResponseFacts(status: 403, body: "<html>no</html>"), now: testNow).isEmpty)
    }
}
