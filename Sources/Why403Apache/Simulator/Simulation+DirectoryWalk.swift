#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core
import Why403FileSystem

extension Simulation {
    // MARK: per-file processing

    /// How processing a file ended: an outcome, or an internal redirect to a new URI.
    enum FileResult { case done(Outcome), internalRedirect(String) }

    /// What the directory walk (ap_directory_walk) gathered: the merged per-directory configuration,
    /// the sections applied, and where on disk the path ended.
    struct DirectoryWalk {
        /// The per-directory configuration merged so far.
        var dc: DirConfig
        /// Sections applied, for evidence.
        var decisive: [ApacheDirective] = []
        /// The `order` of the `<Directory>` sections already applied.
        var applied = Set<Int>()
        /// The last path reached on disk.
        var finalPath = "/"
        var isDir = true
        /// The path does not exist, or path info follows a file: the handler answers 404.
        var missing = false
        var fileInfo: FileInfo? = nil
    }

    /// The `User` httpd's children run as (www-data when unset or unknown).
    mutating func serverUser() -> UserIdentity {
        let name = serverValue("User")?.args.first ?? "www-data"
        var n = name
        if n.hasPrefix("#"), let uid = UInt32(n.dropFirst()) { return UserIdentity(name: n, uid: uid, gid: uid, groups: [uid]) }
        if n.isEmpty { n = "www-data" }
        if let u = fs.user(named: n) { return u }
        notes.append("user \(InputError.quote(n)) is unknown on this machine; assumed uid/gid 33")
        return UserIdentity(name: n, uid: 33, gid: 33, groups: [33])
    }

    /// One directory section with its sort key, as ap_core_reorder_directories sorts them.
    struct DirSection {
        var directive: ApacheDirective
        var pattern: String
        var regex: ApacheRegex?
        var depth: Int
        var order: Int
    }

    /// The `<Directory>` sections sorted shortest first, and the regex ones in config order.
    func directorySections() -> (plain: [DirSection], regex: [DirSection]) {
        var plain: [DirSection] = [], regex: [DirSection] = []
        var order = 0
        for d in mainDirectives + vhostDirectives where d.is("Directory") || d.is("DirectoryMatch") {
            order += 1
            guard var p = d.args.first else { continue }
            if d.is("DirectoryMatch") || p == "~" {
                let pat = d.is("DirectoryMatch") ? p : (d.args.count > 1 ? d.args[1] : "")
                regex.append(DirSection(directive: d, pattern: pat, regex: ApacheRegex(pat), depth: 0, order: order))
                continue
            }
            p = resolve(p)
            if !p.hasSuffix("/") { p += "/" }
            regex.append(contentsOf: [])
            plain.append(DirSection(directive: d, pattern: p, regex: nil, depth: p.filter { $0 == "/" }.count, order: order))
        }
        plain.sort { ($0.depth, $0.order) < ($1.depth, $1.order) }
        return (plain, regex)
    }

    /// Follows symbolic links (as root) to tell what a path finally is.
    func finalKind(_ path: String) -> FileInfo? {
        var p = path
        for _ in 0..<40 {
            guard let info = fs.info(p) else { return nil }
            guard info.kind == .symlink, let t = info.symlinkTarget else { return info }
            p = t.hasPrefix("/") ? t : ApacheConfigParser.dirname(p) + "/" + t
        }
        return nil
    }

    /// Everything after translation for one file name, in httpd's order (ap_process_request_internal):
    /// the directory walk with `.htaccess`, `<DirectoryMatch>`, `<Files>`, `<Location>`, `<If>`,
    /// per-directory SetEnvIf, access control, per-directory mod_rewrite, then the handler.
    mutating func processFile(uri: String, filename rawFile: String, perDirRewriteDone: Bool) -> FileResult {
        var filename = Self.normalize(rawFile)
        if rawFile.hasSuffix("/") && !filename.hasSuffix("/") { filename += "/" }
        var walk = DirectoryWalk(dc: serverDirConfig())
        let (plain, regexSections) = directorySections()
        let who = serverUser()
        if let o = walkDirectories(filename, uri: uri, plain: plain, who: who, into: &walk) {
            // A refusal during the walk (a symlink, search permission, .htaccess) is answered with the
            // server's own ErrorDocument: the per-directory configuration is not merged yet (checked
            // against httpd 2.4: a <Directory>'s or <Location>'s ErrorDocument does not apply then).
            errorDocuments = serverDirConfig().errorDocuments
            return .done(o)
        }
        // r->filename as the walk leaves it: the path info after a file is cut off.
        let walkedFilename = walk.missing && walk.fileInfo != nil ? walk.finalPath : filename
        let dirSlash = applyDirectoryMatch(regexSections, to: &walk, filename: walkedFilename)
        applyFiles(to: &walk, dirSlash: dirSlash)
        applyLocations(to: &walk, uri: uri)
        // <If>: server level and nested, in order.
        applyIfs(serverDirectives.filter { $0.is("If") || $0.is("ElseIf") || $0.is("Else") } + walk.dc.ifSections, uri: uri, dc: &walk.dc, decisive: &walk.decisive)

        errorDocuments = walk.dc.errorDocuments
        // header_parser: per-dir SetEnvIf.
        applySetEnv(walk.dc.setEnv, uri: uri, filename: walk.finalPath)

        // Access control.
        if let o = checkAccess(walk.dc, uri: uri, filename: walk.finalPath, decisive: walk.decisive) { return .done(o) }

        // fixups: mod_security2's phase 2 (request body rules, CRS's anomaly evaluation).
        if let waf = modSecurityPhase2 { return .done(waf) }

        // fixups: per-directory mod_rewrite.
        if let r = perDirectoryRewrite(walk, uri: uri, alreadyDone: perDirRewriteDone) { return r }

        // fixups: mod_alias's Redirect in directory context or .htaccess (fixup_redir).
        if config.hasModule("alias") {
            for d in walk.dc.redirects {
                if let o = Self.redirectOutcome(d, uri: uri) { return .done(o) }
            }
        }

        return .done(handle(walk, uri: uri, who: who))
    }

    /// The per-directory defaults from the server level (directives outside any section, server-level
    /// `<Files>` and `<If>`), before any `<Directory>` applies.
    func serverDirConfig() -> DirConfig {
        var dc = DirConfig()
        var errs: [ApacheDirective] = []
        dc.apply(serverDirectives.filter { !$0.isSection || $0.is("Files") || $0.is("FilesMatch") || $0.is("If") }
                 .filter { !["rewriteengine", "rewriterule", "rewritecond", "rewriteoptions", "rewritebase"].contains($0.key) },
                 dir: nil, method: req.method, errors: &errs)
        dc.fileSections = []
        dc.ifSections = []
        return dc
    }

    /// The `<Directory>` sections whose depth is that of `dirWithSlash` and that match it, once each.
    func applyDirectorySections(_ dirWithSlash: String, _ plain: [DirSection], to walk: inout DirectoryWalk) {
        for s in plain where !walk.applied.contains(s.order) && s.depth == dirWithSlash.filter({ $0 == "/" }).count {
            if s.pattern == dirWithSlash || fnmatch(s.pattern, dirWithSlash, FNM_PATHNAME) == 0 {
                walk.applied.insert(s.order)
                var e: [ApacheDirective] = []
                walk.dc.apply(s.directive.children ?? [], dir: dirWithSlash, method: req.method, errors: &e)
                walk.decisive.append(s.directive)
            }
        }
    }

    /// ap_directory_walk: from `/` down to `filename`, each directory's `<Directory>` sections then its
    /// `.htaccess`; stops at the first file (the rest is path info) or the first missing component.
    /// Returns an outcome when a component refuses (AH00035 search permission, AH00037 symlink,
    /// `.htaccess` unreadable or invalid).
    mutating func walkDirectories(_ filename: String, uri: String, plain: [DirSection], who: UserIdentity,
                                  into walk: inout DirectoryWalk) -> Outcome? {
        let accessFileName = serverValue("AccessFileName")?.args.first ?? ".htaccess"
        let comps = filename.split(separator: "/").map(String.init)
        var current = "/"

        applyDirectorySections("/", plain, to: &walk)
        if let o = readHtaccess(dir: "/", name: accessFileName, dc: &walk.dc, who: who) { return o }
        for (i, c) in comps.enumerated() {
            let path = current == "/" ? "/" + c : current + "/" + c
            guard let info = fs.info(path) else {
                // httpd: the rest is path info; a static file is then 404 at the handler.
                walk.missing = true
                walk.finalPath = path
                walk.isDir = false
                break
            }
            // Search permission on `current` is needed to stat `path`.
            let reach = PathWalk.check(current, as: who, need: .reach, in: fs)
            let parentSearch = PathWalk.check(path, as: who, need: .reach, in: fs)
            if case .denied = parentSearch.outcome, case .allowed = reach.outcome {
                var f = parentSearch.findings.first ?? Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain,
                                                               summary: "a directory on the path is not searchable by \(who.name)")
                f.rule = "AH00035"
                f.summary = "\(who.name) may not search \(current): AH00035 access to \(uri) denied (filesystem path '\(path)') because search permissions are missing on a component of the path"
                return Outcome(status: 403, findings: [f])
            }
            if info.kind == .symlink, let o = symlinkRefused(path, info: info, dc: walk.dc, in: current) { return o }
            let kind = finalKind(path)
            guard let k = kind else {
                // dangling link
                let f = Finding(cause: .fsSymlink, layer: .apache, confidence: .likely,
                                summary: "\(path) is a symbolic link whose target does not exist (AH00037)", evidence: [Evidence(source: path, text: "-> \(info.symlinkTarget ?? "?")")], rule: "AH00037")
                return Outcome(status: 403, findings: [f])
            }
            walk.finalPath = path
            if k.kind == .directory {
                current = path
                let withSlash = path + "/"
                applyDirectorySections(withSlash, plain, to: &walk)
                if let o = readHtaccess(dir: withSlash, name: accessFileName, dc: &walk.dc, who: who) { return o }
                walk.isDir = true
            } else {
                walk.fileInfo = k
                walk.isDir = false
                if i < comps.count - 1 { walk.missing = true }  // path info after a file
                break
            }
        }
        if comps.isEmpty { walk.finalPath = "/" }
        return nil
    }

    /// A symbolic link met on the walk: 403 (AH00037) unless `Options FollowSymLinks`, or
    /// `SymLinksIfOwnerMatch` with the same owner as its target, is on.
    func symlinkRefused(_ path: String, info: FileInfo, dc: DirConfig, in current: String) -> Outcome? {
        let follow = dc.options.contains("followsymlinks")
        let owner = dc.options.contains("symlinksifownermatch")
        var ok = follow
        if !follow && owner, let target = finalKind(path) { ok = target.uid == info.uid }
        guard !ok else { return nil }
        var ev: [Evidence] = []
        if let o = dc.optionsSource { ev.append(o.evidence) }
        ev.append(Evidence(source: path, text: "symbolic link -> \(info.symlinkTarget ?? "?")"))
        let how = owner ? "SymLinksIfOwnerMatch is on and the link's owner differs from its target's" : "FollowSymLinks is off here"
        let f = Finding(cause: .fsSymlink, layer: .apache, confidence: .certain,
                        summary: "\(path) is a symbolic link and \(how): AH00037 Symbolic link not allowed or link target not accessible",
                        evidence: ev,
                        fixes: [Fix(summary: "allow symbolic links for this directory (or replace the link by the file)",
                                    patch: patchFor(dc.optionsSource, replace: "Options +FollowSymLinks", dir: current))],
                        rule: "AH00037")
        return Outcome(status: 403, findings: [f])
    }

    /// `<DirectoryMatch>` / `<Directory ~>`: in config order, against `r->filename` as the walk leaves it
    /// (the file's whole path, a directory's with the slash the request gave: httpd 2.4 matches
    /// `"/fileish/a\.txt$"` for /fileish/a.txt, and `"/exact$"` for /exact but not for /exact/a.txt or
    /// /exact/; checked against httpd by ApacheSectionDifferentialTests). Returns the directory reached,
    /// with a trailing slash.
    mutating func applyDirectoryMatch(_ regexSections: [DirSection], to walk: inout DirectoryWalk, filename: String) -> String {
        let dirReached = (walk.isDir ? walk.finalPath : ApacheConfigParser.dirname(walk.finalPath))
        let dirSlash = dirReached.hasSuffix("/") ? dirReached : dirReached + "/"
        var errs: [ApacheDirective] = []
        for s in regexSections {
            guard let re = s.regex else {
                notes.append("\(s.directive.location): the regular expression \(InputError.quote(s.pattern)) could not be compiled here; section skipped")
                continue
            }
            if re.matches(filename) {
                walk.dc.apply(s.directive.children ?? [], dir: dirSlash, method: req.method, errors: &errs)
                walk.decisive.append(s.directive)
            }
        }
        return dirSlash
    }

    /// `<Files>`/`<FilesMatch>`: server-level ones, then those nested in directory sections/.htaccess.
    func applyFiles(to walk: inout DirectoryWalk, dirSlash: String) {
        let base = walk.isDir ? "" : ApacheConfigParser.basename(walk.finalPath)
        let serverFiles = serverDirectives.filter { $0.is("Files") || $0.is("FilesMatch") }
        var errs: [ApacheDirective] = []
        for f in serverFiles + walk.dc.fileSections where matchesFiles(f, base) {
            walk.dc.apply(f.children ?? [], dir: dirSlash, method: req.method, errors: &errs)
            walk.decisive.append(f)
        }
    }

    /// `<Location>`/`<LocationMatch>` (ap_location_walk), in config order.
    func applyLocations(to walk: inout DirectoryWalk, uri: String) {
        for l in serverDirectives where l.is("Location") || l.is("LocationMatch") {
            if matchesLocation(l, uri) {
                var e: [ApacheDirective] = []
                walk.dc.apply(l.children ?? [], dir: nil, method: req.method, errors: &e)
                walk.decisive.append(l)
            }
        }
    }

    /// Whether a `<Files>`/`<FilesMatch>` section matches the base name.
    func matchesFiles(_ f: ApacheDirective, _ base: String) -> Bool {
        guard let p = f.args.first else { return false }
        if f.is("FilesMatch") || p == "~" {
            let pat = f.is("FilesMatch") ? p : (f.args.count > 1 ? f.args[1] : "")
            return ApacheRegex(pat)?.matches(base) ?? false
        }
        return fnmatch(p, base, 0) == 0
    }

    /// Whether a `<Location>`/`<LocationMatch>` section matches the URI.
    func matchesLocation(_ l: ApacheDirective, _ uri: String) -> Bool {
        guard let p = l.args.first else { return false }
        if l.is("LocationMatch") || p == "~" {
            let pat = l.is("LocationMatch") ? p : (l.args.count > 1 ? l.args[1] : "")
            return ApacheRegex(pat)?.matches(uri) ?? false
        }
        if p.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
            return fnmatch(p, uri, FNM_PATHNAME) == 0 || fnmatch(p + "/*", uri, 0) == 0
        }
        // Prefix match on whole segments: `<Location /admin>` is /admin, /admin/ and below, not /admin.json
        // or /admin..;/ (ap_location_walk; checked against httpd 2.4 by the bypass differential test); a
        // trailing slash in the section must be matched (docs of <Location>).
        if uri == p { return true }
        if p.hasSuffix("/") { return uri.hasPrefix(p) }
        return uri.hasPrefix(p + "/")
    }

    /// `<If>`/`<ElseIf>`/`<Else>` in order; an expression why403 cannot evaluate is assumed false.
    mutating func applyIfs(_ ifs: [ApacheDirective], uri: String, dc: inout DirConfig, decisive: inout [ApacheDirective]) {
        var previousTaken: Bool? = nil
        for d in ifs {
            var errs: [ApacheDirective] = []
            switch d.key {
            case "if":
                let text = d.args.joined(separator: " ")
                let v = evalExpr(text)
                if v == nil { uncertain.append("\(d.location): <If \(text)> is beyond what why403 evaluates; assumed false") }
                previousTaken = v ?? false
                if v == true { dc.apply(d.children ?? [], dir: nil, method: req.method, errors: &errs); decisive.append(d) }
            case "elseif":
                guard previousTaken == false else { continue }
                let text = d.args.joined(separator: " ")
                let v = evalExpr(text)
                if v == nil { uncertain.append("\(d.location): <ElseIf \(text)> is beyond what why403 evaluates; assumed false") }
                previousTaken = v ?? false
                if v == true { dc.apply(d.children ?? [], dir: nil, method: req.method, errors: &errs); decisive.append(d) }
            default:
                if previousTaken == false { dc.apply(d.children ?? [], dir: nil, method: req.method, errors: &errs); decisive.append(d) }
                previousTaken = nil
            }
        }
    }
}
