import Foundation

/// Removes secrets from text: tokens, cookies, passwords and signed-URL parameters.
///
/// Every report goes through it before it is rendered (`Report.redacted(by:)`), so an analyser cannot
/// leak a secret by quoting it as evidence. Secrets the user handed us (a bearer token, a password)
/// are registered with `adding(secret:)` and replaced wherever they appear, whatever their shape.
///
/// Hand-written scanning rather than regular expressions: it runs on every string of every report and
/// must never misfire on long binary-looking bodies; the rules are small and tested one by one.
public struct Redactor: Sendable {
    /// What a secret is replaced with.
    public static let mark = "[redacted]"

    public private(set) var secrets: [String] = []

    /// A redactor that also hides these values (each at least 6 characters long).
    public init(secrets: [String] = []) {
        for s in secrets { self = self.adding(secret: s) }
    }

    /// The same redactor, also hiding `secret` (ignored when shorter than 6 characters).
    public func adding(secret: String) -> Redactor {
        var r = self
        let trimmed = secret.trimmingSpaces
        if trimmed.count >= 6 && !r.secrets.contains(trimmed) { r.secrets.append(trimmed) }
        return r
    }

    /// A redactor that also hides the secret values of these request headers: the whole value, the
    /// credentials after an `Authorization` scheme, and each cookie's value.
    public func adding(secretsOf headers: [(name: String, value: String)]) -> Redactor {
        var r = self
        for h in headers where Redactor.secretHeaders.contains(h.name.lowercased()) {
            r = r.adding(secret: h.value)
            let parts = h.value.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { r = r.adding(secret: String(parts[1])) }
            for c in h.value.split(separator: ";") {
                if let eq = c.firstIndex(of: "=") { r = r.adding(secret: String(c[c.index(after: eq)...])) }
            }
        }
        return r
    }

    /// A redactor that also hides the values of the secret parameters (`isSecretParameter`) in `text`, a query string
    /// or a form body (`a=1&password=…`), as written and percent-decoded (an engine quotes the decoded value): every
    /// place a report quotes them (a rule's "Value: `…'", its matched data) is covered, whatever surrounds them.
    public func adding(secretsOfParameters text: String) -> Redactor {
        var r = self
        // A JSON body: every string under a secret-named member, at any depth.
        if text.first == "{", let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
            func walk(_ v: Any) {
                if let o = v as? [String: Any] {
                    for (k, x) in o {
                        if Redactor.isSecretParameter(k), let s = x as? String { r = r.adding(secret: s) } else { walk(x) }
                    }
                } else if let a = v as? [Any] {
                    a.forEach(walk)
                }
            }
            walk(root)
            return r
        }
        for pair in text.split(whereSeparator: { $0 == "&" || $0 == ";" }) {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq]).removingPercentEncoding ?? String(pair[..<eq])
            guard Redactor.isSecretParameter(name.lowercased().trimmingSpaces) else { continue }
            let value = String(pair[pair.index(after: eq)...])
            r = r.adding(secret: value)
            let plus = value.replacingAll("+", with: " ")
            if let decoded = plus.removingPercentEncoding, decoded != value { r = r.adding(secret: decoded) }
        }
        return r
    }

    /// Header names whose values are secrets.
    public static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token",
        "x-amz-security-token", "x-csrf-token", "x-xsrf-token", "x-goog-iap-jwt-assertion", "x-vault-token",
        "private-token", "x-access-token",
    ]

    /// Query or form parameter names whose values are secrets (compared lower-cased).
    public static let secretParameters: Set<String> = [
        "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature", "x-goog-credential",
        "signature", "sig", "token", "access_token", "id_token", "refresh_token", "api_key", "apikey", "key",
        "password", "passwd", "pass", "pwd", "secret", "client_secret", "code", "auth", "session", "sessionid",
        "policy", "key-pair-id", "jwt", "assertion", "private_token", "phpsessid", "jsessionid", "sid", "remember_me",
        "aspsessionid", "cfid", "cftoken",
    ]

    /// Whether a query, form or cookie parameter named `lower` (lower-cased) holds a secret: one of `secretParameters`,
    /// or a name built on one (`session_token`, `laravel_session`, `_myapp_session`, `x_api_key`, `db_password`).
    /// The name is read as a form names a field: percent-decoded, lower-cased, and its last part when it is nested
    /// (`user[password]`, `user%5Bpassword%5D`, ModSecurity's `json.user.password`, `connect.sid`).
    public static func isSecretParameter(_ name: String) -> Bool {
        var n = name.lowercased()
        if n.contains("%"), let decoded = n.removingPercentEncoding { n = decoded.lowercased() }
        n = n.replacingAll("]", with: "")
        if let cut = n.lastIndex(where: { $0 == "." || $0 == "[" }) { n = String(n[n.index(after: cut)...]) }
        return secretParameters.contains(n) || hasSecretSuffix(n)
    }

    /// Whether a name (lower-cased) is built on a secret's, as snake_case, kebab-case or camelCase lower-cased write
    /// it: `session_token`, `sessionToken`, `authToken`, `laravel_session`, `db_password`, `newPassword`, `x_api_key`.
    public static func hasSecretSuffix(_ lower: String) -> Bool {
        for suffix in ["token", "password", "passwd", "secret", "apikey", "api-key", "api_key", "_session", "-session",
                       "sessid", "sessionid"] where lower.hasSuffix(suffix) { return true }
        return false
    }

    /// The value of header `name` as it may appear in a report.
    public func redactHeader(name: String, value: String) -> String {
        let lower = name.lowercased()
        guard Redactor.secretHeaders.contains(lower) else { return redact(value) }
        switch lower {
        case "authorization", "proxy-authorization":
            // Keep the scheme: "Bearer [redacted]" still tells what kind of credentials went.
            let parts = value.trimmingSpaces.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { return "\(parts[0]) \(Redactor.mark)" }
            return Redactor.mark
        case "cookie":
            // Keep the cookie names: which cookies were sent matters, their values never do.
            return value.split(separator: ";").map { pair -> String in
                let p = pair.trimmingSpaces
                if let eq = p.firstIndex(of: "=") { return "\(p[..<eq])=\(Redactor.mark)" }
                return Redactor.mark
            }.joined(separator: "; ")
        case "set-cookie":
            let parts = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            let first = parts[0].trimmingSpaces
            var out = first.firstIndex(of: "=").map { "\(first[..<$0])=\(Redactor.mark)" } ?? Redactor.mark
            if parts.count > 1 { out += ";" + parts[1] }
            return out
        default:
            return Redactor.mark
        }
    }

    /// `text` with every secret this redactor knows of, and every secret-shaped thing, replaced.
    public func redact(_ text: String) -> String {
        var s = text
        for secret in secrets where s.contains(secret) {
            s = s.replacingAll(secret, with: Redactor.mark)
        }
        if s.utf8.count < 6 { return s }
        s = redactHeaderLines(s)
        s = redactJSONHeaders(s)
        s = redactJSONSecretMembers(s)
        s = redactModSecurityTargets(s)
        s = redactJWTs(s)
        s = redactSchemes(s)
        s = redactParameters(s)
        s = redactUserInfo(s)
        return s
    }

    // MARK: rules

    /// `Authorization: …`, `Cookie: …` lines inside a larger text (a transcript, a raw response).
    func redactHeaderLines(_ s: String) -> String {
        guard s.hasBytes(":"), Redactor.mayHoldSecretHeaderLine(s) else { return s }
        return rewriteHeaderLines(s)
    }

    /// `redactHeaderLines` without its quick tests: every line is read.
    func rewriteHeaderLines(_ s: String) -> String {
        // Split on the scalar "\n": as Characters, "\r\n" is one grapheme and would not split.
        var lines = s.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
        var changed = false
        for i in lines.indices {
            let line = lines[i]
            // "> Authorization: x", "< set-cookie: x", "Authorization: x", "-H 'Cookie: x'"
            guard let colon = line.firstIndex(of: ":") else { continue }
            let head = line[..<colon]
            let nameStart = head.lastIndex(where: { $0 == " " || $0 == "'" || $0 == "\"" || $0 == ">" || $0 == "<" })
                .map { head.index(after: $0) } ?? head.startIndex
            let name = String(head[nameStart...])
            guard Redactor.secretHeaders.contains(name.lowercased()) else { continue }
            var rest = String(line[line.index(after: colon)...])
            var tail = ""
            if let q = rest.lastIndex(where: { $0 == "'" || $0 == "\"" }), head.contains("'") || head.contains("\"") {
                tail = String(rest[q...]); rest = String(rest[..<q])
            }
            let lead = rest.prefix(while: { $0 == " " })
            let value = String(rest.dropFirst(lead.count))
            let cr = value.unicodeScalars.last == "\r" ? "\r" : ""
            let v = cr.isEmpty ? value : String(String.UnicodeScalarView(value.unicodeScalars.dropLast()))
            lines[i] = String(line[..<colon]) + ":" + lead + redactHeader(name: name, value: v) + tail + cr
            changed = true
        }
        return changed ? lines.joined(separator: "\n") : s
    }

    /// The secret header names as bytes, for `mayHoldSecretHeaderLine`, and the longest one's length.
    private static let secretHeaderBytes: [[UInt8]] = secretHeaders.map { Array($0.utf8) }
    private static let longestSecretHeader = secretHeaderBytes.map(\.count).max() ?? 0

    /// False when no line of `s` can be a secret header line as `redactHeaderLines` reads one, judged from bytes:
    /// for every colon, the word before it (back to a space, quote, `>`, `<` or the line's start) is neither a
    /// secret header name, ignoring ASCII case, nor holds a non-ASCII byte. Every colon, not only a line's first:
    /// the rule reads `Character`s, and a colon a combining mark follows is no ":" there, so its first colon can be a
    /// later byte's. A word with a non-ASCII byte is left to the rule (a KELVIN SIGN lower-cases to "k"). Splitting
    /// every string with a colon into lines and words was most of redacting a logs report (times, addresses and JSON
    /// evidence are full of colons).
    static func mayHoldSecretHeaderLine(_ s: String) -> Bool {
        var copy = s
        let longest = longestSecretHeader
        return copy.withUTF8 { b in
            var lineStart = 0
            for i in 0..<b.count {
                let c = b[i]
                if c == 10 { lineStart = i + 1; continue }
                guard c == 58 else { continue }
                // The word before this colon, read back at most one byte past the longest name.
                var start = i
                while start > lineStart && i - start <= longest {
                    let p = b[start - 1]
                    if p == 32 || p == 39 || p == 34 || p == 62 || p == 60 { break }
                    if p >= 0x80 { return true }
                    start -= 1
                }
                let length = i - start
                guard length <= longest else { continue }
                for name in secretHeaderBytes where name.count == length {
                    var same = true
                    for k in 0..<length {
                        var x = b[start + k]
                        if x >= 65 && x <= 90 { x += 32 }
                        if x != name[k] { same = false; break }
                    }
                    if same { return true }
                }
            }
            return false
        }
    }

    /// The end of the JSON string whose text starts at `j` in `b` (after its opening quote): the index of its closing
    /// quote (a backslash escapes the next byte), or nil when the string does not end.
    static func jsonStringEnd(_ b: [UInt8], _ j: Int) -> Int? {
        var k = j
        while k < b.count {
            if b[k] == 92 { k += 2; continue }
            if b[k] == 34 { return k }
            k += 1
        }
        return nil
    }

    /// A header as a JSON object of a name and a value, as AWS WAF logs and HAR files write request headers
    /// (`{"name":"Cookie","value":"…"}`): the value of a secret header is redacted as `redactHeader` does.
    func redactJSONHeaders(_ s: String) -> String {
        guard s.hasBytes("\"value\""), s.hasBytes("\"name\"") else { return s }
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        /// After optional spaces from `j`, the byte `c`: the index past it, or nil.
        func expect(_ c: UInt8, _ j: Int) -> Int? {
            var k = j
            while k < b.count, b[k] == 32 || b[k] == 9 { k += 1 }
            return k < b.count && b[k] == c ? k + 1 : nil
        }
        func stringEnd(_ j: Int) -> Int? { Redactor.jsonStringEnd(b, j) }
        let nameKey = Array("\"name\"".utf8), valueKey = Array("\"value\"".utf8)
        func has(_ key: [UInt8], at j: Int) -> Bool {
            guard j + key.count <= b.count else { return false }
            for k in 0..<key.count where b[j + k] != key[k] { return false }
            return true
        }
        while i < b.count {
            guard b[i] == 34, has(nameKey, at: i), let colon = expect(58, i + nameKey.count), let open = expect(34, colon),
                  let close = stringEnd(open) else { out.append(b[i]); i += 1; continue }
            let name = String(decoding: b[open..<close], as: UTF8.self)
            guard Redactor.secretHeaders.contains(name.lowercased()), let comma = expect(44, close + 1) else {
                out.append(contentsOf: b[i...close]); i = close + 1; continue
            }
            var k = comma
            while k < b.count, b[k] == 32 || b[k] == 9 { k += 1 }
            guard has(valueKey, at: k), let c2 = expect(58, k + valueKey.count), let vOpen = expect(34, c2), let vClose = stringEnd(vOpen) else {
                out.append(contentsOf: b[i...close]); i = close + 1; continue
            }
            let value = String(decoding: b[vOpen..<vClose], as: UTF8.self)
            out.append(contentsOf: b[i..<vOpen])
            out.append(contentsOf: Array(redactHeader(name: name, value: value).utf8))
            i = vClose
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON member named for a secret header (`"http_cookie":"…"`, `"authorization":"…"`, `"x_api_key":"…"`, as JSON
    /// access logs and log shippers name them): its string value is redacted as `redactHeader` does.
    func redactJSONSecretMembers(_ s: String) -> String {
        guard s.hasBytes("\":"), s.hasBytes("ookie\"") || s.hasBytes("OOKIE\"") || s.hasBytes("uthorization\"")
                || s.hasBytes("UTHORIZATION\"") || s.hasBytes("oken\"") || s.hasBytes("OKEN\"") || s.hasBytes("key\"")
                || s.hasBytes("KEY\"") else { return s }
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        func stringEnd(_ j: Int) -> Int? { Redactor.jsonStringEnd(b, j) }
        var i = 0
        while i < b.count {
            guard b[i] == 34, let close = stringEnd(i + 1) else { out.append(b[i]); i += 1; continue }
            var k = close + 1
            while k < b.count, b[k] == 32 || b[k] == 9 { k += 1 }
            guard k < b.count, b[k] == 58 else { out.append(contentsOf: b[i...close]); i = close + 1; continue }
            k += 1
            while k < b.count, b[k] == 32 || b[k] == 9 { k += 1 }
            var name = String(decoding: b[(i + 1)..<close], as: UTF8.self).lowercased().replacingAll("_", with: "-")
            for prefix in ["http-", "request-header-", "req-header-", "header-"] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
            guard k < b.count, b[k] == 34, Redactor.secretHeaders.contains(name), let vClose = stringEnd(k + 1) else {
                out.append(contentsOf: b[i...close]); i = close + 1; continue
            }
            let value = String(decoding: b[(k + 1)..<vClose], as: UTF8.self)
            out.append(contentsOf: b[i...k])
            if !value.isEmpty, value != "-", !value.hasPrefix(Redactor.mark) {
                out.append(contentsOf: Array(redactHeader(name: name, value: value).utf8))
            } else {
                out.append(contentsOf: Array(value.utf8))
            }
            out.append(34)
            i = vClose + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ModSecurity's messages quote what they matched and where: `Matched Data: X found within ARGS:password: VALUE`.
    /// The value of a secret parameter (`isSecretParameter`), of any cookie, and of a secret header is redacted, and so
    /// is the matched data when it came from one (it is a piece of the value).
    func redactModSecurityTargets(_ s: String) -> String {
        guard s.hasBytes("ARGS") || s.hasBytes("REQUEST_COOKIES") || s.hasBytes("REQUEST_HEADERS") else { return s }
        var out = ""
        var rest = Substring(s)
        let collections = ["ARGS_GET:", "ARGS_POST:", "ARGS:", "REQUEST_COOKIES:", "REQUEST_HEADERS:"]
        while true {
            var found: (Range<Substring.Index>, String)?
            for c in collections {
                if let r = rest.range(of: c), found.map({ r.lowerBound < $0.0.lowerBound }) ?? true { found = (r, c) }
            }
            guard let (r, collection) = found else { break }
            // A collection's name, not the end of a longer word (`MY_ARGS:`).
            if r.lowerBound > rest.startIndex, let p = rest[rest.index(before: r.lowerBound)].asciiValue,
               (p >= 65 && p <= 90) || p == 95 {
                out += rest[..<r.upperBound]; rest = rest[r.upperBound...]; continue
            }
            // The target's name runs to its colon (it may be nested: `user[password]`, `json.user.password`).
            let name = rest[r.upperBound...].prefix(while: { $0 != ":" && $0 != " " && $0 != "\"" && $0 != "," })
            let lower = name.lowercased()
            let secret = collection == "REQUEST_COOKIES:" || (collection == "REQUEST_HEADERS:" ? Redactor.secretHeaders.contains(lower)
                                                                                               : Redactor.isSecretParameter(lower))
            var head = String(rest[..<r.lowerBound])
            if secret, let m = head.range(of: "Matched Data: ", options: .backwards),
               head[m.upperBound...].hasSuffix(" found within "), !head[m.upperBound...].hasPrefix(Redactor.mark) {
                head = String(head[..<m.upperBound]) + Redactor.mark + " found within "
            }
            out += head + rest[r.lowerBound..<name.endIndex]
            rest = rest[name.endIndex...]
            if secret, rest.hasPrefix(": ") {
                let value = rest.dropFirst(2).prefix(while: { $0 != "\"" && $0 != "]" && $0 != "\n" })
                out += ": " + (value.isEmpty || value.hasPrefix(Redactor.mark) ? String(value) : Redactor.mark)
                rest = rest[value.endIndex...]
            }
        }
        out += rest
        return out
    }

    /// Three base64url segments starting `eyJ` (a JWS) or five (a JWE).
    func redactJWTs(_ s: String) -> String {
        guard s.hasBytes("eyJ") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "eyJ") {
            out += rest[..<r.lowerBound]
            var end = r.lowerBound
            var dots = 0
            var segLen = 0
            var okSegments = 0
            while end < rest.endIndex {
                let c = rest[end]
                if c.isBase64URL { segLen += 1 }
                else if c == "." { if segLen >= 2 { okSegments += 1 }; dots += 1; segLen = 0 }
                else { break }
                end = rest.index(after: end)
            }
            if dots >= 2 && okSegments >= 2 {
                out += "eyJ…" + Redactor.mark
                rest = rest[end...]
            } else {
                out += "eyJ"
                rest = rest[rest.index(r.lowerBound, offsetBy: 3)...]
            }
        }
        out += rest
        return out
    }

    /// `Bearer xyz`, `Basic xyz` outside header lines (a command line, an error message, a log field), and the other
    /// schemes credentials go in: `Token xyz` (Django REST framework, GitLab), `token xyz` (GitHub), `ApiKey xyz`,
    /// `SSWS xyz` (Okta).
    func redactSchemes(_ s: String) -> String {
        var out = s
        for scheme: StaticString in ["Bearer ", "bearer ", "Basic ", "basic ", "Token ", "token ", "ApiKey ", "SSWS "]
        where out.hasBytes(scheme) {
            var result = ""
            var rest = Substring(out)
            while let r = rest.range(of: scheme.description) {
                result += rest[..<r.upperBound]
                let value = rest[r.upperBound...].prefix(while: { $0.isBase64URL || $0 == "." || $0 == "=" || $0 == "+" || $0 == "/" || $0 == "~" })
                // `Bearer realm="x"`, `Bearer error_description="…"`: a parameter's name, not a credential.
                let parameter = value.hasSuffix("=") && rest[value.endIndex...].first == "\""
                if !parameter, Redactor.looksLikeCredential(value) {
                    result += Redactor.mark
                } else {
                    result += value
                }
                rest = rest[value.endIndex...]
            }
            result += rest
            out = result
        }
        return out
    }

    /// A word after `Bearer `/`Basic ` is a credential when it is long and not plain prose: "Basic
    /// authentication" and `Basic realm="x"` stay, `Basic dXNlcjpwYXNz` and JWTs go.
    /// A short one (three to seven characters) goes when it mixes letters and digits (`Bearer abc123`: a test or
    /// development token is a credential all the same); `Bearer token`, `Basic realm` stay.
    static func looksLikeCredential(_ value: Substring) -> Bool {
        guard value.count >= 3, !value.hasPrefix("[") else { return false }
        if value.count < 8 {
            let letters = value.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
            let digits = value.unicodeScalars.contains { ("0"..."9").contains($0) }
            return letters && digits && value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."z").contains($0)
                || ("A"..."Z").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
        }
        var lower = false, upper = false, digit = false, symbol = false
        for c in value.unicodeScalars {
            switch c {
            case "a"..."z": lower = true
            case "A"..."Z": upper = true
            case "0"..."9": digit = true
            default: symbol = true
            }
        }
        let classes = [lower, upper, digit, symbol].filter { $0 }.count
        // One character class: a word ("authentication"), unless longer than any word.
        if classes < 2 { return value.count >= 20 }
        // "Authentication": a capitalised word is prose.
        if classes == 2 && upper && lower && !digit && !symbol,
           value.dropFirst().unicodeScalars.allSatisfy({ $0.properties.isLowercase }) { return false }
        return true
    }

    /// `?X-Amz-Signature=…&token=…` and `password=…` anywhere.
    func redactParameters(_ s: String) -> String {
        guard s.hasBytes("=") else { return s }
        var out = ""
        var i = s.startIndex
        var nameStart = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "=" {
                let name = s[nameStart..<i]
                let lower = name.lowercased()
                let precededOK = nameStart == s.startIndex || "?&; \t\n,\"'.".contains(s[s.index(before: nameStart)])
                if precededOK && Redactor.isSecretParameter(lower) {
                    out += name + "="
                    var j = s.index(after: i)
                    while j < s.endIndex, !"&; \t\n\"'<>,#".contains(s[j]) { j = s.index(after: j) }
                    if j > s.index(after: i) && !s[s.index(after: i)..<j].hasPrefix(Redactor.mark) {
                        out += Redactor.mark
                    } else {
                        out += s[s.index(after: i)..<j]
                    }
                    i = j
                    nameStart = j
                    continue
                }
                out += name + "="
                i = s.index(after: i)
                nameStart = i
                continue
            }
            // A name may be nested (`user[password]`, `connect.sid`) or percent-encoded (`user%5Bpassword%5D`).
            if !(c.isLetter || c.isNumber || c == "_" || c == "-" || c == "[" || c == "]" || c == "." || c == "%") {
                out += s[nameStart...i]
                i = s.index(after: i)
                nameStart = i
                continue
            }
            i = s.index(after: i)
        }
        out += s[nameStart..<s.endIndex]
        return out
    }

    /// `scheme://user:password@host` keeps the user, drops the password.
    func redactUserInfo(_ s: String) -> String {
        guard s.hasBytes("://") && s.hasBytes("@") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "://") {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            let authority = rest.prefix(while: { !"/?# \n\"'<>".contains($0) })
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out += authority[..<colon] + ":" + Redactor.mark + authority[at...]
                rest = rest[authority.endIndex...]
            }
        }
        out += rest
        return out
    }
}

extension Report {
    /// This report with every string passed through `redactor`.
    public func redacted(by redactor: Redactor) -> Report {
        var r = self
        let f = redactor.redact
        r.subject.url = r.subject.url.map(f)
        r.subject.extra = r.subject.extra.mapValues { $0.mapStrings(f) }
        r.notes = r.notes.map(f)
        r.findings = r.findings.map { finding in
            var x = finding
            x.summary = f(x.summary)
            x.evidence = x.evidence.map { Evidence(source: f($0.source), text: f($0.text)) }
            x.fixes = x.fixes.map { Fix(summary: f($0.summary), commands: $0.commands.map(f), patch: $0.patch.map(f)) }
            x.checks = x.checks?.map(f)
            x.details = x.details?.mapValues { $0.mapStrings(f) }
            return x
        }
        return r
    }
}

extension Character {
    var isBase64URL: Bool {
        guard let a = asciiValue else { return false }
        return (a >= 65 && a <= 90) || (a >= 97 && a <= 122) || (a >= 48 && a <= 57) || a == 45 || a == 95
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    ///
    /// On `Substring` and `String` rather than generic over `StringProtocol`: called across modules, the generic form ran
    /// unspecialized, and its first call made the runtime look up `Self`'s conformances (a scan of every conformance record
    /// of the binary each: 1.2M of the 41.8M instructions of a `why403 logs` start, where it reads `--status`).
    public var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    public var trimmingSpaces: String { self[...].trimmingSpaces }
}

extension StringProtocol {
    /// The string with every occurrence of `target` replaced (no Foundation needed).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return String(self) }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension String {
    /// Whether the UTF-8 bytes of `needle` occur in this string's: the rules' quick tests before their scans.
    /// Foundation's `contains` compares by canonical equivalence through `NSString`, and its calls were nine
    /// tenths of redacting a report (a fifth of a short `why403 logs` run). For the ASCII needles the rules
    /// use (none has a character that a single non-ASCII scalar is canonically equivalent to, as U+037E is to
    /// ";"), the two agree; and where bytes match but characters do not, the rule's own scan finds nothing.
    func hasBytes(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0 else { return true }
        let first = needle.utf8Start[0]
        var copy = self
        return copy.withUTF8 { b in
            guard b.count >= n, let base = b.baseAddress else { return false }
            var i = 0
            while i + n <= b.count {
                guard let p = memchr(base + i, Int32(first), b.count - n + 1 - i) else { return false }
                let at = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base
                if memcmp(base + at, needle.utf8Start, n) == 0 { return true }
                i = at + 1
            }
            return false
        }
    }
}
