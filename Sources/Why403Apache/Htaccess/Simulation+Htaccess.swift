import Why403Core
import Why403FileSystem

extension Simulation {
    // MARK: .htaccess

    /// Reads `dir/.htaccess` when AllowOverride permits (or when none is set: every directive is then
    /// refused); returns an outcome when it ends the request
    /// (unreadable: 403 AH00529; a directive not allowed: 500).
    mutating func readHtaccess(dir: String, name: String, dc: inout DirConfig, who: UserIdentity) -> Outcome? {
        let path = dir + name
        let exists = fs.info(path) != nil
        // No AllowOverride applies at all (none written for this directory or above): httpd 2.4's default
        // is "unset", which is not quite None: the file is still opened and parsed, and every directive in
        // it is "not allowed here" (a 500). Checked against httpd 2.4 by ApacheSectionDifferentialTests.
        let unset = dc.allowOverrideSource == nil
        if dc.allowOverride.isEmpty && dc.allowOverrideList.isEmpty && !unset {
            if exists { reportIgnoredHtaccess(path, dir: dir, dc: dc) }
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
            notes.append("\(path) holds NUL bytes: httpd reads each line only up to its first NUL, and so does why403")
        }
        let lines = ApacheLexer.logicalLines(String(decoding: ApacheLexer.cutLinesAtNUL(bytes), as: UTF8.self), file: path)
        // Unset AllowOverride: the first directive (even <IfModule>, which the parser resolves away) is
        // "not allowed here"; only comments and blank lines pass.
        if unset, dc.allowOverrideList.isEmpty, let first = lines.first(where: { !$0.text.isEmpty && !$0.text.hasPrefix("#") }) {
            let name = String(first.text.prefix { $0 != " " && $0 != "\t" && $0 != ">" })
            let d = ApacheDirective(name: name, args: [], location: first.location, text: first.text)
            return notAllowed(d, path: path, dc: dc, reason: "\(name) not allowed here")
        }
        var index = 0
        let ds = p.parseBlock(lines, &index, file: path, closing: nil, openedAt: nil)
        if let e = p.errors.first {
            return Outcome(status: 500, findings: [Finding(
                cause: .configError, layer: .apache, confidence: .certain,
                summary: "\(path) has a syntax error; httpd answers 500: \(e.message)",
                evidence: [Evidence(source: "\(path):\(e.line ?? 0)", text: e.message)], rule: "AH00526")])
        }
        if unset {
            notes.append("\(path) is read: no AllowOverride applies to \(dir) (httpd 2.4 then opens .htaccess files but allows no directive in them)")
        } else {
        notes.append("\(path) is read (AllowOverride \(dc.allowOverride.isEmpty ? "None" : dc.allowOverride.sorted().joined(separator: " ")) at \(dc.allowOverrideSource.map { $0.location.description } ?? "default"))")
        }
        // Every directive must be allowed by AllowOverride, else 500 "… not allowed here".
        if let o = firstNotAllowed(ds, path: path, dc: dc) { return o }
        var errs: [ApacheDirective] = []
        dc.apply(ds, dir: dir, method: req.method, errors: &errs)
        return nil
    }

    /// An `.htaccess` that `AllowOverride None` keeps httpd from reading: a finding, so nobody looks for
    /// its effect.
    mutating func reportIgnoredHtaccess(_ path: String, dir: String, dc: DirConfig) {
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

    /// The first directive of an `.htaccess` (sections searched) that `AllowOverride` does not permit,
    /// as httpd's 500 "… not allowed here"; a directive of unknown class makes the answer uncertain.
    mutating func firstNotAllowed(_ list: [ApacheDirective], path: String, dc: DirConfig) -> Outcome? {
        for d in list {
            let k = d.key
            if OverrideTable.never.contains(k) {
                return notAllowed(d, path: path, dc: dc, reason: "\(d.name) not allowed here")
            }
            if dc.allowOverrideList.contains(k) { if let c = d.children, let o = firstNotAllowed(c, path: path, dc: dc) { return o }; continue }
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
            if let c = d.children, !["requireall", "requireany", "requirenone"].contains(k), let o = firstNotAllowed(c, path: path, dc: dc) { return o }
        }
        return nil
    }

    /// The AllowOverride classes the directives of an .htaccess need (least privilege for the fix).
    func neededOverrides(_ path: String) -> String {
        guard let bytes = try? fs.read(path, limit: 1 << 20), !bytes.contains(0) else { return "AuthConfig" }
        var classes = Set<String>()
        func walk(_ lines: [ApacheLexer.Line]) {
            for l in lines {
                var name = String(l.text.prefix { $0 != " " && $0 != "\t" }).lowercased()
                if name.hasPrefix("</") { continue }
                if name.hasPrefix("<") { name.removeFirst(); if name.hasSuffix(">") { name.removeLast() } }
                if let c = OverrideTable.classes[name], c != "all" { classes.insert(c) }
            }
        }
        walk(ApacheLexer.logicalLines(String(decoding: bytes, as: UTF8.self), file: path))
        let names = ["authconfig": "AuthConfig", "fileinfo": "FileInfo", "indexes": "Indexes", "limit": "Limit", "options": "Options"]
        let out = classes.sorted().compactMap { names[$0] }
        return out.isEmpty ? "AuthConfig" : out.joined(separator: " ")
    }

    /// A 500 for a directive the `.htaccess` may not hold.
    func notAllowed(_ d: ApacheDirective, path: String, dc: DirConfig, reason: String) -> Outcome {
        var ev = [d.evidence]
        if let ao = dc.allowOverrideSource { ev.append(ao.evidence) }
        let why = dc.allowOverrideSource == nil
            ? "no AllowOverride applies to this directory: httpd 2.4 still reads the file and permits nothing in it"
            : "AllowOverride does not permit it"
        let f = Finding(cause: .configError, layer: .apache, confidence: .certain,
                        summary: "\(path): \(reason) (\(why)); httpd answers 500 Internal Server Error",
                        evidence: ev,
                        fixes: dc.allowOverrideSource == nil
                            ? [Fix(summary: "write AllowOverride for this directory (or <Directory />): None to have httpd skip the file, or \(neededOverrides(path)) to honour it")]
                            : [Fix(summary: "remove \(d.name) from the .htaccess, or allow its class in AllowOverride for this directory")],
                        rule: "htaccess-not-allowed")
        return Outcome(status: 500, findings: [f])
    }

    /// A 403 for an `.htaccess` the server user cannot open (AH00529).
    func htaccessDenied(path: String, dir: String, check: PathAccess, who: UserIdentity) -> Outcome {
        var findings = check.findings
        if findings.isEmpty {
            findings = [Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain, summary: "")]
        }
        findings[0].rule = "AH00529"
        findings[0].summary = "\(who.name) cannot open \(path): AH00529 pcfg_openfile: unable to check htaccess file, ensure it is readable and that '\(dir)' is executable"
        return Outcome(status: 403, findings: findings)
    }
}
