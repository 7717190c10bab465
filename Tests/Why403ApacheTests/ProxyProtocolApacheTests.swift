import XCTest
import Why403Core
import Why403FileSystem
@testable import Why403Apache

/// issue 14: mod_remoteip's PROXY protocol (`RemoteIPProxyProtocol`, its exceptions) and the
/// `RemoteIPTrustedProxyList`/`RemoteIPInternalProxyList` files, with addresses curl cannot send.
final class ProxyProtocolApacheTests: XCTestCase {
    func analyze(_ conf: String, ip: String = "10.0.0.5", proxyProtocol: String?, headers: [(name: String, value: String)] = [],
                 files: [String: String] = [:]) throws -> Report {
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/srv/httpd.conf", """
        LoadModule authz_core_module m/mod_authz_core.so
        LoadModule authz_host_module m/mod_authz_host.so
        LoadModule remoteip_module m/mod_remoteip.so
        User www-data
        DocumentRoot /var/www
        <Directory /var/www>
            Require ip 203.0.113.0/24
        </Directory>
        \(conf)
        """)
        fs.file("/var/www/index.html", "hi")
        for (p, t) in files { fs.file(p, t) }
        var input = ApacheAnalyzer.Input(configPath: "/srv/httpd.conf",
                                         request: try Request(url: "http://x/index.html", headers: headers, clientIP: ip), fileSystem: fs)
        input.proxyProtocol = proxyProtocol.map { IPAddress($0)! }
        return try ApacheAnalyzer.analyze(input)
    }

    func testTheHeaderAddressIsTheClient() throws {
        let ok = try analyze("RemoteIPProxyProtocol On", proxyProtocol: "203.0.113.7")
        XCTAssertEqual(ok.verdict.status, 200)
        XCTAssertEqual(ok.subject.clientIP, "10.0.0.5")
        XCTAssertTrue(ok.notes.contains { $0.contains("the client address is 203.0.113.7, from the PROXY protocol header sent by 10.0.0.5") }, "\(ok.notes)")
        let denied = try analyze("RemoteIPProxyProtocol On", proxyProtocol: "198.51.100.1")
        XCTAssertEqual(denied.verdict.cause, .accessIP)
        XCTAssertTrue(denied.findings[0].evidence.contains { $0.source == "PROXY protocol header" }, "\(denied.findings[0].evidence)")
    }

    func testWithoutTheHeaderTheConnectionIsClosed() throws {
        let r = try analyze("RemoteIPProxyProtocol On", proxyProtocol: nil)
        XCTAssertNil(r.verdict.status)
        XCTAssertEqual(r.verdict.cause, .configError)
        XCTAssertTrue(r.findings[0].summary.contains("closes it without a response"), r.findings[0].summary)
        XCTAssertTrue(r.notes.contains { $0.contains("a plain request such as this one fails") }, "\(r.notes)")
    }

    func testExceptionsAndPlainServers() throws {
        let conf = "RemoteIPProxyProtocol On\nRemoteIPProxyProtocolExceptions 10.0.0.0/8"
        XCTAssertEqual(try analyze(conf, proxyProtocol: nil).verdict.cause, .accessIP)  // excepted: a plain request, the peer is denied
        XCTAssertEqual(try analyze(conf, proxyProtocol: "203.0.113.7").verdict, Verdict(status: 400, layer: .apache, cause: .configError))
        XCTAssertEqual(try analyze("", proxyProtocol: "203.0.113.7").verdict, Verdict(status: 400, layer: .apache, cause: .configError))
    }

    /// Checked by hand against httpd 2.4.71: with a PROXY header, X-Forwarded-For from a trusted peer is ignored.
    func testRemoteIPHeaderIsIgnoredOnAProxyProtocolConnection() throws {
        let conf = "RemoteIPProxyProtocol On\nRemoteIPHeader X-Forwarded-For\nRemoteIPTrustedProxy 10.0.0.0/8 192.0.2.0/24"
        let r = try analyze(conf, proxyProtocol: "192.0.2.9", headers: [("X-Forwarded-For", "203.0.113.50")])
        XCTAssertEqual(r.verdict.cause, .accessIP, "\(r.notes)")
        XCTAssertTrue(r.notes.contains { $0.contains("is not used on a PROXY protocol connection") }, "\(r.notes)")
        let ok = try analyze(conf, proxyProtocol: "203.0.113.9", headers: [("X-Forwarded-For", "198.51.100.50")])
        XCTAssertEqual(ok.verdict.status, 200, "\(ok.notes)")
    }

    func testProxyListFiles() throws {
        let conf = "RemoteIPHeader X-Forwarded-For\nRemoteIPTrustedProxyList /srv/proxies.txt\nRemoteIPInternalProxyList conf/internal.txt"
        let files = ["/srv/proxies.txt": "# the CDN\n198.51.100.0/24  # edge\n\n",
                     "/srv/conf/internal.txt": "10.0.0.0/8\n"]
        // The peer 198.51.100.3 is a trusted proxy from the file: its X-Forwarded-For is believed.
        let ok = try analyze(conf, ip: "198.51.100.3", proxyProtocol: nil, headers: [("X-Forwarded-For", "203.0.113.50")], files: files)
        XCTAssertEqual(ok.verdict.status, 200, "\(ok.notes)")
        // Not in any list: the peer is used.
        let no = try analyze(conf, ip: "192.0.2.3", proxyProtocol: nil, headers: [("X-Forwarded-For", "203.0.113.50")], files: files)
        XCTAssertEqual(no.verdict.cause, .accessIP)
        // A missing file is said, not ignored.
        let missing = try analyze("RemoteIPHeader X-Forwarded-For\nRemoteIPTrustedProxyList /nowhere.txt", proxyProtocol: nil,
                                  headers: [("X-Forwarded-For", "203.0.113.50")])
        XCTAssertTrue(missing.notes.contains { $0.contains("/nowhere.txt cannot be read") }, "\(missing.notes)")
    }
}
