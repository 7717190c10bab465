/// Why a request was refused: the cause ids of report-v1 (`../shared/spec/report-v1.md`).
///
/// The raw values are the contract strings; a test compares this list with the spec's table.
public enum Cause: String, Codable, CaseIterable, Sendable, Hashable {
    case fsPermission = "fs.permission"
    case fsSELinux = "fs.selinux"
    case fsSymlink = "fs.symlink"
    case indexMissing = "index.missing"
    case accessIP = "access.ip"
    case accessDeny = "access.deny"
    case wafRule = "waf.rule"
    case botBlock = "bot.block"
    case hotlinkReferer = "hotlink.referer"
    case rateLimit = "rate.limit"
    case geoBlock = "geo.block"
    case authMissing = "auth.missing"
    case authInvalid = "auth.invalid"
    case authScope = "auth.scope"
    case authRole = "auth.role"
    case policyImplicitDeny = "policy.implicit-deny"
    case policyExplicitDeny = "policy.explicit-deny"
    case policyNoList = "policy.no-list"
    case policyPublicAccessBlock = "policy.public-access-block"
    case policyOriginAccess = "policy.origin-access"
    case appForbidden = "app.forbidden"
    case configError = "config.error"
    case unknown = "unknown"
    case none = "none"

    /// One line a person understands, used by the text renderer after the layer name.
    public var explanation: String {
        switch self {
        case .fsPermission: "the server's user may not read a file or directory on the path"
        case .fsSELinux: "the SELinux label of the file forbids the web server"
        case .fsSymlink: "a symbolic link is refused by the server's policy"
        case .indexMissing: "a directory was requested, it has no index file, and listing is off"
        case .accessIP: "an address rule excludes this client"
        case .accessDeny: "a rule denies everyone at this path"
        case .wafRule: "a firewall rule blocked this request"
        case .botBlock: "the request was taken for a bot"
        case .hotlinkReferer: "the Referer header was refused (hotlink protection)"
        case .rateLimit: "too many requests"
        case .geoBlock: "the client's country or region is blocked"
        case .authMissing: "no credentials were sent where they are required"
        case .authInvalid: "the credentials sent are invalid or expired"
        case .authScope: "the token is valid but lacks a required scope"
        case .authRole: "the user lacks a required role"
        case .policyImplicitDeny: "no policy statement allows this action"
        case .policyExplicitDeny: "an explicit Deny statement matches"
        case .policyNoList: "the object does not exist and the caller lacks s3:ListBucket, so 404 became 403"
        case .policyPublicAccessBlock: "Block Public Access overrides a public grant"
        case .policyOriginAccess: "the CDN origin is not granted by the bucket policy"
        case .appForbidden: "the application answered 403 itself"
        case .configError: "the server's own configuration is invalid there (a 500, not a refusal)"
        case .unknown: "denied; the cause could not be determined"
        case .none: "not denied"
        }
    }
}
