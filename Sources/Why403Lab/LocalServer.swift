import Foundation
import Why403Core
import Why403Spawn

/// A real nginx or Apache httpd started on loopback for the lab, stopped with `stop()`.
///
/// The lab compares what why403 predicts from a configuration with what the real server answers,
/// so it starts the server the way an operator would, on a free 127.0.0.1 port, in a scratch prefix.
public final class LocalServer: @unchecked Sendable {
    /// Which server.
    public enum Kind: String, Sendable { case nginx, apache }

    /// Which server this is.
    public let kind: Kind
    /// The loopback port it listens on.
    public let port: Int
    /// The server's pid, which is also its process group (the workers are in it).
    private let pid: pid_t
    private let log: URL
    private var stopped = false

    private init(kind: Kind, port: Int, pid: pid_t, log: URL) {
        self.kind = kind
        self.port = port
        self.pid = pid
        self.log = log
    }

    /// The nginx binary, if installed.
    public static var nginxPath: String? { find("nginx") }
    /// The Apache httpd binary (Debian's apache2), if installed.
    public static var apachePath: String? { find("apache2") ?? find("httpd") }

    static func find(_ name: String) -> String? {
        for dir in ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"] {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Starts nginx with `config` (prefix `prefix`) and waits until `port` accepts connections.
    public static func nginx(config: String, prefix: String, port: Int) throws -> LocalServer {
        guard let bin = nginxPath else { throw InputError(file: nil, message: "nginx is not installed") }
        return try start(kind: .nginx, argv: [bin, "-p", prefix, "-c", config, "-g", "daemon off;"], port: port,
                         log: URL(fileURLWithPath: prefix + "/logs/error.log"), stderrPath: prefix + "/logs/stderr.log")
    }

    /// Starts Apache httpd with `config` in the foreground and waits until `port` accepts connections.
    public static func apache(config: String, serverRoot: String, port: Int) throws -> LocalServer {
        guard let bin = apachePath else { throw InputError(file: nil, message: "apache2 is not installed") }
        return try start(kind: .apache, argv: [bin, "-d", serverRoot, "-f", config, "-DFOREGROUND"], port: port,
                         log: URL(fileURLWithPath: serverRoot + "/error.log"), stderrPath: serverRoot + "/stderr.log")
    }

    /// Spawns the server in a process group of its own (see `Spawn`), stderr to a file, and waits until
    /// it listens.
    private static func start(kind: Kind, argv: [String], port: Int, log: URL, stderrPath: String) throws -> LocalServer {
        let pid: pid_t
        do {
            pid = try Spawn.start(argv, stderr: stderrPath, newProcessGroup: true)
        } catch {
            throw InputError(file: nil, message: "\(kind.rawValue) could not be started: \(error)")
        }
        let server = LocalServer(kind: kind, port: port, pid: pid, log: log)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Spawn.poll(pid) != nil {
                server.stopped = true
                let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                throw InputError(file: nil, message: "\(kind.rawValue) did not start: \(text.trimmingSpaces)")
            }
            if canConnect(port: port) { return server }
            usleep(20_000)
        }
        server.stop()
        throw InputError(file: nil, message: "\(kind.rawValue) did not listen on 127.0.0.1:\(port) within 10 s")
    }

    /// The server's error log as written so far.
    public var errorLog: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Stops the server and its workers (SIGTERM to the group, SIGKILL after 5 s) and reaps it.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        Spawn.wait(pid, timeout: 0, group: true)
        // Workers leave with their master; wait (bounded) until the port is free again.
        let freeBy = Date().addingTimeInterval(3)
        while LocalServer.canConnect(port: port) && Date() < freeBy { usleep(10_000) }
    }

    deinit { stop() }
    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return rc == 0
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
