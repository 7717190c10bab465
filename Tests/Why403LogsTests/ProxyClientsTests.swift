import XCTest
import Why403Core
import Why403Logs

/// issue 14: refusals whose client addresses are proxies (Cloudflare's ranges, private ranges, a few
/// addresses for everything) get a finding saying an allowlist probably sees the proxy.
final class ProxyClientsTests: XCTestCase {
    func lines(_ ips: [String], paths: [String] = ["/admin/"]) -> String {
        ips.enumerated().map { i, ip in
            combined(ip, time: "29/Nov/2026:09:\(String(format: "%02d", i / 60)):\(String(format: "%02d", i % 60)) +0000",
                     "GET \(paths[i % paths.count]) HTTP/1.1")
        }.joined(separator: "\n") + "\n"
    }

    func proxyFinding(_ r: Report) -> Finding? { r.findings.first { $0.rule == "proxy-addresses" } }

    func testCloudflareRanges() throws {
        let ips = (0..<40).map { ["172.68.10.4", "162.158.90.1", "2606:4700:10::ac43:1", "198.51.100.7"][$0 % 4] }
        let f = try XCTUnwrap(proxyFinding(try analyzeText(lines(ips))))
        XCTAssertEqual(f.cause, .accessIP)
        XCTAssertNotEqual(f.confidence, .certain)
        XCTAssertTrue(f.summary.contains("30 of 40 refusals come from Cloudflare's published ranges"), f.summary)
        XCTAssertTrue(f.checks?.contains { $0.contains("CF-Connecting-IP") } ?? false)
        XCTAssertTrue(f.evidence.contains { $0.source == "client 172.68.10.4" && $0.text.contains("Cloudflare") }, "\(f.evidence)")
    }

    func testPrivateAndLoopbackRanges() throws {
        let ips = (0..<20).map { $0 % 5 == 0 ? "203.0.113.\($0)" : "10.0.3.\($0 % 2 + 4)" }
        let f = try XCTUnwrap(proxyFinding(try analyzeText(lines(ips))))
        XCTAssertTrue(f.summary.contains("16 of 20 refusals come from private, loopback or load-balancer addresses"), f.summary)
        XCTAssertTrue(f.checks?.contains { $0.contains("set_real_ip_from") } ?? false)
        XCTAssertTrue(f.checks?.contains { $0.contains("RemoteIPTrustedProxy") } ?? false)
        XCTAssertTrue(f.fixes[0].summary.contains("X-Forwarded-For"))
    }

    func testAFewPublicAddressesForEverything() throws {
        let ips = (0..<60).map { $0 == 0 ? "192.0.2.77" : "198.51.100.\($0 % 2 + 1)" }
        let f = try XCTUnwrap(proxyFinding(try analyzeText(lines(ips, paths: ["/admin/", "/private/", "/x"]))))
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertTrue(f.summary.contains("carry 60 of 60 refusals across 3 paths"), f.summary)
    }

    func testOrdinaryVisitorsGetNoFinding() throws {
        let ips = (0..<60).map { "198.51.\($0 / 200).\($0 % 200 + 1)" }
        XCTAssertNil(proxyFinding(try analyzeText(lines(ips, paths: ["/admin/", "/b"]))))
        // One public client hammering one path is a client, not a proxy.
        XCTAssertNil(proxyFinding(try analyzeText(lines(Array(repeating: "198.51.100.9", count: 60)))))
    }
}
