import XCTest
import Why403Core

/// Core's one request, address and verdict (issue 11): every layer uses these.
final class RequestTargetTests: XCTestCase {
    func testNoSchemeMeansHTTPAndPartsAreSplitOnce() throws {
        let t = try RequestTarget(url: "Shop.Test:8080/a/..;/b%2f?x=1#frag")
        XCTAssertEqual(t.url, "http://Shop.Test:8080/a/..;/b%2f?x=1#frag")
        XCTAssertEqual(t.scheme, "http")
        XCTAssertEqual(t.host, "shop.test")
        XCTAssertEqual(t.port, 8080)
        XCTAssertTrue(t.hasExplicitPort)
        XCTAssertEqual(t.path, "/a/..;/b%2f", "the raw path is kept byte for byte")
        XCTAssertEqual(t.query, "x=1")
        XCTAssertEqual(t.requestURI, "/a/..;/b%2f?x=1")
        let v6 = try RequestTarget(url: "https://user@[2001:DB8::1]/")
        XCTAssertEqual(v6.host, "2001:db8::1")
        XCTAssertEqual(v6.port, 443)
        XCTAssertTrue(v6.hostIsIP)
        XCTAssertEqual(v6.origin, "https://[2001:db8::1]")
        XCTAssertEqual(try RequestTarget(url: "http://a.test?q").path, "/")
    }

    func testMalformedURLsAreInputErrors() {
        for bad in ["ftp://a.test/", "http:///x", "http://a.test:0/", "http://a.test:99999/", "http://a.test:x/", "http://a.test:+80/"] {
            XCTAssertThrowsError(try RequestTarget(url: bad), bad) { XCTAssertTrue($0 is InputError, bad) }
        }
    }
}

final class RequestTests: XCTestCase {
    func testRepeatedHeadersFollowOneRule() throws {
        let r = try Request(url: "http://a.test/", headers: [("X-Forwarded-For", "1.1.1.1"), ("x-forwarded-for", "2.2.2.2"),
                                                             ("Cookie", "a=1"), ("Cookie", "b=2"), ("Host", "B.test:81")])
        XCTAssertEqual(r.header("X-FORWARDED-FOR"), "1.1.1.1, 2.2.2.2", "RFC 9110 §5.3: combined in order")
        XCTAssertEqual(r.header("cookie"), "a=1; b=2")
        XCTAssertEqual(r.headerValues("X-Forwarded-For"), ["1.1.1.1", "2.2.2.2"])
        XCTAssertEqual(r.hostName, "b.test")
        XCTAssertNil(r.header("Referer"))
        XCTAssertEqual(r.headerPairs.map(\.name), ["X-Forwarded-For", "x-forwarded-for", "Cookie", "Cookie", "Host"], "names as given")
    }

    func testEmptyHeaderValueAndBadInput() throws {
        XCTAssertEqual(try Request.parseHeaderLine("X-Empty:").value, "", "'Name:' is an empty value (cli-v1, second edition)")
        XCTAssertThrowsError(try Request.parseHeaderLine("no colon"))
        XCTAssertThrowsError(try Request(url: "http://a.test/", headers: [("Bad Name", "x")]))
        XCTAssertThrowsError(try Request(method: "GE T", url: "http://a.test/"))
        XCTAssertThrowsError(try Request(url: "http://a.test/", clientIP: "10.0.0.300")) { e in
            XCTAssertTrue((e as? InputError)?.message.contains("a client address") ?? false)
        }
        XCTAssertEqual(try Request(url: "a.test", clientIP: " ::FFFF:10.1.2.3 ").clientIP, "::ffff:10.1.2.3")
    }
}

final class IPAddressTests: XCTestCase {
    func testParsingAndText() {
        XCTAssertEqual(IPAddress("10.1.2.3")?.bytes, [10, 1, 2, 3])
        XCTAssertEqual(IPAddress("[::1]")?.description, "::1")
        XCTAssertNil(IPAddress("10.1.2"))
        XCTAssertNil(IPAddress("example.test"))
        XCTAssertEqual(IPAddress("::ffff:192.0.2.1")?.mappedIPv4, IPAddress("192.0.2.1"))
        XCTAssertTrue(IPAddress("127.8.0.1")!.isLoopback)
        XCTAssertTrue(IPAddress("172.20.1.1")!.isPrivate)
        XCTAssertFalse(IPAddress("172.32.1.1")!.isPrivate)
        XCTAssertTrue(IPAddress("fd00::1")!.isPrivate)
    }

    func testNetworks() throws {
        let n = try XCTUnwrap(IPNetwork("10.0.0.0/8"))
        XCTAssertTrue(n.contains(IPAddress("10.255.1.1")!))
        XCTAssertFalse(n.contains(IPAddress("11.0.0.1")!))
        XCTAssertFalse(n.contains(IPAddress("::ffff:10.1.1.1")!), "families must agree by default")
        XCTAssertTrue(n.contains(IPAddress("::ffff:10.1.1.1")!, matchingMappedIPv4: true))
        XCTAssertEqual(IPNetwork("192.0.2.7")?.prefixLength, 32)
        XCTAssertEqual(IPNetwork(" 2001:db8::/32 ")?.prefixLength, 32)
        XCTAssertNil(IPNetwork("10.0.0.0/33"))
        XCTAssertNil(IPNetwork("10.0.0.0/+8"))
        XCTAssertEqual(IPNetwork(address: IPAddress("10.0.0.0")!, netmask: IPAddress("255.255.0.0")!)?.prefixLength, 16)
        XCTAssertNil(IPNetwork(address: IPAddress("10.0.0.0")!, netmask: IPAddress("255.0.255.0")!))
        XCTAssertTrue(IPNetwork.everything(ipv6: true).contains(IPAddress("2001:db8::9")!))
    }

    /// Every prefix length agrees with a plain bit-by-bit comparison.
    func testContainsAgreesWithBitComparison() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let v6 = Bool.random(using: &rng)
            let count = v6 ? 16 : 4
            let a = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var b = a
            let flip = Int.random(in: 0..<(count * 8), using: &rng)
            b[flip / 8] ^= 0x80 >> UInt8(flip % 8)
            let len = Int.random(in: 0...(count * 8), using: &rng)
            let net = IPNetwork(address: IPAddress(bytes: a)!, prefixLength: len)!
            XCTAssertEqual(net.contains(IPAddress(bytes: b)!), flip >= len)
        }
    }
}

final class VerdictRuleTests: XCTestCase {
    func f(_ cause: Cause, _ confidence: Confidence = .certain, _ layer: Layer = .nginx) -> Finding {
        Finding(cause: cause, layer: layer, confidence: confidence, summary: cause.rawValue)
    }

    func testThePrimaryFindingLeadsAndTheStatusDecides() {
        var d = Verdict.decide(status: 403, findings: [f(.none), f(.rateLimit, .possible), f(.accessIP)], answeredBy: .nginx)
        XCTAssertEqual(d.verdict, Verdict(status: 403, layer: .nginx, cause: .accessIP))
        XCTAssertEqual(d.findings.map(\.cause), [.accessIP, .none, .rateLimit])
        d = Verdict.decide(status: 403, findings: [f(.none)], answeredBy: .apache)
        XCTAssertEqual(d.verdict, Verdict(status: 403, layer: .apache, cause: .unknown), "an unexplained refusal")
        d = Verdict.decide(status: 200, findings: [f(.rateLimit, .possible)], answeredBy: .nginx)
        XCTAssertEqual(d.verdict, Verdict(status: 200, layer: .none, cause: .none), "a possible lead does not refuse a 200")
        d = Verdict.decide(status: 200, findings: [f(.wafRule, .certain, .f5)], answeredBy: .unknown)
        XCTAssertEqual(d.verdict, Verdict(status: 200, layer: .f5, cause: .wafRule), "a block page served with 200")
        d = Verdict.decide(status: 500, findings: [f(.configError, .certain, .apache)], answeredBy: .apache)
        XCTAssertEqual(d.verdict, Verdict(status: 500, layer: .apache, cause: .configError))
        d = Verdict.decide(status: 500, findings: [f(.unknown)], answeredBy: .apache)
        XCTAssertEqual(d.verdict.cause, .none, "unknown explains only a refusal")
        d = Verdict.decide(status: 200, findings: [f(.unknown, .likely, .application)], answeredBy: .application, disguised: true)
        XCTAssertEqual(d.verdict, Verdict(status: 200, layer: .application, cause: .unknown), "a page that is a refusal whatever its status")
        d = Verdict.decide(status: 404, findings: [f(.accessDeny)], answeredBy: .nginx)
        XCTAssertEqual(d.verdict.cause, .accessDeny, "error_page 403 =404 hides a refusal")
        d = Verdict.decide(status: nil, findings: [f(.appForbidden, .possible, .application)], answeredBy: .nginx)
        XCTAssertEqual(d.verdict, Verdict(status: nil, layer: .application, cause: .appForbidden))
        d = Verdict.decide(status: nil, findings: [f(.rateLimit, .possible)], answeredBy: .nginx)
        XCTAssertEqual(d.verdict, .notDenied, "a possible finding alone does not make the verdict")
        d = Verdict.decide(status: 429, findings: [f(.rateLimit, .possible)], answeredBy: .nginx)
        XCTAssertEqual(d.verdict.cause, .rateLimit, "a refusal takes the best lead there is")
    }

    func testRefusalStatuses() {
        XCTAssertEqual(RefusalStatus.all, [401, 403, 407, 429, 451])
        XCTAssertFalse(RefusalStatus.contains(nil))
        XCTAssertFalse(RefusalStatus.contains(404))
    }
}
