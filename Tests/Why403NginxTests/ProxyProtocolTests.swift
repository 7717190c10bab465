import XCTest
import Why403Core
import Why403FileSystem
@testable import Why403Nginx

/// issue 14: `listen … proxy_protocol`, `$proxy_protocol_addr` and `real_ip_header proxy_protocol`, with a
/// PROXY header address other than the peer (curl cannot send one, so the differential suite cannot).
final class ProxyProtocolTests: XCTestCase {
    func analyze(_ http: String, ip: String = "10.0.0.5", proxyProtocol: String?) throws -> Report {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/srv/site/admin/index.html", "x")
        fs.file("/srv/site/index.html", "x")
        let conf = "user www-data;\nevents {}\nhttp {\n\(http)\n}\n"
        let req = try Request(url: "http://shop.test/admin/", clientIP: ip)
        return try NginxAnalyzer.analyze(.init(config: .text(conf, path: "/etc/nginx/nginx.conf"), request: req, fileSystem: fs,
                                               proxyProtocol: proxyProtocol.map { IPAddress($0)! }))
    }

    let trusted = """
        server { listen 80 proxy_protocol; server_name shop.test; root /srv/site;
            set_real_ip_from 10.0.0.0/8; real_ip_header proxy_protocol;
            location /admin/ { allow 203.0.113.0/24; deny all; } }
        """

    func testTheHeaderAddressBecomesRemoteAddrFromATrustedPeer() throws {
        let ok = try analyze(trusted, proxyProtocol: "203.0.113.7")
        XCTAssertEqual(ok.verdict.status, 200)
        XCTAssertEqual(ok.subject.clientIP, "10.0.0.5")
        XCTAssertTrue(ok.notes.contains { $0.hasPrefix("the client address is 203.0.113.7, from the PROXY protocol header sent by the trusted proxy 10.0.0.5") }, "\(ok.notes)")
        let outside = try analyze(trusted, proxyProtocol: "198.51.100.1")
        XCTAssertEqual(outside.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertTrue(outside.findings[0].evidence.contains { $0.source == "PROXY protocol header" && $0.text.contains("198.51.100.1") })
        // The peer is not in set_real_ip_from: the header is not believed, the peer is denied.
        let untrusted = try analyze(trusted, ip: "192.0.2.1", proxyProtocol: "203.0.113.7")
        XCTAssertEqual(untrusted.verdict.cause, .accessIP)
        XCTAssertTrue(untrusted.findings[0].summary.contains("192.0.2.1"), untrusted.findings[0].summary)
    }

    func testWithoutRealIPTheAllowlistSeesTheProxy() throws {
        let r = try analyze("""
            server { listen 80 proxy_protocol; server_name shop.test; root /srv/site;
                location /admin/ { allow 203.0.113.0/24; deny all; } }
            """, proxyProtocol: "203.0.113.7")
        XCTAssertEqual(r.verdict.cause, .accessIP)
        XCTAssertTrue(r.findings[0].summary.contains("10.0.0.5"), r.findings[0].summary)
        XCTAssertTrue(r.notes.contains { $0.contains("$proxy_protocol_addr is 203.0.113.7") }, "\(r.notes)")
    }

    func testProxyProtocolAddrVariable() throws {
        let r = try analyze("""
            server { listen 80 proxy_protocol; server_name shop.test; root /srv/site;
                location /admin/ { if ($proxy_protocol_addr != "203.0.113.7") { return 403; } } }
            """, proxyProtocol: "203.0.113.7")
        XCTAssertEqual(r.verdict.status, 200)
        let other = try analyze("""
            server { listen 80 proxy_protocol; server_name shop.test; root /srv/site;
                location /admin/ { if ($proxy_protocol_addr != "203.0.113.7") { return 403; } } }
            """, proxyProtocol: "203.0.113.8")
        XCTAssertEqual(other.verdict.status, 403)
    }

    func testAListenerThatRequiresItClosesAPlainRequest() throws {
        let r = try analyze(trusted, proxyProtocol: nil)
        XCTAssertNil(r.verdict.status)
        XCTAssertEqual(r.verdict.cause, .configError)
        XCTAssertEqual(r.findings[0].confidence, .certain)
        XCTAssertTrue(r.findings[0].summary.contains("closes the connection without a response"), r.findings[0].summary)
        XCTAssertEqual(r.findings[0].evidence.first?.text, "listen 80 proxy_protocol;")
        XCTAssertTrue(r.notes.contains { $0.contains("a plain request such as this one fails") }, "\(r.notes)")
    }

    func testAHeaderSentToAPlainListenerIs400() throws {
        let r = try analyze("""
            server { listen 80; server_name shop.test; root /srv/site; }
            """, proxyProtocol: "203.0.113.7")
        XCTAssertEqual(r.verdict, Verdict(status: 400, layer: .nginx, cause: .configError))
    }
}
