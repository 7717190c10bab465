import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// Whole-zone scenarios over the fixture exports: phases in order, skip, execute, disabled rules,
/// statuses, causes, possible findings for fields nobody gave, and the fix.
final class EvaluationTests: XCTestCase {
    let zone = ["zone-custom.json", "api-custom-ruleset.json", "zone-managed.json", "zone-ratelimit.json"]

    func testAdminOutsideOfficeIsBlockedByAddress() throws {
        let r = try analyze(zone, "https://www.example.com/admin/users", ip: "203.0.113.7", signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.layer, .cloudflare)
        XCTAssertEqual(r.verdict.cause, .accessIP)
        let p = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(p.rule, "admin-office-only")
        XCTAssertEqual(p.confidence, .certain)
        XCTAssertTrue(p.evidence.contains { $0.text.contains("`ip.src in {198.51.100.0/24 2001:db8::/32}` is false, so its `not` holds") }, "\(p.evidence)")
        XCTAssertTrue(p.evidence.first!.source.hasSuffix("zone-custom.json $.result.rules[2]"), p.evidence.first!.source)
        XCTAssertEqual(p.details?["id"], "3a1b2c3d4e5f60718293a4b5c6d7e8f9")
        // The fix: the path excluded, as a JSON patch at the rule's pointer and as HCL.
        let fix = try XCTUnwrap(p.fixes.first?.patch)
        XCTAssertTrue(fix.contains("\"path\": \"/result/rules/2/expression\""), fix)
        XCTAssertTrue(fix.contains("and not http.request.uri.path eq \\\"/admin/users\\\""), fix)
        XCTAssertTrue(fix.contains("expression  = \"(starts_with(http.request.uri.path, \\\"/admin\\\") and not ip.src in {198.51.100.0/24 2001:db8::/32}) and not http"), fix)
        XCTAssertTrue(p.fixes.contains { $0.summary.contains("add its address 203.0.113.7") && ($0.patch ?? "").contains("2001:db8::/32 203.0.113.7}") }, "\(p.fixes)")
        // The earlier rules considered, and why each did not decide.
        XCTAssertTrue(r.notes.contains { $0.contains("skip-office") && $0.contains("did not match") }, "\(r.notes)")
        XCTAssertTrue(r.notes.contains { $0.contains("old-rule") && $0.contains("disabled") }, "\(r.notes)")
    }

    func testOfficeAddressSkipsTheRestOfTheRuleset() throws {
        let r = try analyze(zone, "https://www.example.com/admin/users", ip: "198.51.100.20", signals: .init(country: "KP", botScore: 1, verifiedBot: false))
        // The skip rule ends the custom ruleset: the geo block and the bot challenge are never reached.
        XCTAssertNil(r.verdict.status)
        XCTAssertEqual(r.verdict.layer, .none)
        XCTAssertTrue(r.notes.contains { $0.contains("skip-office") && $0.contains("the rest of this ruleset") }, "\(r.notes)")
        // The managed ruleset is still run (skip current stops only this ruleset): possible.
        XCTAssertTrue(r.findings.contains { $0.rule == "deploy-cf-managed" && $0.confidence == .possible })
    }

    func testCountryNobodyGaveIsPossibleNotSilentlyNoMatch() throws {
        let r = try analyze(zone, "https://www.example.com/shop", ip: "203.0.113.7", signals: .init(botScore: 90, verifiedBot: false))
        let geo = try XCTUnwrap(r.findings.first { $0.rule == "geo-block" })
        XCTAssertEqual(geo.confidence, .possible)
        XCTAssertEqual(geo.cause, .geoBlock)
        XCTAssertTrue(geo.summary.contains("--country"), geo.summary)
        XCTAssertTrue(geo.summary.contains("ip.src.country in {\"KP\" \"IR\"}"), geo.summary)
        XCTAssertNil(r.verdict.status)
    }

    func testCountryGivenBlocksWithGeoCause() throws {
        let r = try analyze(zone, "https://www.example.com/shop", ip: "203.0.113.7", signals: .init(country: "ir", botScore: 90, verifiedBot: false))
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .geoBlock)
        XCTAssertEqual(r.findings.first?.rule, "geo-block")
        XCTAssertTrue(r.findings.first!.evidence.contains { $0.text.contains("the request's ip.src.country is \"IR\"") })
    }

    func testCustomResponseStatusKeepsTheCause() throws {
        let r = try analyze(zone, "https://www.example.com/", headers: [("User-Agent", "sqlmap/1.7.2#stable (https://sqlmap.org)")],
                            ip: "203.0.113.7", signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        XCTAssertEqual(r.verdict.status, 418)
        XCTAssertEqual(r.verdict.cause, .botBlock)
        XCTAssertEqual(r.findings.first?.rule, "no-scanners")
        XCTAssertEqual(r.findings.first?.details?["response_body"], "{\"error\": \"no scanners\"}")
    }

    func testManagedChallengeIsBotBlockWithBrowserAndScript() throws {
        let r = try analyze(zone, "https://www.example.com/pricing", ip: "203.0.113.7", signals: .init(country: "DE", botScore: 12, verifiedBot: false))
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .botBlock)
        let p = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(p.rule, "challenge-bad-bots")
        guard case .string(let browser)? = p.details?["browser"], case .string(let script)? = p.details?["script"],
              case .string(let page)? = p.details?["page"] else { return XCTFail("no browser/script details") }
        XCTAssertTrue(page.contains("cf-mitigated: challenge"))
        XCTAssertTrue(browser.contains("cf_clearance"))
        XCTAssertTrue(script.contains("403"))
    }

    func testBotScoreNotGivenMakesChallengePossible() throws {
        let r = try analyze(zone, "https://www.example.com/pricing", ip: "203.0.113.7", signals: .init(country: "DE"))
        let f = try XCTUnwrap(r.findings.first { $0.rule == "challenge-bad-bots" })
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertEqual(f.cause, .botBlock)
        XCTAssertTrue(f.checks?.contains { $0.contains("--bot-score") } ?? false)
    }

    func testExecuteRunsTheCustomRulesetAndNamesItsRule() throws {
        let r = try analyze(zone, "https://api.example.com/v1/orders/7", method: "DELETE", ip: "203.0.113.7",
                            signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .wafRule)
        let p = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(p.rule, "api-no-delete")
        XCTAssertTrue(p.evidence.contains { $0.text.contains("run-api-rules") })
        XCTAssertTrue(p.evidence.first!.source.contains("api-custom-ruleset.json $.rules[0]"))
        // With the internal key the same request passes the custom rules.
        let ok = try analyze(zone, "https://api.example.com/v1/orders/7", method: "DELETE", headers: [("X-Api-Key", "internal-7f3a")],
                             ip: "203.0.113.7", signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        XCTAssertNotEqual(ok.findings.first?.rule, "api-no-delete")
    }

    func testManagedRulesetNotExportedIsPossibleAndSkipHonoured() throws {
        let r = try analyze(zone, "https://www.example.com/webhooks/payments", method: "POST", ip: "203.0.113.7",
                            signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        XCTAssertFalse(r.findings.contains { $0.rule == "deploy-cf-managed" }, "\(r.findings.map(\.rule))")
        XCTAssertTrue(r.notes.contains { $0.contains("deploy-cf-managed") && $0.contains("skipped by rule") }, "\(r.notes)")
        let other = try analyze(zone, "https://www.example.com/contact", method: "POST", ip: "203.0.113.7",
                                signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        let m = try XCTUnwrap(other.findings.first { $0.rule == "deploy-cf-managed" })
        XCTAssertEqual(m.confidence, .possible)
        XCTAssertTrue(m.summary.contains("Cloudflare Managed Ruleset"))
        XCTAssertNil(other.verdict.status)
    }

    func testRateLimitRuleIsPossibleRateLimit() throws {
        let r = try analyze(zone, "https://www.example.com/login", method: "POST", ip: "203.0.113.7",
                            signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        let f = try XCTUnwrap(r.findings.first { $0.rule == "login-rate" })
        XCTAssertEqual(f.cause, .rateLimit)
        XCTAssertEqual(f.confidence, .possible)
        XCTAssertTrue(f.summary.contains("more than 5 requests in 60 s per cf.colo.id + ip.src"), f.summary)
    }

    func testPhaseOrderComesFromThePhaseNotTheFileOrder() throws {
        // The managed ruleset file first: the custom rule still decides first.
        let r = try analyze(["zone-managed.json", "zone-ratelimit.json", "zone-custom.json"], "https://www.example.com/xmlrpc.php",
                            method: "POST", ip: "203.0.113.7", signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        XCTAssertEqual(r.findings.first?.rule, "block-xmlrpc")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertFalse(r.findings.contains { $0.rule == "deploy-cf-managed" })
    }

    func testNothingTerminatingIsNullStatus() throws {
        let r = try analyze(["zone-custom.json"], "https://www.example.com/wp-content/x.css", ip: "203.0.113.7",
                            signals: .init(country: "DE", botScore: 90, verifiedBot: false))
        XCTAssertNil(r.verdict.status)
        XCTAssertEqual(r.verdict.layer, .none)
        XCTAssertEqual(r.verdict.cause, .none)
        XCTAssertTrue(r.notes.contains { $0.contains("log-wp") && $0.contains("matched") })
    }

    func testTerraformShowJSON() throws {
        let r = try analyze(["terraform-show.json"], "https://www.example.com/files/big.ZIP", headers: [("Referer", "https://evil.test/")],
                            ip: "203.0.113.7")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.verdict.cause, .wafRule)
        let p = try XCTUnwrap(r.findings.first)
        XCTAssertEqual(p.rule, "no-hotlink-downloads")
        XCTAssertTrue(p.fixes.first?.patch?.contains("cloudflare_ruleset cloudflare_ruleset.zone_custom") ?? false, p.fixes.first?.patch ?? "")
        XCTAssertFalse(p.fixes.first?.patch?.contains("JSON patch") ?? true, "state output is not what one edits")
        // EU derived from --country.
        let eu = try analyze(["terraform-show.json"], "https://www.example.com/checkout", ip: "203.0.113.7", signals: .init(country: "US"))
        XCTAssertEqual(eu.findings.first?.rule, "checkout-eu")
        XCTAssertEqual(eu.verdict.cause, .botBlock)
        let fr = try analyze(["terraform-show.json"], "https://www.example.com/checkout", ip: "203.0.113.7", signals: .init(country: "FR"))
        XCTAssertNil(fr.verdict.status)
        // The child module's rate limit is read too.
        XCTAssertTrue(try analyze(["terraform-show.json"], "https://www.example.com/search?q=a", ip: "203.0.113.7")
            .findings.contains { $0.rule == "search-rate" && $0.cause == .rateLimit })
    }

    func testHCLFileWithHeredocAndExecuteByReference() throws {
        let r = try analyze(["rules.tf"], "https://www.example.com/wp-login.php", ip: "192.0.2.10")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.findings.first?.rule, "block_wp_login")
        XCTAssertEqual(r.verdict.cause, .accessIP)
        XCTAssertTrue(r.findings.first!.evidence.first!.source.hasSuffix("rules.tf:22"), r.findings.first!.evidence.first!.source)
        // The custom rule decided: the rate limiting phase after it never runs.
        XCTAssertFalse(r.findings.contains { $0.rule == "login_rate" })
        let office = try analyze(["rules.tf"], "https://www.example.com/wp-login.php", ip: "203.0.113.5")
        XCTAssertNil(office.verdict.status)
        XCTAssertTrue(office.findings.contains { $0.rule == "login_rate" && $0.cause == .rateLimit }, "\(office.findings.map(\.rule))")
        let api = try analyze(["rules.tf"], "https://api.example.com/v2", headers: [("User-Agent", "OldClient/1.4")], ip: "192.0.2.10")
        XCTAssertEqual(api.findings.first?.rule, "api_block_old_clients")
        XCTAssertEqual(api.verdict.cause, .botBlock)
        XCTAssertTrue(api.findings.first!.evidence.first!.source.hasSuffix("rules.tf:49"), api.findings.first!.evidence.first!.source)
        let health = try analyze(["rules.tf"], "https://www.example.com/healthz", ip: "192.0.2.10")
        XCTAssertNil(health.verdict.status)
    }

    func testBareRulesArrayTakesCustomPhaseWithNote() throws {
        let r = try analyze(["bare-rules.json"], "http://example.com/app/.env", ip: "203.0.113.7")
        XCTAssertEqual(r.verdict.status, 403)
        XCTAssertEqual(r.findings.first?.rule, "block-env")
        XCTAssertTrue(r.notes.contains { $0.contains("bare rules array has no phase") })
        let ru = try analyze(["bare-rules.json"], "http://example.com/", ip: "203.0.113.7", signals: .init(country: "RU"))
        XCTAssertEqual(ru.verdict.cause, .botBlock)
        XCTAssertEqual(ru.findings.first?.details?["action"], "js_challenge")
    }
}
