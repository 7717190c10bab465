import Why403Core

/// One web-root check of `audit --root DIR`: its id, severity, and what it finds at one entry of the walk.
///
/// `RootAudit` walks the root once, as the server's user, and hands every check each entry with the
/// access the walk already computed for it; a check looks at that entry only and reads nothing itself.
protocol RootCheck: Sendable {
    /// The stable id shown in reports, `fs.<kebab-name>`.
    var id: String { get }
    /// How serious a finding of this check is.
    var severity: Severity { get }
    /// One line: what the check finds (docs/audit.md's table shows it).
    var summary: String { get }
    /// The findings about `entry` (most often none).
    func findings(at entry: RootEntry) -> [Finding]
}

extension RootCheck {
    /// The walk's own findings about a denied `access` (evidence `namei -l` style, least-privilege fixes),
    /// as this check's: its id as the rule, its severity.
    func reported(_ access: PathAccess) -> [Finding] {
        access.findings.map { f in
            var x = f
            x.severity = severity
            x.rule = id
            return x
        }
    }
}

/// One path under the web root as the walk met it.
struct RootEntry {
    /// The full path.
    let path: String
    /// `lstat` of it (a link is described, not followed).
    let info: FileInfo
    /// The walk as the server's user: `.list` for the root itself, `.read` for a regular file, into it
    /// (`dir/..`: search on the directory itself) for a directory, `.reach` for a link; nil for anything
    /// else (sockets, devices).
    let access: PathAccess?
    /// Whether this is the audited root itself (which may be a link: that is how it is served).
    let isRoot: Bool
    /// The audited root, as given.
    let root: String

    /// Whether the walk was denied (`access` says so).
    var denied: Bool {
        if case .denied = access?.outcome { true } else { false }
    }
}
