/// `StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`,
/// `StringLike`, `StringNotLike` (IAM condition operators page, "String condition operators").
/// Case-sensitive except the `IgnoreCase` forms; only `Like` treats `*` and `?` as wildcards.
enum StringCondition {
    static func matches(_ comparison: ConditionOperator.Comparison, policy: PolicyValue, request: String) -> Bool {
        switch comparison {
        case .like:
            guard let tokens = policy.tokens else { return false }
            return Wildcard.match(tokens, request)
        case .equalsIgnoreCase:
            guard let lit = policy.literal else { return false }
            return lit.lowercased() == request.lowercased()
        default:
            guard let lit = policy.literal else { return false }
            return lit == request
        }
    }
}
