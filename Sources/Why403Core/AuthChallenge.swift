/// One challenge of a `WWW-Authenticate` (or `Proxy-Authenticate`) header field: RFC 9110 §11.6.1
/// and §11.3, with the `Bearer` parameters of RFC 6750 §3.
///
/// ```
/// WWW-Authenticate = #challenge
/// challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
/// auth-param  = token BWS "=" BWS ( token / quoted-string )
/// token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
/// ```
///
/// Commas separate both challenges and the parameters of one challenge, so after a comma the parser
/// looks ahead: `name=` continues the current challenge, a lone token starts a new one.
/// Hand-written (no Swift package on this machine parses RFC 9110 challenges); the grammar is small
/// and every branch is covered by `AuthChallengeTests`.
public struct AuthChallenge: Sendable, Equatable {
    /// The auth-scheme as written (`Bearer`, `basic`, ...); compare it case-insensitively.
    public var scheme: String
    /// The token68 form of the credentials parameters, when the challenge uses it.
    public var token68: String?
    /// The auth-params: names lower-cased, quoted-string values unescaped. The first of duplicates wins.
    public var parameters: [String: String]

    /// A challenge from its parts (parameter names are lower-cased here).
    public init(scheme: String, token68: String? = nil, parameters: [String: String] = [:]) {
        self.scheme = scheme
        self.token68 = token68
        var p: [String: String] = [:]
        for (k, v) in parameters where p[k.lowercased()] == nil { p[k.lowercased()] = v }
        self.parameters = p
    }

    /// The value of parameter `name`, compared case-insensitively.
    public func parameter(_ name: String) -> String? { parameters[name.lowercased()] }

    /// True when the scheme is `name`, compared case-insensitively.
    public func isScheme(_ name: String) -> Bool { scheme.lowercased() == name.lowercased() }

    /// Every challenge in one header field value. Throws `InputError` (column = 1-based character
    /// position in the value) when the value breaks the grammar; an empty value gives no challenge.
    ///
    /// With `spaceSeparatedParameters`, parameters separated by spaces alone are read as if commas were
    /// there (`Bearer scope="" error="invalid_token"`: AWS API Gateway's JWT authorizer writes it so); a
    /// reader tries it only after the strict parse failed, and says so.
    public static func parse(_ headerValue: String, spaceSeparatedParameters: Bool = false) throws -> [AuthChallenge] {
        var p = ChallengeParser(Array(headerValue.unicodeScalars))
        p.spaceSeparatedParameters = spaceSeparatedParameters
        return try p.parseAll()
    }
}

/// The RFC 9110 list parser behind `AuthChallenge.parse`.
private struct ChallengeParser {
    let s: [Unicode.Scalar]
    var i = 0
    /// Read `a="1" b="2"` as `a="1", b="2"` (see `AuthChallenge.parse`).
    var spaceSeparatedParameters = false

    init(_ s: [Unicode.Scalar]) { self.s = s }

    static func isTchar(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": return true
        default: return false
        }
    }

    static func isToken68Char(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "~", "+", "/": return true
        default: return false
        }
    }

    var atEnd: Bool { i >= s.count }
    var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

    mutating func skipOWS() { while let c = current, c == " " || c == "\t" { i += 1 } }

    /// Skips OWS and any number of empty list elements (`, ,`). Returns true if a comma was seen.
    @discardableResult
    mutating func skipSeparators() -> Bool {
        var comma = false
        while let c = current, c == " " || c == "\t" || c == "," { if c == "," { comma = true }; i += 1 }
        return comma
    }

    func error(_ expected: String, at position: Int? = nil) -> InputError {
        let pos = position ?? i
        let found: String
        if pos >= s.count {
            found = "the end of the value"
        } else {
            var rest = String.UnicodeScalarView()
            rest.append(contentsOf: s[pos...].prefix(20))
            found = InputError.quote(String(rest), limit: 20)
        }
        return InputError(file: nil, line: nil, column: pos + 1, expected: expected, found: found,
                          help: "WWW-Authenticate is a comma-separated list of `scheme [token68 | name=value, ...]` (RFC 9110 §11.6.1)")
    }

    mutating func token() -> String? {
        let start = i
        while let c = current, ChallengeParser.isTchar(c) { i += 1 }
        guard i > start else { return nil }
        var v = String.UnicodeScalarView(); v.append(contentsOf: s[start..<i])
        return String(v)
    }

    /// At `"`: reads a quoted-string and unescapes it.
    mutating func quotedString() throws -> String {
        let open = i
        i += 1
        var out = String.UnicodeScalarView()
        while let c = current {
            switch c {
            case "\"":
                i += 1
                return String(out)
            case "\\":
                i += 1
                guard let e = current, e == "\t" || (e.value >= 0x20 && e.value != 0x7F) else {
                    throw error("a character after the backslash of a quoted-string")
                }
                out.append(e)
                i += 1
            default:
                guard c == "\t" || (c.value >= 0x20 && c.value != 0x7F) else {
                    throw error("a printable character inside the quoted-string")
                }
                out.append(c)
                i += 1
            }
        }
        throw error("a closing '\"' for the quoted-string opened at column \(open + 1)")
    }

    /// Looks ahead from `i` (at a token): is this `name BWS "="` followed by something other than
    /// `=`, i.e. an auth-param rather than a token68 or a new challenge?
    func looksLikeParam() -> Bool {
        var j = i
        while j < s.count, ChallengeParser.isTchar(s[j]) { j += 1 }
        guard j > i else { return false }
        while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
        guard j < s.count, s[j] == "=" else { return false }
        j += 1
        // `abc==` is a token68 padding, not `abc = "="`.
        if j < s.count, s[j] == "=" { return false }
        while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
        // `Basic abc=` then end or comma: token68 with padding.
        if j >= s.count || s[j] == "," { return false }
        return true
    }

    /// Looks ahead: a token68 that ends the challenge (followed by OWS, then a comma or the end).
    func token68Length() -> Int? {
        var j = i
        while j < s.count, ChallengeParser.isToken68Char(s[j]) { j += 1 }
        guard j > i else { return nil }
        while j < s.count, s[j] == "=" { j += 1 }
        let end = j
        while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
        guard j >= s.count || s[j] == "," else { return nil }
        return end - i
    }

    mutating func parseAll() throws -> [AuthChallenge] {
        var out: [AuthChallenge] = []
        skipSeparators()
        while !atEnd {
            out.append(try challenge())
            let comma = skipSeparators()
            if !atEnd && !comma { throw error("',' between challenges") }
        }
        return out
    }

    mutating func challenge() throws -> AuthChallenge {
        guard let scheme = token() else { throw error("an auth-scheme (a token such as Bearer or Basic)") }
        var result = AuthChallenge(scheme: scheme)
        // The scheme alone.
        let afterScheme = i
        skipOWS()
        if atEnd || current == "," { return result }
        guard i > afterScheme else { throw error("a space after the auth-scheme \(InputError.quote(scheme))") }
        // token68 or a parameter list.
        if !looksLikeParam() {
            if let n = token68Length() {
                var v = String.UnicodeScalarView(); v.append(contentsOf: s[i..<(i + n)])
                result.token68 = String(v)
                i += n
                skipOWS()
                return result
            }
            throw error("a token68 or name=value parameters after \(InputError.quote(scheme))")
        }
        while true {
            try parameter(into: &result)
            // After a parameter: OWS, then end, or commas followed by another parameter or a new challenge.
            let save = i
            let comma = skipSeparators()
            if atEnd { return result }
            if !comma, spaceSeparatedParameters, i > save, looksLikeParam() { continue }
            guard comma else { throw error("',' between parameters") }
            if looksLikeParam() { continue }
            i = save
            skipOWS()
            return result
        }
    }

    mutating func parameter(into result: inout AuthChallenge) throws {
        let nameStart = i
        guard let name = token() else { throw error("a parameter name", at: nameStart) }
        skipOWS()
        guard current == "=" else { throw error("'=' after the parameter name \(InputError.quote(name))") }
        i += 1
        skipOWS()
        let value: String
        if current == "\"" {
            value = try quotedString()
        } else if let t = token() {
            value = t
        } else {
            throw error("a token or a quoted-string as the value of \(InputError.quote(name))")
        }
        let key = name.lowercased()
        if result.parameters[key] == nil { result.parameters[key] = value }
    }
}
