import Why403Core

/// `--replay` for a layer whose analyser explains one request at a time (cloudflare, aws-waf): every
/// request of the file through `explain` (rules compiled once by the caller), grouped by the rule that
/// decided. The report's verdict is the replay's as a whole (`status: null`); one finding per rule that
/// would refuse or challenge, with the count, the statuses and sample requests in `details`, and the
/// first sample's evidence and fixes (cli-v1, second edition).
public enum ReplayReport {
    /// Runs the replay. `subject` is the report's subject (its `file` is set to the replayed file).
    public static func run(path: String, base: RequestTarget, clientIP: IPAddress? = nil, subject: Subject, layer: Layer,
                           explain: (Request) throws -> Report) throws -> Report {
        struct Group {
            var first: Finding
            var count = 0
            var statuses: [Int: Int] = [:]
            var samples: [String] = []
            var confidences: [Confidence: Int] = [:]
        }
        var groups: [String: Group] = [:]
        var order: [String] = []
        var refused = 0, passed = 0, undecided = 0
        var errors: [String] = []
        let stats = try ReplayReader.read(path: path, base: base, clientIP: clientIP) { item in
            let report: Report
            do { report = try explain(item.request) } catch {
                if errors.count < 5 { errors.append("\(item.origin): \(error)") }
                undecided += 1
                return
            }
            guard let status = report.verdict.status, report.verdict.cause != .none,
                  let primary = report.findings.first else {
                if report.findings.first?.confidence == .possible && report.findings.first?.cause != Cause.none { undecided += 1 }
                else { passed += 1 }
                return
            }
            refused += 1
            let key = primary.rule ?? primary.summary
            if groups[key] == nil { groups[key] = Group(first: primary); order.append(key) }
            groups[key]!.count += 1
            groups[key]!.statuses[status, default: 0] += 1
            groups[key]!.confidences[primary.confidence, default: 0] += 1
            if groups[key]!.samples.count < 5 {
                groups[key]!.samples.append("\(item.request.method) \(item.request.target.requestURI.prefix(200)) (\(item.origin))")
            }
        }
        var findings: [Finding] = []
        for key in order.sorted(by: { (groups[$0]!.count, $1) > (groups[$1]!.count, $0) }) {
            let g = groups[key]!
            var f = g.first
            f.summary = "\(key): would \(g.statuses.keys.contains(where: { $0 == 403 }) ? "refuse" : "answer") \(g.count) request\(g.count == 1 ? "" : "s") ("
                + g.statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ") + ") — e.g. " + g.first.summary
            f.confidence = g.confidences.keys.max() ?? f.confidence   // the weakest confidence among the group
            var details = f.details ?? [:]
            details["count"] = .int(g.count)
            details["statuses"] = .object(Dictionary(uniqueKeysWithValues: g.statuses.map { (String($0.key), JSONValue.int($0.value)) }))
            details["samples"] = .array(g.samples.map { .string($0) })
            f.details = details
            f.evidence = g.samples.map { Evidence(source: "replay", text: $0) } + f.evidence.prefix(3)
            findings.append(f)
        }
        var notes = ["replayed \(stats.requests) request\(stats.requests == 1 ? "" : "s") from \(path) (\(stats.format)): \(refused) would be refused or challenged, \(passed) pass"
                     + (undecided > 0 ? ", \(undecided) depend on what the file does not hold (possible findings)" : "")]
        if stats.broken > 0 {
            notes.append("\(stats.broken) entr\(stats.broken == 1 ? "y was" : "ies were") not a request and skipped: " + stats.samples.joined(separator: "; "))
        }
        if !errors.isEmpty { notes.append("requests the rules could not evaluate: " + errors.joined(separator: "; ")) }
        var s = subject
        s.file = path
        return Report(subject: s, status: nil, findings: findings, answeredBy: layer, notes: notes)
    }
}
