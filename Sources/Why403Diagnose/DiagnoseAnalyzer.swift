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
        /// The URL to probe (no scheme means http).
        public var url: String
        /// The request method.
        public var method: String
        /// Request headers, in order.
        public var headers: [(name: String, value: String)]
        /// A bearer token to send (to this origin only).
        public var bearer: String?
        /// The server's main configuration; nil: found from the Server header and the usual places.
        public var config: String?
        /// Error logs to read; nil: the usual places of the server found.
        public var logs: [String]?
        /// How the probe request is sent.
        public var transport: any HTTPTransport
        /// Where configurations, files and logs are read.
        public var fileSystem: any FileSystemView
        /// Time and size limits of the probe.
        public var options: TransportOptions
        /// The clock (seconds since 1970): logs are read from just before the request.
        public var now: @Sendable () -> Double
        /// Resolves a host name to its numeric addresses (the address the white box assumes the request came from).
        public var resolve: @Sendable (String) -> [String]

        /// An input; by default the live network, file system, clock and resolver.
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
    /// Probes the URL, explains it white-box where the server is local, and reads its log; returns the report and the redactor for the secrets sent.
    public static func analyze(_ input: DiagnoseAnalyzer.Input) async throws -> (report: Report, redactor: Redactor) {
        // The request, once: the probe sends it (adding the bearer token itself, redacted), and the white
        // box explains the same request with the token as the Authorization header the server saw.
        let sent = try Request(method: input.method, url: input.url, headers: input.headers)
        let started = input.now()
        let probe = try await ProbeAnalyzer.analyze(ProbeAnalyzer.Input(
            request: sent, bearer: input.bearer, options: input.options, transport: input.transport))
        var report = probe.report
        report.subject.kind = .diagnose
        let observed = probe.main.result.response?.status
        let finalURL = probe.main.finalURL
        guard let target = try? RequestTarget(url: finalURL), LocalHost.isLocal(target.host) else {
            report.notes += remoteAdvice(url: finalURL, serverHeader: probe.main.result.response?.headers["server"])
            return (report, probe.redactor)
        }

        let host = target.host
        let server = probe.main.result.response?.headers["server"]?.lowercased() ?? ""
        // The server that answered: the process listening on the URL's address and port, read from /proc.
        // Its configuration, prefix and defines are those it was started with; the distribution's files are
        // assumed only when nothing here listens (or --config names one).
        var kind: ServerKind
        var config: String
        var prefix: String? = nil, defines: [String] = [], environment: [String: String] = [:]
        if let given = input.config {
            guard let (k, c) = findConfig(given, serverHeader: server, fs: input.fileSystem) else { return (report, probe.redactor) }
            (kind, config) = (k, c)
            report.notes.append("configuration given with --config: \(given)")
        } else if let listener = ListeningServer.find(port: target.port, addresses: addresses(of: target, resolve: input.resolve),
                                                      in: input.fileSystem) {
            report.subject.extra["server"] = .object(["pid": .int(listener.pid), "executable": .string(listener.executable),
                                                      "arguments": .array(listener.arguments.map { .string($0) }),
                                                      "socket": .string(listener.socket)])
            let how = "pid \(listener.pid) (\(listener.executable)) listens on \(listener.socket), started as: \(listener.arguments.joined(separator: " "))"
            guard listener.kind != .other, let c = listener.config else {
                report.notes.append("\(how); why403 explains nginx and Apache httpd from their configuration, not this program: only the black-box diagnosis applies")
                return (report, probe.redactor)
            }
            kind = listener.kind == .nginx ? .nginx : .apache
            config = (listener.containerRoot ?? "") + c
            prefix = listener.prefix.map { (listener.containerRoot ?? "") + $0 }
            defines = listener.defines
            environment = listener.environment
            report.notes.append("found the server: \(how); its configuration is \(config)"
                                + (listener.containerRoot != nil ? " (a container: read through \(listener.containerRoot!))" : ""))
            report.notes += listener.caveats
        } else {
            guard let (k, c) = findConfig(nil, serverHeader: server, fs: input.fileSystem) else {
                report.notes.append("nothing was found listening on \(target.host):\(target.port) in /proc/net/tcp (not readable, or the server is in another network namespace), and no nginx or Apache configuration is in the usual places: pass --config FILE")
                return (report, probe.redactor)
            }
            (kind, config) = (k, c)
            report.notes.append("nothing was found listening on \(target.host):\(target.port) in /proc/net/tcp (not readable, or another network namespace): the distribution's configuration \(c) is assumed")
        }
        report.subject.config = config
        let clientIP = host.hasPrefix("127.") || host == "localhost" || host == "::1" ? "127.0.0.1"
            : (input.resolve(host).first ?? "127.0.0.1")
        var request = sent
        request.target = try RequestTarget(url: finalURL)
        request.clientAddress = IPAddress(clientIP)
        if let bearer = input.bearer { request = try request.adding("Authorization", "Bearer \(bearer)") }
        let whiteBox: Report
        do {
            switch kind {
            case .nginx:
                whiteBox = try NginxAnalyzer.analyze(NginxAnalyzer.Input(
                    config: .file(config), request: request, fileSystem: input.fileSystem,
                    prefix: prefix ?? "/usr/share/nginx"))
            case .apache:
                whiteBox = try ApacheAnalyzer.analyze(ApacheAnalyzer.Input(
                    configPath: config, request: request, fileSystem: input.fileSystem,
                    defines: defines, environment: environment))
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

        let configured = configuredLogs(kind, config: config, prefix: prefix, defines: defines,
                                        environment: environment, fs: input.fileSystem)
        let errorLogs = input.logs ?? (configured.errors.isEmpty ? defaultLogs(kind) : configured.errors).filter { input.fileSystem.info($0) != nil }
        // The access logs of that configuration, in the format it writes them (only those sharing the first's
        // format: one scan reads one access format), joined with the error lines by client and second.
        let accessLogs = input.logs == nil ? configured.access.filter { input.fileSystem.info($0.path) != nil } : []
        let accessFormat = accessLogs.first?.format
        let logs = errorLogs + accessLogs.filter { $0.format.name == accessFormat?.name }.map(\.path)
        if input.logs == nil, !logs.isEmpty {
            report.notes.append("logs of that configuration read for this request: \(logs.joined(separator: ", "))")
        }
        if !logs.isEmpty, let status = observed, RefusalStatus.contains(status) {
            do {
                let logReport = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: logs, statuses: [status],
                                                                     since: Int64(started) - 2, top: 5,
                                                                     format: accessFormat ?? .combined))
                for f in logReport.findings where f.cause != .none {
                    var x = f
                    x.summary = "\(kind.rawValue)'s log: " + x.summary
                    // The log reader's advice names the distribution's configuration; this server reads another.
                    let own = { (t: String) in
                        t.replacingAll("/etc/apache2/apache2.conf", with: config).replacingAll("/etc/nginx/nginx.conf", with: config)
                            .replacingAll("http://HOST", with: target.origin)
                    }
                    x.checks = x.checks?.map(own)
                    x.fixes = x.fixes.map { Fix(summary: own($0.summary), commands: $0.commands.map(own), patch: $0.patch) }
                    findings.append(x)
                }
                // Say whether the server's own words and the configuration's verdict agree.
                let logged = logReport.findings.filter { $0.cause != .none && $0.cause != .unknown }
                if let first = logged.first {
                    let predicted = whiteBox.verdict.cause
                    if logged.contains(where: { $0.cause == predicted }) {
                        report.notes.append("the error log agrees with the configuration: \(predicted.rawValue) (the log line is quoted in the finding)")
                    } else if predicted != .none {
                        report.notes.append("the error log says \(first.cause.rawValue) where the configuration predicts \(predicted.rawValue): trust the log for what happened, the configuration for where to fix it")
                    }
                } else if !logs.isEmpty {
                    report.notes.append("the error log has no line for this request (\(logs.joined(separator: ", "))): refusals that log nothing are `return 403`, RewriteRule [F] or the application")
                }
            } catch {
                report.notes.append("the error log could not be read: \((error as? InputError)?.message ?? "\(error)")")
            }
        }
        report.findings = findings
        return (report, probe.redactor)
    }

    enum ServerKind: String { case nginx, apache }

    /// The addresses a URL's host reaches: itself when it is an address, else what it resolves to.
    static func addresses(of target: RequestTarget, resolve: (String) -> [String]) -> [IPAddress] {
        if let a = IPAddress(target.host) { return [a] }
        if target.host == "localhost" { return [IPAddress("127.0.0.1")!, IPAddress("::1")!] }
        return resolve(target.host).compactMap { IPAddress($0) }
    }

    /// What to run on the server when it is not this machine.
    static func remoteAdvice(url: String, serverHeader: String?) -> [String] {
        let s = serverHeader?.lowercased() ?? ""
        var out = ["the server is not on this machine: only the black-box diagnosis applies; its configuration, files and logs are the missing evidence",
                   "on the server, run: why403 diagnose \(ShellWord.quote(url)) (it finds the server that listens and reads its configuration)"]
        if s.contains("nginx") { out.append("or: why403 nginx \(ShellWord.quote(url)) --config /etc/nginx/nginx.conf, and why403 logs /var/log/nginx/error.log /var/log/nginx/access.log") }
        if s.contains("apache") { out.append("or: why403 apache \(ShellWord.quote(url)) --config /etc/apache2/apache2.conf, and why403 logs /var/log/apache2/error.log /var/log/apache2/access.log") }
        return out
    }

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

    /// The logs a configuration writes: nginx's `error_log` and `access_log` (with its `log_format`) at
    /// every level, resolved against the prefix; Apache's `ErrorLog` and `CustomLog` (with its `LogFormat`
    /// nickname), against ServerRoot. Read so the lines for the request just sent come from where this
    /// server writes them. Empty lists when the configuration names none (the built-in defaults).
    static func configuredLogs(_ kind: ServerKind, config: String, prefix: String?, defines: [String],
                               environment: [String: String], fs: any FileSystemView)
        -> (errors: [String], access: [(path: String, format: AccessFormat)]) {
        var errors: [String] = [], access: [(path: String, format: AccessFormat)] = []
        switch kind {
        case .nginx:
            guard let parsed = try? NginxAnalyzer.parse(.file(config), fileSystem: fs) else { return ([], []) }
            let base = (prefix ?? "/usr/share/nginx/").hasSuffix("/") ? (prefix ?? "/usr/share/nginx/") : (prefix ?? "") + "/"
            let path = { (f: String) in f.hasPrefix("/") ? f : base + f }
            var formats: [String: String] = [:]
            var accessLines: [(String, String)] = []
            func walk(_ list: [Directive]) {
                for d in list {
                    if d.name == "log_format", d.args.count >= 2 {
                        formats[d.args[0]] = d.args.dropFirst().filter { !$0.hasPrefix("escape=") }.joined()
                    }
                    if d.name == "error_log", let f = d.args.first, f != "stderr", !f.hasPrefix("syslog:"), !f.hasPrefix("memory:") {
                        errors.append(path(f))
                    }
                    if d.name == "access_log", let f = d.args.first, f != "off", !f.hasPrefix("syslog:") {
                        accessLines.append((path(f), d.args.count > 1 ? d.args[1] : "combined"))
                    }
                    if let b = d.block { walk(b) }
                }
            }
            walk(parsed.expanded)
            for (p, name) in accessLines {
                if let f = name == "combined" ? .combined : formats[name].flatMap({ try? AccessFormat.parse($0) }) { access.append((p, f)) }
            }
        case .apache:
            var parser = ApacheConfigParser(fileSystem: fs, defines: defines, environment: environment)
            guard let parsed = try? parser.parse(mainFile: config) else { return ([], []) }
            let path = { (f: String) in f.hasPrefix("/") ? f : parsed.serverRoot + "/" + f }
            var formats: [String: String] = [:]
            var customs: [(String, String)] = []
            func walk(_ list: [ApacheDirective]) {
                for d in list {
                    if d.is("LogFormat"), d.args.count >= 2 { formats[d.args[1]] = d.args[0] }
                    if d.is("ErrorLog"), let f = d.args.first, !f.hasPrefix("|"), !f.hasPrefix("syslog") { errors.append(path(f)) }
                    if d.is("CustomLog"), d.args.count >= 2, !d.args[0].hasPrefix("|") { customs.append((path(d.args[0]), d.args[1])) }
                    if let c = d.children { walk(c) }
                }
            }
            walk(parsed.directives)
            for (p, spec) in customs {
                let fmt = formats[spec] ?? (spec.contains("%") ? spec : nil)
                if let f = fmt.flatMap({ try? AccessFormat.apache($0, name: spec) }) { access.append((p, f)) }
            }
        }
        var seen = Set<String>()
        return (errors.filter { seen.insert($0).inserted }, access.filter { seen.insert($0.path).inserted })
    }

    static func defaultLogs(_ kind: ServerKind) -> [String] {
        switch kind {
        case .nginx: ["/var/log/nginx/error.log"]
        case .apache: ["/var/log/apache2/error.log", "/var/log/httpd/error_log"]
        }
    }
}
