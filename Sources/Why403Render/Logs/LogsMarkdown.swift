import Why403Core

/// `--format markdown`: the same page as text, with Markdown tables (for a ticket or a chat), drawn
/// from a redacted logs report.
public enum LogsMarkdownRenderer {
    static func cell(_ s: String) -> String {
        "`" + s.replacingAll("`", with: "'").replacingAll("|", with: "\\|").replacingAll("\n", with: " ") + "`"
    }

    static func table(_ title: String, _ rows: [LogsSummary.Row], total: Int) -> String {
        guard !rows.isEmpty else { return "" }
        var o = "\n### \(title)\n\n| count | % | \(title) |\n|---:|---:|---|\n"
        for r in rows {
            let pct = total > 0 ? Int((Double(r.count) * 100 / Double(total)).rounded()) : 0
            o += "| \(r.count)\(r.error.map { " ±\($0)" } ?? "") | \(pct)% | \(cell(r.key)) |\n"
        }
        return o
    }

    /// The page for a logs report and its typed summary (both already redacted).
    public static func render(_ report: Report, summary s: LogsSummary) -> String {
        var o = "## why403 logs: \(s.denials) refused requests (\(s.statusesCounted.map(String.init).joined(separator: "/")))\n\n"
        o += "\(s.linesRead) lines of \(LogsTextRenderer.fileList(s.files, cell)); access-log refusals \(s.accessDenials), "
            + "error-log reasons \(s.errorLogEvents), joined \(s.correlated)\n"
        if !s.causes.isEmpty {
            o += "\n### causes\n\n| count | cause | layer | confidence | rule |\n|---:|---|---|---|---|\n"
            for c in s.causes { o += "| \(c.count) | \(c.cause) | \(c.layer) | \(c.confidence) | \(cell(LogsTextRenderer.rules(c))) |\n" }
        }
        o += table("paths", s.topPaths, total: s.denials)
        o += table("clients", s.topClients, total: s.denials)
        o += table("user agents", s.topUserAgents, total: s.denials)
        if let countries = s.topCountries { o += table("countries", countries, total: s.denials) }
        if !s.timeline.counts.isEmpty, let start = s.timeline.start {
            o += "\n### timeline\n\nrefusals per \(s.timeline.bucketSeconds) s from \(start), peak \(s.timeline.counts.max() ?? 0):\n\n"
            o += "```\n|\(LogsTextRenderer.sparkline(s.timeline.counts))|\n```\n"
        }
        if !s.bursts.isEmpty {
            o += "\n### bursts\n\n| client | count | from | to | peak/min | paths | cause | kind |\n|---|---:|---|---|---:|---:|---|---|\n"
            for b in s.bursts {
                o += "| \(cell(b.client)) | \(b.count) | \(b.start) | \(b.end) | \(b.peakPerMinute) | \(b.distinctPaths) | \(b.cause) | \(b.kind) |\n"
            }
        }
        if !s.trickles.isEmpty {
            o += "\n### steady refusals on one path\n\n| path | count | minutes | clients | cause |\n|---|---:|---:|---:|---|\n"
            for t in s.trickles { o += "| \(cell(t.path)) | \(t.count) | \(t.minutes) | \(t.clients) | \(t.cause) |\n" }
        }
        for (i, f) in report.findings.enumerated() {
            o += "\n### \(i == 0 ? "cause" : "also"): \(f.cause.rawValue) (\(f.layer.rawValue)), \(f.confidence.rawValue)\n\n\(f.summary)\n"
            if !f.evidence.isEmpty {
                o += "\n```\n" + f.evidence.map { "\($0.source)\n  \($0.text)" }.joined(separator: "\n") + "\n```\n"
            }
            if let checks = f.checks, !checks.isEmpty {
                o += "\n" + checks.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
            }
            for fix in f.fixes {
                o += "\n**fix**: \(fix.summary)\n"
                let body = fix.commands.map { "$ " + $0 } + (fix.patch.map { [$0.hasSuffix("\n") ? String($0.dropLast()) : $0] } ?? [])
                if !body.isEmpty { o += "\n```\n" + body.joined(separator: "\n") + "\n```\n" }
            }
        }
        if s.malformed.count > 0 {
            o += "\n\(s.malformed.count) malformed lines skipped, for example:\n\n"
            for e in s.malformed.samples { o += "- \(e.source): \(cell(e.text))\n" }
        }
        if !report.notes.isEmpty { o += "\n" + report.notes.map { "- note: \($0)" }.joined(separator: "\n") + "\n" }
        return o
    }
}
