import ArgumentParser
import Foundation
import Why403AWSWAF
import Why403Core
import Why403Replay

/// `why403 aws-waf URL --web-acl FILE` (cli-v1, second edition): which rule of an AWS WAF web ACL
/// decides this request, evaluated offline from `aws wafv2` exports.
struct AWSWAFCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws-waf",
        abstract: "Explain which rule of an AWS WAF web ACL (aws wafv2 get-web-acl output) decides a request, offline.",
        discussion: """
        Rules run by ascending Priority with their labels, text transformations, IP sets (with forwarded-IP \
        settings), regex pattern sets, rule groups, managed rule groups (possible deciders: their rules are \
        not published), rate-based statements (the rate is stated, not known) and the default action. \
        References are matched by ARN. SqliMatch/XssMatch use libinjection as an approximation of AWS's \
        detectors (likely, never certain). Body inspection limits and OversizeHandling follow the resource \
        type (--resource-type). Nothing is sent to AWS; fixes are printed as JSON patches.
        """)

    @Argument(help: "The URL of the request (a URL without a scheme is taken as http://).")
    var url: String

    @Option(name: .customLong("web-acl"), help: ArgumentHelp("The output of 'aws wafv2 get-web-acl' (or the bare WebACL object).", valueName: "file"))
    var webACL: String

    @Option(name: .customLong("ip-set"), help: ArgumentHelp("The output of 'aws wafv2 get-ip-set' (repeatable).", valueName: "file"))
    var ipSets: [String] = []

    @Option(name: .customLong("regex-set"), help: ArgumentHelp("The output of 'aws wafv2 get-regex-pattern-set' (repeatable).", valueName: "file"))
    var regexSets: [String] = []

    @Option(name: .customLong("rule-group"), help: ArgumentHelp("The output of 'aws wafv2 get-rule-group' (repeatable).", valueName: "file"))
    var ruleGroups: [String] = []

    @Option(name: .customLong("country"), help: ArgumentHelp("The ISO 3166 country of the client address (geo match statements and their labels).", valueName: "CC"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp("The autonomous system number of the client address (ASN match statements).", valueName: "N"))
    var asn: Int?

    @Option(name: .customLong("resource-type"),
            help: ArgumentHelp("What the web ACL protects: it sets how much of the body AWS WAF inspects (8 KB for alb and appsync, 16 KB by default for the others). Without it, a REGIONAL web ACL's body decisions that depend on the limit are possible.",
                               valueName: "alb|api-gateway|appsync|cognito|app-runner|verified-access|cloudfront"))
    var resourceType: ResourceType?

    @Option(name: .long, help: ArgumentHelp("Every request of a HAR file or an nginx/Apache access log through the web ACL (the URL gives their host): which would be blocked, challenged or CAPTCHA'd, grouped by rule.", valueName: "file"))
    var replay: String?

    @OptionGroup var request: RequestOptions
    @OptionGroup var body: BodyOptions

    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
    }

    func run() async throws {
        var req = try request.request(url: url)
        req.method = req.method.uppercased()
        req.body = try body.body()
        let input = AWSWAFAnalyzer.Input(
            webACL: try WAFReader.webACL(path: webACL),
            ipSets: try ipSets.map(WAFReader.ipSet(path:)),
            regexSets: try regexSets.map(WAFReader.regexPatternSet(path:)),
            ruleGroups: try ruleGroups.map(WAFReader.ruleGroup(path:)),
            request: req, country: country, asn: asn, resourceType: resourceType)
        if let replay {
            // The web ACL compiled once (input.acl); each request of the file evaluated with it.
            let report = try ReplayReport.run(path: replay, base: req.target, clientIP: req.clientAddress,
                                              subject: Subject(kind: .awsWAF, url: req.url, config: webACL),
                                              layer: .awsWAF) { r in
                var one = input
                one.request = r
                return try AWSWAFAnalyzer.analyzeForReplay(one)
            }
            output.emit(report, redactor: try request.redactor(url: url, body: req.body))
            return
        }
        output.emit(try AWSWAFAnalyzer.analyze(input), redactor: try request.redactor(url: url, body: req.body))
    }
}

/// `--resource-type alb|api-gateway|…`.
extension ResourceType: ExpressibleByArgument {}
