/// Bad input: a malformed file, an unreadable path, a garbage token. Exit status 2.
///
/// Prints as `FILE:LINE:COL: error: expected …, found …`, with help on an indented second line.
/// Messages start lower-case, have no final period, quote user text and never hold a secret.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the input came from (nil for a command-line argument).
    public var file: String?
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// What was wrong, one line, lower-case start, user text quoted.
    public var message: String
    /// What to do about it, printed on an indented second line.
    public var help: String?

    /// An error in the words "expected X, found Y".
    public init(file: String?, line: Int? = nil, column: Int? = nil, expected: String, found: String,
                help: String? = nil) {
        self.init(file: file, line: line, column: column, message: "expected \(expected), found \(found)", help: help)
    }

    /// An error in free words (reuse nginx's or Apache's wording where they have one).
    public init(file: String?, line: Int? = nil, column: Int? = nil, message: String, help: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.help = help
    }

    /// An error at a file and line (column) of a configuration, a log or a policy.
    public init(_ location: SourceLocation, message: String, help: String? = nil) {
        self.init(file: location.file, line: location.line, column: location.column, message: message, help: help)
    }

    /// `FILE:LINE:COL: error: message`, with the help on an indented second line.
    public var description: String {
        var prefix = ""
        if let file {
            prefix = file
            if let line { prefix += ":\(line)" }
            if let column { prefix += ":\(column)" }
            prefix += ": "
        }
        var s = "\(prefix)error: \(message)"
        if let help { s += "\n  help: \(help)" }
        return s
    }

    /// Quotes user text for a message: shortened, control characters escaped.
    public static func quote(_ text: some StringProtocol, limit: Int = 60) -> String {
        // The common case, printable ASCII without a quote that fits: the same result without walking
        // scalars (the AWS WAF replay quotes every inspected value).
        let whole = String(text)
        if whole.utf8.count <= limit,
           whole.utf8.withContiguousStorageIfAvailable({ b in b.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 } }) == true {
            return "\"" + whole + "\""
        }
        var out = ""
        for ch in text.unicodeScalars.prefix(limit) {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            default:
                if ch.value < 0x20 || ch.value == 0x7F || (ch.value >= 0x80 && ch.value < 0xA0) {
                    let hex = String(ch.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        if text.unicodeScalars.count > limit { out += "…" }
        return "\"\(out)\""
    }
}

/// Several input errors collected while parsing went on.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
    /// Every error found, in the order found.
    public var errors: [InputError]
    /// A list of errors (a parser that kept going).
    public init(_ errors: [InputError]) { self.errors = errors }
    /// One line per error.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension InputError {
    /// The line of a JSON parse error, from Foundation's description of it ("… around line 3, column 7." or "…
    /// character 41."), for an error message that names the line; nil when the description names neither.
    public static func jsonErrorLine(_ description: String, _ bytes: [UInt8]) -> Int? {
        if let r = description.range(of: "line ") {
            return Int(description[r.upperBound...].prefix(while: { $0.isNumber }))
        }
        if let r = description.range(of: "character "), let offset = Int(description[r.upperBound...].prefix(while: { $0.isNumber })) {
            return 1 + bytes.prefix(offset).filter { $0 == 0x0A }.count
        }
        return nil
    }
}
