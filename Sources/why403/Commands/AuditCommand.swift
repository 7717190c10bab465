import ArgumentParser
import Foundation
import Why403Core
import Why403Diagnose
import Why403Render

extension Severity: ExpressibleByArgument {}

/// `why403 audit`: configuration and permission problems that cause (or would hide) 403s, for CI.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Prevention, for CI: configuration and permission problems that cause (or would hide) 403s.",
        discussion: """
        Exit status 1 when a finding is at or above --fail-on (default: error), 0 otherwise, 2 for bad input.
        --format sarif writes SARIF 2.1.0 for code-scanning tools.
        --bypass URL simulates the well-known 403-bypass variants of that refused request (path spellings, \
        methods, X-Forwarded-For and X-Original-URL style headers, Host) against --nginx or --apache, offline: \
        nothing is sent. Each variant the configuration would serve is an error finding (rule bypass.<trick>).
        """)

    @OptionGroup var output: OutputOptions<AuditFormats>

    @Option(help: "An nginx main configuration file (repeatable).")
    var nginx: [String] = []

    @Option(help: "An Apache httpd main configuration file (repeatable).")
    var apache: [String] = []

    @Option(help: "A web root to check as the server's user (repeatable).")
    var root: [String] = []

    @Option(help: "The server's user for --root (default: from the local nginx/Apache configuration, else www-data).")
    var user: String?

    @Option(name: .long, help: ArgumentHelp("A refused URL: simulate its 403-bypass variants against --nginx/--apache instead of running the checks (nothing is sent).", valueName: "url"))
    var bypass: String?

    @Option(name: .long, help: ArgumentHelp("nginx's prefix (-p) for --bypass: relative root paths start here.", valueName: "dir"))
    var prefix: String = "/usr/share/nginx"

    @OptionGroup var request: RequestOptions

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error, warning or info.")
    var failOn: Severity = .error

    func validate() throws {
        try output.checkFormat()
        if bypass != nil && !root.isEmpty { throw ValidationError("--bypass takes --nginx or --apache, not --root") }
    }

    func run() async throws {
        var req: Request?
        if let bypass {
            var r = try request.request(url: bypass)
            r.method = r.method.uppercased()
            req = r
        }
        let report = try AuditAnalyzer.analyze(AuditAnalyzer.Input(nginx: nginx, apache: apache, roots: root, user: user,
                                                                   bypass: req, nginxPrefix: NginxPrefix.absolute(prefix)))
        output.emit(report, redactor: try request.redactor())
        if let worst = AuditAnalyzer.worst(report), worst >= failOn { throw ExitCode(1) }
    }
}
