/// `Bool` (IAM condition operators page, "Boolean condition operators"): `true`/`false`,
/// compared case-insensitively.
enum BoolCondition {
    static func matches(policy: String, request: String) -> Bool {
        policy.lowercased() == request.lowercased()
    }
}
