import Why403Core

/// A field of an edge log line that the cause rules read, by its meaning (each format names it in
/// its own words: `terminatingRuleType`, `x-edge-detailed-result-type`, `sc-substatus`, …).
///
/// A missing field reads as the empty string, in the scanner and in SQL alike.
public enum EdgeField: String, Sendable, CaseIterable, Hashable {
    /// AWS WAF `action`; Cloudflare `SecurityAction` (`Action` in firewall_events), lower-cased.
    case action
    /// AWS WAF `terminatingRuleType`.
    case ruleType
    /// AWS WAF `terminatingRuleId`; Cloudflare `SecurityRuleID` (`RuleID`).
    case ruleId
    /// AWS WAF: the first `ruleGroupList[].terminatingRule.ruleId` (the rule inside the group).
    case groupRule
    /// Cloudflare: the first of `SecuritySources` (`Source` in firewall_events), lower-cased.
    case source
    /// Cloudflare `SecurityRuleDescription` (`Description`).
    case description
    /// Cloudflare `OriginResponseStatus`.
    case originStatus
    /// CloudFront `x-edge-detailed-result-type`.
    case detailedResult
    /// IIS `sc-substatus`.
    case substatus
    /// S3 error code (`AccessDenied`, `SignatureDoesNotMatch`, …).
    case errorCode
    /// ALB `target_status_code` (`-` when no target answered).
    case targetStatus
    /// ALB `actions_executed` (comma-separated).
    case actions
    /// ALB `classification`.
    case classification
    /// ALB `classification_reason`.
    case classificationReason
}

/// The rule fields of one edge record, one per `EdgeField`, "" where the line gives none. Stored
/// inline, one property a field: not `[EdgeField: String]` (a String-backed enum hashes its raw value,
/// and the dictionary grew field by field — a sixth of an ALB scan's refused-line work), and not an
/// array either (its allocation, generic metadata lookup and release were a tenth of a Cloudflare
/// record's cost).
struct EdgeFields {
    private var action = "", ruleType = "", ruleId = "", groupRule = "", source = "", description = "", originStatus = ""
    private var detailedResult = "", substatus = "", errorCode = "", targetStatus = "", actions = "", classification = ""
    private var classificationReason = ""
    subscript(_ f: EdgeField) -> String {
        get {
            switch f {
            case .action: action
            case .ruleType: ruleType
            case .ruleId: ruleId
            case .groupRule: groupRule
            case .source: source
            case .description: description
            case .originStatus: originStatus
            case .detailedResult: detailedResult
            case .substatus: substatus
            case .errorCode: errorCode
            case .targetStatus: targetStatus
            case .actions: actions
            case .classification: classification
            case .classificationReason: classificationReason
            }
        }
        set {
            switch f {
            case .action: action = newValue
            case .ruleType: ruleType = newValue
            case .ruleId: ruleId = newValue
            case .groupRule: groupRule = newValue
            case .source: source = newValue
            case .description: description = newValue
            case .originStatus: originStatus = newValue
            case .detailedResult: detailedResult = newValue
            case .substatus: substatus = newValue
            case .errorCode: errorCode = newValue
            case .targetStatus: targetStatus = newValue
            case .actions: actions = newValue
            case .classification: classification = newValue
            case .classificationReason: classificationReason = newValue
            }
        }
    }
}

/// A test on the fields of one line. Written once and evaluated two ways: by the scanner on each
/// parsed line (`EdgeRules.matchIndex`) and as SQL by `--emit-sql` (`EdgeSQL`). Not `indirect` (no case
/// nests another): LeakSanitizer cannot follow the tagged pointers of indirect cases held in a
/// global, and the fuzz harness would report the rule tables as leaks.
public enum EdgeCondition: Sendable {
    /// The field is one of these values.
    case equals(EdgeField, [String])
    /// The field holds this text.
    case contains(EdgeField, String)
    /// The field, a comma-separated list, has this item.
    case hasItem(EdgeField, String)
    /// The field, a comma-separated list, ends with this item (ALB: the action that answered).
    case lastItem(EdgeField, String)
    /// The line's status is one of these.
    case statusIs([Int])
    /// The field is the line's status, as text (the target or origin answered this status).
    case sameAsStatus(EdgeField)
}

/// What a rule names as the refusal's rule: a fixed id, a field's value (with a prefix), or the
/// first non-empty of two fields.
public enum EdgeRuleName: Sendable {
    /// Always this id.
    case fixed(String)
    /// `prefix` + the field's value (the prefix alone when empty).
    case field(String, EdgeField)
    /// The first field if not empty, else the second.
    case either(EdgeField, EdgeField)
}

/// One line of the cause table: when every condition holds (in table order, the first rule that
/// matches wins), the refusal is `cause` at `layer`.
public struct EdgeRule: Sendable {
    /// All must hold.
    public var when: [EdgeCondition]
    /// The report-v1 cause.
    public var cause: Cause
    /// The report-v1 layer.
    public var layer: Layer
    /// How sure the line makes it.
    public var confidence: Confidence
    /// The rule id the finding names.
    public var name: EdgeRuleName
    /// One sentence for the finding: what the log says happened.
    public var meaning: String

    /// A rule.
    public init(_ when: [EdgeCondition], _ cause: Cause, _ layer: Layer, _ confidence: Confidence,
                name: EdgeRuleName, _ meaning: String) {
        self.when = when
        self.cause = cause
        self.layer = layer
        self.confidence = confidence
        self.name = name
        self.meaning = meaning
    }
}

/// The cause tables of the formats `why403 logs` reads: the one source of the mapping from a log
/// line to a report-v1 cause, used by the scanner and by `--emit-sql`. The last rule of each table
/// matches every line.
///
/// Edge rules as report-v1's second edition fixes them: a rule on the address is `access.ip`, on the
/// country `geo.block`, on bot signals `bot.block` (and any challenge), a rate rule `rate.limit`, any
/// other rule (or one known only by its name) `waf.rule`. Sources: AWS WAF log fields and managed
/// rule group docs; ALB access-log `actions_executed`; CloudFront `x-edge-detailed-result-type`;
/// S3 error codes; Cloudflare `SecuritySources`/`SecurityAction`; IIS substatus codes.
public enum EdgeRules {
    /// The table of `format`.
    public static func table(_ format: LogInputFormat) -> [EdgeRule] {
        switch format {
        case .awsWAF: awsWAF
        case .alb: alb
        case .cloudfront: cloudfront
        case .s3Access: s3
        case .cloudflare: cloudflare
        case .iis: iis
        default: accessLine
        }
    }

    /// An access-log line no error-log line explains (combined, common, custom formats).
    public static let accessLine: [EdgeRule] = [
        EdgeRule([.statusIs([429])], .rateLimit, .unknown, .likely, name: .fixed("status-429"), "answered 429 Too Many Requests"),
        EdgeRule([], .unknown, .unknown, .possible, name: .fixed("status"), "no error-log line explains it"),
    ]

    static let wafRuleName = EdgeRuleName.either(.groupRule, .ruleId)

    /// AWS WAF logs: `action` and the terminating rule.
    public static let awsWAF: [EdgeRule] = [
        EdgeRule([.equals(.action, ["CAPTCHA", "CHALLENGE"])], .botBlock, .awsWAF, .certain, name: wafRuleName,
                 "a CAPTCHA or Challenge action held the request until the client proves it is a browser"),
        EdgeRule([.equals(.ruleType, ["RATE_BASED"])], .rateLimit, .awsWAF, .certain, name: wafRuleName,
                 "a rate-based rule blocked the client over its limit"),
        EdgeRule([.equals(.ruleId, ["Default_Action"])], .accessDeny, .awsWAF, .certain, name: .fixed("Default_Action"),
                 "no rule allowed the request and the web ACL's default action is Block"),
        EdgeRule([.contains(.ruleId, "AWSManagedRulesBotControlRuleSet")], .botBlock, .awsWAF, .certain, name: wafRuleName,
                 "the Bot Control managed rule group blocked the request"),
        EdgeRule([.contains(.ruleId, "AWSManagedRulesAmazonIpReputationList")], .accessIP, .awsWAF, .certain, name: wafRuleName,
                 "the Amazon IP reputation list blocked the client's address"),
        EdgeRule([.contains(.ruleId, "AWSManagedRulesAnonymousIpList")], .accessIP, .awsWAF, .certain, name: wafRuleName,
                 "the anonymous IP list (VPNs, proxies, hosting providers) blocked the client's address"),
        EdgeRule([.equals(.action, ["BLOCK"])], .wafRule, .awsWAF, .certain, name: wafRuleName,
                 "a web ACL rule blocked the request"),
        EdgeRule([], .unknown, .awsWAF, .possible, name: wafRuleName, "the web ACL let the request through; something after it refused"),
    ]

    /// Application Load Balancer access logs.
    public static let alb: [EdgeRule] = [
        EdgeRule([.lastItem(.actions, "waf"), .equals(.targetStatus, ["-"])], .wafRule, .awsWAF, .likely,
                 name: .fixed("alb-waf"),
                 "the balancer sent the request to AWS WAF, which rejected it (the WAF log names the rule)"),
        EdgeRule([.lastItem(.actions, "authenticate"), .equals(.targetStatus, ["-"])], .authMissing, .unknown, .likely,
                 name: .fixed("alb-authenticate"),
                 "the balancer's authenticate action refused the request before any target saw it"),
        EdgeRule([.lastItem(.actions, "fixed-response"), .equals(.targetStatus, ["-"])], .accessDeny, .unknown, .certain,
                 name: .fixed("alb-fixed-response"),
                 "a listener rule answered with a fixed response: no target saw the request"),
        EdgeRule([.equals(.classification, ["Ambiguous", "Severe"]), .equals(.targetStatus, ["-"])], .wafRule, .unknown, .likely,
                 name: .field("alb-desync-", .classificationReason),
                 "HTTP desync mitigation refused the request as ambiguous or severe"),
        EdgeRule([.sameAsStatus(.targetStatus)], .appForbidden, .application, .possible,
                 name: .fixed("alb-target-answered"),
                 "the target behind the balancer answered this status itself"),
        EdgeRule([], .unknown, .unknown, .possible, name: .fixed("alb-unexplained"),
                 "the balancer's log does not say who refused"),
    ]

    /// CloudFront standard logs.
    public static let cloudfront: [EdgeRule] = [
        EdgeRule([.equals(.detailedResult, ["ClientGeoBlocked"])], .geoBlock, .cloudfront, .certain,
                 name: .fixed("cloudfront-ClientGeoBlocked"),
                 "the distribution's geographic restriction refused the viewer's country"),
        EdgeRule([.equals(.detailedResult, ["InvalidRequestBlocked"])], .unknown, .cloudfront, .likely,
                 name: .fixed("cloudfront-InvalidRequestBlocked"),
                 "CloudFront blocked access to the requested resource (InvalidRequestBlocked)"),
        EdgeRule([], .unknown, .unknown, .possible, name: .field("cloudfront-", .detailedResult),
                 "CloudFront passed on this status (AWS WAF, a signed-URL check or the origin refused)"),
    ]

    /// S3 server access logs: the error code.
    public static let s3: [EdgeRule] = [
        EdgeRule([.equals(.errorCode, ["AccessDenied"])], .policyImplicitDeny, .s3, .possible, name: .field("", .errorCode),
                 "S3 refused under its policies: usually no statement allows it; an explicit Deny, Block Public Access or an ACL can say the same"),
        EdgeRule([.equals(.errorCode, ["AllAccessDisabled"])], .accessDeny, .s3, .certain, name: .field("", .errorCode),
                 "all access to this bucket or object is disabled"),
        EdgeRule([.equals(.errorCode, ["SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken",
                                       "TokenRefreshRequired", "RequestTimeTooSkewed", "AuthorizationHeaderMalformed",
                                       "RequestExpired"])],
                 .authInvalid, .s3, .certain, name: .field("", .errorCode), "the request's credentials or signature are invalid or expired"),
        EdgeRule([.equals(.errorCode, ["SlowDown", "TooManyRequests"])], .rateLimit, .s3, .certain, name: .field("", .errorCode),
                 "S3 asked the client to slow down"),
        EdgeRule([], .unknown, .s3, .possible, name: .field("s3-", .errorCode), "S3 refused with this error code"),
    ]

    /// Cloudflare Logpush http_requests and firewall_events.
    public static let cloudflare: [EdgeRule] = [
        EdgeRule([.contains(.action, "challenge")], .botBlock, .cloudflare, .certain, name: .either(.ruleId, .source),
                 "a challenge held the request until the client proves it is a browser"),
        EdgeRule([.equals(.source, ["ip", "iprange", "asn", "zonelockdown"])], .accessIP, .cloudflare, .certain,
                 name: .either(.ruleId, .source), "an IP access rule or zone lockdown refused the client's address"),
        EdgeRule([.equals(.source, ["country"])], .geoBlock, .cloudflare, .certain, name: .either(.ruleId, .source),
                 "an IP access rule refused the client's country"),
        EdgeRule([.equals(.source, ["uablock", "bic", "botfight", "botmanagement", "securitylevel"])], .botBlock, .cloudflare, .certain,
                 name: .either(.ruleId, .source), "bot protection (User-Agent block, Browser Integrity Check, Bot Fight Mode, bot management, security level) refused the request"),
        EdgeRule([.equals(.source, ["ratelimit", "l7ddos"])], .rateLimit, .cloudflare, .certain, name: .either(.ruleId, .source),
                 "a rate limiting rule (or DDoS protection) refused the client"),
        EdgeRule([.equals(.source, ["hot"])], .hotlinkReferer, .cloudflare, .certain, name: .fixed("hot"),
                 "Hotlink Protection refused the request for its Referer"),
        EdgeRule([.equals(.action, ["block", "connectionclose"])], .wafRule, .cloudflare, .certain, name: .either(.ruleId, .source),
                 "a Cloudflare security rule blocked the request"),
        EdgeRule([.sameAsStatus(.originStatus)], .appForbidden, .application, .possible, name: .fixed("cloudflare-origin-answered"),
                 "Cloudflare took no security action: the origin answered this status itself"),
        EdgeRule([], .unknown, .unknown, .possible, name: .fixed("cloudflare-unexplained"),
                 "the log names no security action and no origin status"),
    ]

    /// IIS W3C logs: status and substatus (Microsoft's list of IIS substatus codes).
    public static let iis: [EdgeRule] = [
        EdgeRule([.statusIs([403]), .equals(.substatus, ["6", "8", "503", "504"])], .accessIP, .iis, .certain, name: iisName,
                 "IP and domain restrictions refused the client's address or host name"),
        EdgeRule([.statusIs([403]), .equals(.substatus, ["14"])], .indexMissing, .iis, .certain, name: iisName,
                 "directory listing is denied and the directory has no default document"),
        EdgeRule([.statusIs([403]), .equals(.substatus, ["9", "15", "501", "502"])], .rateLimit, .iis, .certain, name: iisName,
                 "too many connections or requests (dynamic IP restrictions, connection limits)"),
        EdgeRule([.statusIs([403]), .equals(.substatus, ["7"])], .authMissing, .iis, .certain, name: iisName,
                 "a client certificate is required and none was sent"),
        EdgeRule([.statusIs([403]), .equals(.substatus, ["13", "16", "17"])], .authInvalid, .iis, .certain, name: iisName,
                 "the client certificate is revoked, untrusted or expired"),
        EdgeRule([.statusIs([403]), .equals(.substatus, ["1", "2", "3", "4", "5", "18", "19", "21", "22"])], .accessDeny, .iis, .certain,
                 name: iisName, "the site's access policy (execute, read, write, SSL required) refuses this request"),
        EdgeRule([.statusIs([401]), .equals(.substatus, ["1"])], .authInvalid, .iis, .certain, name: iisName,
                 "logon failed: the user name or password is wrong"),
        EdgeRule([.statusIs([401]), .equals(.substatus, ["2"])], .authMissing, .iis, .certain, name: iisName,
                 "no credentials the server's authentication accepts were sent"),
        EdgeRule([.statusIs([401]), .equals(.substatus, ["3"])], .fsPermission, .filesystem, .certain, name: iisName,
                 "the file's NTFS ACL denies the request's user"),
        EdgeRule([], .unknown, .unknown, .possible, name: iisName, "IIS logged no substatus that names the reason (often the application)"),
    ]

    static let iisName = EdgeRuleName.field("iis-", .substatus)

    /// Whether `c` holds for `line`.
    static func holds(_ c: EdgeCondition, _ line: EdgeRecord) -> Bool {
        switch c {
        case .equals(let f, let values): return values.contains(line[f])
        case .contains(let f, let s): return holdsBytes(line[f], s)
        case .hasItem(let f, let item): return holdsItem(line[f], item, last: false)
        case .lastItem(let f, let item): return holdsItem(line[f], item, last: true)
        case .statusIs(let s): return s.contains(line.status)
        case .sameAsStatus(let f): return line[f] == EdgeParsers.statusText(line.status)
        }
    }

    /// Whether `haystack` holds `needle` byte for byte (the rules name ASCII ids), with `ByteLine`'s
    /// search: Foundation's `range(of:)` was a twentieth of an ALB scan and the standard library's generic
    /// `firstRange(of:)` a tenth of a Cloudflare one. An empty needle holds nowhere, as with `range(of:)`.
    /// (Over both strings' bytes in place: an array made of the needle's bytes was an allocation per line and rule.)
    static func holdsBytes(_ haystack: String, _ needle: String) -> Bool {
        guard !needle.isEmpty, haystack.utf8.count >= needle.utf8.count else { return false }
        var h = haystack, n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in ByteLine(hb.baseAddress!, hb.count).firstIndex(of: nb.baseAddress!, count: nb.count, from: 0) != nil }
        }
    }

    /// Whether the comma-separated `list` has `item` (`last`: as its last item; an empty list is one
    /// empty item), compared byte for byte as `contains` compares (the rules name ASCII ids). Walks
    /// the bytes: splitting the field into an array of substrings was a tenth of an ALB scan.
    static func holdsItem(_ list: String, _ item: String, last: Bool) -> Bool {
        var l = list, it = item
        return l.withUTF8 { lb in
            it.withUTF8 { ib in
                var start = 0, found = false
                for i in 0...lb.count where i == lb.count || lb[i] == 44 {
                    let same = i - start == ib.count && lb[start..<i].elementsEqual(ib)
                    if same && !last { return true }
                    if last { found = same }
                    start = i + 1
                }
                return found
            }
        }
    }

    /// Where in `table` the first rule that holds for `line` is (the last rule matches every line). By index, and
    /// returned as one: `for r in table` copied each rule it tried, and the rule returned was copied again and
    /// released after the refusal was counted (its arrays and strings retained and released on every line).
    static func matchIndex(_ table: [EdgeRule], _ line: EdgeRecord) -> Int {
        for i in table.indices where table[i].when.allSatisfy({ holds($0, line) }) { return i }
        return table.count - 1
    }

    /// The fields a table's conditions and rule names read: with the status, all a line's rule and name depend on.
    static func fieldsRead(_ table: [EdgeRule]) -> [EdgeField] {
        var read: [EdgeField] = []
        func note(_ f: EdgeField) { if !read.contains(f) { read.append(f) } }
        for rule in table {
            for c in rule.when {
                switch c {
                case .equals(let f, _), .contains(let f, _), .hasItem(let f, _), .lastItem(let f, _), .sameAsStatus(let f): note(f)
                case .statusIs: break
                }
            }
            switch rule.name {
            case .fixed: break
            case .field(_, let f): note(f)
            case .either(let a, let b): note(a); note(b)
            }
        }
        return read
    }

    /// The rules and rule ids of recent lines, kept with what they were computed from: the status and the values of the
    /// fields the table reads. An edge log's refusals repeat a few rule fields line after line, and its readers make
    /// one `String` of each repeated value (`TextMemo`), so a line whose values are those very `String`s, told by their
    /// two words (the same storage object, or the same small string: the same bytes), gets the remembered rule and id
    /// without a match. A value the memo holds is never freed while it does, so its words name no other string. Values
    /// equal but not identical only miss (and are matched). (Matching, naming and copying the rule on every refused line
    /// was some 1,500 instructions of a Cloudflare line's 15,000.)
    struct Memo {
        private let fields: [EdgeField]
        /// Per entry: the status, the values' words (two a field, `fields.count` fields), the values themselves (held,
        /// so their storage lives while the words name it), and the result.
        private var statuses: [Int] = []
        private var words: [UInt64] = []
        private var values: [[String]] = []
        private var results: [(index: Int, name: String)] = []
        private var next = 0
        /// Entries held, searched in order and replaced in turn.
        static let size = 8

        /// An empty memo for `table`.
        init(_ table: [EdgeRule]) {
            fields = EdgeRules.fieldsRead(table)
        }

        /// The index in `table` of the first rule that holds for `line` (`matchIndex`) and the rule id it gives
        /// (`name`; the format's name when that is empty).
        mutating func match(_ table: [EdgeRule], _ line: EdgeRecord, format: LogInputFormat) -> (index: Int, name: String) {
            let width = 2 * fields.count
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(width, 1)) { w in
                for k in fields.indices {
                    let x = unsafeBitCast(line[fields[k]], to: (UInt64, UInt64).self)
                    w[2 * k] = x.0
                    w[2 * k + 1] = x.1
                }
                let found = statuses.withUnsafeBufferPointer { st in
                    words.withUnsafeBufferPointer { held -> Int? in
                        search: for e in st.indices where st[e] == line.status {
                            for j in 0..<width where held[e &* width &+ j] != w[j] { continue search }
                            return e
                        }
                        return nil
                    }
                }
                if let found { return results[found] }
                let r = EdgeRules.matchIndex(table, line)
                var n = EdgeRules.name(table[r], line, format: format)
                if n.isEmpty { n = format.rawValue }
                let held = fields.map { line[$0] }
                if statuses.count < Memo.size {
                    statuses.append(line.status)
                    words.append(contentsOf: w.prefix(width))
                    values.append(held)
                    results.append((r, n))
                } else {
                    statuses[next] = line.status
                    for j in 0..<width { words[next * width + j] = w[j] }
                    values[next] = held
                    results[next] = (r, n)
                    next = (next + 1) % Memo.size
                }
                return (r, n)
            }
        }
    }

    /// The rule id `rule` gives `line`.
    static func name(_ rule: EdgeRule, _ line: EdgeRecord, format: LogInputFormat) -> String {
        switch rule.name {
        case .fixed(let s): return s
        case .field(let prefix, let f):
            if format == .iis { return "iis-\(line.status).\(line[f].isEmpty ? "0" : line[f])" }
            return prefix + line[f]
        case .either(let a, let b): return line[a].isEmpty ? line[b] : line[a]
        }
    }
}
