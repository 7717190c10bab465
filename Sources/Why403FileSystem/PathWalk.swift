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
    public enum Outcome: Sendable, Equatable {
        /// Every component can be reached and the last one used as needed.
        case allowed
        /// `component` exists but the user may not use it as needed (errno 13).
        case denied(component: String)
        /// `component` does not exist (errno 2); a static server answers 404.
        case missing(component: String)
        /// A component on the way is not a directory (errno 20).
        case notADirectory(component: String)
    }

    /// One component of the walk, as `namei -l` would show it.
    public struct Step: Sendable, Equatable {
        public var path: String
        public var info: FileInfo?
        /// What the user may do here: "r-x", "--x", ...
        public var effective: String
        public var ok: Bool
        public init(path: String, info: FileInfo?, effective: String, ok: Bool) {
            self.path = path; self.info = info; self.effective = effective; self.ok = ok
        }
    }

    public var outcome: Outcome
    public var steps: [Step]
    /// `fs.permission` / `fs.selinux` findings with evidence and least-privilege fixes (empty when allowed).
    public var findings: [Finding]
    public var notes: [String]

    /// What a static file server running as the user answers: 200, 403 or 404.
    public var status: Int {
        switch outcome {
        case .allowed: 200
        case .denied: 403
        case .missing, .notADirectory: 404
        }
    }

    public init(outcome: Outcome, steps: [Step], findings: [Finding], notes: [String] = []) {
        self.outcome = outcome
        self.steps = steps
        self.findings = findings
        self.notes = notes
    }
}

/// Walks every component of a path as a user would (being built by the filesystem work: modes,
/// owner, group, supplementary groups, POSIX ACLs, SELinux labels, symbolic links).
public enum PathWalk {
    public static func check(_ path: String, as user: UserIdentity, need: AccessNeed = .read,
                             in fs: any FileSystemView) -> PathAccess {
        PathAccess(outcome: .allowed, steps: [], findings: [])
    }
}
