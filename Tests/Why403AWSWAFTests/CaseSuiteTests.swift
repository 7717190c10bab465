import Foundation
import XCTest
import Why403Core
@testable import Why403AWSWAF
import Why403TestSupport

/// The case suite built from AWS WAF's documentation: each folder of `Fixtures/aws-waf/cases/` holds a
/// web ACL (and its IP sets, regex sets, rule groups) modelled on the examples of one statement page of
/// the AWS WAF Developer Guide, whose URL its `case.json` cites (`page`), and the requests with the
/// expected status, cause, deciding rule and confidence.
final class CaseSuiteTests: XCTestCase {
    func testEveryCase() throws {
        let root = Fixtures.url("aws-waf/cases")
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        XCTAssertGreaterThanOrEqual(folders.count, 15)
        var requests = 0
        for folder in folders {
            let dir = root.appendingPathComponent(folder)
            let c = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: dir.appendingPathComponent("case.json")))
            guard case .object(let o) = c, case .string(let page)? = o["page"], case .string(let aclFile)? = o["web_acl"],
                  case .array(let reqs)? = o["requests"] else { XCTFail("\(folder): malformed case.json"); continue }
            XCTAssertTrue(page.hasPrefix("https://docs.aws.amazon.com/waf/"), "\(folder): cites \(page)")
            func files(_ key: String) -> [String] {
                guard case .array(let a)? = o[key] else { return [] }
                return a.compactMap { if case .string(let s) = $0 { return dir.appendingPathComponent(s).path }; return nil }
            }
            let compiled = CompiledWebACL(
                webACL: try WAFReader.webACL(path: dir.appendingPathComponent(aclFile).path),
                ipSets: try files("ip_sets").map(WAFReader.ipSet(path:)),
                regexSets: try files("regex_sets").map(WAFReader.regexPatternSet(path:)),
                ruleGroups: try files("rule_groups").map(WAFReader.ruleGroup(path:)))
            for case .object(let r) in reqs {
                requests += 1
                func str(_ k: String) -> String? { if case .string(let s)? = r[k] { return s }; return nil }
                var headers: [String] = []
                if case .array(let hs)? = r["headers"] { headers = hs.compactMap { if case .string(let s) = $0 { return s }; return nil } }
                let request = try WAF.request(str("url")!, method: str("method") ?? "GET", headers: headers, clientIP: str("client_ip"), body: str("body"))
                var asn: Int? = nil
                if case .int(let n)? = r["asn"] { asn = n }
                let resourceType = str("resource_type").map { ResourceType(rawValue: $0) }
                if case .some(.none) = resourceType { XCTFail("\(folder): unknown resource_type"); continue }
                let report = try AWSWAFAnalyzer.analyze(.init(acl: compiled, request: request, country: str("country"), asn: asn,
                                                              resourceType: resourceType ?? nil))
                guard case .object(let exp)? = r["expected"] else { XCTFail("\(folder): no expected"); continue }
                let primary = report.findings.first
                let label = "\(folder)/\(str("id") ?? "?") (\(page)): \(primary?.summary ?? "-")"
                XCTAssertEqual(report.verdict.status.map { JSONValue.int($0) } ?? .null, exp["status"], label)
                XCTAssertEqual(JSONValue.string(report.verdict.cause.rawValue), exp["cause"], label)
                XCTAssertEqual(report.verdict.layer, report.verdict.cause == .none ? .none : .awsWAF, label)
                if let rule = exp["rule"] { XCTAssertEqual(primary?.rule.map { JSONValue.string($0) }, rule, label) }
                if var conf = exp["confidence"] {
                    // "likely" stands on libinjection (libmodsecurity 3); without it the token approximation
                    // answers "possible". Under CI libmodsecurity must be there.
                    if conf == "likely", !InjectionDetection.libinjectionAvailable {
                        if RealTools.isCI { XCTFail("\(label): libmodsecurity 3 is not installed: libinjection cannot run") }
                        conf = "possible"
                    }
                    XCTAssertEqual(primary.map { JSONValue.string($0.confidence.rawValue) }, conf, label)
                }
                if case .string(let v)? = exp["value"] {
                    XCTAssertTrue(primary?.summary.contains("\"\(v)\"") ?? false, "\(label): summary lacks the transformed value \(v)")
                }
                if case .string(let p)? = exp["patch_contains"] {
                    XCTAssertTrue(primary?.fixes.contains { $0.patch?.contains(p) ?? false } ?? false, "\(label): no patch with \(p)")
                }
                if report.verdict.cause != .none {
                    // Every deciding finding cites the file, line and JSON path of its rule.
                    XCTAssertTrue(primary?.evidence.first?.text.hasPrefix("$.") ?? false, label)
                    XCTAssertNotNil(primary?.evidence.first?.source.split(separator: ":").last.flatMap { Int($0) }, label)
                    XCTAssertFalse(primary?.fixes.isEmpty ?? true, "\(label): no fix")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(requests, 43)
    }
}
