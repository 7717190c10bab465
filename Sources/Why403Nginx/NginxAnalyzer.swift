import Why403Core
import Why403FileSystem

/// White-box nginx: what a configuration, on a filesystem, answers to one request, and why.
///
/// It parses the configuration (includes, `nginx -T` dumps), picks the server block and location as
/// nginx does, runs the rewrite, access and content phases, and checks static files as the worker
/// user of the `user` directive through `PathWalk`. Findings name the deciding directive (file:line)
/// and carry a config patch or filesystem commands. A finding is `certain` when the configuration and
/// the filesystem prove it; rate limits and upstream decisions are `possible`. Follows the nginx
/// documentation of ngx_http_core_module, ngx_http_rewrite_module, ngx_http_access_module,
/// ngx_http_auth_basic_module, ngx_http_index_module, ngx_http_autoindex_module and ngx_http_static_module.
public enum NginxAnalyzer {
    /// Where the configuration comes from.
    public enum ConfigInput: Sendable {
        /// A main configuration file (it and its includes read through the input's file system).
        case file(String)
        /// The output of `nginx -T` (`name` is what error messages call it, `-` for stdin).
        case dump(String, name: String)
        /// A configuration's text, as if read from `path` (includes read through the input's file system).
        case text(String, path: String)
    }

    /// Everything one analysis needs; the filesystem is injected.
    public struct Input: Sendable {
        /// The configuration.
        public var config: ConfigInput
        /// The request (no client address: nginx's `$remote_addr` is taken as 127.0.0.1).
        public var request: Request
        /// The filesystem nginx serves from.
        public var fileSystem: any FileSystemView
        /// nginx's prefix (`-p`): relative `root` paths start here. Debian's nginx uses /usr/share/nginx.
        public var prefix: String
        /// The source address a PROXY protocol header carries (`--proxy-protocol ADDR`); nil: the
        /// connection sends none. The request's `clientAddress` stays the TCP peer.
        public var proxyProtocol: IPAddress?

        /// An input; `prefix` defaults to Debian's /usr/share/nginx.
        public init(config: ConfigInput, request: Request, fileSystem: any FileSystemView, prefix: String = "/usr/share/nginx",
                    proxyProtocol: IPAddress? = nil) {
            self.config = config
            self.request = request
            self.fileSystem = fileSystem
            self.prefix = prefix
            self.proxyProtocol = proxyProtocol
        }
    }

    /// Parses a configuration input, reading files (and includes) through `fileSystem`; an
    /// `InputError` in nginx's words when malformed.
    public static func parse(_ config: ConfigInput, fileSystem: any FileSystemView = LiveFileSystem()) throws -> NginxConfig {
        let source = FileSystemConfigSource(fileSystem)
        let parsed: NginxConfig
        switch config {
        case .file(let path): parsed = try Parser.parse(path: path, source: source)
        case .dump(let text, let name): parsed = try Parser.parse(dump: text, name: name)
        case .text(let text, let path): parsed = try Parser.parse(text: text, path: path, source: source)
        }
        try ValueCheck.check(parsed)
        return parsed
    }

    /// Analyses the request; throws `InputError` for a malformed configuration or URL.
    public static func analyze(_ input: Input) throws -> Report {
        let config = try parse(input.config, fileSystem: input.fileSystem)
        return try analyze(config: config, input: input)
    }

    /// Analyses the request against an already parsed configuration.
    public static func analyze(config: NginxConfig, input: Input) throws -> Report {
        let sim = try Simulation(config: config, request: input.request, fs: input.fileSystem, prefix: input.prefix,
                                 proxyProtocol: input.proxyProtocol)
        let result = try sim.run()
        var notes: [String] = []
        notes.append("path: " + result.trail.map { "\($0.source) \($0.text)" }.joined(separator: " → "))
        if let l = result.location { notes.append("redirect to \(l)") }
        notes += result.notes
        let configName: String
        switch input.config {
        case .file(let p): configName = p
        case .dump(_, let name): configName = name
        case .text(_, let p): configName = p
        }
        var findings = result.findings
        if var first = findings.first, first.details == nil {
            first.details = ["server": .string(sim.server.location.description),
                             "location": .string(sim.chain.last(where: { $0.name == "location" })?.location.description ?? "")]
            findings[0] = first
        }
        let subject = Subject(kind: .nginx, url: input.request.url, method: input.request.method,
                              clientIP: sim.peerAddress.description, config: configName)
        return Report(subject: subject, status: result.status, findings: findings, answeredBy: .nginx, notes: notes)
    }
}
