/// Evaluates one condition (operator, key, values) against the request context, following the IAM
/// condition operators page and "Single-valued vs. multivalued context keys":
/// - an absent key makes the condition false, except for negated operators (`StringNotEquals`,
///   `NotIpAddress`, `ArnNotLike`, ...) where it is true, `...IfExists` where it is true, and `Null`;
/// - several policy values are OR'ed; a negated operator is true when no value matches;
/// - `ForAnyValue:` is true when at least one request value matches (false on an absent key);
///   `ForAllValues:` when every request value matches (true on an absent key or an empty set).
enum ConditionEvaluator {
    struct Outcome {
        var holds: Bool
        var why: String
        var keyAbsent: Bool = false
    }

    static func evaluate(_ c: Condition, context: RequestContext, variables: Bool) -> Outcome {
        let op = c.op
        let requestValues = context.lookup(c.key)
        if op.family == .null {
            // Null: "true" means the key must be absent, "false" that it must be present.
            let wantsAbsent = c.values.contains { $0.lowercased() == "true" }
            let wantsPresent = c.values.contains { $0.lowercased() == "false" }
            let absent = requestValues == nil || requestValues!.isEmpty
            let holds = absent ? wantsAbsent : wantsPresent
            return Outcome(holds: holds, why: absent ? "\(c.key) is absent from the request" : "\(c.key) is present")
        }
        let expanded: [PolicyValue] = c.values.map {
            op.expandsVariables ? Wildcard.expand($0, variables: variables, lookup: context.variable)
                                : PolicyValue(text: $0, tokens: Wildcard.tokens($0), unresolved: [])
        }
        func anyPolicyMatches(_ r: String) -> Bool { expanded.contains { op.positiveMatch(policy: $0, request: r) } }
        /// For one request value: does the operator (negation included) hold?
        func holds(_ r: String) -> Bool { op.negated ? !anyPolicyMatches(r) : anyPolicyMatches(r) }

        guard let values = requestValues, !values.isEmpty else {
            switch op.set {
            case .forAllValues:
                return Outcome(holds: true, why: "\(c.key) is absent, and ForAllValues holds on an empty set", keyAbsent: true)
            case .forAnyValue:
                return Outcome(holds: op.ifExists, why: "\(c.key) is absent from the request", keyAbsent: true)
            case nil:
                if op.ifExists { return Outcome(holds: true, why: "\(c.key) is absent and the operator is ...IfExists", keyAbsent: true) }
                if op.negated { return Outcome(holds: true, why: "\(c.key) is absent, so the negated operator is true", keyAbsent: true) }
                return Outcome(holds: false, why: "\(c.key) is absent from the request (give it with --context \(c.key)=VALUE)", keyAbsent: true)
            }
        }
        let shown = values.map { "\"\($0)\"" }.joined(separator: ", ")
        let result: Bool
        switch op.set {
        case .forAllValues: result = values.allSatisfy(holds)
        case .forAnyValue: result = values.contains(where: holds)
        case nil:
            // A plain operator on a multivalued key: positive forms need one matching value,
            // negated forms need that no value matches.
            result = op.negated ? values.allSatisfy(holds) : values.contains(where: holds)
        }
        return Outcome(holds: result, why: "the request has \(c.key) = \(shown)")
    }
}
