import Foundation
import XCTest
@testable import Why403Core

/// `JSONValueEncoder` against the round trip it replaced (`JSONEncoder`'s text read back by `JSONDecoder` into a
/// `JSONValue`), on the shapes Codable produces: nested keyed and unkeyed containers, optionals left out or
/// written as null, dictionaries keyed by strings and by integers, enums, the integer and floating types.
final class JSONValueEncoderTests: XCTestCase {
    enum Kind: String, Codable { case a, b }
    struct Inner: Codable { var name: String; var n: Int; var tags: [String]; var kind: Kind }
    struct Outer: Codable {
        var inner: Inner
        var list: [Inner]
        var optional: Int?
        var byName: [String: Int]
        var byNumber: [Int: String]
        var nested: [[Int]]
        var d1: Double
        var d2: Double
        var d3: Double
        var big: UInt64
        var i64: Int64
        var small: Int8
        var flag: Bool
        var f: Float
        var empty: [String: Int]
        var emptyList: [Int]
    }
    struct ExplicitNull: Encodable {
        var v: Int?
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(v, forKey: .v)
            var u = c.nestedUnkeyedContainer(forKey: .w)
            try u.encodeNil()
            try u.encode("x")
            var k = u.nestedContainer(keyedBy: CodingKeys.self)
            try k.encode(3, forKey: .v)
        }
        enum CodingKeys: String, CodingKey { case v, w }
    }
    struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
    struct Holder: Encodable { var n = Nothing(); var m = 1 }

    func roundTrip<T: Encodable>(_ v: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(v))
    }

    func testTheSameValuesAsTheRoundTrip() throws {
        let inner = Inner(name: "é \"q\" \n", n: -4, tags: ["x", ""], kind: .b)
        let values = [
            Outer(inner: inner, list: [inner, inner], optional: nil, byName: ["a": 1, "b c": 2], byNumber: [404: "x", -1: "y"],
                  nested: [[1, 2], [], [3]], d1: 2.0, d2: 2.5, d3: -0.125, big: UInt64.max, i64: Int64.min, small: -8, flag: true,
                  f: 1.5, empty: [:], emptyList: []),
            Outer(inner: inner, list: [], optional: 7, byName: [:], byNumber: [:], nested: [], d1: 0, d2: 1e300, d3: -3,
                  big: 5, i64: 1 << 40, small: 0, flag: false, f: 3, empty: [:], emptyList: [1]),
        ]
        for v in values { XCTAssertEqual(try JSONValueEncoder.encode(v), try roundTrip(v)) }
        XCTAssertEqual(try JSONValueEncoder.encode(ExplicitNull(v: nil)), try roundTrip(ExplicitNull(v: nil)))
        XCTAssertEqual(try JSONValueEncoder.encode(Holder()), try roundTrip(Holder()))
        XCTAssertEqual(try JSONValueEncoder.encode(Nothing()), .object([:]))  // JSONEncoder refuses a top-level one
        XCTAssertEqual(try JSONValueEncoder.encode(["k": JSONValue.array([.null, .bool(true), .string("s")])]),
                       try roundTrip(["k": JSONValue.array([.null, .bool(true), .string("s")])]))
    }

    func testALogsSummaryAsTheRoundTripGaveIt() throws {
        let row = LogsSummary.Row(key: "/admin", count: 3, error: 0)
        let s = LogsSummary(files: ["a.log"], linesRead: 10, bytesRead: 1 << 33, statusesCounted: [403, 401], since: nil, until: "x",
                            denials: 3, accessDenials: 3, errorLogEvents: 0, correlated: 0, outsideWindow: 0, byStatus: ["403": 3],
                            causes: [], topPaths: [row], topClients: [row, row], topUserAgents: [], modsecurityRules: [],
                            timeline: LogsSummary.Timeline(start: "2026-11-29T09:30:00Z", bucketSeconds: 60, counts: [1, 0, 2]),
                            bursts: [], trickles: [],
                            malformed: LogsSummary.Malformed(count: 1, samples: [Evidence(source: "log a.log:2", text: "x")]),
                            approximate: true, topCountries: nil)
        guard case .object(let o) = try roundTrip(s) else { return XCTFail("not an object") }
        XCTAssertEqual(s.asExtra(), o)
    }
}
