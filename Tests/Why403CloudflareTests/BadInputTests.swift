import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// What Cloudflare's API refuses is bad input: an `InputError` naming the file, the rule's ref and the
/// column (the command exits 2).
final class BadInputTests: XCTestCase {
    func error(_ file: String) -> InputError? {
        do { _ = try analyze([file], "https://www.example.com/"); return nil } catch let e as InputError { return e } catch {
            XCTFail("not an InputError: \(error)"); return nil
        }
    }

    func testUnknownFieldNamesRefAndColumn() throws {
        let e = try XCTUnwrap(error("bad-field.json"))
        XCTAssertTrue(e.file?.hasSuffix("bad-field.json") ?? false)
        XCTAssertTrue(e.message.contains("\"typo-rule\""), e.message)
        XCTAssertTrue(e.message.contains("unknown field \"http.request.uri.pathh\""), e.message)
        XCTAssertTrue(e.message.contains("column 1 of its expression"), e.message)
    }

    func testFunctionNotAllowedInPhase() throws {
        let e = try XCTUnwrap(error("bad-function.json"))
        XCTAssertTrue(e.message.contains("\"to-string-in-custom\""), e.message)
        XCTAssertTrue(e.message.contains("to_string() is not allowed in phase http_request_firewall_custom"), e.message)
        XCTAssertTrue(e.message.contains("column 1"), e.message)
        // The same function is fine in a rewrite expression.
        XCTAssertNil(compileError("to_string(cf.bot_management.score) eq \"1\"", phase: "http_request_transform"))
    }

    func testTypeErrorInHCLHasLineAndColumn() throws {
        let e = try XCTUnwrap(error("bad-type.tf"))
        XCTAssertEqual(e.line, 9)
        XCTAssertEqual(e.column, 17)
        XCTAssertTrue(e.message.contains("\"asn-as-string\""), e.message)
        XCTAssertTrue(e.message.contains("expected an integer after eq"), e.message)
    }

    func testExpressionErrors() {
        let cases: [(String, Int, String)] = [
            ("http.host eq", 13, "expected a string"),
            ("http.host eq \"a\" and", 21, "expected a field"),
            ("(http.host eq \"a\"", 18, "expected )"),
            ("http.host in {\"a\", \"b\"}", 18, "separated by spaces"),
            ("ip.src eq 10.0.0.0/8", 11, "for a network use in"),
            ("http.request.uri.path matches \"(?<=a)b\"", 31, "look-behind"),
            ("http.request.uri.path matches \"(a)\\\\1\"", 31, "backreference"),
            ("http.request.uri.path matches \"foo(?!bar)\"", 31, "look-ahead"),
            ("http.request.headers.names[*] eq \"x\"", 1, "wrap it in any"),
            ("http.host", 1, "expected a Boolean"),
            ("len(http.host)", 1, "expected a Boolean"),
            ("lower(ip.src) eq \"a\"", 7, "must be String"),
            ("http.host contains 5", 20, "expected a string after contains"),
            ("cf.bot_management.score lt \"30\"", 28, "expected an integer"),
            ("frobnicate(http.host)", 1, "unknown function"),
            ("http.host eq \"a\" \"b\"", 18, "expected an operator"),
            ("http.host eq \"unterminated", 14, "unterminated string"),
            ("http.host eq \"bad \\q escape\"", 19, "invalid escape"),
            ("ip.src.asnum in {5..1}", 18, "a <= b"),
            ("http.request.uri.path wildcard \"a\\\\b\"", 32, "escapes only"),
            ("regex_replace(http.host, \"a\", \"b\") eq \"x\"", 1, "not allowed in phase"),
            ("http.host eq \"a\" @", 18, "unexpected character"),
        ]
        for (expr, col, text) in cases {
            guard let e = compileError(expr) else { XCTFail("accepted: \(expr)"); continue }
            XCTAssertEqual(e.column, col, "\(expr): \(e)")
            XCTAssertTrue(e.message.contains(text), "\(expr): \(e.message)")
        }
    }

    func testMalformedFiles() {
        let cases: [(String, String)] = [
            ("{\"result\": {\"phase\": \"http_request_firewall_custom\", \"rules\": [", "malformed JSON"),
            ("{\"rules\": [{\"expression\": \"true\", \"action\": \"block\"}]}", "expected the ruleset's phase"),
            ("{\"phase\": \"http_request_firewall_custom\", \"rules\": [{\"action\": \"block\"}]}", "expected the rule's expression"),
            ("{\"phase\": \"http_request_firewall_custom\", \"rules\": [{\"expression\": \"true\"}]}", "expected the rule's action"),
            ("{\"something\": 1}", "expected a ruleset"),
            ("resource \"cloudflare_ruleset\" \"x\" {\n  phase = \"http_request_firewall_custom\"\n  rules {\n", "expected } to close"),
            ("resource \"cloudflare_ruleset\" \"x\" {\n  expression = \"abc\n}\n", "unterminated string"),
            ("resource \"cloudflare_ruleset\" \"x\" {\n  expression = <<EOT\nabc\n}\n", "unterminated heredoc"),
            ("variable \"zone_id\" {}\n", "expected resource \"cloudflare_ruleset\" blocks"),
            ("resource \"cloudflare_ruleset\" \"x\" {\n  = 5\n}\n", "expected an attribute or a block"),
        ]
        for (text, want) in cases {
            do {
                _ = try RulesReader.read(text: text, file: "t.json")
                XCTFail("accepted: \(text)")
            } catch let e as InputError {
                XCTAssertTrue(e.message.contains(want), "\(text): \(e)")
                XCTAssertEqual(e.file, "t.json")
            } catch {
                XCTFail("\(text): \(error)")
            }
        }
    }
}
