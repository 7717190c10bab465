import Foundation
import XCTest
import Why403Core
import Why403Probe
import Why403Response
import Why403TestSupport

/// The probe through a working forward proxy (Tests/Fixtures/probe/forward-proxy.py: HTTP absolute-form,
/// CONNECT tunnels and SOCKS5 on one port) to a real nginx: the request reaches nginx through the proxy,
/// the verdict is nginx's, and the token travels inside the tunnel, never in the CONNECT.
final class ProxyTests: XCTestCase {
    struct Proxy {
        let process: BackgroundProcess
        let port: Int
        let log: String
        let dir: TemporaryDirectory
        /// The proxy's log: one line per relayed request.
        var lines: [String] { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
        func stop() { process.stop(); dir.remove() }
    }

    func startProxy() throws -> Proxy {
        let python = try RealTools.require("python3")
        let dir = try TemporaryDirectory(prefix: "why403-proxy")
        let port = RealTools.freePort()
        let log = dir.path + "/proxy.log"
        let process = try BackgroundProcess(python, [Fixtures.url("probe/forward-proxy.py").path, "\(port)", log],
                                            stderr: dir.path + "/stderr.log")
        // Ready when it accepts a connection (at most 5 s).
        for _ in 0..<50 {
            if (try? Run.shell("python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", \(port)), 1)'", timeout: 5))?.status == 0 {
                return Proxy(process: process, port: port, log: log, dir: dir)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.stop()
        struct ProxyDidNotStart: Error, CustomStringConvertible { var description: String }
        throw ProxyDidNotStart(description: "the test proxy did not start: "
                               + ((try? String(contentsOfFile: dir.path + "/stderr.log", encoding: .utf8)) ?? ""))
    }

    /// A real nginx serving `site`, and the proxy.
    func startSiteAndProxy(tls: Bool = false) throws -> (NginxHarness, Proxy) {
        let nginx = try NginxHarness.start(server: ProxyTests.site, tls: tls)
        do { return (nginx, try startProxy()) } catch { nginx.stop(); throw error }
    }

    static let site = """
        location / { return 200 "open\\n"; }
        location /private/ { return 403; }
        """

    /// AsyncHTTPClient opens a CONNECT tunnel through an HTTP proxy for plain http:// too (it never
    /// sends absolute-form requests), so the proxy sees only the target host and port.
    func testHTTPProxyCarriesAPlainRequestInATunnel() async throws {
        let (nginx, proxy) = try startSiteAndProxy()
        defer { nginx.stop(); proxy.stop() }
        let outcome = try await probe(nginx.url("/private/x")) { $0.options.proxy = .http(host: "127.0.0.1", port: proxy.port) }
        XCTAssertEqual(outcome.report.verdict.status, 403)
        XCTAssertEqual(outcome.report.verdict.layer, .nginx, "\(outcome.report.findings.map(\.summary))")
        XCTAssertEqual(proxy.lines.filter { $0.hasPrefix("CONNECT 127.0.0.1:\(nginx.port)") }.count, 1, "\(proxy.lines)")
        XCTAssertFalse(proxy.lines.joined().contains("/private/x"), "\(proxy.lines)")
    }

    func testHTTPSGoesThroughATunnelAndTheTokenStaysInside() async throws {
        let (nginx, proxy) = try startSiteAndProxy(tls: true)
        defer { nginx.stop(); proxy.stop() }
        let secret = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
        let outcome = try await probe(nginx.url("/private/x", scheme: "https")) {
            $0.options.proxy = .http(host: "127.0.0.1", port: proxy.port)
            $0.options.insecure = true
            $0.headers = HeaderList([("Authorization", secret)])
        }
        XCTAssertEqual(outcome.report.verdict.status, 403)
        let connect = proxy.lines.filter { $0.hasPrefix("CONNECT 127.0.0.1:\(nginx.port)") }
        XCTAssertEqual(connect.count, 1, "\(proxy.lines)")
        XCTAssertFalse(proxy.lines.joined().contains("eyJhbGci"), "the proxy saw the token: \(proxy.lines)")
        XCTAssertFalse(proxy.lines.contains { $0.hasPrefix("HTTP ") }, "\(proxy.lines)")
    }

    func testSOCKS5ProxyCarriesTheRequest() async throws {
        let (nginx, proxy) = try startSiteAndProxy()
        defer { nginx.stop(); proxy.stop() }
        let open = try await probe(nginx.url("/")) { $0.options.proxy = .socks5(host: "127.0.0.1", port: proxy.port) }
        XCTAssertEqual(open.report.verdict.status, 200)
        let denied = try await probe(nginx.url("/private/x")) { $0.options.proxy = .socks5(host: "127.0.0.1", port: proxy.port) }
        XCTAssertEqual(denied.report.verdict.status, 403)
        XCTAssertEqual(proxy.lines.filter { $0 == "SOCKS5 127.0.0.1:\(nginx.port)" }.count, 2, "\(proxy.lines)")
    }
}
