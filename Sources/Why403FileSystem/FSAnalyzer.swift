import Why403Core

/// `why403 fs`: walks a path as the web server's user and reports what a static file server running as
/// that user answers (200, 403, 404), with `fs.permission` / `fs.selinux` / `fs.symlink` findings from
/// `PathWalk` (evidence `namei -l` style, least-privilege fixes). The user is `--user`, else the one the
/// local nginx or Apache configuration names (`ServerUser`), else www-data; a note says which and why.
/// A directory is checked for listing (r and x). An unknown user is an `InputError`.
public enum FSAnalyzer {
    /// What to check.
    public struct Input: Sendable {
        /// The path as given (relative paths are taken from `cwd`).
        public var path: String
        /// The user to check as, or nil to detect the server's.
        public var user: String?
        /// The working directory for a relative path.
        public var cwd: String
        /// Where files, users and groups are read (the live system, or the in-memory twin).
        public var fileSystem: any FileSystemView
        /// An input.
        public init(path: String, user: String? = nil, cwd: String = "/", fileSystem: any FileSystemView = LiveFileSystem()) {
            self.path = path; self.user = user; self.cwd = cwd; self.fileSystem = fileSystem
        }
    }

    /// Builds the report (no printing): the walk as the chosen user.
    public static func analyze(_ input: Input) throws -> Report {
        let path = input.path, user = input.user, cwd = input.cwd, fs = input.fileSystem
        var notes: [String] = []
        let name: String
        if let user {
            name = user
            notes.append("user \(user) given with --user")
        } else {
            let choice = ServerUser.detect(in: fs)
            name = choice.name
            notes.append("user \(choice.name): \(choice.reason); use --user to check as another")
        }
        guard let identity = fs.user(named: name) else {
            throw InputError(file: nil, expected: "a user in the passwd database", found: InputError.quote(name),
                             help: "name the server's user with --user (check with: getent passwd NAME)")
        }
        let absolute = path.hasPrefix("/") ? path : (cwd.hasSuffix("/") ? cwd : cwd + "/") + path
        var access = PathWalk.check(absolute, as: identity, need: .read, in: fs)
        if case .allowed = access.outcome, let resolved = access.resolvedPath, fs.info(resolved)?.kind == .directory {
            access = PathWalk.check(absolute, as: identity, need: .list, in: fs)
            notes.append("\(absolute) is a directory: checked that \(identity.name) may list it (r and x); a server would look for an index file in it")
        }
        notes += access.notes
        switch access.outcome {
        case .missing(let component):
            notes.append("\(component) does not exist (ENOENT): a static file server answers 404")
        case .notADirectory(let component):
            notes.append("\(component) is not a directory but the path goes on (ENOTDIR): a static file server answers 404")
        case .allowed:
            notes.append("\(identity.name) can \(access.resolvedPath.flatMap { fs.info($0)?.kind == .directory ? "list" : nil } ?? "read") \(access.resolvedPath ?? absolute)")
        case .denied:
            break
        }
        if let resolved = access.resolvedPath, resolved != absolute {
            notes.append("\(absolute) resolves to \(resolved)")
        }
        var extra: [String: JSONValue] = ["user": .string(identity.name)]
        extra["steps"] = .array(access.steps.map { step in
            var o: [String: JSONValue] = ["path": .string(step.path), "ok": .bool(step.ok)]
            if let info = step.info {
                o["mode"] = .string(PathWalk.modeString(info))
                o["owner"] = .string(fs.userName(info.uid) ?? String(info.uid))
                o["group"] = .string(fs.groupName(info.gid) ?? String(info.gid))
                if let t = info.symlinkTarget { o["target"] = .string(t) }
                if info.kind != .symlink { o["effective"] = .string(step.effective) }
            } else {
                o["exists"] = .bool(false)
            }
            return .object(o)
        })
        return Report(subject: Subject(kind: .fs, path: absolute, extra: extra), status: access.status,
                      findings: access.findings, notes: notes)
    }
}
