import ArgumentParser
import Foundation
import Why403Core
import Why403ModSecurity

/// `why403 modsecurity` (cli-v1, second edition): the request through the real ModSecurity engine.
struct ModSecurityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modsecurity",
        abstract: "Which ModSecurity rules this request trips, evaluated by the real engine, with the narrowest exclusion that lets it through.",
        discussion: """
        The engine is libmodsecurity 3 (Debian: libmodsecurity3), opened at run time; set WHY403_LIBMODSECURITY \
        to use another copy. The rules are the configuration a server includes (--rules), or the installed OWASP \
        CRS with its recommended setup (--crs). The exclusion printed as the fix is re-evaluated by the engine \
        first. Nothing is sent anywhere and nothing is written: the audit log stays off.
        """
    )

    @Argument(help: "The request's URL (its path and query are what the rules see).")
    var url: String

    @Option(name: .long, help: ArgumentHelp("The ModSecurity configuration as the server includes it (SecRuleEngine, Include, CRS setup and rules).", valueName: "file"))
    var rules: String?

    @Flag(name: .long, help: "Use the installed OWASP CRS with its recommended setup.")
    var crs = false

    @Option(name: .long, help: ArgumentHelp("The CRS paranoia level, 1-4 (with --crs).", valueName: "n"))
    var paranoia: Int?

    @Option(name: .long, help: ArgumentHelp("Every request of a HAR file or an nginx/Apache access log through the rules (the URL gives their host): which would be blocked, grouped by rule.", valueName: "file"))
    var replay: String?

    @OptionGroup var request: RequestOptions
    @OptionGroup var body: BodyOptions
    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
        if crs == (rules != nil) { throw ValidationError("give either --rules FILE or --crs") }
        if let p = paranoia {
            guard crs else { throw ValidationError("--paranoia goes with --crs (with --rules, set tx.paranoia_level in the rules)") }
            guard (1...4).contains(p) else { throw ValidationError("--paranoia takes 1, 2, 3 or 4") }
        }
    }

    func run() async throws {
        let source: RuleSource
        if let rules {
            guard FileManager.default.fileExists(atPath: rules) else {
                throw InputError(file: rules, message: "no such file", help: "--rules takes the ModSecurity configuration file the server includes")
            }
            source = .file(rules)
        } else {
            guard let installed = CRSInstallation.find(read: { try? String(contentsOfFile: $0, encoding: .utf8) }) else {
                throw InputError(file: nil, message: "the OWASP CRS is not installed",
                                 help: "install it (apt-get install modsecurity-crs), or give its configuration with --rules FILE")
            }
            source = .crs(installed, paranoia: paranoia ?? 1)
        }
        var req = try request.request(url: url)
        req.body = try body.body()
        // The engine quotes the values it matched (`Value: `…'`, `[data "…"]`): a secret parameter's value, from the
        // query or a form body, is redacted wherever it shows.
        let redactor = try request.redactor(url: url, body: req.body)
        let input = ModSecurityAnalyzer.Input(request: req, rules: source,
                                              libraryPath: ProcessInfo.processInfo.environment["WHY403_LIBMODSECURITY"])
        if let replay {
            let report = try ModSecurityAnalyzer.replay(input, replay: .init(path: replay, base: req.target, clientIP: req.clientAddress))
            output.emit(report, redactor: redactor)
            return
        }
        output.emit(try ModSecurityAnalyzer.analyze(input), redactor: redactor)
    }
}
