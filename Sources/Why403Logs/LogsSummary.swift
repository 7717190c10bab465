import Foundation
import Why403Core

/// The aggregates of `why403 logs`, written at the top level of the report's `subject` (report-v1
/// lets a command add its own fields there). The text and HTML pages are drawn from this value after
/// the report went through the Redactor.
public struct LogsSummary: Codable, Sendable, Equatable {
    /// One row of a table: a key and its count (`error`: possible overcount past the key cap).
    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var count: Int
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
        public var cause: String
        public var layer: String
        public var rule: String?
        public var confidence: String
        public var count: Int
        public var correlated: Int
    }

    /// Refusals per time bucket from `start`.
    public struct Timeline: Codable, Sendable, Equatable {
        public var start: String?
        public var bucketSeconds: Int
        public var counts: [Int]
        enum CodingKeys: String, CodingKey { case start, bucketSeconds = "bucket_seconds", counts }
    }

    /// Malformed lines, counted and skipped.
    public struct Malformed: Codable, Sendable, Equatable {
        public var count: Int
        public var samples: [Evidence]
    }

    public var files: [String]
    public var linesRead: Int
    public var bytesRead: Int64
    public var statusesCounted: [Int]
    public var since: String?
    public var until: String?
    public var denials: Int
    public var accessDenials: Int
    public var errorLogEvents: Int
    public var correlated: Int
    public var outsideWindow: Int
    public var byStatus: [String: Int]
    public var causes: [CauseRow]
    public var topPaths: [Row]
    public var topClients: [Row]
    public var topUserAgents: [Row]
    public var modsecurityRules: [Row]
    public var timeline: Timeline
    public var bursts: [Burst]
    public var trickles: [Trickle]
    public var malformed: Malformed
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
