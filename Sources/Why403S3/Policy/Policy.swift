import Why403Core

/// Which role a policy document plays in the decision (IAM policy evaluation logic).
public enum PolicyKind: String, Sendable, CaseIterable {
    /// An S3 bucket policy (resource-based: has `Principal`).
    case bucket = "bucket policy"
    /// An identity-based policy attached to the user, group or role.
    case identity = "identity policy"
    /// A service control policy of AWS Organizations.
    case scp = "service control policy"
    /// The principal's permissions boundary.
    case boundary = "permissions boundary"
    /// A session policy passed when the role session was created.
    case session = "session policy"
    /// A KMS key policy (resource-based: has `Principal`).
    case kmsKey = "KMS key policy"

    /// True for policies attached to a resource, whose statements name a principal.
    public var isResourceBased: Bool { self == .bucket || self == .kmsKey }
}

/// A parsed policy document.
public struct Policy: Sendable {
    /// The file it was read from, as the user named it.
    public var file: String
    /// Its role in the decision.
    public var kind: PolicyKind
    /// `Version`; policy variables are only expanded under `2012-10-17` (IAM JSON policy elements: Version).
    public var version: String?
    /// The statements in file order.
    public var statements: [Statement]

    /// Creates a policy from parsed parts.
    public init(file: String, kind: PolicyKind, version: String?, statements: [Statement]) {
        self.file = file
        self.kind = kind
        self.version = version
        self.statements = statements
    }

    /// True when `${...}` in Resource and Condition values are policy variables.
    public var expandsVariables: Bool { version == "2012-10-17" }
}

/// `Allow` or `Deny`.
public enum Effect: String, Sendable {
    /// Grants.
    case allow = "Allow"
    /// Denies explicitly (always wins).
    case deny = "Deny"
}

/// One entry of a `Principal` / `NotPrincipal` element.
public struct PrincipalEntry: Sendable, Hashable {
    /// `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for the bare `"Principal": "*"`.
    public var type: String
    /// The value: `*`, an account id, an ARN, a service name, a canonical user id.
    public var value: String

    /// Creates an entry.
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}

/// One statement of a policy.
public struct Statement: Sendable {
    /// The file of the policy holding it.
    public var file: String
    /// 0-based position in the Statement array.
    public var index: Int
    /// `Sid`, when present.
    public var sid: String?
    /// `Effect`.
    public var effect: Effect
    /// `Principal` entries (nil when absent).
    public var principal: [PrincipalEntry]?
    /// `NotPrincipal` entries (nil when absent).
    public var notPrincipal: [PrincipalEntry]?
    /// `Action` patterns (nil when `NotAction` is used).
    public var action: [String]?
    /// `NotAction` patterns.
    public var notAction: [String]?
    /// `Resource` patterns (nil when `NotResource` is used or neither is present).
    public var resource: [String]?
    /// `NotResource` patterns.
    public var notResource: [String]?
    /// Every condition (operator, key, values); all must hold.
    public var conditions: [Condition]
    /// The line where the statement object starts.
    public var line: Int

    /// `file:line`, the evidence source of this statement.
    public var location: String { "\(file):\(line)" }

    /// How a person names it: `Sid "DenyHTTP" (statement #2)`.
    public var label: String {
        if let sid, !sid.isEmpty { return "Sid \"\(sid)\" (statement #\(index + 1))" }
        return "statement #\(index + 1)"
    }
}

/// One condition: `"Operator": {"key": [values]}`.
public struct Condition: Sendable {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    public var operatorName: String
    /// The parsed operator.
    public var op: ConditionOperator
    /// The condition key as written (matched case-insensitively).
    public var key: String
    /// The policy values (OR'ed).
    public var values: [String]
    /// Line of the key.
    public var line: Int
}
