/// AWS WAF's text transformations, applied to bytes in `Priority` order before a statement inspects
/// a request component.
///
/// The list and each one's meaning are AWS's "Text transformation options"
/// (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html and the
/// API's `TextTransformation` type). Where AWS describes a transformation only by name (its documentation
/// points to the ModSecurity function of the same name for several), the ModSecurity reference manual's
/// definition is used; `docs/aws-waf.md` lists them.
public enum Transformations {
    /// Every `Type` the API accepts.
    public static let known = ["NONE", "COMPRESS_WHITE_SPACE", "HTML_ENTITY_DECODE", "LOWERCASE", "CMD_LINE", "URL_DECODE",
                               "BASE64_DECODE", "HEX_DECODE", "MD5", "REPLACE_COMMENTS", "ESCAPE_SEQ_DECODE", "SQL_HEX_DECODE",
                               "CSS_DECODE", "JS_DECODE", "NORMALIZE_PATH", "NORMALIZE_PATH_WIN", "REMOVE_NULLS", "REPLACE_NULLS",
                               "BASE64_DECODE_EXT", "URL_DECODE_UNI", "UTF8_TO_UNICODE", "REMOVE_WHITESPACE", "TRIM", "TRIM_LEFT",
                               "TRIM_RIGHT", "REMOVE_COMMENTS_CHAR", "UPPERCASE", "CMD_LINE_WIN", "CMD_LINE_UNIX", "JS_DECODE_EXT", "SHA256"]

    /// Hashing transformations this version does not compute: a statement that uses one is `possible`
    /// (the module has no hash implementation, and the fuzz harness builds it without packages).
    public static let notComputed: Set<String> = ["MD5", "SHA256"]

    /// Applies `transforms` (already sorted by priority) to `value`.
    public static func apply(_ transforms: [TextTransformation], to value: [UInt8]) -> [UInt8] {
        transforms.reduce(value) { apply($1.type, to: $0) }
    }

    /// Applies one transformation by its API name; an unknown name leaves the value as it is (the
    /// reader refuses unknown names before evaluation).
    public static func apply(_ type: String, to v: [UInt8]) -> [UInt8] {
        switch type {
        case "NONE": return v
        case "LOWERCASE": return v.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        case "UPPERCASE": return v.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
        case "COMPRESS_WHITE_SPACE": return compressWhiteSpace(v)
        case "REMOVE_WHITESPACE": return v.filter { !isSpace($0) }
        case "TRIM": return trimRight(trimLeft(v))
        case "TRIM_LEFT": return trimLeft(v)
        case "TRIM_RIGHT": return trimRight(v)
        case "HTML_ENTITY_DECODE": return htmlEntityDecode(v)
        case "CMD_LINE", "CMD_LINE_UNIX", "CMD_LINE_WIN": return cmdLine(v)
        case "URL_DECODE": return urlDecode(v, unicode: false)
        case "URL_DECODE_UNI": return urlDecode(v, unicode: true)
        case "BASE64_DECODE": return Base64.decode(v, forgiving: false) ?? v
        case "BASE64_DECODE_EXT": return Base64.decode(v, forgiving: true) ?? v
        case "HEX_DECODE": return hexDecode(v)
        case "REPLACE_COMMENTS": return replaceComments(v)
        case "REMOVE_COMMENTS_CHAR": return removeCommentChars(v)
        case "ESCAPE_SEQ_DECODE": return escapeSeqDecode(v)
        case "SQL_HEX_DECODE": return sqlHexDecode(v)
        case "CSS_DECODE": return cssDecode(v)
        case "JS_DECODE", "JS_DECODE_EXT": return jsDecode(v)
        case "NORMALIZE_PATH": return normalizePath(v, windows: false)
        case "NORMALIZE_PATH_WIN": return normalizePath(v, windows: true)
        case "REMOVE_NULLS": return v.filter { $0 != 0 }
        case "REPLACE_NULLS": return v.map { $0 == 0 ? 0x20 : $0 }
        case "UTF8_TO_UNICODE": return utf8ToUnicode(v)
        default: return v
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0xA0 }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }

    /// Runs of space, \t \n \r \f \v (and the non-breaking space 0xA0) become one space.
    static func compressWhiteSpace(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(v.count)
        var inSpace = false
        for b in v {
            if isSpace(b) { if !inSpace { out.append(0x20) }; inSpace = true } else { out.append(b); inSpace = false }
        }
        return out
    }

    static func trimLeft(_ v: [UInt8]) -> [UInt8] { Array(v.drop { isSpace($0) || $0 == 0 }) }
    static func trimRight(_ v: [UInt8]) -> [UInt8] {
        var end = v.count
        while end > 0, isSpace(v[end - 1]) || v[end - 1] == 0 { end -= 1 }
        return Array(v[..<end])
    }

    /// AWS: delete `\ " ' ^`; delete spaces before `/` and `(`; replace `,` and `;` with a space;
    /// compress runs of white space to one space; lower-case.
    static func cmdLine(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in v {
            switch b {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "^"): continue
            case UInt8(ascii: "/"), UInt8(ascii: "("):
                while out.last == 0x20 { out.removeLast() }
                out.append(b)
            case UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20:
                if out.last != 0x20 { out.append(0x20) }
            default:
                out.append(b >= 65 && b <= 90 ? b + 32 : b)
            }
        }
        return out
    }

    /// `%XX` decoded (an invalid escape is kept); `+` is left as it is (AWS decodes URL encoding only).
    /// With `unicode`, `%uHHHH` too (the low byte of code points below 0x100, else the UTF-8 of the code point).
    static func urlDecode(_ v: [UInt8], unicode: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(v.count)
        var i = 0
        while i < v.count {
            if v[i] == UInt8(ascii: "%") {
                if unicode, i + 5 < v.count, v[i + 1] == UInt8(ascii: "u") || v[i + 1] == UInt8(ascii: "U"),
                   let a = hexValue(v[i + 2]), let b = hexValue(v[i + 3]), let c = hexValue(v[i + 4]), let d = hexValue(v[i + 5]) {
                    let cp = UInt32(a) << 12 | UInt32(b) << 8 | UInt32(c) << 4 | UInt32(d)
                    if cp < 0x80 { out.append(UInt8(cp)) } else if let s = Unicode.Scalar(cp) { out.append(contentsOf: Array(String(s).utf8)) }
                    i += 6
                    continue
                }
                if i + 2 < v.count, let h = hexValue(v[i + 1]), let l = hexValue(v[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
            }
            out.append(v[i])
            i += 1
        }
        return out
    }

    static let entities: [String: [UInt8]] = ["quot": [34], "amp": [38], "lt": [60], "gt": [62], "nbsp": [0xA0], "apos": [39]]

    /// `&#NNN;`, `&#xHH;` (the low byte, as ModSecurity does) and `&quot; &amp; &lt; &gt; &nbsp; &apos;`.
    static func htmlEntityDecode(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < v.count {
            if v[i] == UInt8(ascii: "&"), i + 1 < v.count {
                if v[i + 1] == UInt8(ascii: "#") {
                    var j = i + 2
                    let hex = j < v.count && (v[j] == UInt8(ascii: "x") || v[j] == UInt8(ascii: "X"))
                    if hex { j += 1 }
                    let start = j
                    var n: UInt32 = 0
                    while j < v.count, let d = hexValue(v[j]), hex || d < 10, j - start < 8 { n = n * (hex ? 16 : 10) + UInt32(d); j += 1 }
                    if j > start {
                        out.append(UInt8(truncatingIfNeeded: n))
                        i = j < v.count && v[j] == UInt8(ascii: ";") ? j + 1 : j
                        continue
                    }
                } else {
                    var j = i + 1
                    while j < v.count, j - i <= 6, (v[j] >= 97 && v[j] <= 122) || (v[j] >= 65 && v[j] <= 90) { j += 1 }
                    let name = String(decoding: v[(i + 1)..<j], as: UTF8.self).lowercased()
                    if let e = entities[name] {
                        out.append(contentsOf: e)
                        i = j < v.count && v[j] == UInt8(ascii: ";") ? j + 1 : j
                        continue
                    }
                }
            }
            out.append(v[i])
            i += 1
        }
        return out
    }

    static func hexDecode(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i + 1 < v.count {
            guard let h = hexValue(v[i]), let l = hexValue(v[i + 1]) else { return v }
            out.append(h << 4 | l)
            i += 2
        }
        return i == v.count ? out : v
    }

    /// `/* ... */` becomes one space (an unterminated comment to the end too).
    static func replaceComments(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < v.count {
            if v[i] == UInt8(ascii: "/"), i + 1 < v.count, v[i + 1] == UInt8(ascii: "*") {
                var j = i + 2
                while j + 1 < v.count, !(v[j] == UInt8(ascii: "*") && v[j + 1] == UInt8(ascii: "/")) { j += 1 }
                out.append(0x20)
                i = j + 1 < v.count ? j + 2 : v.count
                continue
            }
            out.append(v[i])
            i += 1
        }
        return out
    }

    /// Removes `/*`, `*/`, `--` and `#`.
    static func removeCommentChars(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < v.count {
            if i + 1 < v.count {
                let pair = (v[i], v[i + 1])
                if pair == (UInt8(ascii: "/"), UInt8(ascii: "*")) || pair == (UInt8(ascii: "*"), UInt8(ascii: "/"))
                    || pair == (UInt8(ascii: "-"), UInt8(ascii: "-")) { i += 2; continue }
            }
            if v[i] == UInt8(ascii: "#") { i += 1; continue }
            out.append(v[i])
            i += 1
        }
        return out
    }

    /// ANSI C escapes: `\a \b \f \n \r \t \v \\ \? \' \"`, `\xHH`, `\OOO`.
    static func escapeSeqDecode(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        let simple: [UInt8: UInt8] = [UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
                                      UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
                                      UInt8(ascii: "?"): 63, UInt8(ascii: "'"): 39, UInt8(ascii: "\""): 34]
        while i < v.count {
            if v[i] == UInt8(ascii: "\\"), i + 1 < v.count {
                let c = v[i + 1]
                if let s = simple[c] { out.append(s); i += 2; continue }
                if c == UInt8(ascii: "x"), i + 3 < v.count, let h = hexValue(v[i + 2]), let l = hexValue(v[i + 3]) {
                    out.append(h << 4 | l); i += 4; continue
                }
                if c >= 48 && c <= 55 {
                    var j = i + 1
                    var n = 0
                    while j < v.count, j - i <= 3, v[j] >= 48 && v[j] <= 55 { n = n * 8 + Int(v[j] - 48); j += 1 }
                    out.append(UInt8(truncatingIfNeeded: n)); i = j; continue
                }
            }
            out.append(v[i])
            i += 1
        }
        return out
    }

    /// `0x414243` becomes `ABC`.
    static func sqlHexDecode(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < v.count {
            if v[i] == UInt8(ascii: "0"), i + 3 < v.count, v[i + 1] == UInt8(ascii: "x") || v[i + 1] == UInt8(ascii: "X"),
               hexValue(v[i + 2]) != nil, hexValue(v[i + 3]) != nil {
                var j = i + 2
                while j + 1 < v.count, let h = hexValue(v[j]), let l = hexValue(v[j + 1]) { out.append(h << 4 | l); j += 2 }
                i = j
                continue
            }
            out.append(v[i])
            i += 1
        }
        return out
    }

    /// CSS 2.x escapes: `\` and up to six hex digits (one optional space after), or `\` and a character.
    static func cssDecode(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < v.count {
            if v[i] == UInt8(ascii: "\\"), i + 1 < v.count {
                var j = i + 1
                var n: UInt32 = 0
                while j < v.count, j - i <= 6, let d = hexValue(v[j]) { n = n * 16 + UInt32(d); j += 1 }
                if j > i + 1 {
                    out.append(UInt8(truncatingIfNeeded: n))
                    if j < v.count, v[j] == 0x20 { j += 1 }
                    i = j
                    continue
                }
                if v[i + 1] == 0x0A { i += 2; continue }
                out.append(v[i + 1]); i += 2; continue
            }
            out.append(v[i])
            i += 1
        }
        return out
    }

    /// JavaScript escapes: `\uHHHH` (the low byte), `\xHH`, `\OOO` and the one-character escapes.
    static func jsDecode(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < v.count {
            if v[i] == UInt8(ascii: "\\"), i + 1 < v.count {
                let c = v[i + 1]
                if c == UInt8(ascii: "u"), i + 5 < v.count, hexValue(v[i + 2]) != nil, hexValue(v[i + 3]) != nil,
                   let h = hexValue(v[i + 4]), let l = hexValue(v[i + 5]) {
                    out.append(h << 4 | l); i += 6; continue
                }
                if c == UInt8(ascii: "x"), i + 3 < v.count, let h = hexValue(v[i + 2]), let l = hexValue(v[i + 3]) {
                    out.append(h << 4 | l); i += 4; continue
                }
                if c >= 48 && c <= 55 {
                    var j = i + 1
                    var n = 0
                    while j < v.count, j - i <= 3, v[j] >= 48 && v[j] <= 55 { n = n * 8 + Int(v[j] - 48); j += 1 }
                    out.append(UInt8(truncatingIfNeeded: n)); i = j; continue
                }
                let map: [UInt8: UInt8] = [UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
                                           UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11]
                out.append(map[c] ?? c); i += 2; continue
            }
            out.append(v[i])
            i += 1
        }
        return out
    }

    /// Removes repeated slashes, `./` and `dir/../` (a `..` above the root is dropped); with `windows`,
    /// `\` is a slash first.
    static func normalizePath(_ v: [UInt8], windows: Bool) -> [UInt8] {
        let input = windows ? v.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 } : v
        let absolute = input.first == UInt8(ascii: "/")
        let trailing = input.count > 1 && input.last == UInt8(ascii: "/")
        var parts: [ArraySlice<UInt8>] = []
        for seg in input.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if seg.elementsEqual([UInt8(ascii: ".")]) { continue }
            if seg.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(seg)
        }
        var out: [UInt8] = absolute ? [UInt8(ascii: "/")] : []
        out.append(contentsOf: Array(parts.joined(separator: [UInt8(ascii: "/")])))
        if trailing && !parts.isEmpty { out.append(UInt8(ascii: "/")) }
        return out
    }

    /// Multi-byte UTF-8 sequences become `%uHHHH`.
    static func utf8ToUnicode(_ v: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for s in String(decoding: v, as: UTF8.self).unicodeScalars {
            if s.value < 0x80 { out.append(UInt8(s.value)); continue }
            let h = String(s.value, radix: 16)
            out.append(contentsOf: Array(("%u" + String(repeating: "0", count: max(0, 4 - h.count)) + h).utf8))
        }
        return out
    }
}

/// Base64 (RFC 4648), standard and URL-safe alphabets; written here because the reader and the
/// BASE64_DECODE transformations need a strict and a forgiving decoder on bytes and Core has none.
public enum Base64 {
    static func value(_ b: UInt8) -> UInt8? {
        switch b {
        case 65...90: b - 65
        case 97...122: b - 71
        case 48...57: b + 4
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }

    /// Decodes `text`. Strict: every character must belong to the alphabet (padding at the end only,
    /// white space ignored). Forgiving (`BASE64_DECODE_EXT`): characters outside the alphabet are skipped.
    public static func decode(_ text: [UInt8], forgiving: Bool) -> [UInt8]? {
        var bits: UInt32 = 0
        var n = 0
        var out: [UInt8] = []
        var padding = false
        for b in text {
            if b == UInt8(ascii: "=") { padding = true; continue }
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { continue }
            guard let v = value(b), !padding || forgiving else {
                if forgiving { continue }
                return nil
            }
            bits = bits << 6 | UInt32(v)
            n += 6
            if n >= 8 {
                n -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt32(n)))
            }
        }
        return out
    }

    /// Encodes bytes (standard alphabet, padded): for patches, whose `SearchString` must be Base64.
    public static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
