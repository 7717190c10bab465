import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// The readers: the API's ruleset object and envelope, bare rules arrays, `terraform show -json`, and
/// HCL (v4 blocks, v5 list attributes, heredocs, references, comments), each rule with its origin.
final class ReaderTests: XCTestCase {
    func read(_ f: String) throws -> [Ruleset] {
        try RulesReader.read(text: try Fixtures.string("cloudflare/\(f)"), file: f)
    }

    func testAPIEnvelope() throws {
        let rs = try read("zone-custom.json")
        XCTAssertEqual(rs.count, 1)
        XCTAssertEqual(rs[0].phase, "http_request_firewall_custom")
        XCTAssertEqual(rs[0].kind, "zone")
        XCTAssertEqual(rs[0].rules.count, 9)
        XCTAssertEqual(rs[0].rules[0].parameters.skipCurrentRuleset, true)
        XCTAssertEqual(rs[0].rules[1].enabled, false)
        XCTAssertEqual(rs[0].rules[4].parameters.responseStatus, 418)
        XCTAssertEqual(rs[0].rules[7].parameters.executeID, "f1e2d3c4b5a697887766554433221100")
        XCTAssertEqual(rs[0].rules[2].origin.jsonPath, "$.result.rules[2]")
        XCTAssertEqual(rs[0].rules[2].origin.pointer, "/result/rules/2")
        XCTAssertEqual(rs[0].rules[2].name, "admin-office-only")
    }

    func testBareRulesetAndArrays() throws {
        let rs = try read("api-custom-ruleset.json")
        XCTAssertEqual(rs[0].kind, "custom")
        XCTAssertFalse(rs[0].isEntryPoint)
        XCTAssertEqual(rs[0].rules[0].origin.jsonPath, "$.rules[0]")
        let bare = try read("bare-rules.json")
        XCTAssertTrue(bare[0].phaseAssumed)
        XCTAssertEqual(bare[0].rules[1].origin.pointer, "/1")
        // A list of rulesets in the envelope (GET /zones/{id}/rulesets).
        let list = try RulesReader.read(text: "{\"result\": [{\"id\": \"a\", \"kind\": \"zone\", \"phase\": \"http_ratelimit\", \"rules\": []}, {\"id\": \"b\", \"kind\": \"managed\", \"phase\": \"http_request_firewall_managed\"}]}", file: "l.json")
        XCTAssertEqual(list.map(\.id), ["a", "b"])
        XCTAssertEqual(list[1].rules.count, 0)
    }

    func testTerraformShowJSON() throws {
        let rs = try read("terraform-show.json")
        XCTAssertEqual(rs.map(\.phase), ["http_request_firewall_custom", "http_ratelimit"])
        XCTAssertEqual(rs[0].rules[0].origin.resource, "cloudflare_ruleset.zone_custom")
        XCTAssertEqual(rs[1].rules[0].origin.resource, "module.edge.cloudflare_ruleset.ratelimit")
        XCTAssertEqual(rs[1].rules[0].ratelimit?.requestsPerPeriod, 20)
        XCTAssertNil(rs[1].rules[0].ratelimit?.countingExpression, "an empty counting expression is none")
        XCTAssertEqual(rs[0].rules[0].origin.jsonPath, "$.values.root_module.resources[1].values.rules[0]")
    }

    func testHCL() throws {
        let rs = try read("rules.tf")
        XCTAssertEqual(rs.map(\.id), ["cloudflare_ruleset.zone_custom_firewall", "cloudflare_ruleset.api_rules", "cloudflare_ruleset.zone_ratelimit"])
        XCTAssertEqual(rs[0].rules.map(\.ref), ["allow_health_checks", "block_wp_login", "run_api_ruleset"])
        XCTAssertEqual(rs[0].rules[1].expression, "(http.request.uri.path contains \"/wp-login.php\"\n  and not ip.src in {203.0.113.0/24})\n")
        XCTAssertEqual(rs[0].rules[1].origin.line, 22)
        XCTAssertEqual(rs[0].rules[1].expressionOrigin.line, 25)
        XCTAssertEqual(rs[0].rules[2].parameters.executeID, "cloudflare_ruleset.api_rules")
        XCTAssertEqual(rs[1].kind, "custom")
        XCTAssertEqual(rs[1].rules[0].parameters.responseStatus, 403)
        XCTAssertEqual(rs[1].rules[0].parameters.responseContent, "{\"error\": \"upgrade your client\"}")
        XCTAssertEqual(rs[2].rules[0].ratelimit?.characteristics, ["cf.colo.id", "ip.src"])
        XCTAssertEqual(rs[2].rules[0].origin.line, 69)
    }

    func testHCLDetails() throws {
        let text = """
        // comment
        resource "cloudflare_ruleset" "r" {
          zone_id = var.zones["main"].id
          phase   = "http_request_firewall_custom" # trailing comment
          kind    = "zone"
          name    = "interp ${var.env} and $${literal}"
          rules {
            action     = "block"
            expression = "http.host eq \\"a\\u0062c\\""
            enabled    = var.env == "prod" ? true : false
          }
          rules {
            action = "log"
            expression = <<EOT
        ssl
        EOT
          }
        }
        resource "cloudflare_record" "x" { name = "www" }
        """
        let rs = try RulesReader.read(text: text, file: "d.tf")
        XCTAssertEqual(rs.count, 1)
        XCTAssertEqual(rs[0].name, "interp ${var.env} and ${literal}")
        XCTAssertEqual(rs[0].rules[0].expression, "http.host eq \"abc\"")
        XCTAssertEqual(rs[0].rules[0].enabled, true, "an expression the reader cannot decide keeps the default")
        XCTAssertEqual(rs[0].rules[1].expression, "ssl\n")
        XCTAssertEqual(rs[0].rules[1].origin.line, 12)
    }

    /// Fuzz finding (Fuzz/cloudflare/findings/crash-a95b6a51…): a number beyond Int's range where a
    /// string is read (`action = 9999…`) trapped converting it; it is now text, and the rule compiles or
    /// is refused as bad input.
    func testIssue12HugeNumberIsNotATrap() throws {
        let text = "resource \"cloudflare_ruleset\" \"r\" {\n  phase = \"http_request_firewall_custom\"\n  kind = \"zone\"\n  rules {\n    action = 999999999999999999999999999999999999999999\n    expression = \"ssl\"\n  }\n}\n"
        let rs = try RulesReader.read(text: text, file: "big.tf")
        XCTAssertEqual(rs[0].rules[0].action, "1e+42")
        let replay = try Fixtures.string("../../Fuzz/cloudflare/findings/crash-a95b6a51f1b056267e1f4f6d3c58ca7941300edb")
        _ = try? RulesReader.read(text: replay, file: "crash")
    }
}
