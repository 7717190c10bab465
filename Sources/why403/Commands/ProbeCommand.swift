import ArgumentParser
import Foundation
import Why403Core
import Why403Probe
import Why403Response

/// `why403 probe URL` (cli-v1): sends the request and says who answered and what the response proves.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Send the request and tell which layer refused it and what the response proves.",
        discussion: """
        Black box: identifies the layer that answered (CDN, WAF, storage, web server, application) from the \
        status, headers and body. Redirects are not followed unless --follow; Authorization and Cookie are \
        never sent to another origin. --variants adds a few diagnostic requests (no Referer / own Referer, a \
        browser User-Agent, HEAD, trailing slash, without the token) and reports which change flips the status. \
        --variants bypass sends instead the well-known 403-bypass variants (about 40 requests: path spellings \
        such as //admin, /%2e/admin, /admin..;/, /ADMIN, other methods, X-Forwarded-For: 127.0.0.1, \
        X-Original-URL, Host: localhost) to the URL's own origin only; these are the requests attack tools \
        send, so an IDS or WAF may flag (or block) this machine: run it only against a site you are allowed to test.
        """)

    @Argument(help: "The URL (a URL without a scheme is taken as http://).")
    var url: String

    @OptionGroup var request: RequestOptions

    @Option(name: .long, help: ArgumentHelp("A bearer token, sent as 'Authorization: Bearer TOKEN' (never printed).",
                                            valueName: "token"))
    var bearer: String?

    @Flag(name: .long, help: "Also send the diagnostic variants (at most 4 at once) and report which change flips the status; '--variants bypass' sends the 403-bypass variants instead (requests an IDS may flag).")
    var variants = false

    @Argument(help: ArgumentHelp("After --variants: 'bypass' for the 403-bypass set (off unless named).", valueName: "set"))
    var variantSet: String?

    /// The URL and the variant set, whichever order `--variants bypass` and the URL were written in.
    var urlAndSet: (url: String, set: String?) {
        if let s = variantSet, url == "bypass" { return (s, url) }
        return (url, variantSet)
    }

    @Flag(name: .long, help: "Follow redirects (same-origin only keep Authorization and Cookie).")
    var follow = false

    @Option(name: .customLong("max-redirects"), help: "Redirects followed at most with --follow.")
    var maxRedirects = 5

    @Option(name: .long, help: ArgumentHelp("Proxy: http://HOST:PORT (CONNECT) or socks5://HOST:PORT.", valueName: "url"))
    var proxy: String?

    @Flag(name: .long, help: "Accept any TLS certificate (for diagnosis only).")
    var insecure = false

    @Option(name: .long, help: ArgumentHelp("Total time cap in seconds, body included.", valueName: "seconds"))
    var timeout: Double = 15

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to establish the connection.", valueName: "seconds"))
    var connectTimeout: Double = 5

    @Option(name: .customLong("max-body"), help: ArgumentHelp("Bytes of body read; the rest is discarded.", valueName: "bytes"))
    var maxBody: Int = 1 << 20

    @Option(name: .long, help: ArgumentHelp("Send N spaced requests (100 ms apart, at most 50) to detect a rate limit.", valueName: "n"))
    var rate: Int = 0

    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
        if let set = urlAndSet.set {
            guard variants else { throw ValidationError("unexpected argument \(InputError.quote(set)): a variant set comes after --variants") }
            guard set == "bypass" else { throw ValidationError("--variants takes no set or 'bypass', found \(InputError.quote(set))") }
        }
        if request.clientIP != nil {
            throw ValidationError("--client-ip is not meaningful for probe: the server sees this machine's address (use --proxy to come from another one)")
        }
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
        guard connectTimeout > 0, connectTimeout <= 600 else { throw ValidationError("--connect-timeout must be between 0 and 600 seconds") }
        guard maxBody >= 0, maxBody <= 1 << 30 else { throw ValidationError("--max-body must be between 0 and 1073741824 bytes") }
        guard (0...ProbeAnalyzer.maxRate).contains(rate) else { throw ValidationError("--rate must be between 0 and \(ProbeAnalyzer.maxRate)") }
        guard (0...50).contains(maxRedirects) else { throw ValidationError("--max-redirects must be between 0 and 50") }
        let method = request.method
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else {
            throw ValidationError("-X expects a method name such as GET, found \(InputError.quote(method))")
        }
    }

    func run() async throws {
        let options = TransportOptions(connectTimeout: connectTimeout, totalTimeout: timeout, maxBody: maxBody,
                                       insecure: insecure, proxy: try proxy.map(ProxySetting.parse))
        let (url, set) = urlAndSet
        var input = ProbeAnalyzer.Input(request: try request.request(url: url), bearer: bearer, variants: variants && set == nil,
                                        follow: follow, maxRedirects: maxRedirects, rate: rate, options: options)
        input.bypass = set == "bypass"
        let outcome = try await ProbeAnalyzer.analyze(input)
        output.emit(outcome.report, redactor: outcome.redactor)
    }
}
