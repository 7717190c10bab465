import Why403Core
import Why403FileSystem

/// The request to explain: method, URL, headers and the client address the server sees.
public struct ApacheRequest: Sendable, Equatable {
    /// `http` or `https`.
    public var scheme: String
    /// The Host the request names (URL host, or a `Host:` header).
    public var host: String
    /// The port the request arrives on.
    public var port: Int
    /// The URL path, still percent-encoded.
    public var rawPath: String
    /// The query string without `?`, or nil.
    public var query: String?
    /// The method (`GET`).
    public var method: String
    /// Request headers, in order.
    public var headers: [HTTPHeaderField]
    /// The client address; nil when the user did not say (then 127.0.0.1 is assumed and address
    /// rules are at most `likely`).
    public var clientIP: String?
    /// The URL as given.
    public var url: String

    /// A request from a URL (`http://host:port/path?query`; no scheme means http).
    public init(url: String, method: String = "GET", headers: [HTTPHeaderField] = [], clientIP: String? = nil) throws {
        let full = url.contains("://") ? url : "http://" + url
        self.url = full
        guard let schemeEnd = full.range(of: "://") else {
            throw InputError(file: nil, expected: "a URL", found: InputError.quote(url))
        }
        scheme = String(full[..<schemeEnd.lowerBound]).lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw InputError(file: nil, expected: "an http or https URL", found: InputError.quote(url))
        }
        var rest = full[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<pathStart]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var pathAndQuery = String(rest[pathStart...])
        if pathAndQuery.isEmpty || pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
        if let q = pathAndQuery.firstIndex(of: "?") {
            query = String(pathAndQuery[pathAndQuery.index(after: q)...])
            rawPath = String(pathAndQuery[..<q])
        } else {
            query = nil
            rawPath = pathAndQuery
        }
        var h = String(authority)
        var p = scheme == "https" ? 443 : 80
        if h.hasPrefix("[") {
            if let close = h.firstIndex(of: "]") {
                let after = h[h.index(after: close)...]
                if after.hasPrefix(":") { p = Int(after.dropFirst()) ?? -1 }
                h = String(h[h.index(after: h.startIndex)..<close])
            }
        } else if let colon = h.lastIndex(of: ":") {
            p = Int(h[h.index(after: colon)...]) ?? -1
            h = String(h[..<colon])
        }
        guard !h.isEmpty, p > 0, p < 65536 else {
            throw InputError(file: nil, expected: "a URL with a host and a valid port", found: InputError.quote(url))
        }
        self.host = h.lowercased()
        self.port = p
        self.method = method.uppercased()
        self.headers = headers
        self.clientIP = clientIP
        if let hostHeader = headers.last(where: { $0.name.lowercased() == "host" })?.value {
            var v = hostHeader
            if let colon = v.lastIndex(of: ":"), !v.hasSuffix("]") { v = String(v[..<colon]) }
            self.host = v.lowercased()
        }
    }

    /// The value of a header (the last one of that name), or nil.
    public func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The address rules are evaluated against.
    var effectiveClientIP: String { clientIP ?? "127.0.0.1" }
}

/// One request header.
public struct HTTPHeaderField: Sendable, Equatable {
    /// The header name as given.
    public var name: String
    /// Its value.
    public var value: String
    /// A header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What `ApacheAnalyzer` needs: the configuration, the request, and the filesystem to read.
public struct ApacheAnalyzerInput: Sendable {
    /// The main configuration file (`/etc/apache2/apache2.conf`, an `httpd.conf`).
    public var configPath: String
    /// The request to explain.
    public var request: ApacheRequest
    /// Where configuration, `.htaccess`, htpasswd, logs and the document tree are read.
    public var fileSystem: any FileSystemView
    /// An error or audit log to read ModSecurity (and core) lines from; nil: the configured ErrorLog.
    public var logPath: String?
    /// `-D` parameters httpd would be started with.
    public var defines: [String]
    /// The variables of httpd's environment (Debian's `envvars` is read automatically).
    public var environment: [String: String]
    /// The httpd version `<IfVersion>` compares with.
    public var httpdVersion: String

    /// The input of one analysis.
    public init(configPath: String, request: ApacheRequest, fileSystem: any FileSystemView, logPath: String? = nil,
                defines: [String] = [], environment: [String: String] = [:], httpdVersion: String = "2.4.62") {
        self.configPath = configPath
        self.request = request
        self.fileSystem = fileSystem
        self.logPath = logPath
        self.defines = defines
        self.environment = environment
        self.httpdVersion = httpdVersion
    }
}
