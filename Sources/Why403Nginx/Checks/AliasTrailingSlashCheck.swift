import Why403Core

/// `nginx.alias-trailing-slash`: an `alias` whose trailing slash disagrees with its prefix `location`'s.
///
/// nginx replaces the matched location prefix with the alias, so `location /files/ { alias /srv/files; }`
/// maps `/files/a` to `/srv/filesa` (404 or 403), and `location /files { alias /srv/files/; }` lets
/// `/files../` reach one level up. Only plain and `^~` prefix locations are checked (regex locations
/// capture instead). Evidence: the location and the alias. Always `possible`: the glued path may not exist
/// or may be wanted. Fix: a patch ending the alias with a slash, or (when only the location lacks one)
/// the location to write.
/// Upstream: https://nginx.org/en/docs/http/ngx_http_core_module.html#alias
struct AliasTrailingSlashCheck: NginxCheck {
    let id = "nginx.alias-trailing-slash"
    let severity = Severity.warning
    let summary = "`alias` and `location` disagree on the trailing slash"
    let directives: Set<String> = ["alias"]

    func findings(at site: NginxCheckSite) -> [Finding] {
        let d = site.directive
        guard let loc = site.parents.last, loc.name == "location", let path = loc.args.last,
              loc.args.count == 1 || loc.args.first == "^~", let a = d.args.first,
              path.hasSuffix("/") != a.hasSuffix("/") else { return [] }
        return [finding(.unknown, .possible,
                        "location \(path) and alias \(a) disagree on the trailing slash: paths are glued wrongly (404/403, or a traversal one level up)",
                        evidence: [site.evidence(loc), site.evidence(d)],
                        fixes: [a.hasSuffix("/")
                                ? Fix(summary: "end the location with a slash too: location \(path)/ { alias \(a); … }")
                                : Fix(summary: "end both with a slash", patch: site.patcher.replace(d, with: "alias \(a)/;"))])]
    }
}
