import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// Expressions from Cloudflare's documentation, each test citing its page, evaluated against requests
/// the page describes (a match and a miss). Where a page leaves a behaviour open the test says so and
/// takes the safe reading.
final class DocumentationCaseTests: XCTestCase {
    /// https://developers.cloudflare.com/ruleset-engine/rules-language/operators/
    func testComparisonOperatorsPage() throws {
        XCTAssertEqual(try eval("http.request.uri.path eq \"/articles/2008/\"", "https://example.com/articles/2008/"), true)
        XCTAssertEqual(try eval("http.request.uri.path == \"/articles/2008/\"", "https://example.com/articles/2009/"), false)
        XCTAssertEqual(try eval("ip.src.country ne \"GB\"", signals: .init(country: "PT")), true)
        XCTAssertEqual(try eval("cf.threat_score lt 10"), true) // 0 unless given
        XCTAssertEqual(try eval("cf.threat_score le 20", signals: .init(threatScore: 20)), true)
        XCTAssertEqual(try eval("cf.threat_score gt 25", signals: .init(threatScore: 25)), false)
        XCTAssertEqual(try eval("cf.threat_score >= 60", signals: .init(threatScore: 60)), true)
        XCTAssertEqual(try eval("http.user_agent contains \"Mozilla\"", headers: [("User-Agent", "Mozilla/5.0")]), true)
        XCTAssertEqual(try eval("http.request.uri.path matches \"^/articles/200[7-8]/$\"", "https://example.com/articles/2008/"), true)
        XCTAssertEqual(try eval("http.request.uri.path ~ \"^/articles/200[7-8]/$\"", "https://example.com/articles/2009/"), false)
        XCTAssertEqual(try eval("http.request.full_uri wildcard \"https://example.com/a/*\"", "https://EXAMPLE.com/A/b"), true)
        XCTAssertEqual(try eval("http.request.full_uri strict wildcard \"https://example.com/a/*\"", "https://example.com/A/b"), false)
        XCTAssertEqual(try eval("http.request.method in {\"HEAD\" \"GET\"}", method: "HEAD"), true)
        XCTAssertEqual(try eval("ip.src in {203.0.113.0/24 2001:db8::/32}", ip: "203.0.113.99"), true)
        XCTAssertEqual(try eval("ip.src in {203.0.113.0/24 2001:db8::/32}", ip: "2001:db8::1"), true)
        XCTAssertEqual(try eval("ip.src in {203.0.113.0/24 2001:db8::/32}", ip: "198.51.100.1"), false)
        XCTAssertEqual(try eval("cf.edge.server_port in {80 443 8000..8009}", "http://example.com:8005/"), true)
        XCTAssertEqual(try eval("cf.edge.server_port in {80 443 8000..8009}", "http://example.com:8010/"), false)
    }

    /// https://developers.cloudflare.com/ruleset-engine/rules-language/operators/ (logical operators,
    /// precedence not > and > xor > or, symbol forms).
    func testLogicalOperatorsAndPrecedence() throws {
        XCTAssertEqual(try eval("not ssl", "http://example.com/"), true)
        XCTAssertEqual(try eval("!ssl", "https://example.com/"), false)
        // or binds weaker than and: true or (false and false)
        XCTAssertEqual(try eval("ssl or http.host eq \"x\" and http.host eq \"y\"", "https://example.com/"), true)
        // xor between and and or: (ssl xor ssl) or ssl
        XCTAssertEqual(try eval("ssl xor ssl or ssl", "https://example.com/"), true)
        XCTAssertEqual(try eval("ssl ^^ ssl", "https://example.com/"), false)
        XCTAssertEqual(try eval("ssl && not ssl || ssl", "https://example.com/"), true)
        XCTAssertEqual(try eval("(http.host eq \"example.com\" or http.host eq \"www.example.com\") and not ssl", "http://www.example.com/"), true)
    }

    /// https://developers.cloudflare.com/ruleset-engine/rules-language/values/ (raw strings, escapes)
    func testStringValues() throws {
        XCTAssertEqual(try eval("http.request.uri.path matches r\"^/a\\.b$\"", "https://example.com/a.b"), true)
        XCTAssertEqual(try eval("http.request.uri.path matches r\"^/a\\.b$\"", "https://example.com/aXb"), false)
        XCTAssertEqual(try eval("http.user_agent eq r#\"say \"hi\"\"#", headers: [("User-Agent", "say \"hi\"")]), true)
        XCTAssertEqual(try eval("http.user_agent eq \"say \\\"hi\\\"\"", headers: [("User-Agent", "say \"hi\"")]), true)
        XCTAssertEqual(try eval("http.host eq \"\\x65xample.com\"", "https://example.com/"), true)
    }

    /// https://developers.cloudflare.com/ruleset-engine/rules-language/functions/
    func testFunctionsPage() throws {
        XCTAssertEqual(try eval("any(http.request.headers[\"content-type\"][*] == \"application/json\")",
                                headers: [("Content-Type", "text/plain"), ("Content-Type", "application/json")]), true)
        XCTAssertEqual(try eval("all(http.request.headers[\"content-type\"][*] == \"application/json\")",
                                headers: [("Content-Type", "text/plain"), ("Content-Type", "application/json")]), false)
        XCTAssertEqual(try eval("lower(http.host) == \"www.cloudflare.com\"", "https://WWW.Cloudflare.com/"), true)
        XCTAssertEqual(try eval("upper(http.request.method) eq \"POST\"", method: "post"), true)
        XCTAssertEqual(try eval("len(http.host) eq 11", "https://example.com/"), true)
        XCTAssertEqual(try eval("starts_with(http.request.uri.path, \"/blog\")", "https://example.com/blog/first-post"), true)
        XCTAssertEqual(try eval("ends_with(http.request.uri.path, \".html\")", "https://example.com/a/index.html"), true)
        XCTAssertEqual(try eval("ends_with(http.request.uri.path, \".html\")", "https://example.com/a/index.htm"), false)
        XCTAssertEqual(try eval("url_decode(http.request.uri.query) contains \"<script\"", "https://example.com/?q=%3Cscript%3E"), true)
        XCTAssertEqual(try eval("url_decode(http.request.uri.query, \"r\") contains \"<script\"", "https://example.com/?q=%253Cscript"), true)
        XCTAssertEqual(try eval("url_decode(http.request.uri.query) contains \"<script\"", "https://example.com/?q=%253Cscript"), false)
        XCTAssertEqual(try eval("any(url_decode(http.request.uri.args.values[*])[*] contains \"an xss attack\")",
                                "https://example.com/?a=1&b=an%20xss%20attack"), true)
        XCTAssertEqual(try eval("remove_bytes(http.host, \"\\x2e\\x77\") == \"cloudflarecom\"", "https://www.cloudflare.com/"), true)
        XCTAssertEqual(try eval("concat(\"/\", http.host, \"/x\") eq \"/example.com/x\"", "https://example.com/"), true)
        // URI arguments are not decoded (fields reference): url_decode() first.
        XCTAssertEqual(try eval("lookup_json_string(url_decode(http.request.uri.args[\"o\"][0]), \"company\", \"name\") == \"Cloudflare\"",
                                "https://example.com/?o=%7B%22company%22%3A%7B%22name%22%3A%22Cloudflare%22%7D%7D"), true)
        XCTAssertEqual(try eval("lookup_json_integer(url_decode(http.request.uri.args[\"o\"][0]), \"ids\", 1) == 42",
                                "https://example.com/?o=%7B%22ids%22%3A%5B7%2C42%5D%7D"), true)
        XCTAssertEqual(try eval("cidr(ip.src, 24, 24) eq 113.10.0.0", ip: "113.10.0.2"), true)
        // Rewrite-only functions, in a transform phase:
        XCTAssertEqual(try eval("regex_replace(http.request.uri.path, \"/bar$\", \"/baz\") == \"/foo/baz\"", "https://example.com/foo/bar",
                                phase: "http_request_transform"), true)
        XCTAssertEqual(try eval("wildcard_replace(http.request.full_uri, \"https://*.example.com/*/*.png\", \"https://example.com/${1}/${2}/${3}.png\") eq \"https://example.com/images/nature/flower.png\"",
                                "https://images.example.com/nature/flower.png", phase: "http_request_transform"), true)
        XCTAssertEqual(try eval("to_string(cf.bot_management.score) eq \"5\"", signals: .init(botScore: 5), phase: "http_request_transform"), true)
    }

    /// https://developers.cloudflare.com/waf/custom-rules/use-cases/block-by-geographical-location/
    func testBlockByCountry() throws {
        let e = "(ip.src.country in {\"HK\" \"PH\"})"
        XCTAssertEqual(try eval(e, signals: .init(country: "HK")), true)
        XCTAssertEqual(try eval(e, signals: .init(country: "PT")), false)
        XCTAssertNil(try eval(e), "no --country: unknown, never silently false")
        XCTAssertEqual(try eval("not ip.src.country in {\"HK\" \"PH\"}", signals: .init(country: "PT")), true)
    }

    /// https://developers.cloudflare.com/waf/custom-rules/use-cases/require-known-ip-addresses-in-site-admin-area/
    func testKnownAddressesInAdminArea() throws {
        let e = "(http.request.uri.path contains \"/wp-admin/\" and not ip.src in {10.20.30.40 192.168.1.0/24})"
        XCTAssertEqual(try eval(e, "https://example.com/wp-admin/index.php", ip: "203.0.113.7"), true)
        XCTAssertEqual(try eval(e, "https://example.com/wp-admin/index.php", ip: "192.168.1.77"), false)
        XCTAssertEqual(try eval(e, "https://example.com/wp-admin/index.php", ip: "10.20.30.40"), false)
        XCTAssertNil(try eval(e, "https://example.com/wp-admin/", ip: nil), "no --client-ip: unknown")
        XCTAssertEqual(try eval(e, "https://example.com/shop", ip: nil), false, "the path alone decides: false whatever the address")
    }

    /// https://developers.cloudflare.com/waf/custom-rules/use-cases/block-by-user-agent/ (reproduced with
    /// the page's form: a User-Agent substring).
    func testBlockByUserAgent() throws {
        let e = "(http.user_agent contains \"BadBot\")"
        XCTAssertEqual(try eval(e, headers: [("User-Agent", "Mozilla/5.0 (compatible; BadBot/1.0)")]), true)
        XCTAssertEqual(try eval(e, headers: [("User-Agent", "Mozilla/5.0")]), false)
        XCTAssertEqual(try eval(e), false, "no User-Agent: an empty string, so false")
    }

    /// https://developers.cloudflare.com/waf/custom-rules/use-cases/challenge-bad-bots/
    func testChallengeBadBots() throws {
        let e = "(cf.bot_management.score lt 30 and not cf.bot_management.verified_bot)"
        XCTAssertEqual(try eval(e, signals: .init(botScore: 2, verifiedBot: false)), true)
        XCTAssertEqual(try eval(e, signals: .init(botScore: 2, verifiedBot: true)), false)
        XCTAssertEqual(try eval(e, signals: .init(botScore: 80)), false, "a high score decides whatever the bot flag")
        XCTAssertNil(try eval(e, signals: .init(botScore: 2)), "verified bot not stated: unknown")
    }

    /// https://developers.cloudflare.com/waf/custom-rules/use-cases/allow-traffic-from-ips-in-allowlist/
    /// (an IP list): the list's contents are unknown unless given, so the rule is possible.
    func testListsAreUnknownUnlessGiven() throws {
        let e = "(http.host in {\"example.com\" \"shop.example.com\"} and not ip.src in $allowed_ips)"
        XCTAssertNil(try eval(e, "https://shop.example.com/"))
        let c = try CompiledExpression(e)
        let req = try Request(url: "https://shop.example.com/", clientIP: "198.51.100.3")
        let lists = ["allowed_ips": SetMatcherBox(items: ["198.51.100.0/24"])]
        XCTAssertEqual(Evaluator.evaluate(c.root, RequestFields.make(req, signals: .init(), lists: lists)).truth, false)
        let out = try Request(url: "https://shop.example.com/", clientIP: "203.0.113.3")
        XCTAssertEqual(Evaluator.evaluate(c.root, RequestFields.make(out, signals: .init(), lists: lists)).truth, true)
    }

    /// https://developers.cloudflare.com/ruleset-engine/rules-language/fields/reference/ (headers map:
    /// names lower-case; an absent header indexed is missing, so comparisons on it are false).
    func testHeadersArgsCookies() throws {
        XCTAssertEqual(try eval("http.request.headers[\"x-api-key\"][0] eq \"k1\"", headers: [("X-API-Key", "k1")]), true)
        XCTAssertEqual(try eval("http.request.headers[\"x-api-key\"][0] eq \"k1\""), false)
        XCTAssertEqual(try eval("not http.request.headers[\"x-api-key\"][0] eq \"k1\""), true)
        XCTAssertEqual(try eval("any(http.request.headers.names[*] == \"x-debug\")", headers: [("X-Debug", "1")]), true)
        XCTAssertEqual(try eval("http.request.uri.args[\"id\"][1] eq \"2\"", "https://example.com/?id=1&id=2"), true)
        XCTAssertEqual(try eval("http.request.cookies[\"session\"][0] eq \"abc\"", headers: [("Cookie", "theme=dark; session=abc")]), true)
        XCTAssertEqual(try eval("http.request.uri.path.extension eq \"php\"", "https://example.com/x/INDEX.PHP"), true)
        XCTAssertEqual(try eval("http.request.uri.query eq \"a=1\"", "https://example.com/p?a=1"), true)
        XCTAssertEqual(try eval("http.request.full_uri eq \"https://example.com:8443/p?a=1\"", "https://example.com:8443/p?a=1"), true)
        XCTAssertEqual(try eval("ssl and cf.edge.server_port eq 443", "https://example.com/"), true)
        XCTAssertEqual(try eval("len(http.request.headers[\"accept\"]) eq 2", headers: [("Accept", "a"), ("Accept", "b")]), true)
        // Only available in Transform Rules (fields reference).
        XCTAssertEqual(try eval("any(http.request.accepted_languages[*] == \"fr-CH\")", headers: [("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8")],
                                phase: "http_request_transform"), true)
    }

    /// https://developers.cloudflare.com/ruleset-engine/rules-language/expressions/ : `true` matches every
    /// request (what managed ruleset deployments use).
    func testTrueMatchesEverything() throws {
        XCTAssertEqual(try eval("true"), true)
        XCTAssertEqual(try eval("not false"), true)
    }
}
