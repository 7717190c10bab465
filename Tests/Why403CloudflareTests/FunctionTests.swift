import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// One test per function of https://developers.cloudflare.com/ruleset-engine/rules-language/functions/
/// (and the changelog entries that added split, join, has_key, has_value (2026-01-20) and
/// encode_base64, sha256 (2026-01-22)), with the page's own examples; and the phases the page allows
/// each in ("You can only use ... in ...": refused elsewhere with the column).
final class FunctionTests: XCTestCase {
    let transform = "http_request_transform"

    func testAnyAll() throws {
        XCTAssertEqual(try eval("any(url_decode(http.request.body.form.values[*])[*] contains \"an xss attack\")",
                                method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "a=1&b=an+xss+attack"), true)
        XCTAssertEqual(try eval("all(http.request.headers[\"content-type\"][*] == \"application/json\")",
                                headers: [("Content-Type", "application/json")]), true)
    }

    func testCidr() throws {
        XCTAssertEqual(try eval("cidr(ip.src, 24, 24) eq 113.10.0.0", ip: "113.10.0.2"), true)
        XCTAssertEqual(try eval("cidr(ip.src, 24, 24) eq 2001::", ip: "2001:0000:130F:0000:0000:09C0:876A:130B"), true)
        // "You can only use the cidr() function in custom rules and rate limiting rules."
        XCTAssertNil(compileError("cidr(ip.src, 24, 24) eq 113.10.0.0", phase: "http_ratelimit"))
        let e = try XCTUnwrap(compileError("http.host eq \"a\" and cidr(ip.src, 24, 24) eq 113.10.0.0", phase: "http_request_firewall_managed"))
        XCTAssertEqual(e.column, 22)
        XCTAssertTrue(e.message.contains("cidr() is not allowed in phase http_request_firewall_managed"), e.message)
    }

    func testCidr6() throws {
        XCTAssertEqual(try eval("cidr6(ip.src, 24) eq 2001::", ip: "2001:0000:130F:0000:0000:09C0:876A:130B"), true)
        XCTAssertEqual(try eval("cidr6(ip.src, 24) eq 113.10.0.2", ip: "113.10.0.2"), true, "IPv4 unchanged")
        XCTAssertNotNil(compileError("cidr6(ip.src, 24) eq 2001::", phase: transform))
    }

    func testConcat() throws {
        XCTAssertEqual(try eval("concat(\"String1\", \" \", \"String\", 2) eq \"String1 String2\""), true)
        // accepted_languages[0] missing: handled as an empty string (fields reference, example 2).
        XCTAssertEqual(try eval("concat(\"/\", http.request.accepted_languages[0], http.request.uri.path) eq \"//my-path\"",
                                "https://www.example.com/my-path", phase: transform), true)
    }

    func testDecodeBase64() throws {
        XCTAssertEqual(try eval("(any(decode_base64(http.request.headers[\"client_id\"][*])[*] eq \"123abc\"))",
                                headers: [("client_id", "MTIzYWJj")]), true)
        // Header modification rules, custom rules and rate limiting rules only.
        XCTAssertNil(compileError("decode_base64(http.host) eq \"a\"", phase: "http_request_late_transform"))
        XCTAssertNotNil(compileError("decode_base64(http.host) eq \"a\"", phase: "http_request_firewall_managed"))
    }

    func testEndsWithStartsWith() throws {
        XCTAssertEqual(try eval("ends_with(http.request.uri.path, \".html\")", "https://example.com/welcome.html"), true)
        XCTAssertEqual(try eval("starts_with(http.request.uri.path, \"/blog\")", "https://example.com/blog/first-post"), true)
    }

    func testLen() throws {
        XCTAssertEqual(try eval("len(http.host) eq 11", "https://example.com/"), true)
    }

    func testLookupJSONInteger() throws {
        XCTAssertEqual(try eval("lookup_json_integer(http.request.body.raw, \"version\") eq 2", body: "{ \"record_id\": \"aed53a\", \"version\": 2 }"), true)
        XCTAssertEqual(try eval("lookup_json_integer(http.request.body.raw, \"product\", \"id\") eq 356", body: "{ \"product\": { \"id\": 356 } }"), true)
        XCTAssertEqual(try eval("lookup_json_integer(http.request.body.raw, 1) eq -234", body: "[\"first_item\", -234]"), true)
        XCTAssertEqual(try eval("lookup_json_integer(http.request.body.raw, \"network_ids\", 0) eq 123", body: "{ \"network_ids\": [123, 456] }"), true)
        XCTAssertEqual(try eval("lookup_json_integer(http.request.body.raw, 1, \"product_id\") eq 456", body: "[{ \"product_id\": 123 }, { \"product_id\": 456 }]"), true)
        // "it will not work for floating numbers with a zero decimal part such as 42.0": no value.
        XCTAssertEqual(try eval("lookup_json_integer(http.request.body.raw, \"v\") eq 42", body: "{\"v\": 42.0}"), false)
    }

    func testLookupJSONString() throws {
        XCTAssertEqual(try eval("lookup_json_string(http.request.body.raw, \"company\") == \"cloudflare\"", body: "{ \"company\": \"cloudflare\", \"product\": \"rulesets\" }"), true)
        XCTAssertEqual(try eval("lookup_json_string(http.request.body.raw, \"network\", \"name\") == \"cloudflare\"", body: "{ \"network\": { \"name\": \"cloudflare\" } }"), true)
        XCTAssertEqual(try eval("lookup_json_string(http.request.body.raw, 1) == \"cloudflare\"", body: "[\"other_company\", \"cloudflare\"]"), true)
        XCTAssertEqual(try eval("lookup_json_string(http.request.body.raw, \"networks\", 1) == \"cloudflare\"", body: "{ \"networks\": [\"other_company\", \"cloudflare\"] }"), true)
        XCTAssertEqual(try eval("lookup_json_string(http.request.body.raw, 1, \"network\") == \"cloudflare\"", body: "[{ \"network\": \"other_company\" }, { \"network\": \"cloudflare\" }]"), true)
    }

    func testLowerUpper() throws {
        XCTAssertEqual(try eval("lower(http.host) == \"www.cloudflare.com\"", "https://WWW.cloudflare.com/"), true)
        XCTAssertEqual(try eval("upper(http.host) == \"WWW.CLOUDFLARE.COM\"", "https://www.cloudflare.com/"), true)
    }

    func testRegexReplace() throws {
        XCTAssertEqual(try eval("regex_replace(\"/foo/bar\", \"/bar$\", \"/baz\") == \"/foo/baz\"", phase: transform), true)
        XCTAssertEqual(try eval("regex_replace(\"/x\", \"^/y$\", \"/mumble\") == \"/x\"", phase: transform), true)
        XCTAssertEqual(try eval("regex_replace(\"/foo\", \"^/FOO$\", \"/x\") == \"/foo\"", phase: transform), true)
        XCTAssertEqual(try eval("regex_replace(\"/a/a\", \"/a\", \"/b\") == \"/b/a\"", phase: transform), true)
        XCTAssertEqual(try eval("regex_replace(\"/b\", \"^/b$\", \"/b$$\") == \"/b$\"", phase: transform), true)
        // The page prints "/bar/path/a/" for this one; the groups give "/bar/path/a" (a typo on the page).
        XCTAssertEqual(try eval("regex_replace(\"/foo/a/path\", \"^/foo/([^/]*)/(.*)$\", \"/bar/${2}/${1}\") == \"/bar/path/a\"", phase: transform), true)
        XCTAssertTrue(compileError("regex_replace(http.host, \"a\", \"b\") eq \"x\"")?.message.contains("regex_replace() is not allowed in phase http_request_firewall_custom") ?? false)
    }

    func testRemoveBytes() throws {
        XCTAssertEqual(try eval("remove_bytes(http.host, \"\\x2e\\x77\") == \"cloudflarecom\"", "https://www.cloudflare.com/"), true)
    }

    func testSubstring() throws {
        let b = "asdfghjk"
        XCTAssertEqual(try eval("substring(http.request.body.raw, 2, 5) eq \"dfg\"", body: b), true)
        XCTAssertEqual(try eval("substring(http.request.body.raw, 2) eq \"dfghjk\"", body: b), true)
        XCTAssertEqual(try eval("substring(http.request.body.raw, -2) eq \"jk\"", body: b), true)
        XCTAssertEqual(try eval("substring(http.request.body.raw, 0, -2) eq \"asdfgh\"", body: b), true)
    }

    func testToString() throws {
        XCTAssertEqual(try eval("to_string(cf.bot_management.score) eq \"5\"", signals: .init(botScore: 5), phase: transform), true)
        XCTAssertEqual(try eval("to_string(ssl) eq \"true\"", phase: transform), true)
    }

    func testURLDecode() throws {
        XCTAssertEqual(try eval("url_decode(\"John%20Doe\") eq \"John Doe\""), true)
        XCTAssertEqual(try eval("url_decode(\"John+Doe\") eq \"John Doe\""), true)
        XCTAssertEqual(try eval("url_decode(\"%2520\") eq \"%20\""), true)
        XCTAssertEqual(try eval("url_decode(\"%2520\", \"r\") eq \" \""), true)
        // u: Unicode percent decoding, "%u2601" is the cloud (3 bytes of UTF-8).
        XCTAssertEqual(try eval("url_decode(\"%u2601\", \"u\") eq \"\u{2601}\""), true)
        XCTAssertEqual(try eval("len(url_decode(\"%u2601\", \"u\")) eq 3"), true)
        XCTAssertEqual(try eval("url_decode(http.request.uri.path) matches \"(?u)\\\\p{Hangul}+\"", "https://example.com/%ED%95%9C"), true)
    }

    func testUUIDv4() throws {
        // Rewrite expressions of Transform Rules only; random, so unknown.
        XCTAssertNil(try eval("uuidv4(cf.random_seed) eq \"49887398-6bcf-485f-8899-f15dbef4d1d5\"", phase: transform))
        XCTAssertTrue(compileError("uuidv4(cf.random_seed) eq \"x\"")?.message.contains("rewrite expressions of Transform Rules") ?? false)
    }

    func testWildcardReplace() throws {
        XCTAssertEqual(try eval("wildcard_replace(http.request.full_uri, \"https://*.example.com/*/*\", \"https://example.com/${1}/${2}/${3}\") eq \"https://example.com/apps/calendar/admin?expand=true\"",
                                "https://apps.example.com/calendar/admin?expand=true", phase: transform), true)
        XCTAssertEqual(try eval("wildcard_replace(http.request.full_uri, \"/applications/*\", \"/apps/${1}\") eq \"https://example.com/applications/app1\"",
                                "https://example.com/applications/app1", phase: transform), true)
        XCTAssertEqual(try eval("wildcard_replace(http.request.uri.path, \"/*\", \"/apps/${1}\") eq \"/apps/calendar\"", "https://example.com/calendar", phase: transform), true)
        XCTAssertEqual(try eval("wildcard_replace(http.request.uri.path, \"/apps/*\", \"/${1}\") eq \"/calendar\"", "https://example.com/Apps/calendar", phase: transform), true)
        XCTAssertEqual(try eval("wildcard_replace(http.request.uri.path, \"/apps/*\", \"/${1}\", \"s\") eq \"/Apps/calendar\"", "https://example.com/Apps/calendar", phase: transform), true)
        XCTAssertEqual(try eval("wildcard_replace(http.request.uri.path, \"/apps/*/login\", \"/${1}/login\") eq \"/calendar/login\"", "https://example.com/apps/calendar/login", phase: transform), true)
        // URL rewrites and dynamic redirects only: not the late (header) transform phase.
        XCTAssertNotNil(compileError("wildcard_replace(http.request.uri.path, \"/*\", \"/${1}\") eq \"x\"", phase: "http_request_late_transform"))
    }

    /// Magic Firewall only: refused in every HTTP phase.
    func testBitSlice() throws {
        for phase in ["http_request_firewall_custom", "http_request_transform", "http_ratelimit"] {
            let e = try XCTUnwrap(compileError("bit_slice(\"udp\", 64, 72) eq 1", phase: phase))
            XCTAssertTrue(e.message.contains("Magic Firewall"), e.message)
            XCTAssertEqual(e.column, 1)
        }
    }

    /// HMAC validation: the page's example. A request without a well-formed token cannot be valid; with
    /// one, validity depends on Cloudflare's clock: unknown.
    func testIsTimedHMACValid() throws {
        let e = "http.host == \"downloads.example.com\" and not is_timed_hmac_valid_v0(\"mysecretkey\", http.request.uri, 100000, http.request.timestamp.sec, 8)"
        XCTAssertEqual(try eval(e, "https://downloads.example.com/download/cat.jpg"), true)
        XCTAssertNil(try eval(e, "https://downloads.example.com/download/cat.jpg?verify=1484063787-IaLGSmELTvlhfd0ItdN6PhhHTFhzx73EX8uy%2FcSDiIU%3D"))
        XCTAssertNoThrow(try CompiledExpression("is_timed_hmac_valid_v0(\"mysecretkey\", concat(http.request.uri, http.request.headers[\"timestamp\"][0], \"-\", http.request.headers[\"mac\"][0]), 100000, http.request.timestamp.sec, 0)"))
        XCTAssertNotNil(compileError("is_timed_hmac_valid_v0(http.host, http.request.uri, 100000, http.request.timestamp.sec)"), "the key must be a literal")
    }

    /// Changelog 2026-01-22: encode_base64(input, flags) and sha256(input).
    func testEncodeBase64AndSHA256() throws {
        XCTAssertEqual(try eval("encode_base64(\"hello world\") eq \"aGVsbG8gd29ybGQ\""), true)
        XCTAssertEqual(try eval("encode_base64(\"hello world\", \"p\") eq \"aGVsbG8gd29ybGQ=\""), true)
        XCTAssertEqual(try eval("encode_base64(\"hello world\", \"u\") eq \"aGVsbG8gd29ybGQ\""), true)
        XCTAssertEqual(try eval("encode_base64(http.request.headers[\"x\"][0], \"u\") eq \"Pz8_\"", headers: [("X", "???")]), true)
        XCTAssertNil(try eval("encode_base64(sha256(\"my-token\")) eq \"x\""), "no digest is computed offline: unknown")
    }

    /// Changelog 2026-01-20: split, join, has_key, has_value, with its examples (the first one reads a
    /// request header here: response headers exist only in response phases).
    func testSplitJoinHasKeyHasValue() throws {
        let e = "has_value(split(http.request.headers[\"x-allow-country\"][0], \",\"), ip.src.country)"
        XCTAssertEqual(try eval(e, headers: [("X-Allow-Country", "DE,FR")], signals: .init(country: "FR")), true)
        XCTAssertEqual(try eval(e, headers: [("X-Allow-Country", "DE,FR")], signals: .init(country: "GB")), false)
        XCTAssertNil(try eval(e, headers: [("X-Allow-Country", "DE,FR")]), "no --country: unknown")
        XCTAssertEqual(try eval("has_key(http.request.headers, \"x-custom-header\")", headers: [("X-Custom-Header", "1")]), true)
        XCTAssertEqual(try eval("has_key(http.request.headers, \"x-custom-header\")"), false)
        XCTAssertEqual(try eval("join(http.request.headers.names, \", \") eq \"host, x-a\"", headers: [("Host", "example.com"), ("X-A", "1")]), true)
        XCTAssertEqual(try eval("len(split(http.request.uri.path, \"/\")) eq 3", "https://example.com/a/b"), true)
        XCTAssertNotNil(compileError("has_key(http.host, \"a\")"))
        XCTAssertNotNil(compileError("has_value(split(http.host, \".\"), 5)"))
    }

    /// remove_query_args(field, names...): not on the stored copy of Cloudflare's functions page; the
    /// examples are those of the function's documentation in the Wirefilter docs.
    func testRemoveQueryArgs() throws {
        let u = "https://example.com/?order=asc&country=GB"
        XCTAssertEqual(try eval("remove_query_args(http.request.uri.query, \"country\") eq \"order=asc\"", u), true)
        XCTAssertEqual(try eval("remove_query_args(http.request.uri.query, \"order\") eq \"country=GB\"", u), true)
        XCTAssertEqual(try eval("remove_query_args(http.request.uri.query, \"search\") eq \"order=asc&country=GB\"", u), true)
        let v = "https://example.com/?category=Foo&order=desc&category=Bar"
        XCTAssertEqual(try eval("remove_query_args(http.request.uri.query, \"order\") eq \"category=Foo&category=Bar\"", v), true)
        XCTAssertEqual(try eval("remove_query_args(http.request.uri.query, \"category\") eq \"order=desc\"", v), true)
    }

    /// Every function of the enum is exercised by this file or DocumentationCaseTests.
    func testEveryFunctionIsKnown() {
        XCTAssertEqual(Set(Function.allCases.map(\.rawValue)), [
            "any", "all", "concat", "len", "lower", "upper", "starts_with", "ends_with", "url_decode", "remove_bytes",
            "lookup_json_string", "lookup_json_integer", "regex_replace", "wildcard_replace", "to_string", "decode_base64",
            "cidr", "cidr6", "encode_base64", "sha256", "split", "join", "has_key", "has_value", "substring",
            "remove_query_args", "uuidv4", "bit_slice", "is_timed_hmac_valid_v0"])
    }
}
