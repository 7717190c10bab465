import Why403Core

/// `nginx.missing-user`: the main context has an `http` block but no `user` directive.
///
/// Started as root, nginx then runs its workers as `nobody` (the compiled-in default), which often cannot
/// read the site's files: every file answers 403. Evidence: the main file, line 1, "(no user directive)".
/// Always `possible`: nginx started by an ordinary user keeps that user. Fix: a patch adding
/// `user www-data;` before the `http` block. Upstream: https://nginx.org/en/docs/ngx_core_module.html#user
struct MissingUserCheck: NginxCheck {
    let id = "nginx.missing-user"
    let severity = Severity.warning
    let summary = "no `user` directive: workers run as `nobody` when started as root"
    let directives: Set<String> = ["http"]
    /// Handed the `http` block before anything else is checked, since it is about the main context as a whole.
    let timing = NginxCheckTiming.blockStart

    func findings(at site: NginxCheckSite) -> [Finding] {
        guard site.parents.isEmpty, !site.earlier.contains(where: { $0.name == "http" }),
              !site.siblings.contains(where: { $0.name == "user" }) else { return [] }
        return [finding(.fsPermission, .possible,
                        "no 'user' directive: when started as root, workers run as 'nobody', which often cannot read the site's files",
                        evidence: [Evidence(source: "\(site.config.files.first?.path ?? "nginx.conf"):1", text: "(no user directive)")],
                        fixes: [Fix(summary: "name the worker user explicitly (Debian: www-data)",
                                    patch: site.patcher.insertBefore(site.directive, "user www-data;"))])]
    }
}
