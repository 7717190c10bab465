import ArgumentParser
import Foundation
import Why403Core
import Why403Diagnose
import Why403Probe

/// `why403 diagnose URL`: the probe, and where the server runs on this machine, its configuration,
/// filesystem and logs, in one report.
struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Probe the URL and, where the server runs on this machine, explain it from its configuration, files and logs.")

    @Argument(help: "The URL (a URL without a scheme is taken as http://).")
    var url: String

    @OptionGroup var request: RequestOptions
    @OptionGroup var output: OutputOptions<ReportFormats>

    @Option(help: "The server's main configuration (default: found from the Server header and the usual places).")
    var config: String?

    @Option(help: "An error log to read (repeatable; default: the server's usual error log).")
    var log: [String] = []

    @Option(help: ArgumentHelp("A bearer token to send (never sent anywhere else).", valueName: "token"))
    var bearer: String?

    @Option(help: "Total time allowed for the request, in seconds.")
    var timeout: Double = 15

    @Flag(help: "Accept a TLS certificate that does not verify.")
    var insecure = false

    func validate() throws {
        try output.checkFormat()
        if request.clientIP != nil {
            throw ValidationError("--client-ip does not apply to diagnose: the request really goes out from this machine")
        }
    }

    func run() async throws {
        let headers = try request.parsedHeaders()
        let (report, redactor) = try await DiagnoseAnalyzer.analyze(DiagnoseAnalyzer.Input(
            url: url, method: request.method, headers: headers, bearer: bearer, config: config,
            logs: log.isEmpty ? nil : log,
            options: TransportOptions(totalTimeout: timeout, insecure: insecure)))
        var r = redactor
        if let bearer { r = r.adding(secret: bearer) }
        output.emit(report, redactor: r)
    }
}
