/// `ArnEquals`, `ArnLike`, `ArnNotEquals`, `ArnNotLike` (IAM condition operators page, "Amazon
/// Resource Name (ARN) condition operators"): compared segment by segment (the six colon-separated
/// parts), case-sensitive, `*` and `?` allowed in each segment; `ArnEquals` behaves as `ArnLike`.
enum ArnCondition {
    /// The six segments of an ARN: arn, partition, service, region, account, resource.
    static func segments(_ s: some StringProtocol) -> [Substring]? {
        let parts = Substring(s).split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        return parts
    }

    static func matches(policy: PolicyValue, request: String) -> Bool {
        guard let tokens = policy.tokens, let r = segments(request) else { return false }
        // Split the pattern tokens at its first five literal colons.
        var segs: [[PatternToken]] = [[]]
        for t in tokens {
            if t == .char(":") && segs.count < 6 { segs.append([]) } else { segs[segs.count - 1].append(t) }
        }
        guard segs.count == 6 else { return false }
        for (p, v) in zip(segs, r) where !Wildcard.match(p, v) { return false }
        return true
    }
}
