import Why403Core

/// Who makes the request, parsed from `--principal` (cli-v1, "s3").
public struct Principal: Sendable, Equatable {
    /// The forms cli-v1 accepts.
    public enum Kind: String, Sendable {
        /// `*`: an unauthenticated caller.
        case anonymous
        /// The account root user (`arn:aws:iam::ID:root` or a bare account id).
        case root
        /// An IAM user.
        case user
        /// An IAM role ARN (as named; requests really come from its sessions).
        case role
        /// A role session (`arn:aws:sts::ID:assumed-role/ROLE/SESSION`).
        case assumedRole = "assumed-role"
        /// A federated user session (`arn:aws:sts::ID:federated-user/NAME`).
        case federatedUser = "federated-user"
        /// An AWS service principal such as `cloudfront.amazonaws.com`.
        case service
        /// A legacy CloudFront origin access identity
        /// (`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ID`), which a bucket policy
        /// grants by that ARN (CloudFront Developer Guide, "Restricting access to an Amazon S3 origin", OAI).
        case cloudFrontOAI = "cloudfront-oai"
    }

    /// The form.
    public var kind: Kind
    /// As given (`*`, an ARN, a service name).
    public var raw: String
    /// The account id (nil for anonymous and service principals).
    public var account: String?
    /// The ARN partition (`aws`, `aws-cn`, `aws-us-gov`).
    public var partition: String
    /// The user or role name (or the federated user's name).
    public var name: String?
    /// For a role session: the role's IAM ARN (`arn:aws:iam::ID:role/NAME`).
    public var roleArn: String?
    /// For a role session: the session name.
    public var sessionName: String?

    /// True for IAM identities (they have identity policies, SCPs and boundaries).
    public var isIAM: Bool { account != nil }

    /// `arn:PARTITION:iam::ACCOUNT:root`.
    public var accountRootArn: String? { account.map { "arn:\(partition):iam::\($0):root" } }

    /// Parses `--principal`: an IAM ARN, a bare account id, a service name, or `*` for anonymous.
    public static func parse(_ text: String) throws -> Principal {
        let t = text.trimmingSpaces
        let bad = InputError(file: nil, expected: "--principal as an IAM ARN (user, role, assumed-role session, arn:aws:iam::ID:root), a service name such as cloudfront.amazonaws.com, a CloudFront OAI ARN, or '*'",
                             found: InputError.quote(t))
        if t == "*" { return Principal(kind: .anonymous, raw: t, account: nil, partition: "aws") }
        if t.count == 12 && t.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Principal(kind: .root, raw: "arn:aws:iam::\(t):root", account: t, partition: "aws")
        }
        if let id = OriginAccessRule.oaiID(t) {
            return Principal(kind: .cloudFrontOAI, raw: OriginAccessRule.oaiPrefix + id, account: nil, partition: "aws", name: id)
        }
        if !t.hasPrefix("arn:") {
            guard t.hasSuffix(".amazonaws.com") || t.hasSuffix(".amazonaws.com.cn"), !t.contains(" ") else { throw bad }
            return Principal(kind: .service, raw: t, account: nil, partition: "aws")
        }
        guard let seg = ArnCondition.segments(t) else { throw bad }
        let partition = String(seg[1]), service = String(seg[2]), account = String(seg[4]), res = String(seg[5])
        guard account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw bad }
        if service == "iam" {
            if res == "root" { return Principal(kind: .root, raw: t, account: account, partition: partition) }
            if res.hasPrefix("user/"), let n = res.split(separator: "/").last, res.count > 5 {
                return Principal(kind: .user, raw: t, account: account, partition: partition, name: String(n))
            }
            if res.hasPrefix("role/"), let n = res.split(separator: "/").last, res.count > 5 {
                return Principal(kind: .role, raw: t, account: account, partition: partition, name: String(n), roleArn: t)
            }
        }
        if service == "sts" {
            let parts = res.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 3 && parts[0] == "assumed-role" && !parts[1].isEmpty && !parts[2].isEmpty {
                return Principal(kind: .assumedRole, raw: t, account: account, partition: partition, name: String(parts[1]),
                                 roleArn: "arn:\(partition):iam::\(account):role/\(parts[1])", sessionName: String(parts[2]))
            }
            if parts.count == 2 && parts[0] == "federated-user" && !parts[1].isEmpty {
                return Principal(kind: .federatedUser, raw: t, account: account, partition: partition, name: String(parts[1]))
            }
        }
        throw bad
    }

    /// The global condition keys derived from the principal (IAM global condition context keys page).
    public var derivedKeys: [String: String] {
        var k: [String: String] = [:]
        switch kind {
        case .anonymous:
            k["aws:userid"] = "anonymous"
        case .service:
            k["aws:PrincipalServiceName"] = raw
        case .cloudFrontOAI:
            k["aws:PrincipalArn"] = raw
        case .root:
            k["aws:PrincipalArn"] = raw; k["aws:PrincipalType"] = "Account"; k["aws:userid"] = account
        case .user:
            k["aws:PrincipalArn"] = raw; k["aws:PrincipalType"] = "User"; k["aws:username"] = name
        case .role:
            k["aws:PrincipalArn"] = raw; k["aws:PrincipalType"] = "AssumedRole"
        case .assumedRole:
            k["aws:PrincipalArn"] = roleArn; k["aws:PrincipalType"] = "AssumedRole"
        case .federatedUser:
            k["aws:PrincipalArn"] = raw; k["aws:PrincipalType"] = "FederatedUser"
            if let account, let name { k["aws:userid"] = "\(account):\(name)" }
        }
        if let account { k["aws:PrincipalAccount"] = account }
        return k
    }
}

/// The request context: principal, action, resource and the condition keys (`--context`).
public struct RequestContext: Sendable {
    /// Who asks.
    public var principal: Principal
    /// The action, e.g. `s3:GetObject`.
    public var action: String
    /// The resource ARN.
    public var resource: String
    /// Condition keys by lower-cased name; several values make a multivalued key.
    public internal(set) var values: [String: [String]] = [:]
    /// Key names as the user wrote them, by lower-cased name.
    public internal(set) var names: [String: String] = [:]
    /// Keys the user set (not derived).
    public internal(set) var given: Set<String> = []

    /// Builds a context; `context` pairs repeat for multivalued keys and override derived keys.
    public init(principal: Principal, action: String, resource: String, context: [(key: String, value: String)]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        for (k, v) in context {
            let l = k.lowercased()
            values[l, default: []].append(v)
            names[l] = names[l] ?? k
            given.insert(l)
        }
        for (k, v) in principal.derivedKeys where !given.contains(k.lowercased()) {
            values[k.lowercased()] = [v]
            names[k.lowercased()] = k
        }
        if !given.contains("aws:resourceaccount"), let a = principal.account {
            values["aws:resourceaccount"] = [a]
            names["aws:resourceaccount"] = "aws:ResourceAccount"
        }
    }

    /// The values of `key` (case-insensitive), or nil when absent.
    public func lookup(_ key: String) -> [String]? { values[key.lowercased()] }

    /// The single value of `key`, for policy variables (multivalued keys do not expand).
    public func variable(_ key: String) -> String? {
        guard let v = lookup(key), v.count == 1 else { return nil }
        return v[0]
    }

    /// The account that owns the bucket (`aws:ResourceAccount`), when known.
    public var resourceAccount: String? { variable("aws:ResourceAccount") }

    /// True when the caller is an IAM identity of the bucket owner's account.
    public var isSameAccount: Bool {
        guard let a = principal.account else { return false }
        return resourceAccount == a
    }

    /// This context with another action and resource (for the ListBucket and KMS rules).
    public func with(action: String, resource: String) -> RequestContext {
        var c = self
        c.action = action
        c.resource = resource
        return c
    }

    /// `name=value` of every key set by the user (for the report's subject).
    public var givenPairs: [String] {
        given.sorted().flatMap { k in (values[k] ?? []).map { "\(names[k] ?? k)=\($0)" } }
    }
}

extension RequestContext {
    /// This context with `aws:ResourceAccount` set (the KMS key's owner, for the KMS rule).
    func with(resourceAccount: String?) -> RequestContext {
        var c = self
        if let resourceAccount { c.values["aws:resourceaccount"] = [resourceAccount] }
        return c
    }
}

/// The bucket and key of an S3 ARN (`arn:aws:s3:::bucket/key`).
public struct S3Resource: Sendable, Equatable {
    /// The partition of the ARN.
    public var partition: String
    /// The bucket name.
    public var bucket: String
    /// The object key, nil for the bucket itself.
    public var key: String?

    /// Parses an S3 ARN; nil when `arn` is not one.
    public init?(arn: String) {
        guard let s = ArnCondition.segments(arn), s[0] == "arn", s[2] == "s3", s[3].isEmpty, s[4].isEmpty, !s[5].isEmpty else { return nil }
        partition = String(s[1])
        let r = s[5].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        bucket = String(r[0])
        key = r.count == 2 ? String(r[1]) : nil
        if bucket.isEmpty { return nil }
    }

    /// `arn:aws:s3:::bucket`.
    public var bucketArn: String { "arn:\(partition):s3:::\(bucket)" }
}
