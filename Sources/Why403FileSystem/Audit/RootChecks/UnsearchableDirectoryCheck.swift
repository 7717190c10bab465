import Why403Core

/// `fs.unsearchable-directory`: a directory under the root the server's user cannot enter (search, `x`),
/// or the root itself when the user cannot list it.
///
/// Every file below answers 403. The walk enters each directory as the kernel does (search, `x`, on the
/// directory itself and every one above it), so the directory is reported once, itself, empty or not,
/// and the walk goes no deeper. The findings are
/// PathWalk's for the denied walk (this check sets its id and severity). Evidence and fixes as for
/// `fs.unreadable-file`: each component with mode, owner and the user's effective bits, and the one
/// missing bit (or a `setfacl` entry). `certain` when the mode bits or an ACL deny; `likely` for an SELinux
/// label. Upstream: path_resolution(7).
struct UnsearchableDirectoryCheck: RootCheck {
    let id = "fs.unsearchable-directory"
    let severity = Severity.error
    let summary = "a directory the user cannot enter: everything below it is 403"

    func findings(at entry: RootEntry) -> [Finding] {
        guard entry.info.kind == .directory || entry.isRoot, entry.denied, let access = entry.access else { return [] }
        return reported(access)
    }
}
