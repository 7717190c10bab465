import Why403Core

extension S3Analyzer {
    /// Everything `why403 s3` needs, read from flags and files by the executable.
    public struct Input: Sendable {
        /// Who asks.
        public var principal: Principal
        /// One action, e.g. `s3:GetObject`.
        public var action: String
        /// The resource ARN.
        public var resource: String
        /// `--context KEY=VALUE` pairs in order (repeats make multivalued keys).
        public var context: [(key: String, value: String)]
        /// The bucket policy.
        public var bucketPolicy: Policy?
        /// The principal's identity policies.
        public var identityPolicies: [Policy]
        /// SCPs (each file one level of the organization).
        public var scps: [Policy]
        /// The permissions boundary.
        public var permissionsBoundary: Policy?
        /// The session policy.
        public var sessionPolicy: Policy?
        /// The KMS key policy of the object's key.
        public var kmsKeyPolicy: Policy?
        /// Block Public Access settings of the bucket.
        public var blockPublicAccess: PublicAccessBlock?
        /// The object does not exist (`--object-missing`).
        public var objectMissing: Bool

        /// Creates an input; validates the action and the resource.
        public init(principal: Principal, action: String, resource: String, context: [(key: String, value: String)] = [],
                    bucketPolicy: Policy? = nil, identityPolicies: [Policy] = [], scps: [Policy] = [],
                    permissionsBoundary: Policy? = nil, sessionPolicy: Policy? = nil, kmsKeyPolicy: Policy? = nil,
                    blockPublicAccess: PublicAccessBlock? = nil, objectMissing: Bool = false) throws {
            let a = action.trimmingSpaces
            let parts = a.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !a.contains("*"), !a.contains("?"), !a.contains(" ") else {
                throw InputError(file: nil, expected: "--action as one action such as s3:GetObject (no wildcards)", found: InputError.quote(a))
            }
            guard resource.hasPrefix("arn:"), ArnCondition.segments(resource) != nil, !resource.contains(" ") else {
                throw InputError(file: nil, expected: "--resource as an ARN such as arn:aws:s3:::bucket/key", found: InputError.quote(resource))
            }
            self.principal = principal
            self.action = a
            self.resource = resource
            self.context = context
            self.bucketPolicy = bucketPolicy
            self.identityPolicies = identityPolicies
            self.scps = scps
            self.permissionsBoundary = permissionsBoundary
            self.sessionPolicy = sessionPolicy
            self.kmsKeyPolicy = kmsKeyPolicy
            self.blockPublicAccess = blockPublicAccess
            self.objectMissing = objectMissing
        }

        /// Parses `KEY=VALUE`.
        public static func contextPair(_ text: String) throws -> (key: String, value: String) {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw InputError(file: nil, expected: "--context KEY=VALUE such as aws:SourceIp=203.0.113.7",
                                 found: InputError.quote(Redactor().redact(text)))
            }
            return (String(text[..<eq]).trimmingSpaces, String(text[text.index(after: eq)...]))
        }
    }
}

/// The S3 layer: evaluates AWS policy logic for one S3 request offline and explains the verdict.
///
/// Denies on: an explicit Deny (`policy.explicit-deny`), no Allow where one is needed
/// (`policy.implicit-deny`), Block Public Access RestrictPublicBuckets over a public policy
/// (`policy.public-access-block`), CloudFront OAC not granted (`policy.origin-access`), a missing
/// object without `s3:ListBucket` (`policy.no-list`), and SSE-KMS without the KMS permission.
/// Evidence: the deciding statements (file:line, Sid, index), the Block Public Access setting, and
/// the reason of every statement considered (finding details and notes). Certain when the decision
/// did not depend on a condition key absent from the request; likely otherwise. Fixes: the minimal
/// statement to add or the condition to change. Sources: IAM "Policy evaluation logic", the condition
/// operators page, S3 Block Public Access, CloudFront OAC, S3 GetObject permissions.
public enum S3Analyzer {
    /// Analyzes `input` and returns the report.
    public static func analyze(_ input: S3Analyzer.Input) -> Report {
        let ctx = RequestContext(principal: input.principal, action: input.action, resource: input.resource, context: input.context)
        let policies = PolicySet(resource: input.bucketPolicy, identity: input.identityPolicies, scps: input.scps,
                                 boundary: input.permissionsBoundary, session: input.sessionPolicy)
        let decision = PolicyEvaluator.decide(ctx, policies: policies, blockPublicAccess: input.blockPublicAccess)
        var notes = decision.notes
        var findings: [Finding] = []
        var status = 403
        let s3res = S3Resource(arn: input.resource)
        let absent = absentKeys(decision)
        var confidence: Confidence = absent.isEmpty ? .certain : .likely
        // Policies the user did not give are taken as empty; a verdict that another policy could change
        // is not proven. An explicit Deny is proof whatever else exists; an allow could still meet a
        // Deny in a bucket policy not given; an implicit deny could meet an Allow in a policy not given.
        let bucketUnknown = input.bucketPolicy == nil && s3res != nil
        switch decision.outcome {
        case .explicitDeny: break
        case .allow:
            if bucketUnknown && confidence == .certain {
                confidence = .likely
                notes.append("confidence is likely, not certain: a Deny in the bucket policy, which was not given, would change the verdict")
            }
        case .implicitDeny:
            if decision.gaps.contains(where: { $0.file == nil && ($0.kind == .bucket || $0.kind == .identity) }) && confidence == .certain {
                confidence = .likely
                notes.append("confidence is likely, not certain: the verdict rests on a policy that was not given (taken as empty)")
            }
        }
        if !absent.isEmpty {
            notes.append("the decision depends on condition keys absent from the request context: \(absent.joined(separator: ", ")); a real request may carry them (give them with --context KEY=VALUE)")
        }
        if input.bucketPolicy == nil { notes.append("no bucket policy was given (--bucket-policy): it was taken as empty") }
        if let b = input.blockPublicAccess {
            if b.ignorePublicAcls { notes.append("IgnorePublicAcls is on: public ACL grants are ignored (ACLs are not evaluated by this command)") }
            if b.blockPublicPolicy || b.blockPublicAcls {
                notes.append("BlockPublicPolicy and BlockPublicAcls act when a policy or ACL is written, not on this request")
            }
        }
        let details: [String: JSONValue] = ["decision": .string(decision.outcome.rawValue), "statements": statementsJSON(decision.results)]

        switch decision.outcome {
        case .explicitDeny:
            findings.append(explicitDenyFinding(decision, ctx: ctx, confidence: confidence, details: details))
        case .implicitDeny:
            if OriginAccessRule.isCloudFront(input.principal), decision.blockedByBPA.isEmpty {
                findings.append(originAccessFinding(decision, ctx: ctx, input: input, s3: s3res, confidence: confidence, details: details))
            } else if decision.allowedWithoutBPA, let bpa = input.blockPublicAccess {
                findings.append(bpaFinding(decision, bpa: bpa, ctx: ctx, input: input, s3: s3res, confidence: confidence, details: details))
            } else {
                findings.append(implicitDenyFinding(decision, ctx: ctx, input: input, confidence: confidence, details: details))
            }
        case .allow:
            status = 200
            var allowFinding = Finding(cause: .none, layer: .s3, confidence: confidence,
                                       summary: "allowed: \(ctx.action) on \(ctx.resource) for \(StatementEvaluator.who(ctx.principal))",
                                       evidence: decision.grants.map(\.evidence), rule: "s3-allow", details: details)
            if decision.grants.isEmpty {
                allowFinding.evidence = [Evidence(source: "principal", text: "\(ctx.principal.raw) is the root user of the bucket owner's account")]
            }
            // The object-missing rule.
            if input.objectMissing {
                if ListBucketRule.applies(to: input.action), let s3 = s3res {
                    let listCtx = ctx.with(action: "s3:ListBucket", resource: s3.bucketArn)
                    let list = PolicyEvaluator.decide(listCtx, policies: policies, blockPublicAccess: input.blockPublicAccess)
                    if list.allowed {
                        status = 404
                        allowFinding.summary = "the request is allowed and the object does not exist: S3 answers 404 because s3:ListBucket on \(s3.bucketArn) is allowed"
                        allowFinding.evidence += list.grants.map(\.evidence)
                    } else {
                        let listAbsent = absentKeys(list)
                        if !listAbsent.isEmpty {
                            notes.append("the s3:ListBucket decision depends on condition keys absent from the request context: \(listAbsent.joined(separator: ", "))")
                        }
                        findings.append(noListFinding(list, ctx: listCtx, input: input, s3: s3, confidence: listAbsent.isEmpty ? confidence : .likely))
                        status = 403
                    }
                } else {
                    notes.append("--object-missing applies to s3:GetObject (and HEAD) on an object ARN; it was ignored for \(input.action)")
                }
            }
            // SSE-KMS.
            if status != 404, let kms = kmsFinding(ctx: ctx, input: input, policies: policies, notes: &notes) {
                findings.append(kms)
                if kms.confidence != .possible { status = 403 }
            }
            findings.append(allowFinding)
        }
        for r in decision.results {
            notes.append("\(r.statement.location) \(r.kind.rawValue) \(r.statement.label) \(r.statement.effect.rawValue): \(r.applies ? "applies" : "does not apply") — \(r.reason)")
        }
        var extra: [String: JSONValue] = [
            "principal": .string(input.principal.raw), "action": .string(input.action), "resource": .string(input.resource),
            "principal_type": .string(input.principal.kind.rawValue),
            "same_account": .bool(ctx.isSameAccount),
            "context": .array(ctx.givenPairs.map { .string($0) }),
        ]
        if let a = ctx.resourceAccount { extra["resource_account"] = .string(a) }
        if let b = input.bucketPolicy { extra["bucket_policy"] = .string(b.file) }
        if !input.identityPolicies.isEmpty { extra["identity_policies"] = .array(input.identityPolicies.map { .string($0.file) }) }
        if input.objectMissing { extra["object_missing"] = true }
        let subject = Subject(kind: .s3, extra: extra)
        // The primary finding is the one that denies, when any.
        // When refused, the denying finding comes first; when allowed (or 404), the allow finding does,
        // and a merely possible denial (SSE-KMS without the key ARN) follows it.
        let denied = status == 403
        findings.sort { a, b in
            ((a.cause != .none) == denied ? 0 : 1, a.confidence) < ((b.cause != .none) == denied ? 0 : 1, b.confidence)
        }
        let primary = findings.first(where: { $0.cause != .none && status == 403 })
        let verdict = Verdict(status: status, layer: primary == nil ? .none : .s3, cause: primary?.cause ?? .none)
        return Report(subject: subject, verdict: verdict, findings: findings, notes: notes)
    }

    // MARK: findings

    static func absentKeys(_ d: Decision) -> [String] {
        var keys: [String] = []
        for r in d.results where !r.absentKeys.isEmpty && (r.targetMatched || !r.applies) {
            for k in r.absentKeys where r.targetMatched && !keys.contains(k) { keys.append(k) }
        }
        return keys
    }

    static func statementsJSON(_ results: [StatementResult]) -> JSONValue {
        .array(results.map { r in
            var o: [String: JSONValue] = [
                "file": .string(r.statement.file), "kind": .string(r.kind.rawValue), "index": .int(r.statement.index),
                "line": .int(r.statement.line), "effect": .string(r.statement.effect.rawValue), "applies": .bool(r.applies),
                "reason": .string(r.reason),
            ]
            if let sid = r.statement.sid { o["sid"] = .string(sid) }
            if let m = r.principalMatch { o["principal_match"] = .string(m.rawValue) }
            return .object(o)
        })
    }

    static func explicitDenyFinding(_ d: Decision, ctx: RequestContext, confidence: Confidence, details: [String: JSONValue]) -> Finding {
        let first = d.denies[0]
        var fixes: [Fix] = []
        for deny in d.denies {
            let s = deny.statement
            if let c = s.conditions.first(where: { $0.key.lowercased() == "aws:securetransport" }) {
                fixes.append(Fix(summary: "send the request over HTTPS: \(s.label) in \(s.location) denies requests where \(c.key) is \(c.values.joined(separator: ","))"))
                continue
            }
            if !s.conditions.isEmpty {
                let held = deny.conditionNotes.joined(separator: "; ")
                fixes.append(Fix(summary: "change the request so the Deny's condition no longer holds, or narrow that condition in \(s.location): \(held)"))
            } else if ctx.principal.isIAM, let arn = ctx.principal.derivedKeys["aws:PrincipalArn"] {
                fixes.append(Fix(summary: "if this caller must be exempt, narrow \(s.label) in \(s.location) with a condition that excludes it (keep the Deny for everyone else)",
                                 patch: "\"Condition\": { \"ArnNotEquals\": { \"aws:PrincipalArn\": \(FixBuilder.json(arn)) } }"))
            } else {
                fixes.append(Fix(summary: "\(s.label) in \(s.location) denies this request unconditionally; remove or narrow it only if the denial is not intended"))
            }
        }
        return Finding(cause: .policyExplicitDeny, layer: .s3, confidence: confidence,
                       summary: "explicit Deny: \(first.kind.rawValue) \(first.statement.label) at \(first.statement.location) denies \(ctx.action) on \(ctx.resource) for \(StatementEvaluator.who(ctx.principal))",
                       evidence: d.denies.map(\.evidence), fixes: fixes, rule: "s3-explicit-deny", details: details)
    }

    /// Evidence for an implicit deny: the statements that came closest (action matched) in each policy.
    static func nearEvidence(_ d: Decision, kinds: Set<PolicyKind>) -> [Evidence] {
        let near = d.results.filter { kinds.contains($0.kind) && $0.statement.effect == .allow && ($0.targetMatched || $0.reason.hasPrefix("Resource") || $0.reason.hasPrefix("Principal")) }
        return near.prefix(6).map(\.evidence)
    }

    static func implicitDenyFinding(_ d: Decision, ctx: RequestContext, input: S3Analyzer.Input, confidence: Confidence, details: [String: JSONValue]) -> Finding {
        var evidence: [Evidence] = []
        for g in d.gaps {
            evidence.append(Evidence(source: g.file ?? g.kind.rawValue, text: "\(g.kind.rawValue): \(g.text)"))
        }
        // Allows that exist but are not enough on their own (the other side of a cross-account request,
        // or a grant limited by a boundary, session policy or SCP).
        evidence += d.results.filter { $0.applies && $0.statement.effect == .allow }.map {
            Evidence(source: $0.statement.location, text: "\($0.kind.rawValue) \($0.statement.label): Allow — applies, but is not enough on its own")
        }
        evidence += nearEvidence(d, kinds: Set(d.gaps.map(\.kind)))
        var fixes: [Fix] = []
        let gapKinds = Set(d.gaps.map(\.kind))
        let p = ctx.principal
        let needsBucket = gapKinds.contains(.bucket) && (!p.isIAM || !ctx.isSameAccount)
        let needsIdentity = gapKinds.contains(.identity)
        if needsIdentity {
            fixes.append(Fix(summary: "allow \(ctx.action) on \(ctx.resource) in an identity policy of \(p.raw)\(ctx.isSameAccount ? " (same account: this alone is enough)" : "")",
                             commands: FixBuilder.attachCommand(p, action: ctx.action),
                             patch: FixBuilder.identityPolicy(action: ctx.action, resource: ctx.resource)))
        }
        if needsBucket || (gapKinds.contains(.bucket) && ctx.isSameAccount && p.isIAM) {
            let bucket = S3Resource(arn: ctx.resource)?.bucket ?? "BUCKET"
            var summary = "add this statement to the bucket policy (\(input.bucketPolicy?.file ?? "bucket \(bucket)"))"
            if ctx.isSameAccount && needsIdentity { summary += " — or the identity-policy fix above; either is enough within one account" }
            if p.kind == .anonymous { summary += "; only if the object is meant to be public (Block Public Access may still block it)" }
            fixes.append(Fix(summary: summary, commands: ["aws s3api put-bucket-policy --bucket \(bucket) --policy file://\(input.bucketPolicy?.file ?? "bucket-policy.json")"],
                             patch: FixBuilder.resourceStatement(principal: p, action: ctx.action, resource: ctx.resource)))
        }
        for g in d.gaps where [.scp, .boundary, .session].contains(g.kind) {
            fixes.append(Fix(summary: "\(g.kind.rawValue) \(g.file ?? ""): allow \(ctx.action) on \(ctx.resource) there (they only narrow, so the other policies must allow it too)",
                             patch: "{ \"Effect\": \"Allow\", \"Action\": \(FixBuilder.json(ctx.action)), \"Resource\": \(FixBuilder.json(ctx.resource)) }"))
        }
        let why = d.gaps.map { "\($0.kind.rawValue): \($0.text)" }.joined(separator: "; ")
        let scope = !p.isIAM ? "" : (ctx.isSameAccount ? " (same-account request)" : " (cross-account request: account \(p.account ?? "?") to \(ctx.resourceAccount ?? "?"))")
        return Finding(cause: .policyImplicitDeny, layer: .s3, confidence: confidence,
                       summary: "implicit deny: \(ctx.action) on \(ctx.resource) is not allowed for \(StatementEvaluator.who(p))\(scope): \(why)",
                       evidence: evidence.isEmpty ? [Evidence(source: "request", text: "\(ctx.action) on \(ctx.resource)")] : evidence,
                       fixes: fixes, rule: "s3-implicit-deny", details: details)
    }

    static func bpaFinding(_ d: Decision, bpa: PublicAccessBlock, ctx: RequestContext, input: S3Analyzer.Input, s3: S3Resource?,
                           confidence: Confidence, details: [String: JSONValue]) -> Finding {
        var evidence = [Evidence(source: "\(bpa.file):\(bpa.lines["RestrictPublicBuckets"] ?? 1)", text: "\"RestrictPublicBuckets\": true")]
        if let policy = input.bucketPolicy {
            for s in policy.statements where PublicAccessBlock.isPublic(s) {
                evidence.append(Evidence(source: s.location, text: "bucket policy \(s.label) is public (wildcard principal without a fixed-value restricting condition)"))
            }
        }
        evidence += d.blockedByBPA.map(\.evidence)
        let bucket = s3?.bucket ?? "BUCKET"
        var fixes: [Fix] = []
        if ctx.principal.kind == .anonymous {
            fixes.append(Fix(summary: "serve the object through CloudFront with Origin Access Control instead of public access (keeps Block Public Access on)"))
            fixes.append(Fix(summary: "only if the bucket is meant to be public: turn RestrictPublicBuckets off (review every public statement first)",
                             commands: ["aws s3api put-public-access-block --bucket \(bucket) --public-access-block-configuration BlockPublicAcls=\(bpa.blockPublicAcls),IgnorePublicAcls=\(bpa.ignorePublicAcls),BlockPublicPolicy=\(bpa.blockPublicPolicy),RestrictPublicBuckets=false"]))
        } else {
            fixes.append(Fix(summary: "grant this principal by name (a non-public statement) and remove the wildcard grant; RestrictPublicBuckets still blocks cross-account access while the policy stays public",
                             patch: FixBuilder.resourceStatement(principal: ctx.principal, action: ctx.action, resource: ctx.resource)))
        }
        return Finding(cause: .policyPublicAccessBlock, layer: .s3, confidence: confidence,
                       summary: "Block Public Access: the bucket policy is public and RestrictPublicBuckets is on, so its grants do not reach \(StatementEvaluator.who(ctx.principal)) (only AWS service principals and the bucket owner's account keep access)",
                       evidence: evidence, fixes: fixes, rule: "s3-block-public-access", details: details)
    }

    static func originAccessFinding(_ d: Decision, ctx: RequestContext, input: S3Analyzer.Input, s3: S3Resource?,
                                    confidence: Confidence, details: [String: JSONValue]) -> Finding {
        let near = OriginAccessRule.nearMisses(d)
        let requested = ctx.lookup("aws:SourceArn")?.first
        var evidence = near.map(\.evidence)
        let granted = near.flatMap { OriginAccessRule.grantedSources($0.statement) }
        var summary: String
        if ctx.principal.kind == .cloudFrontOAI {
            let fix = Fix(summary: "grant the origin access identity (or move the distribution to Origin Access Control, which AWS recommends)",
                          patch: FixBuilder.resourceStatement(principal: ctx.principal, action: ctx.action, resource: ctx.resource,
                                                              sid: "AllowCloudFrontOAI"))
            evidence.append(Evidence(source: input.bucketPolicy?.file ?? "bucket policy", text: "no Allow for AWS \"\(ctx.principal.raw)\" matches"))
            return Finding(cause: .policyOriginAccess, layer: .s3, confidence: confidence,
                           summary: "CloudFront OAI: no bucket-policy statement grants \(ctx.action) on \(ctx.resource) to the origin access identity \(ctx.principal.name ?? "")",
                           evidence: evidence, fixes: [fix], rule: "s3-cloudfront-oai", details: details)
        }
        if near.isEmpty {
            summary = "CloudFront OAC: no bucket-policy statement grants \(ctx.action) on \(ctx.resource) to cloudfront.amazonaws.com"
            evidence.append(Evidence(source: input.bucketPolicy?.file ?? "bucket policy", text: "no Allow for Service \"cloudfront.amazonaws.com\" matches"))
        } else if let requested {
            summary = "CloudFront OAC: the bucket policy grants distribution \(granted.joined(separator: ", ")), not \(requested)"
        } else {
            summary = "CloudFront OAC: the grant is conditioned on AWS:SourceArn and the request's source distribution was not given (--context aws:SourceArn=arn:aws:cloudfront::ACCOUNT:distribution/ID)"
        }
        if let requested { evidence.append(Evidence(source: "context aws:SourceArn", text: requested)) }
        let resource = s3.map { "arn:\($0.partition):s3:::\($0.bucket)/*" } ?? ctx.resource
        let fix = Fix(summary: requested == nil ? "grant the distribution (replace ACCOUNT and ID with the distribution's)" : "add this statement (or change the AWS:SourceArn condition to the distribution that serves this origin)",
                      patch: FixBuilder.resourceStatement(principal: ctx.principal, action: ctx.action, resource: ctx.action.lowercased() == "s3:getobject" ? resource : ctx.resource,
                                                          conditions: OriginAccessRule.condition(sourceArn: requested ?? "arn:aws:cloudfront::ACCOUNT:distribution/ID"),
                                                          sid: "AllowCloudFrontServicePrincipal"))
        return Finding(cause: .policyOriginAccess, layer: .s3, confidence: requested == nil && !near.isEmpty ? .likely : confidence,
                       summary: summary, evidence: evidence, fixes: [fix], rule: "s3-cloudfront-oac", details: details)
    }

    static func noListFinding(_ list: Decision, ctx: RequestContext, input: S3Analyzer.Input, s3: S3Resource, confidence: Confidence) -> Finding {
        var evidence = [Evidence(source: "request", text: "object \(s3.key ?? "") does not exist (--object-missing)")]
        if list.outcome == .explicitDeny { evidence += list.denies.map(\.evidence) }
        else { evidence += list.gaps.map { Evidence(source: $0.file ?? $0.kind.rawValue, text: "\($0.kind.rawValue): \($0.text)") } }
        let p = ctx.principal
        var fixes = [Fix(summary: "check the key: the object does not exist (upload it or correct the name)")]
        if p.isIAM && list.outcome != .explicitDeny {
            fixes.append(Fix(summary: "to get an honest 404 for missing objects, allow s3:ListBucket on the bucket (it also lets the caller list keys)",
                             commands: FixBuilder.attachCommand(p, action: "s3:ListBucket"),
                             patch: FixBuilder.identityPolicy(action: "s3:ListBucket", resource: s3.bucketArn)))
        }
        return Finding(cause: .policyNoList, layer: .s3, confidence: confidence,
                       summary: "the object does not exist and \(StatementEvaluator.who(p)) may not s3:ListBucket on \(s3.bucketArn), so S3 answers 403 instead of 404",
                       evidence: evidence, fixes: fixes, rule: "s3-no-list",
                       details: ["decision": .string(list.outcome.rawValue), "statements": statementsJSON(list.results)])
    }

    static func kmsFinding(ctx: RequestContext, input: S3Analyzer.Input, policies: PolicySet, notes: inout [String]) -> Finding? {
        let sse = ctx.lookup(KMSRule.encryptionKey)?.contains { $0.lowercased().hasPrefix("aws:kms") } ?? false
        guard sse || input.kmsKeyPolicy != nil else { return nil }
        guard let kmsAction = KMSRule.kmsAction(for: ctx.action) else {
            notes.append("SSE-KMS: \(ctx.action) needs no KMS permission checked here")
            return nil
        }
        guard let keyArn = ctx.lookup(KMSRule.keyIdKey)?.first, keyArn.hasPrefix("arn:"), let seg = ArnCondition.segments(keyArn) else {
            return Finding(cause: .policyImplicitDeny, layer: .s3, confidence: .possible,
                           summary: "the object uses SSE-KMS: \(ctx.action) also needs \(kmsAction) on its key, which was not checked (the key ARN is unknown)",
                           evidence: [Evidence(source: "context \(KMSRule.encryptionKey)", text: "aws:kms")],
                           rule: "s3-kms", checks: ["give --context \(KMSRule.keyIdKey)=arn:aws:kms:REGION:ACCOUNT:key/ID and --kms-key-policy FILE"])
        }
        let kctx = ctx.with(action: kmsAction, resource: keyArn).with(resourceAccount: String(seg[4]))
        var kp = policies
        kp.resource = input.kmsKeyPolicy
        let d = PolicyEvaluator.decide(kctx, policies: kp, resourceRequired: input.kmsKeyPolicy != nil)
        if d.allowed {
            if input.kmsKeyPolicy == nil { notes.append("SSE-KMS: the identity policies allow \(kmsAction) on \(keyArn); the key policy was not given and is assumed to delegate to IAM (the default key policy)") }
            return nil
        }
        let fixes: [Fix] = input.kmsKeyPolicy == nil || d.outcome == .explicitDeny ? [] : [
            Fix(summary: "add this statement to the key policy \(input.kmsKeyPolicy!.file)",
                patch: FixBuilder.resourceStatement(principal: ctx.principal, action: kmsAction, resource: "*")),
        ]
        let explicit = d.outcome == .explicitDeny
        return Finding(cause: explicit ? .policyExplicitDeny : .policyImplicitDeny, layer: .s3,
                       confidence: input.kmsKeyPolicy == nil && !explicit ? .likely : .certain,
                       summary: "the object uses SSE-KMS and \(StatementEvaluator.who(ctx.principal)) may not \(kmsAction) on \(keyArn)" + (input.kmsKeyPolicy == nil ? " (per the identity policies; the key policy was not given)" : ""),
                       evidence: explicit ? d.denies.map(\.evidence) : d.gaps.map { Evidence(source: $0.file ?? $0.kind.rawValue, text: "\($0.kind.rawValue): \($0.text)") },
                       fixes: fixes, rule: "s3-kms",
                       details: ["decision": .string(d.outcome.rawValue), "statements": statementsJSON(d.results)])
    }
}
