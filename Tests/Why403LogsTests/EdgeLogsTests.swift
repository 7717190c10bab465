import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// The edge readers (AWS WAF, ALB, CloudFront, S3, Cloudflare, IIS) on the documented samples of
/// `Fixtures/logs/edge` (see its SOURCE.md): detection, the cause of every refusal, evidence,
/// groups, gzip, malformed lines.
final class EdgeLogsTests: XCTestCase {
    func edge(_ name: String) -> String { Fixtures.url("logs/edge/\(name)").path }

    func run(_ files: [String], statuses: Set<Int> = [403], format: LogInputFormat? = nil, since: Int64? = nil,
             until: Int64? = nil) throws -> (Report, LogsSummary) {
        let r = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: files, statuses: statuses, since: since, until: until,
                                                              inputFormat: format))
        return (r, try summary(r))
    }

    /// Refusals per cause id.
    func perCause(_ s: LogsSummary) -> [String: Int] {
        var out: [String: Int] = [:]
        for c in s.causes { out[c.cause, default: 0] += c.count }
        return out
    }

    func testAWSWAF() throws {
        let (r, s) = try run([edge("aws-waf.log")])
        XCTAssertEqual(perCause(s), ["waf.rule": 3, "rate.limit": 1, "access.deny": 1, "access.ip": 1])
        let sqli = try XCTUnwrap(r.findings.first { $0.rule == "SQLi_QUERYARGUMENTS" })
        XCTAssertEqual(sqli.layer, .awsWAF)
        XCTAssertEqual(sqli.cause, .wafRule)
        XCTAssertEqual(sqli.confidence, .certain)
        XCTAssertTrue(sqli.evidence[0].source.hasSuffix("aws-waf.log:1"), sqli.evidence[0].source)
        XCTAssertTrue(sqli.evidence[0].text.contains("\"terminatingRuleId\":\"AWS-AWSManagedRulesSQLiRuleSet\""))
        // A rule known only by its name is waf.rule, whatever its name says (report-v1, edge rules).
        XCTAssertEqual(r.findings.first { $0.rule == "GeoBlockRule" }?.cause, .wafRule)
        XCTAssertEqual(r.findings.first { $0.rule == "AWSManagedIPReputationList" }?.cause, .accessIP)
        XCTAssertEqual(r.findings.first { $0.rule == "Default_Action" }?.cause, .accessDeny)
        XCTAssertEqual(s.topCountries?.first, LogsSummary.Row(key: "US", count: 2))
        XCTAssertEqual(s.topPaths.first, LogsSummary.Row(key: "/search", count: 2))
        XCTAssertEqual(s.topUserAgents.first?.key, "sqlmap/1.7.2#stable (https://sqlmap.org)")
        XCTAssertEqual(r.verdict.layer, .awsWAF)
        // CAPTCHA answers 405, a custom response 429: counted when asked for.
        let (_, all) = try run([edge("aws-waf.log")], statuses: [403, 405, 429])
        XCTAssertEqual(perCause(all), ["waf.rule": 4, "rate.limit": 1, "access.deny": 1, "access.ip": 1, "bot.block": 1])
    }

    func testALB() throws {
        let (r, s) = try run([edge("alb.log")])
        XCTAssertEqual(perCause(s), ["waf.rule": 3, "app.forbidden": 1, "access.deny": 1])
        let waf = try XCTUnwrap(r.findings.first { $0.rule == "alb-waf" })
        XCTAssertEqual(waf.layer, .awsWAF)
        XCTAssertEqual(waf.confidence, .likely)
        XCTAssertEqual(r.findings.first { $0.rule == "alb-target-answered" }?.layer, .application)
        XCTAssertEqual(s.topPaths.first, LogsSummary.Row(key: "/search", count: 2))
        XCTAssertEqual(s.topClients.first, LogsSummary.Row(key: "203.0.113.9", count: 2))
        let (_, auth) = try run([edge("alb.log")], statuses: [401])
        XCTAssertEqual(perCause(auth), ["auth.missing": 1])
    }

    /// `actions_executed` is a comma-separated list; the rule reads its last item ("waf" answered), item
    /// by item: not a prefix ("waf-failed"), not an earlier item, not an empty last item.
    func testALBActionsAreReadItemByItem() throws {
        let line = try String(contentsOfFile: edge("alb.log"), encoding: .utf8).split(separator: "\n")[0]
        let cases: [(String, String)] = [("waf", "alb-waf"), ("forward,waf", "alb-waf"), ("waf,forward,waf", "alb-waf"),
                                         ("waf-failed", "alb-unexplained"), ("waf,", "alb-unexplained"), ("waf,forward", "alb-unexplained"), (",waf", "alb-waf"),
                                         ("wa", "alb-unexplained"), ("", "alb-unexplained")]
        for (actions, rule) in cases {
            let text = line.replacingOccurrences(of: "\"waf\"", with: "\"\(actions)\"") + "\n"
            let r = try LogsAnalyzer().analyze(data: Array(text.utf8), name: "alb.log", chunkSize: 1 << 20,
                                               input: LogsAnalyzer.Input(paths: ["alb.log"], statuses: [403], inputFormat: .alb))
            XCTAssertEqual(r.findings.first?.rule, rule, actions)
        }
    }

    /// ALB and S3 lines are read field by field from their bytes: invalid UTF-8 inside a field is repaired in that
    /// field as it was in the line's text (U+FFFD per bad sequence), and the fields around it are read unchanged.
    func testALBFieldsWithInvalidUTF8AreRepairedInPlace() throws {
        let line = try String(contentsOfFile: edge("alb.log"), encoding: .utf8).split(separator: "\n")[0]
        // The user agent field (quoted) gets a lone continuation byte and a truncated three-byte sequence.
        var bytes = Array(line.utf8)
        let ua = try XCTUnwrap(line.range(of: "\"sqlmap/"))
        let at = line.utf8.distance(from: line.startIndex, to: ua.lowerBound) + 1
        bytes.insert(contentsOf: [0x80, 0xE2, 0x82], at: at)
        let r = try LogsAnalyzer().analyze(data: bytes + [10], name: "alb.log", chunkSize: 1 << 20,
                                           input: LogsAnalyzer.Input(paths: ["alb.log"], statuses: [403], inputFormat: .alb))
        let s = try summary(r)
        XCTAssertEqual(r.findings.first?.rule, "alb-waf")
        let agent = try XCTUnwrap(s.topUserAgents.first?.key)
        XCTAssertTrue(agent.hasPrefix("\u{FFFD}\u{FFFD}sqlmap/"), agent)
        XCTAssertEqual(agent, String(decoding: Array(agent.utf8), as: UTF8.self))
        XCTAssertEqual(s.topPaths.first?.key, "/search")
    }

    func testCloudFront() throws {
        let (r, s) = try run([edge("cloudfront.log")])
        XCTAssertEqual(perCause(s), ["geo.block": 2, "unknown": 2])
        let geo = try XCTUnwrap(r.findings.first { $0.cause == .geoBlock })
        XCTAssertEqual(geo.layer, .cloudfront)
        XCTAssertEqual(geo.confidence, .certain)
        XCTAssertEqual(geo.rule, "cloudfront-ClientGeoBlocked")
        XCTAssertEqual(s.topUserAgents.first?.key.hasPrefix("Mozilla/5.0 (Windows NT 10.0;"), true)
    }

    /// CloudFront's percent-encoded fields are decoded over the bytes where every escape is ASCII,
    /// and by Foundation otherwise: the user agents and paths are what `removingPercentEncoding`
    /// gives (an invalid escape keeps the field as written).
    func testCloudFrontFieldsArePercentDecodedAsFoundationDoes() throws {
        let lines = try String(contentsOfFile: edge("cloudfront.log"), encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines.filter { $0.hasPrefix("#") }
        let refused = try XCTUnwrap(lines.first { !$0.hasPrefix("#") && $0.split(separator: "\t")[8] == "403" })
        let values = ["Mozilla/5.0%20(X11)", "a%25b", "%E2%9C%93%20ok", "bad%zz", "cut%4", "cut%", "%C3%28", "%41%42%43",
                      "plain", "%2F%2e%2E", "caf%C3%A9%2Fx", "%00nul", "mixed%20%E2%9C", "end%2"]
        var body = header
        for v in values {
            var f = refused.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            f[7] = "/p/" + v
            f[10] = v
            body.append(f.joined(separator: "\t"))
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let f = try dir.write("cf.log", body.joined(separator: "\n") + "\n").path
        var input = LogsAnalyzer.Input(paths: [f], inputFormat: .cloudfront)
        input.top = 50
        let s = try summary(LogsAnalyzer().analyze(input))
        XCTAssertEqual(s.denials, values.count)
        XCTAssertEqual(Set(s.topUserAgents.map(\.key)), Set(values.map { $0.removingPercentEncoding ?? $0 }))
        XCTAssertEqual(Set(s.topPaths.map(\.key)), Set(values.map { ("/p/" + $0).removingPercentEncoding ?? "/p/" + $0 }))
    }

    func testS3AccessLogWithTheCommandThatEvaluatesEachAccessDenied() throws {
        let (r, s) = try run([edge("s3-access.log")])
        XCTAssertEqual(perCause(s), ["policy.implicit-deny": 3, "auth.invalid": 1])
        let denied = try XCTUnwrap(r.findings.first { $0.rule == "AccessDenied" })
        XCTAssertEqual(denied.layer, .s3)
        XCTAssertEqual(denied.confidence, .possible)
        let commands = denied.fixes.flatMap(\.commands)
        XCTAssertTrue(commands.contains("aws s3api get-bucket-policy --bucket amzn-s3-demo-bucket1 --query Policy --output text > bucket-policy.json"), "\(commands)")
        XCTAssertTrue(commands.contains { $0.hasPrefix("why403 s3 --action s3:GetObject --resource 'arn:aws:s3:::amzn-s3-demo-bucket1/private/report.pdf' --principal '*' --bucket-policy bucket-policy.json --context aws:SourceIp=198.51.100.5") }, "\(commands)")
        XCTAssertTrue(commands.contains { $0.contains("--action s3:PutObject --resource 'arn:aws:s3:::amzn-s3-demo-bucket1/uploads/q4 results.csv' --principal 'arn:aws:sts::123456789012:assumed-role/ReportReader/session-1'")
            && $0.contains("--context s3:DataAccessPointArn=arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP") }, "\(commands)")
        XCTAssertTrue(commands.contains { $0.contains("--action s3:ListBucket --resource 'arn:aws:s3:::amzn-s3-demo-bucket1' ") }, "\(commands)")
        XCTAssertEqual(r.findings.first { $0.rule == "SignatureDoesNotMatch" }?.cause, .authInvalid)
    }

    /// S3 server access logs delivered to CloudWatch Logs: one JSON object a line (schema V_1_0), detected and read into
    /// the same causes and `why403 s3` command lines as the space-separated layout.
    func testS3AccessLogsAsCloudWatchDeliversThem() throws {
        let (r, s) = try run([edge("s3-access-cloudwatch.log")], statuses: [403, 503])
        XCTAssertEqual(perCause(s), ["policy.implicit-deny": 2, "auth.invalid": 1, "rate.limit": 1])
        XCTAssertEqual(s.malformed.count, 0)
        XCTAssertEqual(s.timeline.start, "2026-11-29T09:30:00Z")
        let commands = try XCTUnwrap(r.findings.first { $0.rule == "AccessDenied" }).fixes.flatMap(\.commands)
        XCTAssertTrue(commands.contains("why403 s3 --action s3:GetObject --resource 'arn:aws:s3:::amzn-s3-demo-bucket1/private/report.pdf' --principal '*' --bucket-policy bucket-policy.json --context aws:SourceIp=192.0.2.3 --context aws:SecureTransport=true"), "\(commands)")
        XCTAssertTrue(commands.contains { $0.contains("--action s3:ListBucket --resource 'arn:aws:s3:::amzn-s3-demo-bucket1' --principal 'arn:aws:iam::123456789012:role/analytics'")
            && $0.contains("--context s3:DataAccessPointArn=arn:aws:s3:us-west-1:123456789012:accesspoint/analytics-ap") }, "\(commands)")
    }

    /// NUL padding before an edge log's first line (a crash's unflushed blocks) does not hide its format.
    func testNULPaddingBeforeAnEdgeLogKeepsItsFormat() throws {
        var bytes = [UInt8](repeating: 0, count: 512)
        bytes += Array(try String(contentsOfFile: edge("alb.log"), encoding: .utf8).utf8)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let f = dir.url.appendingPathComponent("alb-padded.log")
        try Data(bytes).write(to: f)
        let (_, padded) = try run([f.path])
        let (_, plain) = try run([edge("alb.log")])
        XCTAssertEqual(padded.causes, plain.causes)
        XCTAssertEqual(padded.malformed.count, 1)
    }

    /// An AWS WAF log exported from CloudWatch Logs (an export task writes each event after its timestamp): read as the
    /// log delivered to S3 is, record for record.
    func testAWSWAFLogExportedFromCloudWatch() throws {
        let (_, exported) = try run([edge("aws-waf-cloudwatch-export.log")])
        let (_, direct) = try run([edge("aws-waf.log")])
        XCTAssertEqual(exported.denials, direct.denials)
        XCTAssertEqual(exported.causes, direct.causes)
        XCTAssertEqual(exported.malformed.count, 0)
        XCTAssertEqual(exported.timeline, direct.timeline)
    }

    func testCloudflareHTTPRequestsAndFirewallEvents() throws {
        let (r, s) = try run([edge("cloudflare.log")])
        XCTAssertEqual(perCause(s), ["waf.rule": 3, "geo.block": 1, "bot.block": 1, "app.forbidden": 1])
        let custom = try XCTUnwrap(r.findings.first { $0.rule == "2f6c1e0b4a8b4f0e9a1d3c5b7e9f0a1b" })
        XCTAssertEqual(custom.layer, .cloudflare)
        XCTAssertEqual(custom.details?["count"], .int(2))
        XCTAssertTrue("\(custom.details?["messages"] ?? .null)".contains("Block WordPress login from outside the office"))
        XCTAssertEqual(s.topCountries?.first, LogsSummary.Row(key: "US", count: 3))
        let (_, rate) = try run([edge("cloudflare.log")], statuses: [429])
        XCTAssertEqual(perCause(rate), ["rate.limit": 1])
        let (_, fe) = try run([edge("cloudflare-firewall-events.log")])
        XCTAssertEqual(perCause(fe), ["waf.rule": 1, "bot.block": 1, "access.ip": 1])
    }

    func testIIS() throws {
        let (r, s) = try run([edge("iis.log")])
        XCTAssertEqual(perCause(s), ["index.missing": 1, "access.ip": 2, "rate.limit": 1, "unknown": 1])
        XCTAssertEqual(r.findings.first { $0.cause == .indexMissing }?.rule, "iis-403.14")
        XCTAssertEqual(r.findings.first { $0.cause == .indexMissing }?.layer, .iis)
        XCTAssertEqual(s.topUserAgents.first { $0.key.hasPrefix("Mozilla/5.0 (Windows") }?.count, 1)
        let (_, auth) = try run([edge("iis.log")], statuses: [401])
        XCTAssertEqual(perCause(auth), ["auth.missing": 1, "auth.invalid": 1])
    }

    func testForcedFormatAndDetectionAgree() throws {
        for (file, format) in [("aws-waf.log", LogInputFormat.awsWAF), ("alb.log", .alb), ("cloudfront.log", .cloudfront),
                               ("s3-access.log", .s3Access), ("cloudflare.log", .cloudflare), ("iis.log", .iis)] {
            let (_, detected) = try run([edge(file)])
            let (_, forced) = try run([edge(file)], format: format)
            XCTAssertEqual(detected.causes, forced.causes, file)
            XCTAssertGreaterThan(detected.denials, 0, file)
        }
        // A web server's log is not taken for an edge log.
        let (_, web) = try run([recorded("nginx-access.log")])
        XCTAssertNil(web.topCountries)
        XCTAssertTrue(web.causes.allSatisfy { $0.layer != "aws-waf" && $0.layer != "s3" })
    }

    func testGzipAndSeveralFilesTogether() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("why403-edge-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = dir.appendingPathComponent("alb.log.gz").path
        try Run.shell("gzip -c '\(edge("alb.log"))' > '\(gz)'")
        let (_, plain) = try run([edge("alb.log")])
        let (_, zipped) = try run([gz])
        XCTAssertEqual(plain.causes, zipped.causes)
    }

    /// The balancer's log says only that AWS WAF rejected a request; the WAF log of the same minute
    /// names the rule. Read together (in any order), each such request counts once, under the WAF's
    /// rule, with both lines as evidence.
    func testALBRefusalsAreJoinedToTheWAFRuleThatMadeThem() throws {
        let (r, s) = try run([edge("alb.log"), edge("aws-waf.log")])
        XCTAssertEqual(s.denials, 6 + 2)
        XCTAssertEqual(s.correlated, 3)
        XCTAssertEqual(perCause(s), ["waf.rule": 3, "rate.limit": 1, "access.deny": 2, "access.ip": 1, "app.forbidden": 1])
        XCTAssertNil(s.causes.first { $0.rule == "alb-waf" })
        let sqli = try XCTUnwrap(r.findings.first { $0.rule == "SQLi_QUERYARGUMENTS" })
        XCTAssertEqual(sqli.details?["correlated"], .int(2))
        XCTAssertTrue(sqli.evidence[0].source.hasSuffix("alb.log:1"), "\(sqli.evidence)")
        XCTAssertTrue(sqli.evidence[1].source.hasSuffix("aws-waf.log:1"), "\(sqli.evidence)")
        XCTAssertEqual(r.verdict.cause, .wafRule)
        XCTAssertEqual(r.verdict.layer, .awsWAF)
    }

    func testMalformedLinesAreCountedAndSampledNeverFatal() throws {
        for file in ["aws-waf.log", "alb.log", "cloudfront.log", "s3-access.log", "cloudflare.log", "iis.log"] {
            let good = try String(contentsOfFile: edge(file), encoding: .utf8)
            let bad = good + "this is not a log line\n{\"broken\": \n\u{1}\u{2}binary\n" + good.split(separator: "\n").last! + "\n"
            let r = try LogsAnalyzer().analyze(data: Array(bad.utf8), name: file, chunkSize: 7,
                                               input: LogsAnalyzer.Input(paths: [file], statuses: [403, 401]))
            let s = try summary(r)
            XCTAssertGreaterThanOrEqual(s.malformed.count, 2, file)
            XCTAssertTrue(s.malformed.samples.first?.source.hasPrefix("log \(file):") ?? false, file)
            let whole = try LogsAnalyzer().analyze(data: Array(bad.utf8), name: file, chunkSize: bad.utf8.count,
                                                   input: LogsAnalyzer.Input(paths: [file], statuses: [403, 401]))
            XCTAssertEqual(jsonString(r), jsonString(whole), "chunking changed the report of \(file)")
        }
    }

    /// Hostile numbers in JSON logs (found by hand: a timestamp of 1e300 reached the minute
    /// arithmetic as Int64.min and trapped) give no time, never a crash.
    func testHostileNumbersInJSONLogs() throws {
        let waf = """
        {"timestamp":1e300,"action":"BLOCK","terminatingRuleId":"x","responseCodeSent":-1e300,"httpRequest":{"clientIp":"192.0.2.1"}}
        {"timestamp":-9223372036854775808,"action":"BLOCK","terminatingRuleId":"x"}
        {"timestamp":18446744073709551615,"action":"BLOCK","terminatingRuleId":"x"}

        """
        let cf = """
        {"EdgeResponseStatus":1e300,"EdgeStartTimestamp":1e300}
        {"EdgeResponseStatus":403,"EdgeStartTimestamp":-9223372036854775808,"OriginResponseStatus":1e19}

        """
        for (text, format) in [(waf, LogInputFormat.awsWAF), (cf, .cloudflare)] {
            let r = try LogsAnalyzer().analyze(data: Array(text.utf8), name: "hostile.log", chunkSize: 5,
                                               input: LogsAnalyzer.Input(paths: ["hostile.log"], inputFormat: format))
            XCTAssertGreaterThan(try summary(r).denials, 0)
            XCTAssertTrue(try summary(r).timeline.counts.isEmpty)
        }
    }

    /// Issue 18: past the first lines, a served line is skipped by reading its status from the bytes
    /// (the pre-filter). The refusals and their groups are the same as when every line is parsed,
    /// on every format, and a status written inside a value (a User-Agent quoting a log key) does
    /// not hide a refusal.
    func testPrefilterKeepsEveryRefusal() throws {
        let hostile = #"{"ClientIP":"192.0.2.9","ClientRequestUserAgent":"x\",\"EdgeResponseStatus\":200,\"y","EdgeResponseStatus":403,"# +
            #""EdgeStartTimestamp":"2026-11-29T09:32:01Z","SecurityAction":"block","SecuritySources":["country"],"SecurityRuleID":""}"# + "\n"
        let albCRLF = try String(contentsOfFile: edge("alb.log"), encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
        var cases: [(String, String)] = []
        for file in ["aws-waf.log", "alb.log", "cloudfront.log", "s3-access.log", "cloudflare.log", "cloudflare-firewall-events.log", "iis.log"] {
            cases.append((file, try String(contentsOfFile: edge(file), encoding: .utf8)))
        }
        cases.append(("cloudflare-hostile.log", try String(contentsOfFile: edge("cloudflare.log"), encoding: .utf8) + hostile))
        cases.append(("alb-crlf.log", albCRLF))
        for (name, text) in cases {
            for statuses: Set<Int> in [[403], [401, 403, 405, 429]] {
                var all = LogsLimits(); all.fullyParsedLines = 1 << 30
                var filtered = LogsLimits(); filtered.fullyParsedLines = 0
                let a = try LogsAnalyzer().analyze(data: Array(text.utf8), name: name, chunkSize: 64,
                                                   input: LogsAnalyzer.Input(paths: [name], statuses: statuses, limits: all))
                let b = try LogsAnalyzer().analyze(data: Array(text.utf8), name: name, chunkSize: 64,
                                                   input: LogsAnalyzer.Input(paths: [name], statuses: statuses, limits: filtered))
                let (sa, sb) = (try summary(a), try summary(b))
                XCTAssertGreaterThan(sa.denials, 0, name)
                XCTAssertEqual(sa.denials, sb.denials, "\(name) \(statuses)")
                XCTAssertEqual(perCause(sa), perCause(sb), "\(name) \(statuses)")
                XCTAssertEqual(a.findings.map(\.rule), b.findings.map(\.rule), "\(name) \(statuses)")
            }
        }
        let h = try summary(LogsAnalyzer().analyze(data: Array(hostile.utf8), name: "h.log", chunkSize: 64,
                                                   input: LogsAnalyzer.Input(paths: ["h.log"], limits: { var l = LogsLimits(); l.fullyParsedLines = 0; return l }(),
                                                                             inputFormat: .cloudflare)))
        XCTAssertEqual(h.denials, 1, "the key inside the User-Agent is not the record's status")
    }

    /// Issue 18: CloudFront real-time logs (no header, tab-separated, epoch timestamps): detected,
    /// read with every field, or with the configured ones (`fields`).
    func testCloudFrontRealtimeLogs() throws {
        let (_, s) = try run([edge("cloudfront-realtime.log")])
        XCTAssertEqual(s.denials, 3)
        XCTAssertEqual(perCause(s), ["geo.block": 2, "unknown": 1])
        XCTAssertEqual(s.malformed.count, 0)
        XCTAssertFalse(s.timeline.counts.isEmpty, "the epoch timestamps give the time")
        var input = LogsAnalyzer.Input(paths: [edge("cloudfront-realtime-subset.log")], inputFormat: .cloudfront)
        input.fields = ["timestamp", "c-ip", "sc-status", "cs-uri-stem", "x-edge-detailed-result-type", "c-country"]
        let sub = try summary(LogsAnalyzer().analyze(input))
        XCTAssertEqual(sub.denials, 3)
        XCTAssertEqual(perCause(sub), ["geo.block": 2, "unknown": 1])
        // Without the names, a subset record is never guessed: no line of the file is a record, an error (exit 2) that
        // names the first line and what was expected.
        XCTAssertThrowsError(try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: [edge("cloudfront-realtime-subset.log")],
                                                                        inputFormat: .cloudfront))) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains("cloudfront-realtime-subset.log:1: error: expected a CloudFront log record (45 tab-separated fields"), text)
        }
    }

    /// The ALB/S3 tokenizer walks bytes: non-ASCII text, escaped quotes and a combining mark after a
    /// delimiter keep every field where it belongs.
    func testTokenizerKeepsNonASCIIFields() throws {
        let first = try String(contentsOfFile: edge("alb.log"), encoding: .utf8).split(separator: "\n")[0]
        let ua = #"Mozílla/5.0 \"quoted\" 🙂 e\#u{301}"#
        let line = first.replacingOccurrences(of: #""sqlmap/1.7.2#stable (https://sqlmap.org)""#, with: "\"\(ua)\"")
        XCTAssertNotEqual(String(first), line)
        let r = try LogsAnalyzer().analyze(data: Array((line + "\n").utf8), name: "alb.log", chunkSize: 11,
                                           input: LogsAnalyzer.Input(paths: ["alb.log"], inputFormat: .alb))
        let s = try summary(r)
        XCTAssertEqual(s.denials, 1)
        XCTAssertEqual(s.malformed.count, 0)
        let key = try XCTUnwrap(s.topUserAgents.first?.key)
        XCTAssertTrue(key.hasPrefix("Mozílla/5.0 ") && key.contains("quoted") && key.hasSuffix("🙂 e\u{301}"), key)
        XCTAssertEqual(s.topPaths.first?.key, "/search")
    }

    func testTimeWindowApplies() throws {
        // 2026-11-29T09:30:20Z: the first two WAF refusals (09:30:17, :18) are before it.
        let (_, s) = try run([edge("aws-waf.log")], since: 1_795_944_620)
        XCTAssertEqual(perCause(s)["waf.rule"], 1)
        XCTAssertEqual(s.outsideWindow, 2)
    }

    func testUnknownInputFormatIsAnInputError() {
        XCTAssertThrowsError(try LogInputFormat.named("apache-access")) { e in
            XCTAssertTrue("\(e)".contains("aws-waf"), "\(e)")
        }
    }
    /// Issue 18: past their first lines, large ALB, S3 access and Cloudflare logs are gathered from mapped
    /// windows holding the status needle (`" 403 "`, `"EdgeResponseStatus":403`): the report is the
    /// one every line parsed gives, line numbers and samples included, with decoys (the needle in
    /// another field, in a quoted value), CRLF lines and a last line without newline. A writer that
    /// spaces its JSON (`"EdgeResponseStatus": 403`, which the needle would miss) keeps every line parsed.
    func testLargeEdgeLogsThroughMappedWindowsEqualEveryLineParsed() throws {
        let alb = try String(contentsOfFile: edge("alb.log"), encoding: .utf8).split(separator: "\n").map(String.init)
        let cf = try String(contentsOfFile: edge("cloudflare.log"), encoding: .utf8).split(separator: "\n").map(String.init)
        let s3 = try String(contentsOfFile: edge("s3-access.log"), encoding: .utf8).split(separator: "\n").map(String.init)
        func big(_ base: [String], decoy: (String, Int) -> String) -> String {
            var lines: [String] = []
            var size = 0, i = 0
            while size < 10 << 20 {
                var line = base[i % base.count]
                if i % 7 != 0 { line = decoy(line, i) }      // most lines served, some holding the needle elsewhere
                if i % 1001 == 500 { line += "\r" }
                lines.append(line)
                size += line.utf8.count + 1
                i += 1
            }
            return lines.joined(separator: "\n")  // the last line without newline
        }
        let albText = big(alb) { line, i in
            // A served line; every third one with 403 as its received bytes.
            var t = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            t[8] = "200"; t[9] = "200"
            if i % 3 == 0 { t[10] = "403" }
            t[3] = "198.51.100.\(i % 200):4000"
            return t.joined(separator: " ")
        }
        let cfText = big(cf) { line, i in
            line.replacingOccurrences(of: "\"EdgeResponseStatus\":403", with: "\"EdgeResponseStatus\":200")
                .replacingOccurrences(of: "\"ClientRequestUserAgent\":\"", with: i % 3 == 0 ? "\"ClientRequestUserAgent\":\"x\\\"EdgeResponseStatus\\\":403 " : "\"ClientRequestUserAgent\":\"")
        }
        let s3Text = big(s3) { line, i in
            line.replacingOccurrences(of: "\" 403 AccessDenied 243 ", with: i % 3 == 0 ? "\" 200 - 403 " : "\" 200 - 243 ")
        }
        let spaced = cfText.replacingOccurrences(of: "\"EdgeResponseStatus\":", with: "\"EdgeResponseStatus\": ")
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (name, text) in [("big-alb.log", albText), ("big-cloudflare.log", cfText), ("big-s3.log", s3Text), ("big-spaced.log", spaced)] {
            let f = try dir.write(name, text).path
            var every = LogsLimits(); every.fullyParsedLines = 1 << 30
            let fromFile = try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: [f]))
            let parsed = try LogsAnalyzer().analyze(data: Array(text.utf8), name: f, chunkSize: 1 << 20,
                                                    input: LogsAnalyzer.Input(paths: [f], limits: every))
            let searched = try LogsAnalyzer().analyze(data: Array(text.utf8), name: f, chunkSize: 100_003,
                                                      input: LogsAnalyzer.Input(paths: [f]))
            // The one difference allowed: the note that says lines past the first were pre-filtered.
            let clean = { (r: Report) -> String in
                var r = r
                r.notes = []
                return jsonString(r).replacingOccurrences(of: "\"bytes_read\":\(text.utf8.count)", with: "")
            }
            XCTAssertTrue(clean(fromFile) == clean(parsed), "\(name): the mapped read differs from every line parsed")
            XCTAssertTrue(clean(searched) == clean(parsed), "\(name): the search in memory differs from every line parsed")
            let s = try summary(fromFile)
            XCTAssertGreaterThan(s.denials, 1000, name)
            XCTAssertEqual(s.malformed.count, 0, name)
        }
    }
    /// Issue 18: Cloudflare records are read by a flat JSON reader (`FlatJSON`) instead of
    /// Foundation's `JSONSerialization`: on the samples, on escapes, nulls, nested values and
    /// invalid JSON, escaped, repeated and unknown member names (it keeps only the members the reader
    /// asks for), and on 1,500 byte mutations of the samples, both give the same report line by
    /// line (refused or not, cause, rule, client, path, country, malformed or not); so does the
    /// reader's pass run ahead on the read-ahead thread (`LogsLimits.tokenizeEveryLine`).
    func testFlatJSONReadsCloudflareRecordsAsFoundationDoes() throws {
        var lines: [String] = []
        for file in ["cloudflare.log", "cloudflare-firewall-events.log"] {
            lines += try String(contentsOfFile: edge(file), encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let base = lines[0]
        lines += [
            #"{"EdgeResponseStatus":403,"ClientRequestUserAgent":"a\"b\\c\/d\u00e9\ud83d\ude00\n","ClientIP":"192.0.2.1"}"#,
            #"{ "EdgeResponseStatus" : 403 , "ClientCountry" : null , "SecuritySources" : [ "ipAccessRule" , "x" ] }"#,
            #"{"EdgeResponseStatus":403.0,"OriginResponseStatus":403,"BotScore":true,"RuleID":12345,"Action":"block"}"#,
            #"{"EdgeResponseStatus":"403","EdgeStartTimestamp":1732872721,"Source":"waf","X":{"y":[1,{"z":[true,null]}]}}"#,
            #"{"EdgeResponseStatus":403,"EdgeStartTimestamp":"1732872721000","SecuritySources":[]}"#,
            #"{"EdgeResponseStatus":403,"EdgeResponseStatus":200}"#,
            #"{"EdgeResponseStatus":403,}"#, #"{"EdgeResponseStatus":403,"SecuritySources":["a",]}"#, #"{,"EdgeResponseStatus":403}"#, #"{'EdgeResponseStatus':403}"#, #"{"EdgeResponseStatus":403"#,
            #"{"EdgeResponseStatus":0403}"#, #"{"EdgeResponseStatus":403} x"#, #"[{"EdgeResponseStatus":403}]"#,
            #"{"EdgeResponseStatus":403,"a":"\x"}"#, #"{"EdgeResponseStatus":403,"a":"tab\there"}"#,
            #"{"EdgeResponseStatus":-403}"#, #"{"EdgeResponseStatus":4e2}"#, #"{"EdgeResponseStatus":403,"a":1.}"#,
            "{\"EdgeResponseStatus\":403,\"a\":\"raw\ttab\"}",
            // Valid JSON that looks binary (DEL needs no escape): malformed, whichever thread checks it.
            "{\"EdgeResponseStatus\":403,\"ClientIP\":\"192.0.2.1\u{7F}\"}",
            // Member names: escaped, non-ASCII, repeated, an unknown one holding an escape, nested names.
            #"{"Edge\u0052esponseStatus":403,"Client\u0049P":"192.0.2.7","Secur\u0069tyAction":"block"}"#,
            #"{"EdgeResponseStatus":403,"ClientIP":"192.0.2.8","ClientIP":"192.0.2.9","Cliént":"x","\u00e9\n":1}"#,
            #"{"EdgeResponseStatus":403,"Unknown\"Key":"v","X":{"ClientIP":"192.0.2.10"},"ClientIP\u0000":"192.0.2.11"}"#,
            #"{"EdgeResponseStatus":403,"ClientIP":"192.0.2.12","\ud83d\ude00":[1,"\uDE00"]}"#,
            // Near misses of asked-for names (the name table's lookups), and values that end a plain
            // run in each of the eight lanes of a word.
            #"{"EdgeResponseStatus":403,"ClientIPX":"192.0.2.13","ClientI":"x","clientIP":"y","EdgeResponseStatu":200,"SecurityRuleIDs":"z"}"#,
            #"{"EdgeResponseStatus":403,"ClientRequestPath":"/a\"b","ClientRequestURI":"/abcdefg\/h","SecurityRuleID":"0123456\u0041"}"#,
            #"{"EdgeResponseStatus":403,"ClientRequestUserAgent":"12345678\n","SecurityRuleDescription":"1234567\t8","Source":"abcdefghijklmno"}"#,
            String(repeating: "{\"a\":", count: 40) + "1" + String(repeating: "}", count: 40),
            // Client, path and user agent read as views of the line's bytes where they are plain strings: a query or a
            // fragment, the URI when the path is absent, null or not text, non-ASCII (KELVIN SIGN and a combining
            // accent), a client written as a number.
            #"{"EdgeResponseStatus":403,"ClientIP":"2001:db8::1","ClientRequestPath":"/a?b#c","ClientRequestUserAgent":"\#u{212A}af\#u{E9}"}"#,
            #"{"EdgeResponseStatus":403,"ClientIP":192,"ClientRequestURI":"/u#frag?x","ClientRequestUserAgent":"Kafe\#u{301}"}"#,
            #"{"EdgeResponseStatus":403,"ClientRequestPath":null,"ClientRequestURI":"/only?q=1"}"#,
            #"{"EdgeResponseStatus":403,"ClientRequestPath":7,"ClientRequestURI":"/not-this"}"#,
            #"{"EdgeResponseStatus":403,"ClientRequestPath":"","ClientRequestURI":"/not-this-either","ClientIP":""}"#,
            #"{"EdgeResponseStatus":403,"ClientRequestPath":"/\#u{E9}t\#u{E9}?q","ClientRequestUserAgent":"","ClientIP":"-"}"#,
        ]
        var rng = SplitMix64(seed: 0x403)
        let alphabet = Array(#"{}[]":,\ 0123456789.eE+-tfnu"abcdXYZ"#.utf8)
        for _ in 0..<1_500 {
            let b = rng.mutate(Array((lines[Int(rng.next() % UInt64(lines.count))]).utf8), alphabet: alphabet)
            lines.append(String(decoding: b, as: UTF8.self))
        }
        XCTAssertFalse(base.isEmpty)
        var differ: [String] = []
        for line in lines where !line.contains("\n") {
            var flat = LogsLimits(); flat.fullyParsedLines = 1 << 30
            var foundation = flat; foundation.foundationJSON = true
            // A line that is no record is a one-line file of no record: an error, which the readers must agree on too.
            func report(_ limits: LogsLimits) throws -> String {
                do {
                    var r = try LogsAnalyzer().analyze(data: Array((line + "\n").utf8), name: "cf.log", chunkSize: 1 << 20,
                                                       input: LogsAnalyzer.Input(paths: ["cf.log"], statuses: Set(100...599), limits: limits,
                                                                                 inputFormat: .cloudflare))
                    r.notes = []
                    return jsonString(r)
                } catch let e as InputError {
                    return "error: " + (e.line.map(String.init) ?? "")
                }
            }
            let flatReport = try report(flat)
            if try flatReport != report(foundation) { differ.append(line) }
            // The pass the read-ahead thread runs on large files (`LineTokenizer`) reads the same.
            var tokenized = flat; tokenized.tokenizeEveryLine = true
            if try flatReport != report(tokenized) { differ.append("tokens: " + line) }
        }
        XCTAssertEqual(differ, [], "lines the two readers read differently")
    }
}
