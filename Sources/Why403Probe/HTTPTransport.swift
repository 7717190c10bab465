import Why403Core
import Why403Response

/// One request the probe sends: what goes on the wire, before any redirect.
public struct ProbeRequest: Sendable, Equatable {
    /// Absolute URL with scheme (`http://` or `https://`).
    public var url: String
    /// The request method, upper-case (`GET`, `HEAD`, ...).
    public var method: String
    /// Header fields in order. `Authorization` and `Cookie` are never sent to another origin on a redirect.
    public var headers: HeaderList

    /// Creates a request.
    public init(url: String, method: String = "GET", headers: HeaderList = HeaderList()) {
        self.url = url
        self.method = method.uppercased()
        self.headers = headers
    }
}

/// A proxy the probe goes through: `http://host:port` (CONNECT for https) or `socks5://host:port`.
public enum ProxySetting: Sendable, Equatable {
    /// An HTTP proxy (CONNECT tunnel for TLS).
    case http(host: String, port: Int)
    /// A SOCKS5 proxy.
    case socks5(host: String, port: Int)

    /// Parses `http://host:port`, `socks5://host:port` (`socks5h://` accepted); throws `InputError` otherwise.
    public static func parse(_ text: String) throws -> ProxySetting {
        let lower = text.lowercased()
        let scheme: String
        let rest: Substring
        if let r = lower.range(of: "://") {
            scheme = String(lower[..<r.lowerBound])
            rest = text[text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: r.upperBound))...]
        } else {
            scheme = "http"
            rest = Substring(text)
        }
        var hostPort = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if let at = hostPort.lastIndex(of: "@") { hostPort = String(hostPort[hostPort.index(after: at)...]) }
        var host = hostPort
        var port: Int? = nil
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = String(hostPort[..<colon])
            port = Int(hostPort[hostPort.index(after: colon)...])
            if port == nil || !(1...65535).contains(port!) {
                throw InputError(file: nil, expected: "a proxy port between 1 and 65535", found: InputError.quote(Redactor().redact(text)))
            }
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw InputError(file: nil, expected: "a proxy URL 'http://HOST:PORT' or 'socks5://HOST:PORT'",
                             found: InputError.quote(Redactor().redact(text)))
        }
        switch scheme {
        case "http": return .http(host: host, port: port ?? 8080)
        case "socks5", "socks5h", "socks": return .socks5(host: host, port: port ?? 1080)
        default:
            throw InputError(file: nil, expected: "a proxy scheme 'http' or 'socks5'", found: InputError.quote(scheme),
                             help: "an https:// proxy is not supported; use http:// (CONNECT) or socks5://")
        }
    }
}

/// Limits and TLS/proxy settings of one probe. Defaults: 5 s to connect, 15 s in all, 1 MiB of body.
public struct TransportOptions: Sendable, Equatable {
    /// Seconds allowed to establish the TCP (and TLS) connection.
    public var connectTimeout: Double
    /// Seconds allowed for the whole exchange, body included; then the connection is closed.
    public var totalTimeout: Double
    /// Bytes of body kept; the rest is not read (the connection is closed).
    public var maxBody: Int
    /// Accept any TLS certificate. Only when the user asks (`--insecure`).
    public var insecure: Bool
    /// Proxy to go through, if any.
    public var proxy: ProxySetting?

    /// Creates options; see the property docs for the defaults.
    public init(connectTimeout: Double = 5, totalTimeout: Double = 15, maxBody: Int = 1 << 20, insecure: Bool = false,
                proxy: ProxySetting? = nil) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBody = maxBody
        self.insecure = insecure
        self.proxy = proxy
    }
}

/// Why an exchange did not complete normally.
public enum TransportFailure: Sendable, Equatable {
    /// Nothing listens at the address (ECONNREFUSED).
    case connectionRefused(String)
    /// The host name does not resolve.
    case dnsFailure(String)
    /// The connection was not established within the connect timeout.
    case connectTimeout
    /// TLS failed: certificate not trusted, handshake refused.
    case tlsFailure(String)
    /// The total time cap was reached (headers or body trickling, or a stalled server).
    case timedOut
    /// The server sent something that is not HTTP (bad status line, invalid chunking, ...).
    case invalidResponse(String)
    /// The server closed the connection before a complete response.
    case connectionClosed
    /// The proxy refused or failed.
    case proxyFailure(String)
    /// The URL cannot be requested.
    case invalidURL(String)
    /// Anything else, described.
    case other(String)

    /// Stable id for reports and tests (`connection-refused`, `timeout`, ...).
    public var id: String {
        switch self {
        case .connectionRefused: "connection-refused"
        case .dnsFailure: "dns-failure"
        case .connectTimeout: "connect-timeout"
        case .tlsFailure: "tls-failure"
        case .timedOut: "timeout"
        case .invalidResponse: "invalid-response"
        case .connectionClosed: "connection-closed"
        case .proxyFailure: "proxy-failure"
        case .invalidURL: "invalid-url"
        case .other: "transport-error"
        }
    }

    /// The detail the transport reported, if any.
    public var detail: String {
        switch self {
        case .connectionRefused(let s), .dnsFailure(let s), .tlsFailure(let s), .invalidResponse(let s),
             .proxyFailure(let s), .invalidURL(let s), .other(let s): s
        case .connectTimeout, .timedOut, .connectionClosed: ""
        }
    }
}

/// What one exchange produced: the response (possibly partial) and/or why it ended early.
public struct TransportResult: Sendable, Equatable {
    /// The response head and the body read so far; nil when no response head arrived.
    public var response: CapturedResponse?
    /// Why the exchange ended early; nil when it completed (a body cut at the cap is complete).
    public var failure: TransportFailure?
    /// The Content-Length the server declared, if any.
    public var declaredLength: Int64?

    /// Creates a result.
    public init(response: CapturedResponse?, failure: TransportFailure? = nil, declaredLength: Int64? = nil) {
        self.response = response
        self.failure = failure
        self.declaredLength = declaredLength
    }
}

/// Sends one HTTP request and returns what came back, within the limits of `options`. It never follows
/// redirects (the probe walks them itself) and never throws: every failure is a `TransportFailure`.
/// Injected so tests, `diagnose` and `lab` can replace it.
public protocol HTTPTransport: Sendable {
    /// Sends `request` once and returns the response or the failure.
    func send(_ request: ProbeRequest, options: TransportOptions) async -> TransportResult
}
