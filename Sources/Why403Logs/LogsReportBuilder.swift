import Why403Core

/// Turns the aggregates into report-v1: the summary in `subject`, one finding per cause.
struct LogsReportBuilder {
    let input: LogsAnalyzer.Input
    let context: ScanContext
    let lines: Int
    let bytes: Int64

    var agg: Aggregator { context.aggregator }

    func rows(_ t: TopK) -> [LogsSummary.Row] {
        t.top(input.top).map { LogsSummary.Row(key: $0.key, count: $0.count, error: $0.error > 0 ? $0.error : nil) }
    }

    func timeline() -> LogsSummary.Timeline {
        guard let first = agg.timeline.keys.min(), let last = agg.timeline.keys.max() else {
            return LogsSummary.Timeline(start: nil, bucketSeconds: Int(agg.bucketSeconds), counts: [])
        }
        var width = agg.bucketSeconds
        // At most 1440 buckets in the report (a day of minutes); wider buckets past that.
        while (last - first) / width + 1 > 1440 { width *= 2 }
        let start = floorDiv(first, width) * width
        var counts = [Int](repeating: 0, count: Int((last - start) / width) + 1)
        for (k, v) in agg.timeline { counts[Int((k - start) / width)] += v }
        return LogsSummary.Timeline(start: LogTime.iso8601(start), bucketSeconds: Int(width), counts: counts)
    }

    func sortedGroups() -> [CauseGroup] {
        agg.groups.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            if $0.confidence != $1.confidence { return $0.confidence < $1.confidence }
            return ($0.rule ?? "") < ($1.rule ?? "")
        }
    }

    func report() -> Report { outcome().report }

    /// The report and the typed summary it carries in its subject.
    func outcome() -> LogsAnalyzer.Outcome {
        let groups = sortedGroups()
        let approximate = agg.paths.isApproximate || agg.clients.isApproximate || agg.userAgents.isApproximate
            || context.correlationOverflow
        let summary = LogsSummary(
            files: input.paths.map { $0 == "-" ? "(stdin)" : $0 }, linesRead: lines, bytesRead: bytes,
            statusesCounted: input.statuses.sorted(), since: input.since.map(LogTime.iso8601),
            until: input.until.map(LogTime.iso8601), denials: agg.total, accessDenials: context.accessDenials,
            errorLogEvents: context.errorEventsSeen, correlated: context.correlatedDenials, outsideWindow: context.outsideWindow,
            byStatus: Dictionary(uniqueKeysWithValues: agg.statuses.map { (String($0.key), $0.value) }),
            causes: groups.map { LogsSummary.CauseRow(cause: $0.cause.rawValue, layer: $0.layer.rawValue, rule: $0.rule,
                                                       confidence: $0.confidence.rawValue, count: $0.count, correlated: $0.correlated,
                                                       rules: $0.rules.top(32).map { LogsSummary.Row(key: $0.key, count: $0.count) }) },
            topPaths: rows(agg.paths), topClients: rows(agg.clients), topUserAgents: rows(agg.userAgents),
            modsecurityRules: rows(agg.modsecurityRules), timeline: timeline(),
            bursts: Array(agg.bursts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.client < $1.client }.prefix(input.top)),
            trickles: Array(agg.trickles().prefix(input.top)),
            malformed: LogsSummary.Malformed(count: context.malformedCount, samples: context.malformedSamples),
            approximate: approximate, topCountries: agg.countries.distinct > 0 ? rows(agg.countries) : nil)
        let subject = Subject(kind: .logs, file: summary.files.first, extra: input.summaryInSubject ? summary.asExtra() : [:])
        // The groups shown: the first --top, and the one the verdict names wherever it ranks (`Verdict.decide` picks
        // the first group more than possible, else an application's, else the first): the verdict never depends on
        // how many causes are shown.
        var shown = Array(groups.indices.prefix(input.top))
        if let primary = groups.indices.first(where: { groups[$0].confidence != .possible })
            ?? groups.indices.first(where: { groups[$0].layer == .application }),
           primary >= input.top, !shown.isEmpty {
            shown[shown.count - 1] = primary
        }
        var findings = shown.map { finding(for: groups[$0]) }
        if findings.isEmpty && context.accessDenials == 0 && context.errorEventsSeen == 0 {
            findings = []
        }
        if let proxies = ProxyClients.finding(for: agg) { findings.append(proxies) }  // issue 14: Proxies/ProxyClients.swift
        var notes: [String] = []
        if groups.count > shown.count {
            let rest = groups.indices.filter { !shown.contains($0) }.reduce(0) { $0 + groups[$1].count }
            notes.append("\(groups.count - shown.count) more causes (\(rest) refusals) not shown; raise --top to see them")
        }
        if !context.skippedListed.isEmpty {
            let n = context.skippedListed.count
            let shown = context.skippedListed.prefix(3).map { s in
                "\(s.file) (line \(s.line): " + (s.mismatch.expected.isEmpty ? "expected \(s.mismatch.field)" : "expected \(s.mismatch.expected)")
                    + ", found \(s.mismatch.found))"
            }
            notes.append("\(n) file\(n == 1 ? "" : "s") found in the directories named \(n == 1 ? "was" : "were") left out: no line of \(n == 1 ? "its" : "their") first 64 KiB is of a log this reads (the access format \(InputError.quote(input.format.name, limit: 60)), an error log or an edge log): "
                         + shown.joined(separator: "; ") + (n > 3 ? "; and \(n - 3) more" : "")
                         + "; name a file to read it anyway, or give its format with --log-format or --input-format")
        }
        if context.unclaimedRateLimits > 0 {
            let n = context.unclaimedRateLimits
            notes.append("\(n) rate-limit event\(n == 1 ? "" : "s") of the error log (limit_req, limit_conn) \(n == 1 ? "was" : "were") not counted: the access log covers \(n == 1 ? "its" : "their") time and no access line with a counted status (\(input.statuses.sorted().map(String.init).joined(separator: ", "))) claims \(n == 1 ? "it" : "them"), so \(n == 1 ? "it was" : "they were") answered with another status (limit_req_status; --status 429,503 counts them)")
        }
        if context.malformedCount > 0 {
            notes.append("\(context.malformedCount) malformed, truncated or binary lines were skipped (samples in subject.malformed)")
        }
        if lines > input.limits.fullyParsedLines {
            notes.append("past the first \(input.limits.fullyParsedLines) lines of an access log only lines holding the status are parsed; malformed lines among the others are not counted")
        }
        if approximate {
            notes.append("more distinct keys than the caps (\(input.limits.keysPerDimension) per table): counts of rare keys are Space-Saving estimates, each at most its 'error' too high")
        }
        if context.errorEventsSeen > 0 && agg.groups.contains(where: { $0.cause == .unknown }) {
            notes.append("some access-log refusals have no matching error-log line (same client, request and second): nginx and Apache log a reason for their own refusals, so these likely came from the application or from a rule that logs nothing (return 403, RewriteRule [F])")
        }
        if context.auditTransactions > 0 {
            notes.append("ModSecurity audit log: \(context.auditTransactions) transaction\(context.auditTransactions == 1 ? "" : "s") read, \(context.auditRefusals) refused by the engine"
                         + (context.auditJoined > 0 ? ", \(context.auditJoined) joined with their error-log line by unique_id (counted once)" : "")
                         + (context.auditRepeats > 0 ? "; \(context.auditRepeats) repeated a unique_id already read (the same log given twice?) and were not counted again" : ""))
        }
        if context.errorEventsRead > context.auditRefusals - context.auditJoined {
            if context.errorLogOffset != 0 {
                let o = context.errorLogOffset
                func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
                let text = (o < 0 ? "-" : "+") + two(abs(o) / 3600) + ":" + two(abs(o) % 3600 / 60)
                notes.append("error-log times carry no time zone; they are read in the access log's (\(text)) for --since/--until and the timeline, and joined with access lines by their local wall-clock time")
            } else {
                notes.append("error-log times carry no time zone; they are read as UTC for --since/--until and joined with access lines by their local wall-clock time")
            }
        }
        guard agg.total > 0 else {
            return .init(report: Report(subject: subject, verdict: .notDenied, findings: [], notes:
                            ["no refused request (status \(input.statuses.sorted().map(String.init).joined(separator: ", "))) in \(lines) lines"] + notes),
                         summary: summary)
        }
        let status = agg.statuses.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
        return .init(report: Report(subject: subject, status: status, findings: findings, answeredBy: findings.first?.layer ?? .unknown, notes: notes), summary: summary)
    }

    func finding(for g: CauseGroup) -> Finding {
        let pct = agg.total > 0 ? Double(g.count) * 100 / Double(agg.total) : 0
        let pctText = pct >= 10 ? String(Int(pct.rounded())) : String(Double(Int(pct * 10)) / 10)
        let topPath = g.paths.top(1).first?.key
        let topClient = g.clients.top(1).first?.key
        let target = g.targets.top(1).first?.key
        let what = LogsFixes.describe(g, target: target, topPath: topPath)
        var summary = "\(g.count) refused request\(g.count == 1 ? "" : "s") (\(pctText)%): \(what)"
        if g.correlated > 0 {
            summary += g.meaning != nil ? "; \(g.correlated) seen in both the balancer's and the AWS WAF log"
                : "; \(g.correlated) joined with their error-log line"
        }
        var details: [String: JSONValue] = [
            "count": .int(g.count),
            "correlated": .int(g.correlated),
            "statuses": .object(statusCounts(g.statuses)),
            "top_paths": .array(g.paths.top(5).map { .object(["key": .string($0.key), "count": .int($0.count)]) }),
            "top_clients": .array(g.clients.top(5).map { .object(["key": .string($0.key), "count": .int($0.count)]) }),
        ]
        if g.targets.distinct > 0 {
            details["targets"] = .array(g.targets.top(5).map { .object(["key": .string($0.key), "count": .int($0.count)]) })
        }
        if g.rules.distinct > 1 {
            details["rules"] = .array(g.rules.top(10).map { .object(["key": .string($0.key), "count": .int($0.count)]) })
        }
        if g.details.distinct > 0 {
            details["messages"] = .array(g.details.top(5).map { .object(["key": .string($0.key), "count": .int($0.count)]) })
        }
        if g.scored.distinct > 0 {
            details["scored_rules"] = .array(g.scored.top(10).map { .object(["key": .string($0.key), "count": .int($0.count)]) })
        }
        if g.countries.distinct > 0 {
            details["top_countries"] = .array(g.countries.top(5).map { .object(["key": .string($0.key), "count": .int($0.count)]) })
        }
        if let f = g.first { details["first"] = .string(LogTime.iso8601(f)) }
        if let l = g.last { details["last"] = .string(LogTime.iso8601(l)) }
        let fix = LogsFixes.fixes(g, target: target, topPath: topPath, topClient: topClient,
                                  contributing: g.scored.distinct > 0 ? g.scored.top(5).map(\.key) : agg.modsecurityRules.top(3).map(\.key))
        return Finding(cause: g.cause, layer: g.layer, confidence: g.confidence, summary: summary,
                       evidence: Array(g.samples.joined().prefix(6)), fixes: fix.fixes, rule: g.rule,
                       checks: fix.checks.isEmpty ? nil : fix.checks, details: details)
    }
}
