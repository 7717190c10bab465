/// The report of report-v1: what was asked, the verdict, the findings that support it, and notes.
///
/// Its Codable shape is the JSON contract (`../shared/spec/report-v1.md`): add fields freely, never
/// rename or drop one without bumping `schema`.
public struct Report: Codable, Sendable, Equatable {
    /// The `schema` field of every report of this version.
    public static let schemaID = "why403.report/v1"

    /// `why403.report/v1`.
    public var schema: String
    /// The tool and version that wrote the report.
    public var tool: Tool
    /// What was asked.
    public var subject: Subject
    /// The status, the deciding layer and the primary cause.
    public var verdict: Verdict
    /// The primary finding first, then contributing or possible ones.
    public var findings: [Finding]
    /// What was assumed, skipped or could not be checked.
    public var notes: [String]

    /// A report with its verdict given.
    public init(subject: Subject, verdict: Verdict, findings: [Finding] = [], notes: [String] = []) {
        self.schema = Report.schemaID
        self.tool = Tool()
        self.subject = subject
        self.verdict = verdict
        self.findings = findings
        self.notes = notes
    }

}

/// The tool that wrote the report.
public struct Tool: Codable, Sendable, Equatable {
    /// `why403`.
    public var name: String
    /// The version (`Why403Version.current`).
    public var version: String
    /// This tool.
    public init(name: String = "why403", version: String = Why403Version.current) {
        self.name = name
        self.version = version
    }
}

/// why403's version: the one place it is written (reports, `--version`, the release package).
public enum Why403Version {
    /// The version of this build.
    public static let current = "0.1.0"
}

/// Which command's analysis a report holds: the `subject.kind` of report-v1.
///
/// An extensible struct over the contract strings rather than an enum, so a report written by a newer
/// why403 (a kind this build does not know) still decodes; the known kinds are the static members.
public struct SubjectKind: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The contract string (`nginx`, `logs`, ...).
    public var rawValue: String
    /// A kind from its contract string.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A kind from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The contract string.
    public var description: String { rawValue }

    /// Decodes the contract string.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes the contract string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// `why403 probe`.
    public static let probe: SubjectKind = "probe"
    /// `why403 response`.
    public static let response: SubjectKind = "response"
    /// `why403 nginx`.
    public static let nginx: SubjectKind = "nginx"
    /// `why403 apache`.
    public static let apache: SubjectKind = "apache"
    /// `why403 fs`.
    public static let fs: SubjectKind = "fs"
    /// `why403 token`.
    public static let token: SubjectKind = "token"
    /// `why403 s3`.
    public static let s3: SubjectKind = "s3"
    /// `why403 logs`.
    public static let logs: SubjectKind = "logs"
    /// `why403 diagnose`.
    public static let diagnose: SubjectKind = "diagnose"
    /// `why403 audit`.
    public static let audit: SubjectKind = "audit"
    /// `why403 lab`.
    public static let lab: SubjectKind = "lab"
    /// `why403 modsecurity`.
    public static let modsecurity: SubjectKind = "modsecurity"
    /// `why403 cloudflare`.
    public static let cloudflare: SubjectKind = "cloudflare"
    /// `why403 aws-waf`.
    public static let awsWAF: SubjectKind = "aws-waf"
}

/// What the report is about. The named fields are those of the spec; `extra` carries
/// command-specific fields (aggregates of `logs`, the principal of `s3`, ...) at the same level.
public struct Subject: Codable, Sendable, Equatable {
    /// Which command's analysis this is.
    public var kind: SubjectKind
    /// The URL asked about, when there is one.
    public var url: String?
    /// The request method, when there is one.
    public var method: String?
    /// The address the connection came from (`--client-ip`), when one applies.
    public var clientIP: String?
    /// The main configuration file read.
    public var config: String?
    /// The file-system path checked.
    public var path: String?
    /// The input file read (a capture, a log).
    public var file: String?
    /// The command's own fields, written at the same level as the named ones.
    public var extra: [String: JSONValue]

    /// A subject.
    public init(kind: SubjectKind, url: String? = nil, method: String? = nil, clientIP: String? = nil,
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

    /// Decodes the named fields and keeps every other key in `extra`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        kind = try c.decode(SubjectKind.self, forKey: AnyKey("kind"))
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

    /// Encodes the named fields, then `extra`, keys sorted.
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
    /// The layer that decides (`none` when nothing denies).
    public var layer: Layer
    /// The primary cause (`none` when nothing denies).
    public var cause: Cause

    /// A verdict.
    public init(status: Int?, layer: Layer, cause: Cause) {
        self.status = status
        self.layer = layer
        self.cause = cause
    }

    /// Nothing denies and no status applies: `status: null`, `layer: none`, `cause: none`.
    public static let notDenied = Verdict(status: nil, layer: .none, cause: .none)

    enum CodingKeys: String, CodingKey { case status, layer, cause }

    /// Encodes `status` as `null` when there is none (written, not omitted).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)  // null is written, not omitted
        try c.encode(layer, forKey: .layer)
        try c.encode(cause, forKey: .cause)
    }
}

/// One thing found, with the evidence that shows it and the fixes for it.
public struct Finding: Codable, Sendable, Equatable {
    /// Why: a report-v1 cause id.
    public var cause: Cause
    /// Which layer it is about.
    public var layer: Layer
    /// How sure: `certain` only when the evidence proves it.
    public var confidence: Confidence
    /// One line a person understands.
    public var summary: String
    /// What a person can check: files and lines, headers, claims, log lines.
    public var evidence: [Evidence]
    /// Commands and patches, printed, never run.
    public var fixes: [Fix]
    /// Stable id of the rule, signature or check that produced the finding (e.g. `cloudflare-1020`).
    public var rule: String?
    /// Next steps to check, in order, where the evidence cannot prove the cause.
    public var checks: [String]?
    /// Structured details of this finding (claims, counts, ...), free-form.
    public var details: [String: JSONValue]?
    /// For `audit`: how serious a configuration problem is (nil for diagnoses).
    public var severity: Severity?

    /// A finding.
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
    /// `info` < `warning` < `error`.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Something a person can check: a file and line, a header, a claim, a log line.
public struct Evidence: Codable, Sendable, Equatable, Hashable {
    /// Where: `file:line`, `header cf-ray`, `claim scope`, `log /var/log/nginx/error.log:812`.
    public var source: String
    /// What it says there.
    public var text: String

    /// Evidence from a place and what it says there.
    public init(source: String, text: String) {
        self.source = source
        self.text = text
    }

    /// Evidence at a file and line.
    public init(_ location: SourceLocation, _ text: String) {
        self.init(source: location.description, text: text)
    }
}

/// A fix: shell commands and/or a patch. Printed, never executed by why403.
public struct Fix: Codable, Sendable, Equatable {
    /// What the fix does.
    public var summary: String
    /// Shell commands to run (by a person).
    public var commands: [String]
    /// A unified diff or the lines to add, when the fix is a configuration change.
    public var patch: String?

    /// A fix.
    public init(summary: String, commands: [String] = [], patch: String? = nil) {
        self.summary = summary
        self.commands = commands
        self.patch = patch
    }
}

/// A file and line (and column when known) in a configuration, a log or a policy.
public struct SourceLocation: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, when known.
    public var column: Int?

    /// A location.
    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line` or `file:line:column`.
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
