import Foundation
import XCTest
import Why403Core
import Why403Probe
import Why403TestSupport

/// Parsing of what the user types: URLs, proxies; and a bounded mutation test that nothing crashes.
final class InputParsingTests: XCTestCase {
    func testURLWithoutSchemeIsHTTP() throws {
        XCTAssertEqual(try ProbeAnalyzer.normalize("example.com/a"), "http://example.com/a")
        XCTAssertEqual(try ProbeAnalyzer.normalize("https://example.com"), "https://example.com")
        XCTAssertThrowsError(try ProbeAnalyzer.normalize("ftp://x/"))
        XCTAssertThrowsError(try ProbeAnalyzer.normalize("http://"))
    }

    func testProxyParsing() throws {
        XCTAssertEqual(try ProxySetting.parse("http://127.0.0.1:3128"), .http(host: "127.0.0.1", port: 3128))
        XCTAssertEqual(try ProxySetting.parse("socks5://localhost:1080"), .socks5(host: "localhost", port: 1080))
        XCTAssertEqual(try ProxySetting.parse("socks5h://user:pw@proxy"), .socks5(host: "proxy", port: 1080))
        XCTAssertEqual(try ProxySetting.parse("proxy.lan:8080"), .http(host: "proxy.lan", port: 8080))
        XCTAssertThrowsError(try ProxySetting.parse("https://p:1"))
        XCTAssertThrowsError(try ProxySetting.parse("http://p:99999"))
        do {
            _ = try ProxySetting.parse("http://user:hunter2secret@p:x")
            XCTFail("expected an error")
        } catch let e as InputError {
            XCTAssertFalse(Redactor().redact(e.description).contains("hunter2secret"), e.description)
        }
    }

    func testProxyThatRefusesIsAClearFinding() async throws {
        let port = RealTools.freePort()
        let outcome = try await probe("http://127.0.0.1:9/") { $0.options.proxy = .http(host: "127.0.0.1", port: port) }
        XCTAssertNil(outcome.report.verdict.status)
        let rule = try XCTUnwrap(outcome.report.findings.first?.rule)
        XCTAssertTrue(["probe.connection-refused", "probe.proxy-failure"].contains(rule), rule)
    }

    /// Bounded mutation test: random and mutated inputs to the parsers never crash.
    func testMutatedInputsNeverCrash() {
        var rng = SystemRandomNumberGenerator()
        let seeds = ["http://a.test:8080/x/y?z=1#f", "socks5://u:p@h:1080", "https://[::1]:443/", "a.test", "/rel/path",
                     "http://a.test/%zz", "http://a b/"]
        let alphabet = Array("abc:/?#[]@!$&'()*+,;=%. \u{0}\u{7f}é😀09")
        for _ in 0..<3000 {
            var s = Array(seeds.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0...s.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: s.insert(alphabet.randomElement(using: &rng)!, at: i)
                case 1: if i < s.count { s.remove(at: i) }
                default: if i < s.count { s[i] = alphabet.randomElement(using: &rng)! }
                }
            }
            let text = String(s)
            _ = try? ProxySetting.parse(text)
            _ = try? ProbeAnalyzer.normalize(text)
            _ = Origin(text)
            if let base = try? ProbeAnalyzer.normalize("a.test/x/") {
                _ = Variants.make(from: ProbeRequest(url: base))
                _ = RedirectWalk.originBoundHeaders
            }
        }
    }
}
