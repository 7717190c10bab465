import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// Properties of the operators over random values (seeded, so a failure reproduces): each operator
/// agrees with a plain reference implementation, `ne` is `not eq`, `not not x` is `x`, De Morgan, the
/// wildcard of a value matches it, Kleene logic with unknowns.
final class OperatorPropertyTests: XCTestCase {
    var rng = SplitMix64(seed: 0xC10DF1A2E)

    func word() -> String {
        let alphabet = Array("abcXYZ/._-*?%09")
        return String((0..<rng.int(8)).map { _ in alphabet[rng.int(alphabet.count)] })
    }

    func lit(_ s: String) -> String { CloudflareAnalyzer.wirefilterString(s) }

    func values(_ ua: String) -> FieldValues {
        RequestFields.make(try! Request(url: "https://example.com/", headers: [(name: "User-Agent", value: ua)], clientIP: "203.0.113.7"),
                           signals: .init())
    }

    func test(_ e: String, _ ua: String) throws -> Bool? {
        Evaluator.evaluate(try CompiledExpression(e).root, values(ua)).truth
    }

    func testStringOperatorsAgreeWithReference() throws {
        for _ in 0..<400 {
            let a = word(), b = word()
            XCTAssertEqual(try test("http.user_agent eq \(lit(b))", a), a == b)
            XCTAssertEqual(try test("http.user_agent ne \(lit(b))", a), a != b)
            XCTAssertEqual(try test("http.user_agent contains \(lit(b))", a), b.isEmpty || a.contains(b))
            XCTAssertEqual(try test("starts_with(http.user_agent, \(lit(b)))", a), a.hasPrefix(b))
            XCTAssertEqual(try test("ends_with(http.user_agent, \(lit(b)))", a), a.hasSuffix(b))
            XCTAssertEqual(try test("http.user_agent lt \(lit(b))", a), Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)))
            XCTAssertEqual(try test("http.user_agent in {\(lit(a)) \(lit(b))}", a), true)
            XCTAssertEqual(try test("len(http.user_agent) eq \(a.utf8.count)", a), true)
            // not not x == x; ne == not eq
            XCTAssertEqual(try test("not not http.user_agent eq \(lit(b))", a), try test("http.user_agent eq \(lit(b))", a))
            XCTAssertEqual(try test("not http.user_agent eq \(lit(b))", a), try test("http.user_agent ne \(lit(b))", a))
        }
    }

    func testWildcardOfAValueMatchesIt() throws {
        for _ in 0..<300 {
            let a = word().replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "\\", with: "")
            // Replace a random run with * : the pattern must match the value.
            var p = Array(a)
            if !p.isEmpty {
                let i = rng.int(p.count), n = rng.int(p.count - i + 1)
                p.replaceSubrange(i..<(i + n), with: ["*"])
            }
            let pattern = String(p)
            XCTAssertEqual(try test("http.user_agent strict wildcard \(lit(pattern))", a), true, "\(pattern) ~ \(a)")
            XCTAssertEqual(try test("http.user_agent wildcard \(lit(pattern.uppercased()))", a), true, "\(pattern) ~ \(a)")
            // Matches the same as the equivalent anchored regex.
            let regex = "^" + pattern.split(separator: "*", omittingEmptySubsequences: false).map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: ".*") + "$"
            let other = word().replacingOccurrences(of: "*", with: "")
            XCTAssertEqual(try test("http.user_agent strict wildcard \(lit(pattern))", other),
                           try test("http.user_agent matches \(lit(regex))", other), "\(pattern) vs \(other)")
        }
    }

    func testIntegerComparisonsAndRanges() throws {
        for _ in 0..<300 {
            let a = rng.int(100), b = rng.int(100), lo = rng.int(50), hi = lo + rng.int(50)
            let v = RequestFields.make(try Request(url: "https://example.com/"), signals: .init(botScore: max(a, 1)))
            let s = max(a, 1)
            func t(_ e: String) throws -> Bool? { Evaluator.evaluate(try CompiledExpression(e).root, v).truth }
            XCTAssertEqual(try t("cf.bot_management.score lt \(b)"), s < b)
            XCTAssertEqual(try t("cf.bot_management.score le \(b)"), s <= b)
            XCTAssertEqual(try t("cf.bot_management.score gt \(b)"), s > b)
            XCTAssertEqual(try t("cf.bot_management.score ge \(b)"), s >= b)
            XCTAssertEqual(try t("cf.bot_management.score in {\(lo)..\(hi)}"), (lo...hi).contains(s))
            // De Morgan
            XCTAssertEqual(try t("not (cf.bot_management.score lt \(b) and cf.bot_management.score gt \(lo))"),
                           try t("not cf.bot_management.score lt \(b) or not cf.bot_management.score gt \(lo)"))
        }
    }

    func testIPNetworksAgreeWithCore() throws {
        for _ in 0..<300 {
            let ip = "\(10 + rng.int(3)).\(rng.int(4)).\(rng.int(256)).\(rng.int(256))"
            let net = "\(10 + rng.int(3)).\(rng.int(4)).0.0/\(8 + rng.int(17))"
            let v = RequestFields.make(try Request(url: "https://example.com/", clientIP: ip), signals: .init())
            let got = Evaluator.evaluate(try CompiledExpression("ip.src in {\(net)}").root, v).truth
            XCTAssertEqual(got, IPNetwork(net)!.contains(IPAddress(ip)!), "\(ip) in \(net)")
        }
    }

    func testKleeneLogicWithUnknown() throws {
        let v = RequestFields.make(try Request(url: "https://example.com/"), signals: .init())
        func t(_ e: String) throws -> Bool? { Evaluator.evaluate(try CompiledExpression(e).root, v).truth }
        let u = "ip.src.country eq \"DE\"" // unknown: no --country
        XCTAssertNil(try t(u))
        XCTAssertNil(try t("not \(u)"))
        XCTAssertEqual(try t("\(u) and not ssl"), false)
        XCTAssertNil(try t("\(u) and ssl"))
        XCTAssertEqual(try t("\(u) or ssl"), true)
        XCTAssertNil(try t("\(u) or not ssl"))
        XCTAssertNil(try t("\(u) xor ssl"))
    }

    func testRegexRejectionIsRustCrateSemantics() {
        XCTAssertNil(CompiledRegex.unsupported("^/api/v[0-9]+/(users|orders)$"))
        XCTAssertNil(CompiledRegex.unsupported("[(?=]"), "inside a class it is literal")
        XCTAssertNil(CompiledRegex.unsupported("\\(?=x"), "an escaped parenthesis")
        XCTAssertNotNil(CompiledRegex.unsupported("a(?=b)"))
        XCTAssertNotNil(CompiledRegex.unsupported("(?<!a)b"))
        XCTAssertNotNil(CompiledRegex.unsupported("(a)\\1"))
        XCTAssertNotNil(CompiledRegex.unsupported("(?>a)"))
        XCTAssertNotNil(CompiledRegex.unsupported("a++"))
        XCTAssertNoThrow(try CompiledRegex("(?P<v>[0-9]+)"), "Rust's named group syntax")
    }
}
