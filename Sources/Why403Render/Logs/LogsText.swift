import Why403Core

/// The text page of `why403 logs`: headline, tables per dimension, the timeline as a sparkline, the
/// bursts, then the causes with their evidence and fix. Drawn from a report that went through the
/// Redactor (the command redacts before calling this).
public enum LogsTextRenderer {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The timeline as one line of block characters, at most `width` wide (buckets merged to fit).
    public static func sparkline(_ counts: [Int], width: Int = 60) -> String {
        guard !counts.isEmpty else { return "" }
        let per = max(1, (counts.count + width - 1) / width)
        var merged: [Int] = []
        var i = 0
        while i < counts.count { merged.append(counts[i..<min(i + per, counts.count)].reduce(0, +)); i += per }
        let maxV = merged.max() ?? 0
        return String(merged.map { v -> Character in
            if v == 0 { return " " }
            if maxV <= 1 { return blocks[blocks.count - 1] }
            return blocks[min(blocks.count - 1, (v - 1) * blocks.count / maxV)]
        })
    }

    /// The rules of a cause row: `AH00132 ×2, AH00035` (the key rule alone for ModSecurity).
    static func rules(_ c: LogsSummary.CauseRow) -> String {
        if c.rules.count <= 1 { return c.rule ?? "" }
        return c.rules.prefix(4).map { $0.count > 1 ? "\($0.key) ×\($0.count)" : $0.key }.joined(separator: ", ")
            + (c.rules.count > 4 ? ", …" : "")
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }

    static func lpad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }

    static func clip(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    static func table(_ title: String, _ rows: [LogsSummary.Row], total: Int) -> String {
        guard !rows.isEmpty else { return "" }
        var out = "\n\(title)\n"
        let width = max(5, rows.map { String($0.count).count }.max() ?? 1)
        for r in rows {
            let pct = total > 0 ? Int((Double(r.count) * 100 / Double(total)).rounded()) : 0
            let approx = r.error.map { " (±\($0))" } ?? ""
            out += "  \(lpad(String(r.count), width)) \(lpad("\(pct)%", 4))  \(clip(r.key, 100))\(approx)\n"
        }
        return out
    }

    /// The files read, for a page: all of them up to ten, else the first five and how many more (a directory can stand
    /// for thousands; the JSON report lists every one).
    static func fileList(_ files: [String], _ each: (String) -> String = { $0 }) -> String {
        guard files.count > 10 else { return files.map(each).joined(separator: ", ") }
        return files.prefix(5).map(each).joined(separator: ", ") + " and \(files.count - 5) more"
    }

    /// The page for a logs report and its typed summary (both already redacted).
    public static func render(_ report: Report, summary s: LogsSummary) -> String {
        var out = ""
        let statuses = s.statusesCounted.map(String.init).joined(separator: "/")
        if s.denials == 0 {
            out += "no refused requests (\(statuses)) in \(s.linesRead) lines of \(fileList(s.files))\n"
        } else {
            let v = report.verdict
            out += "\(s.denials) refused requests (\(statuses)) in \(s.linesRead) lines; top cause: \(v.cause.rawValue) (\(v.layer.rawValue))\n"
        }
        out += "files: \(fileList(s.files))"
        if s.since != nil || s.until != nil { out += "  window: \(s.since ?? "…") – \(s.until ?? "…")" }
        out += "\n"
        if s.errorLogEvents > 0 || s.accessDenials > 0 {
            out += "access-log refusals: \(s.accessDenials), error-log reasons: \(s.errorLogEvents), joined: \(s.correlated)\n"
        }
        if !s.causes.isEmpty {
            out += "\ncauses\n"
            let width = max(5, s.causes.map { String($0.count).count }.max() ?? 1)
            // The causes the findings show (`--top` of them, with the one the verdict names wherever it ranks), in the
            // table's order; the proxy-address finding is no cause of its own.
            let causeFindings = report.findings.filter { $0.rule != "proxy-addresses" }
            let keys = Set(causeFindings.map { "\($0.cause.rawValue)\u{1}\($0.layer.rawValue)\u{1}\($0.rule ?? "")" })
            var rows = s.causes.filter { keys.contains("\($0.cause)\u{1}\($0.layer)\u{1}\($0.rule ?? "")") }
            if rows.count != causeFindings.count { rows = Array(s.causes.prefix(max(1, causeFindings.count))) }
            for c in rows {
                let pct = s.denials > 0 ? Int((Double(c.count) * 100 / Double(s.denials)).rounded()) : 0
                out += "  \(lpad(String(c.count), width)) \(lpad("\(pct)%", 4))  \(pad(c.cause, 16)) \(pad(c.layer, 12)) \(pad(c.confidence, 8)) \(LogsTextRenderer.rules(c))\n"
            }
        }
        out += table("paths", s.topPaths, total: s.denials)
        out += table("clients", s.topClients, total: s.denials)
        out += table("user agents", s.topUserAgents, total: s.denials)
        if let countries = s.topCountries { out += table("countries", countries, total: s.denials) }
        if !s.timeline.counts.isEmpty, let start = s.timeline.start {
            let per = s.timeline.bucketSeconds == 60 ? "minute" : "\(s.timeline.bucketSeconds) s"
            out += "\ntimeline (refusals per \(per) from \(start), peak \(s.timeline.counts.max() ?? 0))\n"
            out += "  |\(sparkline(s.timeline.counts))|\n"
        }
        if !s.bursts.isEmpty {
            out += "\nbursts (one client, ≥ 10 refusals a minute)\n"
            for b in s.bursts {
                out += "  \(b.client): \(b.count) from \(b.start) to \(b.end), peak \(b.peakPerMinute)/min, \(b.distinctPaths) path\(b.distinctPaths == 1 ? "" : "s"), \(b.cause) — \(b.kind)\n"
            }
        }
        if !s.trickles.isEmpty {
            out += "\nsteady refusals on one path (many minutes, few each: usually a permission or configuration problem)\n"
            for t in s.trickles {
                out += "  \(t.path): \(t.count) over \(t.minutes) minutes from \(t.clients) client\(t.clients == 1 ? "" : "s"), \(t.cause)\n"
            }
        }
        if !s.modsecurityRules.isEmpty {
            out += table("ModSecurity rules that matched (warnings adding to the anomaly score)", s.modsecurityRules, total: 0)
                .replacingAll("   0%", with: "")
        }
        for (i, f) in report.findings.enumerated() {
            out += "\n\(i == 0 ? "cause" : "also") [\(f.confidence.rawValue)] \(f.cause.rawValue) (\(f.layer.rawValue))\(f.rule.map { " \($0)" } ?? "")\n"
            out += "  \(f.summary)\n"
            if !f.evidence.isEmpty {
                out += "  evidence\n"
                for e in f.evidence { out += "    \(e.source)\n      \(e.text)\n" }
            }
            if let checks = f.checks, !checks.isEmpty {
                out += "  check, in order\n"
                for (n, c) in checks.enumerated() { out += "    \(n + 1). \(c)\n" }
            }
            for fix in f.fixes {
                out += "  fix: \(fix.summary)\n"
                for c in fix.commands { out += "    $ \(c)\n" }
                if let p = fix.patch { for l in p.split(separator: "\n") { out += "    \(l)\n" } }
            }
        }
        if s.malformed.count > 0 {
            out += "\n\(s.malformed.count) malformed line\(s.malformed.count == 1 ? "" : "s") skipped, for example\n"
            for e in s.malformed.samples { out += "  \(e.source)  \(e.text)\n" }
        }
        if !report.notes.isEmpty {
            out += "\n"
            for n in report.notes { out += "note: \(n)\n" }
        }
        return out
    }
}
