import Foundation
import XCTest
import Why403Core
import Why403Probe
import Why403Response
import Why403TestSupport

/// `--variants` against the in-process server: which single change flips the status, and what it proves.
final class VariantTests: XCTestCase {
    func testVariantSetIsBoundedAndEachChangesOneThing() {
        let base = ProbeRequest(url: "http://site.test/img/a.png", headers: HeaderList([
            ("Referer", "http://other.test/"), ("Authorization", "Bearer abcdefgh"), ("User-Agent", "why403")]))
        let ids = Variants.make(from: base).map(\.id)
        XCTAssertEqual(ids, ["no-referer", "own-referer", "browser-user-agent", "head", "trailing-slash", "no-token"])
        let own = Variants.make(from: base).first { $0.id == "own-referer" }!
        XCTAssertEqual(own.request.headers["referer"], "http://site.test/")
        XCTAssertEqual(Variants.make(from: ProbeRequest(url: "http://site.test/")).map(\.id),
                       ["own-referer", "browser-user-agent", "head"])
    }

    func testUserAgentFlipProvesBotBlock() async throws {
        let server = try await ScriptedServer.start { req in
            (req.header("user-agent") ?? "").contains("Mozilla")
                ? .respond(rawResponse(200, "OK", body: "ok"))
                : .respond(rawResponse(403, "Forbidden", body: "no bots"))
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/page")) { $0.variants = true }
        XCTAssertEqual(outcome.report.verdict.status, 403)
        XCTAssertEqual(outcome.report.verdict.cause, .botBlock)
        let f = try XCTUnwrap(outcome.report.findings.first)
        XCTAssertEqual(f.rule, "variant.browser-user-agent")
        XCTAssertEqual(f.confidence, .certain, "the baseline was re-sent and still denied")
        XCTAssertEqual(outcome.variants.first { $0.variant.id == "browser-user-agent" }?.status, 200)
    }

    func testRefererFlipProvesHotlinking() async throws {
        let server = try await ScriptedServer.start { req in
            (req.header("referer") ?? "").hasPrefix("http://127.0.0.1")
                ? .respond(rawResponse(200, "OK", body: "img"))
                : .respond(rawResponse(403, "Forbidden"))
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/img/cat.png")) {
            $0.variants = true
            $0.headers = HeaderList([("Referer", "https://elsewhere.example/")])
        }
        XCTAssertEqual(outcome.report.verdict.cause, .hotlinkReferer)
        XCTAssertEqual(outcome.report.findings.first?.rule, "variant.own-referer")
    }

    func testTokenRemoved403To401ProvesTheTokenLacksRights() async throws {
        let server = try await ScriptedServer.start { req in
            req.header("authorization") == nil
                ? .respond(rawResponse(401, "Unauthorized", headers: [("WWW-Authenticate", "Bearer realm=\"api\"")]))
                : .respond(rawResponse(403, "Forbidden", body: "{\"error\":\"forbidden\"}"))
        }
        defer { Task { await server.stop() } }
        let token = "opaque-token-0123456789"
        let outcome = try await probe(server.url("/api/admin")) { $0.variants = true; $0.bearer = token }
        let f = try XCTUnwrap(outcome.report.findings.first { $0.rule == "variant.no-token" })
        XCTAssertEqual(f.cause, .authScope)
        XCTAssertFalse(try renderedJSON(outcome).contains(token))
    }

    func testNoFlipMeansNoVariantFinding() async throws {
        let server = try await ScriptedServer.start { _ in .respond(rawResponse(403, "Forbidden")) }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/x")) { $0.variants = true }
        XCTAssertFalse(outcome.report.findings.contains { $0.rule?.hasPrefix("variant.") ?? false })
        XCTAssertEqual(outcome.variants.count, 4)
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("same status 403") })
    }

    func testUnstableBaselineDowngradesConfidence() async throws {
        // Denies every other request whatever it carries: a flip is not a proof.
        let counter = Counter()
        let server = try await ScriptedServer.start { req in
            let n = counter.next()
            if (req.header("user-agent") ?? "").contains("Mozilla") { return .respond(rawResponse(200, "OK")) }
            return n == 0 ? .respond(rawResponse(403, "Forbidden")) : .respond(rawResponse(200, "OK"))
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/y")) { $0.variants = true }
        let f = try XCTUnwrap(outcome.report.findings.first { $0.rule == "variant.browser-user-agent" })
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("not stable") })
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { n += 1; lock.unlock() }; return n }
}
