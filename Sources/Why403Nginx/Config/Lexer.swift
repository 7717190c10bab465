import Why403Core

// Hand-written: no Swift package parses the nginx configuration language. It follows nginx's own
// tokenizer (ngx_conf_read_token in src/core/ngx_conf_file.c) and crossplane's lexer, so tokens,
// lines and error wording match `nginx -t`.

/// One token of an nginx configuration: a word (quoted or not), `;`, `{` or `}`.
public struct Token: Sendable, Equatable {
    /// The text, with quotes removed and escapes resolved as nginx resolves them.
    public var text: String
    /// The line where the token starts (1-based).
    public var line: Int
    /// Whether it was written in quotes: a quoted `}` or `;` is a word, never punctuation.
    public var quoted: Bool

    /// Whether this token is the punctuation `p` (`;`, `{`, `}`), never a quoted word.
    public func isPunct(_ p: Character) -> Bool { !quoted && text.count == 1 && text.first == p }
}

/// Splits nginx configuration text into tokens with their lines.
public struct Lexer {
    /// Tokens of `text`; an unterminated quote is an error in nginx's words.
    public static func tokenize(_ text: String, file: String) throws -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var i = 0
        var line = 1
        let n = bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while i < n {
            let b = bytes[i]
            if b == 0x0A { line += 1; i += 1; continue }
            if isSpace(b) { i += 1; continue }
            if b == UInt8(ascii: "#") {
                while i < n && bytes[i] != 0x0A { i += 1 }
                continue
            }
            if b == UInt8(ascii: ";") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") {
                tokens.append(Token(text: String(UnicodeScalar(b)), line: line, quoted: false))
                i += 1
                continue
            }
            let start = line
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                let q = b
                i += 1
                var out: [UInt8] = []
                var closed = false
                while i < n {
                    let c = bytes[i]
                    if c == 0x5C && i + 1 < n {  // backslash
                        let d = bytes[i + 1]
                        appendEscape(d, to: &out)
                        if d == 0x0A { line += 1 }
                        i += 2
                        continue
                    }
                    if c == q { closed = true; i += 1; break }
                    if c == 0x0A { line += 1 }
                    out.append(c)
                    i += 1
                }
                if !closed {
                    throw InputError(file: file, line: start, message: "unexpected end of file, expecting \(q == 0x22 ? "'\"'" : "\"'\"")")
                }
                // nginx: a quoted string must be followed by a space, ";", "{" or "}" (or end).
                if i < n {
                    let c = bytes[i]
                    if !(isSpace(c) || c == UInt8(ascii: ";") || c == UInt8(ascii: "{") || c == UInt8(ascii: ")")) {
                        throw InputError(file: file, line: line,
                                         message: "unexpected \(InputError.quote(String(decoding: [c], as: UTF8.self)))")
                    }
                }
                tokens.append(Token(text: String(decoding: out, as: UTF8.self), line: start, quoted: true))
                continue
            }
            // A bare word ("#" inside a word is kept, as nginx does). Fast path: no backslash, so the
            // token is the bytes as written.
            var j = i
            var plain = true
            var dollar = false
            while j < n {
                let c = bytes[j]
                if isSpace(c) || c == UInt8(ascii: ";") || (c == UInt8(ascii: "{") && !dollar) { break }
                if c == 0x5C { plain = false; break }
                dollar = c == UInt8(ascii: "$")
                j += 1
            }
            if plain {
                tokens.append(Token(text: String(decoding: bytes[i..<j], as: UTF8.self), line: start, quoted: false))
                i = j
                continue
            }
            var out: [UInt8] = []
            var prevDollar = false
            while i < n {
                let c = bytes[i]
                // nginx ends a word at a space, ";" or "{" only: "a}" is one word, as in nginx.
                if isSpace(c) || c == UInt8(ascii: ";") { break }
                if c == UInt8(ascii: "{") && !prevDollar { break }
                if c == 0x5C && i + 1 < n {
                    let d = bytes[i + 1]
                    appendEscape(d, to: &out)
                    if d == 0x0A { line += 1 }
                    i += 2
                    prevDollar = false
                    continue
                }
                prevDollar = c == UInt8(ascii: "$")
                out.append(c)
                i += 1
            }
            tokens.append(Token(text: String(decoding: out, as: UTF8.self), line: start, quoted: false))
        }
        return tokens
    }

    /// Appends what nginx makes of a backslash followed by `d`, in a quoted string or a bare word alike:
    /// `\"`, `\'`, `\\`, `\t`, `\r`, `\n` resolved; any other pair kept as written.
    @inline(__always)
    static func appendEscape(_ d: UInt8, to out: inout [UInt8]) {
        switch d {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), 0x5C: out.append(d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "n"): out.append(0x0A)
        default: out.append(0x5C); out.append(d)
        }
    }
}
