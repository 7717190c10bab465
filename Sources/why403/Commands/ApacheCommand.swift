import ArgumentParser
import Foundation
import Why403Core
import Why403FileSystem
import Why403Apache

/// `why403 apache URL --config FILE` (see ../shared/spec/cli-v1.md): what this Apache httpd
/// configuration, on this machine's filesystem, answers to one request, and why.
struct ApacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apache",
        abstract: "White box: what this Apache httpd configuration answers to a request, and why (.htaccess included).",
        discussion: """
            Reads the configuration as httpd does (Include/IncludeOptional, <IfModule>, <IfDefine>, \
            <IfVersion>, Define and ${VAR}; Debian's envvars when FILE is apache2.conf), picks the virtual \
            host from the URL's host and port, maps the URL (Alias, UserDir, DocumentRoot, mod_rewrite), merges \
            <Directory>, .htaccess (as AllowOverride permits), <Files>, <Location> and <If>, and decides as \
            mod_access_compat, mod_authz_core, Basic authentication, mod_rewrite, Options/DirectoryIndex and \
            the filesystem (as the configured User) would. With --log (or the configured ErrorLog) a 403 is \
            mapped to the ModSecurity rule that logged it. why403 only reads: fixes are printed, never run.
            """)

    @Argument(help: "The URL requested (no scheme means http://).")
    var url: String

    @Option(name: .long, help: "The main configuration file (e.g. /etc/apache2/apache2.conf).")
    var config: String

    @Option(name: .long, help: "An error or ModSecurity audit log to map a 403 to its rule (default: the configured ErrorLog).")
    var log: String?

    @Option(name: .customShort("D"), help: ArgumentHelp("A -D parameter httpd is started with (repeatable).", valueName: "name"))
    var defines: [String] = []

    @Option(name: .long, help: ArgumentHelp("The source address the PROXY protocol header carries (the connection still comes from --client-ip, the proxy).", valueName: "addr"))
    var proxyProtocol: String?

    @OptionGroup var request: RequestOptions
    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
        guard !config.isEmpty else { throw ValidationError("--config must name the main configuration file") }
    }

    func run() async throws {
        let req = try request.request(url: url)
        let configPath = config.hasPrefix("/") ? config
            : FileManager.default.currentDirectoryPath + "/" + config
        var input = ApacheAnalyzer.Input(
            configPath: configPath, request: req, fileSystem: LiveFileSystem(),
            logPath: log.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 },
            defines: defines)
        input.proxyProtocol = try proxyProtocol.map { try IPAddress.parse($0, what: "--proxy-protocol's address") }
        let report = try ApacheAnalyzer.analyze(input)
        output.emit(report, redactor: try request.redactor(url: url))
    }
}
