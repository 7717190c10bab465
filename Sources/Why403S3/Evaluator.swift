import Why403Core

/// The policies that take part in one decision.
public struct PolicySet: Sendable {
    /// The resource-based policy (bucket policy, or key policy for the KMS rule).
    public var resource: Policy?
    /// The principal's identity policies.
    public var identity: [Policy]
    /// SCPs, one file per level of the organization (each level must allow).
    public var scps: [Policy]
    /// The permissions boundary.
    public var boundary: Policy?
    /// The session policy.
    public var session: Policy?

    /// Creates a set.
    public init(resource: Policy? = nil, identity: [Policy] = [], scps: [Policy] = [], boundary: Policy? = nil, session: Policy? = nil) {
        self.resource = resource
        self.identity = identity
        self.scps = scps
        self.boundary = boundary
        self.session = session
    }
}

/// The decision for one request, with everything that led to it.
public struct Decision: Sendable {
    /// Allow, explicit deny or implicit deny.
    public enum Outcome: String, Sendable {
        /// Allowed.
        case allow
        /// An applicable Deny statement.
        case explicitDeny = "explicit-deny"
        /// No sufficient Allow.
        case implicitDeny = "implicit-deny"
    }

    /// The outcome.
    public var outcome: Outcome
    /// Every statement evaluated, in order (resource, identity, SCPs, boundary, session).
    public var results: [StatementResult]
    /// Deny statements that apply.
    public var denies: [StatementResult]
    /// Allow statements that made the decision an allow (or that exist but were not enough).
    public var grants: [StatementResult]
    /// What is missing for an allow, in words ("the bucket policy grants nothing to …").
    public var gaps: [Gap]
    /// Resource-policy grants ignored because of RestrictPublicBuckets.
    public var blockedByBPA: [StatementResult]
    /// True when the request would be allowed if RestrictPublicBuckets were off.
    public var allowedWithoutBPA: Bool
    /// Notes for the report.
    public var notes: [String]

    /// True when allowed.
    public var allowed: Bool { outcome == .allow }

    /// A part of the decision that did not allow.
    public struct Gap: Sendable {
        /// Which kind of policy.
        public var kind: PolicyKind
        /// Its file, when one was given.
        public var file: String?
        /// What is missing.
        public var text: String
    }
}

/// The AWS policy evaluation logic (IAM User Guide, "Policy evaluation logic" and "Cross-account
/// policy evaluation logic", docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
/// 1. an explicit Deny in any applicable policy wins;
/// 2. SCPs (each level), the permissions boundary and the session policy must each allow;
/// 3. within one account an Allow in the identity policies OR in the resource policy is enough
///    (a resource-policy grant naming the user or session ARN is not limited by the boundary or session
///    policy; one naming the role ARN is; one naming only the account delegates to IAM policies);
/// 4. across accounts both the identity policies AND the resource policy must allow;
/// 5. an anonymous or service caller has only the resource policy.
/// `resourceRequired` switches to KMS key semantics (the key policy must allow, directly or by
/// delegating to the account: AWS KMS Developer Guide, "Key policies").
public enum PolicyEvaluator {
    /// Decides `context` against `policies`.
    public static func decide(_ context: RequestContext, policies: PolicySet, blockPublicAccess: PublicAccessBlock? = nil,
                              resourceRequired: Bool = false) -> Decision {
        let p = context.principal
        var notes: [String] = []
        func eval(_ policy: Policy) -> [StatementResult] {
            policy.statements.map { StatementEvaluator.evaluate($0, in: policy, context: context) }
        }
        let resourceResults = policies.resource.map(eval) ?? []
        let iam = p.isIAM
        if !iam && (!policies.identity.isEmpty || !policies.scps.isEmpty || policies.boundary != nil || policies.session != nil) {
            notes.append("identity policies, SCPs, boundaries and session policies do not apply to \(p.kind == .anonymous ? "an anonymous caller" : "a service principal"): only the resource policy was evaluated")
        }
        let identityResults = iam ? policies.identity.flatMap(eval) : []
        let scpResults = iam ? policies.scps.map(eval) : []
        let boundaryResults = iam ? policies.boundary.map(eval) : nil
        let sessionResults = iam ? policies.session.map(eval) : nil
        let all = resourceResults + identityResults + scpResults.flatMap { $0 } + (boundaryResults ?? []) + (sessionResults ?? [])
        let denies = all.filter { $0.applies && $0.statement.effect == .deny }
        if !denies.isEmpty {
            return Decision(outcome: .explicitDeny, results: all, denies: denies, grants: [], gaps: [], blockedByBPA: [],
                            allowedWithoutBPA: false, notes: notes)
        }
        func allows(_ rs: [StatementResult]) -> [StatementResult] { rs.filter { $0.applies && $0.statement.effect == .allow } }

        var gaps: [Decision.Gap] = []
        var grants: [StatementResult] = []
        let resourceAllows = allows(resourceResults)
        let identityAllows = allows(identityResults)
        // The root user has every permission of its own account: its identity side always allows.
        let rootOfOwner = p.kind == .root
        if rootOfOwner {
            notes.append("the account root user has every permission of its own account; explicit denies, SCPs and (across accounts) the resource policy still apply")
        }
        let identityAllowed = rootOfOwner || !identityAllows.isEmpty
        let boundaryOK = boundaryResults.map { !allows($0).isEmpty } ?? true
        let sessionOK = sessionResults.map { !allows($0).isEmpty } ?? true
        var scpOK = true
        for (i, rs) in scpResults.enumerated() where allows(rs).isEmpty {
            scpOK = false
            gaps.append(.init(kind: .scp, file: policies.scps[i].file, text: "no statement of this SCP allows \(context.action)"))
        }
        if !boundaryOK, let b = policies.boundary {
            gaps.append(.init(kind: .boundary, file: b.file, text: "the permissions boundary does not allow \(context.action)"))
        }
        if !sessionOK, let s = policies.session {
            gaps.append(.init(kind: .session, file: s.file, text: "the session policy does not allow \(context.action)"))
        }
        let identityGrant = identityAllowed && boundaryOK && sessionOK

        var bpaBlocked: [StatementResult] = []
        let publicPolicy = policies.resource.map(BlockPublicAccess.isPublicPolicy) ?? false
        if let bpa = blockPublicAccess, bpa.restrictPublicBuckets, publicPolicy, policies.resource?.kind == .bucket,
           !(iam && context.isSameAccount), p.kind != .service {
            bpaBlocked = resourceAllows
        }

        func decide(resourceAllows: [StatementResult]) -> (Bool, [StatementResult]) {
            if !iam {
                let g = resourceAllows.filter { [.wildcard, .exact, .notPrincipal].contains($0.principalMatch) }
                return (!g.isEmpty, g)
            }
            guard scpOK else { return (false, []) }
            if context.isSameAccount {
                let direct = resourceAllows.filter {
                    $0.principalMatch == .exact || ($0.principalMatch != .account && boundaryOK && sessionOK)
                }
                if resourceRequired {
                    if !direct.isEmpty { return (true, direct) }
                    let delegated = resourceAllows.filter { $0.principalMatch == .account }
                    if !delegated.isEmpty && identityGrant { return (true, delegated + identityAllows) }
                    return (false, [])
                }
                if identityGrant { return (true, identityAllows) }
                return (!direct.isEmpty, direct)
            }
            // Cross-account: both sides.
            if identityGrant && !resourceAllows.isEmpty { return (true, resourceAllows + identityAllows) }
            return (false, [])
        }
        let effectiveResourceAllows = bpaBlocked.isEmpty ? resourceAllows : []
        let (allowed, g) = decide(resourceAllows: effectiveResourceAllows)
        grants = g
        var allowedWithoutBPA = false
        if !allowed && !bpaBlocked.isEmpty { allowedWithoutBPA = decide(resourceAllows: resourceAllows).0 }
        if !allowed {
            let rkind = policies.resource?.kind ?? (resourceRequired ? .kmsKey : .bucket)
            let rfile = policies.resource?.file
            let resourceText: String
            if policies.resource == nil { resourceText = "no \(rkind.rawValue) was given (--\(rkind == .kmsKey ? "kms-key-policy" : "bucket-policy"))" }
            else if !bpaBlocked.isEmpty { resourceText = "its grants are ignored: RestrictPublicBuckets is on and the policy is public" }
            else if resourceAllows.contains(where: { $0.principalMatch == .account }) && context.isSameAccount && !resourceRequired {
                resourceText = "it grants only to the account, which delegates to the identity policies"
            } else { resourceText = "no Allow statement matches" }
            if !iam {
                gaps.append(.init(kind: rkind, file: rfile, text: resourceText))
            } else if scpOK {
                let identityText = policies.identity.isEmpty && !rootOfOwner ? "no identity policy was given (--identity-policy)" : "no identity-policy Allow statement matches"
                if context.isSameAccount {
                    // Within one account either side is enough: name both only when neither allows. When the
                    // identity policies allow and a boundary or session policy narrows, those gaps say it.
                    if !identityAllowed {
                        gaps.append(.init(kind: .identity, file: policies.identity.first?.file, text: identityText))
                        gaps.append(.init(kind: rkind, file: rfile, text: resourceText))
                    } else if resourceRequired {
                        gaps.append(.init(kind: rkind, file: rfile, text: resourceText))
                    }
                } else {
                    if !identityAllowed { gaps.append(.init(kind: .identity, file: policies.identity.first?.file, text: identityText + " (cross-account requests need both sides)")) }
                    if effectiveResourceAllows.isEmpty { gaps.append(.init(kind: rkind, file: rfile, text: resourceText + " (cross-account requests need both sides)")) }
                }
            }
        }
        return Decision(outcome: allowed ? .allow : .implicitDeny, results: all, denies: [], grants: grants, gaps: gaps,
                        blockedByBPA: bpaBlocked, allowedWithoutBPA: allowedWithoutBPA, notes: notes)
    }
}

extension BlockPublicAccess {
    static func isPublicPolicy(_ p: Policy) -> Bool { PublicAccessBlock.isPublic(p) }
}

/// Namespace for the Block Public Access rule helpers.
public enum BlockPublicAccess {}
