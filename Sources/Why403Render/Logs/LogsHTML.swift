import Why403Core

/// `--format html`: one self-contained page (inline CSS, the timeline as an inline SVG bar chart, no
/// script, no network resource), drawn from a redacted logs report.
public enum LogsHTMLRenderer {
    static func esc(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default: o.unicodeScalars.append(c)
            }
        }
        return o
    }

    static func table(_ title: String, _ rows: [LogsSummary.Row], total: Int) -> String {
        guard !rows.isEmpty else { return "" }
        var o = "<h2>\(esc(title))</h2>\n<table><tr><th>count</th><th>%</th><th>\(esc(title))</th></tr>\n"
        for r in rows {
            let pct = total > 0 ? Int((Double(r.count) * 100 / Double(total)).rounded()) : 0
            o += "<tr><td class=n>\(r.count)\(r.error.map { " ±\($0)" } ?? "")</td><td class=n>\(pct)%</td><td><code>\(esc(r.key))</code></td></tr>\n"
        }
        return o + "</table>\n"
    }

    /// The timeline as an SVG bar chart (one bar per bucket, merged to at most 720 bars).
    public static func chart(_ t: LogsSummary.Timeline) -> String {
        guard !t.counts.isEmpty else { return "<p>no timestamps</p>" }
        let per = max(1, (t.counts.count + 719) / 720)
        var bars: [Int] = []
        var i = 0
        while i < t.counts.count { bars.append(t.counts[i..<min(i + per, t.counts.count)].reduce(0, +)); i += per }
        let w = 900.0, h = 160.0
        let maxV = Double(bars.max() ?? 1)
        let bw = w / Double(bars.count)
        var o = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h) + 20)\" width=\"100%\" role=\"img\" aria-label=\"refusals over time\">\n"
        o += "<line x1=\"0\" y1=\"\(h)\" x2=\"\(w)\" y2=\"\(h)\" stroke=\"#888\"/>\n"
        for (n, v) in bars.enumerated() where v > 0 {
            let bh = max(1, Double(v) / maxV * (h - 10))
            let x = Double(n) * bw
            o += "<rect x=\"\(fmt(x))\" y=\"\(fmt(h - bh))\" width=\"\(fmt(max(bw - 0.5, 0.5)))\" height=\"\(fmt(bh))\" fill=\"#c0392b\"><title>\(v)</title></rect>\n"
        }
        o += "<text x=\"0\" y=\"\(Int(h) + 15)\" font-size=\"11\">\(esc(t.start ?? ""))</text>"
        o += "<text x=\"\(Int(w))\" y=\"\(Int(h) + 15)\" font-size=\"11\" text-anchor=\"end\">peak \(bars.max() ?? 0) per \(t.bucketSeconds * per) s</text>\n"
        return o + "</svg>\n"
    }

    static func fmt(_ d: Double) -> String { String(Double(Int(d * 10)) / 10) }

    /// The page for a logs report and its typed summary (both already redacted).
    public static func render(_ report: Report, summary s: LogsSummary) -> String {
        var o = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>why403 logs</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}
        table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}code,pre{font:12px ui-monospace,monospace}
        pre{background:#f6f6f6;padding:6px;white-space:pre-wrap;word-break:break-all}.certain{color:#b00}.likely{color:#a60}.possible{color:#666}
        .finding{border-left:4px solid #c0392b;padding-left:10px;margin:1em 0}
        </style></head><body>

        """
        o += "<h1>\(s.denials) refused requests</h1>\n"
        o += "<p>statuses \(s.statusesCounted.map(String.init).joined(separator: ", ")) in \(s.linesRead) lines of <code>\(esc(LogsTextRenderer.fileList(s.files)))</code>; access-log refusals \(s.accessDenials), error-log reasons \(s.errorLogEvents), joined \(s.correlated)</p>\n"
        o += "<h2>timeline</h2>\n" + chart(s.timeline)
        if !s.causes.isEmpty {
            o += "<h2>causes</h2>\n<table><tr><th>count</th><th>cause</th><th>layer</th><th>confidence</th><th>rule</th></tr>\n"
            for c in s.causes {
                o += "<tr><td class=n>\(c.count)</td><td>\(esc(c.cause))</td><td>\(esc(c.layer))</td><td class=\(esc(c.confidence))>\(esc(c.confidence))</td><td>\(esc(LogsTextRenderer.rules(c)))</td></tr>\n"
            }
            o += "</table>\n"
        }
        o += table("paths", s.topPaths, total: s.denials)
        o += table("clients", s.topClients, total: s.denials)
        o += table("user agents", s.topUserAgents, total: s.denials)
        if let countries = s.topCountries { o += table("countries", countries, total: s.denials) }
        if !s.bursts.isEmpty {
            o += "<h2>bursts</h2>\n<table><tr><th>client</th><th>count</th><th>from</th><th>to</th><th>peak/min</th><th>paths</th><th>cause</th><th>kind</th></tr>\n"
            for b in s.bursts {
                o += "<tr><td><code>\(esc(b.client))</code></td><td class=n>\(b.count)</td><td>\(esc(b.start))</td><td>\(esc(b.end))</td><td class=n>\(b.peakPerMinute)</td><td class=n>\(b.distinctPaths)</td><td>\(esc(b.cause))</td><td>\(esc(b.kind))</td></tr>\n"
            }
            o += "</table>\n"
        }
        if !s.trickles.isEmpty {
            o += "<h2>steady refusals on one path</h2>\n<table><tr><th>path</th><th>count</th><th>minutes</th><th>clients</th><th>cause</th></tr>\n"
            for t in s.trickles {
                o += "<tr><td><code>\(esc(t.path))</code></td><td class=n>\(t.count)</td><td class=n>\(t.minutes)</td><td class=n>\(t.clients)</td><td>\(esc(t.cause))</td></tr>\n"
            }
            o += "</table>\n"
        }
        if !report.findings.isEmpty { o += "<h2>findings</h2>\n" }
        for f in report.findings {
            o += "<div class=finding><h3><span class=\(f.confidence.rawValue)>[\(f.confidence.rawValue)]</span> \(esc(f.cause.rawValue)) (\(esc(f.layer.rawValue))) \(esc(f.rule ?? ""))</h3>\n<p>\(esc(f.summary))</p>\n"
            for e in f.evidence { o += "<p><code>\(esc(e.source))</code></p><pre>\(esc(e.text))</pre>\n" }
            if let checks = f.checks, !checks.isEmpty {
                o += "<ol>" + checks.map { "<li>\(esc($0))</li>" }.joined() + "</ol>\n"
            }
            for fix in f.fixes {
                o += "<p><b>fix</b>: \(esc(fix.summary))</p>\n"
                let body = fix.commands.map { "$ " + $0 }.joined(separator: "\n") + (fix.patch.map { (fix.commands.isEmpty ? "" : "\n") + $0 } ?? "")
                if !body.isEmpty { o += "<pre>\(esc(body))</pre>\n" }
            }
            o += "</div>\n"
        }
        if s.malformed.count > 0 {
            o += "<h2>\(s.malformed.count) malformed lines skipped</h2>\n"
            for e in s.malformed.samples { o += "<p><code>\(esc(e.source))</code> \(esc(e.text))</p>\n" }
        }
        for n in report.notes { o += "<p class=possible>note: \(esc(n))</p>\n" }
        return o + "</body></html>\n"
    }
}
