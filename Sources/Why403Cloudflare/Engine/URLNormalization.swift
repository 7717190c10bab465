/// Cloudflare's URL normalization of incoming requests
/// (https://developers.cloudflare.com/rules/normalization/how-it-works/): rules see
/// `http.request.uri.*` and `http.request.full_uri` with a normalized path, `raw.*` fields the path as
/// sent. Only the path is normalized (the feature "normalizes HTTP request URI paths"); the query is
/// left as sent.
public enum URLNormalization: String, Sendable, CaseIterable {
    /// The default ("Cloudflare" type, incoming URLs): backslashes to slashes, successive slashes merged,
    /// then RFC 3986 normalization.
    case cloudflare
    /// RFC 3986 only: unreserved characters decoded, other bytes encoded, percent-encodings upper-cased,
    /// dot segments removed.
    case rfc3986
    /// Normalization of incoming URLs turned off.
    case none

    /// The path as rules see it.
    public func normalize(path: String) -> String {
        var b = Array(path.utf8)
        switch self {
        case .none:
            return path
        case .cloudflare:
            // 1. Back slashes into forward slashes; 2. successive forward slashes merged.
            var merged: [UInt8] = []
            for c in b {
                let c2 = c == UInt8(ascii: "\\") ? UInt8(ascii: "/") : c
                if c2 == UInt8(ascii: "/"), merged.last == UInt8(ascii: "/") { continue }
                merged.append(c2)
            }
            b = merged
        case .rfc3986:
            break
        }
        // 3. RFC 3986 normalization.
        return URLNormalization.removeDotSegments(String(decoding: URLNormalization.rfc3986Bytes(b), as: UTF8.self))
    }

    static func isUnreserved(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
            || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "~")
    }

    /// `: / ? # [ ] @ ! $ & ' ( ) * + , ; =`: neither encoded nor decoded.
    static func isReserved(_ c: UInt8) -> Bool { Array(":/?#[]@!$&'()*+,;=".utf8).contains(c) }

    static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Unreserved characters percent-decoded, percent-encodings upper-cased, every other byte that is
    /// neither unreserved nor reserved percent-encoded.
    static func rfc3986Bytes(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "%"), i + 2 < b.count, let h = Evaluator.hex(b[i + 1]), let l = Evaluator.hex(b[i + 2]) {
                let v = h << 4 | l
                if isUnreserved(v) { out.append(v) } else { out += [c, hexDigits[Int(h)], hexDigits[Int(l)]] }
                i += 3
                continue
            }
            if isUnreserved(c) || isReserved(c) { out.append(c) } else { out += [UInt8(ascii: "%"), hexDigits[Int(c >> 4)], hexDigits[Int(c & 15)]] }
            i += 1
        }
        return out
    }

    /// RFC 3986 section 5.2.4, "Remove Dot Segments".
    static func removeDotSegments(_ path: String) -> String {
        var input = Substring(path)
        var output = ""
        func dropLastSegment() {
            if let slash = output.lastIndex(of: "/") { output.removeSubrange(slash...) } else { output = "" }
        }
        while !input.isEmpty {
            if input.hasPrefix("../") { input = input.dropFirst(3) }
            else if input.hasPrefix("./") { input = input.dropFirst(2) }
            else if input.hasPrefix("/./") { input = "/" + input.dropFirst(3) }
            else if input == "/." { input = "/" }
            else if input.hasPrefix("/../") { input = "/" + input.dropFirst(4); dropLastSegment() }
            else if input == "/.." { input = "/"; dropLastSegment() }
            else if input == "." || input == ".." { input = "" }
            else {
                let start = input.hasPrefix("/") ? input.index(after: input.startIndex) : input.startIndex
                let end = input[start...].firstIndex(of: "/") ?? input.endIndex
                output += input[..<end]
                input = input[end...]
            }
        }
        return output
    }
}
