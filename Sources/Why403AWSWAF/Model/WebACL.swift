import Why403Core

/// Where a piece of a WAF export sits: the file, the JSON path and the line (for evidence).
public struct WAFSource: Sendable, Hashable, CustomStringConvertible {
    /// The file read.
    public var file: String
    /// The JSON path in that file (`$.WebACL.Rules[2]`).
    public var path: String
    /// The 1-based line where the value starts.
    public var line: Int

    /// A location.
    public init(file: String, path: String, line: Int) {
        self.file = file
        self.path = path
        self.line = line
    }

    /// `file:line`.
    public var description: String { "\(file):\(line)" }

    /// The JSON Pointer (RFC 6901) of `path`, as a JSON patch names it: `$.WebACL.Rules[2]` → `/WebACL/Rules/2`.
    public var pointer: String { WAFSource.pointer(path) }

    /// The JSON Pointer of a JSON path written by `WAFJSON`.
    public static func pointer(_ path: String) -> String {
        var out = ""
        var chars = Array(path.dropFirst())  // "$"
        var i = 0
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                var key = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" { key.append(chars[i]); i += 1 }
                out += "/" + key
            } else if chars[i] == "[" {
                i += 1
                var key = ""
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    while i < chars.count, chars[i] != "\"" {
                        if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                        key.append(chars[i]); i += 1
                    }
                    i += 1
                } else {
                    while i < chars.count, chars[i] != "]" { key.append(chars[i]); i += 1 }
                }
                i += 1  // "]"
                out += "/" + key.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")
            } else { i += 1 }
        }
        chars.removeAll()
        return out
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard contains(a) else { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}

/// A rule action (`Action` of a rule, `DefaultAction`, `ActionToUse` of an override).
public enum WAFAction: Sendable, Equatable {
    /// `Allow`: terminating; the request goes on to the protected resource.
    case allow
    /// `Block`: terminating; 403 or the custom response code.
    case block(CustomResponse?)
    /// `Count`: non-terminating; labels are added, evaluation goes on.
    case count
    /// `Captcha`: without a valid `aws-waf-token` the request gets the CAPTCHA page, 405.
    case captcha
    /// `Challenge`: without a valid token the request gets the silent challenge, 202.
    case challenge

    /// The API name of the action.
    public var name: String {
        switch self {
        case .allow: "Allow"
        case .block: "Block"
        case .count: "Count"
        case .captcha: "Captcha"
        case .challenge: "Challenge"
        }
    }

    /// Whether the action ends the web ACL's evaluation for a request without a token.
    public var terminates: Bool { self != .count }

    /// The status the client gets (nil for Allow and Count: the protected resource answers).
    public var status: Int? {
        switch self {
        case .block(let custom): custom?.responseCode ?? 403
        case .captcha: 405
        case .challenge: 202
        case .allow, .count: nil
        }
    }
}

/// `CustomResponse` of a Block action.
public struct CustomResponse: Sendable, Equatable {
    /// `ResponseCode`.
    public var responseCode: Int
    /// `CustomResponseBodyKey`: a key of the web ACL's (or rule group's) `CustomResponseBodies`.
    public var bodyKey: String?
    /// `ResponseHeaders` as name/value pairs.
    public var headers: [(name: String, value: String)]

    /// A custom response.
    public init(responseCode: Int, bodyKey: String? = nil, headers: [(name: String, value: String)] = []) {
        self.responseCode = responseCode
        self.bodyKey = bodyKey
        self.headers = headers
    }

    /// Two responses are equal when code, body key and headers are.
    public static func == (a: CustomResponse, b: CustomResponse) -> Bool {
        a.responseCode == b.responseCode && a.bodyKey == b.bodyKey
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }
}

/// One entry of `CustomResponseBodies`.
public struct CustomResponseBody: Sendable, Equatable {
    /// `ContentType`: TEXT_PLAIN, TEXT_HTML or APPLICATION_JSON.
    public var contentType: String
    /// `Content`.
    public var content: String
}

/// The part of the request a statement inspects (`FieldToMatch`).
public enum FieldToMatch: Sendable, Equatable {
    /// `UriPath`.
    case uriPath
    /// `QueryString`.
    case queryString
    /// `SingleHeader` {Name}.
    case singleHeader(String)
    /// `Headers` {MatchPattern, MatchScope, OversizeHandling}.
    case headers(MatchPattern, MatchScope, oversize: OversizeHandling)
    /// `Cookies` {MatchPattern, MatchScope, OversizeHandling}.
    case cookies(MatchPattern, MatchScope, oversize: OversizeHandling)
    /// `Method`.
    case method
    /// `Body` {OversizeHandling}.
    case body(oversize: OversizeHandling)
    /// `JsonBody` {MatchPattern (paths are JSON Pointers), MatchScope, InvalidFallbackBehavior, OversizeHandling}.
    case jsonBody(MatchPattern, MatchScope, invalidFallback: String?, oversize: OversizeHandling)
    /// `SingleQueryArgument` {Name}.
    case singleQueryArgument(String)
    /// `AllQueryArguments`.
    case allQueryArguments
    /// A component a request described on the command line does not carry (JA3/JA4 fingerprint,
    /// `HeaderOrder`, `UriFragment`): the statement can only be `possible`.
    case unavailable(String)

    /// The API name, for evidence.
    public var name: String {
        switch self {
        case .uriPath: "UriPath"
        case .queryString: "QueryString"
        case .singleHeader(let n): "SingleHeader \(n)"
        case .headers: "Headers"
        case .cookies: "Cookies"
        case .method: "Method"
        case .body: "Body"
        case .jsonBody: "JsonBody"
        case .singleQueryArgument(let n): "SingleQueryArgument \(n)"
        case .allQueryArguments: "AllQueryArguments"
        case .unavailable(let n): n
        }
    }
}

/// `OversizeHandling` of `Body`, `JsonBody`, `Headers` and `Cookies`: what AWS WAF does when the
/// component is larger than it can inspect (AWS WAF Developer Guide, "Oversize web request components",
/// https://docs.aws.amazon.com/waf/latest/developerguide/waf-oversize-request-components.html).
public enum OversizeHandling: String, Sendable, Equatable {
    /// `CONTINUE` (the default): inspect the part within the limit.
    case `continue` = "CONTINUE"
    /// `MATCH`: the statement matches.
    case match = "MATCH"
    /// `NO_MATCH`: the statement does not match.
    case noMatch = "NO_MATCH"
}

/// The kind of resource a web ACL protects: it sets how much of the body AWS WAF sees (AWS WAF Developer
/// Guide, "Managing body inspection size limits",
/// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html).
public enum ResourceType: String, Sendable, CaseIterable {
    /// Application Load Balancer: the first 8 KB, fixed.
    case alb
    /// API Gateway REST API: 16 KB by default, up to 64 KB (`AssociationConfig`).
    case apiGateway = "api-gateway"
    /// AppSync GraphQL API: the first 8 KB, fixed.
    case appsync
    /// Cognito user pool: 16 KB by default, up to 64 KB.
    case cognito
    /// App Runner service: 16 KB by default, up to 64 KB.
    case appRunner = "app-runner"
    /// Verified Access instance: 16 KB by default, up to 64 KB.
    case verifiedAccess = "verified-access"
    /// CloudFront distribution (a web ACL of Scope CLOUDFRONT): 16 KB by default, up to 64 KB.
    case cloudfront

    /// The key of `AssociationConfig.RequestBody` for this type; nil for ALB and AppSync (fixed at 8 KB).
    public var associationKey: String? {
        switch self {
        case .alb, .appsync: nil
        case .apiGateway: "API_GATEWAY"
        case .cognito: "COGNITO_USER_POOL"
        case .appRunner: "APP_RUNNER_SERVICE"
        case .verifiedAccess: "VERIFIED_ACCESS_INSTANCE"
        case .cloudfront: "CLOUDFRONT"
        }
    }

    /// The name people know it by, for reports.
    public var displayName: String {
        switch self {
        case .alb: "Application Load Balancer"
        case .apiGateway: "API Gateway"
        case .appsync: "AppSync"
        case .cognito: "Cognito"
        case .appRunner: "App Runner"
        case .verifiedAccess: "Verified Access"
        case .cloudfront: "CloudFront"
        }
    }

    /// The types a web ACL of this scope (CLOUDFRONT or REGIONAL) can protect; every type when unknown.
    public static func types(scope: String?) -> [ResourceType] {
        switch scope {
        case "CLOUDFRONT": [.cloudfront]
        case "REGIONAL": [.alb, .apiGateway, .appsync, .cognito, .appRunner, .verifiedAccess]
        default: allCases
        }
    }
}

/// `MatchPattern` of Headers, Cookies and JsonBody.
public enum MatchPattern: Sendable, Equatable {
    /// `All`.
    case all
    /// `IncludedHeaders` / `IncludedCookies` / `IncludedPaths`.
    case included([String])
    /// `ExcludedHeaders` / `ExcludedCookies`.
    case excluded([String])
}

/// `MatchScope`: which of keys and values are inspected.
public enum MatchScope: String, Sendable, Equatable {
    /// Keys and values; a match in either matches.
    case all = "ALL"
    /// Keys only.
    case key = "KEY"
    /// Values only.
    case value = "VALUE"
}

/// One `TextTransformation`.
public struct TextTransformation: Sendable, Equatable {
    /// `Priority`: lowest first.
    public var priority: Int
    /// `Type` (`URL_DECODE`, `LOWERCASE`, ...).
    public var type: String
}

/// `ForwardedIPConfig` / `IPSetForwardedIPConfig`.
public struct ForwardedIPConfig: Sendable, Equatable {
    /// `HeaderName` (X-Forwarded-For, ...).
    public var headerName: String
    /// `FallbackBehavior`: MATCH or NO_MATCH when the header holds no valid address at the position.
    public var fallbackMatches: Bool
    /// `Position` (IP set only): FIRST, LAST or ANY; FIRST for geo and rate-based statements.
    public var position: String
}

/// A rule statement, as AWS WAF nests them.
public indirect enum Statement: Sendable {
    /// `ByteMatchStatement`: `SearchString` (decoded from Base64), `PositionalConstraint`.
    case byteMatch(search: [UInt8], constraint: String, field: FieldToMatch, transforms: [TextTransformation], source: WAFSource)
    /// `RegexMatchStatement`.
    case regexMatch(pattern: String, field: FieldToMatch, transforms: [TextTransformation], source: WAFSource)
    /// `RegexPatternSetReferenceStatement` (ARN resolved against `--regex-set` files).
    case regexSetReference(arn: String, field: FieldToMatch, transforms: [TextTransformation], source: WAFSource)
    /// `IPSetReferenceStatement` (ARN resolved against `--ip-set` files).
    case ipSetReference(arn: String, forwarded: ForwardedIPConfig?, source: WAFSource)
    /// `GeoMatchStatement`.
    case geoMatch(countries: [String], forwarded: ForwardedIPConfig?, source: WAFSource)
    /// `AsnMatchStatement`: `AsnList`, `ForwardedIPConfig`.
    case asnMatch(asns: [Int], forwarded: ForwardedIPConfig?, source: WAFSource)
    /// `SizeConstraintStatement`.
    case sizeConstraint(op: String, size: Int, field: FieldToMatch, transforms: [TextTransformation], source: WAFSource)
    /// `SqliMatchStatement` (AWS's own detector; approximated) with its `SensitivityLevel` (LOW or HIGH).
    case sqliMatch(field: FieldToMatch, transforms: [TextTransformation], sensitivity: String, source: WAFSource)
    /// `XssMatchStatement` (AWS's own detector; approximated).
    case xssMatch(field: FieldToMatch, transforms: [TextTransformation], source: WAFSource)
    /// `LabelMatchStatement` {Scope LABEL|NAMESPACE, Key}.
    case labelMatch(scope: String, key: String, source: WAFSource)
    /// `AndStatement`.
    case and([Statement], source: WAFSource)
    /// `OrStatement`.
    case or([Statement], source: WAFSource)
    /// `NotStatement`.
    case not(Statement, source: WAFSource)
    /// `RuleGroupReferenceStatement` (ARN resolved against `--rule-group` files).
    case ruleGroupReference(arn: String, excluded: [String], overrides: [(name: String, action: WAFAction)], source: WAFSource)
    /// `RateBasedStatement`: the scope-down is evaluated, the rate cannot be.
    case rateBased(limit: Int, window: Int, aggregate: String, scopeDown: Statement?, forwarded: ForwardedIPConfig?, source: WAFSource)
    /// `ManagedRuleGroupStatement`: the group's contents are not published.
    case managedRuleGroup(vendor: String, name: String, version: String?, excluded: [String],
                          overrides: [(name: String, action: WAFAction)], scopeDown: Statement?, source: WAFSource)

    /// Where the statement is written.
    public var source: WAFSource {
        switch self {
        case .byteMatch(_, _, _, _, let s), .regexMatch(_, _, _, let s), .regexSetReference(_, _, _, let s),
             .ipSetReference(_, _, let s), .geoMatch(_, _, let s), .asnMatch(_, _, let s), .sizeConstraint(_, _, _, _, let s),
             .sqliMatch(_, _, _, let s), .xssMatch(_, _, let s), .labelMatch(_, _, let s), .and(_, let s), .or(_, let s),
             .not(_, let s), .ruleGroupReference(_, _, _, let s), .rateBased(_, _, _, _, _, let s),
             .managedRuleGroup(_, _, _, _, _, _, let s):
            return s
        }
    }

    /// The API name of the statement (`ByteMatchStatement`, ...).
    public var kindName: String {
        switch self {
        case .byteMatch: "ByteMatchStatement"
        case .regexMatch: "RegexMatchStatement"
        case .regexSetReference: "RegexPatternSetReferenceStatement"
        case .ipSetReference: "IPSetReferenceStatement"
        case .geoMatch: "GeoMatchStatement"
        case .asnMatch: "AsnMatchStatement"
        case .sizeConstraint: "SizeConstraintStatement"
        case .sqliMatch: "SqliMatchStatement"
        case .xssMatch: "XssMatchStatement"
        case .labelMatch: "LabelMatchStatement"
        case .and: "AndStatement"
        case .or: "OrStatement"
        case .not: "NotStatement"
        case .ruleGroupReference: "RuleGroupReferenceStatement"
        case .rateBased: "RateBasedStatement"
        case .managedRuleGroup: "ManagedRuleGroupStatement"
        }
    }
}

/// One rule of a web ACL or a rule group.
public struct WAFRule: Sendable {
    /// `Name`.
    public var name: String
    /// `Priority`.
    public var priority: Int
    /// `Statement`.
    public var statement: Statement
    /// `Action` (rules with an ordinary statement).
    public var action: WAFAction?
    /// `OverrideAction` (rules that reference a rule group): `None` keeps the group's actions, `Count`
    /// turns them into Count.
    public var overrideCount: Bool?
    /// `RuleLabels`, as written (not yet qualified with the namespace).
    public var labels: [String]
    /// Where the rule is written.
    public var source: WAFSource
    /// The rule's JSON, as written, for patches.
    public var json: WAFJSON
}

/// A web ACL (`aws wafv2 get-web-acl` output, or the bare WebACL object).
public struct WebACL: Sendable {
    /// `Name`.
    public var name: String
    /// `ARN`, when present.
    public var arn: String?
    /// `DefaultAction`.
    public var defaultAction: WAFAction
    /// Where `DefaultAction` is written.
    public var defaultActionSource: WAFSource
    /// The rules, sorted by ascending `Priority`.
    public var rules: [WAFRule]
    /// `CustomResponseBodies`.
    public var customResponseBodies: [String: CustomResponseBody]
    /// The file read.
    public var file: String
    /// Whether the file was the CLI's envelope (`{"WebACL": …}`) — patches then start at `/WebACL`.
    public var enveloped: Bool
    /// `AssociationConfig.RequestBody`: the body inspection limit in bytes by resource key
    /// (`CLOUDFRONT`, `API_GATEWAY`, ...), from `DefaultSizeInspectionLimit` KB_16/32/48/64.
    public var bodyLimits: [String: Int] = [:]

    /// `CLOUDFRONT` or `REGIONAL`, from the ARN (`…:global/webacl/…` is CloudFront's); nil without an ARN.
    public var scope: String? {
        guard let arn else { return nil }
        if arn.contains(":global/webacl/") { return "CLOUDFRONT" }
        if arn.contains(":regional/webacl/") { return "REGIONAL" }
        return nil
    }

    /// How many bytes of the body AWS WAF inspects for a resource type: 8 KB for ALB and AppSync,
    /// otherwise `AssociationConfig`'s setting or the 16 KB default.
    public func bodyLimit(_ type: ResourceType) -> Int {
        guard let key = type.associationKey else { return 8192 }
        return bodyLimits[key] ?? 16384
    }

    /// The label namespace of the web ACL's own rules: `awswaf:<account>:webacl:<name>`.
    public var labelNamespace: String { "awswaf:\(WAFARN.account(arn) ?? "111122223333"):webacl:\(name)" }
}

/// A rule group (`aws wafv2 get-rule-group` output).
public struct RuleGroup: Sendable {
    /// `Name`.
    public var name: String
    /// `ARN`: how statements reference it.
    public var arn: String
    /// The rules, sorted by ascending `Priority`.
    public var rules: [WAFRule]
    /// `CustomResponseBodies`.
    public var customResponseBodies: [String: CustomResponseBody]
    /// The file read.
    public var file: String

    /// The label namespace of the group's rules: `awswaf:<account>:rulegroup:<name>`.
    public var labelNamespace: String { "awswaf:\(WAFARN.account(arn) ?? "111122223333"):rulegroup:\(name)" }
}

/// An IP set (`aws wafv2 get-ip-set` output).
public struct IPSet: Sendable {
    /// `Name`.
    public var name: String
    /// `ARN`.
    public var arn: String
    /// `Addresses`, parsed, with the text as written and its JSON path.
    public var addresses: [(network: IPNetwork, text: String, source: WAFSource)]
    /// Where the set is written.
    public var source: WAFSource
}

/// A regex pattern set (`aws wafv2 get-regex-pattern-set` output).
public struct RegexPatternSet: Sendable {
    /// `Name`.
    public var name: String
    /// `ARN`.
    public var arn: String
    /// `RegularExpressionList[].RegexString`, with their JSON paths.
    public var patterns: [(text: String, source: WAFSource)]
    /// Where the set is written.
    public var source: WAFSource
}

/// ARN helpers.
public enum WAFARN {
    /// The account id of `arn:aws:wafv2:region:ACCOUNT:...`.
    public static func account(_ arn: String?) -> String? {
        guard let arn else { return nil }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 4 && !parts[4].isEmpty ? String(parts[4]) : nil
    }
}
