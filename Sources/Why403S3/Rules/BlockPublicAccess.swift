import Foundation
import Why403Core

/// S3 Block Public Access settings (`PublicAccessBlockConfiguration`) and AWS's definition of a
/// public bucket policy.
///
/// Follows "Blocking public access to your Amazon S3 storage", section "The meaning of 'public'"
/// (docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html): a policy
/// is non-public only if each Allow statement with a wildcard principal is restricted by a fixed
/// value (no wildcard, no policy variable) of one of the listed keys; `aws:SourceIp` counts only
/// for blocks no wider than /8 (IPv4) or /32 (IPv6). At access time only `RestrictPublicBuckets`
/// changes the decision: with a public policy, only AWS service principals and principals of the
/// bucket owner's account keep access; `IgnorePublicAcls` concerns ACLs, which are not evaluated here.
public struct PublicAccessBlock: Sendable, Equatable {
    /// `BlockPublicAcls`.
    public var blockPublicAcls = false
    /// `IgnorePublicAcls`.
    public var ignorePublicAcls = false
    /// `BlockPublicPolicy`.
    public var blockPublicPolicy = false
    /// `RestrictPublicBuckets`.
    public var restrictPublicBuckets = false
    /// The file it was read from.
    public var file: String = ""
    /// The line of each setting in the file.
    public var lines: [String: Int] = [:]

    /// Creates settings.
    public init(blockPublicAcls: Bool = false, ignorePublicAcls: Bool = false, blockPublicPolicy: Bool = false,
                restrictPublicBuckets: Bool = false, file: String = "") {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
        self.file = file
    }

    static let keys = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

    /// Reads a `PublicAccessBlockConfiguration` object (as `aws s3api get-public-access-block` prints
    /// it, with or without the outer `{"PublicAccessBlockConfiguration": …}`).
    public static func load(path: String) throws -> PublicAccessBlock {
        try parse(PolicyParser.readBounded(path: path, what: "the Block Public Access file"), file: path)
    }

    /// Parses the JSON of a `PublicAccessBlockConfiguration`.
    public static func parse(_ bytes: [UInt8], file: String) throws -> PublicAccessBlock {
        var node = try JSONScanner.parse(bytes, file: file)
        var path = "$"
        if let m = node.members, m.count == 1, m[0].key == "PublicAccessBlockConfiguration" {
            node = m[0].value
            path = "$.PublicAccessBlockConfiguration"
        }
        guard let members = node.members else {
            throw PolicyParser.fail(file, node, path, expected: "a PublicAccessBlockConfiguration object")
        }
        var b = PublicAccessBlock(file: file)
        for m in members {
            guard keys.contains(m.key) else {
                throw InputError(file: file, line: m.line, expected: "\(keys.joined(separator: ", ")) at \(path)", found: "the key \(InputError.quote(m.key))")
            }
            guard case .bool(let v) = m.value.kind else {
                throw PolicyParser.fail(file, m.value, "\(path).\(m.key)", expected: "true or false")
            }
            b.lines[m.key] = m.line
            switch m.key {
            case "BlockPublicAcls": b.blockPublicAcls = v
            case "IgnorePublicAcls": b.ignorePublicAcls = v
            case "BlockPublicPolicy": b.blockPublicPolicy = v
            default: b.restrictPublicBuckets = v
            }
        }
        return b
    }

    /// Keys whose fixed values make a wildcard-principal statement non-public.
    public static let restrictingKeys: Set<String> = [
        "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:sourceaccount", "aws:sourcearn",
        "aws:sourceip", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:userid",
        "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
    ]

    /// Whether `statement` makes the policy public.
    public static func isPublic(_ statement: Statement) -> Bool {
        guard statement.effect == .allow else { return false }
        let wildcard = statement.notPrincipal != nil
            || (statement.principal ?? []).contains { $0.type == "*" || ($0.type == "AWS" && $0.value == "*") }
        guard wildcard else { return false }
        return !statement.conditions.contains(where: restricts)
    }

    /// Whether a condition pins the statement to fixed values of a restricting key.
    static func restricts(_ c: Condition) -> Bool {
        let key = c.key.lowercased()
        guard restrictingKeys.contains(key), !c.op.negated, !c.op.ifExists, c.op.set != .forAllValues, !c.values.isEmpty else { return false }
        switch c.op.family {
        case .string, .arn:
            if c.op.comparison == .equalsIgnoreCase { return false }
            return c.values.allSatisfy { !$0.contains("*") && !$0.contains("?") && !$0.contains("${") }
        case .ip:
            guard key == "aws:sourceip" else { return false }
            return c.values.allSatisfy { v in
                guard let cidr = IPNetwork(v) else { return false }
                return cidr.address.isIPv6 ? cidr.prefixLength >= 32 : cidr.prefixLength >= 8
            }
        default:
            return false
        }
    }

    /// Whether any statement of `policy` is public.
    public static func isPublic(_ policy: Policy) -> Bool { policy.statements.contains(where: isPublic) }
}
