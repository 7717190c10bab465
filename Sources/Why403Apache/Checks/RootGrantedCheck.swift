import Why403Core

/// `apache.root-granted`: `<Directory />` with `Require all granted`.
///
/// The file-system root is granted to everyone, so every file httpd can read is reachable through an
/// `Alias`, a symlink or a misplaced `DocumentRoot`; the stock configuration denies `/` and grants only the
/// document roots. Evidence: the section and its `Require all granted`. `certain`: the directive says so.
/// Fix: a patch replacing it with `Require all denied` (then grant each document root).
/// Upstream: https://httpd.apache.org/docs/2.4/misc/security_tips.html#protectserverfiles
struct RootGrantedCheck: ApacheSectionCheck {
    let id = "apache.root-granted"
    let severity = Severity.error
    let summary = "`<Directory />` with `Require all granted`: the whole filesystem is exposed"

    func findings(in sec: ApacheDirective) -> [Finding] {
        guard sec.is("Directory"), sec.args.first == "/",
              let g = sec.authzChildren.first(where: { $0.args.map { $0.lowercased() } == ["all", "granted"] }) else { return [] }
        return [finding(.none, .certain,
                        "<Directory /> grants everyone: every file httpd can read is reachable through an Alias or a symlink",
                        evidence: [sec.evidence, g.evidence],
                        fixes: [Fix(summary: "deny at / and grant only the document roots", patch: "-\(g.text)\n+Require all denied\n")])]
    }
}
