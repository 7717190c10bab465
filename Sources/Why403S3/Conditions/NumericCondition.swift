/// `NumericEquals`, `NumericNotEquals`, `NumericLessThan[Equals]`, `NumericGreaterThan[Equals]`
/// (IAM condition operators page, "Numeric condition operators"). A request value that is not a
/// number matches nothing.
enum NumericCondition {
    static func parse(_ s: String) -> Double? {
        let t = s.trimmingCharacters(" ")
        guard !t.isEmpty, let d = Double(t), d.isFinite else { return nil }
        return d
    }

    static func matches(_ comparison: ConditionOperator.Comparison, policy: String, request: String) -> Bool {
        guard let p = parse(policy), let r = parse(request) else { return false }
        return compare(comparison, r, p)
    }

    /// `request <comparison> policy`.
    static func compare<T: Comparable>(_ comparison: ConditionOperator.Comparison, _ r: T, _ p: T) -> Bool {
        switch comparison {
        case .lessThan: r < p
        case .lessThanEquals: r <= p
        case .greaterThan: r > p
        case .greaterThanEquals: r >= p
        default: r == p
        }
    }
}
