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

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error, warning or info.")
    var failOn: Severity = .error

    func validate() throws { try output.checkFormat() }

    func run() async throws {
        let report = try AuditAnalyzer.analyze(AuditAnalyzer.Input(nginx: nginx, apache: apache, roots: root, user: user))
        output.emit(report)
        if let worst = AuditAnalyzer.worst(report), worst >= failOn { throw ExitCode(1) }
    }
}
