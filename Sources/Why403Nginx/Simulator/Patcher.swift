import Why403Core

/// Builds unified-diff patches against the configuration's files (printed, never applied).
struct Patcher {
    let config: NginxConfig

    /// A directive that shares its line with others (`location /a { allow 10.0.0.0/8; deny all; }`) is edited inside
    /// the line: a whole-line edit would land outside its block (an `allow` added at server level, which nginx does not
    /// merge into a location with rules of its own) or take its neighbours with it. Its text must occur once in the
    /// line as `Directive.text` writes it; else there is no patch (nil), never a wrong one.
    private func sharedLine(_ d: Directive) -> (lines: [Substring], index: Int, range: Range<String.Index>, line: String)? {
        guard let lines = config.lines(of: d.location.file), d.location.line >= 1, d.location.line <= lines.count else { return nil }
        let line = String(lines[d.location.line - 1])
        guard line.trimmingSpaces != d.text, let r = line.range(of: d.text),
              line[r.upperBound...].range(of: d.text) == nil else { return nil }
        return (lines, d.location.line - 1, r, line)
    }

    /// Whether `d` is alone on its line (the whole-line edits apply): the line holds `d`'s name first and no other
    /// directive — one `;` (or, for a block directive, one `{`) outside quotes and comments, at its end — however it
    /// is spaced (`deny  all;` is alone). The trailing comment, if any, is returned so a replacement keeps it.
    private func alone(_ d: Directive) -> (Bool, comment: String) {
        guard let lines = config.lines(of: d.location.file), d.location.line >= 1, d.location.line <= lines.count else { return (false, "") }
        return Patcher.holdsOnly(d, line: String(lines[d.location.line - 1]))
    }

    static func holdsOnly(_ d: Directive, line: String) -> (Bool, comment: String) {
        // One pass: the code before a comment, and how many `;`, `{` or `}` it holds outside quotes.
        let chars = Array(line)
        var code = "", comment = "", quote: Character? = nil, terminators = 0, i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                code.append(c)
                if c == "\\", i + 1 < chars.count { code.append(chars[i + 1]); i += 2; continue }
                if c == q { quote = nil }
            } else if c == "#" {
                comment = String(chars[i...]); break
            } else {
                if c == "\"" || c == "'" { quote = c }
                if c == ";" || c == "{" || c == "}" { terminators += 1 }
                code.append(c)
            }
            i += 1
        }
        let body = code.trimmingSpaces
        let end: Character = d.block == nil ? ";" : "{"
        guard quote == nil, terminators == 1, body.last == end, body.hasPrefix(d.name) else { return (false, "") }
        guard let first = body.dropFirst(d.name.count).first, first == " " || first == "\t" || first == "(" || first == end
        else { return (false, "") }
        return (true, comment.isEmpty ? "" : " " + comment)
    }

    /// A patch inserting `text` (indented like the directive) on the line before `d`; inside the line, just before
    /// `d`, when `d` shares its line.
    func insertBefore(_ d: Directive, _ text: String) -> String? {
        if alone(d).0 { return hunk(d.location, remove: 0, add: [text]) }
        guard let s = sharedLine(d) else { return nil }
        return diff(file: d.location.file, lines: s.lines, at: s.index, remove: 1,
                    add: [String(s.line[..<s.range.lowerBound]) + text + " " + String(s.line[s.range.lowerBound...])])
    }

    /// A patch inserting `text` after `d` (for a block directive: as the first line of its block; right after its `{`
    /// when the block goes on on the same line).
    func insertAfter(_ d: Directive, _ text: String, indentMore: Bool = false) -> String? {
        guard let lines = config.lines(of: d.location.file), d.location.line <= lines.count else { return nil }
        if !alone(d).0 {
            guard let s = sharedLine(d) else { return nil }
            return diff(file: d.location.file, lines: s.lines, at: s.index, remove: 1,
                        add: [String(s.line[..<s.range.upperBound]) + " " + text + String(s.line[s.range.upperBound...])])
        }
        let indent = String(lines[d.location.line - 1].prefix(while: { $0 == " " || $0 == "\t" })) + (indentMore ? "    " : "")
        return diff(file: d.location.file, lines: lines, at: d.location.line, remove: 0, add: [indent + text])
    }

    /// A patch replacing the line of `d` by `text` (same indentation). When `d` shares its line, only `d` is replaced,
    /// and a replacement that comments it out (`# return 403;`) removes it instead (a `#` would comment out the rest of
    /// the line, closing braces included).
    func replace(_ d: Directive, with text: String) -> String? {
        let single = alone(d)
        if single.0 { return hunk(d.location, remove: 1, add: [text + single.comment]) }
        guard let s = sharedLine(d) else { return nil }
        var after = String(s.line[s.range.upperBound...])
        if text.hasPrefix("#"), after.hasPrefix(" ") { after.removeFirst() }
        return diff(file: d.location.file, lines: s.lines, at: s.index, remove: 1,
                    add: [String(s.line[..<s.range.lowerBound]) + (text.hasPrefix("#") ? "" : text) + after])
    }

    /// A patch moving the line of `d` to just before the line of `target`: both in one file, `d` below
    /// `target`, each alone on its line (else nil: a caller falls back to an insertion).
    func move(_ d: Directive, before target: Directive) -> String? {
        guard d.location.file == target.location.file, let lines = config.lines(of: d.location.file),
              target.location.line >= 1, target.location.line < d.location.line, d.location.line <= lines.count,
              Patcher.holdsOnly(d, line: String(lines[d.location.line - 1])).0,
              Patcher.holdsOnly(target, line: String(lines[target.location.line - 1])).0 else { return nil }
        let a = target.location.line - 1, b = d.location.line - 1
        let indent = String(lines[a].prefix(while: { $0 == " " || $0 == "\t" }))
        return diff(file: d.location.file, lines: lines, at: a, remove: b - a + 1,
                    add: [indent + lines[b].trimmingSpaces] + lines[a..<b].map(String.init))
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
