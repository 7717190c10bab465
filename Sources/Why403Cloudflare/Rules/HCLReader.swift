import Why403Core

/// Reads the subset of HCL (Terraform's language) that `cloudflare_ruleset` resources use: blocks,
/// attributes, strings (escapes decoded, `${...}` kept as written), heredocs (`<<EOT`, `<<-EOT`),
/// numbers, Booleans, lists and objects; any other expression (`var.zone_id`, a function call) is kept
/// as its text. Hand-written: no Swift package reads HCL.
///
/// A block becomes an object member; repeated blocks of one name (`rules { }` several times) become
/// an array, as `terraform show -json` writes them.
struct HCLReader {
    struct Tok {
        enum K: Equatable { case ident, string, number, sym, end }
        var k: K
        var text: String
        var line: Int
        var col: Int
        var newlineBefore: Bool
    }

    let file: String
    let s: [Unicode.Scalar]
    var i = 0
    var line = 1
    var col = 1
    var toks: [Tok] = []
    var p = 0

    init(text: String, file: String) {
        self.file = file
        self.s = Array(text.unicodeScalars)
    }

    func fail(_ line: Int, _ col: Int, _ message: String) -> InputError {
        InputError(file: file, line: line, column: col, message: message)
    }

    // MARK: lexing

    mutating func bump() {
        if s[i] == "\n" { line += 1; col = 1 } else { col += 1 }
        i += 1
    }

    mutating func lex() throws {
        var nl = true
        while true {
            // whitespace and comments
            while i < s.count {
                let c = s[i]
                if c == "\n" { nl = true; bump(); continue }
                if c == " " || c == "\t" || c == "\r" { bump(); continue }
                if c == "#" || (c == "/" && i + 1 < s.count && s[i + 1] == "/") {
                    while i < s.count, s[i] != "\n" { bump() }
                    continue
                }
                if c == "/" && i + 1 < s.count && s[i + 1] == "*" {
                    let (l0, c0) = (line, col)
                    bump(); bump()
                    while i < s.count, !(s[i] == "*" && i + 1 < s.count && s[i + 1] == "/") { bump() }
                    guard i < s.count else { throw fail(l0, c0, "unterminated comment /*") }
                    bump(); bump()
                    continue
                }
                break
            }
            guard i < s.count else { toks.append(Tok(k: .end, text: "", line: line, col: col, newlineBefore: true)); return }
            let (l0, c0) = (line, col)
            let c = s[i]
            if c == "\"" {
                toks.append(Tok(k: .string, text: try lexString(l0, c0), line: l0, col: c0, newlineBefore: nl))
            } else if c == "<", i + 1 < s.count, s[i + 1] == "<" {
                toks.append(Tok(k: .string, text: try lexHeredoc(l0, c0), line: l0, col: c0, newlineBefore: nl))
                nl = true // the heredoc ends with its marker's line
                continue
            } else if c.properties.isAlphabetic || c == "_" {
                var t = String.UnicodeScalarView()
                while i < s.count, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) || s[i] == "_" || s[i] == "-" {
                    t.append(s[i]); bump()
                }
                toks.append(Tok(k: .ident, text: String(t), line: l0, col: c0, newlineBefore: nl))
            } else if ("0"..."9").contains(c) || (c == "-" && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
                var t = String.UnicodeScalarView()
                t.append(c); bump()
                while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "." || s[i] == "e" || s[i] == "E" { t.append(s[i]); bump() }
                toks.append(Tok(k: .number, text: String(t), line: l0, col: c0, newlineBefore: nl))
            } else {
                bump()
                toks.append(Tok(k: .sym, text: String(c), line: l0, col: c0, newlineBefore: nl))
            }
            nl = false
        }
    }

    mutating func lexString(_ l0: Int, _ c0: Int) throws -> String {
        bump() // "
        var out = String.UnicodeScalarView()
        while i < s.count {
            let c = s[i]
            if c == "\n" { break }
            if c == "\"" { bump(); return String(out) }
            if c == "\\" {
                guard i + 1 < s.count else { break }
                let e = s[i + 1]
                bump(); bump()
                switch e {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<n where i < s.count { hex.unicodeScalars.append(s[i]); bump() }
                    guard let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
                        throw fail(line, col, "expected \(n) hexadecimal digits after \\\(e)")
                    }
                    out.append(u)
                default:
                    throw fail(line, col - 2, "invalid escape \\\(e) in a string")
                }
                continue
            }
            if (c == "$" || c == "%"), i + 2 < s.count, s[i + 1] == c, s[i + 2] == "{" {
                out.append(c); out.append("{"); bump(); bump(); bump(); continue
            }
            if (c == "$" || c == "%"), i + 1 < s.count, s[i + 1] == "{" {
                // A template interpolation: kept as written, braces balanced.
                var depth = 0
                while i < s.count {
                    let d = s[i]
                    out.append(d)
                    bump()
                    if d == "{" { depth += 1 } else if d == "}" { depth -= 1; if depth == 0 { break } }
                    if d == "\n" { throw fail(l0, c0, "unterminated ${ in a string") }
                }
                continue
            }
            out.append(c)
            bump()
        }
        throw fail(l0, c0, "unterminated string (a quoted string ends on its line; use a heredoc <<EOT for several lines)")
    }

    mutating func lexHeredoc(_ l0: Int, _ c0: Int) throws -> String {
        bump(); bump()
        var indent = false
        if i < s.count, s[i] == "-" { indent = true; bump() }
        var marker = ""
        while i < s.count, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) || s[i] == "_" { marker.unicodeScalars.append(s[i]); bump() }
        guard !marker.isEmpty else { throw fail(l0, c0, "expected a heredoc marker after <<, such as <<EOT") }
        while i < s.count, s[i] == " " || s[i] == "\r" { bump() }
        guard i < s.count, s[i] == "\n" else { throw fail(line, col, "expected a new line after the heredoc marker \(marker)") }
        bump()
        var lines: [String] = []
        while i < s.count {
            var l = String.UnicodeScalarView()
            while i < s.count, s[i] != "\n" { l.append(s[i]); bump() }
            if i < s.count { bump() }
            var text = String(l)
            if text.hasSuffix("\r") { text.removeLast() }
            if text.trimmingScalars(" \t") == marker {
                if indent {
                    let minIndent = lines.filter { !$0.trimmingScalars(" \t").isEmpty }
                        .map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
                    lines = lines.map { String($0.dropFirst(min(minIndent, $0.prefix { $0 == " " || $0 == "\t" }.count))) }
                }
                return lines.map { $0 + "\n" }.joined()
            }
            lines.append(text)
        }
        throw fail(l0, c0, "unterminated heredoc: no line with \(marker) alone")
    }

    // MARK: parsing

    var tok: Tok { toks[p] }
    mutating func take() -> Tok { let t = toks[p]; if p < toks.count - 1 { p += 1 }; return t }
    func isSym(_ t: Tok, _ c: String) -> Bool { t.k == .sym && t.text == c }
    func found(_ t: Tok) -> String { t.k == .end ? "the end of the file" : InputError.quote(t.text) }

    /// Reads the whole file: the top-level body as an object.
    mutating func read() throws -> Doc {
        try lex()
        let body = try parseBody(path: [], closing: false, line: 1)
        guard tok.k == .end else { throw fail(tok.line, tok.col, "expected an attribute or a block, found \(found(tok))") }
        return body
    }

    mutating func parseBody(path: [Doc.PathPart], closing: Bool, line: Int) throws -> Doc {
        var entries: [(key: String, value: Doc)] = []
        var blockCounts: [String: Int] = [:]
        while true {
            let t = tok
            if closing, isSym(t, "}") { _ = take(); break }
            if t.k == .end {
                if closing { throw fail(t.line, t.col, "expected } to close the block opened on line \(line)") }
                break
            }
            guard t.k == .ident || t.k == .string else { throw fail(t.line, t.col, "expected an attribute or a block, found \(found(t))") }
            _ = take()
            if isSym(tok, "=") {
                _ = take()
                let v = try parseExpr(path: path + [.key(t.text)])
                entries.append((t.text, v))
                continue
            }
            // A block: labels then {
            var labels: [String] = []
            while tok.k == .string || tok.k == .ident { labels.append(take().text) }
            guard isSym(tok, "{") else { throw fail(tok.line, tok.col, "expected = or { after \(InputError.quote(t.text)), found \(found(tok))") }
            let open = take()
            let key = ([t.text] + labels).joined(separator: ".")
            let n = blockCounts[key, default: 0]
            blockCounts[key] = n + 1
            var body = try parseBody(path: path + [.key(key), .index(n)], closing: true, line: open.line)
            body.line = t.line
            if let idx = entries.firstIndex(where: { $0.key == key }), case .array(var a) = entries[idx].value.v {
                a.append(body)
                entries[idx].value.v = .array(a)
            } else {
                entries.append((key, Doc(v: .array([body]), line: t.line, path: path + [.key(key)])))
            }
        }
        return Doc(v: .object(entries), line: line, path: path)
    }

    mutating func parseExpr(path: [Doc.PathPart]) throws -> Doc {
        let t = tok
        var d = try parsePrimary(path: path)
        // An operator after a value (a conditional, arithmetic): kept as text to the end of the line.
        if tok.k != .end, !tok.newlineBefore, !(tok.k == .sym && [",", "]", "}", ")"].contains(tok.text)) {
            var text = d.string ?? ""
            while tok.k != .end, !tok.newlineBefore, !(tok.k == .sym && [",", "]", "}", ")"].contains(tok.text)) {
                text += " " + take().text
            }
            d = Doc(v: .reference(text), line: t.line, path: path)
        }
        return d
    }

    mutating func parsePrimary(path: [Doc.PathPart]) throws -> Doc {
        let t = take()
        switch t.k {
        case .string: return Doc(v: .string(t.text), line: t.line, path: path)
        case .number:
            guard let d = Double(t.text) else { throw fail(t.line, t.col, "expected a number, found \(found(t))") }
            return Doc(v: .number(d), line: t.line, path: path)
        case .ident:
            if t.text == "true" || t.text == "false" { return Doc(v: .bool(t.text == "true"), line: t.line, path: path) }
            if t.text == "null" { return Doc(v: .null, line: t.line, path: path) }
            // A reference a.b[0].c or a function call f(...): kept as written.
            var text = t.text
            while true {
                if isSym(tok, "."), !tok.newlineBefore {
                    _ = take()
                    let n = take()
                    guard n.k == .ident || n.k == .number || isSym(n, "*") else { throw fail(n.line, n.col, "expected a name after ., found \(found(n))") }
                    text += "." + n.text
                } else if isSym(tok, "["), !tok.newlineBefore {
                    text += try rawBalanced(open: "[", close: "]")
                } else if isSym(tok, "("), !tok.newlineBefore {
                    text += try rawBalanced(open: "(", close: ")")
                } else { break }
            }
            return Doc(v: .reference(text), line: t.line, path: path)
        case .sym where t.text == "[":
            var items: [Doc] = []
            while !isSym(tok, "]") {
                if tok.k == .end { throw fail(t.line, t.col, "expected ] to close the list opened here") }
                items.append(try parseExpr(path: path + [.index(items.count)]))
                if isSym(tok, ",") { _ = take(); continue }
                guard isSym(tok, "]") else { throw fail(tok.line, tok.col, "expected , or ] in a list, found \(found(tok))") }
            }
            _ = take()
            return Doc(v: .array(items), line: t.line, path: path)
        case .sym where t.text == "{":
            var entries: [(key: String, value: Doc)] = []
            while !isSym(tok, "}") {
                let k = take()
                guard k.k == .ident || k.k == .string else { throw fail(k.line, k.col, "expected a key in an object, found \(found(k))") }
                guard isSym(tok, "=") || isSym(tok, ":") else { throw fail(tok.line, tok.col, "expected = or : after the key \(InputError.quote(k.text)), found \(found(tok))") }
                _ = take()
                var v = try parseExpr(path: path + [.key(k.text)])
                if v.line == nil { v.line = k.line }
                entries.append((k.text, v))
                if isSym(tok, ",") { _ = take() }
                if tok.k == .end { throw fail(t.line, t.col, "expected } to close the object opened here") }
            }
            _ = take()
            return Doc(v: .object(entries), line: t.line, path: path)
        default:
            throw fail(t.line, t.col, "expected a value (a string, number, list, object or reference), found \(found(t))")
        }
    }

    mutating func rawBalanced(open: String, close: String) throws -> String {
        let start = tok
        var depth = 0
        var text = ""
        repeat {
            let t = take()
            if t.k == .end { throw fail(start.line, start.col, "expected \(close) to close \(open)") }
            if isSym(t, open) { depth += 1 }
            if isSym(t, close) { depth -= 1 }
            text += t.k == .string ? InputError.quote(t.text, limit: Int.max) : t.text
        } while depth > 0
        return text
    }
}
