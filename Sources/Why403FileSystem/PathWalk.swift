import Why403Core

/// What the server needs of the final path component.
public enum AccessNeed: String, Sendable {
    /// Open a file for reading (directories on the way need search `x`).
    case read
    /// List a directory (read `r` and search `x`).
    case list
    /// Only reach it (search `x` on every directory on the way): a stat, an existence test.
    case reach
}

/// The outcome of walking a path as a user.
public struct PathAccess: Sendable, Equatable {
    /// How the walk ended.
    public enum Outcome: Sendable, Equatable {
        /// Every component can be reached and the last one used as needed.
        case allowed
        /// `component` exists but the user may not use it as needed (errno 13). Also used for a
        /// symbolic-link loop (errno 40, which nginx and Apache answer with 403 too).
        case denied(component: String)
        /// `component` does not exist (errno 2); a static server answers 404.
        case missing(component: String)
        /// A component on the way is not a directory (errno 20).
        case notADirectory(component: String)
    }

    /// One component of the walk, as `namei -l` would show it.
    public struct Step: Sendable, Equatable {
        /// The component's full path as walked (symbolic links appear as themselves, then their target).
        public var path: String
        /// What `lstat` said, or nil when it does not exist.
        public var info: FileInfo?
        /// What the user may do here: "r-x", "--x", ...
        public var effective: String
        /// Whether the user may use this component as the walk needs it.
        public var ok: Bool
        /// One step of the walk.
        public init(path: String, info: FileInfo?, effective: String, ok: Bool) {
            self.path = path; self.info = info; self.effective = effective; self.ok = ok
        }
    }

    /// How the walk ended (the first problem the kernel meets).
    public var outcome: Outcome
    /// Every component walked, in order.
    public var steps: [Step]
    /// `fs.permission` / `fs.selinux` findings with evidence and least-privilege fixes (empty when allowed).
    public var findings: [Finding]
    /// Remarks: which user, what was not checked.
    public var notes: [String]
    /// The path the final component resolved to, symbolic links followed (nil when not reached).
    public var resolvedPath: String?

    /// What a static file server running as the user answers: 200, 403 or 404.
    public var status: Int {
        switch outcome {
        case .allowed: 200
        case .denied: 403
        case .missing, .notADirectory: 404
        }
    }

    /// A walk's result.
    public init(outcome: Outcome, steps: [Step], findings: [Finding], notes: [String] = [],
                resolvedPath: String? = nil) {
        self.outcome = outcome
        self.steps = steps
        self.findings = findings
        self.notes = notes
        self.resolvedPath = resolvedPath
    }
}

/// Walks every component of a path as the kernel checks it for a user: search permission (`x`) on every
/// directory, then read (or read and search, to list) on the last; owner, group and other classes,
/// supplementary groups, POSIX ACLs with their mask, symbolic links (relative and absolute, loops),
/// root's capabilities; and, where SELinux is enabled, the label of the final file.
///
/// Follows the kernel's `generic_permission` / `acl_permission_check` / `posix_acl_permission`
/// (fs/namei.c, fs/posix_acl.c): the owner gets the owner bits and nothing else; an ACL is consulted only
/// when the group bits (the mask) are not all clear; named users and groups are limited by the mask;
/// being in a matching group that lacks the bits denies even when "other" would allow; uid 0 passes
/// every check except executing a file without any `x` bit.
///
/// A denial is `certain` (the mode bits prove it); an SELinux label outside the web-content types is
/// `likely` (a boolean or a local policy module may still allow it: the AVC log line proves it).
/// Fixes are least privilege: the one missing bit for the user's class, or a `setfacl` entry for the
/// user alone where changing the group or "other" bits would open the file to more people; never 777.
public enum PathWalk {
    /// Symbolic links followed before the walk fails with ELOOP (the kernel's MAXSYMLINKS).
    public static let maxSymlinks = 40

    /// Walks `path` (absolute; a relative path is taken from `/`) as `user`, needing `need` of the last
    /// component, on `fs`.
    public static func check(_ path: String, as user: UserIdentity, need: AccessNeed = .read,
                             in fs: any FileSystemView) -> PathAccess {
        var walker = Walker(fs: fs, user: user, need: need)
        return walker.run(path)
    }

    /// The rwx bits the kernel grants `user` on `info` for the request `want` (bits 4, 2, 1 together).
    public static func permits(_ info: FileInfo, user: UserIdentity, want: UInt8) -> Bool {
        let want = want & 7
        if want == 0 { return true }
        if dacPermits(info, user: user, want: want) { return true }
        guard user.uid == 0 else { return false }
        // Capabilities of root (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
        if info.kind == .directory { return true }
        if want & 1 == 0 { return true }
        return info.mode & 0o111 != 0
    }

    /// `acl_permission_check` followed by `posix_acl_permission`, without capabilities.
    static func dacPermits(_ info: FileInfo, user: UserIdentity, want: UInt8) -> Bool {
        let mode = info.mode
        if user.uid == info.uid { return UInt8((mode >> 6) & 7) & want == want }
        if let acl = info.acl, mode & 0o070 != 0, acl.contains(where: { $0.tag == .user || $0.tag == .group || $0.tag == .mask }) {
            return aclPermits(acl, info: info, user: user, want: want)
        }
        let inGroup = user.groups.contains(info.gid) || user.gid == info.gid
        let bits = inGroup ? UInt8((mode >> 3) & 7) : UInt8(mode & 7)
        return bits & want == want
    }

    static func aclPermits(_ acl: [ACLEntry], info: FileInfo, user: UserIdentity, want: UInt8) -> Bool {
        let mask = acl.first { $0.tag == .mask }?.permissions
        func masked(_ p: UInt8) -> UInt8 { mask.map { p & $0 } ?? p }
        if let e = acl.first(where: { $0.tag == .user && $0.qualifier == user.uid }) {
            return masked(e.permissions) & want == want
        }
        var found = false
        let inGroup = { (gid: UInt32) in user.groups.contains(gid) || user.gid == gid }
        let groupEntries = acl.filter { $0.tag == .groupObj } + acl.filter { $0.tag == .group }
        for e in groupEntries {
            let gid = e.tag == .groupObj ? info.gid : (e.qualifier ?? UInt32.max)
            guard inGroup(gid) else { continue }
            found = true
            if e.permissions & want == want { return masked(e.permissions) & want == want }
        }
        if found { return false }
        let other = acl.first { $0.tag == .other }?.permissions ?? UInt8(info.mode & 7)
        return other & want == want
    }

    /// "r-x" style: each bit tested alone.
    public static func effective(_ info: FileInfo, user: UserIdentity) -> String {
        (permits(info, user: user, want: 4) ? "r" : "-") + (permits(info, user: user, want: 2) ? "w" : "-")
            + (permits(info, user: user, want: 1) ? "x" : "-")
    }

    /// `ls -l` style mode: `drwxr-x---+`.
    public static func modeString(_ info: FileInfo) -> String {
        let type: String
        switch info.kind {
        case .directory: type = "d"
        case .symlink: type = "l"
        case .regular: type = "-"
        case .other: type = "?"
        }
        let m = info.mode
        func triplet(_ shift: UInt32, special: UInt32, char: Character) -> String {
            let r = m & (4 << shift) != 0 ? "r" : "-"
            let w = m & (2 << shift) != 0 ? "w" : "-"
            let xOn = m & (1 << shift) != 0, sOn = m & special != 0
            let x: String = sOn ? (xOn ? String(char) : String(char).uppercased()) : (xOn ? "x" : "-")
            return r + w + x
        }
        let extended = info.acl?.contains { $0.tag == .user || $0.tag == .group || $0.tag == .mask } ?? false
        return type + triplet(6, special: 0o4000, char: "s") + triplet(3, special: 0o2000, char: "s")
            + triplet(0, special: 0o1000, char: "t") + (extended ? "+" : "")
    }

    /// rwx letters of a permission value.
    public static func bits(_ p: UInt8) -> String {
        (p & 4 != 0 ? "r" : "-") + (p & 2 != 0 ? "w" : "-") + (p & 1 != 0 ? "x" : "-")
    }

    /// Letters of the set bits only ("rx"), for chmod/setfacl.
    static func letters(_ p: UInt8) -> String {
        (p & 4 != 0 ? "r" : "") + (p & 2 != 0 ? "w" : "") + (p & 1 != 0 ? "x" : "")
    }

    /// Quotes a path for a shell command line when it needs quoting.
    public static func shellQuote(_ s: String) -> String { ShellWord.quote(s) }

    /// The SELinux types a web server's domain (httpd_t, used by nginx and Apache) may read by default.
    public static let webContentTypes: Set<String> = [
        "httpd_sys_content_t", "httpd_sys_rw_content_t", "httpd_sys_ra_content_t", "httpd_sys_script_exec_t",
        "httpd_user_content_t", "httpd_user_rw_content_t", "httpd_user_ra_content_t", "httpd_user_script_exec_t",
        "public_content_t", "public_content_rw_t", "httpd_cache_t", "httpd_var_lib_t", "httpd_tmp_t",
    ]
}

/// One walk's state.
struct Walker {
    let fs: any FileSystemView
    let user: UserIdentity
    let need: AccessNeed
    var steps: [PathAccess.Step] = []
    var findings: [Finding] = []
    var notes: [String] = []
    var outcome: PathAccess.Outcome? = nil
    /// Components already reported, so a path walked twice (through links) is reported once.
    var denied: Set<String> = []

    init(fs: any FileSystemView, user: UserIdentity, need: AccessNeed) {
        self.fs = fs
        self.user = user
        self.need = need
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    }

    static func join(_ dir: String, _ name: String) -> String { dir == "/" ? "/" + name : dir + "/" + name }

    static func parent(_ dir: String) -> String {
        guard let slash = dir.lastIndex(of: "/"), dir != "/" else { return "/" }
        let p = String(dir[..<slash])
        return p.isEmpty ? "/" : p
    }

    mutating func run(_ path: String) -> PathAccess {
        notes.append(identityNote())
        // A stack of components still to walk, the next one last.
        var stack = Array(Self.components(path).reversed())
        var mustBeDirectory = path.hasSuffix("/") || path.hasSuffix("/.")
        var current = "/"
        guard var currentInfo = fs.info("/") else {
            return finish(.missing(component: "/"), resolved: nil)
        }
        var links = 0

        while let name = stack.popLast() {
            // Looking a name up in `current` needs search permission on it (also for "..").
            if steps.last?.path != current {
                let ok = PathWalk.permits(currentInfo, user: user, want: 1)
                steps.append(.init(path: current, info: currentInfo, effective: PathWalk.effective(currentInfo, user: user), ok: ok))
                if !ok && !denied.contains(current) { deny(current, currentInfo, needBits: 1, role: .search) }
            }
            if name == ".." {
                current = Walker.parent(current)
                currentInfo = fs.info(current) ?? currentInfo
                continue
            }
            let next = Walker.join(current, name)
            guard let info = fs.info(next) else {
                steps.append(.init(path: next, info: nil, effective: "", ok: false))
                return finish(outcome ?? .missing(component: next), resolved: nil)
            }
            if info.kind == .symlink {
                steps.append(.init(path: next, info: info, effective: "", ok: true))
                links += 1
                guard links <= PathWalk.maxSymlinks, let target = info.symlinkTarget, !target.isEmpty else {
                    if outcome == nil { symlinkProblem(next, info, loop: links > PathWalk.maxSymlinks) }
                    return finish(outcome ?? .denied(component: next), resolved: nil)
                }
                if stack.isEmpty && (target.hasSuffix("/") || target.hasSuffix("/.")) { mustBeDirectory = true }
                stack.append(contentsOf: Self.components(target).reversed())
                if target.hasPrefix("/") {
                    current = "/"
                    currentInfo = fs.info("/") ?? currentInfo
                }
                // A link to "/" or "." resolves to the directory it names.
                if Self.components(target).isEmpty && stack.isEmpty {
                    return final(current, currentInfo, mustBeDirectory: true, alreadyStepped: true)
                }
                continue
            }
            if !stack.isEmpty {
                guard info.kind == .directory else {
                    steps.append(.init(path: next, info: info, effective: PathWalk.effective(info, user: user), ok: false))
                    return finish(outcome ?? .notADirectory(component: next), resolved: nil)
                }
                current = next
                currentInfo = info
                continue
            }
            return final(next, info, mustBeDirectory: mustBeDirectory, alreadyStepped: false)
        }
        // The path was "/" (or only "." and "..").
        return final(current, currentInfo, mustBeDirectory: true, alreadyStepped: steps.last?.path == current)
    }

    mutating func final(_ path: String, _ info: FileInfo, mustBeDirectory: Bool, alreadyStepped: Bool) -> PathAccess {
        if mustBeDirectory && info.kind != .directory {
            steps.append(.init(path: path, info: info, effective: PathWalk.effective(info, user: user), ok: false))
            return finish(outcome ?? .notADirectory(component: path), resolved: path)
        }
        let want: UInt8
        switch need {
        case .read: want = 4
        case .list: want = info.kind == .directory ? 5 : 4
        case .reach: want = 0
        }
        let ok = PathWalk.permits(info, user: user, want: want)
        if alreadyStepped, let i = steps.indices.last, steps[i].path == path {
            steps[i].ok = steps[i].ok && ok
        } else {
            steps.append(.init(path: path, info: info, effective: PathWalk.effective(info, user: user), ok: ok))
        }
        if !ok { deny(path, info, needBits: want, role: need == .list ? .list : .read) }
        checkSELinux(path, info)
        return finish(outcome ?? .allowed, resolved: path)
    }

    mutating func finish(_ outcome: PathAccess.Outcome, resolved: String?) -> PathAccess {
        PathAccess(outcome: outcome, steps: steps, findings: findings, notes: notes, resolvedPath: resolved)
    }

    // MARK: - Findings

    enum Role { case search, read, list }

    func owner(_ info: FileInfo) -> String {
        let u = fs.userName(info.uid) ?? String(info.uid)
        let g = fs.groupName(info.gid) ?? String(info.gid)
        return "\(u):\(g)"
    }

    func identityNote() -> String {
        let names = user.groups.map { g in fs.groupName(g).map { "\(g)(\($0))" } ?? String(g) }
        var s = "checked as user \(user.name) (uid=\(user.uid) gid=\(user.gid) groups=\(names.joined(separator: ",")))"
        if user.uid == 0 { s += "; uid 0 passes every permission check except executing a file without any x bit" }
        return s
    }

    /// The `namei -l` line of a step.
    func nameiLine(_ step: PathAccess.Step) -> String {
        guard let info = step.info else { return "does not exist" }
        var s = "\(PathWalk.modeString(info)) \(owner(info))"
        if info.kind == .symlink { s += " -> \(info.symlinkTarget ?? "?")" }
        else { s += "  (\(user.name) may: \(step.effective))" }
        return s
    }

    func aclText(_ info: FileInfo) -> String? {
        guard let acl = info.acl, acl.contains(where: { $0.tag == .user || $0.tag == .group || $0.tag == .mask }) else {
            return nil
        }
        return acl.map { e -> String in
            switch e.tag {
            case .userObj: return "user::" + PathWalk.bits(e.permissions)
            case .user: return "user:\(e.qualifier.flatMap { fs.userName($0) } ?? String(e.qualifier ?? 0)):" + PathWalk.bits(e.permissions)
            case .groupObj: return "group::" + PathWalk.bits(e.permissions)
            case .group: return "group:\(e.qualifier.flatMap { fs.groupName($0) } ?? String(e.qualifier ?? 0)):" + PathWalk.bits(e.permissions)
            case .mask: return "mask::" + PathWalk.bits(e.permissions)
            case .other: return "other::" + PathWalk.bits(e.permissions)
            }
        }.joined(separator: " ")
    }

    /// Which permission class the kernel puts the user in, and the bits it holds there.
    func userClass(_ info: FileInfo) -> (name: String, bits: UInt8, aclEntry: ACLEntry?) {
        if user.uid == info.uid { return ("owner", UInt8((info.mode >> 6) & 7), nil) }
        let inGroup = { (gid: UInt32) in user.groups.contains(gid) || user.gid == gid }
        if let acl = info.acl, info.mode & 0o070 != 0, acl.contains(where: { $0.tag == .mask || $0.tag == .user || $0.tag == .group }) {
            let mask = acl.first { $0.tag == .mask }?.permissions ?? 7
            if let e = acl.first(where: { $0.tag == .user && $0.qualifier == user.uid }) {
                return ("named user entry user:\(user.name) (masked by mask::\(PathWalk.bits(mask)))", e.permissions & mask, e)
            }
            var union: UInt8 = 0
            var matched = false
            for e in acl where (e.tag == .groupObj && inGroup(info.gid)) || (e.tag == .group && inGroup(e.qualifier ?? .max)) {
                union |= e.permissions & mask
                matched = true
            }
            if matched { return ("group class (ACL group entries, masked by mask::\(PathWalk.bits(mask)))", union, nil) }
            return ("other", acl.first { $0.tag == .other }?.permissions ?? UInt8(info.mode & 7), nil)
        }
        if inGroup(info.gid) { return ("group \(fs.groupName(info.gid) ?? String(info.gid))", UInt8((info.mode >> 3) & 7), nil) }
        return ("other", UInt8(info.mode & 7), nil)
    }

    mutating func deny(_ path: String, _ info: FileInfo, needBits: UInt8, role: Role) {
        if outcome == nil { outcome = .denied(component: path) }
        denied.insert(path)
        var missing: UInt8 = 0
        for b: UInt8 in [4, 2, 1] where needBits & b != 0 && !PathWalk.permits(info, user: user, want: b) { missing |= b }
        if missing == 0 { missing = needBits }
        let cls = userClass(info)
        let what: String
        switch role {
        case .search: what = "search (x) the directory"
        case .read: what = info.kind == .directory ? "read (r) the directory" : "read (r) the file"
        case .list: what = "list (r and x) the directory"
        }
        let summary = "\(user.name) may not \(what) \(path): \(PathWalk.modeString(info)) \(owner(info)), "
            + "\(user.name) falls in the \(cls.name) class with \(PathWalk.bits(cls.bits)), missing \(PathWalk.letters(missing))"
        // The first denial shows the whole walk (as `namei -l` would); a later one only its component.
        let shown = findings.contains { $0.cause == .fsPermission } ? steps.filter { $0.path == path } : steps
        var evidence = shown.map { Evidence(source: "path \($0.path)", text: nameiLine($0)) }
        if let acl = aclText(info) { evidence.append(Evidence(source: "acl \(path)", text: acl)) }
        evidence.append(Evidence(source: "user \(user.name)", text: String(identityNote().dropFirst("checked as user ".count))))
        let details: [String: JSONValue] = [
            "component": .string(path), "mode": .string(String(info.mode, radix: 8)),
            "owner": .string(fs.userName(info.uid) ?? String(info.uid)),
            "group": .string(fs.groupName(info.gid) ?? String(info.gid)),
            "class": .string(cls.name), "needed": .string(PathWalk.letters(needBits)),
            "missing": .string(PathWalk.letters(missing)),
        ]
        findings.append(Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain, summary: summary,
                                evidence: evidence, fixes: fixes(path, info, missing: missing, cls: cls),
                                rule: "fs-permission", details: details))
    }

    /// Least-privilege fixes, the preferred one first.
    func fixes(_ path: String, _ info: FileInfo, missing: UInt8, cls: (name: String, bits: UInt8, aclEntry: ACLEntry?)) -> [Fix] {
        let q = PathWalk.shellQuote(path)
        let bits = PathWalk.letters(missing)
        let u = PathWalk.shellQuote(user.name)
        let isDir = info.kind == .directory
        let userACL = Fix(summary: "grant \(user.name) alone \(bits) on \(path) with an ACL entry",
                          commands: ["setfacl -m u:\(u):\(PathWalk.letters(missing | (cls.aclEntry?.permissions ?? 0) & 7)) \(q)"])
        if user.uid == info.uid {
            return [Fix(summary: "give the owner (\(user.name)) \(bits) on \(path)", commands: ["chmod u+\(bits) \(q)"])]
        }
        let hasACL = info.acl?.contains { $0.tag == .mask || $0.tag == .user || $0.tag == .group } ?? false
        if hasACL && info.mode & 0o070 != 0 {
            let mask = info.acl?.first { $0.tag == .mask }?.permissions ?? 7
            if let e = cls.aclEntry {
                if e.permissions & missing == missing {
                    // The entry has the bits; the mask takes them away.
                    return [Fix(summary: "the mask limits \(user.name)'s ACL entry: add \(bits) to the mask of \(path)",
                                commands: ["setfacl -m m::\(PathWalk.letters(mask | missing)) \(q)"])]
                }
                return [userACL]
            }
            return [userACL]
        }
        if cls.name.hasPrefix("group") {
            return [Fix(summary: "give the group \(fs.groupName(info.gid) ?? String(info.gid)) (which \(user.name) is in) \(bits) on \(path)",
                        commands: ["chmod g+\(bits) \(q)"]), userACL]
        }
        // Other class. Search-only on a directory reveals no names: o+x is the usual least-privilege fix,
        // unless the directory looks private (a home directory, or nothing at all for group and other).
        let looksPrivate = info.mode & 0o077 == 0 || path.hasPrefix("/home/") || path == "/root" || path.hasPrefix("/root/")
        let chmodFix: Fix
        if isDir && missing == 1 {
            chmodFix = Fix(summary: "let everyone search (x, not list) \(path)", commands: ["chmod o+x \(q)"])
        } else if isDir {
            chmodFix = Fix(summary: "make \(path) readable and searchable by everyone (755)", commands: ["chmod o+\(bits) \(q)"])
        } else {
            chmodFix = Fix(summary: "make \(path) readable by everyone (644)", commands: ["chmod o+\(bits) \(q)"])
        }
        return looksPrivate ? [userACL, chmodFix] : [chmodFix, userACL]
    }

    mutating func symlinkProblem(_ path: String, _ info: FileInfo, loop: Bool) {
        outcome = .denied(component: path)
        let summary = loop
            ? "too many levels of symbolic links at \(path) (a loop, ELOOP): nginx and Apache answer 403"
            : "the symbolic link \(path) has no target"
        let evidence = steps.suffix(8).map { Evidence(source: "path \($0.path)", text: nameiLine($0)) }
        findings.append(Finding(cause: .fsSymlink, layer: .filesystem, confidence: .certain, summary: summary,
                                evidence: evidence,
                                fixes: [Fix(summary: "point the link at the real file", commands: ["ln -sfn TARGET \(PathWalk.shellQuote(path))"])],
                                rule: loop ? "fs-symlink-loop" : "fs-symlink-empty"))
    }

    mutating func checkSELinux(_ path: String, _ info: FileInfo) {
        guard fs.selinuxEnabled else {
            notes.append("SELinux is not enabled on this machine: labels were not checked")
            return
        }
        guard let label = info.selinuxLabel else {
            notes.append("SELinux is enabled but \(path) has no security.selinux label: its type was not checked")
            return
        }
        let parts = label.split(separator: ":")
        guard parts.count >= 3 else {
            notes.append("SELinux label of \(path) is not user:role:type: \(label)")
            return
        }
        let type = String(parts[2])
        guard !PathWalk.webContentTypes.contains(type) else { return }
        guard fs.selinuxEnforcing else {
            notes.append("SELinux is permissive: \(path) is labelled \(type), outside the web-content types; "
                + "it would be denied when enforcing (run restorecon -Rv \(PathWalk.shellQuote(Walker.parent(path))) before switching)")
            return
        }
        if outcome == nil { outcome = .denied(component: path) }
        let q = PathWalk.shellQuote(path)
        let dir = info.kind == .directory ? path : Walker.parent(path)
        var fixes = [
            Fix(summary: "label the content as web content (persistently) and relabel it",
                commands: ["semanage fcontext -a -t httpd_sys_content_t \(PathWalk.shellQuote(dir + "(/.*)?"))",
                           "restorecon -Rv \(PathWalk.shellQuote(dir))"]),
            Fix(summary: "or relabel just this file now (lost on the next full relabel)",
                commands: ["chcon -t httpd_sys_content_t \(q)"]),
        ]
        if type == "user_home_t" || type == "user_home_dir_t" {
            fixes.append(Fix(summary: "or allow the web server to read home directories",
                             commands: ["setsebool -P httpd_read_user_content 1"]))
        }
        findings.append(Finding(
            cause: .fsSELinux, layer: .selinux, confidence: .likely,
            summary: "\(path) is labelled \(type), which the web server's domain (httpd_t) may not read by default",
            evidence: [Evidence(source: "label \(path)", text: label)], fixes: fixes, rule: "fs-selinux-type",
            checks: ["ausearch -m avc -ts recent | grep \(PathWalk.shellQuote(path.split(separator: "/").last.map(String.init) ?? path))",
                     "ls -Z \(q)"],
            details: ["type": .string(type)]))
    }
}
