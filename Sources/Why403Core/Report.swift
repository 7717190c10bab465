/// The report of report-v1: what was asked, the verdict, the findings that support it, and notes.
///
/// Its Codable shape is the JSON contract (`../shared/spec/report-v1.md`): add fields freely, never
/// rename or drop one without bumping `schema`.
public struct Report: Codable, Sendable, Equatable {
    public static let schemaID = "why403.report/v1"

    public var schema: String
    public var tool: Tool
    public var subject: Subject
    public var verdict: Verdict
    public var findings: [Finding]
    public var notes: [String]

    public init(subject: Subject, verdict: Verdict, findings: [Finding] = [], notes: [String] = []) {
        self.schema = Report.schemaID
        self.tool = Tool()
        self.subject = subject
        self.verdict = verdict
        self.findings = findings
        self.notes = notes
    }

    /// A report whose verdict is taken from its first finding (the primary one), or `none` when empty.
    public init(subject: Subject, status: Int?, findings: [Finding], notes: [String] = []) {
        let primary = findings.first
        self.init(subject: subject,
                  verdict: Verdict(status: status, layer: primary?.layer ?? .none, cause: primary?.cause ?? .none),
                  findings: findings, notes: notes)
    }
}

/// The tool that wrote the report.
public struct Tool: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    public init(name: String = "why403", version: String = Why403Version.current) {
        self.name = name
        self.version = version
    }
}

public enum Why403Version {
    public static let current = "0.1.0"
}

/// What the report is about. The named fields are those of the spec; `extra` carries
/// command-specific fields (aggregates of `logs`, the principal of `s3`, ...) at the same level.
public struct Subject: Codable, Sendable, Equatable {
    public var kind: String
    public var url: String?
    public var method: String?
    public var clientIP: String?
    public var config: String?
    public var path: String?
    public var file: String?
    public var extra: [String: JSONValue]

    public init(kind: String, url: String? = nil, method: String? = nil, clientIP: String? = nil,
                config: String? = nil, path: String? = nil, file: String? = nil,
                extra: [String: JSONValue] = [:]) {
        self.kind = kind
        self.url = url
        self.method = method
        self.clientIP = clientIP
        self.config = config
        self.path = path
        self.file = file
        self.extra = extra
    }

    static let named: [String] = ["kind", "url", "method", "client_ip", "config", "path", "file"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        kind = try c.decode(String.self, forKey: AnyKey("kind"))
        url = try c.decodeIfPresent(String.self, forKey: AnyKey("url"))
        method = try c.decodeIfPresent(String.self, forKey: AnyKey("method"))
        clientIP = try c.decodeIfPresent(String.self, forKey: AnyKey("client_ip"))
        config = try c.decodeIfPresent(String.self, forKey: AnyKey("config"))
        path = try c.decodeIfPresent(String.self, forKey: AnyKey("path"))
        file = try c.decodeIfPresent(String.self, forKey: AnyKey("file"))
        var extra: [String: JSONValue] = [:]
        for key in c.allKeys where !Subject.named.contains(key.stringValue) {
            extra[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
        self.extra = extra
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.encode(kind, forKey: AnyKey("kind"))
        try c.encodeIfPresent(url, forKey: AnyKey("url"))
        try c.encodeIfPresent(method, forKey: AnyKey("method"))
        try c.encodeIfPresent(clientIP, forKey: AnyKey("client_ip"))
        try c.encodeIfPresent(config, forKey: AnyKey("config"))
        try c.encodeIfPresent(path, forKey: AnyKey("path"))
        try c.encodeIfPresent(file, forKey: AnyKey("file"))
        for key in extra.keys.sorted() where !Subject.named.contains(key) {
            try c.encode(extra[key]!, forKey: AnyKey(key))
        }
    }
}

/// The status the request gets, the layer that decides and the primary cause.
public struct Verdict: Codable, Sendable, Equatable {
    /// Observed (probe) or predicted (white-box); `nil` only where no status applies.
    public var status: Int?
    public var layer: Layer
    public var cause: Cause

    public init(status: Int?, layer: Layer, cause: Cause) {
        self.status = status
        self.layer = layer
        self.cause = cause
    }

    public static let notDenied = Verdict(status: nil, layer: .none, cause: .none)

    enum CodingKeys: String, CodingKey { case status, layer, cause }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)  // null is written, not omitted
        try c.encode(layer, forKey: .layer)
        try c.encode(cause, forKey: .cause)
    }
}

/// One thing found, with the evidence that shows it and the fixes for it.
public struct Finding: Codable, Sendable, Equatable {
    public var cause: Cause
    public var layer: Layer
    public var confidence: Confidence
    public var summary: String
    public var evidence: [Evidence]
    public var fixes: [Fix]
    /// Stable id of the rule, signature or check that produced the finding (e.g. `cloudflare-1020`).
    public var rule: String?
    /// Next steps to check, in order, where the evidence cannot prove the cause.
    public var checks: [String]?
    /// Structured details of this finding (claims, counts, ...), free-form.
    public var details: [String: JSONValue]?
    /// For `audit`: how serious a configuration problem is (nil for diagnoses).
    public var severity: Severity?

    public init(cause: Cause, layer: Layer, confidence: Confidence, summary: String,
                evidence: [Evidence] = [], fixes: [Fix] = [], rule: String? = nil, checks: [String]? = nil,
                details: [String: JSONValue]? = nil, severity: Severity? = nil) {
        self.cause = cause
        self.layer = layer
        self.confidence = confidence
        self.summary = summary
        self.evidence = evidence
        self.fixes = fixes
        self.rule = rule
        self.checks = checks
        self.details = details
        self.severity = severity
    }
}

/// How serious an audit finding is; `--fail-on` compares against it.
public enum Severity: String, Codable, CaseIterable, Sendable, Comparable {
    case info, warning, error

    private var rank: Int { switch self { case .info: 0; case .warning: 1; case .error: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Something a person can check: a file and line, a header, a claim, a log line.
public struct Evidence: Codable, Sendable, Equatable, Hashable {
    /// Where: `file:line`, `header cf-ray`, `claim scope`, `log /var/log/nginx/error.log:812`.
    public var source: String
    /// What it says there.
    public var text: String

    public init(source: String, text: String) {
        self.source = source
        self.text = text
    }

    public init(_ location: SourceLocation, _ text: String) {
        self.init(source: location.description, text: text)
    }
}

/// A fix: shell commands and/or a patch. Printed, never executed by why403.
public struct Fix: Codable, Sendable, Equatable {
    public var summary: String
    public var commands: [String]
    public var patch: String?

    public init(summary: String, commands: [String] = [], patch: String? = nil) {
        self.summary = summary
        self.commands = commands
        self.patch = patch
    }
}

/// A file and line (and column when known) in a configuration, a log or a policy.
public struct SourceLocation: Codable, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if let column { return "\(file):\(line):\(column)" }
        return "\(file):\(line)"
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
