import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// A rate limiting rule's `counting_expression` ("Increment counter when",
/// https://developers.cloudflare.com/waf/rate-limiting-rules/parameters/#increment-counter-when): which
/// requests count towards the rate; it may read the response (`http.response.code`, headers).
final class CountingExpressionTests: XCTestCase {
    func rate(_ url: String, method: String = "GET") throws -> [Finding] {
        try analyze(["zone-ratelimit-counting.json"], url, method: method, ip: "192.0.2.1").findings.filter { $0.cause == .rateLimit }
    }

    func testResponseFieldMakesCountingUnknown() throws {
        let f = try XCTUnwrap(try rate("https://example.com/login", method: "POST").first { $0.rule == "failed-logins" })
        XCTAssertTrue(f.summary.contains("counting_expression `http.request.uri.path eq \"/login\" and http.response.code in {401 403}`"), f.summary)
        XCTAssertTrue(f.summary.contains("depends on the response (http.response.code)"), f.summary)
        XCTAssertEqual(f.details?["counted"], .null)
        XCTAssertEqual(f.details?["counting_expression"], .string("http.request.uri.path eq \"/login\" and http.response.code in {401 403}"))
    }

    func testCountedAndNotCounted() throws {
        let get = try XCTUnwrap(try rate("https://example.com/api/items").first { $0.rule == "api-writes" })
        XCTAssertTrue(get.summary.contains("this request is not counted"), get.summary)
        XCTAssertEqual(get.details?["counted"], .bool(false))
        let post = try XCTUnwrap(try rate("https://example.com/api/items", method: "POST").first { $0.rule == "api-writes" })
        XCTAssertTrue(post.summary.contains("this request is counted"), post.summary)
        XCTAssertEqual(post.details?["counted"], .bool(true))
    }

    func testWithoutCountingExpressionTheExpressionCounts() throws {
        let f = try XCTUnwrap(try analyze(["zone-ratelimit.json"], "https://example.com/login", method: "POST", ip: "192.0.2.1").findings.first { $0.cause == .rateLimit })
        XCTAssertTrue(f.summary.contains("counts the requests its expression matches"), f.summary)
    }

    /// Response fields: allowed in a counting_expression, refused in the rule's expression.
    func testResponseFieldsOnlyInTheCountingExpression() throws {
        func rules(_ expr: String, _ counting: String) -> String {
            """
            {"result": {"id": "r", "kind": "zone", "phase": "http_ratelimit", "rules": [{"ref": "x", "action": "block", "expression": \(jsonQuote(expr)),
              "ratelimit": {"characteristics": ["ip.src"], "period": 10, "requests_per_period": 5, "counting_expression": \(jsonQuote(counting))}}]}}
            """
        }
        XCTAssertNoThrow(try CompiledRules.compile(try RulesReader.read(text: rules("http.host eq \"a\"", "http.response.code eq 429"), file: "r.json")))
        XCTAssertThrowsError(try CompiledRules.compile(try RulesReader.read(text: rules("http.response.code eq 429", "http.host eq \"a\""), file: "r.json"))) { e in
            XCTAssertTrue((e as? InputError)?.message.contains("exists only in the response phases") ?? false, "\(e)")
        }
        XCTAssertThrowsError(try CompiledRules.compile(try RulesReader.read(text: rules("http.host eq \"a\"", "http.response.code eq \"429\""), file: "r.json"))) { e in
            let m = (e as? InputError)?.message ?? ""
            XCTAssertTrue(m.contains("at column 23 of its counting_expression"), m)
        }
    }

    func jsonQuote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
