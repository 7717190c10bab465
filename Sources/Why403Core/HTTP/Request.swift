import HTTPTypes

/// The request every analyser explains: method, target, header fields, the client's address and a body.
///
/// Header fields are swift-http-types' `HTTPFields` (the type Hummingbird and AsyncHTTPClient speak):
/// ordered, names compared case-insensitively, repeated names kept. **The value of a header** is read
/// with `header(_:)`, which combines repeated fields as RFC 9110 §5.3 says (joined with ", ", and
/// "; " for Cookie) — what nginx (1.23+) and Apache do for their `$http_*` / `%{...}` lookups. Fields that
/// cannot be combined (`Host`, `Set-Cookie`) are read one by one with `headerValues(_:)`; a request with
/// two `Host` fields is refused with 400 by both servers.
///
/// The target is parsed once (`RequestTarget`); the raw path and query stay byte for byte as given.
/// `clientAddress` is the TCP peer (`--client-ip`); nil when the user did not say, and each analyser
/// states what it assumed then.
public struct Request: Sendable, Equatable {
    /// The method as given (`GET`, `POST`, ...; servers differ on lower-case methods).
    public var method: String
    /// The URL, parsed.
    public var target: RequestTarget
    /// The header fields, in order.
    public var headers: HTTPFields
    /// The address the connection comes from; nil when not stated.
    public var clientAddress: IPAddress?
    /// The body, nil for a request without one (no `Content-Length`).
    public var body: [UInt8]?

    /// A request from parts that are already parsed.
    public init(method: String = "GET", target: RequestTarget, headers: HTTPFields = HTTPFields(),
                clientAddress: IPAddress? = nil, body: [UInt8]? = nil) {
        self.method = method
        self.target = target
        self.headers = headers
        self.clientAddress = clientAddress
        self.body = body
    }

    /// A request from a URL (no scheme means http), `Name: value` pairs and an address in text.
    /// Throws an `InputError` for a malformed URL, a header name that is not an HTTP token, a method
    /// that is not a token, or an address that is not IPv4/IPv6.
    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                clientIP: String? = nil, body: [UInt8]? = nil) throws {
        guard !method.isEmpty, method.utf8.allSatisfy(Request.isTokenByte) else {
            throw InputError(file: nil, expected: "a method made of letters (GET, POST, ...)", found: InputError.quote(method))
        }
        var fields = HTTPFields()
        for h in headers { fields.append(try Request.field(name: h.name, value: h.value)) }
        self.init(method: method, target: try RequestTarget(url: url), headers: fields,
                  clientAddress: try clientIP.map { try IPAddress.parse($0, what: "a client address") }, body: body)
    }

    /// One header field; throws an `InputError` when the name is not an HTTP token (RFC 9110 §5.1).
    public static func field(name: String, value: String) throws -> HTTPField {
        guard let n = HTTPField.Name(name) else {
            throw InputError(file: nil, expected: "a header name made of letters, digits and !#$%&'*+-.^_`|~",
                             found: InputError.quote(name))
        }
        return HTTPField(name: n, value: value)
    }

    /// Parses one `-H 'Name: value'` argument. `Name:` alone is a header with an empty value (cli-v1,
    /// second edition: unlike curl, it does not remove a header).
    public static func parseHeaderLine(_ line: String) throws -> (name: String, value: String) {
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
            throw InputError(file: nil, expected: "a header 'Name: value'", found: InputError.quote(Redactor().redact(line)))
        }
        return (String(line[..<colon]).trimmingSpaces, String(line[line.index(after: colon)...]).trimmingSpaces)
    }

    /// The value of `name`: repeated fields combined as RFC 9110 §5.3 says; nil when absent.
    public func header(_ name: String) -> String? {
        guard let n = HTTPField.Name(name) else { return nil }
        return headers[n]
    }

    /// Every value of `name`, in order.
    public func headerValues(_ name: String) -> [String] {
        guard let n = HTTPField.Name(name) else { return [] }
        return headers[values: n]
    }

    /// The fields as `(name, value)` pairs in order, names as given.
    public var headerPairs: [(name: String, value: String)] {
        headers.map { ($0.name.rawName, $0.value) }
    }

    /// The host the request names: the first `Host` field's host (lower-case, port removed), else the URL's.
    public var hostName: String {
        if let h = headerValues("Host").first {
            return RequestTarget.splitHostPort(h.trimmingSpaces).host.lowercased()
        }
        return target.host
    }

    /// Headers a proxy adds to name the client it forwards for, in the order they are looked at.
    public static let proxyHeaderNames = ["X-Forwarded-For", "X-Real-IP", "Forwarded", "CF-Connecting-IP", "True-Client-IP"]

    /// The first proxy header the request carries (name and value), or nil: the request came through a
    /// proxy, so a server without realip/remoteip sees the proxy's address, not the client's.
    public var proxyHeader: (name: String, value: String)? {
        for name in Request.proxyHeaderNames { if let v = header(name) { return (name, v) } }
        return nil
    }

    /// The full URL (with the scheme default applied).
    public var url: String { target.url }

    /// The client address as text, or nil when not stated.
    public var clientIP: String? { clientAddress?.description }

    /// The same request with a header added at the end.
    public func adding(_ name: String, _ value: String) throws -> Request {
        var r = self
        r.headers.append(try Request.field(name: name, value: value))
        return r
    }

    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}
