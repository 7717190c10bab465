import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// End-to-end runs of `why403 logs`: stdout, stderr and exit status of the built binary.
final class LogsCLITests: XCTestCase {
    func recorded(_ name: String) -> String { Fixtures.url("logs/recorded/\(name)").path }

    func testJSONReportOfAccessAndErrorLogs() throws {
        let r = try Run.why403(["logs", recorded("nginx-access.log"), recorded("nginx-error.log"), "--status", "401,403,429",
                                "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.subject.kind, "logs")
        XCTAssertEqual(report.verdict.cause, .fsPermission)
        XCTAssertEqual(report.verdict.layer, .filesystem)
        XCTAssertEqual(report.subject.extra["denials"], .int(10))
        XCTAssertEqual(report.subject.extra["correlated"], .int(10))
        XCTAssertEqual(report.findings.first?.confidence, .certain)
        XCTAssertTrue(report.findings.first?.evidence.first?.source.hasPrefix("log ") ?? false)
    }

    func testTextPageWithTablesAndTimeline() throws {
        let r = try Run.why403(["logs", recorded("apache-access.log"), recorded("apache-error.log"), "--status", "401,403"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for part in ["refused requests", "causes\n", "paths\n", "clients\n", "user agents\n", "timeline", "fix: "] {
            XCTAssertTrue(r.stdout.contains(part), "missing \(part) in\n\(r.stdout)")
        }
        XCTAssertEqual(r.stderr, "", "no progress bar when stderr is not a terminal")
    }

    /// A directory stands for the logs under it, as a server keeps them (`/var/log/nginx`) or a provider delivers them:
    /// the same report as the files named one by one, and a short list of them on the page.
    func testADirectoryOfLogs() throws {
        let dir = NSTemporaryDirectory() + "why403-logs-dir-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/nginx", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/edge", withIntermediateDirectories: true)
        try fm.copyItem(atPath: recorded("nginx-access.log"), toPath: dir + "/nginx/access.log")
        try fm.copyItem(atPath: recorded("nginx-error.log"), toPath: dir + "/nginx/error.log")
        try fm.copyItem(atPath: Fixtures.url("logs/edge/alb.log").path, toPath: dir + "/edge/alb.log")
        try fm.copyItem(atPath: Fixtures.url("logs/edge/aws-waf.log").path, toPath: dir + "/edge/aws-waf.log")
        let named = ["edge/alb.log", "edge/aws-waf.log", "nginx/access.log", "nginx/error.log"].map { dir + "/" + $0 }
        let one = try Run.why403(["logs", dir, "--status", "401,403,429", "--format", "json"])
        let each = try Run.why403(["logs"] + named + ["--status", "401,403,429", "--format", "json"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(each.status, 0, each.stderr)
        XCTAssertEqual(one.stdout, each.stdout)
        for i in 0..<12 { try Data("".utf8).write(to: URL(fileURLWithPath: dir + "/edge/empty-\(i).log")) }
        let page = try Run.why403(["logs", dir])
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertTrue(page.stdout.contains("files: \(dir)/edge/alb.log, \(dir)/edge/aws-waf.log, \(dir)/edge/empty-0.log, "
                                           + "\(dir)/edge/empty-1.log, \(dir)/edge/empty-10.log and 11 more"), page.stdout)
        // A file that is no log (a provider's marker file) is left out with a note when found in a directory, an error
        // when named.
        let marker = dir + "/edge/ELBAccessLogTestFile"
        try Data("Enable AccessLog for ELB: shop at 2026-11-29T09:00:00.000Z\n".utf8).write(to: URL(fileURLWithPath: marker))
        let withMarker = try Run.why403(["logs", dir, "--status", "401,403,429", "--format", "json"])
        XCTAssertEqual(withMarker.status, 0, withMarker.stderr)
        let report = try decodeReport(withMarker.stdout)
        XCTAssertEqual(report.findings, try decodeReport(each.stdout).findings)
        XCTAssertTrue(report.notes.contains { $0.hasPrefix("1 file found in the directories named was left out") && $0.contains(marker + " (line 1: ") },
                      "\(report.notes)")
        let alone = try Run.why403(["logs", marker])
        XCTAssertEqual(alone.status, 2)
        XCTAssertTrue(alone.stderr.contains("ELBAccessLogTestFile:1: error: this line does not match the log format"), alone.stderr)
        try fm.createDirectory(atPath: dir + "/none", withIntermediateDirectories: true)
        let none = try Run.why403(["logs", dir + "/none"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("expected log files in the directory, found none"), none.stderr)
    }

    func testEdgeLogsForcedOnStdinAndEmitSQL() throws {
        let waf = try Data(contentsOf: Fixtures.url("logs/edge/aws-waf.log"))
        let r = try Run.why403(["logs", "-", "--input-format", "aws-waf", "--format", "json"], stdin: waf)
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try decodeReport(r.stdout)
        XCTAssertEqual(report.verdict.layer, .awsWAF)
        XCTAssertEqual(report.subject.extra["denials"], .int(6))
        let sql = try Run.why403(["logs", "--emit-sql", "duckdb", "--input-format", "alb", "--table", "alb_logs", "--status", "401,403"])
        XCTAssertEqual(sql.status, 0, sql.stderr)
        XCTAssertTrue(sql.stdout.contains("SELECT cause, count(*) AS \"count\""), sql.stdout)
        XCTAssertTrue(sql.stdout.contains("FROM alb_logs"), sql.stdout)
        XCTAssertTrue(sql.stdout.contains("WHERE status IN (401, 403)"), sql.stdout)
        for bad in [["--emit-sql", "mysql", "--input-format", "alb", "--table", "t"], ["--emit-sql", "duckdb", "--table", "t"],
                    ["--emit-sql", "duckdb", "--input-format", "alb", "--table", "t; drop"], ["x.log", "--input-format", "apache-access"],
                    ["x.log", "--log-format", ""], ["x.log", "--apache-log-format", " "]] {
            let e = try Run.why403(["logs"] + bad)
            XCTAssertEqual(e.status, 2, "\(bad): \(e.stdout)")
            XCTAssertFalse(e.stderr.isEmpty, "\(bad)")
        }
    }

    /// Issue 18: each denial of an edge log is joined to the rule that made it, from the rules given.
    func testEdgeDenialsJoinedToTheRulesGiven() throws {
        let edge = { (n: String) in Fixtures.url("logs/edge/\(n)").path }
        let waf = try Run.why403(["logs", edge("aws-waf.log"), "--web-acl", edge("join/web-acl.json"), "--status", "403,405,429",
                                  "--format", "json"])
        XCTAssertEqual(waf.status, 0, waf.stderr)
        let r = try decodeReport(waf.stdout)
        let geo = try XCTUnwrap(r.findings.first { $0.rule == "GeoBlockRule" })
        XCTAssertTrue(geo.evidence.first?.source.hasPrefix(edge("join/web-acl.json") + ":") ?? false, "\(geo.evidence)")
        XCTAssertTrue(geo.evidence.first?.text.contains("GeoMatchStatement (countries RU, KP)") ?? false, "\(geo.evidence)")
        XCTAssertTrue(geo.evidence.first?.text.contains("Block") ?? false)
        let sqli = try XCTUnwrap(r.findings.first { $0.rule == "SQLi_QUERYARGUMENTS" })
        XCTAssertTrue(sqli.evidence.first?.text.contains("AWSManagedRulesSQLiRuleSet") ?? false, "\(sqli.evidence)")
        XCTAssertNotNil(sqli.details?["rule_source"])
        // BlockBadBots is in the logs but not in this web ACL: said, not guessed.
        XCTAssertTrue(r.notes.contains { $0.contains("BlockBadBots") && $0.contains("not in the rules given") }, "\(r.notes)")
        XCTAssertFalse(r.notes.contains { $0.contains("Default_Action") })

        let cf = try Run.why403(["logs", edge("cloudflare.log"), "--cloudflare-rules", edge("join/cloudflare-custom.json"), "--format", "json"])
        XCTAssertEqual(cf.status, 0, cf.stderr)
        let c = try decodeReport(cf.stdout)
        let wp = try XCTUnwrap(c.findings.first { $0.rule == "2f6c1e0b4a8b4f0e9a1d3c5b7e9f0a1b" })
        XCTAssertTrue(wp.evidence.first?.text.contains("wp_login_office") ?? false, "\(wp.evidence)")
        XCTAssertTrue(wp.evidence.first?.text.contains("http.request.uri.path eq \"/wp-login.php\"") ?? false, "\(wp.evidence)")
        XCTAssertTrue(c.notes.contains { $0.contains("5de7edfa648c4d6891dc3e7f84534ffa") }, "a managed rule not in the files given: \(c.notes)")
        XCTAssertFalse(c.notes.contains { $0.contains("\"country\"") })

        let audit = Fixtures.url("logs/modsecurity/audit-nginx-json.log").path
        let ms = try Run.why403(["logs", audit, "--modsecurity", edge("join/crs-excerpt.conf"), "--format", "json"])
        XCTAssertEqual(ms.status, 0, ms.stderr)
        let m = try decodeReport(ms.stdout)
        let blocked = try XCTUnwrap(m.findings.first { $0.rule == "modsecurity-949110" })
        XCTAssertTrue(blocked.evidence.contains { $0.source == edge("join/crs-excerpt.conf") + ":17" && $0.text.contains("Inbound Anomaly Score") },
                      "\(blocked.evidence)")
        XCTAssertTrue(blocked.evidence.contains { $0.source == edge("join/crs-excerpt.conf") + ":10" && $0.text.contains("942100") })

        for bad in [["--web-acl", "/nonexistent.json"], ["--cloudflare-rules", edge("join/crs-excerpt.conf")],
                    ["--modsecurity", "/nonexistent-dir"], ["--rule-group", edge("join/web-acl.json")]] {
            let e = try Run.why403(["logs", edge("aws-waf.log")] + bad)
            XCTAssertEqual(e.status, 2, "\(bad): \(e.stdout)")
            XCTAssertFalse(e.stderr.isEmpty, "\(bad)")
        }
        let sql = try Run.why403(["logs", "--emit-sql", "duckdb", "--input-format", "modsecurity-audit", "--table", "t"])
        XCTAssertEqual(sql.status, 2, "an audit log is not one row per request: \(sql.stdout)")
        XCTAssertTrue(sql.stderr.contains("modsecurity-audit"), sql.stderr)
    }

    /// Issue 18: stdin is sniffed like a file (an edge log needs no --input-format there).
    func testEdgeLogOnStdinIsDetected() throws {
        for (name, layer) in [("aws-waf.log", Layer.awsWAF), ("cloudflare.log", .cloudflare), ("alb.log", .awsWAF)] {
            let data = try Data(contentsOf: Fixtures.url("logs/edge/\(name)"))
            let r = try Run.why403(["logs", "-", "--format", "json"], stdin: data)
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            let report = try decodeReport(r.stdout)
            XCTAssertTrue(report.findings.contains { $0.layer == layer } || report.verdict.layer == layer,
                          "\(name): \(report.findings.map { "\($0.layer)" })")
        }
        let rt = try Run.why403(["logs", Fixtures.url("logs/edge/cloudfront-realtime-subset.log").path, "--input-format", "cloudfront",
                                 "--fields", "timestamp,c-ip,sc-status,cs-uri-stem,x-edge-detailed-result-type,c-country", "--format", "json"])
        XCTAssertEqual(rt.status, 0, rt.stderr)
        XCTAssertEqual(try decodeReport(rt.stdout).subject.extra["denials"], .int(3))
        let noStatus = try Run.why403(["logs", Fixtures.url("logs/edge/cloudfront-realtime-subset.log").path, "--fields", "timestamp,c-ip"])
        XCTAssertEqual(noStatus.status, 2, noStatus.stdout)
        let err = try Data(contentsOf: Fixtures.url("logs/recorded/nginx-error.log"))
        let acc = try Data(contentsOf: Fixtures.url("logs/recorded/nginx-access.log"))
        let a = try Run.why403(["logs", "-", "--format", "json"], stdin: err)
        XCTAssertEqual(a.status, 0, a.stderr)
        let b = try Run.why403(["logs", "-", "--format", "json"], stdin: acc)
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try decodeReport(b.stdout).subject.extra["denials"],
                       try decodeReport(Run.why403(["logs", recorded("nginx-access.log"), "--format", "json"]).stdout).subject.extra["denials"])
    }

    /// A named pipe, `/dev/stdin` on a pipe and a process substitution are read once, sniffed like stdin: session 33's
    /// QA saw 0 lines read from `<(cat log)` and `/dev/stdin` (the sniff took the bytes) and a named pipe wait forever
    /// (opened a second time, with its writer gone).
    func testPipesAndProcessSubstitutionAreReadOnce() throws {
        let exe = Run.productsDirectory.appendingPathComponent("why403").path
        let acc = recorded("nginx-access.log"), waf = Fixtures.url("logs/edge/aws-waf.log").path
        let want = try decodeReport(Run.why403(["logs", acc, "--format", "json"]).stdout).subject.extra["denials"]
        let dir = try TemporaryDirectory(prefix: "why403-fifo")
        defer { dir.remove() }
        let fifo = dir.path + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for (cmd, expected) in [("cat '\(acc)' | '\(exe)' logs /dev/stdin --format json", want),
                                ("cat '\(acc)' > '\(fifo)' & '\(exe)' logs '\(fifo)' --format json", want),
                                ("bash -c \"'\(exe)' logs <(cat '\(acc)') --format json\"", want),
                                ("cat '\(waf)' | '\(exe)' logs /dev/stdin --format json", .int(6))] {
            let r = try Run.shell(cmd, timeout: 20)
            XCTAssertEqual(r.status, 0, "\(cmd): \(r.stderr)")
            XCTAssertEqual(try decodeReport(r.stdout).subject.extra["denials"], expected, cmd)
        }
    }

    func testStdinAndHTML() throws {
        let log = try Data(contentsOf: URL(fileURLWithPath: recorded("nginx-access.log")))
        let r = try Run.why403(["logs", "-", "--format", "html"], stdin: log)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("<!doctype html>"))
        XCTAssertTrue(r.stdout.contains("<svg"))
        XCTAssertTrue(r.stdout.contains("(stdin)"))
    }

    func testSecretsInLogsAreRedacted() throws {
        let line = #"10.0.0.1 - - [29/Nov/2026:09:30:17 +0000] "GET /dl?token=SuperSecretValue123 HTTP/1.1" 403 0 "-" "curl/8""# + "\n"
        for format in ["text", "json", "markdown", "html"] {
            let r = try Run.why403(["logs", "-", "--format", format], stdin: Data(line.utf8))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(r.stdout.contains("SuperSecretValue123"), format)
        }
    }

    func testBadInputExitsTwo() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Run.shell("printf '\\037\\213\\010\\000garbage-garbage' > \(dir.path)/bad.gz")
        let cases: [(id: String, args: [String], stderr: String)] = [
            ("bad gzip", ["logs", dir.path + "/bad.gz"], "\(dir.path)/bad.gz: error: expected gzip data"),
            ("missing file", ["logs", dir.path + "/none.log"], "\(dir.path)/none.log: error: expected a readable log file"),
            ("wrong format", ["logs", recorded("nginx-access.log"), "--log-format", "$remote_addr \"$request\" $status"],
             "\(recorded("nginx-access.log")):1: error: this line does not match the log format"),
            ("bad status", ["logs", recorded("nginx-access.log"), "--status", "40x"], "--status takes HTTP statuses"),
            ("bad since", ["logs", recorded("nginx-access.log"), "--since", "yesterday"], "expected --since as ISO 8601"),
            ("sarif", ["logs", recorded("nginx-access.log"), "--format", "sarif"], "--format sarif is not available here"),
            ("no file", ["logs"], "give at least one log file"),
        ]
        for c in cases {
            let r = try Run.why403(c.args)
            XCTAssertEqual(r.status, 2, "\(c.id): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(c.stderr), "\(c.id): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", c.id)
        }
    }

    /// A large file is mapped whole where the system allows it; under an address-space limit (`ulimit -v`) that
    /// refuses such a mapping, it is read a few blocks at a time, with the same report. The file: 2,000 lines, then
    /// a hole to 1 GiB (sparse: no disk used; the hole reads as one overlong line of zero bytes); the limit, 640 MiB,
    /// is well above what the process needs (it runs under 384 MiB) and below the file.
    func testALargeLogUnderAnAddressSpaceLimitIsReadAsWithout() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var text = ""
        for i in 0..<2_000 {
            text += "203.0.113.\(i % 200) - - [29/Nov/2026:09:\(String(format: "%02d", i % 60)):17 +0000] \"GET /p\(i % 7) HTTP/1.1\" "
                + (i % 3 == 0 ? "403" : "200") + " 153 \"-\" \"curl/8.0\"\n"
        }
        let url = try dir.write("big.log", text)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        let exe = Run.productsDirectory.appendingPathComponent("why403").path
        let free = try Run.shell("'\(exe)' logs '\(url.path)' --format json", timeout: 120)
        let limited = try Run.shell("ulimit -v 655360 && '\(exe)' logs '\(url.path)' --format json", timeout: 120)
        XCTAssertEqual(free.status, 0, free.stderr)
        XCTAssertEqual(limited.status, 0, limited.stderr)
        XCTAssertEqual(limited.stdout, free.stdout)
        let s = try XCTUnwrap(LogsSummary(report: try decodeReport(free.stdout)))
        XCTAssertEqual(s.denials, 667)
    }
}
