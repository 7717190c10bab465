import Why403Core

/// `nginx.root-in-home`: a `root` or `alias` under `/home/` or `/root`.
///
/// Home directories are usually 0700 or 0750, so the worker user cannot search them and every file below
/// answers 403. Evidence: the directive (file:line). Always `possible`: this check does not read the file
/// system (`why403 fs` and the web-root checks do). Fix: serve from a directory the worker can traverse
/// (e.g. /var/www) or grant search permission on each directory; `namei -l` shows them.
/// Upstream: https://nginx.org/en/docs/http/ngx_http_core_module.html#root
struct RootInHomeCheck: NginxCheck {
    let id = "nginx.root-in-home"
    let severity = Severity.warning
    let summary = "`root`/`alias` inside a home directory (usually 0700/0750)"
    let directives: Set<String> = ["root", "alias"]

    func findings(at site: NginxCheckSite) -> [Finding] {
        let d = site.directive
        guard let p = d.args.first, p == "/root" || p.hasPrefix("/root/") || p.hasPrefix("/home/") else { return [] }
        return [finding(.fsPermission, .possible,
                        "\(d.name) \(p) is inside a home directory: home directories are usually 0700/0750, so the worker user cannot reach the files",
                        evidence: [site.evidence(d)],
                        fixes: [Fix(summary: "serve from a directory the worker can traverse (e.g. /var/www) or grant search permission on each directory (why403 fs)",
                                    commands: ["namei -l \(ShellWord.single(p))"])])]
    }
}
