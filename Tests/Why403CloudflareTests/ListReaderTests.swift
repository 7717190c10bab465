import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// Lists as exported: the Lists API (https://developers.cloudflare.com/api/resources/rules/subresources/lists/,
/// items with ip / asn / hostname.url_hostname / redirect), `cloudflare_list` resources in HCL (v4
/// `item { value { ... } }`, v5 `items = [...]`) and in `terraform show -json`; managed lists
/// (https://developers.cloudflare.com/waf/tools/lists/managed-lists/) are unknown and named.
final class ListReaderTests: XCTestCase {
    func text(_ f: String) throws -> String { try Fixtures.string("cloudflare/\(f)") }

    func testItemsResponseEnvelopeAndBare() throws {
        let l = try ListReader.readItems(text: try text("list-items.json"), file: "list-items.json", name: "office_ips")
        XCTAssertEqual(l.items, ["198.51.100.0/24", "2001:db8::/32", "203.0.113.9"])
        let bare = try ListReader.readItems(text: "[{\"asn\": 64496}, {\"hostname\": {\"url_hostname\": \"API.example.com\"}}, {\"redirect\": {\"source_url\": \"example.com/a\", \"target_url\": \"https://example.com/b\"}}]",
                                            file: "b.json", name: "x")
        XCTAssertEqual(bare.items, ["64496", "api.example.com"], "redirect items are not read by filter expressions")
        let lines = try ListReader.readItems(text: "# office\n198.51.100.0/24\n\n203.0.113.9\n", file: "l.txt", name: "x")
        XCTAssertEqual(lines.items, ["198.51.100.0/24", "203.0.113.9"])
    }

    func testIndexNamesListsWithoutItems() throws {
        let ls = try ListReader.readNamed(text: try text("lists-index.json"), file: "lists-index.json")
        XCTAssertEqual(ls.map(\.name), ["office_ips", "partner_asns"])
        XCTAssertEqual(ls.map(\.kind), ["ip", "asn"])
        XCTAssertEqual(ls[0].items, nil)
    }

    func testHCLv4AndV5() throws {
        let ls = try ListReader.readNamed(text: try text("lists.tf"), file: "lists.tf")
        XCTAssertEqual(ls.map(\.name), ["office_ips", "partner_asns", "allowed_hosts"])
        XCTAssertEqual(ls[0].items, ["198.51.100.0/24", "203.0.113.9"])
        XCTAssertEqual(ls[1].items, ["64496"])
        XCTAssertEqual(ls[2].items, ["api.example.com", "*.example.net"])
        XCTAssertTrue(ls[0].origin.hasPrefix("lists.tf:2"), ls[0].origin)
    }

    func testTerraformShowJSON() throws {
        let ls = try ListReader.readNamed(text: try text("terraform-show-lists.json"), file: "t.json")
        XCTAssertEqual(ls, [ListExport(name: "office_ips", kind: "ip", items: ["198.51.100.0/24", "203.0.113.9"], origin: "t.json (cloudflare_list.office)")])
    }

    func testBadInput() {
        XCTAssertThrowsError(try ListReader.readItems(text: "{\"result\": [{\"foo\": 1}]}", file: "x.json", name: "l")) { e in
            XCTAssertTrue((e as? InputError)?.message.contains("expected a list item with ip, asn, hostname.url_hostname or redirect at $.result[0]") ?? false, "\(e)")
        }
        XCTAssertThrowsError(try ListReader.readItems(text: "{\"result\": {", file: "x.json", name: "l")) { e in
            XCTAssertEqual((e as? InputError)?.file, "x.json")
        }
        XCTAssertThrowsError(try ListReader.readNamed(text: "198.51.100.1\n", file: "y.txt")) { e in
            XCTAssertTrue((e as? InputError)?.help?.contains("--list NAME=FILE") ?? false, "\(e)")
        }
        XCTAssertThrowsError(try ListReader.readNamed(text: "[{\"ip\": \"1.2.3.4\"}]", file: "z.json"))
    }

    func testListsDecideAndHostnameWildcards() throws {
        let lists = Dictionary(uniqueKeysWithValues: try ListReader.readNamed(text: try text("lists.tf"), file: "lists.tf").map { ($0.name, SetMatcherBox(items: $0.items!)) })
        func ev(_ e: String, _ url: String, ip: String, signals: EdgeSignals = .init()) throws -> Bool? {
            let req = try Request(url: url, clientIP: ip)
            return Evaluator.evaluate(try CompiledExpression(e).root, RequestFields.make(req, signals: signals, lists: lists)).truth
        }
        XCTAssertEqual(try ev("ip.src in $office_ips", "https://example.com/", ip: "198.51.100.20"), true)
        XCTAssertEqual(try ev("ip.src in $office_ips", "https://example.com/", ip: "192.0.2.1"), false)
        XCTAssertEqual(try ev("ip.src.asnum in $partner_asns", "https://example.com/", ip: "192.0.2.1", signals: .init(asn: 64496)), true)
        XCTAssertEqual(try ev("http.host in $allowed_hosts", "https://api.example.com/", ip: "192.0.2.1"), true)
        XCTAssertEqual(try ev("http.host in $allowed_hosts", "https://a.b.example.net/", ip: "192.0.2.1"), true)
        XCTAssertEqual(try ev("http.host in $allowed_hosts", "https://example.org/", ip: "192.0.2.1"), false)
    }

    /// A managed list is Cloudflare's own: the rule is possible, and the report names the list.
    func testManagedListIsPossibleAndNamed() throws {
        let json = """
        {"result": {"id": "z", "kind": "zone", "phase": "http_request_firewall_custom", "rules": [
          {"ref": "no-anonymizers", "action": "block", "enabled": true, "expression": "ip.src in $cf.anonymizer and http.request.uri.path eq \\"/login\\""}]}}
        """
        let rs = try RulesReader.read(text: json, file: "m.json")
        let req = try Request(url: "https://example.com/login", clientIP: "192.0.2.1")
        let report = try CloudflareAnalyzer.analyze(.init(rulesets: rs, files: ["m.json"], request: req))
        let f = try XCTUnwrap(report.findings.first)
        XCTAssertEqual(f.confidence, .possible)
        let text = (f.checks ?? []).joined(separator: "\n") + f.summary
        XCTAssertTrue(text.contains("$cf.anonymizer is a Cloudflare managed list of anonymizers"), text)
        XCTAssertFalse(text.contains("--client-ip"), "the address was given: " + text)
    }
}
