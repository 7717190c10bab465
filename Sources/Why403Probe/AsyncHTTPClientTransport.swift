import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Why403Core
import Why403Response

/// The live transport: AsyncHTTPClient, HTTP/1.1 and HTTP/2 (ALPN over TLS), optional proxy.
///
/// Each `send` uses its own `HTTPClient`, shut down afterwards, so a hostile server cannot leave a
/// poisoned connection behind for the next request, and closing the client is how the unread rest of a
/// body is discarded. AsyncHTTPClient's own redirect handling is off: the probe walks redirects itself
/// so that it can guarantee credentials never go to another origin.
public struct AsyncHTTPClientTransport: HTTPTransport {
    /// Creates the transport.
    public init() {}

    /// Sends `request` once within `options`' limits; never throws.
    public func send(_ request: ProbeRequest, options: TransportOptions) async -> TransportResult {
        guard let parsed = URL(string: request.url), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty else {
            return TransportResult(response: nil, failure: .invalidURL("expected an http:// or https:// URL with a host"))
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                configuration: Self.configuration(options))
        let state = ExchangeState()
        let total = max(0.05, options.totalTimeout)
        let outcome: Outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    try await Self.perform(request, on: client, options: options, into: state)
                    return .completed
                } catch {
                    return .failed(Self.classify(error))
                }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(total * 1_000_000_000))
                return .timedOut
            }
            let first = await group.next() ?? .timedOut
            group.cancelAll()
            if case .timedOut = first {
                // Closing the client fails whatever is still waiting on the connection.
                try? await client.shutdown()
            }
            for await _ in group {}
            return first
        }
        try? await client.shutdown()
        var (response, declared) = await state.snapshot(url: request.url, method: request.method,
                                                        requestHeaders: request.headers)
        if response != nil, case .completed = outcome { return TransportResult(response: response, declaredLength: declared) }
        switch outcome {
        case .completed:
            return TransportResult(response: response, declaredLength: declared)
        case .timedOut:
            return TransportResult(response: response, failure: .timedOut, declaredLength: declared)
        case .failed(let failure):
            // A body cut by a timeout we caused ourselves is still a timeout.
            if response != nil, case .other = failure { response?.bodyTruncated = true }
            return TransportResult(response: response, failure: failure, declaredLength: declared)
        }
    }

    enum Outcome: Sendable {
        case completed
        case timedOut
        case failed(TransportFailure)
    }

    static func configuration(_ options: TransportOptions) -> HTTPClient.Configuration {
        let connect = TimeAmount.milliseconds(Int64(max(0.05, options.connectTimeout) * 1000))
        var proxy: HTTPClient.Configuration.Proxy? = nil
        switch options.proxy {
        case .http(let host, let port): proxy = .server(host: host, port: port)
        case .socks5(let host, let port): proxy = .socksServer(host: host, port: port)
        case nil: break
        }
        var config = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                              timeout: .init(connect: connect), proxy: proxy)
        config.decompression = .disabled
        // Fail at once with the real error (refused, DNS) instead of retrying until the deadline.
        config.connectionPool.retryConnectionEstablishment = false
        if options.insecure {
            config.tlsConfiguration = .makeClientConfiguration()
            config.tlsConfiguration?.certificateVerification = .none
        }
        return config
    }

    static func perform(_ request: ProbeRequest, on client: HTTPClient, options: TransportOptions,
                        into state: ExchangeState) async throws {
        var req = HTTPClientRequest(url: request.url)
        req.method = HTTPMethod(rawValue: request.method)
        for h in request.headers { req.headers.add(name: h.name, value: h.value) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(max(0.05, options.totalTimeout) * 1000))
        let response = try await client.execute(req, deadline: deadline)
        var headers = HeaderList()
        for (name, value) in response.headers { headers.append(name, value) }
        let version = response.version.major == 2 ? "HTTP/2" : "HTTP/\(response.version.major).\(response.version.minor)"
        await state.setHead(status: Int(response.status.code), reason: response.status.reasonPhrase,
                            version: version, headers: headers)
        if request.method == "HEAD" { return }
        let cap = max(0, options.maxBody)
        for try await chunk in response.body {
            let truncated = await state.append(chunk, cap: cap)
            // INVARIANT: once the cap is reached nothing more is read; closing the client discards the rest.
            if truncated { return }
        }
    }

    /// Maps an error of AsyncHTTPClient / SwiftNIO / NIOSSL to a failure.
    ///
    /// NIOSSL and NIOPosix error types are not imported by this module (it would need two more package
    /// products for a type check), so TLS and resolver errors are recognised by their description.
    static func classify(_ error: any Error) -> TransportFailure {
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return .connectTimeout
            case .tlsHandshakeTimeout: return .tlsFailure("the TLS handshake timed out")
            case .deadlineExceeded, .readTimeout, .writeTimeout, .cancelled, .getConnectionFromPoolTimeout: return .timedOut
            case .remoteConnectionClosed: return .connectionClosed
            case .socksHandshakeTimeout, .httpProxyHandshakeTimeout, .invalidProxyResponse, .proxyAuthenticationRequired:
                return .proxyFailure(e.shortDescription)
            case .invalidURL, .emptyHost, .emptyScheme: return .invalidURL(e.shortDescription)
            default: return .other(e.shortDescription)
            }
        }
        if let e = error as? HTTPParserError { return .invalidResponse(String(describing: e)) }
        if let e = error as? IOError {
            if e.errnoCode == ECONNREFUSED { return .connectionRefused("connection refused (ECONNREFUSED)") }
            if e.errnoCode == ECONNRESET { return .connectionClosed }
        }
        if error is CancellationError { return .timedOut }
        let text = String(describing: error)
        let lower = text.lowercased()
        if lower.contains("connection refused") || lower.contains("connectionrefused") || lower.contains("econnrefused")
            || lower.contains("errno: 111") {
            return .connectionRefused("connection refused (ECONNREFUSED)")
        }
        if lower.contains("unknown(host") || lower.contains("dnsa") || lower.contains("getaddrinfo")
            || lower.contains("name or service not known") || lower.contains("nodename nor servname") {
            return .dnsFailure("the host name does not resolve")
        }
        if lower.contains("certificate") || lower.contains("ssl") || lower.contains("tls") || lower.contains("handshake") {
            return .tlsFailure(Self.tlsDetail(text))
        }
        if lower.contains("socks") || lower.contains("proxy") { return .proxyFailure(String(text.prefix(200))) }
        if lower.contains("uncleanshutdown") || lower.contains("eof") || lower.contains("closed") { return .connectionClosed }
        return .other(String(text.prefix(200)))
    }

    static func tlsDetail(_ text: String) -> String {
        let lower = text.lowercased()
        if lower.contains("self signed") || lower.contains("self-signed") { return "the certificate is self-signed and not trusted" }
        if lower.contains("certificate_verify_failed") || lower.contains("certificate verify failed")
            || lower.contains("unable to get local issuer") || lower.contains("handshakefailed") && lower.contains("certificate") {
            return "the certificate could not be verified (" + String(text.prefix(160)) + ")"
        }
        if lower.contains("hostname") || lower.contains("does not match") { return "the certificate does not match the host name" }
        return String(text.prefix(200))
    }
}

/// What arrived so far: the head and the body up to the cap (kept across a timeout).
actor ExchangeState {
    var status: Int?
    var reason: String?
    var version: String?
    var headers = HeaderList()
    var body: [UInt8] = []
    var truncated = false

    func setHead(status: Int, reason: String, version: String, headers: HeaderList) {
        self.status = status
        self.reason = reason
        self.version = version
        self.headers = headers
    }

    /// Appends what fits under `cap`; true once the cap is reached and the rest must be discarded.
    func append(_ buffer: ByteBuffer, cap: Int) -> Bool {
        let room = cap - body.count
        if buffer.readableBytes > room {
            if room > 0, let bytes = buffer.getBytes(at: buffer.readerIndex, length: room) { body += bytes }
            truncated = true
            return true
        }
        if let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) { body += bytes }
        return false
    }

    func snapshot(url: String, method: String, requestHeaders: HeaderList) -> (CapturedResponse?, Int64?) {
        guard let status else { return (nil, nil) }
        let declared = headers["content-length"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let r = CapturedResponse(url: url, method: method, requestHeaders: requestHeaders, httpVersion: version,
                                 status: status, reason: reason, headers: headers, body: body,
                                 bodyTruncated: truncated, origin: "probe")
        return (r, declared)
    }
}
