import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// `why403 logs --emit-sql`: the query, run by the real engines (DuckDB, and ClickHouse in process
/// through chDB) on the sample logs loaded into the documented table layouts, gives the same
/// refusals per cause as `why403 logs` on the same files, count for count. The loader
/// (`Fixtures/logs/edge/sql/run.py`) is written apart from the Swift parsers.
final class EmitSQLTests: XCTestCase {
    func edge(_ name: String) -> String { Fixtures.url("logs/edge/\(name)").path }

    /// Every format with its sample and the statuses to count.
    var cases: [(LogInputFormat, String, Set<Int>)] {
        [(.awsWAF, edge("aws-waf.log"), [403, 405, 429]), (.alb, edge("alb.log"), [401, 403]),
         (.cloudfront, edge("cloudfront.log"), [403]), (.s3Access, edge("s3-access.log"), [403]),
         (.cloudflare, edge("cloudflare.log"), [403, 429]), (.iis, edge("iis.log"), [401, 403]),
         (.combined, recorded("nginx-access.log"), [401, 403, 429]),
         // nginx's `main` (combined and "$http_x_forwarded_for") and Apache's `vhost_combined`, as the real servers wrote them.
         (.combined, recorded("nginx-access-main.log"), [401, 403, 429]), (.combined, recorded("apache-other-vhosts-access.log"), [401, 403])]
    }

    func python(module: String) throws -> String {
        let python = try RealTools.require("python3")
        let probe = try Run.program(python, ["-c", "import \(module)"])
        if probe.status != 0 {
            let message = "\(module) is not installed for \(python) (pip install \(module); .ci/run does)"
            if RealTools.isCI { XCTFail(message) }
            throw XCTSkip(message)
        }
        return python
    }

    func scanner(_ format: LogInputFormat, _ file: String, _ statuses: Set<Int>, since: Int64? = nil, fields: [String]? = nil) throws -> [String: Int] {
        var input = LogsAnalyzer.Input(paths: [file], statuses: statuses, since: since, inputFormat: format)
        input.fields = fields
        let r = try LogsAnalyzer().analyze(input)
        var out: [String: Int] = [:]
        for c in try summary(r).causes { out[c.cause, default: 0] += c.count }
        return out
    }

    func engine(_ dialect: SQLDialect, _ format: LogInputFormat, _ file: String, _ statuses: Set<Int>,
                since: Int64? = nil, fields: [String]? = nil) throws -> [String: Int] {
        let python = try self.python(module: dialect == .duckdb ? "duckdb" : "chdb")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("why403-sql-\(getpid())-\(format.rawValue)-\(dialect.rawValue)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ddl = dir.appendingPathComponent("ddl.sql"), cols = dir.appendingPathComponent("columns.json"),
            query = dir.appendingPathComponent("query.sql")
        try EdgeSQL.createTable(format, dialect, table: "edge_logs", fields: fields).write(to: ddl, atomically: true, encoding: .utf8)
        let columns = EdgeSQL.columns(format, fields: fields).map { [$0.name, $0.duckdb, $0.clickhouse] }
        try JSONSerialization.data(withJSONObject: columns).write(to: cols)
        try EdgeSQL.query(format: format, dialect: dialect, table: "edge_logs", statuses: statuses, since: since, fields: fields)
            .write(to: query, atomically: true, encoding: .utf8)
        let res = try Run.program(python, [Fixtures.url("logs/edge/sql/run.py").path, dialect.rawValue, format.rawValue, file,
                                           ddl.path, cols.path, query.path] + (fields.map { [$0.joined(separator: ",")] } ?? []),
                                  timeout: 300)
        guard res.status == 0 else {
            XCTFail("\(dialect) on \(format): \(res.stderr.suffix(3000))\n\(try String(contentsOf: query, encoding: .utf8))")
            return [:]
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(res.stdout.utf8)) as? [String: Int]
        return try XCTUnwrap(decoded, res.stdout)
    }

    func compare(_ dialect: SQLDialect) throws {
        // The engine first, outside any assertion: a missing one skips the test (fails it under CI) instead of
        // failing every comparison whose autoclosure would throw the skip.
        _ = try python(module: dialect == .duckdb ? "duckdb" : "chdb")
        for (format, file, statuses) in cases {
            let expected = try scanner(format, file, statuses)
            XCTAssertFalse(expected.isEmpty, "\(format): the sample has refusals")
            XCTAssertEqual(try engine(dialect, format, file, statuses), expected, "\(dialect) on \(format.rawValue)")
        }
        // The time filter: 2026-11-29T09:30:20Z drops the first two refusals of the WAF log.
        let since: Int64 = 1_795_944_620
        XCTAssertEqual(try engine(dialect, .awsWAF, edge("aws-waf.log"), [403], since: since),
                       try scanner(.awsWAF, edge("aws-waf.log"), [403], since: since))
        XCTAssertEqual(try engine(dialect, .alb, edge("alb.log"), [403], since: since),
                       try scanner(.alb, edge("alb.log"), [403], since: since))
        // CloudFront real-time logs: Athena's cloudfront_real_time_logs layout, every field or the
        // configured ones (--fields), with the time filter on `timestamp` (epoch seconds with ms).
        let all = EdgeSQL.cloudfrontRealtimeFields
        let some = ["timestamp", "c-ip", "sc-status", "cs-uri-stem", "x-edge-detailed-result-type", "c-country"]
        for (file, fields) in [("cloudfront-realtime.log", all), ("cloudfront-realtime-subset.log", some)] {
            let expected = try scanner(.cloudfront, edge(file), [403], fields: fields)
            XCTAssertFalse(expected.isEmpty, file)
            XCTAssertEqual(try engine(dialect, .cloudfront, edge(file), [403], fields: fields), expected, "\(dialect) on \(file)")
        }
        let rtSince: Int64 = 1_795_944_662
        let cut = try scanner(.cloudfront, edge("cloudfront-realtime.log"), [403], since: rtSince, fields: all)
        XCTAssertEqual(try engine(dialect, .cloudfront, edge("cloudfront-realtime.log"), [403], since: rtSince, fields: all), cut)
        XCTAssertLessThan(cut.values.reduce(0, +), try scanner(.cloudfront, edge("cloudfront-realtime.log"), [403], fields: all).values.reduce(0, +),
                          "the filter drops the refusal at …661")
    }

    /// A real-time table without `sc-status` cannot be counted; `--since` needs `timestamp`.
    func testARealtimeTableNeedsItsStatusAndTimeFields() {
        XCTAssertThrowsError(try EdgeSQL.query(format: .cloudfront, dialect: .duckdb, table: "rt", statuses: [403], fields: ["timestamp", "c-ip"]))
        XCTAssertThrowsError(try EdgeSQL.query(format: .cloudfront, dialect: .duckdb, table: "rt", statuses: [403], since: 1,
                                               fields: ["c-ip", "sc-status"])) { e in XCTAssertTrue(e is InputError) }
        XCTAssertNoThrow(try EdgeSQL.query(format: .cloudfront, dialect: .clickhouse, table: "rt", statuses: [403], fields: ["c-ip", "sc-status"]))
        let sql = (try? EdgeSQL.query(format: .cloudfront, dialect: .duckdb, table: "rt", statuses: [403], fields: ["c-ip", "sc-status"])) ?? ""
        XCTAssertTrue(sql.contains("'' AS f_"), "a field the configuration lacks reads as empty: \(sql)")
    }

    func testDuckDBGivesTheScannersCounts() throws { try compare(.duckdb) }

    func testClickHouseGivesTheScannersCounts() throws { try compare(.clickhouse) }

    /// One source: the query has one WHEN per rule of the scanner's table, in the table's order.
    func testTheQueryIsGeneratedFromTheScannersRuleTable() throws {
        for format in LogInputFormat.allCases where format.isEdge || format == .combined {
            let rules = EdgeRules.table(format)
            for dialect in SQLDialect.allCases {
                let sql = try EdgeSQL.query(format: format, dialect: dialect, table: "logs", statuses: [403])
                let whens = sql.components(separatedBy: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("WHEN ") }
                XCTAssertEqual(whens.count, rules.count - 1, "\(format) \(dialect)")
                for (w, r) in zip(whens, rules) { XCTAssertTrue(w.hasSuffix("THEN '\(r.cause.rawValue)'"), "\(w) vs \(r.cause)") }
                XCTAssertTrue(sql.contains("ELSE '\(rules.last!.cause.rawValue)'"))
                XCTAssertTrue(sql.contains("SELECT cause, count(*) AS \"count\""))
            }
        }
    }

    func testABadTableNameIsAnInputError() {
        XCTAssertThrowsError(try EdgeSQL.query(format: .alb, dialect: .duckdb, table: "logs; DROP TABLE x", statuses: [403])) { e in
            XCTAssertTrue(e is InputError)
        }
        XCTAssertNoThrow(try EdgeSQL.query(format: .alb, dialect: .duckdb, table: "athena.alb_logs", statuses: [403]))
    }
}
