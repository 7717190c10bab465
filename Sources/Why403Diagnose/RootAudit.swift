import Why403Core
import Why403FileSystem

/// `audit --root DIR`: files and directories under a web root that the server's user cannot use, and
/// permissions that would let anyone change what is served.
///
/// Checks, each with a stable id:
/// - `fs.unreadable-file` (error): a regular file the user cannot read: a static server answers 403.
/// - `fs.unsearchable-directory` (error): a directory the user cannot enter: everything below is 403.
/// - `fs.world-writable` (warning): a file or directory anyone may write (o+w, no sticky bit).
/// - `fs.symlink-outside-root` (info): a link that leads out of the root (nginx `disable_symlinks`
///   `from=$document_root` and Apache `SymLinksIfOwnerMatch` may refuse it).
/// Directories below an unsearchable one are not reported again. The walk stops after `limit` entries
/// and says so in a note.
public struct RootAudit: Sendable {
    public var root: String
    public var user: UserIdentity
    public var limit: Int

    public init(root: String, user: UserIdentity, limit: Int = 200_000) {
        self.root = root
        self.user = user
        self.limit = limit
    }

    public func run(in fs: any FileSystemView) throws -> (findings: [Finding], notes: [String]) {
        guard let rootInfo = fs.info(root) else {
            throw InputError(file: root, message: "no such file or directory")
        }
        guard rootInfo.kind == .directory || rootInfo.kind == .symlink else {
            throw InputError(file: root, expected: "a directory", found: "a \(rootInfo.kind.rawValue) file")
        }
        var findings: [Finding] = []
        var notes: [String] = []
        var visited = 0
        var queue: [String] = [root]
        let rootAccess = PathWalk.check(root, as: user, need: .list, in: fs)
        if case .denied = rootAccess.outcome {
            return (rootAccess.findings.map { withSeverity($0, .error, rule: "fs.unsearchable-directory") },
                    ["\(user.name) cannot list \(root) itself: nothing below it was checked"])
        }
        if rootInfo.kind == .directory && rootInfo.mode & 0o002 != 0 && rootInfo.mode & 0o1000 == 0 {
            findings.append(worldWritable(root, rootInfo))
        }
        let base = root.hasSuffix("/") ? root : root + "/"
        while let dir = queue.popLast() {
            guard let names = fs.list(dir) else { continue }
            for name in names.sorted() {
                visited += 1
                if visited > limit {
                    notes.append("stopped after \(limit) entries: the rest of \(root) was not checked")
                    return (findings, notes)
                }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                guard let info = fs.info(path) else { continue }
                if info.mode & 0o002 != 0 && info.mode & 0o1000 == 0 && info.kind != .symlink {
                    findings.append(worldWritable(path, info))
                }
                switch info.kind {
                case .directory:
                    let access = PathWalk.check(path, as: user, need: .reach, in: fs)
                    if case .denied = access.outcome {
                        findings += access.findings.map { withSeverity($0, .error, rule: "fs.unsearchable-directory") }
                    } else {
                        queue.append(path)
                    }
                case .regular:
                    let access = PathWalk.check(path, as: user, need: .read, in: fs)
                    if case .denied = access.outcome {
                        findings += access.findings.map { withSeverity($0, .error, rule: "fs.unreadable-file") }
                    }
                case .symlink:
                    let access = PathWalk.check(path, as: user, need: .reach, in: fs)
                    if let resolved = access.resolvedPath, !(resolved + "/").hasPrefix(base), resolved != root {
                        findings.append(Finding(
                            cause: .fsSymlink, layer: .filesystem, confidence: .possible,
                            summary: "\(path) leads outside the web root, to \(resolved)",
                            evidence: [Evidence(source: path, text: "-> \(info.symlinkTarget ?? resolved)")],
                            fixes: [Fix(summary: "keep served files inside the root, or allow the link in the server's symlink policy on purpose")],
                            rule: "fs.symlink-outside-root", severity: .info))
                    }
                case .other:
                    break
                }
            }
        }
        notes.append("checked \(visited) entries under \(root) as \(user.name) (uid \(user.uid))")
        return (dedupe(findings), notes)
    }

    private func worldWritable(_ path: String, _ info: FileInfo) -> Finding {
        Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain,
                summary: "\(path) is writable by every user: anyone on the machine can change what is served",
                evidence: [Evidence(source: path, text: "mode \(octal(info.mode)) (o+w)")],
                fixes: [Fix(summary: "remove write permission for others", commands: ["chmod o-w '\(path)'"])],
                rule: "fs.world-writable", severity: .warning)
    }

    private func withSeverity(_ f: Finding, _ s: Severity, rule: String) -> Finding {
        var x = f
        x.severity = s
        x.rule = rule
        return x
    }

    /// One finding per (rule, first evidence): a directory denied is reported once, not per child.
    private func dedupe(_ findings: [Finding]) -> [Finding] {
        var seen: Set<String> = []
        return findings.filter { seen.insert("\($0.rule ?? "")|\($0.evidence.first?.source ?? $0.summary)").inserted }
    }

    private func octal(_ mode: UInt32) -> String {
        let s = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
