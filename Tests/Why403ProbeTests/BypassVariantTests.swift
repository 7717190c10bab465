import Foundation
import XCTest
import Why403Core
import Why403Probe
import Why403Response
import Why403TestSupport

/// `--variants bypass` against the in-process raw server: each trick reaches the server as written (the
/// server records the request line), only when asked, only at the URL's origin, and a served variant is a
/// finding with the exact request.
final class BypassVariantTests: XCTestCase {
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [ScriptedServer.Received] = []
        func add(_ r: ScriptedServer.Received) { lock.lock(); items.append(r); lock.unlock() }
        var all: [ScriptedServer.Received] { lock.lock(); defer { lock.unlock() }; return items }
    }

    func testTheBypassSetIsSentOnlyWhenNamedAndReachesTheServerAsWritten() async throws {
        let seen = Seen()
        let server = try await ScriptedServer.start { req in
            seen.add(req)
            // The refusal covers one spelling and believes X-Forwarded-For: two bypasses.
            if req.header("x-forwarded-for") == "127.0.0.1" { return .respond(rawResponse(200, "OK", body: "admin")) }
            if req.target == "/admin" || req.target == "/admin/" { return .respond(rawResponse(403, "Forbidden", body: "no")) }
            if req.target == "/ADMIN" { return .respond(rawResponse(200, "OK", body: "admin")) }
            return .respond(rawResponse(404, "Not Found"))
        }
        defer { Task { await server.stop() } }

        let plain = try await probe(server.url("/admin")) { $0.variants = true }
        XCTAssertFalse(plain.variants.contains { $0.variant.kind == .bypass }, "--variants alone sends no bypass trick")
        XCTAssertFalse(seen.all.contains { $0.target.contains("..;") })

        let outcome = try await probe(server.url("/admin")) { $0.bypass = true }
        XCTAssertEqual(outcome.report.verdict.status, 403)
        let targets = Set(seen.all.map(\.target))
        for t in ["//admin", "/./admin", "/%2e/admin", "/admin..;/", "/admin%2f", "/%61dmin", "/admin%20", "/admin.json", "/ADMIN"] {
            XCTAssertTrue(targets.contains(t), "\(t) was not received as written: \(targets.sorted())")
        }
        XCTAssertTrue(seen.all.contains { $0.method == "TRACE" })
        XCTAssertTrue(seen.all.contains { $0.header("x-original-url") == "/admin" && $0.target == "/" })
        let rules = outcome.report.findings.compactMap(\.rule)
        XCTAssertTrue(rules.contains("bypass.upper-case"), "\(rules)")
        XCTAssertTrue(rules.contains("bypass.x-forwarded-for"), "\(rules)")
        XCTAssertFalse(rules.contains("bypass.double-slash"), "a 404 is not a bypass")
        let xff = try XCTUnwrap(outcome.report.findings.first { $0.rule == "bypass.x-forwarded-for" })
        XCTAssertEqual(xff.cause, .accessIP)
        XCTAssertEqual(xff.confidence, .certain, "the baseline was re-sent and still refused")
        XCTAssertEqual(xff.details?["method"], .string("GET"))
        XCTAssertEqual(xff.details?["target"], .string("/admin"))
        XCTAssertEqual(xff.details?["status"], .int(200))
        guard case .array(let headers)? = xff.details?["headers"] else { return XCTFail("no headers in \(String(describing: xff.details))") }
        XCTAssertTrue(headers.contains(.string("X-Forwarded-For: 127.0.0.1")))
    }

    func testEveryVariantStaysAtTheOrigin() {
        let base = ProbeRequest(url: "https://shop.test:8443/admin?x=1", headers: HeaderList([("Authorization", "Bearer abc")]))
        let variants = Variants.bypass(from: base)
        XCTAssertGreaterThan(variants.count, 30)
        for v in variants {
            XCTAssertTrue(v.request.url.hasPrefix("https://shop.test:8443/"), "\(v.id): \(v.request.url)")
        }
    }
}
