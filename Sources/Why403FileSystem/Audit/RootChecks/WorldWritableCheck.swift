import Why403Core

/// `fs.world-writable`: a file or directory under the root (the root included) that every user may write:
/// `o+w` without the sticky bit. Links are skipped (their own mode means nothing).
///
/// Not a 403 in itself, but anyone on the machine can change (or remove) what is served. Evidence: the
/// path and its mode in octal. Always `certain`: the mode says so. Fix: `chmod o-w`.
/// Upstream: chmod(1) (the sticky bit on directories).
struct WorldWritableCheck: RootCheck {
    let id = "fs.world-writable"
    let severity = Severity.warning
    let summary = "a file or directory anyone may write"

    func findings(at entry: RootEntry) -> [Finding] {
        let info = entry.info
        guard info.kind != .symlink, info.mode & 0o002 != 0, info.mode & 0o1000 == 0 else { return [] }
        return [Finding(cause: .fsPermission, layer: .filesystem, confidence: .certain,
                        summary: "\(entry.path) is writable by every user: anyone on the machine can change what is served",
                        evidence: [Evidence(source: entry.path, text: "mode \(Self.octal(info.mode)) (o+w)")],
                        fixes: [Fix(summary: "remove write permission for others", commands: ["chmod o-w \(ShellWord.single(entry.path))"])],
                        rule: id, severity: severity)]
    }

    /// Four octal digits: `0777`, `1777`.
    static func octal(_ mode: UInt32) -> String {
        let s = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
