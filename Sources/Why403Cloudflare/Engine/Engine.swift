import Why403Core

/// One rule compiled: its expression parsed and type-checked once.
public struct CompiledRule: Sendable {
    /// The rule as read.
    public let rule: Rule
    /// Its expression.
    public let expression: CompiledExpression
    /// A rate limiting rule's `counting_expression` (which requests count towards the rate), when it
    /// has one; without it the rule's expression counts.
    public var counting: CompiledExpression? = nil
}

/// One ruleset compiled.
public struct CompiledRuleset: Sendable {
    /// The ruleset as read.
    public let ruleset: Ruleset
    /// Its rules, in order.
    public let rules: [CompiledRule]
}

/// Every ruleset of a zone (and account) compiled once: what `Engine.evaluate` runs per request.
public struct CompiledRules: Sendable {
    /// The rulesets in the order given (their phase and kind, not this order, decide evaluation).
    public let rulesets: [CompiledRuleset]

    /// Compiles every rule. An expression Cloudflare's API would refuse (syntax, unknown field, a type
    /// error, a function not allowed in the phase, a regex Rust's crate refuses) is an `InputError`
    /// naming the file, the rule's ref and the column in its expression.
    public static func compile(_ rulesets: [Ruleset]) throws -> CompiledRules {
        var out: [CompiledRuleset] = []
        for rs in rulesets {
            var rules: [CompiledRule] = []
            for r in rs.rules {
                do {
                    rules.append(CompiledRule(rule: r, expression: try CompiledExpression(r.expression, phase: rs.phase)))
                } catch {
                    throw compileError(error, r, r.expression)
                }
                if let c = r.ratelimit?.countingExpression {
                    // The counting expression may read the response (http.response.code and headers):
                    // "Increment counter when" in the dashboard.
                    do { rules[rules.count - 1].counting = try CompiledExpression(c, phase: rs.phase, allowResponseFields: true) } catch {
                        throw compileError(error, r, c, what: "counting_expression")
                    }
                }
            }
            out.append(CompiledRuleset(ruleset: rs, rules: rules))
        }
        return CompiledRules(rulesets: out)
    }

    /// The `InputError` for an expression of rule `r` Cloudflare's API would refuse.
    static func compileError(_ error: ExpressionError, _ r: Rule, _ expression: String, what: String = "expression") -> InputError {
        let o = r.expressionOrigin
        let lines = expression.split(separator: "\n", omittingEmptySubsequences: false)
        var where_ = "column \(error.column) of its \(what)"
        var col = error.column
        if lines.count > 1 {
            // Multi-line expressions (heredocs): line and column inside the expression.
            var left = error.column - 1
            for (n, l) in lines.enumerated() {
                let len = l.unicodeScalars.count + 1
                if left < len { where_ = "line \(n + 1), column \(left + 1) of its \(what)"; col = left + 1; break }
                left -= len
            }
        }
        // The column is that of the rule's expression line only; a counting_expression is placed by the rule.
        let isMain = what == "expression"
        return InputError(file: o.file, line: isMain ? o.line : r.origin.line, column: isMain && o.line != nil ? col : nil,
                          message: "rule \(InputError.quote(r.name)) (\(r.origin)): \(error.message), at \(where_)",
                          help: "Cloudflare's API refuses this \(what): " + InputError.quote(expression, limit: 120))
    }

    /// The phases of the WAF in the order Cloudflare runs them
    /// (https://developers.cloudflare.com/ruleset-engine/reference/phases-list/).
    public static let phaseOrder = ["http_request_firewall_custom", "http_ratelimit", "http_request_firewall_managed", "http_request_sbfm"]
}

/// What happened to one rule while a request went through the phases.
public struct Step: Sendable {
    /// How the rule's expression came out.
    public enum Result: Sendable, Equatable {
        /// The expression is true.
        case matched
        /// The expression is false.
        case notMatched
        /// The expression depends on a field nobody gave.
        case unknown
        /// `enabled: false`.
        case disabled
        /// Not evaluated because an earlier skip rule (named) skipped it.
        case skipped(String)
    }
    /// Index in `CompiledRules.rulesets`.
    public var ruleset: Int
    /// Index of the rule in its ruleset.
    public var rule: Int
    /// The outcome.
    public var result: Result
    /// The rule ran inside a ruleset an `execute` rule with an unknown outcome ran: it can only be possible.
    public var conditional: Bool
    /// The `execute` rule that ran its ruleset, when it did.
    public var via: String?
    /// What the step did (skip applied, managed ruleset not exported, ...).
    public var note: String?
}

/// The path of one request through the rules.
public struct Trace: Sendable {
    /// Every rule looked at, in order.
    public var steps: [Step] = []
    /// The index in `steps` of the terminating rule that decided, if one did.
    public var decider: Int?
    /// What was assumed or not evaluated.
    public var notes: [String] = []
}

/// Runs a request's field values through compiled rules in Cloudflare's order: phases as documented,
/// account (`root`) entry point before the zone's, rules by position, `skip` and `execute` as the
/// Rulesets API defines them, disabled rules passed over. A pure function: no I/O, no state.
public enum Engine {
    /// The terminating actions of the WAF phases.
    public static let terminating: Set<String> = ["block", "managed_challenge", "js_challenge", "challenge"]

    /// Evaluates `fields` against `rules`.
    public static func evaluate(_ rules: CompiledRules, _ fields: FieldValues) -> Trace {
        var run = Run(rules: rules, fields: fields)
        let known = Set(CompiledRules.phaseOrder)
        for (i, rs) in rules.rulesets.enumerated() where !known.contains(rs.ruleset.phase) && rs.ruleset.isEntryPoint {
            run.trace.notes.append("ruleset \(rs.ruleset.name ?? rs.ruleset.id ?? "#\(i + 1)") (\(rs.ruleset.origin)) is in phase \(rs.ruleset.phase), which why403 does not evaluate (only the WAF phases: \(CompiledRules.phaseOrder.joined(separator: ", ")))")
        }
        for phase in CompiledRules.phaseOrder {
            if let by = run.skippedPhases[phase] {
                run.trace.notes.append("phase \(phase) was skipped by rule \(by)")
                continue
            }
            let entries = rules.rulesets.indices.filter { rules.rulesets[$0].ruleset.phase == phase && rules.rulesets[$0].ruleset.isEntryPoint }
            // Account-level (root) entry points run before the zone's.
            let ordered = entries.filter { rules.rulesets[$0].ruleset.kind == "root" } + entries.filter { rules.rulesets[$0].ruleset.kind != "root" }
            for e in ordered {
                if run.runRuleset(e, conditional: false, via: nil, depth: 0) { return run.trace }
            }
        }
        return run.trace
    }

    struct Run {
        let rules: CompiledRules
        let fields: FieldValues
        var trace = Trace()
        var skippedPhases: [String: String] = [:]
        var skippedRulesets: [String: String] = [:]
        var skippedRules: [String: [String: String]] = [:]

        init(rules: CompiledRules, fields: FieldValues) {
            self.rules = rules
            self.fields = fields
        }

        /// Runs one ruleset; true when a terminating rule decided.
        mutating func runRuleset(_ index: Int, conditional: Bool, via: String?, depth: Int) -> Bool {
            let rs = rules.rulesets[index]
            for (j, cr) in rs.rules.enumerated() {
                let r = cr.rule
                var step = Step(ruleset: index, rule: j, result: .notMatched, conditional: conditional, via: via)
                if !r.enabled {
                    step.result = .disabled
                    trace.steps.append(step)
                    continue
                }
                if let id = r.id, let rsID = rs.ruleset.id, let by = skippedRules[rsID]?[id] {
                    step.result = .skipped(by)
                    trace.steps.append(step)
                    continue
                }
                let v = Evaluator.evaluate(cr.expression.root, fields).truth
                step.result = v == true ? .matched : (v == false ? .notMatched : .unknown)
                let sure = v == true && !conditional
                let isRate = rs.ruleset.phase == "http_ratelimit" || r.ratelimit != nil
                switch r.action {
                case _ where isRate:
                    if v != false { step.note = "rate limiting rule: blocks only once the rate is exceeded" }
                    trace.steps.append(step)
                case let a where Engine.terminating.contains(a):
                    trace.steps.append(step)
                    if sure {
                        trace.decider = trace.steps.count - 1
                        return true
                    }
                case "skip":
                    if sure {
                        let p = r.parameters
                        var did: [String] = []
                        for ph in p.skipPhases { skippedPhases[ph] = r.name; did.append("phase \(ph)") }
                        for id in p.skipRulesets { skippedRulesets[id] = r.name; did.append("ruleset \(id)") }
                        for (rsID, ids) in p.skipRules { for id in ids { skippedRules[rsID, default: [:]][id] = r.name }; did.append("\(ids.count) rule(s) of ruleset \(rsID)") }
                        if !p.skipProducts.isEmpty { did.append("products \(p.skipProducts.joined(separator: ", ")) (legacy features why403 does not evaluate)") }
                        if p.skipCurrentRuleset { did.append("the rest of this ruleset") }
                        step.note = "skip: " + (did.isEmpty ? "nothing named" : did.joined(separator: "; "))
                        trace.steps.append(step)
                        if p.skipCurrentRuleset { return false }
                    } else {
                        if v != false { step.note = "skip not applied: its condition is not certain (the rules after it were still evaluated)" }
                        trace.steps.append(step)
                    }
                case "execute":
                    guard let target = r.parameters.executeID else {
                        step.note = "execute without action_parameters.id"
                        trace.steps.append(step)
                        continue
                    }
                    if let by = skippedRulesets[target] {
                        step.result = .skipped(by)
                        trace.steps.append(step)
                        continue
                    }
                    let found = rules.rulesets.indices.first { rules.rulesets[$0].ruleset.id == target && !rules.rulesets[$0].ruleset.isEntryPoint }
                        ?? rules.rulesets.indices.first { rules.rulesets[$0].ruleset.id == target && $0 != index }
                    if v == false {
                        trace.steps.append(step)
                        continue
                    }
                    guard let t = found, depth < 8 else {
                        step.note = "executes ruleset \(target), which was not given (a managed ruleset's rules are not exported): it may block"
                        trace.steps.append(step)
                        continue
                    }
                    step.note = "executes ruleset \(rules.rulesets[t].ruleset.name ?? target)"
                    trace.steps.append(step)
                    if runRuleset(t, conditional: conditional || v == nil, via: r.name, depth: depth + 1) { return true }
                default:
                    if v != false { step.note = "action \(r.action) does not decide whether the request is refused" }
                    trace.steps.append(step)
                }
            }
            return false
        }
    }
}
