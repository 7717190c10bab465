import Foundation
import Why403Core
import Why403Render

/// The lab's output: one report-v1 object (JSON), or a tour for a person (text, markdown).
public enum LabReport {
    /// One report: the primary finding of each scenario, and per scenario what was expected, predicted
    /// and observed in `subject.scenarios`.
    public static func report(_ results: [LabResult], directory: String) -> Report {
        var scenarios: [JSONValue] = []
        var findings: [Finding] = []
        for r in results {
            var entry: [String: JSONValue] = [
                "id": .string(r.scenario.id),
                "story": .string(r.scenario.story),
                "expected": ["status": .int(r.scenario.expectedStatus), "cause": .string(r.scenario.expectedCause.rawValue)],
                "predicted": ["status": r.report.verdict.status.map { .int($0) } ?? .null,
                              "layer": .string(r.report.verdict.layer.rawValue),
                              "cause": .string(r.report.verdict.cause.rawValue)],
                "explained": .bool(r.explained),
                "observed": r.observed.map { .int($0) } ?? .null,
                "agrees": r.agrees.map { .bool($0) } ?? .null,
            ]
            if let after = r.observedAfterFix { entry["observed_after_fix"] = .int(after) }
            if let c = r.command { entry["command"] = .string(c) }
            if let f = r.patchedFile {
                entry["patched_file"] = .string(f)
                entry["patched_status"] = r.patchedStatus.map { .int($0) } ?? .null
            }
            if let s = r.skipped { entry["server"] = .string(s) }
            if !r.serverLog.isEmpty { entry["server_log"] = .array(r.serverLog.map { .string($0) }) }
            scenarios.append(.object(entry))
            if var f = r.report.findings.first {
                f.rule = f.rule.map { "\(r.scenario.id): \($0)" } ?? r.scenario.id
                if let line = r.serverLog.first {
                    f.evidence.append(Evidence(source: "real server error log", text: line))
                }
                findings.append(f)
            }
        }
        let explained = results.filter(\.explained).count
        let compared = results.compactMap(\.agrees)
        var notes = ["\(explained) of \(results.count) scenarios explained as expected",
                     compared.isEmpty ? "no real server was asked"
                         : "the real servers answered as predicted in \(compared.filter { $0 }.count) of \(compared.count)"]
        notes.append("scenario files: \(directory)")
        return Report(subject: Subject(kind: .lab, extra: ["scenarios": .array(scenarios)]),
                      verdict: Verdict(status: nil, layer: .none, cause: .none), findings: findings, notes: notes)
    }

    /// One result as an entry of the tour (Why403Render's `LabTourRenderer` prints it).
    public static func tourEntry(_ r: LabResult, index: Int, of total: Int) -> LabTourEntry {
        let isServer = r.scenario.runsServer
        let server = r.observed.map { status in
            (name: r.scenario.kind == .nginx ? "nginx" : "apache2", status: status, agrees: r.agrees == true,
             logLine: r.serverLog.first(where: { $0.contains("Access denied") }) ?? r.serverLog.first(where: { $0.contains("[error]") || $0.contains(":error]") }) ?? r.serverLog.first)
        }
        var entry = LabTourEntry(index: index, total: total, id: r.scenario.id, story: r.scenario.story, report: r.report,
                                 explained: r.explained, server: server, notAsked: isServer && r.observed == nil ? r.skipped : nil)
        entry.afterFix = r.observedAfterFix
        entry.tryCommand = r.command
        entry.showPatch = r.scenario.isEdge
        entry.patched = r.patchedFile.map { (file: $0, status: r.patchedStatus) }
        return entry
    }
}
