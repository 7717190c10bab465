import Foundation
import XCTest
import Why403Core
import Why403Probe
import Why403Response
import Why403TestSupport

/// The probe against a real nginx on loopback: HTTP/2 over TLS, variants, rate limiting.
/// (limit_req runs in the preaccess phase, after `return`: the rate cases serve a file.)
final class RealNginxTests: XCTestCase {
    func testHTTP2OverTLSWithInsecure() async throws {
        let nginx = try NginxHarness.start(server: """
            location / { return 200 "hello over h2\\n"; }
            location /private/ { return 403; }
            """, tls: true)
        defer { nginx.stop() }
        let ok = try await probe(nginx.url("/", scheme: "https")) { $0.options.insecure = true }
        XCTAssertEqual(ok.report.verdict.status, 200)
        XCTAssertEqual(ok.main.result.response?.httpVersion, "HTTP/2")
        XCTAssertEqual(ok.main.result.response?.bodyText, "hello over h2\n")
        let denied = try await probe(nginx.url("/private/x", scheme: "https")) { $0.options.insecure = true }
        XCTAssertEqual(denied.report.verdict.status, 403)
        XCTAssertEqual(denied.report.subject.extra["http_version"], .string("HTTP/2"))
    }

    func testSelfSignedCertificateWithoutInsecureIsAClearFinding() async throws {
        let nginx = try NginxHarness.start(server: "location / { return 200; }", tls: true)
        defer { nginx.stop() }
        let outcome = try await probe(nginx.url("/", scheme: "https"))
        XCTAssertNil(outcome.report.verdict.status)
        let f = try XCTUnwrap(outcome.report.findings.first)
        XCTAssertEqual(f.rule, "probe.tls-failure")
        XCTAssertTrue(f.fixes.contains { $0.summary.contains("--insecure") })
    }

    func testVariantsAgainstNginxRefererAndUserAgentRules() async throws {
        let nginx = try NginxHarness.start(server: """
            location /img/ {
                valid_referers none server_names 127.0.0.1;
                if ($invalid_referer) { return 403; }
                return 200 "image\\n";
            }
            location /app/ {
                if ($http_user_agent ~* "(why403|curl|bot)") { return 403; }
                return 200 "app\\n";
            }
            """)
        defer { nginx.stop() }
        let hotlink = try await probe(nginx.url("/img/cat.png")) {
            $0.variants = true
            $0.headers = HeaderList([("Referer", "https://thief.example/page")])
        }
        XCTAssertEqual(hotlink.report.verdict.status, 403)
        XCTAssertEqual(hotlink.report.verdict.cause, .hotlinkReferer)
        XCTAssertEqual(hotlink.report.findings.first?.confidence, .certain)
        XCTAssertEqual(Set(hotlink.variants.filter { $0.variant.kind == .referer }.map(\.status)), [200])

        let bot = try await probe(nginx.url("/app/home")) { $0.variants = true }
        XCTAssertEqual(bot.report.verdict.status, 403)
        XCTAssertEqual(bot.report.verdict.cause, .botBlock)
        XCTAssertEqual(bot.report.findings.first?.rule, "variant.browser-user-agent")
    }

    func testRateLimitTurns200Into429() async throws {
        let nginx = try NginxHarness.start(server: """
            location / { limit_req zone=probe; limit_req_status 429; root ROOT; }
            """, http: "limit_req_zone $binary_remote_addr zone=probe:1m rate=2r/s;")
        defer { nginx.stop() }
        let outcome = try await probe(nginx.url("/")) { $0.rate = 6 }
        XCTAssertEqual(outcome.report.verdict.status, 200)
        let f = try XCTUnwrap(outcome.report.findings.first { $0.cause == .rateLimit })
        XCTAssertEqual(f.confidence, .certain)
        XCTAssertTrue(outcome.rateStatuses.contains(429), "\(outcome.rateStatuses)")
    }

    func testRateLimitWith403IsLikely() async throws {
        let nginx = try NginxHarness.start(server: """
            location / { limit_req zone=probe; limit_req_status 403; root ROOT; }
            """, http: "limit_req_zone $binary_remote_addr zone=probe:1m rate=2r/s;")
        defer { nginx.stop() }
        let outcome = try await probe(nginx.url("/")) { $0.rate = 6 }
        let f = try XCTUnwrap(outcome.report.findings.first { $0.cause == .rateLimit })
        XCTAssertEqual(f.confidence, .likely)
    }

    func testNoRateLimitIsANote() async throws {
        let nginx = try NginxHarness.start(server: "location / { return 200; }")
        defer { nginx.stop() }
        let outcome = try await probe(nginx.url("/")) { $0.rate = 3 }
        XCTAssertFalse(outcome.report.findings.contains { $0.cause == .rateLimit })
        XCTAssertTrue(outcome.report.notes.contains { $0.contains("no rate limit at this pace") })
    }
}
