import Why403Core

/// Header fields in order, names compared case-insensitively.
public struct HeaderList: Sendable, Equatable, Sequence {
    public var entries: [Header]

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public init(_ entries: [Header] = []) { self.entries = entries }
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

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func append(_ name: String, _ value: String) { entries.append(Header(name: name, value: value)) }

    public func makeIterator() -> IndexingIterator<[Header]> { entries.makeIterator() }
}

/// One response as why403 saw it: from a live probe, a raw `curl -si` capture, a `curl -v`
/// transcript or a HAR entry. The request side is what was sent, when known.
public struct CapturedResponse: Sendable, Equatable {
    public var url: String?
    public var method: String?
    public var requestHeaders: HeaderList
    public var httpVersion: String?
    public var status: Int
    public var reason: String?
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
