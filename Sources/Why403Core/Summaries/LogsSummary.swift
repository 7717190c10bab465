import Foundation

/// The aggregates of `why403 logs`: its typed summary, written at the top level of the report's
/// `subject` (report-v1 lets a command add its own fields there) and handed to the renderers as it is
/// (after `redacted(by:)`), never decoded back from the JSON.
public struct LogsSummary: Codable, Sendable, Equatable {
    /// One row of a table: a key and its count (`error`: possible overcount past the key cap).
    public struct Row: Codable, Sendable, Equatable {
        /// The key (a path, an address, a user agent, a rule).
        public var key: String
        /// How many.
        public var count: Int
        /// How much `count` may be too high (past the key cap).
        public var error: Int?

        /// A row.
        public init(key: String, count: Int, error: Int? = nil) {
            self.key = key
            self.count = count
            self.error = error
        }
    }

    /// One cause with its count.
    public struct CauseRow: Codable, Sendable, Equatable {
        /// The report-v1 cause id.
        public var cause: String
        /// The report-v1 layer id.
        public var layer: String
        /// The message or rule id behind the cause.
        public var rule: String?
        /// `certain`, `likely` or `possible`.
        public var confidence: String
        /// How many.
        public var count: Int
        /// How many were joined with an error-log line.
        public var correlated: Int
        /// The messages or rules behind this cause, counted (`AH00132`, `nginx-permission-denied`, …).
        public var rules: [Row]

        /// A value from its fields.
        public init(cause: String, layer: String, rule: String?, confidence: String, count: Int, correlated: Int, rules: [Row]) { self.cause = cause; self.layer = layer; self.rule = rule; self.confidence = confidence; self.count = count; self.correlated = correlated; self.rules = rules }
    }

    /// Refusals per time bucket from `start`.
    public struct Timeline: Codable, Sendable, Equatable {
        /// The first bucket, ISO 8601 UTC.
        public var start: String?
        /// The width of a bucket in seconds.
        public var bucketSeconds: Int
        /// Refusals per bucket.
        public var counts: [Int]
        enum CodingKeys: String, CodingKey { case start, bucketSeconds = "bucket_seconds", counts }

        /// A value from its fields.
        public init(start: String?, bucketSeconds: Int, counts: [Int]) { self.start = start; self.bucketSeconds = bucketSeconds; self.counts = counts }
    }

    /// Malformed lines, counted and skipped.
    public struct Malformed: Codable, Sendable, Equatable {
        /// How many.
        public var count: Int
        /// Up to five of them, as `log FILE:LINE` and the quoted line.
        public var samples: [Evidence]

        /// A value from its fields.
        public init(count: Int, samples: [Evidence]) { self.count = count; self.samples = samples }
    }

    /// The inputs (`(stdin)` for `-`).
    public var files: [String]
    /// Lines read in all.
    public var linesRead: Int
    /// Bytes read in all (compressed size for .gz).
    public var bytesRead: Int64
    /// The statuses counted as refusals.
    public var statusesCounted: [Int]
    /// The start of the time window, ISO 8601 UTC.
    public var since: String?
    /// The end of the time window, ISO 8601 UTC.
    public var until: String?
    /// Refused requests counted.
    public var denials: Int
    /// Refusals read from access logs.
    public var accessDenials: Int
    /// Error-log lines that explain a refusal.
    public var errorLogEvents: Int
    /// How many were joined with an error-log line.
    public var correlated: Int
    /// Lines dropped by --since/--until.
    public var outsideWindow: Int
    /// Refusals per status.
    public var byStatus: [String: Int]
    /// Every cause, most frequent first.
    public var causes: [CauseRow]
    /// The most refused paths (without query strings).
    public var topPaths: [Row]
    /// The most refused client addresses.
    public var topClients: [Row]
    /// The most refused user agents.
    public var topUserAgents: [Row]
    /// ModSecurity rules that matched as warnings (anomaly-score contributors).
    public var modsecurityRules: [Row]
    /// The most refused client countries (edge logs that name them: AWS WAF, Cloudflare,
    /// CloudFront `c-country`); nil when no log line named a country.
    public var topCountries: [Row]?
    /// Refusals over time.
    public var timeline: Timeline
    /// Clients refused in bursts.
    public var bursts: [Burst]
    /// Paths refused steadily.
    public var trickles: [Trickle]
    /// Lines skipped as malformed.
    public var malformed: Malformed
    /// True when a cap was reached and counts are estimates.
    public var approximate: Bool

    enum CodingKeys: String, CodingKey {
        case files, linesRead = "lines_read", bytesRead = "bytes_read", statusesCounted = "statuses_counted", since, until
        case denials, accessDenials = "access_denials", errorLogEvents = "error_log_events", correlated
        case outsideWindow = "outside_window", byStatus = "by_status", causes, topPaths = "top_paths"
        case topClients = "top_clients", topUserAgents = "top_user_agents", modsecurityRules = "modsecurity_rules", topCountries = "top_countries"
        case timeline, bursts, trickles, malformed, approximate
    }

    /// The summary as subject fields.
    /// (Encoded straight into values: `JSONValueEncoder` gives what `JSONEncoder`'s text decodes back to.)
    public func asExtra() -> [String: JSONValue] {
        guard case .object(let o)? = try? JSONValueEncoder.encode(self) else { return [:] }
        return o
    }

    /// Reads the summary back from a report's JSON subject (for a script or a test that has only the
    /// report); nil when it is not a logs report. The renderers take the typed value instead.
    public init?(report: Report) {
        guard report.subject.kind == .logs,
              let data = try? JSONEncoder().encode(JSONValue.object(report.subject.extra)),
              let s = try? JSONDecoder().decode(LogsSummary.self, from: data) else { return nil }
        self = s
    }

    /// A summary (the logs analyser builds it).
    public init(files: [String], linesRead: Int, bytesRead: Int64, statusesCounted: [Int], since: String?, until: String?,
         denials: Int, accessDenials: Int, errorLogEvents: Int, correlated: Int, outsideWindow: Int,
         byStatus: [String: Int], causes: [CauseRow], topPaths: [Row], topClients: [Row], topUserAgents: [Row],
         modsecurityRules: [Row], timeline: Timeline, bursts: [Burst], trickles: [Trickle], malformed: Malformed,
         approximate: Bool, topCountries: [Row]? = nil) {
        self.files = files; self.linesRead = linesRead; self.bytesRead = bytesRead; self.statusesCounted = statusesCounted
        self.since = since; self.until = until; self.denials = denials; self.accessDenials = accessDenials
        self.errorLogEvents = errorLogEvents; self.correlated = correlated; self.outsideWindow = outsideWindow
        self.byStatus = byStatus; self.causes = causes; self.topPaths = topPaths; self.topClients = topClients
        self.topUserAgents = topUserAgents; self.modsecurityRules = modsecurityRules; self.timeline = timeline
        self.bursts = bursts; self.trickles = trickles; self.malformed = malformed; self.approximate = approximate
        self.topCountries = topCountries
    }
}

extension LogsSummary {
    /// The same summary with every text a secret could hide in (paths, clients, user agents, rules,
    /// samples) passed through the redactor, as `Report.redacted(by:)` does for the report.
    public func redacted(by redactor: Redactor) -> LogsSummary {
        let f = redactor.redact
        let rows = { (r: [Row]) in r.map { Row(key: f($0.key), count: $0.count, error: $0.error) } }
        var s = self
        s.files = files.map(f)
        s.causes = causes.map { c in
            var c = c
            c.rule = c.rule.map(f)
            c.rules = rows(c.rules)
            return c
        }
        s.topPaths = rows(topPaths)
        s.topClients = rows(topClients)
        s.topUserAgents = rows(topUserAgents)
        s.modsecurityRules = rows(modsecurityRules)
        s.topCountries = topCountries.map(rows)
        s.bursts = bursts.map { var b = $0; b.client = f(b.client); return b }
        s.trickles = trickles.map { var t = $0; t.path = f(t.path); return t }
        s.malformed.samples = malformed.samples.map { Evidence(source: f($0.source), text: f($0.text)) }
        return s
    }
}

/// A run of minutes in which one client was refused at least `burstPerMinute` times each minute.
public struct Burst: Codable, Sendable, Equatable {
    /// The client address.
    public var client: String
    /// First and last minute, ISO 8601 UTC.
    public var start: String
    /// The last minute of the run, ISO 8601 UTC (its last second).
    public var end: String
    /// Refusals in the run.
    public var count: Int
    /// Highest refusals in one minute of the run.
    public var peakPerMinute: Int
    /// Distinct paths hit (counted up to 50).
    public var distinctPaths: Int
    /// The most frequent cause in the run.
    public var cause: String
    /// `rate limit`, `scanner` or `retry loop`: what such a burst usually is.
    public var kind: String

    enum CodingKeys: String, CodingKey {
        case client, start, end, count, peakPerMinute = "peak_per_minute", distinctPaths = "distinct_paths", cause, kind
    }

    /// A value from its fields.
    public init(client: String, start: String, end: String, count: Int, peakPerMinute: Int, distinctPaths: Int, cause: String, kind: String) { self.client = client; self.start = start; self.end = end; self.count = count; self.peakPerMinute = peakPerMinute; self.distinctPaths = distinctPaths; self.cause = cause; self.kind = kind }
}

/// One path refused steadily: many minutes, few refusals each, usually a permission problem.
public struct Trickle: Codable, Sendable, Equatable {
    /// The path.
    public var path: String
    /// How many.
    public var count: Int
    /// Distinct minutes with a refusal.
    public var minutes: Int
    /// Distinct clients (counted up to 10).
    public var clients: Int
    /// The report-v1 cause id.
    public var cause: String

    /// A value from its fields.
    public init(path: String, count: Int, minutes: Int, clients: Int, cause: String) { self.path = path; self.count = count; self.minutes = minutes; self.clients = clients; self.cause = cause }
}

