import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport
@testable import Why403Nginx

/// One request of a differential scenario: sent to the real nginx with curl from 127.0.0.`from`,
/// and resolved by why403; both must give the same status, and the cause must be `cause` and agree
/// with the reason nginx writes to its error log.
struct DiffRequest {
    var path: String
    var from: Int = 1
    var method: String = "GET"
    var headers: [String] = []
    var cause: Cause = .none
    /// When false, the error log is not used to check the cause (a reason that nginx logs but skips over).
    var logCheck: Bool = true
    /// When true, `cause` is not compared (the status is, and the cause with nginx's error log): the bypass variants.
    var statusOnly: Bool = false
    /// When true, curl sends a PROXY protocol v1 header (`--haproxy-protocol`: the source address is
    /// 127.0.0.`from`) and why403 is given the same address as `proxyProtocol`. A connection nginx closes
    /// without an answer is status 0 on both sides (curl's 000, why403's nil).
    var proxyProtocol: Bool = false
    /// A PROXY header with this source address (not the connection's own), sent by
    /// `ProxyProtocolClient` instead of curl as HTTP/1.0; why403 gets it as `proxyProtocol`.
    var proxyAddress: String? = nil
    /// The PROXY protocol version of that header: 1 (text) or 2 (binary).
    var proxyVersion: Int = 1
}

/// A configuration (the inside of `http { }`, with `@ROOT@`, `@PORT@`, `@PREFIX@` placeholders),
/// a filesystem made by `setup`, and requests.
struct DiffScenario {
    var name: String
    var user: String = DifferentialHarness.worker
    var http: String
    var setup: (String) throws -> Void = { _ in }
    var requests: [DiffRequest]
}

enum DifferentialHarness {
    static let worker = "why403w"
    static let group = "why403g"

    /// The test users and groups (tests run as root, here and in CI).
    static func makeUsers() throws {
        try sh("getent group \(group) >/dev/null || groupadd \(group)")
        try sh("id -u \(worker) >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin \(worker)")
        try sh("id -u why403other >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin why403other")
        try sh("usermod -a -G \(group) \(worker)")
    }

    /// Runs a shell command and waits for it (`Run.detached`: nginx daemonizes); its exit status.
    static func spawnShell(_ command: String) -> Int32 {
        (try? Run.detached(["/bin/sh", "-c", command])) ?? -1
    }

    @discardableResult
    static func sh(_ command: String) throws -> String {
        let r = try Run.shell(command)
        if r.status != 0 { throw InputError(file: nil, message: "setup command failed: \(command): \(r.stderr)") }
        return r.stdout
    }

    /// What nginx's error log says about the request, as the causes it can mean.
    static func causes(forLog log: String, status: Int) -> Set<Cause> {
        if log.contains("access forbidden by rule") { return [.accessIP, .accessDeny] }
        if log.contains("broken header") { return [.configError] }
        // A request line nginx refuses: a PROXY header on a socket without proxy_protocol (config.error), or the
        // client's own bad line (`%00`, a bad escape, `..` above the root: no cause, a 400).
        if log.contains("client sent invalid") { return [.configError, .none] }
        if log.contains("directory index of") { return [.indexMissing] }
        if log.contains("(13: Permission denied)") { return [.fsPermission] }
        if log.contains("Too many levels of symbolic links") { return [.fsSymlink] }
        // disable_symlinks on: a link in the middle of the path makes openat(O_NOFOLLOW|O_DIRECTORY) fail
        // with ENOTDIR (a 404); a plain file used as a directory gives the same line.
        if log.contains("openat()") && log.contains("(20: Not a directory)") { return [.fsSymlink, .none] }
        if log.contains("no user/password was provided") { return [.authMissing] }
        if log.contains("password mismatch") || log.contains("was not found in") { return [.authInvalid] }
        if status == 403 { return [.accessDeny, .accessIP, .hotlinkReferer, .botBlock] }  // `return 403` logs nothing
        return [.none]
    }

    /// Runs one scenario against the real nginx and why403; returns the number of requests compared.
    @discardableResult
    static func run(_ s: DiffScenario, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let nginx = try RealTools.require("nginx", file: file, line: line)
        _ = try RealTools.require("curl", file: file, line: line)
        try makeUsers()
        let dir = try TemporaryDirectory(prefix: "why403-nginx-\(s.name)")
        defer { dir.remove() }
        let root = dir.path + "/www"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o755)
        try s.setup(root)
        let port = RealTools.freePort()
        let body = s.http.replacingAll("@ROOT@", with: root).replacingAll("@PORT@", with: String(port))
            .replacingAll("@PREFIX@", with: dir.path)
        let conf = """
        user \(s.user);
        worker_processes 1;
        pid \(dir.path)/nginx.pid;
        error_log \(dir.path)/error.log info;
        events { worker_connections 64; }
        http {
            access_log off;
        \(body)
        }

        """
        try dir.write("nginx.conf", conf)
        // The daemonized master must not inherit our pipes (the read would never see EOF): output to a file.
        let args = "-p '\(dir.path)/' -c '\(dir.path)/nginx.conf' -e '\(dir.path)/startup.log'"
        let startStatus = spawnShell("'\(nginx)' \(args) </dev/null >'\(dir.path)/start.out' 2>&1")
        guard startStatus == 0 else {
            let out = (try? String(contentsOfFile: dir.path + "/start.out", encoding: .utf8)) ?? ""
            XCTFail("nginx did not start for \(s.name): \(out)\n\(conf)", file: file, line: line)
            return 0
        }
        defer {
            _ = spawnShell("'\(nginx)' \(args) -s stop </dev/null >/dev/null 2>&1")
            for _ in 0..<150 where FileManager.default.fileExists(atPath: dir.path + "/nginx.pid") { usleep(20_000) }
        }
        let logPath = dir.path + "/error.log"
        var compared = 0
        for r in s.requests {
            let before = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
            // --path-as-is: the path is sent as written (curl would resolve /./ and /../); HEAD with -I (with
            // -X HEAD curl waits for the body the headers announce).
            var args = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", "--interface", "127.0.0.\(r.from)",
                        "-A", "why403-test"] + (r.method == "HEAD" ? ["-I"] : ["-X", r.method])
            for h in r.headers { args += ["-H", h] }
            if r.proxyProtocol { args.append("--haproxy-protocol") }
            args.append("http://127.0.0.1:\(port)\(r.path)")
            let quoted = args.map { "'" + $0.replacingAll("'", with: "'\\''") + "'" }.joined(separator: " ")
            let realStatus: Int
            if let pa = r.proxyAddress {
                realStatus = ProxyProtocolClient.status(from: "127.0.0.\(r.from)", proxyAddress: pa, port: port, method: r.method, path: r.path,
                                                        headers: r.headers + ["Host: 127.0.0.1:\(port)", "User-Agent: why403-test"],
                                                        version: r.proxyVersion)
            } else {
                _ = spawnShell("/usr/bin/curl --max-time 20 \(quoted) </dev/null >'\(dir.path)/curl.out' 2>/dev/null")
                realStatus = Int((try? String(contentsOfFile: dir.path + "/curl.out", encoding: .utf8)) ?? "") ?? -1
            }
            usleep(30_000)  // let the worker flush the error log line
            let logData = FileManager.default.contents(atPath: logPath) ?? Data()
            let newLog = before < logData.count ? String(decoding: logData[before...], as: UTF8.self) : ""
            let headers = r.headers.compactMap { h -> (name: String, value: String)? in
                guard let colon = h.firstIndex(of: ":") else { return nil }
                return (String(h[..<colon]), h[h.index(after: colon)...].trimmingSpaces)
            } + (r.headers.contains { $0.lowercased().hasPrefix("user-agent:") } ? [] : [(name: "User-Agent", value: "why403-test")])
            let request = try Request(method: r.method, url: "http://127.0.0.1:\(port)\(r.path)", headers: headers,
                                       clientIP: "127.0.0.\(r.from)")
            let report = try NginxAnalyzer.analyze(.init(config: .file(dir.path + "/nginx.conf"), request: request,
                                                          fileSystem: LiveFileSystem(), prefix: dir.path,
                                                          proxyProtocol: r.proxyAddress.flatMap { IPAddress($0) } ?? (r.proxyProtocol ? IPAddress("127.0.0.\(r.from)") : nil)))
            let where_ = "\(s.name) \(r.method) \(r.path) from 127.0.0.\(r.from) \(r.headers)"
            XCTAssertEqual(report.verdict.status ?? 0, realStatus, "status: \(where_)\nlog: \(newLog)\n\(report.findings.map(\.summary))\n\(report.notes)", file: file, line: line)
            if !r.statusOnly { XCTAssertEqual(report.verdict.cause, r.cause, "cause: \(where_)\n\(report.findings.map(\.summary))\n\(report.notes)", file: file, line: line) }
            if r.logCheck {
                let logged = causes(forLog: newLog, status: realStatus)
                XCTAssertTrue(logged.contains(report.verdict.cause), "log reason \(logged) vs \(report.verdict.cause): \(where_)\nlog: \(newLog)", file: file, line: line)
            }
            if report.verdict.cause != .none {
                let f = report.findings.first
                XCTAssertFalse(f?.evidence.isEmpty ?? true, "no evidence: \(where_)", file: file, line: line)
            }
            compared += 1
        }
        DifferentialHarness.total.add(compared)
        return compared
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add(_ k: Int) { lock.lock(); n += k; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }
    static let total = Counter()
}
