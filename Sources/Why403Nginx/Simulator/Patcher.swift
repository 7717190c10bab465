import Why403Core

/// Builds unified-diff patches against the configuration's files (printed, never applied).
struct Patcher {
    let config: NginxConfig

    /// A patch inserting `text` (indented like the directive) on the line before `d`.
    func insertBefore(_ d: Directive, _ text: String) -> String? {
        hunk(d.location, remove: 0, add: [text])
    }

    /// A patch inserting `text` after `d` (for a block directive: as the first line of its block).
    func insertAfter(_ d: Directive, _ text: String, indentMore: Bool = false) -> String? {
        guard let lines = config.lines(of: d.location.file), d.location.line <= lines.count else { return nil }
        let indent = String(lines[d.location.line - 1].prefix(while: { $0 == " " || $0 == "\t" })) + (indentMore ? "    " : "")
        return diff(file: d.location.file, lines: lines, at: d.location.line, remove: 0, add: [indent + text])
    }

    /// A patch replacing the line of `d` by `text` (same indentation).
    func replace(_ d: Directive, with text: String) -> String? {
        hunk(d.location, remove: 1, add: [text])
    }

    /// A patch moving the line of `d` to just before the line of `target`: both in one file, `d` below
    /// `target`, each alone on its line (else nil: a caller falls back to an insertion).
    func move(_ d: Directive, before target: Directive) -> String? {
        guard d.location.file == target.location.file, let lines = config.lines(of: d.location.file),
              target.location.line >= 1, target.location.line < d.location.line, d.location.line <= lines.count,
              String(lines[d.location.line - 1]).trimmingSpaces == d.text,
              String(lines[target.location.line - 1]).trimmingSpaces == target.text else { return nil }
        let a = target.location.line - 1, b = d.location.line - 1
        let indent = String(lines[a].prefix(while: { $0 == " " || $0 == "\t" }))
        return diff(file: d.location.file, lines: lines, at: a, remove: b - a + 1,
                    add: [indent + d.text] + lines[a..<b].map(String.init))
    }

    func hunk(_ loc: SourceLocation, remove: Int, add: [String]) -> String? {
        guard let lines = config.lines(of: loc.file), loc.line >= 1, loc.line <= lines.count else { return nil }
        let indent = String(lines[loc.line - 1].prefix(while: { $0 == " " || $0 == "\t" }))
        return diff(file: loc.file, lines: lines, at: loc.line - 1, remove: remove, add: add.map { indent + $0 })
    }

    /// A unified diff removing `remove` lines at index `at` (0-based) and adding `add` there, 2 lines of context.
    func diff(file: String, lines: [Substring], at: Int, remove: Int, add: [String]) -> String {
        let start = max(0, at - 2)
        let end = min(lines.count, at + remove + 2)
        var body: [String] = []
        for i in start..<at { body.append(" " + lines[i]) }
        for i in at..<min(lines.count, at + remove) { body.append("-" + lines[i]) }
        for a in add { body.append("+" + a) }
        for i in min(lines.count, at + remove)..<end { body.append(" " + lines[i]) }
        let oldCount = end - start
        let newCount = oldCount - remove + add.count
        let name = file.hasPrefix("/") ? String(file.dropFirst()) : file
        return "--- a/\(name)\n+++ b/\(name)\n@@ -\(start + 1),\(oldCount) +\(start + 1),\(newCount) @@\n" + body.joined(separator: "\n") + "\n"
    }
}
