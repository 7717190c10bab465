/// A token of a rule expression, with its place (0-based offsets in Unicode scalars).
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A run of name/number characters: a field or function name, a keyword, an integer, an IP
        /// address or network, a range.
        case word
        /// A quoted string (escapes decoded) or a raw string `r"..."`, `r#"..."#`.
        case string
        /// `$name`: a list.
        case list
        /// Punctuation and symbol operators: `( ) { } [ ] , * == != < <= > >= ~ && || ^^ !`.
        case symbol
        case end
    }
    var kind: Kind
    var text: String
    var start: Int
    var end: Int
}

/// Splits a rule expression into tokens. Hand-written: the language is small and no Swift package
/// parses wirefilter; errors carry the column.
struct Lexer {
    let scalars: [Unicode.Scalar]
    var i = 0

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", ":", "/": true
        default: false
        }
    }

    mutating func tokens() throws(ExpressionError) -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next()
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    mutating func next() throws(ExpressionError) -> Token {
        while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
        guard i < scalars.count else { return Token(kind: .end, text: "", start: i, end: i) }
        let start = i
        let c = scalars[i]
        // Raw strings: r"..." and r#"..."#
        if c == "r", i + 1 < scalars.count, scalars[i + 1] == "\"" || scalars[i + 1] == "#" {
            var j = i + 1
            var hashes = 0
            while j < scalars.count, scalars[j] == "#" { hashes += 1; j += 1 }
            if j < scalars.count, scalars[j] == "\"" {
                j += 1
                var body = String.UnicodeScalarView()
                while j < scalars.count {
                    if scalars[j] == "\"" {
                        var k = j + 1
                        var n = 0
                        while n < hashes, k < scalars.count, scalars[k] == "#" { n += 1; k += 1 }
                        if n == hashes {
                            i = k
                            return Token(kind: .string, text: String(body), start: start, end: i)
                        }
                    }
                    body.append(scalars[j])
                    j += 1
                }
                throw ExpressionError(column: start + 1, message: "unterminated raw string")
            }
        }
        if c == "\"" {
            var j = i + 1
            var body = String.UnicodeScalarView()
            while j < scalars.count {
                let d = scalars[j]
                if d == "\"" {
                    i = j + 1
                    return Token(kind: .string, text: String(body), start: start, end: i)
                }
                if d == "\\" {
                    guard j + 1 < scalars.count else { break }
                    let e = scalars[j + 1]
                    switch e {
                    case "\"", "\\": body.append(e); j += 2
                    case "x":
                        guard j + 3 < scalars.count, let v = UInt8(String(String.UnicodeScalarView(scalars[(j + 2)...(j + 3)])), radix: 16) else {
                            throw ExpressionError(column: j + 1, message: "expected two hexadecimal digits after \\x")
                        }
                        body.append(Unicode.Scalar(v)); j += 4
                    default:
                        throw ExpressionError(column: j + 1, message: "invalid escape \\\(e) in a string (only \\\" \\\\ and \\xHH)")
                    }
                    continue
                }
                body.append(d)
                j += 1
            }
            throw ExpressionError(column: start + 1, message: "unterminated string")
        }
        if c == "$" {
            var j = i + 1
            while j < scalars.count, Lexer.isWordScalar(scalars[j]) { j += 1 }
            guard j > i + 1 else { throw ExpressionError(column: start + 1, message: "expected a list name after $") }
            let name = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
            i = j
            return Token(kind: .list, text: name, start: start, end: i)
        }
        if Lexer.isWordScalar(c) || (c == "-" && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])) {
            var j = i + 1
            while j < scalars.count, Lexer.isWordScalar(scalars[j]) { j += 1 }
            i = j
            return Token(kind: .word, text: String(String.UnicodeScalarView(scalars[start..<j])), start: start, end: j)
        }
        let two: String = i + 1 < scalars.count ? String(String.UnicodeScalarView([c, scalars[i + 1]])) : ""
        if ["==", "!=", "<=", ">=", "&&", "||", "^^"].contains(two) {
            i += 2
            return Token(kind: .symbol, text: two, start: start, end: i)
        }
        if "(){}[],*<>~!".unicodeScalars.contains(c) {
            i += 1
            return Token(kind: .symbol, text: String(c), start: start, end: i)
        }
        throw ExpressionError(column: start + 1, message: "unexpected character \(InputErrorQuote.q(String(c)))")
    }
}

/// A mistake in an expression, at a 1-based column (in Unicode scalars) of the expression.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based column in the expression.
    public var column: Int
    /// What is wrong.
    public var message: String
    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }
}

import Why403Core
enum InputErrorQuote {
    static func q(_ s: String) -> String { InputError.quote(s) }
}
