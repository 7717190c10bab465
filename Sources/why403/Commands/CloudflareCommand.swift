import ArgumentParser
import Foundation
import Why403Core
import Why403Replay
import Why403Cloudflare

/// `why403 cloudflare URL --rules FILE...` (cli-v1, second edition): which exported Cloudflare rule
/// decides this request, and which part of its expression matched.
struct CloudflareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloudflare",
        abstract: "Explain which exported Cloudflare rule decides a request, and which part of its expression matched.",
        discussion: """
        Reads Rulesets API exports (a ruleset, its {"result": ...} envelope or a rules array), terraform show -json \
        output and cloudflare_ruleset resources in HCL; evaluates the WAF phases in Cloudflare's order \
        (custom rules, rate limiting, managed rules) with skip and execute. Nothing is sent to Cloudflare. \
        Fields the request cannot carry come from the flags; a rule that depends on one not given is \
        reported as possible.
        """)

    @Argument(help: "The URL (https makes ssl true; its port is cf.edge.server_port; no scheme means http://).")
    var url: String

    @Option(name: .long, help: ArgumentHelp("A rules export: Rulesets API JSON, terraform show -json, or a .tf file (repeatable).", valueName: "file"))
    var rules: [String] = []

    @Option(name: .long, help: ArgumentHelp("The client's country, ISO 3166-1 alpha-2 (ip.src.country).", valueName: "CC"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp("The client's autonomous system number (ip.src.asnum).", valueName: "N"))
    var asn: Int?

    @Option(name: .customLong("bot-score"), help: ArgumentHelp("The bot score 1-99 (cf.bot_management.score).", valueName: "N"))
    var botScore: Int?

    @Flag(name: .customLong("verified-bot"), inversion: .prefixedNo, help: "The client is (or is not) a verified bot (cf.client.bot); unknown unless given.")
    var verifiedBot: Bool?

    @Option(name: .customLong("threat-score"), help: ArgumentHelp("cf.threat_score (0 unless given).", valueName: "N"))
    var threatScore: Int?

    @Option(name: .long, help: ArgumentHelp("A $list's items, NAME=FILE (one IP, network, ASN or host per line, or the Lists API's GET .../lists/{id}/items response), or FILE naming its lists (cloudflare_list resources in HCL or terraform show -json, or GET .../rules/lists); repeatable.", valueName: "name=file|file"))
    var list: [String] = []

    @Option(name: .long, help: ArgumentHelp("Every request of a HAR file or an nginx/Apache access log through the rules (the URL gives their host): which would be blocked or challenged, grouped by rule.", valueName: "file"))
    var replay: String?

    @OptionGroup var request: RequestOptions

    @OptionGroup var body: BodyOptions

    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
        if rules.isEmpty { throw ValidationError("give at least one --rules FILE") }
        if let c = country, c.count != 2 || !c.allSatisfy(\.isLetter) {
            throw ValidationError("--country takes a two-letter ISO 3166-1 code such as DE, found '\(c)'")
        }
        if let b = botScore, !(1...99).contains(b) { throw ValidationError("--bot-score is 1 to 99, found \(b)") }
        if let t = threatScore, !(0...100).contains(t) { throw ValidationError("--threat-score is 0 to 100, found \(t)") }
    }

    func run() async throws {
        var rulesets: [Ruleset] = []
        for file in rules {
            rulesets += try RulesReader.read(text: try readText(file), file: file)
        }
        var lists: [String: [String]] = [:]
        for l in list {
            if let eq = l.firstIndex(of: "="), eq != l.startIndex, !FileManager.default.fileExists(atPath: l) {
                var name = String(l[..<eq])
                if name.hasPrefix("$") { name.removeFirst() }
                let path = String(l[l.index(after: eq)...])
                lists[name] = try ListReader.readItems(text: try readText(path), file: path, name: name).items
            } else {
                // A file that names its lists; a list named without its items stays unknown.
                for e in try ListReader.readNamed(text: try readText(l), file: l) { if let items = e.items { lists[e.name] = items } }
            }
        }
        var req = try request.request(url: url)
        req.method = req.method.uppercased()
        req.body = try body.body()
        let input = CloudflareAnalyzer.Input(rulesets: rulesets, files: rules, request: req,
                                             signals: EdgeSignals(country: country, asn: asn, botScore: botScore,
                                                                  verifiedBot: verifiedBot, threatScore: threatScore),
                                             lists: lists)
        if let replay {
            // Rules compiled once; each request of the file explained with them.
            let compiled = try CompiledRules.compile(rulesets)
            let report = try ReplayReport.run(path: replay, base: req.target, clientIP: req.clientAddress,
                                              subject: Subject(kind: .cloudflare, url: req.url, config: rules.joined(separator: ", ")),
                                              layer: .cloudflare) { r in
                var one = input
                one.request = r
                return CloudflareAnalyzer.analyzeForReplay(compiled: compiled, input: one)
            }
            output.emit(report, redactor: try request.redactor(url: url, body: req.body))
            return
        }
        output.emit(try CloudflareAnalyzer.analyze(input), redactor: try request.redactor(url: url, body: req.body))
    }

    func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file (missing or unreadable)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
