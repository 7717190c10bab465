import Foundation
import Why403Core

/// The token a person handed us, cleaned of its wrapping (`Authorization:`, `Bearer`) and classified.
///
/// Accepts a raw JWT, `Bearer <jwt>`, a whole `Authorization: ...` header line (cli-v1). Every
/// error names a position and a kind of character, never the token's text.
public struct TokenText: Sendable, Equatable {
    /// What kind of credentials the text is.
    public enum Kind: String, Sendable, Equatable {
        /// No credentials (`''`).
        case none
        /// A signed JWT (JWS compact serialization, three segments; RFC 7515 §7.1).
        case jws
        /// An encrypted JWT (JWE compact serialization, five segments; RFC 7516 §7.1).
        case jwe
        /// Not a JWT: a reference token only its issuer can read (RFC 7662 introspection).
        case opaque
    }

    /// Longest token accepted. Servers refuse far smaller headers (nginx: 8 KiB per header line by
    /// default), so a bigger "token" is a pasting mistake or junk.
    public static let maximumLength = 65_536

    /// The token itself, without scheme or header name.
    public var value: String
    /// The auth scheme it came with (`Bearer`, `DPoP`, ...), when one was given.
    public var scheme: String?
    /// The header name it came with (`Authorization`), when a header line was given.
    public var headerName: String?
    /// What kind of credentials the text is.
    public var kind: Kind
    /// The dot-separated segments (JWS: 3, JWE: 5; opaque: as split).
    public var segments: [Substring] { value.split(separator: ".", omittingEmptySubsequences: false) }

    /// Schemes whose credentials are a token (RFC 6750 Bearer, RFC 9449 DPoP, and common variants).
    static let tokenSchemes: Set<String> = ["bearer", "dpop", "token", "jwt", "oauth"]

    /// Cleans and classifies `raw`. Throws `InputError` (file `source`) for junk; never quotes the token.
    public init(_ raw: String, source: String = "TOKEN") throws {
        try self.init(bytes: Array(raw.utf8), source: source)
    }

    /// Cleans and classifies raw bytes (stdin may hold anything).
    public init(bytes raw: [UInt8], source: String = "TOKEN") throws {
        // Reading at most the limit and a little more is the caller's job; refuse here in any case.
        guard raw.count <= TokenText.maximumLength + 4096 else {
            throw InputError(file: source, expected: "a token of at most \(TokenText.maximumLength) bytes",
                             found: "\(raw.count) bytes",
                             help: "servers refuse headers this large (nginx allows 8 KiB per header line by default)")
        }
        // Printable ASCII only (RFC 9110 token68 and header values as sent by clients); say where not.
        var lineCount = 1
        for (i, b) in raw.enumerated() {
            if b == 0x0A { lineCount += 1; continue }
            if b == 0x0D || b == 0x09 { continue }
            if b < 0x20 || b >= 0x7F {
                throw InputError(file: source, column: i + 1, expected: "a token of printable ASCII characters",
                                 found: String(format: "the byte 0x%02x at byte %d", b, i + 1),
                                 help: "paste the token itself, the `Bearer <token>` value or the whole `Authorization:` line")
            }
        }
        var text = String(decoding: raw, as: UTF8.self)
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.contains("\n") || text.contains("\r") {
            throw InputError(file: source, expected: "one token on one line",
                             found: "\(text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).count) lines")
        }
        var headerName: String?
        // "Authorization: Bearer x" / "Proxy-Authorization: ..." (also "-H 'Authorization: ...'" minus the quotes).
        if let colon = text.firstIndex(of: ":") {
            let name = text[..<colon].trimmingSpaces
            if ["authorization", "proxy-authorization"].contains(name.lowercased()) {
                headerName = name
                text = String(text[text.index(after: colon)...]).trimmingSpaces
            }
        }
        var scheme: String?
        let words = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if words.count == 2 {
            let w = String(words[0])
            if TokenText.tokenSchemes.contains(w.lowercased()) {
                scheme = w
                text = String(words[1]).trimmingSpaces
            } else if w.lowercased() == "basic" || w.lowercased() == "digest" {
                throw InputError(file: source, expected: "a bearer token", found: "\(w) credentials",
                                 help: "\(w) credentials are a user and a password, not a token; why403 token reads bearer tokens (JWT or opaque)")
            } else {
                throw InputError(file: source, expected: "one token (or `Bearer <token>`)",
                                 found: "two words, the first one \(InputError.quote(w, limit: 12))")
            }
        } else if words.count == 1, TokenText.tokenSchemes.contains(text.lowercased()) {
            // "Authorization: Bearer" (or "Bearer") and nothing after it: no credentials.
            scheme = text
            text = ""
        }
        if text.contains(" ") || text.contains("\t") {
            throw InputError(file: source, expected: "one token without spaces", found: "several words")
        }
        self.value = text
        self.scheme = scheme
        self.headerName = headerName
        self.kind = .none
        if text.isEmpty { return }
        // Only the characters of RFC 6750's b64token (token68) may appear in a bearer token.
        for (i, ch) in text.unicodeScalars.enumerated() {
            let ok = ("a"..."z").contains(ch) || ("A"..."Z").contains(ch) || ("0"..."9").contains(ch)
                || "-._~+/=".unicodeScalars.contains(ch)
            if !ok {
                throw InputError(file: source, column: i + 1, expected: "a token of base64url characters (RFC 6750 b64token)",
                                 found: "the character \(InputError.quote(String(ch))) at position \(i + 1)")
            }
        }
        let parts = segments
        // A JOSE header is a JSON object: its base64url starts "ey" (`{"`, `{ `) or "ew" (`{` then a newline).
        let looksJOSE = text.hasPrefix("ey") || text.hasPrefix("ew")
        switch parts.count {
        case 3 where looksJOSE:
            kind = .jws
        case 5 where looksJOSE:
            kind = .jwe
        case 3 where parts[0].count >= 4 && parts[1].count >= 4 && parts.allSatisfy({ $0.allSatisfy(\.isBase64URLChar) }):
            // Three base64url segments is a JWS's shape (RFC 7515 §7.1), and no issuer's opaque tokens
            // look like that: a header that is not a JSON object means the copy is damaged.
            let found: String
            switch Base64URL.decode(parts[0]) {
            case .failure: found = "text that is not base64url-encoded JSON"
            case .success(let bytes):
                let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
                found = printable ? "text that does not start a JSON object ('{')" : "bytes that are not JSON"
            }
            throw InputError(file: source, column: 1,
                             expected: "a JSON object in segment 1 (header) of a token shaped like a JWT (three base64url segments)",
                             found: found,
                             help: "a JWT header starts with 'eyJ': the token looks cut short at the start or joined with something; copy it whole")
        default:
            if looksJOSE {
                throw InputError(file: source, expected: "a JWT of 3 segments (signed, JWS) or 5 (encrypted, JWE) separated by '.'",
                                 found: "\(parts.count) segment\(parts.count == 1 ? "" : "s")",
                                 help: "the token looks cut short or joined with something; copy it whole")
            }
            kind = .opaque
        }
    }
}

extension Character {
    var isBase64URLChar: Bool {
        guard let a = asciiValue else { return false }
        return (a >= 65 && a <= 90) || (a >= 97 && a <= 122) || (a >= 48 && a <= 57) || a == 45 || a == 95
    }
}

/// Base64url (RFC 4648 §5) without padding, as JOSE uses it (RFC 7515 §2).
///
/// Foundation decodes standard base64; this maps the URL alphabet onto it and checks strictly first,
/// so the error can say which character at which position is wrong.
enum Base64URL {
    /// Decodes `segment`; on failure, the 0-based offset of the first bad character (or nil for a bad length).
    static func decode(_ segment: Substring) -> Result<[UInt8], DecodeFailure> {
        var s = ""
        s.reserveCapacity(segment.utf8.count + 3)
        var count = 0
        for (i, ch) in segment.enumerated() {
            if ch == "=" {
                // Padding is not used by JOSE but some encoders emit it; accept only at the end.
                if segment.dropFirst(i).allSatisfy({ $0 == "=" }) { break }
                return .failure(.character(offset: i, ch))
            }
            guard ch.isBase64URLChar else { return .failure(.character(offset: i, ch)) }
            s.append(ch == "-" ? "+" : ch == "_" ? "/" : ch)
            count += 1
        }
        if count % 4 == 1 { return .failure(.length(count)) }
        while s.utf8.count % 4 != 0 { s.append("=") }
        guard let d = Data(base64Encoded: s) else { return .failure(.length(count)) }
        return .success([UInt8](d))
    }

    enum DecodeFailure: Error {
        case character(offset: Int, Character)
        case length(Int)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
