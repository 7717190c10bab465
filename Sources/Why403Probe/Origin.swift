import Foundation

/// The origin of a URL (RFC 6454): scheme, host and port, the default port filled in.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    /// Lower-case scheme.
    public var scheme: String
    /// Lower-case host.
    public var host: String
    /// Port, the scheme's default when the URL has none.
    public var port: Int

    /// The origin of `url`, or nil when it has no scheme or host.
    public init?(_ url: String) {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), let host = u.host?.lowercased(),
              !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = u.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
    }

    /// `scheme://host:port`.
    public var description: String { "\(scheme)://\(host):\(port)" }

    /// `scheme://host[:port]/`, the port shown only when not the default: what a browser sends as its own Referer.
    public var rootURL: String {
        let defaultPort = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        let h = host.contains(":") ? "[\(host)]" : host
        return defaultPort ? "\(scheme)://\(h)/" : "\(scheme)://\(h):\(port)/"
    }
}

/// URL helpers for the probe.
enum ProbeURL {
    /// `location` resolved against `base` (RFC 3986 reference resolution, done by Foundation).
    static func resolve(_ location: String, against base: String) -> String? {
        guard let b = URL(string: base) else { return nil }
        let trimmed = location.trimmingCharacters(in: .whitespaces)
        guard let u = URL(string: trimmed, relativeTo: b) ?? URL(string: trimmed.addingPercentEncoding(
            withAllowedCharacters: .urlFragmentAllowed.union(.urlQueryAllowed)) ?? "", relativeTo: b) else { return nil }
        let abs = u.absoluteURL
        guard let scheme = abs.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        return abs.absoluteString
    }

    /// The same URL with its path's trailing slash added or removed; nil for the root path.
    static func togglingTrailingSlash(_ url: String) -> String? {
        guard var c = URLComponents(string: url) else { return nil }
        let path = c.percentEncodedPath
        if path.isEmpty || path == "/" { return nil }
        c.percentEncodedPath = path.hasSuffix("/") ? String(path.dropLast()) : path + "/"
        return c.string
    }
}
