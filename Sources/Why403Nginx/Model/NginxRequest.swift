import Why403Core

/// The request to resolve: method, URL, headers and the client address the server sees.
public struct NginxRequest: Sendable, Equatable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The full URL (`http://host:port/path?query`); a URL without scheme is taken as `http://`.
    public var url: String
    /// Request headers, in order (`Host` overrides the URL's host for server selection).
    public var headers: [Header]
    /// The client address nginx sees (`$remote_addr`).
    public var clientIP: String

    /// One request header.
    public struct Header: Sendable, Equatable {
        /// The header's name as given.
        public var name: String
        /// The header's value.
        public var value: String
        /// A header `name: value`.
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// A request; `clientIP` defaults to 127.0.0.1.
    public init(method: String = "GET", url: String, headers: [Header] = [], clientIP: String = "127.0.0.1") {
        self.method = method
        self.url = url.contains("://") ? url : "http://" + url
        self.headers = headers
        self.clientIP = clientIP
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The parts of a request URL nginx works with.
struct RequestLine {
    var scheme: String
    var host: String      // lower-case, without port, without trailing dot
    var hostIsIP: Bool
    var port: Int
    var rawPath: String   // as sent: $request_uri without the query
    var query: String?

    init(_ url: String) throws {
        var rest = Substring(url)
        guard let sep = rest.range(of: "://") else {
            throw InputError(file: nil, expected: "a URL 'http://host/path'", found: InputError.quote(url))
        }
        scheme = rest[..<sep.lowerBound].lowercased()
        rest = rest[sep.upperBound...]
        let authEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authEnd]
        rest = rest[authEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var hostPart = authority
        var portNum: Int? = nil
        if authority.hasPrefix("[") {
            if let close = authority.firstIndex(of: "]") {
                hostPart = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { portNum = Int(after.dropFirst()) }
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portNum = Int(authority[authority.index(after: colon)...])
            if portNum == nil {
                throw InputError(file: nil, expected: "a port number after ':'", found: InputError.quote(authority[authority.index(after: colon)...]))
            }
        }
        guard !hostPart.isEmpty else { throw InputError(file: nil, expected: "a host in the URL", found: InputError.quote(url)) }
        var h = hostPart.lowercased()
        if h.hasSuffix(".") { h.removeLast() }
        host = h
        hostIsIP = IPAddress.parse(h) != nil
        port = portNum ?? (scheme == "https" ? 443 : 80)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        rawPath = rest.isEmpty ? "/" : String(rest)
    }
}

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

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }
}
