import Why403Core

/// `fs.symlink-outside-root`: a link under the root whose target, links followed, lies outside the root.
///
/// nginx with `disable_symlinks on` or `from=$document_root`, and Apache without `FollowSymLinks` (or with
/// `SymLinksIfOwnerMatch` when the owners differ), refuse such a link with a 403; where they follow it,
/// the site serves files from elsewhere. Evidence: the link and its target as written. Always `possible`:
/// whether it is refused depends on the server's symlink policy, which this check does not read. Fix: keep
/// served files inside the root, or allow the link in the server's policy on purpose. The root itself may
/// be a link (that is how it is served) and is not reported.
/// Upstream: https://nginx.org/en/docs/http/ngx_http_core_module.html#disable_symlinks,
/// https://httpd.apache.org/docs/2.4/mod/core.html#options
struct SymlinkOutsideRootCheck: RootCheck {
    let id = "fs.symlink-outside-root"
    let severity = Severity.info
    let summary = "a link that leads out of the root (`disable_symlinks`, `SymLinksIfOwnerMatch` may refuse it)"

    func findings(at entry: RootEntry) -> [Finding] {
        guard entry.info.kind == .symlink, !entry.isRoot, let resolved = entry.access?.resolvedPath else { return [] }
        let base = entry.root.hasSuffix("/") ? entry.root : entry.root + "/"
        guard !(resolved + "/").hasPrefix(base), resolved != entry.root else { return [] }
        return [Finding(cause: .fsSymlink, layer: .filesystem, confidence: .possible,
                        summary: "\(entry.path) leads outside the web root, to \(resolved)",
                        evidence: [Evidence(source: entry.path, text: "-> \(entry.info.symlinkTarget ?? resolved)")],
                        fixes: [Fix(summary: "keep served files inside the root, or allow the link in the server's symlink policy on purpose")],
                        rule: id, severity: severity)]
    }
}
