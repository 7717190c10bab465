import ArgumentParser
import Foundation
import Why403Core
import Why403FileSystem
import Why403Nginx

/// `why403 nginx URL --config FILE` (cli-v1): what this nginx configuration, on this machine's
/// filesystem, answers to the request, and why (server block, location, rule, file, file:line).
struct NginxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nginx",
        abstract: "Explain what an nginx configuration answers to a request, and why, from its configuration and files.",
        discussion: """
        White box: parses the configuration (includes resolved as nginx does, or the output of 'nginx -T' \
        with --config -), picks the server block and the location as nginx does, runs the rewrite, access \
        and content phases, and checks the files on this machine as the worker user of the 'user' directive. \
        Nothing is changed: fixes are printed as patches and commands.
        """)

    @Argument(help: "The URL (its host and port pick the server block; a URL without a scheme is taken as http://).")
    var url: String

    @Option(name: .long, help: ArgumentHelp("The main configuration file, or - to read the output of 'nginx -T' from stdin.", valueName: "file"))
    var config: String

    @Option(name: .long, help: ArgumentHelp("nginx's prefix (-p): relative root paths start here.", valueName: "dir"))
    var prefix: String = "/usr/share/nginx"

    @Option(name: .long, help: ArgumentHelp("The source address the PROXY protocol header carries (the connection still comes from --client-ip, the proxy).", valueName: "addr"))
    var proxyProtocol: String?

    @OptionGroup var request: RequestOptions

    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
    }

    func run() async throws {
        let input: NginxAnalyzer.ConfigInput
        if config == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            input = .dump(String(decoding: data, as: UTF8.self), name: "-")
        } else {
            input = .file(config)
        }
        var req = try request.request(url: url)
        req.method = req.method.uppercased()
        let pp = try proxyProtocol.map { try IPAddress.parse($0, what: "--proxy-protocol's address") }
        let prefix = NginxPrefix.absolute(self.prefix)
        let report = try NginxAnalyzer.analyze(.init(config: input, request: req, fileSystem: LiveFileSystem(), prefix: prefix,
                                                      proxyProtocol: pp))
        output.emit(report, redactor: try request.redactor(url: url))
    }
}
