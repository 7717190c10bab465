import Why403Core

/// How the request's principal matched a statement's `Principal` (resource-based policies).
public enum PrincipalMatch: String, Sendable {
    /// `"Principal": "*"` or `{"AWS": "*"}`: everyone, anonymous included.
    case wildcard
    /// The caller's own ARN (user, role session, federated user), service name or canonical user.
    case exact
    /// The role ARN of the caller's role session.
    case role
    /// The caller's account (`111122223333` or its root ARN): delegates to the account's IAM policies.
    case account
    /// `NotPrincipal` that does not list the caller.
    case notPrincipal
    /// Statement of an identity-type policy: no principal element.
    case implicit
}

/// The outcome of one statement for one request, with the reason a person reads.
public struct StatementResult: Sendable {
    /// The statement.
    public var statement: Statement
    /// The policy kind it belongs to.
    public var kind: PolicyKind
    /// True when every element matched (principal, action, resource, conditions).
    public var applies: Bool
    /// Why it applies or not, in one line.
    public var reason: String
    /// How the principal matched (when it did).
    public var principalMatch: PrincipalMatch?
    /// True when principal, action and resource matched (only conditions may have failed).
    public var targetMatched: Bool
    /// Condition keys the statement consulted that the request context did not have.
    public var absentKeys: [String]
    /// The conditions that held (for an applying statement) or the first that failed.
    public var conditionNotes: [String]

    /// The evidence line for this statement.
    public var evidence: Evidence {
        Evidence(source: statement.location,
                 text: "\(kind.rawValue) \(statement.label): \(statement.effect.rawValue) — \(applies ? "applies" : "does not apply"): \(reason)")
    }
}

/// Evaluates one statement against a request (IAM JSON policy elements reference: Principal,
/// NotPrincipal, Action, NotAction, Resource, NotResource, Condition).
public enum StatementEvaluator {
    /// Evaluates `statement` of `policy` for `context`.
    public static func evaluate(_ statement: Statement, in policy: Policy, context: RequestContext) -> StatementResult {
        var r = StatementResult(statement: statement, kind: policy.kind, applies: false, reason: "", principalMatch: nil,
                                targetMatched: false, absentKeys: [], conditionNotes: [])
        // Principal
        if policy.kind.isResourceBased {
            if let entries = statement.principal {
                guard let m = principalMatch(entries, context.principal) else {
                    r.reason = "Principal \(describe(entries)) does not include \(who(context.principal))"
                    return r
                }
                r.principalMatch = m
            } else if let entries = statement.notPrincipal {
                if notPrincipalExcludes(entries, context.principal) {
                    r.reason = "NotPrincipal \(describe(entries)) excludes \(who(context.principal))"
                    return r
                }
                r.principalMatch = .notPrincipal
            }
        } else {
            r.principalMatch = .implicit
        }
        // Action
        if let actions = statement.action {
            guard actions.contains(where: { actionMatches($0, context.action) }) else {
                r.reason = "Action \(list(actions)) does not match \(context.action)"
                return r
            }
        } else if let not = statement.notAction {
            if let hit = not.first(where: { actionMatches($0, context.action) }) {
                r.reason = "NotAction \"\(hit)\" excludes \(context.action)"
                return r
            }
        }
        // Resource
        let vars = policy.expandsVariables
        if let resources = statement.resource {
            let expanded = resources.map { Wildcard.expand($0, variables: vars, lookup: context.variable) }
            guard expanded.contains(where: { $0.tokens.map { Wildcard.match($0, context.resource) } ?? false }) else {
                let missing = expanded.flatMap(\.unresolved)
                r.reason = "Resource \(list(resources)) does not match \(context.resource)"
                    + (missing.isEmpty ? "" : " (policy variable \(list(missing)) has no value in the request)")
                r.absentKeys = missing
                return r
            }
        } else if let not = statement.notResource {
            let expanded = not.map { Wildcard.expand($0, variables: vars, lookup: context.variable) }
            if let hit = expanded.first(where: { $0.tokens.map { Wildcard.match($0, context.resource) } ?? false }) {
                r.reason = "NotResource \"\(hit.text)\" excludes \(context.resource)"
                return r
            }
        }
        r.targetMatched = true
        // Conditions: every one must hold (AND); values of one are OR'ed.
        for c in statement.conditions {
            let outcome = ConditionEvaluator.evaluate(c, context: context, variables: vars)
            if outcome.keyAbsent { r.absentKeys.append(c.key) }
            if !outcome.holds {
                r.reason = "condition \(c.operatorName) \(c.key) \(list(c.values)) is false: \(outcome.why)"
                r.conditionNotes = [r.reason]
                return r
            }
            r.conditionNotes.append("\(c.operatorName) \(c.key) \(list(c.values)): \(outcome.why)")
        }
        r.applies = true
        var parts: [String] = []
        if let m = r.principalMatch, m != .implicit { parts.append("principal matches (\(m.rawValue))") }
        parts.append("action and resource match")
        if !statement.conditions.isEmpty { parts.append("conditions hold (\(r.conditionNotes.joined(separator: "; ")))") }
        r.reason = parts.joined(separator: ", ")
        return r
    }

    /// Action names are case-insensitive (IAM JSON policy elements: Action); `*` and `?` wildcards.
    public static func actionMatches(_ pattern: String, _ action: String) -> Bool {
        Wildcard.match(Wildcard.tokens(pattern), action, ignoreCase: true)
    }

    /// Whether `entries` name `p`, and how (IAM JSON policy elements: Principal).
    public static func principalMatch(_ entries: [PrincipalEntry], _ p: Principal) -> PrincipalMatch? {
        var best: PrincipalMatch? = nil
        func take(_ m: PrincipalMatch) {
            let rank: [PrincipalMatch: Int] = [.exact: 0, .wildcard: 1, .role: 2, .account: 3]
            if best == nil || rank[m, default: 9] < rank[best!, default: 9] { best = m }
        }
        for e in entries {
            switch e.type {
            case "*":
                take(.wildcard)
            case "AWS":
                if e.value == "*" { take(.wildcard); continue }
                if p.kind == .cloudFrontOAI {
                    if OriginAccessRule.oaiID(e.value) == p.name { take(.exact) }
                    continue
                }
                guard p.isIAM else { continue }
                if e.value == p.raw && p.kind != .root { take(.exact) }
                else if p.kind == .assumedRole && e.value == p.roleArn { take(.role) }
                else if e.value == p.account || e.value == p.accountRootArn { take(p.kind == .root ? .exact : .account) }
            case "Service":
                if p.kind == .service && e.value.lowercased() == p.raw.lowercased() { take(.exact) }
            case "Federated":
                if e.value == p.raw { take(.exact) }
            case "CanonicalUser":
                if e.value == p.raw { take(.exact) }
            default:
                break
            }
        }
        return best
    }

    /// Whether `NotPrincipal` excludes the caller. For an IAM identity AWS evaluates the request for
    /// the identity and for its account, so both must be listed (IAM JSON policy elements:
    /// NotPrincipal, "NotPrincipal with Deny"); a role session is named by its assumed-role ARN.
    public static func notPrincipalExcludes(_ entries: [PrincipalEntry], _ p: Principal) -> Bool {
        let values = Set(entries.map(\.value))
        switch p.kind {
        case .anonymous: return entries.contains { $0.type == "*" || $0.value == "*" }
        case .service: return entries.contains { $0.type == "Service" && $0.value.lowercased() == p.raw.lowercased() }
        case .cloudFrontOAI: return entries.contains { $0.type == "AWS" && OriginAccessRule.oaiID($0.value) == p.name }
        case .root: return values.contains(p.raw) || values.contains(p.account ?? "")
        default:
            let accountListed = values.contains(p.account ?? "") || values.contains(p.accountRootArn ?? "")
            return values.contains(p.raw) && accountListed
        }
    }

    static func who(_ p: Principal) -> String {
        p.kind == .anonymous ? "an anonymous caller" : p.raw
    }

    static func describe(_ entries: [PrincipalEntry]) -> String {
        "[" + entries.map { $0.type == "*" ? "\"*\"" : "\($0.type): \"\($0.value)\"" }.joined(separator: ", ") + "]"
    }

    static func list(_ values: [String]) -> String {
        "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }
}
