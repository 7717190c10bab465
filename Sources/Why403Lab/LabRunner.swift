import Foundation
import Why403Core
import Why403FileSystem
import Why403Nginx
import Why403Apache
import Why403Response
import Why403Diagnose
import Why403Token
import Why403S3
import Why403Probe
import Why403ModSecurity
import Why403Logs
import Why403Cloudflare
import Why403AWSWAF

/// What one scenario gave: why403's report, and what the real server answered when it could be asked.
public struct LabResult: Sendable {
    /// The scenario.
    public var scenario: LabScenario
    /// why403's report for it.
    public var report: Report
    /// The status the real server answered (nil when it was not started).
    public var observed: Int?
    /// The lines the real server wrote to its error log for this request.
    public var serverLog: [String]
    /// Why the real server was not asked, when it was not.
    public var skipped: String?

    /// The prediction is the expected status and cause (the edge scenarios: and the printed patch lets
    /// the request through).
    public var explained: Bool {
        report.verdict.status == scenario.expectedStatus && report.verdict.cause == scenario.expectedCause
            && (!scenario.isEdge || (patchedFile != nil && patchedStatus.map { !RefusalStatus.contains($0) } ?? true))
    }

    /// What the real server answered once the printed fix was applied (the ModSecurity scenario, whose
    /// fix is an exclusion the real Apache must accept).
    public var observedAfterFix: Int? = nil

    /// The command that explains the scenario from its files in the scenario folder (kept with
    /// `why403 lab --keep`); nil for the scenarios that have none.
    public var command: String? = nil

    /// The export with the printed fix's JSON patch applied (the edge scenarios), written next to it.
    public var patchedFile: String? = nil
    /// The status the patched rules answer the same request (nil: let through, or no patch).
    public var patchedStatus: Int? = nil

    /// The real server answered what why403 predicted, and (where the fix was tried) let the request
    /// through after it; nil when it was not asked.
    public var agrees: Bool? {
        observed.map { $0 == report.verdict.status && (observedAfterFix.map { !RefusalStatus.contains($0) } ?? true) }
    }
}

/// Runs the lab: builds each scenario in a scratch folder, explains it with the analyser of its layer,
/// and where nginx or Apache httpd is installed, starts the real server on loopback, sends the request,
/// and records what it answered and logged.
public struct LabRunner: Sendable {
    /// Where scenario folders are built.
    public var directory: String
    /// Whether real nginx and Apache are started to compare.
    public var startServers: Bool
    /// What the analysers read.
    public var fileSystem: any FileSystemView
    /// How requests to the real servers are sent.
    public var transport: any HTTPTransport

    /// A runner.
    public init(directory: String, startServers: Bool = true, fileSystem: any FileSystemView = LiveFileSystem(),
                transport: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.directory = directory
        self.startServers = startServers
        self.fileSystem = fileSystem
        self.transport = transport
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// Builds, explains and (where servers are started) compares every scenario, calling `each` as each finishes.
    public func run(_ scenarios: [LabScenario] = LabScenario.all,
                    progress: @Sendable (LabResult) -> Void = { _ in }) async throws -> [LabResult] {
        var results: [LabResult] = []
        for scenario in scenarios {
            let result = try await run(scenario)
            progress(result)
            results.append(result)
        }
        return results
    }

    /// One scenario.
    public func run(_ scenario: LabScenario) async throws -> LabResult {
        let dir = directory + "/" + scenario.id
        let port = LocalServer.freePort()
        try materialize(scenario, in: dir, port: port)
        switch scenario.kind {
        case .nginx: return try await runNginx(scenario, dir: dir, port: port)
        case .apache: return try await runApache(scenario, dir: dir, port: port)
        case .response:
            let path = dir + "/" + scenario.request
            let bytes = try fileSystem.read(path, limit: 1 << 20)
            return LabResult(scenario: scenario, report: try ResponseAnalyzer.analyze(.init(bytes: bytes, file: path)),
                             observed: nil, serverLog: [], skipped: nil)
        case .token:
            let report = try await TokenAnalyzer().analyze(TokenAnalyzer.Input(
                token: LabRunner.labToken(), requiredScopes: scenario.arguments["scope"].map { [$0] } ?? [],
                now: LabRunner.labNow))
            return LabResult(scenario: scenario, report: report, observed: nil, serverLog: [], skipped: nil)
        case .modsecurity:
            return try await runModSecurity(scenario, dir: dir, port: port)
        case .s3:
            let a = scenario.arguments
            let input = try S3Analyzer.Input(
                principal: try Principal.parse(a["principal"] ?? "*"), action: a["action"] ?? "",
                resource: a["resource"] ?? "", context: try a["context"].map { [try S3Analyzer.Input.contextPair($0)] } ?? [],
                bucketPolicy: try PolicyParser.load(path: dir + "/" + scenario.request, kind: .bucket))
            return LabResult(scenario: scenario, report: S3Analyzer.analyze(input), observed: nil, serverLog: [], skipped: nil)
        case .logs:
            // Files or directories, expanded as `why403 logs` expands its arguments.
            let expansion = try LogPaths.expand(scenario.request.split(separator: " ").map { dir + "/" + $0 })
            var input = LogsAnalyzer.Input(paths: expansion.paths, statuses: [scenario.expectedStatus])
            input.listed = expansion.listed
            var result = LabResult(scenario: scenario, report: try LogsAnalyzer().analyze(input), observed: nil, serverLog: [], skipped: nil)
            result.command = scenario.command(in: dir)
            return result
        case .cloudflare, .awsWAF:
            let report = try edgeReport(scenario, dir: dir)
            var result = LabResult(scenario: scenario, report: report, observed: nil, serverLog: [], skipped: nil)
            result.command = scenario.command(in: dir)
            (result.patchedFile, result.patchedStatus) = try checkPatch(report, scenario, dir: dir)
            return result
        }
    }

    // MARK: the edge's rules

    /// The edge scenarios: the exported rules read from the scenario folder, as `why403 cloudflare` and
    /// `why403 aws-waf` read them (`LabScenario.command(in:)` prints that command), and the request.
    func edgeReport(_ s: LabScenario, dir: String, replacing: [String: String] = [:]) throws -> Report {
        let a = s.arguments
        var request = try Request(method: a["method"] ?? "GET", url: a["url"] ?? "",
                                  headers: s.headers.map { (name: $0.0, value: $0.1) }, clientIP: s.clientIP)
        if let d = a["data"] { request.body = Array(try fileSystem.read(dir + "/" + d, limit: 1 << 20)) }
        func path(_ name: Substring) -> String { replacing[dir + "/" + name] ?? dir + "/" + name }
        if s.kind == .cloudflare {
            var rulesets: [Ruleset] = []
            let files = s.request.split(separator: " ").map(path)
            for f in files {
                rulesets += try RulesReader.read(text: String(decoding: try fileSystem.read(f, limit: 1 << 22), as: UTF8.self), file: f)
            }
            return try CloudflareAnalyzer.analyze(.init(rulesets: rulesets, files: files, request: request))
        }
        return try AWSWAFAnalyzer.analyze(.init(
            webACL: try WAFReader.webACL(path: path(Substring(s.request))),
            ipSets: try a["ip-set"].map { [try WAFReader.ipSet(path: path(Substring($0)))] } ?? [],
            request: request))
    }

    /// The first fix's JSON patch applied to the export it names, written next to it as
    /// `NAME.fixed.json`, and the request explained again with it: the patched file and the status
    /// the patched rules answer (nil: let through). (nil, nil) when the fix has no patch.
    func checkPatch(_ report: Report, _ s: LabScenario, dir: String) throws -> (String?, Int?) {
        guard let text = report.findings.first?.fixes.first?.patch, let target = JSONPatch.target(text),
              let ops = JSONPatch.extract(text) else { return (nil, nil) }
        let original = try JSONSerialization.jsonObject(with: Data(try fileSystem.read(target, limit: 1 << 22)))
        let patched = try JSONPatch.apply(ops, to: original)
        let fixed = (target.hasSuffix(".json") ? String(target.dropLast(5)) : target) + ".fixed.json"
        try JSONSerialization.data(withJSONObject: patched, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            .write(to: URL(fileURLWithPath: fixed))
        return (fixed, try edgeReport(s, dir: dir, replacing: [target: fixed]).verdict.status)
    }

    // MARK: nginx and Apache

    func runNginx(_ s: LabScenario, dir: String, port: Int) async throws -> LabResult {
        let url = "http://127.0.0.1:\(port)\(s.request)"
        let request = try s.request(url: url)
        let report = try NginxAnalyzer.analyze(NginxAnalyzer.Input(
            config: .file(dir + "/nginx.conf"), request: request, fileSystem: fileSystem, prefix: dir))
        guard let why = skipReason(s, binary: LocalServer.nginxPath, name: "nginx") else {
            let server = try LocalServer.nginx(config: dir + "/nginx.conf", prefix: dir, port: port)
            defer { server.stop() }
            let before = server.errorLog.count
            let (diagnosed, observed) = try await diagnose(url, s)
            return LabResult(scenario: s, report: diagnosed, observed: observed,
                             serverLog: newLines(server.errorLog, after: before), skipped: nil)
        }
        return LabResult(scenario: s, report: report, observed: nil, serverLog: [], skipped: why)
    }

    func runApache(_ s: LabScenario, dir: String, port: Int) async throws -> LabResult {
        let url = "http://127.0.0.1:\(port)\(s.request)"
        let request = try s.request(url: url)
        let report = try ApacheAnalyzer.analyze(ApacheAnalyzer.Input(
            configPath: dir + "/httpd.conf", request: request, fileSystem: fileSystem))
        guard let why = skipReason(s, binary: LocalServer.apachePath, name: "apache2") else {
            let server = try LocalServer.apache(config: dir + "/httpd.conf", serverRoot: dir, port: port)
            defer { server.stop() }
            let before = server.errorLog.count
            let (diagnosed, observed) = try await diagnose(url, s)
            // Apache writes its error log after the response: give it a moment.
            try? await Task.sleep(nanoseconds: 150_000_000)
            return LabResult(scenario: s, report: diagnosed, observed: observed,
                             serverLog: newLines(server.errorLog, after: before), skipped: nil)
        }
        return LabResult(scenario: s, report: report, observed: nil, serverLog: [], skipped: why)
    }

    /// Why a scenario cannot run on this machine at all (the ModSecurity one needs libmodsecurity 3 and
    /// the CRS, which the project opens at run time and never needs to build); nil when it can.
    public func unavailable(_ s: LabScenario) -> String? {
        guard s.kind == .modsecurity else { return nil }
        do { _ = try ModSecurityLibrary.load() } catch {
            return "libmodsecurity 3 is not installed (apt-get install libmodsecurity3 modsecurity-crs)"
        }
        if Self.crs == nil { return "the OWASP CRS is not installed (apt-get install modsecurity-crs)" }
        return nil
    }

    static let crs = CRSInstallation.find(read: { try? String(contentsOfFile: $0, encoding: .utf8) })

    /// The CRS false positive: explained by the engine; where Apache with mod_security2 is installed,
    /// the real server answers the request, then answers it again with the printed exclusion included.
    func runModSecurity(_ s: LabScenario, dir: String, port: Int) async throws -> LabResult {
        let url = "http://127.0.0.1:\(port)\(s.request)"
        let request = try s.request(url: url).adding("Host", "shop.test")
        let report = try ModSecurityAnalyzer.analyze(.init(request: request, rules: .file(dir + "/modsec.conf")))
        var result = LabResult(scenario: s, report: report, observed: nil, serverLog: [], skipped: nil)
        let module = "/usr/lib/apache2/modules/mod_security2.so"
        if let why = skipReason(s, binary: LocalServer.apachePath, name: "apache2") {
            result.skipped = why
            return result
        }
        guard FileManager.default.fileExists(atPath: module) else {
            result.skipped = "mod_security2 is not installed (apt-get install libapache2-mod-security2)"
            return result
        }
        do {
            let server = try LocalServer.apache(config: dir + "/httpd.conf", serverRoot: dir, port: port)
            let before = server.errorLog.count
            result.observed = await fetch(url, headers: s.headers)
            try? await Task.sleep(nanoseconds: 150_000_000)
            result.serverLog = newLines(server.errorLog, after: before).filter { $0.contains("ModSecurity") }
            server.stop()
        }
        // The fix as printed, included before the rules as the fix says; the same request again.
        if let patch = report.findings.first?.fixes.first?.patch {
            try Data(patch.utf8).write(to: URL(fileURLWithPath: dir + "/exclusion.conf"))
            let conf = try String(contentsOfFile: dir + "/httpd.conf", encoding: .utf8)
                .replacingOccurrences(of: "Include \(dir)/modsec.conf", with: "Include \(dir)/exclusion.conf\nInclude \(dir)/modsec.conf")
            try Data(conf.utf8).write(to: URL(fileURLWithPath: dir + "/httpd-fixed.conf"))
            let fixedPort = LocalServer.freePort()
            try Data(conf.replacingOccurrences(of: "Listen 127.0.0.1:\(port)", with: "Listen 127.0.0.1:\(fixedPort)").utf8)
                .write(to: URL(fileURLWithPath: dir + "/httpd-fixed-run.conf"))
            let fixed = try LocalServer.apache(config: dir + "/httpd-fixed-run.conf", serverRoot: dir, port: fixedPort)
            defer { fixed.stop() }
            result.observedAfterFix = await fetch("http://127.0.0.1:\(fixedPort)\(s.request)", headers: s.headers)
        }
        return result
    }

    /// Nil when the real server can be asked; else why not.
    func skipReason(_ s: LabScenario, binary: String?, name: String) -> String? {
        if !startServers { return "real servers not started (--no-servers)" }
        if binary == nil { return "\(name) is not installed: the prediction was not compared with the real server" }
        if s.needsRoot && !LabRunner.isRoot { return "file modes are checked as www-data, which needs root to reproduce" }
        return nil
    }

    /// With the real server running, the lab asks as a user would: `why403 diagnose URL` with no flags,
    /// which must find the server (from /proc) and its configuration by itself. The report is
    /// diagnose's; the status is what the server answered.
    func diagnose(_ url: String, _ s: LabScenario) async throws -> (Report, Int?) {
        let (report, _) = try await DiagnoseAnalyzer.analyze(DiagnoseAnalyzer.Input(
            url: url, headers: s.headers.map { (name: $0.0, value: $0.1) } + [(name: "Host", value: "shop.test")],
            transport: transport, fileSystem: fileSystem, options: TransportOptions(connectTimeout: 3, totalTimeout: 10)))
        let observed = report.subject.extra["server"] == nil ? await fetch(url, headers: s.headers) : report.verdict.status
        return (report, observed)
    }

    func fetch(_ url: String, headers: [(String, String)]) async -> Int? {
        var list = HeaderList()
        for (n, v) in headers { list.append(n, v) }
        list.append("Host", "shop.test")
        let result = await transport.send(ProbeRequest(url: url, method: "GET", headers: list),
                                          options: TransportOptions(connectTimeout: 3, totalTimeout: 10))
        return result.response?.status
    }

    func newLines(_ log: String, after offset: Int) -> [String] {
        let utf8 = Array(log.utf8)
        guard offset < utf8.count else { return [] }
        return String(decoding: utf8[offset...], as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { line in !["[notice]", "[info]", "[debug]", ":notice]", ":info]", ":debug]", ":trace"].contains { line.contains($0) } }
    }

    // MARK: files

    func materialize(_ s: LabScenario, in dir: String, port: Int) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: dir)
        for sub in s.isEdge ? [""] : ["", "/logs", "/tmp", "/www"] {
            try fm.createDirectory(atPath: dir + sub, withIntermediateDirectories: true)
            chmod(dir + sub, 0o755)
        }
        let userLine: String
        switch s.kind {
        // As root the servers switch to www-data, as in production. Otherwise they keep the caller's user,
        // so the user line is left out, except where the scenario is about www-data's file access: that
        // one is explained (as www-data) but not started.
        case .nginx: userLine = LabRunner.isRoot || s.needsRoot ? "user www-data;" : ""
        case .apache: userLine = LabRunner.isRoot || s.needsRoot ? "User www-data\nGroup www-data" : ""
        default: userLine = ""
        }
        for d in s.directories {
            try fm.createDirectory(atPath: dir + "/" + d.path, withIntermediateDirectories: true)
        }
        for f in s.files {
            let path = dir + "/" + f.path
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var raw = f.text
            if raw.contains("{{MODSEC}}") {
                raw = raw.replacingOccurrences(of: "{{MODSEC}}", with: Self.crs.map { RuleSource.crs($0, paranoia: 1).configuration() }
                                               ?? "# the OWASP CRS is not installed (apt-get install modsecurity-crs)\n")
            }
            let text = raw.replacingOccurrences(of: "{{DIR}}", with: dir)
                .replacingOccurrences(of: "{{PORT}}", with: String(port))
                .replacingOccurrences(of: "{{USER}}", with: userLine)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, mode_t(f.mode))
        }
        for d in s.directories { chmod(dir + "/" + d.path, mode_t(d.mode)) }
    }

    // MARK: the token scenario

    /// A fixed clock for the token scenario: 2026-11-29 09:00 UTC.
    static let labNow: Double = 1_795_856_400

    /// An HS256 token (signature not checked without --jwks) issued at `labNow` - 600 s, expiring in an hour.
    static func labToken() -> String {
        func b64(_ s: String) -> String {
            Data(s.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let iat = Int(labNow) - 600
        let claims = #"{"iss":"https://id.shop.example/","sub":"user-42","aud":"https://api.shop.example","#
            + #""scope":"read:profile write:profile","iat":\#(iat),"exp":\#(iat + 3600)}"#
        return b64(header) + "." + b64(claims) + "." + b64("lab-signature-not-checked")
    }
}
