import Why403Core

/// Where a rule or ruleset came from: a file and line (HCL), or a file and JSON path (API export,
/// `terraform show -json`).
public struct RuleOrigin: Sendable, Equatable, CustomStringConvertible {
    /// The file read.
    public var file: String
    /// The 1-based line (HCL files).
    public var line: Int?
    /// The JSON path (`$.result.rules[2]`) of JSON files.
    public var jsonPath: String?
    /// The RFC 6901 pointer of the same place (`/result/rules/2`), for JSON patches.
    public var pointer: String?
    /// The Terraform resource address (`cloudflare_ruleset.waf`), for Terraform inputs.
    public var resource: String?

    /// An origin.
    public init(file: String, line: Int? = nil, jsonPath: String? = nil, pointer: String? = nil, resource: String? = nil) {
        self.file = file
        self.line = line
        self.jsonPath = jsonPath
        self.pointer = pointer
        self.resource = resource
    }

    /// `file:line`, or `file $.path`.
    public var description: String {
        if let line { return "\(file):\(line)" }
        if let jsonPath { return "\(file) \(jsonPath)" }
        return file
    }
}

/// The parameters of a rule's action that the evaluation needs (`action_parameters`).
public struct ActionParameters: Sendable, Equatable {
    /// `execute`: the id of the ruleset to run.
    public var executeID: String?
    /// `skip` with `ruleset: "current"`: the rest of the current ruleset.
    public var skipCurrentRuleset = false
    /// `skip` with `phases`: these phases are skipped.
    public var skipPhases: [String] = []
    /// `skip` with `products`: legacy security products skipped (not evaluated by why403).
    public var skipProducts: [String] = []
    /// `skip` with `rulesets`: these (managed) rulesets are not executed.
    public var skipRulesets: [String] = []
    /// `skip` with `rules`: ruleset id to the rule ids skipped in it.
    public var skipRules: [String: [String]] = [:]
    /// `block` with `response`: the status code.
    public var responseStatus: Int?
    /// `block` with `response`: the body.
    public var responseContent: String?
    /// `block` with `response`: the body's content type.
    public var responseContentType: String?

    /// No parameters.
    public init() {}
}

/// A rate limiting rule's `ratelimit` object.
public struct RateLimit: Sendable, Equatable {
    /// `characteristics` (`ip.src`, `cf.colo.id`, ...).
    public var characteristics: [String] = []
    /// `period` in seconds.
    public var period: Int?
    /// `requests_per_period`.
    public var requestsPerPeriod: Int?
    /// `mitigation_timeout` in seconds.
    public var mitigationTimeout: Int?
    /// `counting_expression`, when it differs from the rule's expression.
    public var countingExpression: String?

    /// An empty rate.
    public init() {}
}

/// One rule of a ruleset, as exported.
public struct Rule: Sendable, Equatable {
    /// `id` (exported rules have one; HCL rules do not).
    public var id: String?
    /// `ref`: the rule's stable name (preferred over `id` when naming it).
    public var ref: String?
    /// `description`.
    public var description: String?
    /// `expression`: the filter.
    public var expression: String
    /// `action`: block, managed_challenge, js_challenge, challenge, log, skip, execute, ...
    public var action: String
    /// `enabled` (default true).
    public var enabled: Bool
    /// `action_parameters`.
    public var parameters: ActionParameters
    /// `ratelimit` (rate limiting rules).
    public var ratelimit: RateLimit?
    /// Where the rule is.
    public var origin: RuleOrigin
    /// Where its expression is (HCL: the line of `expression =`).
    public var expressionOrigin: RuleOrigin

    /// A rule.
    public init(id: String? = nil, ref: String? = nil, description: String? = nil, expression: String, action: String,
                enabled: Bool = true, parameters: ActionParameters = ActionParameters(), ratelimit: RateLimit? = nil,
                origin: RuleOrigin, expressionOrigin: RuleOrigin? = nil) {
        self.id = id
        self.ref = ref
        self.description = description
        self.expression = expression
        self.action = action
        self.enabled = enabled
        self.parameters = parameters
        self.ratelimit = ratelimit
        self.origin = origin
        self.expressionOrigin = expressionOrigin ?? origin
    }

    /// The name a report gives the rule: its `ref`, else its `id`, else its position.
    public var name: String { ref ?? id ?? "rule at \(origin)" }
}

/// A ruleset: a phase entry point (kind `zone` or `root`) or a custom/managed ruleset run by `execute`.
public struct Ruleset: Sendable, Equatable {
    /// `id` (HCL: the resource address).
    public var id: String?
    /// `name`.
    public var name: String?
    /// `kind`: `zone`, `root`, `custom`, `managed`.
    public var kind: String
    /// `phase`.
    public var phase: String
    /// The rules in order.
    public var rules: [Rule]
    /// Where the ruleset is.
    public var origin: RuleOrigin
    /// Whether the phase was assumed (a bare rules array has none).
    public var phaseAssumed: Bool

    /// A ruleset.
    public init(id: String? = nil, name: String? = nil, kind: String, phase: String, rules: [Rule], origin: RuleOrigin,
                phaseAssumed: Bool = false) {
        self.id = id
        self.name = name
        self.kind = kind
        self.phase = phase
        self.rules = rules
        self.origin = origin
        self.phaseAssumed = phaseAssumed
    }

    /// Whether it is a phase entry point (runs by itself) rather than a ruleset run by `execute`.
    public var isEntryPoint: Bool { kind == "zone" || kind == "root" }
}
