import Why403Core

/// Checks over a parsed nginx configuration for things that cause or hide 403s (for `why403 audit`).
///
/// Each check has a stable id (`nginx.<kebab-name>`), a severity, the directive it is about as
/// evidence (file:line) and, where one exists, a patch. Checks look at the configuration only; they
/// never read the served files.
public enum NginxAudit {
    /// The ids of every check, in the order they run.
    public static let checkIDs = ["nginx.missing-user", "nginx.root-in-home", "nginx.alias-trailing-slash",
                                  "nginx.allow-after-deny-all", "nginx.error-page-hides-403", "nginx.limit-status-403",
                                  "nginx.autoindex-off-no-index"]

    /// Runs every check over `config`; findings carry a severity, evidence and fixes.
    public static func run(_ config: NginxConfig) -> [Finding] {
        var out: [Finding] = []
        let main = config.expanded
        let patcher = Patcher(config: config)
        func ev(_ d: Directive) -> Evidence { Evidence(d.location, d.text) }
        if let events = main.first(where: { $0.name == "http" }), !main.contains(where: { $0.name == "user" }) {
            out.append(Finding(cause: .fsPermission, layer: .nginx, confidence: .possible,
                               summary: "no 'user' directive: when started as root, workers run as 'nobody', which often cannot read the site's files",
                               evidence: [Evidence(source: "\(config.files.first?.path ?? "nginx.conf"):1", text: "(no user directive)")],
                               fixes: [Fix(summary: "name the worker user explicitly (Debian: www-data)", patch: patcher.insertBefore(events, "user www-data;"))],
                               rule: "nginx.missing-user", severity: .warning))
        }
        func walk(_ list: [Directive], parents: [Directive]) {
            var denyAllSeen: Directive?
            for d in list {
                switch d.name {
                case "root", "alias":
                    if let p = d.args.first, p == "/root" || p.hasPrefix("/root/") || p.hasPrefix("/home/") {
                        out.append(Finding(cause: .fsPermission, layer: .nginx, confidence: .possible,
                                           summary: "\(d.name) \(p) is inside a home directory: home directories are usually 0700/0750, so the worker user cannot reach the files",
                                           evidence: [ev(d)],
                                           fixes: [Fix(summary: "serve from a directory the worker can traverse (e.g. /var/www) or grant search permission on each directory (why403 fs)", commands: ["namei -l '\(p)'"])],
                                           rule: "nginx.root-in-home", severity: .warning))
                    }
                    if d.name == "alias", let loc = parents.last, loc.name == "location", let path = loc.args.last,
                       loc.args.count == 1 || loc.args.first == "^~", let a = d.args.first,
                       path.hasSuffix("/") != a.hasSuffix("/") {
                        out.append(Finding(cause: .unknown, layer: .nginx, confidence: .possible,
                                           summary: "location \(path) and alias \(a) disagree on the trailing slash: paths are glued wrongly (404/403, or a traversal one level up)",
                                           evidence: [ev(loc), ev(d)],
                                           fixes: [Fix(summary: "end both with a slash", patch: patcher.replace(d, with: "alias \(a.hasSuffix("/") ? a : a + "/");"))],
                                           rule: "nginx.alias-trailing-slash", severity: .warning))
                    }
                case "deny":
                    if d.args.first == "all" { denyAllSeen = d }
                case "allow":
                    if let deny = denyAllSeen {
                        out.append(Finding(cause: .accessDeny, layer: .nginx, confidence: .certain,
                                           summary: "\(d.text) comes after \(deny.text): rules are checked in order and the first match wins, so it never applies",
                                           evidence: [ev(deny), ev(d)],
                                           fixes: [Fix(summary: "move the allow before the deny all", patch: patcher.insertBefore(deny, d.text))],
                                           rule: "nginx.allow-after-deny-all", severity: .error))
                    }
                case "error_page":
                    if d.args.dropLast().contains("403"), d.args.contains(where: { $0.hasPrefix("=") && $0 != "=403" }) {
                        out.append(Finding(cause: .unknown, layer: .nginx, confidence: .certain,
                                           summary: "\(d.text) answers refused requests with another status: 403s are hidden from clients and monitoring",
                                           evidence: [ev(d)], rule: "nginx.error-page-hides-403", severity: .info))
                    }
                case "limit_req_status", "limit_conn_status":
                    if d.args.first == "403" {
                        out.append(Finding(cause: .rateLimit, layer: .nginx, confidence: .certain,
                                           summary: "\(d.text): rate-limited requests look like permission errors",
                                           evidence: [ev(d)], fixes: [Fix(summary: "answer 429", patch: patcher.replace(d, with: "\(d.name) 429;"))],
                                           rule: "nginx.limit-status-403", severity: .warning))
                    }
                case "autoindex":
                    break
                default: break
                }
                if let b = d.block, !DirectiveTable.specialBodies.contains(d.name) { walk(b, parents: parents + [d]) }
            }
            // An explicit empty-looking index setup: "index" naming only files that are directories is not
            // knowable here; flag "autoindex off" written next to a root with no index directive.
            if let ai = list.first(where: { $0.name == "autoindex" && $0.args.first == "off" }),
               !list.contains(where: { $0.name == "index" }),
               !(parents + [Directive(name: "", args: [], location: ai.location, block: list)]).contains(where: { $0.children("index").isEmpty == false }) {
                out.append(Finding(cause: .indexMissing, layer: .nginx, confidence: .possible,
                                   summary: "autoindex is off and no index directive is in force here: a directory without index.html answers 403",
                                   evidence: [ev(ai)], rule: "nginx.autoindex-off-no-index", severity: .info))
            }
        }
        walk(main, parents: [])
        return out
    }
}
