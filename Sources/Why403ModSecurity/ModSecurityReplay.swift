import Why403Core
import Why403Replay

extension ModSecurityAnalyzer {
    /// What `--replay` reads.
    public struct ReplayInput: Sendable {
        /// The HAR file or access log.
        public var path: String
        /// Scheme, host and port for access-log requests (the command's URL).
        public var base: RequestTarget
        /// The client address of HAR requests (`--client-ip`).
        public var clientIP: IPAddress?

        /// A replay of `path`.
        public init(path: String, base: RequestTarget, clientIP: IPAddress? = nil) {
            self.path = path
            self.base = base
            self.clientIP = clientIP
        }
    }

    /// Every request of a HAR file or access log through the rule set, loaded once: which would be
    /// blocked, grouped by rule (one finding per rule, with the count, the variables it matched and
    /// sample requests), and the exclusions that let the sampled blocked requests through, re-evaluated.
    /// The verdict is the replay's as a whole (`status: null`).
    public static func replay(_ input: Input, replay: ReplayInput) throws -> Report {
        let session = try Session(rules: input.rules, libraryPath: input.libraryPath, readFile: input.readFile)
        return try session.replay(replay)
    }
}

extension ModSecurityAnalyzer.Session {
    /// One rule's share of a replay.
    struct RuleGroup {
        var id: String
        var message = ""
        var file: String?
        var line: Int?
        var count = 0
        var variables: [String: Int] = [:]
        var samples: [String] = []
        var paranoiaLevel: Int?
        var tags: [String] = []
        /// path → variables matched there (capped), for the exclusion.
        var targets: [String: Set<String>] = [:]
        var wholeRuleAt: Set<String> = []
    }

    /// The replay (see `ModSecurityAnalyzer.replay`).
    public func replay(_ input: ModSecurityAnalyzer.ReplayInput) throws -> Report {
        var groups: [String: RuleGroup] = [:]
        var blocked = 0, passed = 0, statuses: [Int: Int] = [:]
        var kept: [Request] = []          // blocked requests kept to re-evaluate the exclusions (capped)
        let stats = try ReplayReader.read(path: input.path, base: input.base, clientIP: input.clientIP) { item in
            let e = evaluate(item.request)
            guard e.blocked else { passed += 1; return }
            blocked += 1
            statuses[e.outcome.status ?? 403, default: 0] += 1
            if kept.count < 500 { kept.append(item.request) }
            let path = item.request.target.path
            for c in e.contributors {
                var g = groups[c.message.id] ?? RuleGroup(id: c.message.id)
                g.count += 1
                g.message = c.message.message
                g.file = c.message.file
                g.line = c.message.line
                g.paranoiaLevel = c.paranoiaLevel
                if g.tags.isEmpty { g.tags = c.tags }
                if let v = c.message.variable { g.variables[v, default: 0] += 1 }
                if g.samples.count < 5 {
                    g.samples.append("\(item.request.method) \(item.request.target.requestURI.prefix(200)) (\(item.origin))")
                }
                if g.targets.count < 50 || g.targets[path] != nil {
                    if let v = c.message.variable, Exclusion.removable(v) { g.targets[path, default: []].insert(v) }
                    else { g.wholeRuleAt.insert(path) }
                }
                groups[c.message.id] = g
            }
        }

        // One exclusion per path, covering every rule that blocked there; re-evaluated on the kept requests.
        var byPath: [String: Exclusion] = [:]
        for g in groups.values.sorted(by: { $0.id < $1.id }) {
            for (path, variables) in g.targets {
                var x = byPath[path] ?? Exclusion(path: path)
                for v in variables.sorted() where !x.targets.contains(.init(rule: g.id, variable: v)) {
                    x.targets.append(.init(rule: g.id, variable: v))
                }
                byPath[path] = x
            }
            for path in g.wholeRuleAt {
                var x = byPath[path] ?? Exclusion(path: path)
                if !x.wholeRules.contains(g.id) { x.wholeRules.append(g.id) }
                byPath[path] = x
            }
        }
        var exclusions = byPath.keys.sorted().prefix(100).map { byPath[$0]! }
        for i in exclusions.indices { exclusions[i].id = 1000 + i }
        let combined = exclusions.map(\.text).joined(separator: "\n")
        var stillBlocked: Int? = nil
        if !exclusions.isEmpty, let engine = try? ModSecurityEngine(library: library, parts: rules.parts(exclusions: combined)) {
            stillBlocked = kept.filter { engine.evaluate($0).status != nil }.count
        }

        var findings: [Finding] = []
        for g in groups.values.sorted(by: { ($0.count, $1.id) > ($1.count, $0.id) }) {
            var summary = "rule \(g.id)"
            if !g.message.isEmpty { summary += " \(g.message)" }
            summary += ": scored in \(g.count) blocked request\(g.count == 1 ? "" : "s")"
            let topVars = g.variables.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
            if !topVars.isEmpty { summary += ", on " + topVars.map { "\($0.key) (\($0.value))" }.joined(separator: ", ") }
            var details: [String: JSONValue] = [
                "count": .int(g.count),
                "samples": .array(g.samples.map { .string($0) }),
                "variables": .object(g.variables.mapValues { .int($0) }),
            ]
            if let p = g.paranoiaLevel { details["paranoia_level"] = .int(p) }
            if !g.tags.isEmpty { details["tags"] = .array(g.tags.map { .string($0) }) }
            var evidence: [Evidence] = []
            if let f = g.file, let l = g.line, !f.hasPrefix("<<") { evidence.append(Evidence(SourceLocation(file: f, line: l), g.message)) }
            evidence += g.samples.map { Evidence(source: "replay", text: $0) }
            let mine = exclusions.filter { x in x.targets.contains { $0.rule == g.id } || x.wholeRules.contains(g.id) }
            let fix = Fix(summary: "if these are false positives: exclude the variables from rule \(g.id) on the paths where it fired (\(mine.count) path\(mine.count == 1 ? "" : "s")), \(rules.exclusionHome); review each sample first: a real attack is blocked for a reason",
                          patch: mine.prefix(10).map(\.text).joined(separator: "\n"))
            findings.append(Finding(cause: .wafRule, layer: .modsecurity, confidence: .certain, summary: summary,
                                    evidence: evidence, fixes: [fix], rule: g.id, details: details))
        }

        var notes = ["replayed \(stats.requests) request\(stats.requests == 1 ? "" : "s") from \(input.path) (\(stats.format)): \(blocked) would be blocked"
                     + (statuses.isEmpty ? "" : " (" + statuses.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ") + ")")
                     + ", \(passed) pass"]
        if stats.broken > 0 {
            notes.append("\(stats.broken) entr\(stats.broken == 1 ? "y was" : "ies were") not a request and skipped: " + stats.samples.joined(separator: "; "))
        }
        if let still = stillBlocked {
            notes.append("with all the exclusions below, \(kept.count - still) of the \(kept.count) blocked request\(kept.count == 1 ? "" : "s") re-evaluated by libmodsecurity pass" + (still > 0 ? "; \(still) are still blocked" : ""))
        }
        let subject = Subject(kind: .modsecurity, url: input.base.url, config: rules.description, file: input.path)
        return Report(subject: subject, status: nil, findings: findings, answeredBy: .modsecurity, notes: notes)
    }
}
