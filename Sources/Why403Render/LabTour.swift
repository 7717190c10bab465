import Why403Core

/// One scenario of the lab's tour, as the tour prints it: the scenario, why403's report, and what the
/// real server answered when one was asked.
public struct LabTourEntry: Sendable {
    /// 1-based position and the number of scenarios.
    public var index: Int, total: Int
    /// The scenario's id and what an operator did to end up there.
    public var id: String, story: String
    /// why403's report, and whether it explains the scenario as expected.
    public var report: Report, explained: Bool
    /// The real server asked (`nginx`, `apache2`), its status, whether it agreed, and its first relevant
    /// error-log line; nil when no server was asked.
    public var server: (name: String, status: Int, agrees: Bool, logLine: String?)?
    /// Why no real server was asked (a server scenario only).
    public var notAsked: String?
    /// What the real server answered once the printed fix was applied (nil when it was not tried).
    public var afterFix: Int?
    /// The command that explains the scenario from its files (kept with `why403 lab --keep`), when
    /// it has one (the edge rules: `why403 cloudflare …`, `why403 aws-waf …`).
    public var tryCommand: String?
    /// Print the first fix's patch under it (the edge rules, whose fix is the patch of the export).
    public var showPatch = false
    /// The export with that patch applied, and the status the patched rules answer (nil: let through).
    public var patched: (file: String, status: Int?)?

    /// An entry.
    public init(index: Int, total: Int, id: String, story: String, report: Report, explained: Bool,
                server: (name: String, status: Int, agrees: Bool, logLine: String?)?, notAsked: String?) {
        self.index = index; self.total = total; self.id = id; self.story = story; self.report = report
        self.explained = explained; self.server = server; self.notAsked = notAsked
    }
}

/// The lab's tour as text: a title per scenario (printed whether or not stdout is a terminal, so piped
/// output keeps the scenarios apart), the verdict, evidence, fix and the real server's answer.
public enum LabTourRenderer {
    /// One scenario.
    public static func entry(_ e: LabTourEntry, color: Bool) -> String {
        let st = Style(enabled: color)
        let mark = { (ok: Bool) in ok ? st.green("✓") : st.red("✗") }
        var out = st.bold("[\(e.index)/\(e.total)] \(e.id)") + " — \(e.story)\n"
        out += "  why403  \(Renderer.headline(e.report)) \(mark(e.explained))\n"
        if let f = e.report.findings.first {
            for ev in f.evidence.prefix(3) {
                let text = ev.text.count > 200 ? String(ev.text.prefix(200)) + "…" : ev.text
                out += "          \(ev.source)  \(text)\n"
            }
            if let fix = f.fixes.first {
                out += "  fix     \(fix.summary)\n"
                for c in fix.commands.prefix(2) { out += "          $ \(c)\n" }
                if e.showPatch, let patch = fix.patch {
                    let lines = patch.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    for l in lines.prefix(12) where !l.isEmpty { out += "          " + l + "\n" }
                    if lines.count > 12 { out += "          …\n" }
                }
            }
        }
        if let s = e.server {
            out += "  real    \(s.name) answered \(s.status) \(mark(s.agrees))\n"
            if let line = s.logLine { out += "          \(line.count > 160 ? String(line.prefix(160)) + "…" : line)\n" }
            if let after = e.afterFix {
                let passes = !(after == 401 || after == 403 || after == 407 || after == 429 || after == 451)
                out += "  fixed   with the exclusion, \(s.name) answered \(after) \(mark(passes))\n"
            }
        } else if let why = e.notAsked {
            out += "  real    not asked: \(why)\n"
        }
        if let p = e.patched {
            let through = p.status.map { !RefusalStatus.contains($0) } ?? true
            out += "  patched \(p.file): the rules " + (p.status.map { "answer \($0)" } ?? "let the request through") + " \(mark(through))\n"
        }
        if let c = e.tryCommand { out += "  try     $ \(c)\n" }
        return out + "\n"
    }

    /// The closing lines: how many were explained, how the real servers answered, what to try next.
    /// `serverScenarios`: how many of the scenarios run were ones a real server could answer (nginx, Apache):
    /// with none (`--only` an edge, logs or token scenario), no server was missing.
    public static func summary(explained: Int, total: Int, compared: [Bool], directory: String, kept: Bool,
                               serverScenarios: Int = 1) -> String {
        var out = "\(explained) of \(total) scenarios explained as expected"
        if !compared.isEmpty {
            out += "; the real servers answered as predicted in \(compared.filter { $0 }.count) of \(compared.count)\n"
        } else if serverScenarios == 0 {
            out += "; none of them is answered by a real server\n"
        } else {
            out += "; no real server was asked (install nginx and apache2 to compare)\n"
        }
        out += kept ? "scenario files kept in \(directory)\n" : "try one yourself: why403 lab --keep, then why403 nginx URL --config FILE\n"
        return out
    }
}
