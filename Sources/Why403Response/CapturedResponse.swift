import Why403Core

/// Header fields in order, names compared case-insensitively.
public struct HeaderList: Sendable, Equatable, Sequence {
    /// The fields in the order they came.
    public var entries: [Header]

    /// One header field.
    public struct Header: Sendable, Equatable {
        /// The name as written.
        public var name: String
        /// The value, trimmed.
        public var value: String
        /// A header field.
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// A list of the given fields.
    public init(_ entries: [Header] = []) { self.entries = entries }
    /// A list from name/value pairs.
    public init(_ pairs: [(String, String)]) { self.entries = pairs.map { Header(name: $0.0, value: $0.1) } }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        let lower = name.lowercased()
        return entries.first { $0.name.lowercased() == lower }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        let lower = name.lowercased()
        return entries.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    /// True when `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Adds a field at the end.
    public mutating func append(_ name: String, _ value: String) { entries.append(Header(name: name, value: value)) }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[Header]> { entries.makeIterator() }
}

/// One response as why403 saw it: from a live probe, a raw `curl -si` capture, a `curl -v`
/// transcript or a HAR entry. The request side is what was sent, when known.
public struct CapturedResponse: Sendable, Equatable {
    /// The request URL, when known.
    public var url: String?
    /// The request method, when known.
    public var method: String?
    /// The request's headers, when known (empty for a raw capture).
    public var requestHeaders: HeaderList
    /// `HTTP/1.1`, `HTTP/2`.
    public var httpVersion: String?
    /// The status code.
    public var status: Int
    /// The reason phrase, when one was sent.
    public var reason: String?
    /// The response's headers.
    public var headers: HeaderList
    /// The body as read, up to the cap.
    public var body: [UInt8]
    /// True when the body was longer than the cap and the rest was discarded.
    public var bodyTruncated: Bool
    /// Where it came from, for evidence: "probe", "FILE", "FILE entry 3".
    public var origin: String
    /// The line of `origin` where the body starts, when it came from a file (for `file:line` evidence).
    public var bodyStartLine: Int?

    /// A response; only `status` is required.
    public init(url: String? = nil, method: String? = nil, requestHeaders: HeaderList = HeaderList(),
                httpVersion: String? = nil, status: Int, reason: String? = nil, headers: HeaderList = HeaderList(),
                body: [UInt8] = [], bodyTruncated: Bool = false, origin: String = "response",
                bodyStartLine: Int? = nil) {
        self.url = url
        self.method = method
        self.requestHeaders = requestHeaders
        self.httpVersion = httpVersion
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.origin = origin
        self.bodyStartLine = bodyStartLine
    }

    /// The body as text (lossy UTF-8), for signature matching and quoting.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
