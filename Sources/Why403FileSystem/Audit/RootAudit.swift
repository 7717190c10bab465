import Why403Core

/// `audit --root DIR`: files and directories under a web root that the server's user cannot use, and
/// permissions that would let anyone change what is served.
///
/// Each check is one `RootCheck` in `RootChecks/<Name>Check.swift` with a stable id (`fs.<kebab-name>`):
/// - `fs.world-writable` (warning): a file or directory anyone may write (o+w, no sticky bit).
/// - `fs.unsearchable-directory` (error): a directory the user cannot enter: everything below is 403.
/// - `fs.unreadable-file` (error): a regular file the user cannot read: a static server answers 403.
/// - `fs.symlink-outside-root` (info): a link that leads out of the root (nginx `disable_symlinks`
///   `from=$document_root` and Apache `SymLinksIfOwnerMatch` may refuse it).
///
/// `run` walks the root once as the user, checking each entry's access once (PathWalk: `.list` for the
/// root, `.read` for a file, search into it for a directory (`dir/..` reached: `x` on the directory
/// itself), `.reach` for a link), and hands every check each entry with that access. A directory whose
/// walk is denied is reported once and not walked into. A root the user cannot list is
/// reported as an unsearchable directory and nothing else is checked. The walk stops after `limit` entries
/// and says so in a note.
public struct RootAudit: Sendable {
    /// The web root to walk.
    public var root: String
    /// The server's user, as the checks judge access.
    public var user: UserIdentity
    /// Entries walked at most (a note says when the walk stopped there).
    public var limit: Int

    /// Every check, in the order they run on each entry (a new check is one line here).
    static let checks: [any RootCheck] = [
        WorldWritableCheck(),
        UnsearchableDirectoryCheck(),
        UnreadableFileCheck(),
        SymlinkOutsideRootCheck(),
    ]

    /// The ids of every check, in the order they run.
    public static let checkIDs = checks.map(\.id)

    /// An audit of `root` as `user`.
    public init(root: String, user: UserIdentity, limit: Int = 200_000) {
        self.root = root
        self.user = user
        self.limit = limit
    }

    /// Walks the root once, handing each entry to every check; findings with a severity, and notes.
    public func run(in fs: any FileSystemView) throws -> (findings: [Finding], notes: [String]) {
        guard let rootInfo = fs.info(root) else {
            throw InputError(file: root, message: "no such file or directory")
        }
        guard rootInfo.kind == .directory || rootInfo.kind == .symlink else {
            throw InputError(file: root, expected: "a directory", found: "a \(rootInfo.kind.rawValue) file")
        }
        let top = RootEntry(path: root, info: rootInfo, access: PathWalk.check(root, as: user, need: .list, in: fs),
                            isRoot: true, root: root)
        if top.denied {
            return (UnsearchableDirectoryCheck().findings(at: top),
                    ["\(user.name) cannot list \(root) itself: nothing below it was checked"])
        }
        var findings = hand(top)
        var notes: [String] = []
        var visited = 0
        var queue: [String] = [root]
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
                let entry = RootEntry(path: path, info: info, access: access(path, info, in: fs), isRoot: false, root: root)
                findings += hand(entry)
                if info.kind == .directory && !entry.denied { queue.append(path) }
            }
        }
        notes.append("checked \(visited) entries under \(root) as \(user.name) (uid \(user.uid))")
        return (dedupe(findings), notes)
    }

    /// The walk to `path` as the user, needing what a server needs of an entry of this kind.
    private func access(_ path: String, _ info: FileInfo, in fs: any FileSystemView) -> PathAccess? {
        switch info.kind {
        // Entering a directory needs search (x) on it: walking to `dir/..` asks exactly that, and a
        // denial names the directory itself (its evidence and fix), not a file below it.
        case .directory: PathWalk.check(path + "/..", as: user, need: .reach, in: fs)
        case .symlink: PathWalk.check(path, as: user, need: .reach, in: fs)
        case .regular: PathWalk.check(path, as: user, need: .read, in: fs)
        case .other: nil
        }
    }

    /// Every check's findings about `entry`, in registry order.
    private func hand(_ entry: RootEntry) -> [Finding] {
        Self.checks.flatMap { $0.findings(at: entry) }
    }

    /// One finding per (rule, summary): the summary names the denied path, so each unreadable file and
    /// each unsearchable directory is reported once.
    private func dedupe(_ findings: [Finding]) -> [Finding] {
        var seen: Set<String> = []
        return findings.filter { seen.insert("\($0.rule ?? "")|\($0.summary)").inserted }
    }
}
