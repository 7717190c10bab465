import Why403Core

/// `apache.htaccess-ignored`: an `.htaccess` at the top of a `DocumentRoot` that `AllowOverride None` makes httpd ignore.
///
/// httpd never reads the file, so whatever it was meant to do (deny, require a login, rewrite) silently does
/// not happen; people then chase 403s (or their absence) in the wrong file. The `<Directory>` sections
/// enclosing the root are applied shortest path first, as httpd merges them. Evidence: the `AllowOverride`
/// in force (when one is written) and the `.htaccess` ("present, never read"). `certain`: the file exists and
/// the merged configuration allows no override. Fix: move its directives into the `<Directory>` section, or
/// allow the classes it needs with `AllowOverride`.
/// Upstream: https://httpd.apache.org/docs/2.4/mod/core.html#allowoverride
struct HtaccessIgnoredCheck: ApacheCheck {
    let id = "apache.htaccess-ignored"
    let severity = Severity.warning
    let summary = "an `.htaccess` in a DocumentRoot that `AllowOverride None` makes httpd ignore"
    /// Every DocumentRoot at once: each root is checked once, in path order.
    let input = ApacheCheckInput.allNamed(["documentroot"])

    func findings(_ directives: [ApacheDirective], in audit: ApacheAuditContext) -> [Finding] {
        var out: [Finding] = []
        for root in Set(directives.compactMap { $0.args.first }).sorted() {
            let path = (root.hasSuffix("/") ? root : root + "/") + ".htaccess"
            guard audit.fileSystem.info(path) != nil else { continue }
            var dc = DirConfig()
            var errs: [ApacheDirective] = []
            let dirSections = audit.sections.filter { $0.is("Directory") && $0.args.first.map { root.hasPrefix($0.hasSuffix("/") ? String($0.dropLast()) : $0) || $0 == "/" } == true }
                .sorted { ($0.args.first ?? "").count < ($1.args.first ?? "").count }
            for d in dirSections { dc.apply(d.children ?? [], dir: nil, method: "GET", errors: &errs) }
            // With no AllowOverride written at all httpd 2.4 does read the file (and refuses every
            // directive in it with a 500): not "ignored".
            guard dc.allowOverride.isEmpty && dc.allowOverrideList.isEmpty, dc.allowOverrideSource != nil else { continue }
            var ev = [Evidence(source: path, text: "present, never read")]
            if let s = dc.allowOverrideSource { ev.insert(s.evidence, at: 0) }
            out.append(finding(.none, .certain, "\(path) is ignored: AllowOverride None applies to \(root)",
                               evidence: ev,
                               fixes: [Fix(summary: "move its directives into the <Directory> section, or allow the classes it needs with AllowOverride")]))
        }
        return out
    }
}
