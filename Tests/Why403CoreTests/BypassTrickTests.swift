import XCTest
import Why403Core

/// The bypass list (`BypassTrick.all`): stable unique ids, an origin for each, and the exact request each
/// trick makes of a refused one.
final class BypassTrickTests: XCTestCase {
    func testIdsAreUniqueAndEveryTrickNamesItsOrigin() {
        let ids = BypassTrick.all.map(\.id)
        XCTAssertEqual(ids.count, Set(ids).count)
        let lists = ["nomore403", "byp4xx", "bypass-url-parser", "The Hacker Recipes"]
        for t in BypassTrick.all {
            XCTAssertTrue(t.id.hasPrefix("bypass."), t.id)
            XCTAssertTrue(lists.contains { t.origin.contains($0) }, "\(t.id): origin \(t.origin)")
        }
        for kind in BypassTrick.Kind.allCases {
            XCTAssertTrue(BypassTrick.all.contains { $0.kind == kind }, "no trick of kind \(kind)")
        }
    }

    func testTheRequestEachTrickMakes() throws {
        let original = try Request(url: "http://shop.test/app/admin?x=1", clientIP: "203.0.113.7")
        var made: [String: String] = [:]
        for t in BypassTrick.all {
            guard let v = try t.apply(to: original) else { made[t.id] = "-"; continue }
            XCTAssertEqual(v.clientAddress, original.clientAddress)
            XCTAssertEqual(v.target.host, "shop.test")
            let headers = v.headerPairs.map { "\($0.name): \($0.value)" }
            made[t.id] = ([v.method, v.target.requestURI] + headers).joined(separator: " | ")
        }
        XCTAssertEqual(made["bypass.trailing-slash"], "GET | /app/admin/?x=1")
        XCTAssertEqual(made["bypass.no-trailing-slash"], "-")
        XCTAssertEqual(made["bypass.double-slash"], "GET | //app/admin?x=1")
        XCTAssertEqual(made["bypass.dot-segment"], "GET | /./app/admin?x=1")
        XCTAssertEqual(made["bypass.encoded-dot-segment"], "GET | /%2e/app/admin?x=1")
        XCTAssertEqual(made["bypass.encoded-slash"], "GET | /app/admin%2f?x=1")
        XCTAssertEqual(made["bypass.semicolon-dot-dot"], "GET | /app/admin..;/?x=1")
        XCTAssertEqual(made["bypass.slash-semicolon-dot-dot"], "GET | /app/admin/..;/?x=1")
        XCTAssertEqual(made["bypass.upper-case"], "GET | /APP/ADMIN?x=1")
        XCTAssertEqual(made["bypass.capitalised"], "GET | /app/Admin?x=1")
        XCTAssertEqual(made["bypass.encoded-letter"], "GET | /app/%61dmin?x=1")
        XCTAssertEqual(made["bypass.trailing-space"], "GET | /app/admin%20?x=1")
        XCTAssertEqual(made["bypass.empty-query"], "-", "the query is kept, so `?` adds nothing")
        XCTAssertEqual(made["bypass.json-suffix"], "GET | /app/admin.json?x=1")
        XCTAssertEqual(made["bypass.trace"], "TRACE | /app/admin?x=1")
        XCTAssertEqual(made["bypass.method-override"], "POST | /app/admin?x=1 | X-HTTP-Method-Override: GET")
        XCTAssertEqual(made["bypass.x-original-url"], "GET | /?x=1 | X-Original-URL: /app/admin")
        XCTAssertEqual(made["bypass.x-forwarded-for"], "GET | /app/admin?x=1 | X-Forwarded-For: 127.0.0.1")
        XCTAssertEqual(made["bypass.host-localhost"], "GET | /app/admin?x=1 | Host: localhost")
        XCTAssertEqual(made["bypass.own-referer"], "GET | /app/admin?x=1 | Referer: http://shop.test/app/admin")
    }

    func testATrailingSlashPathAndReplacedHeaders() throws {
        let original = try Request(url: "http://shop.test/admin/", headers: [("Host", "shop.test"), ("X-Forwarded-For", "198.51.100.1")])
        let slash = try XCTUnwrap(BypassTrick.all.first { $0.id == "bypass.trailing-slash" })
        XCTAssertNil(try slash.apply(to: original), "the path already ends with /")
        let none = try XCTUnwrap(try BypassTrick.all.first { $0.id == "bypass.no-trailing-slash" }?.apply(to: original))
        XCTAssertEqual(none.target.path, "/admin")
        let upper = try XCTUnwrap(try BypassTrick.all.first { $0.id == "bypass.capitalised" }?.apply(to: original))
        XCTAssertEqual(upper.target.path, "/Admin/")
        let host = try XCTUnwrap(try BypassTrick.all.first { $0.id == "bypass.host-localhost" }?.apply(to: original))
        XCTAssertEqual(host.headerValues("Host"), ["localhost"], "replaced, not a second Host (a 400)")
        let xff = try XCTUnwrap(try BypassTrick.all.first { $0.id == "bypass.x-forwarded-for" }?.apply(to: original))
        XCTAssertEqual(xff.headerValues("X-Forwarded-For"), ["127.0.0.1"])
    }
}
