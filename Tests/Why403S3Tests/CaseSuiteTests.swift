import Foundation
import XCTest
import Why403Core
@testable import Why403S3
import Why403TestSupport

/// Runs every scenario folder of `Fixtures/s3/cases/` (cedar-style): each `case.json` names its
/// policy files and lists requests with the expected status, cause, confidence and the Sids the
/// primary finding must cite. A request may override the case's files (`identity`,
/// `block_public_access`: null removes it).
final class CaseSuiteTests: XCTestCase {
    func testEveryCase() throws {
        let root = Fixtures.url("s3/cases")
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        XCTAssertGreaterThanOrEqual(folders.count, 6)
        var requests = 0
        for folder in folders {
            let dir = root.appendingPathComponent(folder)
            let caseJSON = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: dir.appendingPathComponent("case.json")))
            guard case .object(let c) = caseJSON, case .array(let reqs)? = c["requests"] else { XCTFail("\(folder): no requests"); continue }
            func path(_ v: JSONValue?) -> String? { if case .string(let s)? = v { return dir.appendingPathComponent(s).path }; return nil }
            func paths(_ v: JSONValue?) -> [String] { if case .array(let a)? = v { return a.compactMap { path($0) } }; return [] }
            for case .object(let r) in reqs {
                requests += 1
                func pick(_ key: String) -> JSONValue? { r.keys.contains(key) ? r[key] : c[key] }
                guard case .string(let id)? = r["id"], case .string(let principal)? = r["principal"], case .string(let action)? = r["action"],
                      case .string(let resource)? = r["resource"], case .object(let exp)? = r["expected"] else {
                    XCTFail("\(folder): malformed request \(r)"); continue
                }
                var context: [(key: String, value: String)] = []
                if case .array(let pairs)? = r["context"] {
                    for case .array(let kv) in pairs { if case .string(let k) = kv[0], case .string(let v) = kv[1] { context.append((k, v)) } }
                }
                var missing = false
                if case .bool(let b)? = r["object_missing"] { missing = b }
                let input = try S3Analyzer.Input(
                    principal: Principal.parse(principal), action: action, resource: resource, context: context,
                    bucketPolicy: try path(pick("bucket")).map { try PolicyParser.load(path: $0, kind: .bucket) },
                    identityPolicies: try paths(pick("identity")).map { try PolicyParser.load(path: $0, kind: .identity) },
                    scps: try paths(pick("scp")).map { try PolicyParser.load(path: $0, kind: .scp) },
                    permissionsBoundary: try path(pick("permissions_boundary")).map { try PolicyParser.load(path: $0, kind: .boundary) },
                    sessionPolicy: try path(pick("session_policy")).map { try PolicyParser.load(path: $0, kind: .session) },
                    kmsKeyPolicy: try path(pick("kms_key_policy")).map { try PolicyParser.load(path: $0, kind: .kmsKey) },
                    blockPublicAccess: try path(pick("block_public_access")).map { try PublicAccessBlock.load(path: $0) },
                    objectMissing: missing)
                let report = S3Analyzer.analyze(input)
                let label = "\(folder)/\(id): \(report.findings.first?.summary ?? "-")"
                XCTAssertEqual(report.verdict.status.map { JSONValue.int($0) }, exp["status"], label)
                XCTAssertEqual(JSONValue.string(report.verdict.cause.rawValue), exp["cause"], label)
                let primary = report.findings.first
                if let conf = exp["confidence"] { XCTAssertEqual(primary.map { JSONValue.string($0.confidence.rawValue) }, conf, label) }
                if case .array(let sids)? = exp["sids"] {
                    for case .string(let sid) in sids {
                        XCTAssertTrue(primary?.evidence.contains { $0.text.contains("Sid \"\(sid)\"") } ?? false, "\(label): evidence lacks Sid \(sid)")
                    }
                }
                // Every deciding evidence points at file:line.
                for e in primary?.evidence ?? [] where e.text.contains("Sid \"") {
                    XCTAssertNotNil(e.source.split(separator: ":").last.flatMap { Int($0) }, "\(label): \(e.source)")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(requests, 25)
    }
}
