import Why403Core
import Why403FileSystem

/// The request as httpd's simulation reads it: a view over Core's `Request` with httpd's names
/// (`r->hostname`, `r->uri` still encoded, `r->args`), the method upper-cased as httpd compares it.
struct ApacheRequest {
    let request: Request

    init(_ request: Request) {
        self.request = request
        self.host = request.hostName
    }

    /// `http` or `https`.
    var scheme: String { request.target.scheme }
    /// The host the request names (the `Host` header's, else the URL's), lower-case, without the port.
    /// Stored: server selection compares it with every ServerName and ServerAlias.
    let host: String
    /// The port the request arrives on.
    var port: Int { request.target.port }
    /// The URL path, still percent-encoded.
    var rawPath: String { request.target.path }
    /// The query string without `?`, or nil.
    var query: String? { request.target.query }
    /// The method, upper-case.
    var method: String { request.method.uppercased() }
    /// The URL as given (scheme added).
    var url: String { request.url }
    /// The client address given, or nil (then 127.0.0.1 is assumed and address rules are at most `likely`).
    var clientIP: String? { request.clientIP }
    /// The value of a header: repeated fields combined with ", " as httpd merges them (apr_table_mergen).
    func header(_ name: String) -> String? { request.header(name) }
    /// The address rules are evaluated against.
    var effectiveClientIP: String { clientIP ?? "127.0.0.1" }
}

extension ApacheAnalyzer {
/// What `ApacheAnalyzer` needs: the configuration, the request, and the filesystem to read.
public struct Input: Sendable {
    /// The main configuration file (`/etc/apache2/apache2.conf`, an `httpd.conf`).
    public var configPath: String
    /// The request to explain (no client address: address rules are evaluated for 127.0.0.1, at most `likely`).
    public var request: Request
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
    /// The source address a PROXY protocol header carries (`--proxy-protocol ADDR`); nil: the connection
    /// sends none. The request's `clientAddress` stays the TCP peer.
    public var proxyProtocol: IPAddress? = nil

    /// The input of one analysis.
    public init(configPath: String, request: Request, fileSystem: any FileSystemView, logPath: String? = nil,
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
}
