import Foundation
import XCTest
import Why403Core
@testable import Why403S3
import Why403TestSupport

/// Differential test against moto's policy evaluation (`moto.iam.access_control.IAMPolicy`, which
/// moto's S3 backend uses for bucket policies). Each scenario of `Fixtures/s3/moto/scenarios.json`
/// carries the decision AWS's documentation gives (the page is in its `doc` field) for ONE policy:
/// allow, deny (explicit) or neutral (no statement applies). why403 must give that decision on every
/// scenario; moto must agree where `moto_follows_docs` is true and differ where it is false (so the
/// list of moto's deviations stays true when moto changes).
final class MotoDifferentialTests: XCTestCase {
    struct Scenario: Decodable {
        var id: String
        var doc: String
        var kind: String
        var policy: JSONValue
        var action: String
        var resource: String
        var principal: String
        var context: [String: String]
        var expected: String
        var moto_follows_docs: Bool
        var moto_note: String
    }

    var scenariosURL: URL { Fixtures.url("s3/moto/scenarios.json") }

    func loadScenarios() throws -> [Scenario] {
        try JSONDecoder().decode([Scenario].self, from: Data(contentsOf: scenariosURL))
    }

    /// why403's decision for one policy alone.
    func why403Decision(_ s: Scenario) throws -> String {
        let text = String(decoding: try JSONEncoder().encode(s.policy), as: UTF8.self)
        let policy = try PolicyParser.parse(text, file: s.id, kind: s.kind == "bucket" ? .bucket : .identity)
        let ctx = RequestContext(principal: try Principal.parse(s.principal), action: s.action, resource: s.resource,
                                 context: s.context.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
        let results = policy.statements.map { StatementEvaluator.evaluate($0, in: policy, context: ctx) }
        if results.contains(where: { $0.applies && $0.statement.effect == .deny }) { return "deny" }
        if results.contains(where: { $0.applies && $0.statement.effect == .allow }) { return "allow" }
        return "neutral"
    }

    func testWhy403FollowsTheDocumentation() throws {
        let scenarios = try loadScenarios()
        XCTAssertGreaterThanOrEqual(scenarios.count, 30)
        for s in scenarios {
            XCTAssertEqual(try why403Decision(s), s.expected, "\(s.id) (\(s.doc))")
        }
    }

    func testMotoAgreesWhereItFollowsTheDocumentation() throws {
        let python = try RealTools.require("python3")
        let probe = try Run.program(python, ["-c", "import moto.iam.access_control"])
        if probe.status != 0 {
            let message = "moto is not installed for \(python) (pip install moto; .ci/run does)"
            if RealTools.isCI { XCTFail(message) }
            throw XCTSkip(message)
        }
        let script = Fixtures.url("s3/moto/compare.py").path
        let run = try Run.program(python, [script, scenariosURL.path], timeout: 300)
        XCTAssertEqual(run.status, 0, run.stderr)
        struct Output: Decodable { var moto_version: String; var results: [String: String] }
        let out = try JSONDecoder().decode(Output.self, from: Data(run.stdout.utf8))
        var agree = 0, differ = 0
        for s in try loadScenarios() {
            let moto = try XCTUnwrap(out.results[s.id], s.id)
            if s.moto_follows_docs {
                XCTAssertEqual(moto, s.expected, "\(s.id): moto \(out.moto_version) no longer follows the documentation here")
                agree += 1
            } else {
                XCTAssertNotEqual(moto, s.expected, "\(s.id): moto \(out.moto_version) now follows the documentation; move it to the agreeing subset (\(s.moto_note))")
                differ += 1
            }
        }
        print("moto \(out.moto_version): agrees with the documentation (and why403) on \(agree) scenarios, differs on \(differ)")
    }
}
