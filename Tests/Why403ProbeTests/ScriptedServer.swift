import Foundation
import NIOCore
import NIOPosix

/// A raw TCP server on 127.0.0.1 for the probe's tests: it reads one request head, records it, and then
/// does what the route says, including what a hostile or broken server does (endless body, headers
/// trickling in, invalid chunking, a huge Content-Length, silence). Raw bytes, not NIOHTTP1, so it can
/// send what no well-behaved HTTP encoder would.
final class ScriptedServer: @unchecked Sendable {
    /// A request as the server received it.
    struct Received: Sendable {
        var method: String
        var target: String
        var headers: [(String, String)]
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// What to do with a request.
    enum Action: Sendable {
        /// Send these bytes, then close.
        case respond(String)
        /// Send a head, then body bytes forever (until the client goes away).
        case endless(head: String)
        /// Send `text` one byte every `intervalMs`, forever repeating its last byte after it ends.
        case trickle(String, intervalMs: Int64)
        /// Never answer.
        case silence
    }

    let port: Int
    private let channel: any Channel
    private let lock = NSLock()
    private var received: [Received] = []

    var requests: [Received] { lock.lock(); defer { lock.unlock() }; return received }

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    static func start(_ route: @escaping @Sendable (Received) -> Action) async throws -> ScriptedServer {
        let box = Box()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(route: route, record: { box.server?.record($0) }))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedServer(channel: channel, port: channel.localAddress?.port ?? 0)
        box.server = server
        return server
    }

    func stop() async { try? await channel.close() }

    func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }

    private func record(_ r: Received) { lock.lock(); received.append(r); lock.unlock() }

    private final class Box: @unchecked Sendable { weak var server: ScriptedServer? }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let route: @Sendable (Received) -> Action
        let record: @Sendable (Received) -> Void
        var buffer: [UInt8] = []
        var answered = false

        init(route: @escaping @Sendable (Received) -> Action, record: @escaping @Sendable (Received) -> Void) {
            self.route = route
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            var bytes = unwrapInboundIn(data)
            buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
            let text = String(decoding: buffer, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { return }
            answered = true
            let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
            let parts = lines[0].split(separator: " ")
            var headers: [(String, String)] = []
            for line in lines.dropFirst() {
                if let c = line.firstIndex(of: ":") {
                    headers.append((String(line[..<c]), line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)))
                }
            }
            let req = Received(method: parts.first.map(String.init) ?? "", target: parts.count > 1 ? String(parts[1]) : "",
                               headers: headers)
            record(req)
            let channel = context.channel
            switch route(req) {
            case .respond(let raw):
                channel.writeAndFlush(ByteBuffer(string: raw)).whenComplete { _ in channel.close(promise: nil) }
            case .endless(let head):
                channel.writeAndFlush(ByteBuffer(string: head), promise: nil)
                Self.pump(channel)
            case .trickle(let text, let ms):
                Self.drip(channel, Array(text.utf8), 0, .milliseconds(ms))
            case .silence:
                break
            }
        }

        static func pump(_ channel: any Channel) {
            let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 16_384)
            channel.writeAndFlush(chunk).whenSuccess { pump(channel) }
        }

        static func drip(_ channel: any Channel, _ bytes: [UInt8], _ i: Int, _ interval: TimeAmount) {
            guard channel.isActive else { return }
            let byte = i < bytes.count ? bytes[i] : (bytes.last ?? UInt8(ascii: "x"))
            channel.writeAndFlush(ByteBuffer(bytes: [byte])).whenComplete { result in
                guard case .success = result else { return }
                channel.eventLoop.scheduleTask(in: interval) { drip(channel, bytes, i + 1, interval) }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }
}

/// A raw HTTP/1.1 response with Connection: close and a Content-Length.
func rawResponse(_ status: Int, _ reason: String, headers: [(String, String)] = [], body: String = "") -> String {
    var s = "HTTP/1.1 \(status) \(reason)\r\n"
    for (n, v) in headers { s += "\(n): \(v)\r\n" }
    s += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    return s
}
