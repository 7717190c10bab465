import Why403Core

/// The lexical layer of httpd's configuration language: bytes to logical lines, a line to a token.
///
/// Follows httpd 2.4's `ap_cfg_getline` (lines, `\` continuations, `#` comments only at the start of a
/// line) and `ap_getword_conf` (whitespace-separated words, `"…"` and `'…'` quoting). It knows no
/// directive: `${VAR}` expansion and conditional sections are the preprocessor's
/// (`ApacheConfigParser+Preprocessor`), sections the parser's (`ApacheConfigParser`).
///
/// Hand-written: no Swift library reads Apache's configuration language.
enum ApacheLexer {
    /// One logical line: text with continuations joined, and the file and line where it starts.
    struct Line {
        /// The text, trimmed, continuations joined without their backslash.
        var text: String
        /// Where the line starts.
        var location: SourceLocation
    }

    /// What one logical line is, after `${VAR}` expansion.
    enum Token: Equatable {
        /// `</Name>`: the name, trimmed.
        case sectionClose(name: String)
        /// `<Name args…>`.
        case sectionOpen(name: String, args: [String])
        /// `<Name …` without the closing `>`.
        case sectionOpenUnterminated(name: String)
        /// `<>` or `< …>`: no section name after `<`.
        case sectionOpenNameless
        /// `Name args…`.
        case directive(name: String, args: [String])
    }

    /// The token a logical line's text is (the line is never empty: `logicalLines` drops blank lines).
    static func token(_ text: String) -> Token {
        if text.hasPrefix("</") {
            var name = String(text.dropFirst(2))
            if name.hasSuffix(">") { name.removeLast() }
            return .sectionClose(name: name.trimmingSpaces)
        }
        if text.hasPrefix("<") {
            guard text.hasSuffix(">") else {
                return .sectionOpenUnterminated(name: String(text.dropFirst().prefix { $0 != " " && $0 != "\t" }))
            }
            let inner = text.dropFirst().dropLast()
            let name = String(inner.prefix { $0 != " " && $0 != "\t" })
            if name.isEmpty { return .sectionOpenNameless }
            return .sectionOpen(name: name, args: words(inner.dropFirst(name.count)))
        }
        let nameEnd = text.firstIndex { $0 == " " || $0 == "\t" } ?? text.endIndex
        return .directive(name: String(text[..<nameEnd]), args: words(text[nameEnd...]))
    }

    /// Splits text into logical lines: `\` at the end of a line continues it (httpd joins without the
    /// backslash), blank lines and `#` comment lines dropped. Works on bytes: this is the hot loop of
    /// reading large configurations.
    static func logicalLines(_ text: String, file: String) -> [Line] {
        logicalLines(Array(text.utf8), file: file)
    }

    static func logicalLines(_ bytes: [UInt8], file: String) -> [Line] {
        var out: [Line] = []
        var pending: [UInt8] = []
        var start = 0
        var number = 0
        var i = 0
        let n = bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 || b == 11 || b == 12 }
        func flush() {
            var lo = 0, hi = pending.count
            while lo < hi && isSpace(pending[lo]) { lo += 1 }
            while hi > lo && isSpace(pending[hi - 1]) { hi -= 1 }
            if lo < hi && pending[lo] != UInt8(ascii: "#") {
                out.append(Line(text: String(decoding: pending[lo..<hi], as: UTF8.self), location: SourceLocation(file: file, line: start)))
            }
            pending.removeAll(keepingCapacity: true)
        }
        while i < n {
            var j = i
            while j < n && bytes[j] != 10 { j += 1 }
            number += 1
            var hi = j
            while hi > i && isSpace(bytes[hi - 1]) { hi -= 1 }
            if pending.isEmpty { start = number }
            if hi > i && bytes[hi - 1] == UInt8(ascii: "\\") {
                pending.append(contentsOf: bytes[i..<(hi - 1)])
            } else {
                pending.append(contentsOf: bytes[i..<hi])
                flush()
            }
            i = j + 1
        }
        if !pending.isEmpty { flush() }
        return out
    }

    /// The bytes with each line cut at its first NUL byte (the rest of that line dropped), as httpd reads
    /// a `.htaccess`: `ap_cfg_getline` treats the line it read as a C string. The main configuration
    /// is refused instead (a NUL there is an input error).
    static func cutLinesAtNUL(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var skipping = false
        for b in bytes {
            if b == 10 { skipping = false; out.append(b); continue }
            if b == 0 { skipping = true }
            if !skipping { out.append(b) }
        }
        return out
    }

    /// Splits arguments as `ap_getword_conf` does: whitespace separates, `"…"` and `'…'` quote, a
    /// backslash escapes the quote character inside quotes.
    static func words(_ s: Substring) -> [String] {
        let u = Array(s.utf8)
        var out: [String] = []
        var i = 0
        let n = u.count
        while i < n {
            while i < n, u[i] == 32 || u[i] == 9 { i += 1 }
            if i == n { break }
            let c = u[i]
            var word: [UInt8] = []
            if c == 34 || c == 39 {
                i += 1
                while i < n, u[i] != c {
                    if u[i] == 92, i + 1 < n, u[i + 1] == c { i += 1 }
                    word.append(u[i])
                    i += 1
                }
                if i < n { i += 1 }
            } else {
                while i < n, u[i] != 32 && u[i] != 9 {
                    word.append(u[i])
                    i += 1
                }
            }
            out.append(String(decoding: word, as: UTF8.self))
        }
        return out
    }
}
