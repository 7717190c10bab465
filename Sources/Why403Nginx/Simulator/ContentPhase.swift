import Why403Core
import Why403FileSystem

/// Where the content phase goes next.
enum ContentFlow {
    case respond(Decision)
    /// An internal redirect (try_files fallback, index file): phases restart at server rewrite.
    case internalRedirect(String)
    /// A jump to a named location (`@name`).
    case named(Directive)
}

extension Simulation {
    /// The document root or alias in force, and the path a URI maps to (ngx_http_map_uri_to_path).
    func mapURIToPath(_ u: String) -> (path: String, directive: Directive?) {
        var found: Directive?
        for level in chain.reversed() {
            if let d = level.block?.last(where: { $0.name == "root" || $0.name == "alias" }) { found = d; break }
        }
        guard let d = found, let raw = d.args.first else { return (prefix + "html" + u, nil) }
        var base = expand(raw)
        if !base.hasPrefix("/") { base = prefix + base }
        if d.name == "alias" {
            let owner = chain.last { $0.name == "location" && ($0.block ?? []).contains { $0.location == d.location } }
            let (mod, path) = owner.map(\.locationParts) ?? ("", "")
            if mod == "~" || mod == "~*" { return (base, d) }
            let rest = u.hasPrefix(path) ? String(u.dropFirst(path.count)) : u
            return (base + rest, d)
        }
        return (base + u, d)
    }

    func documentRoot() -> String {
        for level in chain.reversed() {
            if let d = level.block?.last(where: { $0.name == "root" || $0.name == "alias" }), let a = d.args.first {
                let b = expand(a)
                return b.hasPrefix("/") ? b : prefix + b
            }
        }
        return prefix + "html"
    }

    /// `stat` of a path, following symbolic links, or nil when it does not exist (as root sees it).
    func statFollowing(_ path: String) -> FileInfo? {
        var current = path
        for _ in 0..<40 {
            guard let info = fs.info(current) else { return nil }
            guard info.kind == .symlink, let target = info.symlinkTarget else { return info }
            if target.hasPrefix("/") { current = target }
            else {
                let dir = current.split(separator: "/", omittingEmptySubsequences: true).dropLast().joined(separator: "/")
                current = "/" + dir + (dir.isEmpty ? "" : "/") + target
            }
        }
        return nil
    }

    var worker: UserIdentity {
        if let u = fs.user(named: workerUserName) { return u }
        notes.append("the worker user \(InputError.quote(workerUserName)) does not exist on this machine (nginx would not start); checked as uid 65534")
        return UserIdentity(name: workerUserName, uid: 65534, gid: 65534, groups: [])
    }

    /// An `fs.permission` finding from a walk, naming the user directive as evidence.
    func permissionFinding(_ access: PathAccess, path: String, what: String) -> Finding {
        var f = access.findings.first ?? Finding(
            cause: .fsPermission, layer: .filesystem, confidence: .certain,
            summary: "\(workerUserName) may not \(what) \(path)",
            evidence: access.steps.filter { !$0.ok }.map { Evidence(source: $0.path, text: "\($0.effective) for \(workerUserName)") })
        if access.findings.isEmpty == false { f.summary = "nginx runs as \(InputError.quote(workerUserName)): " + f.summary }
        if let u = userDirective { f.evidence.append(evidence(u)) }
        else { f.evidence.append(Evidence(source: config.files.first?.path ?? "nginx.conf", text: "no 'user' directive: workers run as nobody")) }
        if let r = mapURIToPath(uri).directive { f.evidence.append(evidence(r)) }
        return f
    }

    /// `disable_symlinks`: a symbolic link on the path refused by policy. The last component is opened with
    /// O_NOFOLLOW (ELOOP, 403); with `on`, a link in the middle of the path is opened with
    /// O_NOFOLLOW|O_DIRECTORY, which fails with ENOTDIR, and nginx answers 404 (checked against the real
    /// nginx by EdgeDifferentialTests); with `if_not_owner` an owner mismatch anywhere is ELOOP, 403.
    func symlinkRefusal(_ path: String) -> Decision? {
        guard let ds = nearest("disable_symlinks"), let mode = ds.args.first, mode != "off" else { return nil }
        var from = "/"
        if let f = ds.args.dropFirst().first(where: { $0.hasPrefix("from=") }) { from = expand(String(f.dropFirst(5))) }
        let comps = path.split(separator: "/").map(String.init)
        var current = ""
        for c in comps {
            current += "/" + c
            guard current.count > from.count || (from == "/" && !current.isEmpty) else { continue }
            if !current.hasPrefix(from == "/" ? "/" : from) { continue }
            guard let info = fs.info(current) else { return nil }
            guard info.kind == .symlink else { continue }
            if mode == "if_not_owner", let t = statFollowing(current), t.uid == info.uid { continue }
            let middle = mode != "if_not_owner" && current.count < path.count && current != (path.hasSuffix("/") ? String(path.dropLast()) : path)
            let how = middle ? " (a link in the middle of the path: openat() fails with \"Not a directory\" and nginx answers 404, not 403)" : ""
            return Decision(status: middle ? 404 : 403, finding: Finding(cause: .fsSymlink, layer: .nginx, confidence: .certain,
                           summary: "\(current) is a symbolic link and \(InputError.quote(ds.text)) refuses it\(how)",
                           evidence: [evidence(ds), Evidence(source: current, text: "symbolic link -> \(info.symlinkTarget ?? "?")")],
                           fixes: [Fix(summary: "replace the link with the real file or directory (or point root at the link's target)",
                                       commands: ["readlink -f \(ShellWord.single(current))"]),
                                   Fix(summary: "or allow links whose owner matches the target's", patch: Patcher(config: config).replace(ds, with: "disable_symlinks if_not_owner;"))],
                           rule: "nginx-disable-symlinks"))
        }
        return nil
    }

    /// try_files (ngx_http_core_try_files_phase), then the content handlers.
    func contentPhase() -> ContentFlow {
        // An upstream handler (proxy_pass & co.) in the innermost location or an if/limit_except inside it.
        let upstreams: Set<String> = ["proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"]
        for level in chain.reversed() {
            if let d = level.block?.first(where: { upstreams.contains($0.name) }) {
                return .respond(Decision(status: nil, finding: upstreamFinding(d, what: "\(d.name) \(d.args.first ?? "")")))
            }
            if level.name == "location" { break }
        }
        let innermost = chain.last(where: { $0.name == "location" }) ?? server!
        if let tf = innermost.child("try_files"), tf.args.count >= 2 {
            trail.append(evidence(tf))
            for a in tf.args.dropLast() {
                // As nginx: a template ending in "/" tests a directory, and the slash is dropped.
                let wantDir = a.hasSuffix("/") && a.count > 1
                let candidate = expand(wantDir ? String(a.dropLast()) : a)
                let (path, _) = mapURIToPath(candidate)
                let check = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                let walk = PathWalk.check(check, as: worker, need: .reach, in: fs)
                switch walk.outcome {
                case .allowed:
                    guard let info = statFollowing(check) else { continue }
                    if wantDir ? info.kind == .directory : info.kind != .directory {
                        setURIKeepingArgs(candidate)
                        return staticContent()
                    }
                case .denied:
                    var f = permissionFinding(walk, path: check, what: "reach")
                    f.confidence = .possible
                    f.summary += " (try_files skips it: \"stat() failed (13: Permission denied)\")"
                    possible.append(f)
                default: continue
                }
            }
            let last = tf.args.last!
            if last.hasPrefix("=") , let code = Int(last.dropFirst()) {
                var finding: Finding?
                if code == 403 {
                    finding = Finding(cause: .accessDeny, layer: .nginx, confidence: .certain,
                                      summary: "no file of try_files exists for \(uri), and its last argument answers 403",
                                      evidence: [evidence(tf)], fixes: [Fix(summary: "answer 404 for missing files", patch: Patcher(config: config).replace(tf, with: (["try_files"] + tf.args.dropLast() + ["=404;"]).joined(separator: " ")))],
                                      rule: "nginx-try-files")
                }
                return .respond(Decision(status: code, finding: finding))
            }
            if last.hasPrefix("@") {
                guard let named = namedLocation(last) else { return .respond(Decision(status: 500, finding: nil)) }
                return .named(named)
            }
            return .internalRedirect(expand(last))
        }
        return staticContent()
    }

    func setURIKeepingArgs(_ candidate: String) {
        if let q = candidate.firstIndex(of: "?") { uri = String(candidate[..<q]); args = String(candidate[candidate.index(after: q)...]) }
        else { uri = candidate }
    }

    /// The index, autoindex and static modules.
    func staticContent() -> ContentFlow {
        let method = request.method.uppercased()
        let (path, rootDirective) = mapURIToPath(uri)
        if uri.hasSuffix("/") {
            // ngx_http_index_module
            let dir = path
            let dirNoSlash = dir.count > 1 ? String(dir.dropLast()) : dir
            if ["GET", "HEAD", "POST"].contains(method) {
                let indexes = innermostGroup(["index"]).flatMap(\.args)
                let names = indexes.isEmpty ? ["index.html"] : indexes
                for (i, raw) in names.enumerated() {
                    let name = expand(raw)
                    if name.hasPrefix("/") {
                        if i == names.count - 1 { return .internalRedirect(name) }
                        let (p, _) = mapURIToPath(name)
                        if statFollowing(p) != nil { return .internalRedirect(name) }
                        continue
                    }
                    let candidate = dir + name
                    let walk = PathWalk.check(candidate, as: worker, need: .reach, in: fs)
                    switch walk.outcome {
                    case .allowed:
                        if statFollowing(candidate) != nil { return .internalRedirect(uri + name) }
                    case .denied:
                        return .respond(Decision(status: 403, finding: permissionFinding(walk, path: candidate, what: "reach")))
                    case .notADirectory:
                        return .respond(Decision(status: 404, finding: nil))
                    case .missing:
                        continue
                    }
                }
                let walk = PathWalk.check(dirNoSlash, as: worker, need: .reach, in: fs)
                switch walk.outcome {
                case .missing, .notADirectory:
                    notes.append("\(dirNoSlash) does not exist: nginx answers 404")
                    return .respond(Decision(status: 404, finding: nil))
                case .denied:
                    return .respond(Decision(status: 403, finding: permissionFinding(walk, path: dirNoSlash, what: "reach")))
                case .allowed: break
                }
                if let s = symlinkRefusal(dirNoSlash) { return .respond(s) }
                // ngx_http_autoindex_module
                if let ai = nearest("autoindex"), ai.args.first?.lowercased() == "on", method != "POST" {
                    let list = PathWalk.check(dirNoSlash, as: worker, need: .list, in: fs)
                    if case .denied = list.outcome {
                        return .respond(Decision(status: 403, finding: permissionFinding(list, path: dirNoSlash, what: "list")))
                    }
                    trail.append(evidence(ai))
                    return .respond(Decision(status: 200, finding: nil))
                }
            }
            // Every content handler declined: "directory index of ... is forbidden".
            var ev: [Evidence] = []
            let idx = innermostGroup(["index"])
            ev += idx.map(evidence)
            if idx.isEmpty { ev.append(Evidence(source: locationSource, text: "no index directive: nginx looks for index.html")) }
            if let ai = nearest("autoindex") { ev.append(evidence(ai)) }
            if let r = rootDirective { ev.append(evidence(r)) }
            ev.append(Evidence(source: dir, text: "directory without " + names(innermostGroup(["index"]))))
            let target = chain.last(where: { $0.name == "location" }) ?? server!
            let fixes = [
                Fix(summary: "add an index file to the directory", commands: ["ls -la \(ShellWord.single(dir))"]),
                Fix(summary: "or name the file the directory has as its index", patch: Patcher(config: config).insertAfter(target, "index index.html index.htm;", indentMore: true)),
                Fix(summary: "or list the directory (only if its contents are public)",
                    patch: nearest("autoindex").map { Patcher(config: config).replace($0, with: "autoindex on;") } ?? Patcher(config: config).insertAfter(target, "autoindex on;", indentMore: true)),
            ]
            return .respond(Decision(status: 403, finding: Finding(
                cause: .indexMissing, layer: .nginx, confidence: .certain,
                summary: "directory index of \(InputError.quote(dir, limit: 200)) is forbidden: no index file there and autoindex is off",
                evidence: ev, fixes: fixes, rule: "nginx-index")))
        }
        // ngx_http_static_module
        guard ["GET", "HEAD", "POST"].contains(method) else { return .respond(Decision(status: 405, finding: nil)) }
        let walk = PathWalk.check(path, as: worker, need: .reach, in: fs)
        switch walk.outcome {
        case .missing, .notADirectory:
            notes.append("open() \(InputError.quote(path, limit: 200)) failed (2: No such file or directory): nginx answers 404")
            return .respond(Decision(status: 404, finding: nil))
        case .denied:
            return .respond(Decision(status: 403, finding: permissionFinding(walk, path: path, what: "reach")))
        case .allowed: break
        }
        if let s = symlinkRefusal(path) { return .respond(s) }
        guard let info = statFollowing(path) else { return .respond(Decision(status: 404, finding: nil)) }
        if info.kind == .directory {
            // The static module opens the path before it knows it is a directory (open(O_RDONLY), which
            // needs read permission on it): a directory the worker cannot read is a 403, not the redirect
            // to the trailing slash (checked against the real nginx by EdgeDifferentialTests).
            let open = PathWalk.check(path, as: worker, need: .read, in: fs)
            if case .denied = open.outcome {
                var f = permissionFinding(open, path: path, what: "open")
                f.summary += " (nginx opens \(uri) before it redirects to \(uri)/: open() fails with \"Permission denied\")"
                return .respond(Decision(status: 403, finding: f))
            }
            return .respond(Decision(status: 301, finding: nil, location: uri + "/"))
        }
        let read = PathWalk.check(path, as: worker, need: .read, in: fs)
        if case .denied = read.outcome {
            return .respond(Decision(status: 403, finding: permissionFinding(read, path: path, what: "read")))
        }
        if method == "POST" { return .respond(Decision(status: 405, finding: nil)) }
        return .respond(Decision(status: 200, finding: nil))
    }

    var locationSource: String {
        (chain.last(where: { $0.name == "location" }) ?? server).location.description
    }

    func names(_ idx: [Directive]) -> String {
        let n = idx.flatMap(\.args)
        return (n.isEmpty ? ["index.html"] : n).joined(separator: ", ")
    }

    func returnFinding(_ d: Directive, code: Int, cause: Cause, conditions: [Directive]) -> Finding {
        var ev = conditions.map(evidence)
        for c in conditions {
            for n in Simulation.variableNames(in: c.args.first ?? "") {
                if let m = maps[n.lowercased()] {
                    let (v, entry) = evaluateMap(m)
                    ev.append(evidence(m.directive))
                    if let e = entry { ev.append(Evidence(e.location, e.text + " (gives \(InputError.quote(v)))")) }
                }
                if let g = geos[n.lowercased()] {
                    let (v, entry) = evaluateGeo(g)
                    if let e = entry { ev.append(Evidence(e.location, e.text + " (gives \(InputError.quote(v)))")) }
                }
                if n.lowercased() == "invalid_referer", let vr = nearest("valid_referers") { ev.append(evidence(vr)) }
            }
        }
        ev.append(evidence(d))
        let p = Patcher(config: config)
        var summary: String
        var fixes: [Fix] = []
        switch cause {
        case .hotlinkReferer:
            let ref = request.header("Referer") ?? ""
            summary = ref.isEmpty ? "the request has no Referer and valid_referers does not accept 'none': \(InputError.quote(d.text))"
                                  : "the Referer \(InputError.quote(ref)) is not in valid_referers: \(InputError.quote(d.text))"
            if let vr = nearest("valid_referers") {
                let host = ref.split(separator: "/").dropFirst(1).first.map(String.init) ?? "none"
                fixes.append(Fix(summary: "accept this referring site", patch: p.replace(vr, with: vr.text.dropLast() + " \(host.isEmpty ? "none" : host);")))
            }
        case .botBlock:
            summary = "the User-Agent \(InputError.quote(request.header("User-Agent") ?? "")) matches a blocking rule: \(InputError.quote(d.text))"
            if let c = conditions.last { fixes.append(Fix(summary: "narrow the User-Agent pattern at \(c.location) so it does not match this client")) }
        case .accessIP:
            summary = "an address rule refuses \(clientIP): \(InputError.quote(d.text))"
        default:
            summary = conditions.isEmpty ? "\(locationName) answers \(code) to everyone: \(InputError.quote(d.text))"
                                         : "\(InputError.quote(d.text)) runs because \(conditions.map { "if (\($0.args.joined(separator: " ")))" }.joined(separator: " and ")) holds"
        }
        if fixes.isEmpty { fixes.append(Fix(summary: "remove the rule if this request should be served", patch: p.replace(d, with: "# " + d.text))) }
        return Finding(cause: cause, layer: .nginx, confidence: .certain, summary: summary, evidence: ev, fixes: fixes, rule: "nginx-return")
    }
}
