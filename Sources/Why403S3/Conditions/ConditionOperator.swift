/// A parsed condition operator: family, comparison, negation, `...IfExists`, set qualifier.
import Why403Core
///
/// Follows "IAM JSON policy elements: Condition operators" and "Single-valued vs. multivalued
/// context keys" (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
public struct ConditionOperator: Sendable, Equatable {
    /// The operator families of the IAM condition operators page.
    public enum Family: String, Sendable {
        /// `String*`.
        case string
        /// `Numeric*`.
        case numeric
        /// `Date*`.
        case date
        /// `Bool`.
        case bool
        /// `BinaryEquals`.
        case binary
        /// `IpAddress`, `NotIpAddress`.
        case ip
        /// `Arn*`.
        case arn
        /// `Null`.
        case null
    }

    /// The positive comparison an operator performs (negated operators negate it).
    public enum Comparison: Sendable {
        /// Exact equality (strings case-sensitive; numbers and dates by value).
        case equals
        /// Equality ignoring case (`StringEqualsIgnoreCase`).
        case equalsIgnoreCase
        /// Wildcard match (`StringLike`, `Arn*`).
        case like
        /// Request value < policy value.
        case lessThan
        /// Request value <= policy value.
        case lessThanEquals
        /// Request value > policy value.
        case greaterThan
        /// Request value >= policy value.
        case greaterThanEquals
    }

    /// `ForAnyValue:` / `ForAllValues:`.
    public enum SetQualifier: String, Sendable {
        /// At least one request value must match (false on an absent key).
        case forAnyValue = "ForAnyValue"
        /// Every request value must match (true on an absent key).
        case forAllValues = "ForAllValues"
    }

    /// The family.
    public var family: Family
    /// The positive comparison.
    public var comparison: Comparison
    /// True for `StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...
    public var negated: Bool
    /// True for `...IfExists`: an absent key makes the condition true.
    public var ifExists: Bool
    /// The set qualifier, if any.
    public var set: SetQualifier?

    static let table: [String: (Family, Comparison, Bool)] = [
        "stringequals": (.string, .equals, false),
        "stringnotequals": (.string, .equals, true),
        "stringequalsignorecase": (.string, .equalsIgnoreCase, false),
        "stringnotequalsignorecase": (.string, .equalsIgnoreCase, true),
        "stringlike": (.string, .like, false),
        "stringnotlike": (.string, .like, true),
        "numericequals": (.numeric, .equals, false),
        "numericnotequals": (.numeric, .equals, true),
        "numericlessthan": (.numeric, .lessThan, false),
        "numericlessthanequals": (.numeric, .lessThanEquals, false),
        "numericgreaterthan": (.numeric, .greaterThan, false),
        "numericgreaterthanequals": (.numeric, .greaterThanEquals, false),
        "dateequals": (.date, .equals, false),
        "datenotequals": (.date, .equals, true),
        "datelessthan": (.date, .lessThan, false),
        "datelessthanequals": (.date, .lessThanEquals, false),
        "dategreaterthan": (.date, .greaterThan, false),
        "dategreaterthanequals": (.date, .greaterThanEquals, false),
        "bool": (.bool, .equals, false),
        "binaryequals": (.binary, .equals, false),
        "ipaddress": (.ip, .equals, false),
        "notipaddress": (.ip, .equals, true),
        "arnequals": (.arn, .like, false),
        "arnlike": (.arn, .like, false),
        "arnnotequals": (.arn, .like, true),
        "arnnotlike": (.arn, .like, true),
        "null": (.null, .equals, false),
    ]

    /// The operator names this evaluator knows, for error messages.
    public static let knownNames = "String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null"

    /// Parses an operator name; nil when unknown. Names are matched case-insensitively.
    public init?(name: String) {
        var rest = Substring(name)
        var set: SetQualifier? = nil
        for q in [SetQualifier.forAnyValue, .forAllValues] where rest.lowercased().hasPrefix(q.rawValue.lowercased() + ":") {
            set = q
            rest = rest.dropFirst(q.rawValue.count + 1)
        }
        var lower = rest.lowercased()
        var ifExists = false
        if lower.hasSuffix("ifexists") && lower != "null" {
            ifExists = true
            lower.removeLast("ifexists".count)
        }
        guard let (family, comparison, negated) = ConditionOperator.table[lower] else { return nil }
        if family == .null && (ifExists || set != nil) { return nil }
        self.family = family
        self.comparison = comparison
        self.negated = negated
        self.ifExists = ifExists
        self.set = set
    }

    /// Whether one policy value matches one request value, for the positive form of this operator.
    /// `policyValue` is already expanded (policy variables) where the family allows variables.
    func positiveMatch(policy: PolicyValue, request: String) -> Bool {
        switch family {
        case .string: StringCondition.matches(comparison, policy: policy, request: request)
        case .numeric: NumericCondition.matches(comparison, policy: policy.text, request: request)
        case .date: DateCondition.matches(comparison, policy: policy.text, request: request)
        case .bool: BoolCondition.matches(policy: policy.text, request: request)
        case .binary: BinaryCondition.matches(policy: policy.text, request: request)
        case .ip: IPAddressCondition.matches(policy: policy.text, request: request)
        case .arn: ArnCondition.matches(policy: policy, request: request)
        case .null: false  // handled by the evaluator
        }
    }

    /// Whether policy variables are expanded in this family's values (String and ARN operators).
    var expandsVariables: Bool { family == .string || family == .arn }

    /// Checks a policy value is well-formed for this family; returns what was expected when it is not.
    func validate(_ value: String) -> String? {
        switch family {
        case .numeric: NumericCondition.parse(value) == nil ? "a number" : nil
        case .date: DateCondition.parse(value) == nil ? "a date (ISO 8601 such as 2026-01-01T00:00:00Z, or epoch seconds)" : nil
        case .bool, .null: ["true", "false"].contains(value.lowercased()) ? nil : "\"true\" or \"false\""
        case .binary: BinaryCondition.decode(value) == nil ? "base64 data" : nil
        case .ip: IPNetwork(value) == nil ? "an IP address or CIDR block" : nil
        default: nil
        }
    }
}
