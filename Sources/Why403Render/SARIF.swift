import Foundation
import Why403Core

/// SARIF 2.1.0 output for `audit`, so code-scanning UIs show each problem at its file and line.
extension Renderer {
    /// An audit report as SARIF 2.1.0 (one result per finding, its rule and severity), for code-scanning dashboards.
    public static func sarif(_ report: Report) -> String {
        var rules: [String: JSONValue] = [:]
        var results: [JSONValue] = []
        for f in report.findings {
            let ruleID = f.rule ?? f.cause.rawValue
            if rules[ruleID] == nil {
                rules[ruleID] = .object([
                    "id": .string(ruleID),
                    "shortDescription": .object(["text": .string(f.cause.explanation)]),
                    "properties": .object(["cause": .string(f.cause.rawValue), "layer": .string(f.layer.rawValue)]),
                ])
            }
            var locations: [JSONValue] = []
            for e in f.evidence {
                guard let loc = parseLocation(e.source) else { continue }
                var region: [String: JSONValue] = ["startLine": .int(loc.line)]
                if let c = loc.column { region["startColumn"] = .int(c) }
                locations.append(.object(["physicalLocation": .object([
                    "artifactLocation": .object(["uri": .string(loc.file)]),
                    "region": .object(region),
                ])]))
            }
            let level: String = switch f.severity ?? .warning {
            case .error: "error"
            case .warning: "warning"
            case .info: "note"
            }
            var message = f.summary
            if let fix = f.fixes.first { message += " Fix: \(fix.summary)" }
            results.append(.object([
                "ruleId": .string(ruleID),
                "level": .string(level),
                "message": .object(["text": .string(message)]),
                "locations": .array(locations),
            ]))
        }
        let log: JSONValue = .object([
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": .array([.object([
                "tool": .object(["driver": .object([
                    "name": .string(report.tool.name),
                    "version": .string(report.tool.version),
                    "rules": .array(rules.keys.sorted().map { rules[$0]! }),
                ])]),
                "results": .array(results),
            ])]),
        ])
        return json(encodable: log)
    }

    /// `file:line` or `file:line:col` (the file itself may contain colons).
    static func parseLocation(_ source: String) -> SourceLocation? {
        let parts = source.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        if parts.count >= 3, let line = Int(parts[parts.count - 2]), let col = Int(parts[parts.count - 1]) {
            return SourceLocation(file: parts.dropLast(2).joined(separator: ":"), line: line, column: col)
        }
        if let line = Int(parts[parts.count - 1]) {
            return SourceLocation(file: parts.dropLast().joined(separator: ":"), line: line)
        }
        return nil
    }
}
