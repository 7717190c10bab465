import Why403Core

/// The SQL engines `why403 logs --emit-sql` writes for.
public enum SQLDialect: String, Sendable, CaseIterable {
    /// ClickHouse (and chDB, its in-process engine).
    case clickhouse
    /// DuckDB.
    case duckdb
}

/// `why403 logs --emit-sql`: the query that gives `why403 logs`' cause grouping over a table of the
/// logs in an engine, one row per cause with columns `cause` and `count`. The CASE expression is
/// generated from `EdgeRules` (the scanner's own table); each format's columns are those of the
/// table layouts the providers document (AWS's Athena DDL for ALB, CloudFront standard and real-time,
/// S3 and AWS WAF logs, the Logpush field names for Cloudflare), listed by `columns(_:fields:)` and
/// `createTable`.
///
/// A CloudFront real-time log has the fields its configuration picks: `fields` (the `--fields` list,
/// without `date`) selects Athena's `cloudfront_real_time_logs` layout, one column per field named as
/// that DDL names it (`-` made `_`); without it, CloudFront is Athena's standard-log layout.
public enum EdgeSQL {
    /// Every field of a CloudFront real-time log, in the documented order (Athena's
    /// `cloudfront_real_time_logs` DDL has one column for each, `-` made `_`).
    public static var cloudfrontRealtimeFields: [String] { EdgeParsers.cloudfrontRealtime }

    /// True when `fields` name a CloudFront real-time log (a standard log starts with `date`).
    static func isRealtime(_ format: LogInputFormat, _ fields: [String]?) -> Bool {
        format == .cloudfront && fields.map { !$0.contains("date") } == true
    }

    /// A real-time field's column name in Athena's DDL.
    static func realtimeColumn(_ field: String) -> String { field.lowercased().replacingAll("-", with: "_") }

    /// One column of a format's table: its name and its type in each dialect.
    public struct Column: Sendable, Equatable {
        /// The column name, as the layout spells it.
        public var name: String
        /// DuckDB type.
        public var duckdb: String
        /// ClickHouse type.
        public var clickhouse: String
    }

    static func strings(_ names: [String], ints: Set<String> = []) -> [Column] {
        names.map { ints.contains($0) ? Column(name: $0, duckdb: "INTEGER", clickhouse: "Nullable(Int32)")
            : Column(name: $0, duckdb: "VARCHAR", clickhouse: "Nullable(String)") }
    }

    /// The columns of the table `format`'s logs are loaded into (`fields`: a CloudFront real-time log's).
    public static func columns(_ format: LogInputFormat, fields: [String]? = nil) -> [Column] {
        if isRealtime(format, fields), let fields {
            // Athena's cloudfront_real_time_logs DDL, the configured fields only.
            return strings(fields.map(realtimeColumn), ints: ["sc_status"])
        }
        switch format {
        case .alb:
            // Athena's alb_access_logs DDL (its regex splits client:port and the request line).
            return strings(["type", "time", "elb", "client_ip", "client_port", "target_ip", "target_port",
                            "request_processing_time", "target_processing_time", "response_processing_time",
                            "elb_status_code", "target_status_code", "received_bytes", "sent_bytes", "request_verb",
                            "request_url", "request_proto", "user_agent", "ssl_cipher", "ssl_protocol", "target_group_arn",
                            "trace_id", "domain_name", "chosen_cert_arn", "matched_rule_priority", "request_creation_time",
                            "actions_executed", "redirect_url", "lambda_error_reason", "target_port_list",
                            "target_status_code_list", "classification", "classification_reason", "conn_trace_id"],
                           ints: ["elb_status_code"])
        case .cloudfront:
            // Athena's cloudfront_standard_logs DDL.
            return strings(["date", "time", "x_edge_location", "sc_bytes", "c_ip", "cs_method", "cs_host", "cs_uri_stem",
                            "sc_status", "cs_referrer", "cs_user_agent", "cs_uri_query", "cs_cookie", "x_edge_result_type",
                            "x_edge_request_id", "x_host_header", "cs_protocol", "cs_bytes", "time_taken", "x_forwarded_for",
                            "ssl_protocol", "ssl_cipher", "x_edge_response_result_type", "cs_protocol_version", "fle_status",
                            "fle_encrypted_fields", "c_port", "time_to_first_byte", "x_edge_detailed_result_type",
                            "sc_content_type", "sc_content_len", "sc_range_start", "sc_range_end"], ints: ["sc_status"])
        case .s3Access:
            // Athena's S3 server access log DDL (httpstatus is a string there).
            return strings(["bucketowner", "bucket_name", "requestdatetime", "remoteip", "requester", "requestid", "operation",
                            "key", "request_uri", "httpstatus", "errorcode", "bytessent", "objectsize", "totaltime",
                            "turnaroundtime", "referrer", "useragent", "versionid", "hostid", "sigv", "ciphersuite",
                            "authtype", "endpoint", "tlsversion", "accesspointarn", "aclrequired"])
        case .iis:
            // IIS's default W3C fields, '-' and '()' made '_' (no engine documents an IIS layout).
            return strings(["date", "time", "s_ip", "cs_method", "cs_uri_stem", "cs_uri_query", "s_port", "cs_username", "c_ip",
                            "cs_user_agent", "cs_referer", "sc_status", "sc_substatus", "sc_win32_status", "time_taken"],
                           ints: ["sc_status", "sc_substatus"])
        case .cloudflare:
            // Logpush http_requests field names.
            var c = strings(["EdgeStartTimestamp", "EdgeResponseStatus", "OriginResponseStatus", "ClientIP", "ClientCountry",
                             "ClientASN", "ClientRequestHost", "ClientRequestMethod", "ClientRequestPath", "ClientRequestURI",
                             "ClientRequestUserAgent", "RayID", "SecurityAction", "SecuritySources", "SecurityRuleID",
                             "SecurityRuleDescription", "BotScore"],
                            ints: ["EdgeResponseStatus", "OriginResponseStatus", "ClientASN", "BotScore"])
            c[13] = Column(name: "SecuritySources", duckdb: "VARCHAR[]", clickhouse: "Array(String)")
            return c
        case .awsWAF:
            // AWS's waf_logs DDL: the fields the query reads, nested as the log writes them.
            return [
                Column(name: "timestamp", duckdb: "BIGINT", clickhouse: "Int64"),
                Column(name: "action", duckdb: "VARCHAR", clickhouse: "String"),
                Column(name: "terminatingRuleId", duckdb: "VARCHAR", clickhouse: "String"),
                Column(name: "terminatingRuleType", duckdb: "VARCHAR", clickhouse: "String"),
                Column(name: "responseCodeSent", duckdb: "INTEGER", clickhouse: "Nullable(Int32)"),
                Column(name: "ruleGroupList", duckdb: "STRUCT(ruleGroupId VARCHAR, terminatingRule STRUCT(ruleId VARCHAR, action VARCHAR))[]",
                       clickhouse: "Array(Tuple(ruleGroupId String, terminatingRule Tuple(ruleId String, action String)))"),
                Column(name: "labels", duckdb: "STRUCT(name VARCHAR)[]", clickhouse: "Array(Tuple(name String))"),
                Column(name: "httpRequest", duckdb: "STRUCT(clientIp VARCHAR, country VARCHAR, uri VARCHAR, httpMethod VARCHAR)",
                       clickhouse: "Tuple(clientIp String, country String, uri String, httpMethod String)"),
            ]
        default:
            // One combined (or common) line per row.
            return [Column(name: "line", duckdb: "VARCHAR", clickhouse: "String")]
        }
    }

    /// `CREATE TABLE` for `format`'s layout.
    public static func createTable(_ format: LogInputFormat, _ dialect: SQLDialect, table: String, fields: [String]? = nil) -> String {
        let cols = columns(format, fields: fields).map { "  \(quote($0.name, dialect)) \(dialect == .duckdb ? $0.duckdb : $0.clickhouse)" }
        return "CREATE TABLE \(table) (\n" + cols.joined(separator: ",\n") + "\n)" + (dialect == .clickhouse ? " ENGINE = MergeTree ORDER BY tuple()" : "")
    }

    static func quote(_ name: String, _ d: SQLDialect) -> String { "\"\(name)\"" }

    static func literal(_ s: String, _ d: SQLDialect) -> String {
        var t = s.replacingAll("'", with: "''")
        if d == .clickhouse { t = t.replacingAll("\\", with: "\\\\") }
        return "'\(t)'"
    }

    /// A column read as text, missing as ''.
    static func text(_ column: String, _ d: SQLDialect) -> String {
        d == .duckdb ? "coalesce(CAST(\"\(column)\" AS VARCHAR), '')" : "ifNull(toString(\"\(column)\"), '')"
    }

    static func lower(_ e: String, _ d: SQLDialect) -> String { "lower(\(e))" }

    /// The SQL of each field the format's rules read.
    static func field(_ f: EdgeField, _ format: LogInputFormat, _ d: SQLDialect) -> String? {
        switch (format, f) {
        case (.alb, .targetStatus): return text("target_status_code", d)
        case (.alb, .actions): return text("actions_executed", d)
        case (.alb, .classification): return text("classification", d)
        case (.alb, .classificationReason): return text("classification_reason", d)
        case (.cloudfront, .detailedResult): return text("x_edge_detailed_result_type", d)
        case (.s3Access, .errorCode): return text("errorcode", d)
        case (.iis, .substatus): return text("sc_substatus", d)
        case (.cloudflare, .action): return lower(text("SecurityAction", d), d)
        case (.cloudflare, .source):
            return d == .duckdb ? "lower(coalesce(\"SecuritySources\"[1], ''))" : "lower(\"SecuritySources\"[1])"
        case (.cloudflare, .ruleId): return text("SecurityRuleID", d)
        case (.cloudflare, .description): return text("SecurityRuleDescription", d)
        case (.cloudflare, .originStatus): return text("OriginResponseStatus", d)
        case (.awsWAF, .action): return text("action", d)
        case (.awsWAF, .ruleId): return text("terminatingRuleId", d)
        case (.awsWAF, .ruleType): return text("terminatingRuleType", d)
        case (.awsWAF, .groupRule):
            return d == .duckdb
                ? "coalesce(list_filter(list_transform(\"ruleGroupList\", lambda g: g.terminatingRule.ruleId), lambda x: coalesce(x, '') <> '')[1], '')"
                : "arrayFirst(x -> x != '', arrayMap(g -> g.terminatingRule.ruleId, \"ruleGroupList\"))"
        default: return nil
        }
    }

    /// A combined or common line up to its status (group 1), as the scanner's combined format reads it: after Apache's
    /// `vhost_combined` `host:port ` too (the scanner's fallback); what follows the status (combined's fields, and more
    /// fields after them as nginx's `main` writes) is not read.
    static let combinedStatus = #"^(?:[^\s:]+:\d+ )?\S+ \S+ \S+ \[[^\]]+\] "(?:[^"\\]|\\.)*" (\d{3})( |$)"#
    /// A combined line's time (group 1).
    static let combinedTime = #"^(?:[^\s:]+:\d+ )?\S+ \S+ \S+ \[([^\]]+)\] "#

    /// The status the client got, as the scanner reads it.
    static func status(_ format: LogInputFormat, _ d: SQLDialect) -> String {
        switch format {
        case .alb: return "\"elb_status_code\""
        case .cloudfront, .iis: return "\"sc_status\""
        case .s3Access: return d == .duckdb ? "TRY_CAST(\"httpstatus\" AS INTEGER)" : "toInt32OrNull(\"httpstatus\")"
        case .cloudflare: return "\"EdgeResponseStatus\""
        case .awsWAF:
            return "CASE WHEN \"action\" = 'BLOCK' THEN coalesce(\"responseCodeSent\", 403) WHEN \"action\" = 'CAPTCHA' THEN 405 "
                + "WHEN \"action\" = 'CHALLENGE' THEN 202 ELSE 0 END"
        default:
            return d == .duckdb ? "TRY_CAST(regexp_extract(\"line\", \(literal(combinedStatus, d)), 1) AS INTEGER)"
                : "toInt32OrNull(extract(\"line\", \(literal(combinedStatus, d))))"
        }
    }

    /// The time of the line in seconds since the epoch (UTC).
    static func time(_ format: LogInputFormat, _ d: SQLDialect, realtime: Bool = false) -> String {
        let duck = d == .duckdb
        if realtime {
            // Seconds since the epoch with milliseconds, as text ("1607497744.123").
            return duck ? "CAST(floor(TRY_CAST(\"timestamp\" AS DOUBLE)) AS BIGINT)" : "toInt64(floor(toFloat64OrNull(\"timestamp\")))"
        }
        switch format {
        case .alb: return duck ? "epoch(CAST(\"time\" AS TIMESTAMPTZ))" : "toUnixTimestamp(parseDateTime64BestEffort(\"time\", 6, 'UTC'))"
        case .cloudfront, .iis:
            return duck ? "epoch(CAST(\"date\" || ' ' || \"time\" || '+00' AS TIMESTAMPTZ))"
                : "toUnixTimestamp(parseDateTimeBestEffort(concat(\"date\", ' ', \"time\"), 'UTC'))"
        case .s3Access:
            return duck ? "epoch(strptime(\"requestdatetime\", '%d/%b/%Y:%H:%M:%S %z'))"
                : "toUnixTimestamp(parseDateTime(\"requestdatetime\", '%d/%b/%Y:%H:%i:%s %z'))"
        case .cloudflare:
            return duck ? "epoch(CAST(\"EdgeStartTimestamp\" AS TIMESTAMPTZ))" : "toUnixTimestamp(parseDateTimeBestEffort(\"EdgeStartTimestamp\", 'UTC'))"
        case .awsWAF: return duck ? "CAST(\"timestamp\" // 1000 AS BIGINT)" : "intDiv(\"timestamp\", 1000)"
        default:
            let stamp = duck ? "regexp_extract(\"line\", \(literal(combinedTime, d)), 1)" : "extract(\"line\", \(literal(combinedTime, d)))"
            return duck ? "epoch(strptime(\(stamp), '%d/%b/%Y:%H:%M:%S %z'))"
                : "toUnixTimestamp(parseDateTime(\(stamp), '%d/%b/%Y:%H:%i:%s %z'))"
        }
    }

    static func condition(_ c: EdgeCondition, _ d: SQLDialect) -> String {
        let duck = d == .duckdb
        switch c {
        case .equals(let f, let values):
            return "f_\(f.rawValue) IN (" + values.map { literal($0, d) }.joined(separator: ", ") + ")"
        case .contains(let f, let s):
            return duck ? "contains(f_\(f.rawValue), \(literal(s, d)))" : "position(f_\(f.rawValue), \(literal(s, d))) > 0"
        case .hasItem(let f, let item):
            return duck ? "list_contains(string_split(f_\(f.rawValue), ','), \(literal(item, d)))"
                : "has(splitByChar(',', f_\(f.rawValue)), \(literal(item, d)))"
        case .lastItem(let f, let item):
            return duck ? "string_split(f_\(f.rawValue), ',')[-1] = \(literal(item, d))"
                : "arrayElement(splitByChar(',', f_\(f.rawValue)), -1) = \(literal(item, d))"
        case .statusIs(let s): return "status IN (" + s.map(String.init).joined(separator: ", ") + ")"
        case .sameAsStatus(let f): return duck ? "f_\(f.rawValue) = CAST(status AS VARCHAR)" : "f_\(f.rawValue) = toString(status)"
        }
    }

    static func fieldsUsed(_ c: EdgeCondition) -> [EdgeField] {
        switch c {
        case .equals(let f, _), .contains(let f, _), .hasItem(let f, _), .lastItem(let f, _), .sameAsStatus(let f): return [f]
        case .statusIs: return []
        }
    }

    /// Whether `table` is a plain or schema-qualified identifier.
    static func validTable(_ table: String) -> Bool {
        let parts = table.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { p in
            guard let f = p.first, f.isLetter || f == "_" else { return false }
            return p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }

    /// The query. Throws `InputError` for a table name that is not an identifier.
    public static func query(format: LogInputFormat, dialect: SQLDialect, table: String, statuses: Set<Int>,
                             since: Int64? = nil, until: Int64? = nil, fields: [String]? = nil) throws -> String {
        guard validTable(table) else {
            throw InputError(file: nil, expected: "--table as a table name (letters, digits, _; optionally schema.table)",
                             found: InputError.quote(table))
        }
        // An error log or a ModSecurity audit log is not one row per request (multi-line transactions,
        // free-text reasons): no engine documents a table layout for them, so no query is printed.
        guard format.isEdge || format == .combined || format == .common else {
            throw InputError(file: nil, expected: "--input-format for --emit-sql one of combined, common, "
                             + LogInputFormat.allCases.filter(\.isEdge).map(\.rawValue).joined(separator: ", "),
                             found: InputError.quote(format.rawValue) + " (a log that is not one row per request: read it with why403 logs FILE)")
        }
        let realtime = isRealtime(format, fields)
        if realtime, let fields {
            guard fields.contains("sc-status") else {
                throw InputError(file: nil, expected: "--fields of a CloudFront real-time log naming sc-status", found: InputError.quote(fields.joined(separator: ",")))
            }
            if since != nil || until != nil, !fields.contains("timestamp") {
                throw InputError(file: nil, expected: "--fields naming timestamp, for --since and --until",
                                 found: InputError.quote(fields.joined(separator: ",")), help: "a real-time log configuration without the timestamp field cannot be filtered by time")
            }
        }
        let rules = EdgeRules.table(format)
        var used: [EdgeField] = []
        for r in rules { for c in r.when { for f in fieldsUsed(c) where !used.contains(f) { used.append(f) } } }
        var select = ["\(status(format, dialect)) AS status"]
        if since != nil || until != nil { select.append("\(time(format, dialect, realtime: realtime)) AS t") }
        for f in used {
            guard var e = field(f, format, dialect) else { continue }
            // A real-time configuration without the field: empty, as the scanner reads a missing field.
            if realtime, f == .detailedResult, fields?.contains("x-edge-detailed-result-type") != true { e = "''" }
            select.append("\(e) AS f_\(f.rawValue)")
        }
        var cases: [String] = []
        for r in rules.dropLast() {
            cases.append("      WHEN " + r.when.map { "(" + condition($0, dialect) + ")" }.joined(separator: " AND ")
                         + " THEN \(literal(r.cause.rawValue, dialect))")
        }
        var filters = ["status IN (" + statuses.sorted().map(String.init).joined(separator: ", ") + ")"]
        if let since { filters.append("t >= \(since)") }
        if let until { filters.append("t <= \(until)") }
        let name = format.isEdge ? format.rawValue : "combined"
        let layout = realtime ? "cloudfront_real_time_logs with the --fields columns" : "docs/logs.md"
        return """
        -- why403 logs --emit-sql \(dialect.rawValue) --input-format \(name): refusals per cause, mapped by the
        -- same rule table the scanner uses (EdgeRules, \(name)); table layout: \(layout)
        SELECT cause, count(*) AS "count"
        FROM (
          SELECT CASE
        \(cases.joined(separator: "\n"))
              ELSE \(literal(rules[rules.count - 1].cause.rawValue, dialect))
            END AS cause
          FROM (
            SELECT \(select.joined(separator: ",\n           "))
            FROM \(table)
          ) AS line
          WHERE \(filters.joined(separator: " AND "))
        ) AS refused
        GROUP BY cause
        ORDER BY "count" DESC, cause

        """
    }
}
