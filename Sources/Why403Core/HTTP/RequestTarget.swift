/// The URL a request is for, parsed once: scheme, host, port, the raw path and the query.
///
/// The path and query are kept byte for byte as given (still percent-encoded, `..` and `//` not
/// resolved), because what each server does with them is what its simulator models. This is written
/// here rather than taken from Foundation's `URL`, which refuses or rewrites some of the raw targets
/// the simulators must see (`/a/..;/b`, `%2e`, a `#` in a HAR URL), and rather than from
/// swift-http-types, whose `HTTPRequest` carries the authority and path as strings but does not split them.
public struct RequestTarget: Sendable, Hashable {
    /// `http` or `https`, lower-case.
    public var scheme: String
    /// The host, lower-case, without brackets (IPv6) and without the port.
    public var host: String
    /// The port: the URL's, else the scheme's default.
    public var port: Int
    /// Whether the URL named the port.
    public var hasExplicitPort: Bool
    /// The path as given, percent-encoded; `/` when the URL has none.
    public var path: String
    /// The query without `?`, or nil.
    public var query: String?
    /// The URL, with `http://` added when it had no scheme.
    public var url: String

    /// A URL without a scheme is taken as `http://` (cli-v1): the one place where that default lives.
    public static func withDefaultScheme(_ raw: String) -> String {
        raw.contains("://") ? raw : "http://" + raw
    }

    /// Parses `http(s)://[user@]host[:port][/path][?query][#fragment]`; a URL without a scheme is http.
    /// Throws an `InputError` for another scheme, an empty host or a port that is not 1...65535.
    public init(url raw: String) throws {
        let full = RequestTarget.withDefaultScheme(raw.trimmingSpaces)
        url = full
        guard let sep = full.range(of: "://") else {
            throw InputError(file: nil, expected: "a URL 'http://host/path'", found: InputError.quote(raw))
        }
        scheme = full[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw InputError(file: nil, expected: "an http:// or https:// URL", found: InputError.quote(raw))
        }
        var rest = full[sep.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authEnd]
        rest = rest[authEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let split = RequestTarget.splitHostPort(authority)
        guard !split.host.isEmpty else {
            throw InputError(file: nil, expected: "a host in the URL", found: InputError.quote(raw))
        }
        var port = scheme == "https" ? 443 : 80
        if let p = split.port {
            guard let n = Int(p), n > 0, n < 65536, !p.hasPrefix("+") else {
                throw InputError(file: nil, expected: "a port number from 1 to 65535 after ':'", found: InputError.quote(p))
            }
            port = n
        }
        host = split.host.lowercased()
        self.port = port
        hasExplicitPort = split.port != nil
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        } else {
            query = nil
        }
        path = rest.isEmpty ? "/" : String(rest)
    }

    /// `host` and `port` of an authority or a `Host` header value (`[v6]:port`, `name:port`, `name`).
    /// The host keeps its case; the port is the text after the colon, unchecked.
    public static func splitHostPort(_ authority: some StringProtocol) -> (host: String, port: String?) {
        let a = String(authority)
        if a.hasPrefix("[") {
            guard let close = a.firstIndex(of: "]") else { return (a, nil) }
            let after = a[a.index(after: close)...]
            return (String(a[a.index(after: a.startIndex)..<close]), after.hasPrefix(":") ? String(after.dropFirst()) : nil)
        }
        if let colon = a.lastIndex(of: ":"), a.firstIndex(of: ":") == colon {
            return (String(a[..<colon]), String(a[a.index(after: colon)...]))
        }
        return (a, nil)
    }

    /// Whether the host is an IP literal rather than a name.
    public var hostIsIP: Bool { IPAddress(host) != nil }

    /// The path and query as in a request line (`/a/b?x=1`).
    public var requestURI: String { query.map { path + "?" + $0 } ?? path }

    /// `scheme://host[:port]` with the port shown only when it is not the scheme's default.
    public var origin: String {
        let h = host.contains(":") ? "[\(host)]" : host
        let isDefault = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        return isDefault ? "\(scheme)://\(h)" : "\(scheme)://\(h):\(port)"
    }
}
