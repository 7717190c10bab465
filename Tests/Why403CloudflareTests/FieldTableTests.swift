import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// The field table against Cloudflare's fields data (cloudflare-docs `src/content/fields/index.yaml`,
/// rendered at https://developers.cloudflare.com/ruleset-engine/rules-language/fields/reference/).
final class FieldTableTests: XCTestCase {
    /// A comparison that type-checks for a field of type `t` (named `n`).
    func sample(_ n: String, _ t: ValueType) -> String {
        switch t {
        case .bool: return n
        case .int: return "\(n) eq 1"
        case .string: return "\(n) eq \"x\""
        case .ip: return "\(n) eq 192.0.2.1"
        case .array(.array(let e)): return "any(\(n)[*][0] \(e == .int ? "eq 1" : "eq \"x\""))"
        case .array(let e), .map(.array(let e)):
            let ix = t == .array(e) ? "" : "[\"k\"]"
            return "any(\(n)\(ix)[*] \(e == .int ? "eq 1" : "eq \"x\""))"
        case .map(let e): return "\(n)[\"k\"] \(e == .int ? "eq 1" : "eq \"x\"")"
        }
    }

    /// Every field of the table parses and type-checks in a phase where Cloudflare offers it, and a rule
    /// reading one outside those phases is refused naming the phases it belongs to.
    func testEveryFieldParsesAndTypeChecks() throws {
        XCTAssertGreaterThan(Fields.list.count, 180)
        XCTAssertEqual(Fields.all.count, Fields.list.count, "no field twice")
        let req = try Request(url: "https://www.example.com/a?b=c", clientIP: "203.0.113.7")
        let values = RequestFields.make(req, signals: .init())
        for f in Fields.list {
            let e = sample(f.name, f.type)
            switch f.availability {
            case .everywhere:
                let c = try CompiledExpression(e, phase: "http_request_firewall_custom")
                let v = Evaluator.evaluate(c.root, values)
                if case .cloudflare = f.source { XCTAssertEqual(v, .unknown, "\(f.name) is computed by Cloudflare: unknown") }
            case .only(let phases, let what):
                XCTAssertNoThrow(try CompiledExpression(e, phase: phases.sorted()[0]), f.name)
                let err = compileError(e, phase: "http_request_firewall_custom")
                XCTAssertEqual(err?.message, "the field \(f.name) exists only in \(what), not in phase http_request_firewall_custom", f.name)
            }
        }
    }

    /// Fields cited from the yaml, with its own example blocks and types.
    func testFieldsCitedFromTheFieldsData() throws {
        // cf.bot_management.detection_ids: Array<Number>, example_block any(... eq 33554817): computed.
        XCTAssertNil(try eval("any(cf.bot_management.detection_ids[*] eq 33554817)"))
        // cf.llm.prompt.custom_topic_categories: Map<Number>.
        XCTAssertNil(try eval("(cf.llm.prompt.custom_topic_categories[\"competitors\"] lt 30)"))
        XCTAssertEqual(Fields.all["cf.llm.prompt.custom_topic_categories"]?.type, .map(.int))
        // http.request.jwt.claims.aud: Map<Array<String>> (API Shield, computed).
        XCTAssertEqual(Fields.all["http.request.jwt.claims.iat.sec"]?.type, .map(.array(.int)))
        XCTAssertNil(try eval("any(http.request.jwt.claims.aud[\"cfg\"][*] eq \"api\")"))
        // cf.verified_bot_category and cf.api_gateway.*: computed, signal bot for the first.
        XCTAssertEqual(Fields.all["cf.verified_bot_category"]?.signal, .bot)
        XCTAssertNil(try eval("cf.api_gateway.request_violates_schema"))
        // cf.random_seed: Bytes (our String).
        XCTAssertEqual(Fields.all["cf.random_seed"]?.type, .string)
        // http.request.body.multipart.names: Array<Array<String>>, example_block any(...[*][0] == "picture").
        XCTAssertNoThrow(try CompiledExpression("any(http.request.body.multipart.names[*][0] == \"picture\")"))
        // http.response.code exists only in response phases: refused in a request phase, naming them.
        let e = try XCTUnwrap(compileError("http.response.code eq 403"))
        XCTAssertTrue(e.message.contains("exists only in the response phases"), e.message)
        XCTAssertTrue(e.message.contains("http_response_headers_transform"), e.message)
        XCTAssertNil(compileError("http.response.code eq 403", phase: "http_custom_errors"))
        // cf.response.1xxx_code: only Response Header Transform Rules and Custom Errors.
        XCTAssertNotNil(compileError("cf.response.1xxx_code eq 1020", phase: "http_response_firewall_managed"))
        // ip.src.timezone.name: "only available in rewrite expressions of Transform Rules".
        XCTAssertTrue(compileError("ip.src.timezone.name eq \"America/Chicago\"")?.message.contains("Transform Rules") ?? false)
        // Deprecated names are still accepted and carry the same value.
        XCTAssertEqual(try eval("ip.geoip.country eq \"GB\" and ip.src.country eq \"GB\"", signals: .init(country: "GB")), true)
        XCTAssertEqual(try eval("ip.geoip.asnum eq 64496", signals: .init(asn: 64496)), true)
    }

    /// ip.src.is_in_european_union: the yaml's table lists territories too (AX, GF, GP, MF, MQ, RE, YT).
    func testEuropeanUnionTable() throws {
        for cc in ["FR", "RE", "YT", "AX", "GF"] {
            XCTAssertEqual(try eval("ip.src.is_in_european_union", signals: .init(country: cc)), true, cc)
        }
        XCTAssertEqual(try eval("ip.src.is_in_european_union", signals: .init(country: "GB")), false)
        XCTAssertNil(try eval("ip.src.is_in_european_union"))
    }

    /// http.request.uri.path.extension: the yaml's table of URI paths and field values.
    func testPathExtensionTable() throws {
        let table = [("/foo", ""), ("/foo.mp3", "mp3"), ("/.mp3", ""), ("/.foo.mp3", "mp3"), ("/foo.tar.bz2", "bz2"),
                     ("/foo.", ""), ("/foo.MP3", "mp3"), ("/articles/index.html", "html")]
        for (path, ext) in table {
            XCTAssertEqual(try eval("http.request.uri.path.extension eq \"\(ext)\"", "https://example.com\(path)"), true, path)
        }
    }

    /// http.request.uri.args: "Decoding: No decoding performed", example value {"search": ["red+apples"]}.
    func testURIArgumentsAreNotDecoded() throws {
        XCTAssertEqual(try eval("any(http.request.uri.args[\"search\"][*] == \"red+apples\")", "https://example.com/?search=red+apples"), true)
        XCTAssertEqual(try eval("any(http.request.uri.args.values[*] == \"a%20b\")", "https://example.com/?q=a%20b"), true)
    }

    /// http.request.accepted_languages: sorted by weight, `*` left out (the yaml's example 1).
    func testAcceptedLanguagesSortedByWeight() throws {
        let h = [("Accept-Language", "fr-CH, fr;q=0.8, en;q=0.9, de;q=0.7, *;q=0.5")]
        XCTAssertEqual(try eval("http.request.accepted_languages[0] eq \"fr-CH\" and http.request.accepted_languages[1] eq \"en\" and http.request.accepted_languages[2] eq \"fr\" and http.request.accepted_languages[3] eq \"de\" and len(http.request.accepted_languages) eq 4",
                                headers: h, phase: "http_request_transform"), true)
    }
}
