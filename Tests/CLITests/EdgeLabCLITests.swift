import Foundation
import XCTest
import Why403Core
import Why403Lab
import Why403TestSupport

/// Issue 12's lab: a Cloudflare custom rule and an AWS WAF rule that each block a legitimate request,
/// explained by rule and sub-expression from the exports `why403 lab --keep` leaves, with the patch;
/// the patch applied (by the lab, and here again through the commands) lets the request through and
/// still refuses what the rule is for.
final class EdgeLabCLITests: XCTestCase {
    static let ids = ["cloudflare-api-health-check", "aws-waf-support-upload"]

    func testEdgeScenariosAreExplainedByRuleAndTheirPatchLetsTheRequestThrough() throws {
        let r = try Run.why403(["lab", "--keep", "--format", "json"] + Self.ids.flatMap { ["--only", $0] }, timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        let report = try decodeReport(r.stdout)
        let dir = try XCTUnwrap(report.notes.first { $0.hasPrefix("scenario files: ") }?.dropFirst("scenario files: ".count)).description
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard case .array(let scenarios)? = report.subject.extra["scenarios"] else { return XCTFail("no scenarios") }
        XCTAssertEqual(scenarios.count, 2)
        for case .object(let s) in scenarios {
            XCTAssertEqual(s["explained"], .bool(true), "\(s)")
            XCTAssertEqual(s["expected"], ["status": .int(403), "cause": .string("waf.rule")])
            XCTAssertEqual(s["patched_status"], .null, "the patched rules let the request through: \(s)")
            guard case .string(let file)? = s["patched_file"] else { return XCTFail("no patched file: \(s)") }
            XCTAssertTrue(FileManager.default.fileExists(atPath: file), file)
        }

        // Cloudflare: the rule, both halves of its expression with the request's values, the JSON patch.
        let cf = try XCTUnwrap(report.findings.first { $0.rule == "cloudflare-api-health-check: api-require-app-key" }, "\(report.findings.map(\.rule))")
        XCTAssertEqual(cf.layer, .cloudflare)
        XCTAssertEqual(cf.confidence, .certain)
        XCTAssertTrue(cf.evidence.contains { $0.source.hasSuffix("cloudflare-api-health-check/zone-custom.json $.result.rules[1]") }, "\(cf.evidence)")
        XCTAssertTrue(cf.evidence.contains { $0.text.contains(#"`starts_with(http.request.uri.path, "/api/")` is true; the request's http.request.uri.path is "/api/health""#) }, "\(cf.evidence)")
        XCTAssertTrue(cf.evidence.contains { $0.source == "api-require-app-key expression, column 54"
            && $0.text.contains(#"`any(http.request.headers.names[*] eq "x-app-key")` is false, so its `not` holds"#) }, "\(cf.evidence)")
        XCTAssertTrue(cf.fixes.first?.patch?.contains(#"{"op": "replace", "path": "/result/rules/1/expression""#) ?? false)
        XCTAssertTrue(cf.fixes.first?.patch?.contains(#"and not http.request.uri.path eq \"/api/health\""#) ?? false, cf.fixes.first?.patch ?? "")

        // AWS WAF: the rule, the SizeConstraint statement with the body's size, the scope-down patch.
        let waf = try XCTUnwrap(report.findings.first { $0.rule == "aws-waf-support-upload: LimitRequestBody" }, "\(report.findings.map(\.rule))")
        XCTAssertEqual(waf.layer, .awsWAF)
        XCTAssertEqual(waf.confidence, .certain)
        XCTAssertTrue(waf.evidence.contains { $0.text.contains("$.WebACL.Rules[1].Statement.SizeConstraintStatement")
            && $0.text.contains("size GT 8192 (\(LabScenario.supportTicketSize) bytes)") }, "\(waf.evidence)")
        XCTAssertTrue(waf.fixes.first?.patch?.contains(#""path": "/WebACL/Rules/1/Statement""#) ?? false, waf.fixes.first?.patch ?? "")
        // "/support/tickets" in Base64, the scope-down's SearchString.
        XCTAssertTrue(waf.fixes.first?.patch?.contains(Data("/support/tickets".utf8).base64EncodedString()) ?? false)

        // The commands the tour prints, on the kept files: the same verdict; on the patched files the
        // request goes through, and a request the rule is for is still refused.
        let cfDir = dir + "/cloudflare-api-health-check"
        let cfArgs = ["-H", "User-Agent: ShopApp/4.2.0 (Android 14; okhttp/4.12.0)", "-H", "Accept: application/json",
                      "--client-ip", "203.0.113.77", "--format", "json"]
        guard case .object(let cfEntry) = scenarios[0], case .string(let cfCommand)? = cfEntry["command"] else { return XCTFail("no command") }
        XCTAssertEqual(cfCommand, "why403 cloudflare https://shop.example.com/api/health --rules \(cfDir)/zone-custom.json "
                       + "-H 'User-Agent: ShopApp/4.2.0 (Android 14; okhttp/4.12.0)' -H 'Accept: application/json' --client-ip 203.0.113.77")
        try expect(["cloudflare", "https://shop.example.com/api/health", "--rules", cfDir + "/zone-custom.json"] + cfArgs, 403, "api-require-app-key")
        try expect(["cloudflare", "https://shop.example.com/api/health", "--rules", cfDir + "/zone-custom.fixed.json"] + cfArgs, nil, nil)
        try expect(["cloudflare", "https://shop.example.com/api/orders", "--rules", cfDir + "/zone-custom.fixed.json"] + cfArgs, 403, "api-require-app-key")

        let wafDir = dir + "/aws-waf-support-upload"
        func wafArgs(_ acl: String, _ path: String) -> [String] {
            ["aws-waf", "https://shop.example.com" + path, "--web-acl", wafDir + "/" + acl, "--ip-set", wafDir + "/ip-set.json", "-X", "POST",
             "-H", "Content-Type: application/json", "--data", "@" + wafDir + "/support-ticket.json", "--client-ip", "203.0.113.77", "--format", "json"]
        }
        guard case .object(let wafEntry) = scenarios[1], case .string(let wafCommand)? = wafEntry["command"] else { return XCTFail("no command") }
        XCTAssertTrue(wafCommand.hasPrefix("why403 aws-waf https://shop.example.com/support/tickets --web-acl \(wafDir)/web-acl.json --ip-set \(wafDir)/ip-set.json -X POST "), wafCommand)
        XCTAssertTrue(wafCommand.hasSuffix(" --data @\(wafDir)/support-ticket.json --client-ip 203.0.113.77"), wafCommand)
        try expect(wafArgs("web-acl.json", "/support/tickets"), 403, "LimitRequestBody")
        try expect(wafArgs("web-acl.fixed.json", "/support/tickets"), nil, nil)
        try expect(wafArgs("web-acl.fixed.json", "/api/orders"), 403, "LimitRequestBody")
    }

    func expect(_ args: [String], _ status: Int?, _ rule: String?, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try Run.why403(args)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict.status, status, "\(args)", file: file, line: line)
        if let rule { XCTAssertEqual(report.findings.first?.rule, rule, file: file, line: line) }
        else { XCTAssertEqual(report.verdict.cause, .none, file: file, line: line) }
    }

    /// The tour (text) prints the patch, the patched file's verdict and the command to try.
    func testTourPrintsThePatchAndTheCommandToTry() throws {
        let r = try Run.why403(["lab", "--no-servers"] + Self.ids.flatMap { ["--only", $0] }, timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 of 2 scenarios explained as expected"), r.stdout)
        XCTAssertTrue(r.stdout.contains(#"[{"op": "replace", "path": "/result/rules/1/expression""#), r.stdout)
        XCTAssertTrue(r.stdout.contains(#"{"op": "replace", "path": "/WebACL/Rules/1/Statement""#), r.stdout)
        XCTAssertTrue(r.stdout.contains("/zone-custom.fixed.json: the rules let the request through ✓"), r.stdout)
        XCTAssertTrue(r.stdout.contains("/web-acl.fixed.json: the rules let the request through ✓"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  try     $ why403 cloudflare https://shop.example.com/api/health --rules "), r.stdout)
        XCTAssertTrue(r.stdout.contains("  try     $ why403 aws-waf https://shop.example.com/support/tickets --web-acl "), r.stdout)
    }

    /// The logs scenario reads its directory (an ALB log and an AWS WAF log of the same minute) and prints the
    /// command that does the same on the kept files; only an edge scenario ran, so no server is said to be missing.
    func testLogsScenarioPrintsTheDirectoryCommandThatExplainsItTheSameWay() throws {
        let r = try Run.why403(["lab", "--keep", "--only", "aws-waf-behind-alb"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("1 of 1 scenarios explained as expected; none of them is answered by a real server"), r.stdout)
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("  try     $ why403 logs ") }, r.stdout)
        let dir = String(line.dropFirst("  try     $ why403 logs ".count))
        XCTAssertTrue(dir.hasSuffix("/aws-waf-behind-alb/logs"), dir)
        defer { try? FileManager.default.removeItem(atPath: String(dir.dropLast("/aws-waf-behind-alb/logs".count))) }
        let logs = try Run.why403(["logs", dir, "--format", "json"], timeout: 60)
        XCTAssertEqual(logs.status, 0, logs.stderr)
        let report = try decodeReport(logs.stdout)
        XCTAssertEqual(report.verdict.layer, .awsWAF)
        XCTAssertEqual(report.verdict.cause, .wafRule)
        XCTAssertEqual(report.findings.first?.rule, "SQLi_QUERYARGUMENTS")
    }
}
