import ArgumentParser
import Foundation
import Why403Core
import Why403AWSWAF
import Why403Cloudflare
import Why403Logs
import Why403ModSecurity
import Why403Render

/// `why403 logs FILE...` (cli-v1): every refused request in nginx/Apache error and access logs and
/// in the edge's logs, grouped by cause, path, client, user agent, country and time, with the log
/// lines as evidence; `--emit-sql` prints the same grouping as a query instead.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Explain every 403 in nginx/Apache error and access logs and in the edge's logs (AWS WAF, ALB, CloudFront, S3, Cloudflare, IIS); plain, .gz or stdin.",
        discussion: "Give the error log together with the access log: the error log says why, the access log says how often. The edge's logs carry the reason on each line; give an ALB log with its AWS WAF log to see the WAF rule behind each refusal. --emit-sql prints the same grouping as a ClickHouse or DuckDB query.")

    @Argument(help: ArgumentHelp("Log files (error and access logs, plain or .gz), or directories of them (read to any depth, in name order; hidden files skipped); - reads stdin.", valueName: "file"))
    var files: [String] = []

    @Option(help: "Only lines at or after TIME: ISO 8601 (2026-11-29T09:30:00Z) or a duration before now (30m, 1h, 2d).")
    var since: String?

    @Option(help: "Only lines at or before TIME (same forms as --since).")
    var until: String?

    @Option(help: "Rows per table and causes shown.")
    var top: Int = 10

    @Option(help: "Statuses counted as refusals, comma-separated (e.g. 403,401,429).")
    var status: String = "403"

    @Option(name: .customLong("log-format"),
            help: "Access-log format: combined (default; combined with more fields after it, as nginx's main, common and Apache's vhost_combined lines are read too), common, vhost_combined, json, an nginx log_format string ('$remote_addr … $status …') or an Apache LogFormat string ('%h … %>s …').")
    var logFormat: String?

    @Option(name: .customLong("apache-log-format"), help: "An Apache LogFormat string (same as --log-format with % directives).")
    var apacheLogFormat: String?

    @Option(name: .customLong("input-format"),
            help: "Force the log format: combined, common, nginx-error, apache-error, modsecurity-audit, aws-waf, alb, cloudfront, s3-access, cloudflare, iis (default: detected from the first lines of each file and of stdin).")
    var inputFormat: String?

    @Option(help: ArgumentHelp("The field names, in order and comma-separated, of CloudFront real-time logs (the fields of the real-time log configuration) or of CloudFront/IIS logs without a #Fields: header; with --emit-sql and --input-format cloudfront, a real-time table of these columns.", valueName: "names"))
    var fields: String?

    @Option(name: .customLong("emit-sql"),
            help: "Print the query (clickhouse or duckdb) that groups refusals by cause over a table of these logs, instead of reading logs; needs --input-format and --table.")
    var emitSQL: String?

    @Option(help: "The table --emit-sql reads (its layout: docs/logs.md).")
    var table: String?

    @Option(name: .customLong("web-acl"),
            help: ArgumentHelp("The AWS WAF web ACL (aws wafv2 get-web-acl output) the AWS WAF logs come from: each denial is joined to its rule.", valueName: "file"))
    var webACL: String?

    @Option(name: .customLong("rule-group"),
            help: ArgumentHelp("A rule group the web ACL references (aws wafv2 get-rule-group output); repeatable.", valueName: "file"))
    var ruleGroups: [String] = []

    @Option(name: .customLong("cloudflare-rules"),
            help: ArgumentHelp("Cloudflare rulesets (API JSON, terraform show -json, or HCL), as for why403 cloudflare --rules: each denial of a Cloudflare log is joined to its rule by id; repeatable.", valueName: "file"))
    var cloudflareRules: [String] = []

    @Option(name: .customLong("modsecurity"),
            help: ArgumentHelp("ModSecurity rule files, or directories of *.conf (such as CRS's rules/): each logged ModSecurity refusal is joined to its rules by id; repeatable.", valueName: "path"))
    var modsecurity: [String] = []

    @OptionGroup var output: OutputOptions<LogsFormats>

    func validate() throws {
        try output.checkFormat()
        if let emitSQL {
            guard SQLDialect(rawValue: emitSQL.lowercased()) != nil else {
                throw ValidationError("--emit-sql takes clickhouse or duckdb; found \(InputError.quote(emitSQL))")
            }
            guard inputFormat != nil else { throw ValidationError("--emit-sql needs --input-format (the format of the logs in the table)") }
            guard table != nil else { throw ValidationError("--emit-sql needs --table (the table holding the logs)") }
            guard files.isEmpty else { throw ValidationError("--emit-sql prints a query and reads no log file; leave out the files") }
            guard webACL == nil, cloudflareRules.isEmpty, modsecurity.isEmpty else {
                throw ValidationError("--emit-sql prints a query: --web-acl, --cloudflare-rules and --modsecurity join rules to logs read, not to a query")
            }
            _ = try statuses()
            return
        }
        guard !files.isEmpty else { throw ValidationError("give at least one log file, or - for stdin") }
        guard webACL != nil || ruleGroups.isEmpty else { throw ValidationError("--rule-group goes with --web-acl") }
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        _ = try statuses()
    }

    /// `--fields` as names (nil when not given).
    func fieldNames() throws -> [String]? {
        guard let fields else { return nil }
        let names = fields.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        guard !names.isEmpty, names.contains("sc-status") else {
            throw InputError(file: nil, expected: "--fields as comma-separated field names including sc-status",
                             found: InputError.quote(fields))
        }
        return names
    }

    func statuses() throws -> Set<Int> {
        var set: Set<Int> = []
        for part in status.split(separator: ",") {
            guard let n = Int(part.trimmingSpaces), (100...599).contains(n) else {
                throw ValidationError("--status takes HTTP statuses separated by commas, like 403,401,429; found \(InputError.quote(String(part)))")
            }
            set.insert(n)
        }
        guard !set.isEmpty else { throw ValidationError("--status needs at least one status") }
        return set
    }

    func run() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let forced = try inputFormat.map(LogInputFormat.named)
        let sinceTime = try since.map { try LogsTimeSpec.parse($0, now: now, flag: "--since") }
        let untilTime = try until.map { try LogsTimeSpec.parse($0, now: now, flag: "--until") }
        if let emitSQL, let forced, let table {
            let sql = try EdgeSQL.query(format: forced, dialect: SQLDialect(rawValue: emitSQL.lowercased())!, table: table,
                                        statuses: try statuses(), since: sinceTime, until: untilTime, fields: try fieldNames())
            Terminal.out(sql)
            return
        }
        let format: AccessFormat
        for (flag, value) in [("--log-format", logFormat), ("--apache-log-format", apacheLogFormat)] where value?.trimmingSpaces.isEmpty == true {
            throw InputError(file: nil, expected: "\(flag) as a format name (combined, common, vhost_combined, json) or a log_format/LogFormat string",
                             found: "an empty value")
        }
        if let a = apacheLogFormat { format = try AccessFormat.apache(a) }
        else { format = try AccessFormat.parse(logFormat ?? (forced == .common ? "common" : "combined")) }
        let progress = Progress(enabled: Terminal.stderrIsTerminal)
        let expansion = try LogPaths.expand(files)
        var input = LogsAnalyzer.Input(paths: expansion.paths, statuses: try statuses(),
                              since: sinceTime, until: untilTime,
                              top: top, format: format,
                              progress: { file, done, total in progress.update(file: file, done: done, total: total) },
                              inputFormat: forced)
        input.fields = try fieldNames()
        input.listed = expansion.listed
        // The text, HTML and Markdown renderers read the typed summary: the report's JSON copy of it is left out.
        input.summaryInSubject = ![.text, .html, .markdown].contains(output.format)
        // The rules are read before the logs, so a bad rules file fails fast.
        let catalogues = try ruleCatalogues()
        let outcome = try LogsAnalyzer().summarize(input)
        progress.clear()
        let redactor = Redactor()
        let report = outcome.report.joiningRules(catalogues).redacted(by: redactor), summary = outcome.summary.redacted(by: redactor)
        switch output.format {
        case .text: Terminal.out(LogsTextRenderer.render(report, summary: summary))
        case .html: Terminal.out(LogsHTMLRenderer.render(report, summary: summary))
        case .markdown: Terminal.out(LogsMarkdownRenderer.render(report, summary: summary))
        default: output.emit(redacted: report)
        }
    }
}

extension LogsCommand {
    /// The rules given to join the logs' refusals to (`--web-acl`, `--cloudflare-rules`, `--modsecurity`).
    func ruleCatalogues() throws -> [any RuleCatalogue] {
        var out: [any RuleCatalogue] = []
        if let webACL { out.append(try WAFRuleCatalogue(webACLPath: webACL, ruleGroupPaths: ruleGroups)) }
        if !cloudflareRules.isEmpty {
            var rulesets: [Ruleset] = []
            for file in cloudflareRules {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw InputError(file: file, message: "cannot read the file (missing or unreadable)")
                }
                rulesets += try RulesReader.read(text: String(decoding: data, as: UTF8.self), file: file)
            }
            out.append(CloudflareRuleCatalogue(rulesets: rulesets, files: cloudflareRules))
        }
        if !modsecurity.isEmpty { out.append(try ModSecurityRuleCatalogue(paths: modsecurity)) }
        return out
    }
}

/// A progress bar on stderr, only on a terminal and only for a file read for more than a second.
final class Progress: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(file: String, done: Int64, total: Int64?) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let start = started[file] ?? now
        started[file] = start
        guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        var line = "\r\u{1B}[2K" + file.suffix(40) + " "
        if let total, total > 0 {
            let frac = min(1, Double(done) / Double(total))
            let filled = Int(frac * 30)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled) + "] \(Int(frac * 100))%"
        } else {
            line += "\(done >> 20) MiB"
        }
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func clear() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
