import Why403Core

/// The per-directory configuration of one request, merged section by section in httpd's order.
///
/// Each field follows the merge rule of the module that owns it (httpd 2.4 sources): core `Options`
/// (`+`/`-` relative, else replace), `AllowOverride` (replace), mod_dir `DirectoryIndex` (replace),
/// mod_authz_core (a section with `Require` replaces, unless `AuthMerging And|Or`), mod_access_compat
/// (no merge function: a section with any of its directives replaces the whole config), mod_rewrite
/// (a section with rewrite directives replaces the rules, the engine state inherits), mod_setenvif
/// (appends), ErrorDocument (per status).
struct DirConfig {
    var options: Set<String> = ["followsymlinks"]
    var optionsSource: ApacheDirective?
    var allowOverride: Set<String> = []
    var allowOverrideSource: ApacheDirective?
    var allowOverrideList: Set<String> = []
    var directoryIndex: [String] = ["index.html"]
    var directoryIndexSource: ApacheDirective?
    var authz: AuthzNode?
    var authType: ApacheDirective?
    var authName: ApacheDirective?
    var authUserFile: ApacheDirective?
    var authGroupFile: ApacheDirective?
    var compat: CompatConfig?
    var rewrite: RewriteConfig?
    var setEnv: [ApacheDirective] = []
    var errorDocuments: [String: ApacheDirective] = [:]
    /// `<Files>`/`<FilesMatch>` sections nested in directory sections and .htaccess files, in order.
    var fileSections: [ApacheDirective] = []
    /// `<If>` sections nested in directory sections, in order.
    var ifSections: [ApacheDirective] = []
    /// `AuthzSendForbiddenOnFailure On`.
    var forbiddenOnFailure = false
    /// mod_allowmethods: the methods `AllowMethods` lets through (GET brings HEAD), and its line;
    /// nil when unset or `reset` (every method). A section that sets it replaces the inherited list.
    var allowMethods: (methods: Set<String>, source: ApacheDirective)?
    /// mod_alias `Redirect*` in directory context (sections, .htaccess): a deeper one first, as
    /// merge_alias_dir_config appends the base's after the section's own.
    var redirects: [ApacheDirective] = []
    /// `SecRuleEngine` in effect.
    var secRuleEngine: ApacheDirective?
    /// Directives met that the simulator does not model, by name.
    var unmodelled: [ApacheDirective] = []

    static let allOverrides: Set<String> = ["authconfig", "fileinfo", "indexes", "limit", "options"]

    /// Applies the directives of one section (or .htaccess) whose directory is `dir` (for mod_rewrite's
    /// per-directory prefix).
    mutating func apply(_ directives: [ApacheDirective], dir: String?, method: String, errors: inout [ApacheDirective]) {
        var authzChildren: [AuthzNode] = []
        var authMerging: String? = nil
        var compatNew: CompatConfig? = nil
        var rewriteNew: RewriteConfig? = nil
        var pendingCond: [ApacheDirective] = []
        var newRedirects: [ApacheDirective] = []

        func newCompat() -> CompatConfig { compatNew ?? CompatConfig() }
        let inheritedRewrite = self.rewrite
        func newRewrite() -> RewriteConfig {
            if let r = rewriteNew { return r }
            var r = RewriteConfig()
            r.engine = inheritedRewrite?.engine
            r.engineSource = inheritedRewrite?.engineSource
            r.dir = dir
            return r
        }

        var flat: [ApacheDirective] = []
        // <Limit>/<LimitExcept> apply their contents only to the methods they name; a Require inside
        // joins the section's implicit <RequireAny> (checked against httpd 2.4: with `Require all
        // granted` beside it, `<LimitExcept GET> Require all denied` does not refuse a POST).
        func flatten(_ ds: [ApacheDirective], limited: Bool) {
            for d in ds {
                // GET names HEAD too (HEAD is M_GET to httpd; checked by the bypass differential test).
                let named = Set(d.args.map { $0.uppercased() }).union(d.args.contains { $0.uppercased() == "GET" } ? ["HEAD"] : [])
                if d.is("Limit") {
                    if named.contains(method) { flatten(d.children ?? [], limited: true) }
                } else if d.is("LimitExcept") {
                    if !named.contains(method) { flatten(d.children ?? [], limited: true) }
                } else {
                    flat.append(d)
                }
            }
        }
        flatten(directives, limited: false)

        for d in flat {
            switch d.key {
            case "options":
                applyOptions(d)
            case "allowoverride":
                var set: Set<String> = []
                for a in d.args {
                    let l = a.lowercased()
                    if l == "all" { set = Self.allOverrides }
                    else if l == "none" { set = [] }
                    else if l.hasPrefix("options") { set.insert("options") }
                    else if l.hasPrefix("nonfatal") { continue }
                    else { set.insert(l) }
                }
                allowOverride = set
                allowOverrideSource = d
            case "allowoverridelist":
                allowOverrideList = Set(d.args.map { $0.lowercased() }.filter { $0 != "none" })
            case "directoryindex":
                directoryIndex = d.args.first?.lowercased() == "disabled" ? [] : d.args
                directoryIndexSource = d
            case "require":
                authzChildren.append(AuthzNode.parse(d))
            case "requireall", "requireany", "requirenone":
                authzChildren.append(AuthzNode.parse(d))
            case "authzsendforbiddenonfailure":
                forbiddenOnFailure = d.args.first?.lowercased() == "on"
            case "authmerging":
                authMerging = d.args.first?.lowercased()
            case "authtype":
                authType = d.args.first?.lowercased() == "none" ? nil : d
            case "authname": authName = d
            case "authuserfile": authUserFile = d
            case "authgroupfile": authGroupFile = d
            case "order":
                var c = newCompat()
                c.order = CompatConfig.Order(d.args.joined())
                c.orderSource = d
                compatNew = c
            case "allow", "deny":
                var c = newCompat()
                var args = d.args
                if args.first?.lowercased() == "from" { args.removeFirst() }
                if d.key == "allow" { c.allows.append((args, d)) } else { c.denies.append((args, d)) }
                compatNew = c
            case "satisfy":
                var c = newCompat()
                c.satisfyAny = d.args.first?.lowercased() == "any"
                c.satisfySource = d
                compatNew = c
            case "rewriteengine":
                var r = newRewrite()
                r.engine = d.args.first?.lowercased() == "on"
                r.engineSource = d
                rewriteNew = r
            case "rewriteoptions":
                var r = newRewrite()
                if d.args.contains(where: { $0.lowercased().hasPrefix("inherit") }) { r.inherit = true }
                rewriteNew = r
            case "rewritebase":
                var r = newRewrite()
                r.base = d.args.first
                rewriteNew = r
            case "rewritecond":
                pendingCond.append(d)
                rewriteNew = newRewrite()
            case "rewriterule":
                var r = newRewrite()
                r.rules.append(RewriteRuleDef(rule: d, conds: pendingCond))
                pendingCond = []
                rewriteNew = r
            case "setenvif", "setenvifnocase", "browsermatch", "browsermatchnocase", "setenv", "unsetenv",
                 "setenvifexpr":
                setEnv.append(d)
            case "redirect", "redirectmatch", "redirectpermanent", "redirecttemp":
                newRedirects.append(d)
            case "allowmethods":
                let names = Set(d.args.map { $0.uppercased() })
                allowMethods = names.contains("RESET") ? nil : (names.union(names.contains("GET") ? ["HEAD"] : []), d)
            case "errordocument":
                if let code = d.args.first { errorDocuments[code] = d }
            case "files", "filesmatch":
                fileSections.append(d)
            case "if", "elseif", "else":
                ifSections.append(d)
            case "secruleengine":
                secRuleEngine = d
            default:
                break
            }
        }
        if !authzChildren.isEmpty {
            let node: AuthzNode = authzChildren.count == 1 ? authzChildren[0]
                : .any(authzChildren, source: nil)
            switch (authMerging, authz) {
            case ("and", let parent?): authz = .all([parent, node], source: nil)
            case ("or", let parent?): authz = .any([parent, node], source: nil)
            default: authz = node
            }
        }
        if let c = compatNew {
            self.compat = c
        }
        if !newRedirects.isEmpty { redirects = newRedirects + redirects }
        if var r = rewriteNew {
            if r.inherit, let parent = inheritedRewrite { r.rules = r.rules + parent.rules }
            self.rewrite = r
        }
        _ = errors
    }

    mutating func applyOptions(_ d: ApacheDirective) {
        let relative = d.args.allSatisfy { $0.hasPrefix("+") || $0.hasPrefix("-") }
        var set: Set<String> = relative ? options : []
        for a in d.args {
            var l = a.lowercased()
            var add = true
            if l.hasPrefix("+") { l.removeFirst() } else if l.hasPrefix("-") { l.removeFirst(); add = false }
            let names: [String]
            switch l {
            case "all": names = ["indexes", "includes", "followsymlinks", "execcgi"]
            case "none": set = []; continue
            default: names = [l]
            }
            for n in names { if add { set.insert(n) } else { set.remove(n) } }
        }
        options = set
        optionsSource = d
    }

    /// Whether listing a directory is on.
    var indexes: Bool { options.contains("indexes") }
}

/// mod_access_compat's configuration of one section.
struct CompatConfig {
    enum Order: Equatable {
        case denyAllow, allowDeny, mutualFailure, invalid
        init(_ s: String) {
            switch s.lowercased() {
            case "deny,allow": self = .denyAllow
            case "allow,deny": self = .allowDeny
            case "mutual-failure": self = .mutualFailure
            default: self = .invalid
            }
        }
    }
    var order: Order = .denyAllow
    var orderSource: ApacheDirective?
    var allows: [([String], ApacheDirective)] = []
    var denies: [([String], ApacheDirective)] = []
    var satisfyAny = false
    var satisfySource: ApacheDirective?
}

/// mod_rewrite's configuration of one context.
struct RewriteConfig {
    var engine: Bool?
    var engineSource: ApacheDirective?
    var rules: [RewriteRuleDef] = []
    var inherit = false
    var base: String?
    /// The directory of a per-directory context (nil in server context).
    var dir: String?
}

/// One RewriteRule and the RewriteCond lines before it.
struct RewriteRuleDef {
    var rule: ApacheDirective
    var conds: [ApacheDirective]
}
