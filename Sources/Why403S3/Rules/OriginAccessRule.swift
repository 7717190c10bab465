import Why403Core

/// CloudFront Origin Access Control: the distribution reaches the bucket as the service principal
/// `cloudfront.amazonaws.com`, and the bucket policy grants it with a condition on `AWS:SourceArn`
/// naming the distribution (CloudFront Developer Guide, "Restricting access to an Amazon S3 origin",
/// docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html).
/// When such a request is denied, the cause is `policy.origin-access`: no statement grants
/// CloudFront, or the one that does names another distribution.
enum OriginAccessRule {
    static let service = "cloudfront.amazonaws.com"

    static func isCloudFront(_ p: Principal) -> Bool {
        (p.kind == .service && p.raw.lowercased() == service) || p.kind == .cloudFrontOAI
    }

    /// The legacy origin access identity's ARN up to its id.
    static let oaiPrefix = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "

    /// The id of an OAI principal ARN (`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL`), else nil.
    static func oaiID(_ s: String) -> String? {
        let t = s.trimmingSpaces
        guard t.hasPrefix(oaiPrefix) else { return nil }
        let id = t.dropFirst(oaiPrefix.count)
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return String(id)
    }

    /// Statements that grant CloudFront this action and resource but whose conditions failed.
    static func nearMisses(_ d: Decision) -> [StatementResult] {
        d.results.filter { $0.kind == .bucket && $0.statement.effect == .allow && $0.targetMatched && !$0.applies }
    }

    /// The distribution ARNs a statement grants (values of its `aws:SourceArn` conditions).
    static func grantedSources(_ s: Statement) -> [String] {
        s.conditions.filter { $0.key.lowercased() == "aws:sourcearn" }.flatMap(\.values)
    }

    static func condition(sourceArn: String) -> String {
        "{ \"StringEquals\": { \"AWS:SourceArn\": \(FixBuilder.json(sourceArn)) } }"
    }
}
