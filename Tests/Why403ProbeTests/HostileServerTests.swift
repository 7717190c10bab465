import Foundation
import XCTest
import Why403Core
import Why403Probe
import Why403TestSupport

/// Runs a probe with short caps, as the tests want it.
func probe(_ url: String, _ configure: (inout ProbeAnalyzer.Input) -> Void = { _ in }) async throws -> ProbeOutcome {
    var input = try ProbeAnalyzer.Input(url: url, options: TransportOptions(connectTimeout: 2, totalTimeout: 4, maxBody: 65_536))
    configure(&input)
    return try await ProbeAnalyzer.analyze(input)
}

/// The report as JSON after redaction, i.e. what a user would see.
func renderedJSON(_ outcome: ProbeOutcome) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(outcome.report.redacted(by: outcome.redactor)), as: UTF8.self)
}

/// Hostile and broken servers: each ends in a clear finding or note within the time cap.
final class HostileServerTests: XCTestCase {
    func testPlain403IsObservedWithHeaderEvidence() async throws {
        let server = try await ScriptedServer.start { _ in
            .respond(rawResponse(403, "Forbidden", headers: [("Server", "testserver/1.0"), ("Content-Type", "text/plain")],
                                 body: "forbidden\n"))
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url("/secret"))
        XCTAssertEqual(outcome.report.verdict.status, 403)
        XCTAssertEqual(outcome.report.subject.kind, "probe")
        XCTAssertEqual(outcome.report.subject.method, "GET")
        XCTAssertFalse(outcome.report.findings.isEmpty)
        XCTAssertNotEqual(outcome.report.verdict.cause, .none)
        let evidence = outcome.report.findings.flatMap(\.evidence)
        XCTAssertTrue(evidence.contains { $0.text.contains("403") }, "\(evidence)")
        XCTAssertEqual(outcome.main.result.response?.bodyText, "forbidden\n")
    }

    func testOKIsNotDenied() async throws {
        let server = try await ScriptedServer.start { _ in .respond(rawResponse(200, "OK", body: "hello")) }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url())
        XCTAssertEqual(outcome.report.verdict, Verdict(status: 200, layer: .none, cause: .none))
    }

    func testConnectionRefusedIsAClearFinding() async throws {
        let port = RealTools.freePort()
        let outcome = try await probe("127.0.0.1:\(port)/x")
        XCTAssertEqual(outcome.report.subject.url, "http://127.0.0.1:\(port)/x", "a URL without a scheme is http://")
        XCTAssertNil(outcome.report.verdict.status)
        XCTAssertEqual(outcome.report.findings.first?.rule, "probe.connection-refused")
        XCTAssertEqual(outcome.report.findings.first?.confidence, .certain)
    }

    func testDNSFailureIsAClearFinding() async throws {
        let outcome = try await probe("http://no-such-host.invalid/")
        XCTAssertNil(outcome.report.verdict.status)
        let rule = try XCTUnwrap(outcome.report.findings.first?.rule)
        // A resolver that cannot be reached at all times out instead of answering NXDOMAIN.
        XCTAssertTrue(["probe.dns-failure", "probe.connect-timeout", "probe.timeout"].contains(rule), rule)
    }

    func testEndlessBodyIsCutAtTheCap() async throws {
        let server = try await ScriptedServer.start { _ in
            .endless(head: "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url())
        let response = try XCTUnwrap(outcome.main.result.response)
        XCTAssertEqual(response.status, 403)
        XCTAssertTrue(response.bodyTruncated)
        XCTAssertEqual(response.body.count, 65_536)
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("cap (65536 bytes)") }, "\(outcome.report.notes)")
    }

    func testFiveGigabyteContentLength() async throws {
        let server = try await ScriptedServer.start { _ in
            .endless(head: "HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\n")
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url())
        XCTAssertEqual(outcome.report.verdict.status, 200)
        XCTAssertEqual(outcome.main.result.declaredLength, 5_000_000_000)
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("Content-Length: 5000000000") }, "\(outcome.report.notes)")
    }

    func testHeadersTricklingInHitTheTotalTimeout() async throws {
        let server = try await ScriptedServer.start { _ in
            .trickle("HTTP/1.1 200 OK\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", intervalMs: 100)
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url()) { $0.options.totalTimeout = 1.5 }
        XCTAssertNil(outcome.report.verdict.status)
        XCTAssertEqual(outcome.report.findings.first?.rule, "probe.timeout")
        XCTAssertTrue(outcome.report.findings.first?.summary.contains("1.5 s") ?? false)
    }

    func testSilentServerHitsTheTotalTimeout() async throws {
        let server = try await ScriptedServer.start { _ in .silence }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url()) { $0.options.totalTimeout = 1 }
        XCTAssertEqual(outcome.report.findings.first?.rule, "probe.timeout")
    }

    func testSlowBodyEndsAtTheTotalTimeoutWithTheStatusKept() async throws {
        let server = try await ScriptedServer.start { _ in
            .trickle("HTTP/1.1 403 Forbidden\r\nContent-Length: 100000\r\n\r\nAccess denied", intervalMs: 20)
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url()) { $0.options.totalTimeout = 2 }
        XCTAssertEqual(outcome.report.verdict.status, 403)
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("total timeout") }, "\(outcome.report.notes)")
    }

    func testInvalidChunkingIsReported() async throws {
        let server = try await ScriptedServer.start { _ in
            .respond("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
        }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url())
        let rules = outcome.report.findings.compactMap(\.rule)
        XCTAssertTrue(rules.contains("probe.invalid-body") || rules.contains("probe.invalid-response"), "\(rules)")
    }

    func testGarbageInsteadOfHTTP() async throws {
        let server = try await ScriptedServer.start { _ in .respond("\u{0}\u{1}SSH-2.0-OpenSSH\r\n\r\n") }
        defer { Task { await server.stop() } }
        let outcome = try await probe(server.url())
        XCTAssertNil(outcome.report.verdict.status)
        let rule = try XCTUnwrap(outcome.report.findings.first?.rule)
        XCTAssertTrue(["probe.invalid-response", "probe.connection-closed"].contains(rule), rule)
    }

    func testBadURLIsAnInputError() async throws {
        do {
            _ = try await probe("ftp://example.com/")
            XCTFail("expected an input error")
        } catch let error as InputError {
            XCTAssertTrue(error.message.contains("http:// or https://"), error.message)
        }
    }
}
