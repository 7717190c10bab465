import Crypto
import Why403Core

/// An htpasswd file (`user:hash` lines), as written by `htpasswd` and read by nginx's
/// auth_basic_user_file and Apache's AuthUserFile.
///
/// Parsing follows both servers: a line is `user:hash`, anything after a second `:` is ignored, lines
/// starting with `#` and blank lines are skipped, the first entry of a user wins. Where the servers
/// would silently skip a malformed line, why403 reports it (`InputError` with path and line): a user
/// who cannot log in needs to know.
public struct HtpasswdFile: Sendable {
    /// One `user:hash` line.
    public struct Entry: Sendable, Equatable {
        /// The user name (before the first `:`).
        public var user: String
        /// The hash (between the first and the second `:`).
        public var hash: String
        /// The 1-based line number in the file.
        public var line: Int
        /// An entry.
        public init(user: String, hash: String, line: Int) {
            self.user = user; self.hash = hash; self.line = line
        }
    }

    /// The file's path, for messages and evidence.
    public var path: String
    /// The entries, in file order.
    public var entries: [Entry]

    /// Malformed lines skipped by a lenient parse (`strict: false`), as the servers skip them.
    public var skipped: [InputError] = []

    /// Parses the file's text; a malformed line is an `InputError` naming path and line. With
    /// `strict: false` a malformed line is skipped (as nginx and httpd do) and kept in `skipped`.
    public init(path: String, contents: String, strict: Bool = true) throws {
        self.path = path
        self.entries = []
        if !strict {
            var lines = contents.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
            while true {
                do {
                    let parsed = try HtpasswdFile(path: path, contents: lines.joined(separator: "\n"))
                    entries = parsed.entries
                    return
                } catch let e as InputError {
                    guard let line = e.line, line >= 1, line <= lines.count else { throw e }
                    skipped.append(e)
                    lines[line - 1] = ""  // blank: the numbering of the other lines is kept
                }
            }
        }
        var number = 0
        // Split on the scalar LF: as Characters, "\r\n" is one grapheme and would not split.
        for raw in contents.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(Substring.UnicodeScalarView(raw))
            // Both servers strip surrounding white space (Apache's ap_cfg_getline; nginx stops at CR).
            while let c = line.last, c == "\r" || c == " " || c == "\t" { line.removeLast() }
            while let c = line.first, c == " " || c == "\t" { line.removeFirst() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let bad = line.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
                throw InputError(file: path, line: number,
                                 expected: "a 'user:hash' line of text",
                                 found: "control character \\x\(String(bad.value, radix: 16)) (binary data?)")
            }
            guard let colon = line.firstIndex(of: ":") else {
                // The line may hold a password: say what it looks like, never what it says.
                throw InputError(file: path, line: number, expected: "'user:hash'",
                                 found: "a line without ':' (\(line.count) characters)",
                                 help: "each line is a user name, ':', and a hash written by htpasswd")
            }
            let user = String(line[..<colon])
            let rest = line[line.index(after: colon)...]
            let hash = String(rest.prefix { $0 != ":" })
            guard !user.isEmpty else {
                throw InputError(file: path, line: number, expected: "a user name before ':'", found: "nothing")
            }
            guard !hash.isEmpty else {
                throw InputError(file: path, line: number, expected: "a hash after \(InputError.quote(user + ":"))",
                                 found: "nothing", help: "set a password with: htpasswd \(path) \(user)")
            }
            entries.append(Entry(user: user, hash: hash, line: number))
        }
    }

    /// Parses the file's bytes (as read from disk): text that is not UTF-8 is an `InputError`.
    public init(path: String, bytes: [UInt8]) throws {
        var line = 1
        // Find the first invalid UTF-8 sequence, to name its line.
        var decoded = ""
        var iterator = bytes.makeIterator()
        var codec = UTF8()
        decode: while true {
            switch codec.decode(&iterator) {
            case .scalarValue(let s):
                decoded.unicodeScalars.append(s)
                if s == "\n" { line += 1 }
            case .emptyInput:
                break decode
            case .error:
                throw InputError(file: path, line: line, expected: "UTF-8 text", found: "bytes that are not UTF-8 (binary data?)")
            }
        }
        try self.init(path: path, contents: decoded)
    }

    /// The result of checking a user and password.
    public enum Result: Sendable, Equatable {
        /// The password matches the entry at that line.
        case match(line: Int)
        /// The user is there (that line) and the password does not match.
        case mismatch(line: Int)
        /// No entry for that user.
        case unknownUser
        /// A hash format this build cannot verify (named), at that line.
        case unsupported(format: String, line: Int)
    }

    /// Which server reads the file: their hash support differs slightly.
    public enum Server: String, Sendable {
        /// nginx (`ngx_crypt`): also `{PLAIN}` and `{SSHA}`.
        case nginx
        /// Apache httpd (`apr_password_validate`).
        case apache
        /// Either: formats only nginx knows are accepted.
        case any
    }

    /// The entry of a user (the first one, as both servers use).
    public func entry(for user: String) -> Entry? { entries.first { $0.user == user } }

    /// Checks a user and password the way the server does (first entry of that user wins).
    public func verify(user: String, password: String, server: Server = .any) -> Result {
        guard let e = entry(for: user) else { return .unknownUser }
        switch HtpasswdHash.verify(password: password, hash: e.hash, server: server) {
        case .match: return .match(line: e.line)
        case .mismatch: return .mismatch(line: e.line)
        case .unsupported(let format): return .unsupported(format: format, line: e.line)
        }
    }
}

/// The hash formats htpasswd writes and the servers accept, and their verification.
///
/// `$apr1$` and `$1$` (MD5-crypt) are computed here from the published algorithm with swift-crypto's
/// MD5; `{SHA}`/`{SSHA}` with its SHA-1. bcrypt, SHA-256/512-crypt and DES crypt go to the system's
/// `crypt_rn`/`crypt_r` (libxcrypt, loaded at run time), exactly as httpd and nginx do on Linux: no
/// Swift package here implements bcrypt or DES crypt.
public enum HtpasswdHash {
    /// The outcome for one hash.
    public enum Check: Sendable, Equatable {
        /// The password gives this hash.
        case match
        /// It does not.
        case mismatch
        /// This format cannot be checked here (named).
        case unsupported(String)
    }

    /// A human name for the format of a hash: `apr1-MD5`, `bcrypt`, `SHA-1`, `crypt (DES)`, ...
    public static func formatName(_ hash: String) -> String {
        if hash.hasPrefix("$apr1$") { return "apr1-MD5" }
        if hash.hasPrefix("$2y$") || hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2x$") { return "bcrypt" }
        if hash.hasPrefix("{SHA}") { return "SHA-1" }
        if hash.hasPrefix("{SSHA}") { return "salted SHA-1" }
        if hash.hasPrefix("{PLAIN}") { return "plain text ({PLAIN})" }
        if hash.hasPrefix("$1$") { return "MD5-crypt" }
        if hash.hasPrefix("$5$") { return "SHA-256-crypt" }
        if hash.hasPrefix("$6$") { return "SHA-512-crypt" }
        if isDES(hash) { return "crypt (DES)" }
        if hash.hasPrefix("$") { return "crypt (\(hash.split(separator: "$").first.map(String.init) ?? "?"))" }
        return "plain text"
    }

    static let itoa64 = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    static func isDES(_ hash: String) -> Bool {
        let u = Array(hash.utf8)
        return u.count == 13 && u.allSatisfy { itoa64.contains($0) }
    }

    /// Checks `password` against `hash` as `server` would.
    public static func verify(password: String, hash: String, server: HtpasswdFile.Server = .any) -> Check {
        let pw = Array(password.utf8)
        if hash.hasPrefix("$apr1$") { return equal(md5Crypt(pw, setting: hash, magic: "$apr1$"), hash) }
        if hash.hasPrefix("{SHA}") {
            let digest = Array(Insecure.SHA1.hash(data: pw))
            return equal("{SHA}" + base64(digest), hash)
        }
        if hash.hasPrefix("{SSHA}") || hash.hasPrefix("{PLAIN}") {
            guard server != .apache else {
                return .unsupported("\(formatName(hash)) (nginx only; Apache passes it to crypt(), which fails)")
            }
            if hash.hasPrefix("{PLAIN}") { return equal("{PLAIN}" + password, hash) }
            guard let raw = unbase64(String(hash.dropFirst(6))), raw.count > 20 else { return .mismatch }
            let salt = Array(raw[20...])
            let digest = Array(Insecure.SHA1.hash(data: pw + salt))
            return constantTimeEqual(digest, Array(raw[0..<20])) ? .match : .mismatch
        }
        if hash.hasPrefix("$1$") { return equal(md5Crypt(pw, setting: hash, magic: "$1$"), hash) }
        let isCryptFormat = hash.hasPrefix("$") || isDES(hash)
        guard isCryptFormat else {
            return .unsupported("plain text (httpd accepts unhashed passwords only on Windows and NetWare; on Linux it and nginx pass them to crypt(), which fails)")
        }
        if let cost = costTooHigh(hash) {
            return .unsupported("\(formatName(hash)) with \(cost) (above what htpasswd writes; not computed, to avoid a hang)")
        }
        guard let computed = SystemCrypt.crypt(password, setting: hash) else {
            return .unsupported("\(formatName(hash)) (the system's crypt() does not support it here)")
        }
        return equal(computed, hash)
    }

    /// bcrypt costs above 17 (htpasswd's maximum) or SHA-crypt rounds above 10,000,000 would take
    /// minutes to hours: a hostile file must not hang why403.
    static func costTooHigh(_ hash: String) -> String? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count > 2 else { return nil }
        if parts[1].hasPrefix("2"), let cost = Int(parts[2]), cost > 17 { return "cost \(cost)" }
        if parts[1] == "5" || parts[1] == "6", parts[2].hasPrefix("rounds="),
           let rounds = Int(parts[2].dropFirst(7)), rounds > 10_000_000 {
            return "\(rounds) rounds"
        }
        return nil
    }

    static func equal(_ a: String, _ b: String) -> Check {
        constantTimeEqual(Array(a.utf8), Array(b.utf8)) ? .match : .mismatch
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// MD5-crypt (Poul-Henning Kamp's algorithm, as in apr_md5.c and FreeBSD's crypt-md5.c).
    /// Hand-written: no package here implements it; MD5 itself comes from swift-crypto.
    public static func md5Crypt(_ pw: [UInt8], setting: String, magic: String) -> String {
        let magicBytes = Array(magic.utf8)
        var rest = Array(setting.utf8)
        if rest.starts(with: magicBytes) { rest.removeFirst(magicBytes.count) }
        let salt = Array(rest.prefix { $0 != UInt8(ascii: "$") }.prefix(8))

        var ctx = Insecure.MD5()
        ctx.update(data: pw)
        ctx.update(data: magicBytes)
        ctx.update(data: salt)
        var alt = Insecure.MD5()
        alt.update(data: pw)
        alt.update(data: salt)
        alt.update(data: pw)
        let altFinal = Array(alt.finalize())
        var pl = pw.count
        while pl > 0 {
            ctx.update(data: Array(altFinal.prefix(min(pl, 16))))
            pl -= 16
        }
        var i = pw.count
        while i != 0 {
            if i & 1 != 0 { ctx.update(data: [0]) } else { ctx.update(data: [pw.first ?? 0]) }
            i >>= 1
        }
        var final = Array(ctx.finalize())
        for round in 0..<1000 {
            var c = Insecure.MD5()
            if round & 1 != 0 { c.update(data: pw) } else { c.update(data: final) }
            if round % 3 != 0 { c.update(data: salt) }
            if round % 7 != 0 { c.update(data: pw) }
            if round & 1 != 0 { c.update(data: final) } else { c.update(data: pw) }
            final = Array(c.finalize())
        }
        var out = magicBytes + salt + [UInt8(ascii: "$")]
        func to64(_ v: UInt32, _ n: Int) {
            var v = v
            for _ in 0..<n { out.append(itoa64[Int(v & 0x3F)]); v >>= 6 }
        }
        let f = final.map(UInt32.init)
        to64(f[0] << 16 | f[6] << 8 | f[12], 4)
        to64(f[1] << 16 | f[7] << 8 | f[13], 4)
        to64(f[2] << 16 | f[8] << 8 | f[14], 4)
        to64(f[3] << 16 | f[9] << 8 | f[15], 4)
        to64(f[4] << 16 | f[10] << 8 | f[5], 4)
        to64(f[11], 2)
        return String(decoding: out, as: UTF8.self)
    }

    static let b64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 with padding (hand-written: this module avoids Foundation).
    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(b64[Int(v >> 18 & 63)])
            out.append(b64[Int(v >> 12 & 63)])
            out.append(i + 1 < bytes.count ? b64[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? b64[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unbase64(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0, n = 0
        for c in s.utf8 {
            if c == UInt8(ascii: "=") { break }
            guard let v = b64.firstIndex(of: c) else { return nil }
            acc = acc << 6 | UInt32(v)
            n += 6
            if n >= 8 { n -= 8; out.append(UInt8((acc >> UInt32(n)) & 0xFF)) }
        }
        return out
    }
}
