import Foundation
import XCTest
import Why403Core
import Why403Spawn

/// Where the test fixtures live: `Tests/Fixtures` of this checkout.
public enum Fixtures {
    public static let root: URL = {
        // Sources/Why403TestSupport/TestSupport.swift -> package root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures")
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    public static func string(_ relative: String) throws -> String {
        String(decoding: try data(relative), as: UTF8.self)
    }
}

/// A fresh directory under the system's temporary folder, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(prefix: String = "why403-test") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // Readable and searchable by everyone, so a server's worker user can walk into it.
        chmod(url.path, 0o755)
    }

    @discardableResult
    public func write(_ relative: String, _ text: String, mode: Int? = nil) throws -> URL {
        let u = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: u)
        if let mode { chmod(u.path, mode_t(mode)) }
        return u
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The result of running a program.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs programs for tests: the built `why403`, and the real servers.
public enum Run {
    /// Runs `argv` with posix_spawn (Why403Spawn) and waits at most `timeout` seconds (then stops it),
    /// stdin from /dev/null, stdout and stderr to `log` (nil: /dev/null). For programs that daemonize
    /// (nginx): their children would hold a pipe open forever, and Foundation's `Process` misses the
    /// parent's exit when waited for from an async test. Returns the exit status.
    @discardableResult
    public static func detached(_ argv: [String], log: String? = nil, timeout: TimeInterval = 120) throws -> Int32 {
        Spawn.wait(try Spawn.start(argv, stdout: log, mergeStderr: log != nil), timeout: timeout)
    }

    /// The directory with the built products (`.build/debug`).
    public static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Runs the built `why403` with `arguments`.
    public static func why403(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                              timeout: TimeInterval = 60) throws -> ProcessResult {
        let exe = productsDirectory.appendingPathComponent("why403").path
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        return try program(exe, arguments, stdin: stdin, environment: env, timeout: timeout)
    }

    /// Runs a program and waits for it, killing it after `timeout` seconds (see `Spawn` for why not Process).
    public static func program(_ path: String, _ arguments: [String], stdin: Data? = nil,
                               environment: [String: String]? = nil, timeout: TimeInterval = 60) throws -> ProcessResult {
        let base = NSTemporaryDirectory() + "why403-run-\(UUID().uuidString.prefix(8))"
        let files = [base + ".in", base + ".out", base + ".err"]
        FileManager.default.createFile(atPath: files[0], contents: stdin ?? Data())
        defer { for f in files { try? FileManager.default.removeItem(atPath: f) } }
        let pid = try Spawn.start([path] + arguments, environment: environment, stdin: files[0], stdout: files[1],
                                  stderr: files[2])
        let code = Spawn.wait(pid, timeout: timeout)
        let outData = FileManager.default.contents(atPath: files[1]) ?? Data()
        let errData = FileManager.default.contents(atPath: files[2]) ?? Data()
        return ProcessResult(status: code, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a shell command line (for test setup: users, ACLs, servers).
    @discardableResult
    public static func shell(_ command: String, timeout: TimeInterval = 60) throws -> ProcessResult {
        try program("/bin/sh", ["-c", command], timeout: timeout)
    }
}

/// Finding the real servers and tools the differential tests need.
public enum RealTools {
    /// True under CI (`CI=true`): a missing server is then a failure, not a skip.
    public static var isCI: Bool {
        let v = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return v == "true" || v == "1"
    }

    /// The path of `name` in PATH, /usr/sbin or /sbin; fails under CI and skips elsewhere when absent.
    public static func require(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        if let path = find(name) { return path }
        let message = "\(name) is not installed (apt-get install the package that has it; .ci/run does)"
        if isCI {
            XCTFail(message, file: file, line: line)
            throw XCTSkip("failed: " + message)
        }
        throw XCTSkip(message)
    }

    public static func find(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/local/sbin:/usr/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
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
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// Decodes a report printed with `--format json`.
public func decodeReport(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> Report {
    do {
        return try JSONDecoder().decode(Report.self, from: Data(json.utf8))
    } catch {
        XCTFail("not a report-v1 object: \(error)\n\(json.prefix(2000))", file: file, line: line)
        throw error
    }
}

/// A long-running program started by a test (a server in the foreground), in a process group of its
/// own; `stop()` ends it and its workers. See `Spawn` for why not Foundation's Process.
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    private var stopped = false

    public init(_ path: String, _ arguments: [String], stderr: String? = nil) throws {
        pid = try Spawn.start([path] + arguments, stderr: stderr, newProcessGroup: true)
    }

    /// True while the program runs.
    public var isRunning: Bool { !stopped && Spawn.poll(pid) == nil }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        Spawn.wait(pid, timeout: 0, group: true)
    }

    deinit { stop() }
}
