#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core
import Why403FileSystem
import Why403Htpasswd

/// Explains what an Apache httpd configuration, on this filesystem, answers to one request, and why.
///
/// Follows httpd 2.4's request processing (server/request.c): server-context mod_rewrite and
/// mod_alias (translate), the directory walk with `<Directory>` sections shortest first and
/// `.htaccess` files as `AllowOverride` permits, `<DirectoryMatch>`, `<Files>`, `<Location>`, `<If>`,
/// then mod_access_compat (`Order`/`Allow`/`Deny`, AH01797) and mod_authz_core (`Require`, AH01630)
/// combined by `Satisfy`, Basic authentication against `AuthUserFile` (AH01617/AH01618, 401),
/// per-directory mod_rewrite (fixups) and the default handler (AH01276, AH00132, AH00035, AH00037).
///
/// Denies on: the first of those phases that refuses. Evidence: the directives (file:line) that decide,
/// the `.htaccess` files read or ignored, and ModSecurity log lines. `certain` when every input of the
/// decision is known (the client address was given, no host-name or unmodelled rule was involved);
/// `likely` otherwise. Fixes: the directive to change, as a patch; `chmod`/`setfacl` from the
/// filesystem walk.
public enum ApacheAnalyzer {
    /// Analyses one request; throws `InputError`/`InputErrors` when the configuration cannot be read.
    public static func analyze(_ input: Input) throws -> Report {
        var parser = ApacheConfigParser(fileSystem: input.fileSystem, defines: input.defines,
                                        environment: input.environment, httpdVersion: input.httpdVersion)
        let config = try parser.parse(mainFile: input.configPath)
        var sim = Simulation(config: config, input: input)
        return sim.run()
    }
}

/// The outcome of the simulation before it becomes a report.
struct Outcome {
    var status: Int
    var findings: [Finding]
}

struct Simulation {
    let config: ApacheConfig
    let input: ApacheAnalyzer.Input
    let req: ApacheRequest
    var fs: any FileSystemView { input.fileSystem }
    var notes: [String] = []
    var extraFindings: [Finding] = []
    var uncertain: [String] = []
    var env: [String: String] = [:]
    var envSources: [String: ApacheDirective] = [:]
    var vhost: ApacheDirective?
    /// Top-level directives of the main server, then of the chosen virtual host.
    var serverDirectives: [ApacheDirective] = []
    var mainDirectives: [ApacheDirective] = []
    var vhostDirectives: [ApacheDirective] = []
    var htaccessRead: [String] = []
    /// ErrorDocument lines in effect for the request (by status).
    var errorDocuments: [String: ApacheDirective] = [:]

    init(config: ApacheConfig, input: ApacheAnalyzer.Input) {
        self.config = config
        self.input = input
        self.req = ApacheRequest(input.request)
        self.notes = config.notes
    }

    // MARK: helpers

    func lastDirective(_ name: String, in list: [ApacheDirective]) -> ApacheDirective? {
        list.last { $0.is(name) && !$0.isSection }
    }

    /// A server-level directive: the vhost's, else the main server's.
    func serverValue(_ name: String) -> ApacheDirective? {
        lastDirective(name, in: vhostDirectives) ?? lastDirective(name, in: mainDirectives)
    }

    func resolve(_ p: String) -> String {
        if p.hasPrefix("/") { return p }
        return config.serverRoot + "/" + p
    }

    static func percentDecode(_ s: String) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
            } else { bytes.append(c) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Collapses `//`, resolves `.` and `..` (ap_getparents).
    static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(part)
        }
        var s = "/" + out.joined(separator: "/")
        if path.hasSuffix("/") && s != "/" { s += "/" }
        return s
    }

    // MARK: run

    mutating func run() -> Report {
        let outcome = simulate()
        var findings = outcome.findings
        findings += extraFindings
        if !uncertain.isEmpty {
            notes += uncertain
            findings = findings.map { f in
                var f = f
                if f.confidence == .certain { f.confidence = .likely }
                return f
            }
        }
        if req.clientIP == nil {
            notes.append("no --client-ip given: address rules were evaluated for 127.0.0.1")
            findings = findings.map { f in
                var f = f
                if f.cause == .accessIP && f.confidence == .certain { f.confidence = .likely }
                return f
            }
        }
        if let doc = errorDocuments[String(outcome.status)] {
            notes.append("ErrorDocument \(outcome.status) is set (\(doc.location): \(doc.text)): the client sees that document, not httpd's default \(outcome.status) page")
        }
        let subject = Subject(kind: .apache, url: req.url, method: req.method, clientIP: req.clientIP,
                              config: config.mainFile,
                              extra: vhost.map { ["virtual_host": .string("\($0.location): <VirtualHost \($0.args.joined(separator: " "))>")] } ?? [:])
        // Findings that name a cause first (the primary one leads: Verdict.decide).
        var ordered = findings.filter { $0.cause != .none }
        ordered += findings.filter { $0.cause == .none }
        var seen = Set<String>()
        notes = notes.filter { seen.insert($0).inserted }
        return Report(subject: subject, status: outcome.status, findings: ordered, answeredBy: .apache, notes: notes)
    }

    mutating func simulate() -> Outcome {
        selectServer()
        var uri: String
        guard let decoded = Self.percentDecode(req.rawPath) else {
            return Outcome(status: 400, findings: [])
        }
        if decoded.contains("\0") || req.rawPath.lowercased().contains("%2f") {
            notes.append("the path holds an encoded slash or NUL; httpd answers 404 (AllowEncodedSlashes Off)")
            return Outcome(status: 404, findings: [])
        }
        uri = Self.normalize(decoded)

        modSecurityNotes()
        // ModSecurity: a logged deny for this request decides before anything else.
        if let waf = modSecurityFromLog(uri: uri) { return waf }

        // post_read_request: server-context SetEnvIf.
        applySetEnv(serverDirectives.filter { ["setenvif", "setenvifnocase", "browsermatch", "browsermatchnocase", "setenv", "unsetenv"].contains($0.key) }, uri: uri, filename: nil)

        var redirects = 0
        var perDirRewriteDone = false
        while true {
            redirects += 1
            if redirects > 10 {
                notes.append("more than 10 internal redirects (AH00124); httpd answers 500")
                return Outcome(status: 500, findings: [])
            }
            // translate_name: server-context mod_rewrite.
            let serverRewrite = serverRewriteConfig()
            var filename: String? = nil
            if let rw = serverRewrite, rw.engine == true {
                switch applyRewrite(rw, uri: uri, filename: nil, perDir: false) {
                case .stop(let o): return o
                case .uri(let u): uri = u
                case .file(let f): filename = f
                case .none: break
                }
            }
            if filename == nil {
                switch mapToFile(uri) {
                case .redirect(let o): return o
                case .file(let f): filename = f
                }
            }
            guard let file = filename else { return Outcome(status: 404, findings: []) }
            let result = processFile(uri: uri, filename: file, perDirRewriteDone: perDirRewriteDone)
            switch result {
            case .done(let o): return o
            case .internalRedirect(let u):
                uri = u
                perDirRewriteDone = true
                continue
            }
        }
    }

    // MARK: virtual hosts

    mutating func selectServer() {
        let top = config.directives
        mainDirectives = top.filter { !$0.is("VirtualHost") }
        let vhosts = top.filter { $0.is("VirtualHost") }
        serverDirectives = mainDirectives
        guard !vhosts.isEmpty else { return }
        let hostIsIP = IPAddress(req.host) != nil
        func addrMatch(_ v: ApacheDirective) -> (exact: Bool, wild: Bool) {
            var exact = false, wild = false
            for a in v.args {
                var addr = a, port = "*"
                if a.hasPrefix("[") {
                    if let close = a.firstIndex(of: "]") {
                        addr = String(a[a.index(after: a.startIndex)..<close])
                        let after = a[a.index(after: close)...]
                        if after.hasPrefix(":") { port = String(after.dropFirst()) }
                    }
                } else if let colon = a.lastIndex(of: ":") {
                    addr = String(a[..<colon]); port = String(a[a.index(after: colon)...])
                }
                guard port == "*" || Int(port) == req.port else { continue }
                if addr == "*" || addr == "_default_" { wild = true }
                else if !hostIsIP || addr == req.host || addr.lowercased() == req.host { exact = true }
            }
            return (exact, wild)
        }
        var candidates = vhosts.filter { addrMatch($0).exact }
        if !hostIsIP && !candidates.isEmpty && vhosts.contains(where: { addrMatch($0).wild }) {
            notes.append("virtual hosts bound to specific addresses exist; assumed \(req.host) resolves to them")
        }
        if candidates.isEmpty { candidates = vhosts.filter { addrMatch($0).wild } }
        guard !candidates.isEmpty else {
            notes.append("no <VirtualHost> listens on port \(req.port); the main server answers")
            return
        }
        func names(_ v: ApacheDirective) -> [String] {
            (v.children ?? []).filter { $0.is("ServerName") || $0.is("ServerAlias") }.flatMap { $0.args }.map { n in
                var s = n.lowercased()
                if let r = s.range(of: "://") { s = String(s[r.upperBound...]) }
                if let colon = s.lastIndex(of: ":"), !s.hasSuffix("]") { s = String(s[..<colon]) }
                return s
            }
        }
        let chosen = candidates.first { v in names(v).contains { fnmatch($0, req.host, 0) == 0 } }
        if let chosen {
            vhost = chosen
        } else {
            vhost = candidates[0]
            notes.append("no ServerName/ServerAlias matches \(InputError.quote(req.host)); the first virtual host for this address answers (\(candidates[0].location))")
        }
        vhostDirectives = vhost?.children ?? []
        serverDirectives = mainDirectives + vhostDirectives
    }

    // MARK: translate

    enum Mapping { case redirect(Outcome), file(String) }

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

    mutating func mapToFile(_ uri: String) -> Mapping {
        // mod_alias: the vhost's aliases, then the server's; Redirect first.
        let aliases = vhostDirectives + mainDirectives
        for d in aliases {
            switch d.key {
            case "redirect", "redirectmatch", "redirectpermanent", "redirecttemp":
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
                guard let from = args.first else { continue }
                let hit = d.key == "redirectmatch" ? (ApacheRegex(from)?.matches(uri) ?? false)
                    : (uri == from || uri.hasPrefix(from.hasSuffix("/") ? from : from + "/"))
                if hit {
                    let f = Finding(cause: .none, layer: .apache, confidence: .certain,
                                    summary: "\(d.name) answers \(status) for \(uri)", evidence: [d.evidence])
                    return .redirect(Outcome(status: status, findings: [f]))
                }
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

    // MARK: per-file processing

    enum FileResult { case done(Outcome), internalRedirect(String) }

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

    mutating func processFile(uri: String, filename rawFile: String, perDirRewriteDone: Bool) -> FileResult {
        var filename = Self.normalize(rawFile)
        if rawFile.hasSuffix("/") && !filename.hasSuffix("/") { filename += "/" }
        var dc = DirConfig()
        var errs: [ApacheDirective] = []
        // Server-level per-dir defaults (directives outside any section).
        dc.apply(serverDirectives.filter { !$0.isSection || $0.is("Files") || $0.is("FilesMatch") || $0.is("If") }
                 .filter { !["rewriteengine", "rewriterule", "rewritecond", "rewriteoptions", "rewritebase"].contains($0.key) },
                 dir: nil, method: req.method, errors: &errs)
        dc.fileSections = []
        dc.ifSections = []
        let (plain, regexSections) = directorySections()
        var decisive: [ApacheDirective] = []  // sections applied, for evidence
        let who = serverUser()
        let accessFileName = serverValue("AccessFileName")?.args.first ?? ".htaccess"

        // The directory walk.
        let comps = filename.split(separator: "/").map(String.init)
        var current = "/"
        var applied = Set<Int>()
        var fileInfo: FileInfo? = nil
        var finalPath = "/"
        var isDir = true
        var missing = false

        func applyPlain(_ dirWithSlash: String, _ sim: inout Simulation, _ dc: inout DirConfig) {
            for s in plain where !applied.contains(s.order) && s.depth == dirWithSlash.filter({ $0 == "/" }).count {
                if s.pattern == dirWithSlash || fnmatch(s.pattern, dirWithSlash, FNM_PATHNAME) == 0 {
                    applied.insert(s.order)
                    var e: [ApacheDirective] = []
                    dc.apply(s.directive.children ?? [], dir: dirWithSlash, method: sim.req.method, errors: &e)
                    decisive.append(s.directive)
                }
            }
        }

        applyPlain("/", &self, &dc)
        if let o = readHtaccess(dir: "/", name: accessFileName, dc: &dc, who: who) { return .done(o) }
        for (i, c) in comps.enumerated() {
            let path = current == "/" ? "/" + c : current + "/" + c
            guard let info = fs.info(path) else {
                // httpd: the rest is path info; a static file is then 404 at the handler.
                missing = true
                finalPath = path
                isDir = false
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
                return .done(Outcome(status: 403, findings: [f]))
            }
            if info.kind == .symlink {
                let follow = dc.options.contains("followsymlinks")
                let owner = dc.options.contains("symlinksifownermatch")
                var ok = follow
                if !follow && owner, let target = finalKind(path) { ok = target.uid == info.uid }
                if !ok {
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
                    return .done(Outcome(status: 403, findings: [f]))
                }
            }
            let kind = finalKind(path)
            guard let k = kind else {
                // dangling link
                let f = Finding(cause: .fsSymlink, layer: .apache, confidence: .likely,
                                summary: "\(path) is a symbolic link whose target does not exist (AH00037)", evidence: [Evidence(source: path, text: "-> \(info.symlinkTarget ?? "?")")], rule: "AH00037")
                return .done(Outcome(status: 403, findings: [f]))
            }
            finalPath = path
            if k.kind == .directory {
                current = path
                let withSlash = path + "/"
                applyPlain(withSlash, &self, &dc)
                if let o = readHtaccess(dir: withSlash, name: accessFileName, dc: &dc, who: who) { return .done(o) }
                isDir = true
                _ = i
            } else {
                fileInfo = k
                isDir = false
                if i < comps.count - 1 { missing = true }  // path info after a file
                break
            }
        }
        if comps.isEmpty { finalPath = "/" }
        // <DirectoryMatch> / <Directory ~>: in config order, against the directory reached.
        let dirReached = (isDir ? finalPath : ApacheConfigParser.dirname(finalPath))
        let dirSlash = dirReached.hasSuffix("/") ? dirReached : dirReached + "/"
        for s in regexSections {
            guard let re = s.regex else {
                notes.append("\(s.directive.location): the regular expression \(InputError.quote(s.pattern)) could not be compiled here; section skipped")
                continue
            }
            if re.matches(dirSlash) || re.matches(dirReached) {
                dc.apply(s.directive.children ?? [], dir: dirSlash, method: req.method, errors: &errs)
                decisive.append(s.directive)
            }
        }
        // <Files>/<FilesMatch>: server-level ones, then those nested in directory sections/.htaccess.
        let base = isDir ? "" : ApacheConfigParser.basename(finalPath)
        let serverFiles = serverDirectives.filter { $0.is("Files") || $0.is("FilesMatch") }
        for f in serverFiles + dc.fileSections where matchesFiles(f, base) {
            dc.apply(f.children ?? [], dir: dirSlash, method: req.method, errors: &errs)
            decisive.append(f)
        }
        // <Location>/<LocationMatch>.
        for l in serverDirectives where l.is("Location") || l.is("LocationMatch") {
            if matchesLocation(l, uri) {
                var e: [ApacheDirective] = []
                dc.apply(l.children ?? [], dir: nil, method: req.method, errors: &e)
                decisive.append(l)
            }
        }
        // <If>: server level and nested, in order.
        applyIfs(serverDirectives.filter { $0.is("If") || $0.is("ElseIf") || $0.is("Else") } + dc.ifSections, uri: uri, dc: &dc, decisive: &decisive)

        errorDocuments = dc.errorDocuments
        // header_parser: per-dir SetEnvIf.
        applySetEnv(dc.setEnv, uri: uri, filename: finalPath)

        // Access control.
        if let o = checkAccess(dc, uri: uri, filename: finalPath, decisive: decisive) { return .done(o) }

        // fixups: per-directory mod_rewrite.
        if let rw = dc.rewrite, rw.engine == true, !rw.rules.isEmpty, !perDirRewriteDone {
            if !dc.options.contains("followsymlinks") && !dc.options.contains("symlinksifownermatch") {
                var ev = rw.rules.prefix(1).map { $0.rule.evidence }
                if let o = dc.optionsSource { ev.append(o.evidence) }
                return .done(Outcome(status: 403, findings: [Finding(
                    cause: .accessDeny, layer: .apache, confidence: .certain,
                    summary: "RewriteRule in directory context with Options FollowSymLinks and SymLinksIfOwnerMatch both off: AH00670 Options FollowSymLinks and SymLinksIfOwnerMatch are both off, so the RewriteRule directive is also forbidden due to its similar ability to circumvent directory restrictions",
                    evidence: ev, fixes: [Fix(summary: "turn on Options +SymLinksIfOwnerMatch (or +FollowSymLinks) for this directory")], rule: "AH00670")]))
            }
            switch applyRewrite(rw, uri: uri, filename: isDir ? finalPath + "/" : finalPath, perDir: true) {
            case .stop(let o): return .done(o)
            case .uri(let u): if u != uri { return .internalRedirect(u) }
            case .file(let f): if f != finalPath { return .internalRedirect(f) }
            case .none: break
            }
        }

        // The handler.
        if missing {
            return .done(Outcome(status: 404, findings: [Finding(cause: .none, layer: .apache, confidence: .certain,
                                                                  summary: "\(finalPath) does not exist: httpd answers 404",
                                                                  evidence: [Evidence(source: finalPath, text: "no such file or directory")])]))
        }
        if isDir {
            if !uri.hasSuffix("/") && config.hasModule("dir") {
                return .done(Outcome(status: 301, findings: [Finding(cause: .none, layer: .apache, confidence: .certain,
                                                                      summary: "\(uri) is a directory: mod_dir redirects to \(uri)/ (DirectorySlash)")]))
            }
            return .done(serveDirectory(finalPath, dc: dc, who: who, uri: uri))
        }
        let access = PathWalk.check(finalPath, as: who, need: .read, in: fs)
        if case .denied = access.outcome {
            var findings = access.findings
            if findings.isEmpty {
                findings = [Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain,
                                    summary: "\(who.name) may not read \(finalPath)")]
            }
            findings[0].rule = "AH00132"
            findings[0].summary = "\(who.name) may not read \(finalPath): AH00132 file permissions deny server access: \(finalPath)"
            return .done(Outcome(status: 403, findings: findings))
        }
        _ = fileInfo
        return .done(Outcome(status: 200, findings: []))
    }

    func matchesFiles(_ f: ApacheDirective, _ base: String) -> Bool {
        guard let p = f.args.first else { return false }
        if f.is("FilesMatch") || p == "~" {
            let pat = f.is("FilesMatch") ? p : (f.args.count > 1 ? f.args[1] : "")
            return ApacheRegex(pat)?.matches(base) ?? false
        }
        return fnmatch(p, base, 0) == 0
    }

    func matchesLocation(_ l: ApacheDirective, _ uri: String) -> Bool {
        guard let p = l.args.first else { return false }
        if l.is("LocationMatch") || p == "~" {
            let pat = l.is("LocationMatch") ? p : (l.args.count > 1 ? l.args[1] : "")
            return ApacheRegex(pat)?.matches(uri) ?? false
        }
        if p.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
            return fnmatch(p, uri, FNM_PATHNAME) == 0 || fnmatch(p + "/*", uri, 0) == 0
        }
        // Prefix match; a trailing slash in the section must be matched (docs of <Location>).
        if uri == p { return true }
        if p.hasSuffix("/") { return uri.hasPrefix(p) }
        return uri.hasPrefix(p + "/") || uri.hasPrefix(p)
    }

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

    // MARK: .htaccess

    /// Reads `dir/.htaccess` when AllowOverride permits; returns an outcome when it ends the request
    /// (unreadable: 403 AH00529; a directive not allowed: 500).
    mutating func readHtaccess(dir: String, name: String, dc: inout DirConfig, who: UserIdentity) -> Outcome? {
        let path = dir + name
        let exists = fs.info(path) != nil
        if dc.allowOverride.isEmpty && dc.allowOverrideList.isEmpty {
            if exists {
                var ev: [Evidence] = []
                if let ao = dc.allowOverrideSource { ev.append(ao.evidence) }
                ev.append(Evidence(source: path, text: "present, never read"))
                let at = dc.allowOverrideSource.map { " (\($0.location): \($0.text))" } ?? " (AllowOverride None is httpd 2.4's default)"
                extraFindings.append(Finding(
                    cause: .none, layer: .apache, confidence: .certain,
                    summary: "\(path) is IGNORED: AllowOverride None applies to \(dir)\(at); nothing in it takes effect",
                    evidence: ev,
                    fixes: [Fix(summary: "let the .htaccess take effect (only the classes it needs), or move its directives into the <Directory> section",
                                patch: patchFor(dc.allowOverrideSource, replace: "AllowOverride " + neededOverrides(path), dir: dir))],
                    rule: "htaccess-ignored"))
            }
            return nil
        }
        guard exists else {
            // The directory itself may be unsearchable: httpd then fails to open .htaccess (AH00529).
            let check = PathWalk.check(path, as: who, need: .reach, in: fs)
            if case .denied(let comp) = check.outcome, comp != path {
                return htaccessDenied(path: path, dir: dir, check: check, who: who)
            }
            return nil
        }
        let check = PathWalk.check(path, as: who, need: .read, in: fs)
        if case .denied = check.outcome {
            return htaccessDenied(path: path, dir: dir, check: check, who: who)
        }
        guard let bytes = try? fs.read(path, limit: 1 << 20) else { return nil }
        htaccessRead.append(path)
        var p = ApacheConfigParser(fileSystem: fs, serverRoot: config.serverRoot, environment: input.environment)
        p.modules = config.modules
        p.defines = config.defines
        if bytes.contains(0) {
            return Outcome(status: 500, findings: [Finding(cause: .unknown, layer: .apache, confidence: .likely,
                                                           summary: "\(path) holds binary data; httpd answers 500", evidence: [Evidence(source: path, text: "NUL byte")])])
        }
        let lines = ApacheConfigParser.logicalLines(String(decoding: bytes, as: UTF8.self))
        var index = 0
        let ds = p.parseBlock(lines, &index, file: path, closing: nil, openedAt: nil)
        if let e = p.errors.first {
            return Outcome(status: 500, findings: [Finding(
                cause: .unknown, layer: .apache, confidence: .certain,
                summary: "\(path) has a syntax error; httpd answers 500: \(e.message)",
                evidence: [Evidence(source: "\(path):\(e.line ?? 0)", text: e.message)], rule: "AH00526")])
        }
        notes.append("\(path) is read (AllowOverride \(dc.allowOverride.isEmpty ? "None" : dc.allowOverride.sorted().joined(separator: " ")) at \(dc.allowOverrideSource.map { $0.location.description } ?? "default"))")
        // Every directive must be allowed by AllowOverride, else 500 "… not allowed here".
        func vet(_ list: [ApacheDirective]) -> Outcome? {
            for d in list {
                let k = d.key
                if OverrideTable.never.contains(k) {
                    return notAllowed(d, path: path, dc: dc, reason: "\(d.name) not allowed here")
                }
                if dc.allowOverrideList.contains(k) { if let c = d.children, let o = vet(c) { return o }; continue }
                if let cls = OverrideTable.classes[k] {
                    if cls == "all" {
                        if dc.allowOverride.isEmpty {
                            return notAllowed(d, path: path, dc: dc, reason: "\(d.name) not allowed here")
                        }
                    } else if !dc.allowOverride.contains(cls) {
                        return notAllowed(d, path: path, dc: dc, reason: "\(d.name) not allowed here")
                    }
                } else if !k.hasPrefix("if") {
                    uncertain.append("\(d.location): \(d.name) is not a directive why403 knows the AllowOverride class of")
                }
                if let c = d.children, !["requireall", "requireany", "requirenone"].contains(k), let o = vet(c) { return o }
            }
            return nil
        }
        if let o = vet(ds) { return o }
        var errs: [ApacheDirective] = []
        dc.apply(ds, dir: dir, method: req.method, errors: &errs)
        return nil
    }

    /// The AllowOverride classes the directives of an .htaccess need (least privilege for the fix).
    func neededOverrides(_ path: String) -> String {
        guard let bytes = try? fs.read(path, limit: 1 << 20), !bytes.contains(0) else { return "AuthConfig" }
        var classes = Set<String>()
        func walk(_ lines: [ApacheConfigParser.Line]) {
            for l in lines {
                var name = String(l.text.prefix { $0 != " " && $0 != "\t" }).lowercased()
                if name.hasPrefix("</") { continue }
                if name.hasPrefix("<") { name.removeFirst(); if name.hasSuffix(">") { name.removeLast() } }
                if let c = OverrideTable.classes[name], c != "all" { classes.insert(c) }
            }
        }
        walk(ApacheConfigParser.logicalLines(String(decoding: bytes, as: UTF8.self)))
        let names = ["authconfig": "AuthConfig", "fileinfo": "FileInfo", "indexes": "Indexes", "limit": "Limit", "options": "Options"]
        let out = classes.sorted().compactMap { names[$0] }
        return out.isEmpty ? "AuthConfig" : out.joined(separator: " ")
    }

    func notAllowed(_ d: ApacheDirective, path: String, dc: DirConfig, reason: String) -> Outcome {
        var ev = [d.evidence]
        if let ao = dc.allowOverrideSource { ev.append(ao.evidence) }
        let f = Finding(cause: .unknown, layer: .apache, confidence: .certain,
                        summary: "\(path): \(reason) (AllowOverride does not permit it); httpd answers 500 Internal Server Error",
                        evidence: ev,
                        fixes: [Fix(summary: "remove \(d.name) from the .htaccess, or allow its class in AllowOverride for this directory")],
                        rule: "htaccess-not-allowed")
        return Outcome(status: 500, findings: [f])
    }

    func htaccessDenied(path: String, dir: String, check: PathAccess, who: UserIdentity) -> Outcome {
        var findings = check.findings
        if findings.isEmpty {
            findings = [Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain, summary: "")]
        }
        findings[0].rule = "AH00529"
        findings[0].summary = "\(who.name) cannot open \(path): AH00529 pcfg_openfile: unable to check htaccess file, ensure it is readable and that '\(dir)' is executable"
        return Outcome(status: 403, findings: findings)
    }

    // MARK: directories

    /// A 403 from a denied walk: the walk's findings, the first one named with httpd's log code.
    static func denied(_ access: PathAccess, rule: String, summary: String) -> Outcome {
        var findings = access.findings
        if findings.isEmpty { findings = [Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain, summary: "")] }
        findings[0].rule = rule
        findings[0].summary = summary
        return Outcome(status: 403, findings: findings)
    }

    mutating func serveDirectory(_ dir: String, dc: DirConfig, who: UserIdentity, uri: String) -> Outcome {
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        if config.hasModule("dir") {
            for name in dc.directoryIndex {
                let p = name.hasPrefix("/") ? resolve(Self.normalize(mapToRootRelative(name))) : base + name
                if let info = finalKind(p), info.kind == .regular {
                    let access = PathWalk.check(p, as: who, need: .read, in: fs)
                    if case .denied = access.outcome {
                        return Self.denied(access, rule: "AH00132",
                                           summary: "\(who.name) may not read the index \(p): AH00132 file permissions deny server access: \(p)")
                    }
                    notes.append("DirectoryIndex serves \(p)")
                    return Outcome(status: 200, findings: [])
                }
            }
        }
        if dc.indexes && config.hasModule("autoindex") {
            let access = PathWalk.check(dir, as: who, need: .list, in: fs)
            if case .denied = access.outcome {
                return Self.denied(access, rule: "AH01275",
                                   summary: "\(who.name) may not list \(dir): AH01275 Can't open directory for index: \(base)")
            }
            notes.append("no index file in \(base); Options Indexes is on, so mod_autoindex lists the directory")
            return Outcome(status: 200, findings: [])
        }
        var ev: [Evidence] = []
        if let o = dc.optionsSource { ev.append(o.evidence) }
        if let d = dc.directoryIndexSource { ev.append(d.evidence) }
        ev.append(Evidence(source: base, text: "no \(dc.directoryIndex.isEmpty ? "DirectoryIndex" : dc.directoryIndex.joined(separator: ", ")) here"))
        let names = dc.directoryIndex.joined(separator: ",")
        let why = dc.indexes ? "mod_autoindex is not loaded" : "listing is off (Options without Indexes)"
        let f = Finding(cause: .indexMissing, layer: .apache, confidence: .certain,
                        summary: "\(base) has no index file and \(why): AH01276 Cannot serve directory \(base): No matching DirectoryIndex (\(names)) found, and server-generated directory index forbidden by Options directive",
                        evidence: ev,
                        fixes: [Fix(summary: "add an index file (or, if a listing is really wanted, Options +Indexes for this directory)",
                                    commands: ["printf '<!doctype html>\\n' > \(PathWalk.shellQuote(base + (dc.directoryIndex.first ?? "index.html")))"])],
                        rule: "AH01276")
        return Outcome(status: 403, findings: [f])
    }

    func mapToRootRelative(_ p: String) -> String {
        let root = serverValue("DocumentRoot")?.args.first.map(resolve) ?? (config.serverRoot + "/htdocs")
        return root + p
    }

    /// A patch that replaces (or adds) a directive in a section, for fixes.
    func patchFor(_ d: ApacheDirective?, replace new: String, dir: String?) -> String {
        if let d {
            return "--- a\(d.location.file)\n+++ b\(d.location.file)\n@@ line \(d.location.line) @@\n-\(d.text)\n+\(new)\n"
        }
        let section = dir.map { "<Directory \($0)>" } ?? "<Directory>"
        return "+\(section)\n+    \(new)\n+</Directory>\n"
    }
}
