import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403Apache
import Why403TestSupport

/// One request of a differential scenario: sent to the real httpd from 127.0.0.`ip`, and explained by
/// why403; the status must agree, the cause must be `cause`, and an AH code in httpd's error log must
/// be the primary finding's rule.
struct DiffRequest {
    var path: String
    var ip: Int
    var method = "GET"
    var headers: [String] = []
    var cause: Cause
    var host: String? = nil
    /// When true, `cause` is not compared (the status and the AH code are): the bypass variants.
    var statusOnly = false
    /// When true, curl sends a PROXY protocol v1 header (`--haproxy-protocol`, the source address is
    /// 127.0.0.`ip`) and why403 is given `--proxy-protocol 127.0.0.ip`. A connection httpd closes without
    /// an answer is status 0 on both sides (curl's 000, why403's nil).
    var proxyProtocol = false
    /// A PROXY header with this source address (not the connection's own), sent by
    /// `ProxyProtocolClient` instead of curl as HTTP/1.0; why403 gets `--proxy-protocol` with it.
    var proxyAddress: String? = nil
    /// The PROXY protocol version of that header: 1 (text) or 2 (binary).
    var proxyVersion: Int = 1
}

/// A differential scenario: a configuration body and a document tree made by the test.
struct DiffScenario {
    var name: String
    /// Configuration after the common part; `{ROOT}` is the scenario's directory.
    var conf: String
    /// Files under {ROOT}: relative path -> contents.
    var files: [String: String] = [:]
    /// Shell commands run in {ROOT} after the files are written (chmod, ln -s, chown).
    var setup: [String] = []
    var requests: [DiffRequest]
    /// Extra LoadModule lines.
    var modules: [String] = []
    /// Modules of `baseModules` this scenario does not load.
    var withoutModules: [String] = []
    /// Whether to hand the error log to why403 (ModSecurity).
    var giveLog = false
    /// Whether the common part denies the file-system root (`<Directory />` with `Require all denied`);
    /// off for a scenario that needs no `Require` anywhere (AH01627).
    var rootDenied = true
    /// Whether the common part says `AllowOverride None` at `/`; off for a scenario where no
    /// `AllowOverride` is set anywhere (httpd 2.4's default, None).
    var rootOverride = true
}

/// Runs scenarios against a real Apache httpd started from a temporary ServerRoot on loopback.
enum ApacheHarness {
    /// Runs `scenarios` (only the one `WHY403_APACHE_SCENARIO` names, when set) against the real httpd,
    /// prints a line per disagreement and fails the test on any; returns how many scenarios and requests ran.
    static func runAll(_ scenarios: [DiffScenario], label: String, file: StaticString = #filePath,
                       line: UInt = #line) throws -> (scenarios: Int, requests: Int, filtered: Bool) {
        let apache = try RealTools.require("apache2")
        _ = try RealTools.require("curl")
        let only = ProcessInfo.processInfo.environment["WHY403_APACHE_SCENARIO"]
        let list = scenarios.filter { only == nil || $0.name == only }
        var total = 0
        var failures: [Failure] = []
        for s in list {
            let (n, f) = try run(s, apache: apache)
            total += n
            failures += f
        }
        print("\(label): \(list.count) scenarios, \(total) requests, \(failures.count) disagreements")
        for f in failures { print("  DISAGREE \(f)") }
        XCTAssertTrue(failures.isEmpty, failures.map(\.description).joined(separator: "\n"), file: file, line: line)
        return (list.count, total, only != nil)
    }

    static let moduleDir = "/usr/lib/apache2/modules"
    static let baseModules = ["mpm_prefork", "authz_core", "authz_host", "authz_user", "authz_groupfile", "authn_core",
                              "authn_file", "auth_basic", "access_compat", "alias", "dir", "autoindex", "rewrite",
                              "setenvif", "env", "userdir"]

    static func config(root: String, port: Int, scenario: DiffScenario) -> String {
        var s = """
        ServerRoot "\(root)"
        Listen 127.0.0.1:\(port)
        PidFile \(root)/httpd.pid
        ErrorLog \(root)/error.log
        LogLevel warn
        DefaultRuntimeDir \(root)
        User www-data
        Group www-data
        ServerName localhost

        """
        for m in baseModules.filter({ !scenario.withoutModules.contains($0) }) + scenario.modules {
            s += "LoadModule \(m)_module \(moduleDir)/mod_\(m).so\n"
        }
        s += """
        DocumentRoot "\(root)/www"
        <Directory />
        \(scenario.rootOverride ? "    AllowOverride None\n" : "")\(scenario.rootDenied ? "    Require all denied\n" : "")</Directory>

        """
        s += scenario.conf.replacingOccurrences(of: "{ROOT}", with: root)
        return s
    }

    struct Failure: CustomStringConvertible {
        var scenario: String
        var request: String
        var detail: String
        var description: String { "[\(scenario)] \(request): \(detail)" }
    }

    /// Runs one scenario; returns the number of requests compared and the disagreements.
    static func run(_ scenario: DiffScenario, apache: String) throws -> (count: Int, failures: [Failure]) {
        let dir = try TemporaryDirectory(prefix: "why403-apache-\(scenario.name)")
        defer { dir.remove() }
        let root = dir.path
        try FileManager.default.createDirectory(atPath: root + "/www", withIntermediateDirectories: true)
        for (path, text) in scenario.files {
            try dir.write(path, text.replacingOccurrences(of: "{ROOT}", with: root))
        }
        _ = sh("chmod -R a+rX \(root)/www")
        for cmd in scenario.setup {
            let r = sh("cd \(root) && " + cmd.replacingOccurrences(of: "{ROOT}", with: root) + " 2>&1")
            if r.status != 0 { XCTFail("setup '\(cmd)' failed: \(r.output)") }
        }
        let port = RealTools.freePort()
        let confPath = root + "/httpd.conf"
        try config(root: root, port: port, scenario: scenario).write(toFile: confPath, atomically: true, encoding: .utf8)
        // The daemon keeps its inherited descriptors: redirect them, or reading its output never ends.
        let start = sh("\(apache) -f \(confPath) -k start >\(root)/start.log 2>&1 </dev/null")
        guard start.status == 0 else {
            let log = (try? String(contentsOfFile: root + "/start.log", encoding: .utf8)) ?? ""
            return (0, [Failure(scenario: scenario.name, request: "start", detail: "apache2 did not start: \(log)")])
        }
        defer {
            _ = sh("\(apache) -f \(confPath) -k stop >/dev/null 2>&1 </dev/null")
            var n = 0
            while FileManager.default.fileExists(atPath: root + "/httpd.pid") && n < 200 { usleep(20_000); n += 1 }
        }
        // Wait until it answers.
        var up = false
        for _ in 0..<250 {
            let r = sh("/usr/bin/curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:\(port)/")
            if r.output != "000" && !r.output.isEmpty { up = true; break }
            usleep(20_000)
        }
        guard up else { return (0, [Failure(scenario: scenario.name, request: "start", detail: "apache2 never answered")]) }
        let logPath = root + "/error.log"
        var failures: [Failure] = []
        var count = 0
        for rq in scenario.requests {
            let before = (try? String(contentsOfFile: logPath, encoding: .utf8))?.utf8.count ?? 0
            let clientIP = "127.0.0.\(rq.ip)"
            // --path-as-is: the path as written (curl resolves /./ and /../); HEAD with -I (with -X HEAD curl
            // waits for the body the headers announce).
            var args = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--path-as-is", "--interface", clientIP]
                + (rq.method == "HEAD" ? ["-I"] : ["-X", rq.method])
            for h in rq.headers { args += ["-H", h] }
            if let host = rq.host { args += ["-H", "Host: \(host)"] }
            if rq.proxyProtocol { args.append("--haproxy-protocol") }
            args.append("http://127.0.0.1:\(port)\(rq.path)")
            let real: Int
            if let pa = rq.proxyAddress {
                real = ProxyProtocolClient.status(from: clientIP, proxyAddress: pa, port: port, method: rq.method, path: rq.path,
                                                  headers: rq.headers + ["Host: \(rq.host ?? "127.0.0.1:\(port)")"], version: rq.proxyVersion)
            } else {
                let r = sh("/usr/bin/curl " + args.map(quote).joined(separator: " "))
                real = Int(r.output) ?? -1
            }
            // Let httpd flush its error log line.
            usleep(30_000)
            let logText = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let newLog = String(logText.utf8.dropFirst(before)) ?? ""
            let logged = loggedCodes(newLog)
            count += 1
            let label = "\(rq.method) \(rq.path) from \(clientIP) \(rq.headers)"
            do {
                var headers = rq.headers.map { h -> (name: String, value: String) in
                    let c = h.firstIndex(of: ":")!
                    return (String(h[..<c]), String(h[h.index(after: c)...]).trimmingCharacters(in: .whitespaces))
                }
                if let host = rq.host { headers.append((name: "Host", value: host)) }
                let request = try Request(method: rq.method, url: "http://127.0.0.1:\(port)\(rq.path)",
                                                headers: headers, clientIP: clientIP)
                var input = ApacheAnalyzer.Input(
                    configPath: confPath, request: request, fileSystem: LiveFileSystem(),
                    logPath: scenario.giveLog ? logPath : nil)
                if rq.proxyProtocol { input.proxyProtocol = IPAddress(clientIP) }
                if let pa = rq.proxyAddress { input.proxyProtocol = IPAddress(pa) }
                let report = try ApacheAnalyzer.analyze(input)
                if (report.verdict.status ?? 0) != real {
                    failures.append(Failure(scenario: scenario.name, request: label,
                                            detail: "httpd answered \(real), why403 predicts \(report.verdict.status.map(String.init) ?? "nil") (\(report.verdict.cause.rawValue)); log: \(newLog.prefix(300)); findings: \(report.findings.map(\.summary))"))
                    continue
                }
                if !rq.statusOnly, report.verdict.cause != rq.cause {
                    failures.append(Failure(scenario: scenario.name, request: label,
                                            detail: "cause \(report.verdict.cause.rawValue), expected \(rq.cause.rawValue); findings: \(report.findings.map(\.summary))"))
                    continue
                }
                // Every AH code (or ModSecurity rule id) httpd logged at error level for this request;
                // a 403's primary finding must name one of them, a 401's when it names any.
                let status = report.verdict.status ?? 0
                let rule = report.findings.first?.rule
                if !logged.isEmpty && (status == 403 || (status == 401 && rule != nil)) {
                    if rule == nil || !logged.contains(rule!) {
                        failures.append(Failure(scenario: scenario.name, request: label,
                                                detail: "httpd logged \(logged.sorted()), why403's finding says \(rule ?? "nil"): \(newLog.prefix(300))"))
                    }
                }
            } catch {
                failures.append(Failure(scenario: scenario.name, request: label, detail: "why403 threw \(error)"))
            }
        }
        return (count, failures)
    }

    /// Runs a shell command with popen/pclose (Foundation's Process lost track of children here when
    /// httpd daemonized), returning its exit status and standard output.
    static func sh(_ command: String) -> (status: Int32, output: String) {
        guard let f = popen(command, "r") else { return (-1, "") }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        let status = pclose(f)
        return ((status >> 8) & 0xFF, String(decoding: out, as: UTF8.self))
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The `AH01234` codes of error-level lines (ModSecurity denials give their rule id instead).
    static func loggedCodes(_ text: String) -> Set<String> {
        var out = Set<String>()
        for line in text.split(separator: "\n") {
            if line.contains("ModSecurity: Access denied"), let r = line.range(of: "[id \"") {
                out.insert(String(line[r.upperBound...].prefix { $0 != "\"" }))
                continue
            }
            guard line.contains(":error]") || line.contains(":crit]") || line.contains(":alert]") else { continue }
            if line.contains("ModSecurity: Warning") { continue }
            var rest = line[...]
            while let r = rest.range(of: "AH") {
                let code = rest[r.lowerBound...].prefix(7)
                if code.count == 7 && code.dropFirst(2).allSatisfy(\.isNumber) { out.insert(String(code)) }
                rest = rest[r.upperBound...]
            }
        }
        return out
    }
}
