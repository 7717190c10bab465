import Why403Core

/// `nginx.autoindex-off-no-index`: `autoindex off` written in a block where no `index` directive is in force.
///
/// A request for a directory is then served only if the directory holds the default `index.html`; otherwise
/// nginx answers 403 ("directory index of ... is forbidden"). Only `index` directives written in the block
/// or an enclosing one count (which files exist is not knowable here). Evidence: the first `autoindex off`
/// of the block. Always `possible`. No patch is attached (the start page's name is not known): add an
/// `index` directive naming it, or turn listings on where they are wanted. Upstream: https://nginx.org/en/docs/http/ngx_http_index_module.html
struct AutoindexOffNoIndexCheck: NginxCheck {
    let id = "nginx.autoindex-off-no-index"
    let severity = Severity.info
    let summary = "a location that serves directories with no index and no listing"
    let directives: Set<String> = ["autoindex"]
    /// Handed once its block has been walked: it is about what is in force in the block.
    let timing = NginxCheckTiming.blockEnd

    func findings(at site: NginxCheckSite) -> [Finding] {
        let isOff: (Directive) -> Bool = { $0.name == "autoindex" && $0.args.first?.lowercased() == "off" }
        guard isOff(site.directive), !site.earlier.contains(where: isOff),
              !site.siblings.contains(where: { $0.name == "index" }),
              !site.parents.contains(where: { !$0.children("index").isEmpty }) else { return [] }
        return [finding(.indexMissing, .possible,
                        "autoindex is off and no index directive is in force here: a directory without index.html answers 403",
                        evidence: [site.evidence(site.directive)])]
    }
}
