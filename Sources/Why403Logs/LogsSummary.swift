import Foundation
import Why403Core

/// The aggregates of `why403 logs`, written at the top level of the report's `subject` (report-v1
/// lets a command add its own fields there). The text and HTML pages are drawn from this value after
/// the report went through the Redactor.
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
    }

    /// Malformed lines, counted and skipped.
    public struct Malformed: Codable, Sendable, Equatable {
        /// How many.
        public var count: Int
        /// Up to five of them, as `log FILE:LINE` and the quoted line.
        public var samples: [Evidence]
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
        case topClients = "top_clients", topUserAgents = "top_user_agents", modsecurityRules = "modsecurity_rules"
        case timeline, bursts, trickles, malformed, approximate
    }

    /// The summary as subject fields.
    public func asExtra() -> [String: JSONValue] {
        guard let data = try? JSONEncoder().encode(self),
              let v = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let o) = v else { return [:] }
        return o
    }

    /// Reads the summary back from a (redacted) report's subject; nil when it is not a logs report.
    public init?(report: Report) {
        guard report.subject.kind == "logs",
              let data = try? JSONEncoder().encode(JSONValue.object(report.subject.extra)),
              let s = try? JSONDecoder().decode(LogsSummary.self, from: data) else { return nil }
        self = s
    }

    init(files: [String], linesRead: Int, bytesRead: Int64, statusesCounted: [Int], since: String?, until: String?,
         denials: Int, accessDenials: Int, errorLogEvents: Int, correlated: Int, outsideWindow: Int,
         byStatus: [String: Int], causes: [CauseRow], topPaths: [Row], topClients: [Row], topUserAgents: [Row],
         modsecurityRules: [Row], timeline: Timeline, bursts: [Burst], trickles: [Trickle], malformed: Malformed,
         approximate: Bool) {
        self.files = files; self.linesRead = linesRead; self.bytesRead = bytesRead; self.statusesCounted = statusesCounted
        self.since = since; self.until = until; self.denials = denials; self.accessDenials = accessDenials
        self.errorLogEvents = errorLogEvents; self.correlated = correlated; self.outsideWindow = outsideWindow
        self.byStatus = byStatus; self.causes = causes; self.topPaths = topPaths; self.topClients = topClients
        self.topUserAgents = topUserAgents; self.modsecurityRules = modsecurityRules; self.timeline = timeline
        self.bursts = bursts; self.trickles = trickles; self.malformed = malformed; self.approximate = approximate
    }
}
