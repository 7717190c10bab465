import Why403Core

extension Simulation {
    // MARK: translate_name (mod_rewrite in server context, mod_alias, mod_userdir, DocumentRoot)

    /// Where translation sent the URI: a decided redirect, or a file name.
    enum Mapping { case redirect(Outcome), file(String) }

    /// The server-context rewrite configuration: the virtual host's rules with the main server's engine
    /// state (and its rules under `RewriteOptions Inherit`).
    func serverRewriteConfig() -> RewriteConfig? {
        // Server context: the vhost's rules (the main server's are not inherited without
        // RewriteOptions Inherit); the engine state is.
        func config(_ list: [ApacheDirective]) -> RewriteConfig {
            var c = DirConfig()
            var errs: [ApacheDirective] = []
            c.apply(list.filter { $0.key.hasPrefix("rewrite") }, dir: nil, method: req.method, errors: &errs)
            return c.rewrite ?? RewriteConfig()
        }
        let main = config(mainDirectives)
        guard vhost != nil else { return main }
        var v = config(vhostDirectives)
        if v.engine == nil { v.engine = main.engine; v.engineSource = main.engineSource }
        if v.inherit { v.rules += main.rules }
        return v
    }

    /// A mod_alias `Redirect`/`RedirectMatch`/`RedirectPermanent`/`RedirectTemp` that matches `uri`: its
    /// answer (301, 302, 303, 410 or the status given).
    static func redirectOutcome(_ d: ApacheDirective, uri: String) -> Outcome? {
        var args = d.args
        var status = d.key == "redirectpermanent" ? 301 : 302
        if d.key == "redirect" || d.key == "redirectmatch", let first = args.first, !first.hasPrefix("/") {
            switch first.lowercased() {
            case "permanent": status = 301
            case "temp": status = 302
            case "seeother": status = 303
            case "gone": status = 410
            default: status = Int(first) ?? 302
            }
            args.removeFirst()
        }
        guard let from = args.first else { return nil }
        let hit = d.key == "redirectmatch" ? (ApacheRegex(from)?.matches(uri) ?? false)
            : (uri == from || uri.hasPrefix(from.hasSuffix("/") ? from : from + "/"))
        guard hit else { return nil }
        let f = Finding(cause: .none, layer: .apache, confidence: .certain,
                        summary: "\(d.name) answers \(status) for \(uri)", evidence: [d.evidence])
        return Outcome(status: status, findings: [f])
    }

    /// mod_alias (`Redirect*`, `Alias*`, `ScriptAlias*`), then mod_userdir, then `DocumentRoot`.
    mutating func mapToFile(_ uri: String) -> Mapping {
        // mod_alias: the vhost's aliases, then the server's; Redirect first.
        let aliases = vhostDirectives + mainDirectives
        for d in aliases {
            switch d.key {
            case "redirect", "redirectmatch", "redirectpermanent", "redirecttemp":
                if let o = Self.redirectOutcome(d, uri: uri) { return .redirect(o) }
            case "alias", "scriptalias":
                guard d.args.count >= 2 else { continue }
                let from = d.args[0], to = d.args[1]
                // mod_alias alias_matches: the prefix must end at a path segment boundary.
                if uri == from || uri.hasPrefix(from.hasSuffix("/") ? from : from + "/") {
                    notes.append("\(d.location): \(d.text) maps \(uri)")
                    return .file(to + uri.dropFirst(from.count))
                }
            case "aliasmatch", "scriptaliasmatch":
                guard d.args.count >= 2, let re = ApacheRegex(d.args[0]), let caps = re.captures(uri) else { continue }
                var target = d.args[1]
                for (i, c) in caps.enumerated().reversed() { target = target.replacingAll("$\(i)", with: c) }
                notes.append("\(d.location): \(d.text) maps \(uri)")
                return .file(target)
            default: continue
            }
        }
        // mod_userdir: /~user/...
        if uri.hasPrefix("/~"), config.hasModule("userdir"), let ud = serverValue("UserDir") {
            let rest = uri.dropFirst(2)
            let user = String(rest.prefix { $0 != "/" })
            let disabled = (vhostDirectives + mainDirectives).filter { $0.is("UserDir") && $0.args.first?.lowercased() == "disabled" }
            let blanket = disabled.contains { $0.args.count == 1 }
            let named = disabled.contains { $0.args.dropFirst().contains(user) }
            let enabledFor = (vhostDirectives + mainDirectives).contains { $0.is("UserDir") && $0.args.first?.lowercased() == "enabled" && $0.args.dropFirst().contains(user) }
            if !user.isEmpty && !named && (!blanket || enabledFor) {
                let dirName = (vhostDirectives + mainDirectives).last { $0.is("UserDir") && !["disabled", "enabled"].contains($0.args.first?.lowercased() ?? "") }?.args.first ?? ud.args.first ?? "public_html"
                let home = fs.user(named: user).map { _ in "/home/\(user)" } ?? "/home/\(user)"
                let path = dirName.hasPrefix("/") ? dirName + "/" + user : home + "/" + dirName
                return .file(path + rest.dropFirst(user.count))
            }
        }
        let root = serverValue("DocumentRoot")?.args.first.map(resolve) ?? (config.serverRoot + "/htdocs")
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        return .file(r + uri)
    }

    /// A URI path under the document root (for an absolute `DirectoryIndex`).
    func mapToRootRelative(_ p: String) -> String {
        let root = serverValue("DocumentRoot")?.args.first.map(resolve) ?? (config.serverRoot + "/htdocs")
        return root + p
    }
}
