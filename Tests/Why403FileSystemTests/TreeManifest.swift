import Foundation
import Why403Core
import Why403FileSystem

/// A web root written as text, for the `fs.*` audit fixtures (`Tests/Fixtures/audit/fs.*/<case>.hit.tree`):
/// one line per entry, loaded into an `InMemoryFileSystem` or made for real on disk.
///
/// ```
/// # comment
/// audit /srv/www as www-data          the root audited, and the user the audit runs as
/// user www-data 33 33 [gid...]        a user: name, uid, primary gid, more groups (root exists)
/// group editors 1001                  a group name
/// /srv/www/index.html file 0644 root www-data
/// /srv/www/docs       link 0777 root root ../docs
/// ```
/// An entry is `path kind mode owner group [link-target]`, kind `dir`, `file` or `link` (a link's mode is
/// always 0777), owner and group by name or number. Missing parents are root:root 0755.
struct TreeManifest {
    struct Entry {
        var path: String
        var kind: FileInfo.Kind
        var mode: UInt32
        var uid: UInt32
        var gid: UInt32
        var target: String?
    }

    var root = ""
    var user = ""
    var users: [(name: String, uid: UInt32, gid: UInt32, groups: [UInt32])] = []
    var groups: [(name: String, gid: UInt32)] = []
    var entries: [Entry] = []

    init(contentsOf url: URL) throws {
        let file = url.lastPathComponent
        for (n, raw) in try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].split(separator: " ").map(String.init)
            func bad(_ expected: String) -> InputError {
                InputError(file: file, line: n + 1, expected: expected, found: words.joined(separator: " "))
            }
            func number(_ s: String) throws -> UInt32 {
                guard let v = UInt32(s) else { throw bad("a number") }
                return v
            }
            switch words.first {
            case nil: continue
            case "audit":
                guard words.count == 4, words[2] == "as" else { throw bad("audit ROOT as USER") }
                root = words[1]
                user = words[3]
            case "user":
                guard words.count >= 4 else { throw bad("user NAME UID GID [GID...]") }
                users.append((words[1], try number(words[2]), try number(words[3]), try words.dropFirst(4).map(number)))
            case "group":
                guard words.count == 3 else { throw bad("group NAME GID") }
                groups.append((words[1], try number(words[2])))
            default:
                guard words[0].hasPrefix("/"), words.count >= 5 else { throw bad("audit, user, group or PATH KIND MODE OWNER GROUP") }
                let kinds: [String: FileInfo.Kind] = ["dir": .directory, "file": .regular, "link": .symlink]
                guard let kind = kinds[words[1]] else { throw bad("kind dir, file or link") }
                guard let mode = UInt32(words[2], radix: 8) else { throw bad("an octal mode") }
                guard (kind == .symlink) == (words.count == 6) else { throw bad("a link target for a link only") }
                let uid = try users.first { $0.name == words[3] }?.uid ?? (words[3] == "root" ? 0 : number(words[3]))
                let gid = try (users.map { ($0.name, $0.gid) } + groups.map { ($0.name, $0.gid) }).first { $0.0 == words[4] }?.1
                    ?? (words[4] == "root" ? 0 : number(words[4]))
                entries.append(Entry(path: words[0], kind: kind, mode: mode, uid: uid, gid: gid, target: kind == .symlink ? words[5] : nil))
            }
        }
        guard !root.isEmpty else { throw InputError(file: file, expected: "a line `audit ROOT as USER`", found: "none") }
    }

    /// The tree in memory, every path (and absolute link target) under `prefix`; `owner` replaces every
    /// entry's owner and group when given.
    func inMemory(under prefix: String = "", owner: (uid: UInt32, gid: UInt32)? = nil) -> InMemoryFileSystem {
        var fs = InMemoryFileSystem()
        for u in users { fs.user(u.name, uid: u.uid, gid: u.gid, groups: u.groups) }
        for g in groups { fs.group(g.name, gid: g.gid) }
        for e in entries {
            let (uid, gid) = owner ?? (e.uid, e.gid)
            switch e.kind {
            case .directory: fs.directory(prefix + e.path, mode: e.mode, uid: uid, gid: gid)
            case .symlink: fs.symlink(prefix + e.path, to: Self.target(e.target ?? "", under: prefix), uid: uid, gid: gid)
            default: fs.file(prefix + e.path, "", mode: e.mode, uid: uid, gid: gid)
            }
        }
        return fs
    }

    /// Makes the tree on disk under `prefix` (modes set deepest first, once everything exists); owners
    /// are set only when `chown` is true (it needs root).
    func materialize(under prefix: String, chown: Bool) throws {
        let fm = FileManager.default
        for e in entries {
            let path = prefix + e.path
            try fm.createDirectory(atPath: e.kind == .directory ? path : (path as NSString).deletingLastPathComponent,
                                   withIntermediateDirectories: true)
            switch e.kind {
            case .symlink: try fm.createSymbolicLink(atPath: path, withDestinationPath: Self.target(e.target ?? "", under: prefix))
            case .regular: guard fm.createFile(atPath: path, contents: Data()) else { throw CocoaError(.fileWriteUnknown) }
            default: break
            }
        }
        for e in entries.reversed() {
            let path = prefix + e.path
            if chown { guard lchown(path, e.uid, e.gid) == 0 else { throw POSIXError(.EPERM) } }
            if e.kind != .symlink { guard chmod(path, mode_t(e.mode)) == 0 else { throw POSIXError(.EPERM) } }
        }
    }

    static func target(_ t: String, under prefix: String) -> String { t.hasPrefix("/") ? prefix + t : t }
}
