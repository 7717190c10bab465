import Why403Core

/// `fs.unreadable-file`: a regular file under the root that the server's user cannot read.
///
/// A static server opening it gets EACCES and answers 403. The findings are PathWalk's for the denied walk
/// (this check sets its id and severity). Evidence: every component of the path with its mode, owner and
/// what the user may do there (`namei -l` style), and the user's uid and groups. `certain` when the mode
/// bits or an ACL deny (PathWalk follows the kernel's permission check); `likely` when SELinux enforces and
/// the file's label is outside the web-content types (a boolean or a policy module may still allow it).
/// Fix: the one missing bit for the user's class, or a `setfacl` entry for the user alone when that opens
/// the file to fewer people, never 777 (for a label: `semanage fcontext` and `restorecon`).
/// Upstream: path_resolution(7), acl(5).
struct UnreadableFileCheck: RootCheck {
    let id = "fs.unreadable-file"
    let severity = Severity.error
    let summary = "a file under the root the server's user cannot read: a static server answers 403"

    func findings(at entry: RootEntry) -> [Finding] {
        guard entry.info.kind == .regular, entry.denied, let access = entry.access else { return [] }
        return reported(access)
    }
}
