import Foundation
import XCTest
import Why403Core
import Why403Probe
import Why403Response
import Why403TestSupport

/// Redirects: not followed by default; with `follow`, a hop limit, loop detection, and credentials that
/// never go to another origin.
final class RedirectTests: XCTestCase {
    func testRedirectIsNotFollowedByDefault() async throws {
        let server = try await ScriptedServer.start { _ in
            .respond(rawResponse(302, "Found", headers: [("Location", "/elsewhere")]))
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/start"))
        XCTAssertEqual(outcome.report.verdict.status, 302)
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("not followed (use --follow)") }, "\(outcome.report.notes)")
    }

    func testCrossOriginRedirectDropsAuthorizationAndCookie() async throws {
        // Another port on 127.0.0.1 is another origin (RFC 6454).
        let other = try await ScriptedServer.start { _ in .respond(rawResponse(200, "OK", body: "landed")) }
        defer { Task { await other.stop() } }
        let target = other.url("/landing")
        let first = try await ScriptedServer.start { req in
            if req.target == "/same" { return .respond(rawResponse(302, "Found", headers: [("Location", "/same-2")])) }
            if req.target == "/same-2" { return .respond(rawResponse(307, "Temporary Redirect", headers: [("Location", target)])) }
            return .respond(rawResponse(404, "Not Found"))
        }
        defer { Task { await first.stop() } }
        let token = "s3cr3t-token-value-123456"
        let outcome = try await probe(first.url("/same")) {
            $0.follow = true
            $0.bearer = token
            $0.headers = HeaderList([("Cookie", "session=abcdef123456"), ("X-Trace", "kept")])
        }
        XCTAssertEqual(outcome.report.verdict.status, 200)
        XCTAssertEqual(outcome.main.hops.count, 2)
        // Same origin: the credentials went along.
        XCTAssertEqual(first.requests.map(\.target), ["/same", "/same-2"])
        for r in first.requests {
            XCTAssertEqual(r.header("authorization"), "Bearer \(token)")
            XCTAssertEqual(r.header("cookie"), "session=abcdef123456")
        }
        // Another origin: they did not.
        let landed = try XCTUnwrap(other.requests.first)
        XCTAssertEqual(landed.target, "/landing")
        XCTAssertNil(landed.header("authorization"))
        XCTAssertNil(landed.header("cookie"))
        XCTAssertEqual(landed.header("x-trace"), "kept")
        XCTAssertEqual(outcome.main.hops.map(\.credentialsDropped), [false, true])
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("Authorization and Cookie were not sent there") })
        let json = try renderedJSON(outcome)
        XCTAssertFalse(json.contains(token))
        XCTAssertFalse(json.contains("abcdef123456"))
    }

    func testSchemeChangeIsAnotherOrigin() {
        XCTAssertNotEqual(Origin("http://a.test/"), Origin("https://a.test/"))
        XCTAssertEqual(Origin("http://a.test/"), Origin("http://A.test:80/x"))
        XCTAssertNotEqual(Origin("http://a.test/"), Origin("http://a.test:8080/"))
        XCTAssertEqual(Origin("https://a.test:443/")?.rootURL, "https://a.test/")
    }

    func testRedirectLoopIsDetected() async throws {
        let server = try await ScriptedServer.start { req in
            .respond(rawResponse(302, "Found", headers: [("Location", req.target == "/a" ? "/b" : "/a")]))
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/a")) { $0.follow = true }
        XCTAssertEqual(outcome.report.findings.first?.rule, "probe.redirect-loop")
        XCTAssertEqual(server.requests.count, 2)
    }

    func testRedirectLimit() async throws {
        let server = try await ScriptedServer.start { req in
            let n = Int(req.target.dropFirst()) ?? 0
            return .respond(rawResponse(301, "Moved Permanently", headers: [("Location", "/\(n + 1)")]))
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/0")) { $0.follow = true; $0.maxRedirects = 3 }
        XCTAssertEqual(outcome.report.findings.first?.rule, "probe.redirect-limit")
        XCTAssertEqual(server.requests.count, 4)
    }
}
