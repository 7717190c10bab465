/// The engine's answer for one request, read: every rule that matched with its own text, the rule that
/// stopped the request, and — for CRS's anomaly scoring — the rules whose scores added up to the block.
public struct Evaluation: Sendable {
    /// One rule that matched and logged.
    public struct Match: Sendable {
        /// The engine's message.
        public var message: RuleMessage
        /// The rule's text at its file and line (tags, phase), when readable.
        public var rule: RuleText?
        /// The tags: the message's, else the rule text's.
        public var tags: [String] { message.tags.isEmpty ? (rule?.tags ?? []) : message.tags }
        /// The anomaly score CRS adds for the rule's severity (its default setup: critical 5, error 4,
        /// warning 3, notice 2).
        public var score: Int? {
            switch message.severity { case 0, 1, 2: 5; case 3: 4; case 4: 3; case 5: 2; default: nil }
        }
        /// The paranoia level, from the `paranoia-level/N` tag.
        public var paranoiaLevel: Int? {
            tags.lazy.compactMap { t in t.hasPrefix("paranoia-level/") ? Int(t.dropFirst("paranoia-level/".count)) : nil }.first
        }
        /// CRS's reporting and blocking-evaluation rules (949xxx, 959xxx, 980xxx) add no score of their own.
        public var isEvaluation: Bool {
            message.id.hasPrefix("949") || message.id.hasPrefix("959") || message.id.hasPrefix("980")
                || (message.variable?.uppercased().contains("ANOMALY_SCORE") ?? false)
        }
    }

    /// What the engine did.
    public var outcome: ModSecurityEngine.Outcome
    /// Every rule that matched and logged, in the engine's order.
    public var matched: [Match]

    /// Reads an outcome; `texts` finds a message's rule text.
    init(outcome: ModSecurityEngine.Outcome, texts: (RuleMessage) -> RuleText?) {
        self.outcome = outcome
        matched = outcome.messages.map { Match(message: $0, rule: texts($0)) }
    }

    /// Whether a rule was disruptive.
    public var blocked: Bool { outcome.status != nil }

    /// The rule that stopped the request.
    public var disruptive: Match? {
        guard blocked else { return nil }
        return matched.last { $0.message.denied } ?? matched.last
    }

    /// The rules the block rests on: for an anomaly-score block, every other rule that added a score
    /// (CRS's 980xxx reports excluded); for a rule that denies by itself, that rule.
    public var contributors: [Match] {
        guard let d = disruptive else { return [] }
        guard d.isEvaluation else { return [d] }
        return matched.filter { !$0.isEvaluation && ($0.score ?? 0) > 0 }
    }

    /// The total inbound anomaly score, as the blocking rule logged it ("Total Score: 8").
    public var anomalyScore: Int? {
        guard let d = disruptive ?? matched.last(where: \.isEvaluation) else { return nil }
        if let r = d.message.message.range(of: "Total Score: ") {
            return Int(d.message.message[r.upperBound...].prefix { $0.isNumber })
        }
        return d.message.value.flatMap { Int($0) }
    }

    /// The threshold the anomaly score was compared with (the blocking rule's operator parameter).
    public var threshold: Int? {
        guard let d = disruptive, d.isEvaluation, let r = d.message.text.range(of: " with parameter `") else { return nil }
        return Int(d.message.text[r.upperBound...].prefix { $0.isNumber })
    }
}
