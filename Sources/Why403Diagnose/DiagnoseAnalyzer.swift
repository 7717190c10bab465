import Foundation
import Why403Core
import Why403FileSystem
import Why403Probe
import Why403Response
import Why403Nginx
import Why403Apache
import Why403Logs

extension DiagnoseAnalyzer {
    /// What `why403 diagnose` is asked.
    public struct Input: Sendable {
        public var url: String
        public var method: String
        public var headers: [(name: String, value: String)]
        public var bearer: String?
        /// The server's main configuration; nil: found from the Server header and the usual places.
        public var config: String?
        /// Error logs to read; nil: the usual places of the server found.
        public var logs: [String]?
        public var transport: any HTTPTransport
        public var fileSystem: any FileSystemView
        public var options: TransportOptions
        /// The clock (seconds since 1970): logs are read from just before the request.
        public var now: @Sendable () -> Double
        /// Resolves a host name to its numeric addresses (the address the white box assumes the request came from).
        public var resolve: @Sendable (String) -> [String]

        public init(url: String, method: String = "GET", headers: [(name: String, value: String)] = [], bearer: String? = nil,
                    config: String? = nil, logs: [String]? = nil, transport: any HTTPTransport = AsyncHTTPClientTransport(),
                    fileSystem: any FileSystemView = LiveFileSystem(), options: TransportOptions = TransportOptions(),
                    now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                    resolve: @escaping @Sendable (String) -> [String] = LocalHost.resolve) {
            self.url = url
            self.method = method
            self.headers = headers
            self.bearer = bearer
            self.config = config
            self.logs = logs
            self.transport = transport
            self.fileSystem = fileSystem
            self.options = options
            self.now = now
            self.resolve = resolve
        }
    }
}

/// All of why403 that applies to one URL: the black-box probe, and where the server runs on this machine,
/// the white-box explanation from its configuration and filesystem, and what its error log said.
///
/// Deciding: when the configuration predicts the status the server answered, its findings (which name the
/// rule, file and line) lead and the probe's follow; when they disagree, the observed answer wins, the
/// configuration's findings are kept as `possible`, and a note says the running server may use another
/// configuration (a reload pending, another server block, a proxy in front).
public enum DiagnoseAnalyzer {
    public static func analyze(_ input: DiagnoseAnalyzer.Input) async throws -> (report: Report, redactor: Redactor) {
        var headers = HeaderList()
        for h in input.headers { headers.append(h.name, h.value) }
        let started = input.now()
        let probe = try await ProbeAnalyzer.analyze(ProbeAnalyzer.Input(
            url: input.url, method: input.method, headers: headers, bearer: input.bearer,
            options: input.options, transport: input.transport))
        var report = probe.report
        report.subject.kind = "diagnose"
        let observed = probe.main.result.response?.status
        let finalURL = probe.main.finalURL
        guard let target = try? RequestTarget(url: finalURL), LocalHost.isLocal(target.host) else {
            report.notes.append("the server is not on this machine: only the black-box diagnosis applies (run why403 nginx/apache on the server for the rule and line)")
            return (report, probe.redactor)
        }

        let server = probe.main.result.response?.headers["server"]?.lowercased() ?? ""
        guard let (kind, config) = findConfig(input.config, serverHeader: server, fs: input.fileSystem) else {
            report.notes.append("the server runs on this machine, but no nginx or Apache configuration was found: pass --config FILE")
            return (report, probe.redactor)
        }
        report.subject.config = config
        let host = target.host
        let clientIP = host.hasPrefix("127.") || host == "localhost" || host == "::1" ? "127.0.0.1"
            : (input.resolve(host).first ?? "127.0.0.1")
        // The request the server saw, once, for whichever white box applies.
        let request = try Request(method: input.method, url: finalURL,
                                  headers: input.headers + (input.bearer.map { [("Authorization", "Bearer \($0)")] } ?? []),
                                  clientIP: clientIP)
        let whiteBox: Report
        do {
            switch kind {
            case .nginx:
                whiteBox = try NginxAnalyzer.analyze(NginxAnalyzer.Input(
                    config: .file(config),
                    request: request,
                    fileSystem: input.fileSystem))
            case .apache:
                whiteBox = try ApacheAnalyzer.analyze(ApacheAnalyzer.Input(
                    configPath: config,
                    request: request,
                    fileSystem: input.fileSystem))
            }
        } catch let error as InputError {
            report.notes.append("the \(kind.rawValue) configuration \(config) could not be analysed: \(error.message)")
            return (report, probe.redactor)
        }

        var findings: [Finding]
        if observed == nil || observed == whiteBox.verdict.status {
            // The black box's "unknown, check these" is answered by the white box: keep only what it adds
            // (a CDN in front, a different layer).
            findings = whiteBox.findings + report.findings.filter { f in
                f.cause != .unknown && !whiteBox.findings.contains { $0.cause == f.cause && $0.layer == f.layer }
            }
            report.verdict = Verdict(status: observed ?? whiteBox.verdict.status, layer: whiteBox.verdict.layer,
                                     cause: whiteBox.verdict.cause)
            if let s = observed {
                report.notes.append("the server answered \(s), as its configuration \(config) predicts")
            }
        } else {
            findings = report.findings + whiteBox.findings.map { f in
                var x = f
                x.confidence = .possible
                return x
            }
            report.notes.append("the configuration \(config) predicts \(whiteBox.verdict.status.map(String.init) ?? "no status") but the server answered \(observed.map(String.init) ?? "nothing"): the running server may use another configuration (reload pending, another server block or port, a proxy in front)")
        }
        report.notes += whiteBox.notes

        let logs = input.logs ?? defaultLogs(kind).filter { input.fileSystem.info($0) != nil }
        if !logs.isEmpty, let status = observed, RefusalStatus.contains(status) {
            do {
                let logReport = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: logs, statuses: [status],
                                                                     since: Int64(started) - 2, top: 5))
                for f in logReport.findings where f.cause != .none {
                    var x = f
                    x.summary = "\(kind.rawValue)'s log: " + x.summary
                    findings.append(x)
                }
            } catch {
                report.notes.append("the error log could not be read: \((error as? InputError)?.message ?? "\(error)")")
            }
        }
        report.findings = findings
        return (report, probe.redactor)
    }

    enum ServerKind: String { case nginx, apache }

    static func findConfig(_ given: String?, serverHeader: String, fs: any FileSystemView) -> (ServerKind, String)? {
        if let given {
            let head = (try? fs.read(given, limit: 64 << 10)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let looksApache = head.contains("<VirtualHost") || head.contains("DocumentRoot") || head.contains("<Directory")
                || head.contains("ServerRoot") || given.contains("apache") || given.contains("httpd")
            return (looksApache ? .apache : .nginx, given)
        }
        let nginx = ["/etc/nginx/nginx.conf", "/usr/local/nginx/conf/nginx.conf", "/usr/local/etc/nginx/nginx.conf"]
        let apache = ["/etc/apache2/apache2.conf", "/etc/httpd/conf/httpd.conf", "/usr/local/apache2/conf/httpd.conf"]
        let order: [(ServerKind, [String])] = serverHeader.contains("apache") ? [(.apache, apache), (.nginx, nginx)]
            : [(.nginx, nginx), (.apache, apache)]
        for (kind, paths) in order {
            if let p = paths.first(where: { fs.info($0) != nil }) { return (kind, p) }
        }
        return nil
    }

    static func defaultLogs(_ kind: ServerKind) -> [String] {
        switch kind {
        case .nginx: ["/var/log/nginx/error.log"]
        case .apache: ["/var/log/apache2/error.log", "/var/log/httpd/error_log"]
        }
    }
}
