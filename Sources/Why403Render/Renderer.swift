import Foundation
import Why403Core

/// The output formats every analysing command takes with `--format`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, markdown, sarif, html
}

/// Turns a report into text, JSON or Markdown. Pure functions, golden-tested.
public enum Renderer {
    /// The report in `format` (`color`: ANSI styles in text, for a terminal).
    public static func render(_ report: Report, as format: OutputFormat, color: Bool = false) -> String {
        switch format {
        case .json: json(report)
        case .markdown: markdown(report)
        case .sarif: sarif(report)
        case .text: text(report, color: color)
        case .html: html(report)
        }
    }

    // MARK: HTML

    /// A self-contained page holding the text report, escaped (no script, no external resource). The
    /// CLI offers `--format html` only where a command has a page of its own (`logs`); this keeps the
    /// library's answer honest for any report rather than falling back to text.
    public static func html(_ report: Report) -> String {
        let escaped = text(report, color: false).replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;")
            .replacingAll(">", with: "&gt;")
        return "<!doctype html>\n<meta charset=\"utf-8\"><title>why403 \(report.subject.kind)</title>\n<pre>\(escaped)</pre>\n"
    }

    // MARK: JSON

    /// Exactly one JSON object (report-v1), pretty-printed, with a final newline.
    public static func json(_ report: Report) -> String {
        report.orderedJSON.render() + "\n"
    }

    /// Any encodable value as pretty JSON with a final newline.
    public static func json(encodable value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: text

    /// For a person under pressure: the verdict in one line, then evidence, then next steps.
    public static func text(_ report: Report, color: Bool) -> String {
        let st = Style(enabled: color)
        var out = st.bold(headline(report)) + "\n"
        if let subjectLine = subjectLine(report.subject) { out += st.dim(subjectLine) + "\n" }
        for (i, f) in report.findings.enumerated() {
            out += "\n"
            let tag = f.severity.map { $0.rawValue } ?? (i == 0 && report.verdict.cause != .none ? "cause" : "also")
            let conf = f.confidence == .certain ? st.red(f.confidence.rawValue) : st.yellow(f.confidence.rawValue)
            out += "\(st.bold(tag)) [\(conf)] \(f.cause.rawValue) (\(f.layer.rawValue))"
            if let rule = f.rule { out += " \(st.dim(rule))" }
            out += "\n  \(f.summary)\n"
            if !f.evidence.isEmpty {
                out += "  " + st.bold("evidence") + "\n"
                for e in f.evidence {
                    out += "    \(st.cyan(e.source))  \(indentContinuation(e.text, by: 6))\n"
                }
            }
            if let checks = f.checks, !checks.isEmpty {
                out += "  " + st.bold("check, in order") + "\n"
                for (n, c) in checks.enumerated() { out += "    \(n + 1). \(c)\n" }
            }
            for fix in f.fixes {
                out += "  " + st.bold("fix") + ": \(fix.summary)\n"
                for c in fix.commands { out += "    $ \(c)\n" }
                if let patch = fix.patch {
                    for line in patch.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                        let l = String(line)
                        let shown = l.hasPrefix("+") ? st.green(l) : l.hasPrefix("-") ? st.red(l) : l
                        out += "    \(shown)\n"
                    }
                }
            }
        }
        if !report.notes.isEmpty {
            out += "\n"
            for n in report.notes { out += st.dim("note: \(n)") + "\n" }
        }
        return out
    }

    /// "403 from Cloudflare: a firewall rule blocked this request (Ray ID …)".
    public static func headline(_ report: Report) -> String {
        let v = report.verdict
        if report.subject.kind == .audit {
            let counts = Severity.allCases.reversed().map { s in (s, report.findings.filter { $0.severity == s }.count) }
            if report.findings.isEmpty { return "audit: no problems found" }
            return "audit: " + counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)\($0.1 == 1 || $0.0 == .info ? "" : "s")" }
                .joined(separator: ", ")
        }
        if v.status == nil && v.cause != .none, let primary = report.findings.first {
            return "\(answerer(report)): \(primary.summary)"
        }
        let status = v.status.map(String.init) ?? "—"
        if v.cause == .none {
            if let s = v.status { return "\(s): not denied" + (v.layer == .none ? "" : " (\(v.layer.displayName))") }
            return "not denied"
        }
        var line = "\(status) from \(answerer(report)): "
        if let primary = report.findings.first, primary.cause == v.cause {
            line += primary.summary
        } else {
            line += v.cause.explanation
        }
        return line
    }

    /// Who answered, for the headline: the verdict's layer, or the product that answered for it in its format
    /// ("MinIO (Amazon S3-compatible)": `compatible_with` in the first finding's details, from `Signature.compatible`).
    static func answerer(_ report: Report) -> String {
        let v = report.verdict
        if let f = report.findings.first, f.layer == v.layer,
           case .string(let product)? = f.details?["product"], case .string(let format)? = f.details?["compatible_with"] {
            return "\(product) (\(format)-compatible)"
        }
        return v.layer.displayName
    }

    static func subjectLine(_ s: Subject) -> String? {
        var parts: [String] = []
        if let m = s.method, let u = s.url { parts.append("\(m) \(u)") }
        else if let u = s.url { parts.append(u) }
        if let ip = s.clientIP { parts.append("client \(ip)") }
        if let c = s.config { parts.append("config \(c)") }
        if let p = s.path { parts.append(p) }
        if let f = s.file { parts.append(f) }
        return parts.isEmpty ? nil : "\(s.kind): " + parts.joined(separator: ", ")
    }

    static func indentContinuation(_ text: String, by n: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\n" + String(repeating: " ", count: n))
    }

    // MARK: Markdown

    /// The report as Markdown: a heading with the verdict, a section per finding.
    public static func markdown(_ report: Report) -> String {
        var out = "## \(escapeMD(headline(report)))\n\n"
        if let s = subjectLine(report.subject) { out += "_\(escapeMD(s))_\n\n" }
        out += "| status | layer | cause |\n|---|---|---|\n"
        out += "| \(report.verdict.status.map(String.init) ?? "—") | `\(report.verdict.layer.rawValue)` | `\(report.verdict.cause.rawValue)` |\n"
        for f in report.findings {
            out += "\n### `\(f.cause.rawValue)` (\(f.layer.rawValue), \(f.confidence.rawValue))\n\n"
            out += "\(escapeMD(f.summary))\n\n"
            if !f.evidence.isEmpty {
                out += "**Evidence**\n\n"
                for e in f.evidence { out += "- `\(e.source)`: `\(e.text.replacingOccurrences(of: "`", with: "'"))`\n" }
                out += "\n"
            }
            if let checks = f.checks, !checks.isEmpty {
                out += "**Check, in order**\n\n"
                for (n, c) in checks.enumerated() { out += "\(n + 1). \(escapeMD(c))\n" }
                out += "\n"
            }
            for fix in f.fixes {
                out += "**Fix:** \(escapeMD(fix.summary))\n\n"
                if !fix.commands.isEmpty { out += "```sh\n" + fix.commands.joined(separator: "\n") + "\n```\n\n" }
                if let p = fix.patch { out += "```diff\n\(p)\(p.hasSuffix("\n") ? "" : "\n")```\n\n" }
            }
        }
        if !report.notes.isEmpty {
            out += "\n" + report.notes.map { "> note: \(escapeMD($0))" }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func escapeMD(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|")
    }
}

/// ANSI styles, only when enabled (a terminal, and no `NO_COLOR`).
struct Style {
    var enabled: Bool
    func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    func bold(_ s: String) -> String { wrap(s, "1") }
    func dim(_ s: String) -> String { wrap(s, "2") }
    func red(_ s: String) -> String { wrap(s, "31") }
    func green(_ s: String) -> String { wrap(s, "32") }
    func yellow(_ s: String) -> String { wrap(s, "33") }
    func cyan(_ s: String) -> String { wrap(s, "36") }
}
