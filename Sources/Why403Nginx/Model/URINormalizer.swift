import Why403Core

/// nginx's URI normalization (ngx_http_parse_complex_uri): percent-decoding, merged slashes, `.` and `..`.
enum URINormalizer {
    /// The decoded, normalized `$uri`, or nil when `..` climbs above the root (nginx answers 400).
    static func normalize(_ raw: String, mergeSlashes: Bool = true) -> String? {
        var bytes: [UInt8] = []
        let u = Array(raw.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l); i += 3
            } else { bytes.append(u[i]); i += 1 }
        }
        let s = String(decoding: bytes, as: UTF8.self)
        var parts: [Substring] = []
        let comps = s.split(separator: "/", omittingEmptySubsequences: false)
        for (idx, c) in comps.enumerated() {
            if idx == 0 { continue }
            if c.isEmpty && mergeSlashes && idx != comps.count - 1 { continue }
            if c == "." { if idx == comps.count - 1 { parts.append("") }; continue }
            if c == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
                if idx == comps.count - 1 { parts.append("") }
                continue
            }
            parts.append(c)
        }
        var out = "/" + parts.joined(separator: "/")
        if mergeSlashes { while out.contains("//") { out = out.replacingAll("//", with: "/") } }
        return out
    }

    /// Why nginx refuses the request line for this path (400, "client sent invalid request"), or nil: a `%` not
    /// followed by two hex digits, a `%00` (ngx_http_parse_complex_uri refuses a decoded NUL), a raw NUL, or a `..`
    /// that climbs above the root (checked against the real nginx in `DifferentialTests`).
    static func invalidReason(_ raw: String) -> String? {
        let u = Array(raw.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 0 { return "a NUL byte in the path" }
            if u[i] == UInt8(ascii: "%") {
                guard i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) else {
                    return "a '%' not followed by two hex digits"
                }
                if h == 0 && l == 0 { return "%00 (a NUL byte) in the path" }
                i += 3
                continue
            }
            i += 1
        }
        return normalize(raw) == nil ? "'..' climbs above the root" : nil
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }
}
