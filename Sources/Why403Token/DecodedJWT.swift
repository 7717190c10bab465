import Foundation
import Why403Core

/// A JWS or JWE whose readable parts were decoded: the JOSE header and (JWS only) the claims set.
///
/// Follows RFC 7519 §7.2 (validating a JWT): three base64url segments, header and payload each a
/// JSON object. Decoding does not check the signature (see `KeySet`).
public struct DecodedJWT: Sendable, Equatable {
    /// The JOSE header (RFC 7515 §4).
    public var header: [String: JSONValue]
    /// The claims set (RFC 7519 §4); empty for a JWE, whose payload is encrypted.
    public var claims: [String: JSONValue]
    /// True for a JWE (five segments): only the header can be read.
    public var encrypted: Bool
    /// The bytes the signature covers: `header.payload` as sent (RFC 7515 §5.2).
    public var signingInput: [UInt8]
    /// The decoded signature (empty for `alg: none` and JWE). Never printed.
    public var signature: [UInt8]

    /// The header's `alg`, when it is a string.
    public var algorithm: String? { header["alg"]?.stringValue }
    /// The header's `kid`, when it is a string.
    public var keyID: String? { header["kid"]?.stringValue }

    /// Decodes `token` (a `TokenText` of kind jws or jwe). Errors name the segment and position, never
    /// the token's text; `source` is the name shown as the error's file.
    public init(_ token: TokenText, source: String = "TOKEN") throws {
        let parts = token.segments
        // INVARIANT: below, a JWS has exactly 3 segments and a JWE 5 (TokenText classified them so).
        guard (token.kind == .jws && parts.count == 3) || (token.kind == .jwe && parts.count == 5) else {
            throw InputError(file: source, expected: "a JWT of 3 segments (JWS) or 5 (JWE)",
                             found: "\(token.kind == .none ? "no token" : "\(parts.count) segments")")
        }
        encrypted = token.kind == .jwe
        let names = encrypted ? ["header", "encrypted key", "initialization vector", "ciphertext", "authentication tag"]
                              : ["header", "payload", "signature"]
        var offset = 0
        var decoded: [[UInt8]] = []
        for (n, part) in parts.enumerated() {
            switch Base64URL.decode(part) {
            case .success(let bytes):
                decoded.append(bytes)
            case .failure(.character(let at, let ch)):
                throw InputError(file: source, column: offset + at + 1,
                                 expected: "base64url in segment \(n + 1) (\(names[n]))",
                                 found: "the character \(InputError.quote(String(ch))) at position \(offset + at + 1)",
                                 help: "a JWT is base64url (A-Z a-z 0-9 - _) in segments separated by '.'; the token may be damaged")
            case .failure(.length(let count)):
                throw InputError(file: source, expected: "base64url in segment \(n + 1) (\(names[n]))",
                                 found: "a length of \(count) characters, which no base64url encoding has",
                                 help: "the token looks cut short; copy it whole")
            }
            offset += part.count + 1
        }
        header = try DecodedJWT.object(decoded[0], segment: 1, name: "header", source: source)
        if encrypted {
            claims = [:]
            signature = []
            signingInput = []
        } else {
            if decoded[1].isEmpty {
                throw InputError(file: source, expected: "a claims set in segment 2 (payload)", found: "an empty segment")
            }
            claims = try DecodedJWT.object(decoded[1], segment: 2, name: "payload", source: source)
            signature = decoded[2]
            signingInput = Array(token.value.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        }
        guard header["alg"] != nil else {
            throw InputError(file: source, expected: "an \"alg\" member in the JOSE header (segment 1)",
                             found: "a header without one", help: "every JWS and JWE header names its algorithm (RFC 7515 §4.1.1)")
        }
    }

    /// Parses a JSON object; says what was found instead without quoting it.
    static func object(_ bytes: [UInt8], segment: Int, name: String, source: String) throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            let text = String(decoding: bytes.prefix(1), as: UTF8.self)
            let found = bytes.isEmpty ? "nothing" : (text == "{" || text == "[" ? "malformed JSON" : "bytes that are not JSON")
            throw InputError(file: source, expected: "a JSON object in segment \(segment) (\(name))", found: found)
        }
        guard case .object(let o) = value else {
            throw InputError(file: source, expected: "a JSON object in segment \(segment) (\(name))",
                             found: "a JSON \(value.kindName)")
        }
        return o
    }
}

extension JSONValue {
    /// The string, when this is one.
    var stringValue: String? { if case .string(let s) = self { return s }; return nil }

    /// A number as a Double (NumericDate, RFC 7519 §2), when this is one.
    var numberValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// Strings of a string or an array of strings (other members skipped).
    var stringList: [String]? {
        switch self {
        case .string(let s): [s]
        case .array(let a): a.compactMap(\.stringValue)
        default: nil
        }
    }

    /// "object", "array", "string", ... for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A short text of this value for evidence (strings unquoted, arrays space-joined).
    var display: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): s
        case .array(let a): "[" + a.map { $0.kindNameOrDisplay }.joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().joined(separator: ", ") + "}"
        }
    }

    private var kindNameOrDisplay: String {
        switch self {
        case .object, .array: kindName
        default: display
        }
    }
}
