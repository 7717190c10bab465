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
        return Report(subject: Subject(kind: "lab", extra: ["scenarios": .array(scenarios)]),
                      verdict: Verdict(status: nil, layer: .none, cause: .none), findings: findings, notes: notes)
    }

    /// The tour, for a terminal.
    public static func tourEntry(_ r: LabResult, index: Int, of total: Int, color: Bool) -> String {
        let mark = { (ok: Bool) in color ? (ok ? "\u{1B}[32m✓\u{1B}[0m" : "\u{1B}[31m✗\u{1B}[0m") : (ok ? "✓" : "✗") }
        let bold = { (s: String) in color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
        var out = bold("[\(index)/\(total)] \(r.scenario.id)") + " — \(r.scenario.story)\n"
        out += "  why403  \(Renderer.headline(r.report)) \(mark(r.explained))\n"
        if let f = r.report.findings.first {
            for e in f.evidence.prefix(3) { out += "          \(e.source)  \(e.text)\n" }
            if let fix = f.fixes.first {
                out += "  fix     \(fix.summary)\n"
                for c in fix.commands.prefix(2) { out += "          $ \(c)\n" }
            }
        }
        if let observed = r.observed {
            let serverName = r.scenario.kind == .nginx ? "nginx" : "apache2"
            out += "  real    \(serverName) answered \(observed) \(mark(r.agrees == true))\n"
            if let line = r.serverLog.first(where: { $0.contains("[error]") || $0.contains(":error]") }) ?? r.serverLog.first {
                out += "          \(line.count > 160 ? String(line.prefix(160)) + "…" : line)\n"
            }
        } else if let why = r.skipped, r.scenario.kind == .nginx || r.scenario.kind == .apache {
            out += "  real    not asked: \(why)\n"
        }
        return out + "\n"
    }

    public static func tourSummary(_ results: [LabResult], directory: String, kept: Bool) -> String {
        let explained = results.filter(\.explained).count
        let compared = results.compactMap(\.agrees)
        var out = "\(explained) of \(results.count) scenarios explained as expected"
        out += compared.isEmpty ? "; no real server was asked (install nginx and apache2 to compare)\n"
            : "; the real servers answered as predicted in \(compared.filter { $0 }.count) of \(compared.count)\n"
        out += kept ? "scenario files kept in \(directory)\n" : "try one yourself: why403 lab --keep, then why403 nginx URL --config FILE\n"
        return out
    }
}
