import Why403Core

/// `apache.indexes-on`: `Options Indexes` (or `+Indexes`, `All`) in a section.
///
/// Directories without an index file are listed instead of refused: turning listings off later turns
/// those URLs into 403s, and meanwhile every file name is public. Evidence: the `Options` line. `certain`:
/// the directive says so. Fix: `Options -Indexes` unless listings are wanted.
/// Upstream: https://httpd.apache.org/docs/2.4/mod/core.html#options
struct IndexesOnCheck: ApacheSectionCheck {
    let id = "apache.indexes-on"
    let severity = Severity.info
    let summary = "`Options Indexes`: directory listings are served"

    func findings(in sec: ApacheDirective) -> [Finding] {
        guard let o = (sec.children ?? []).first(where: { $0.is("Options") && $0.args.contains { ["indexes", "+indexes", "all"].contains($0.lowercased()) } })
        else { return [] }
        return [finding(.none, .certain, "directory listings are on in \(sec.sectionLabel)",
                        evidence: [o.evidence], fixes: [Fix(summary: "turn listings off unless wanted", patch: "+Options -Indexes\n")])]
    }
}
