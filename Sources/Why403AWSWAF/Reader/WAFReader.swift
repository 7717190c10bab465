import Foundation
import Why403Core

/// Reads `aws wafv2` output: `get-web-acl`, `get-ip-set`, `get-regex-pattern-set`, `get-rule-group`.
///
/// Each reader takes the CLI's envelope (`{"WebACL": …, "LockToken": …}`) or the bare object. A
/// `SearchString` is Base64 in CLI output and is decoded. Anything malformed or unknown (a statement
/// type this reader does not know, a missing field) is an `InputError` naming the file, the line and the
/// JSON path.
public enum WAFReader {
    /// Reads a web ACL from a file.
    public static func webACL(path: String) throws -> WebACL { try webACL(read(path), file: path) }

    /// Reads an IP set from a file.
    public static func ipSet(path: String) throws -> IPSet { try ipSet(read(path), file: path) }

    /// Reads a regex pattern set from a file.
    public static func regexPatternSet(path: String) throws -> RegexPatternSet { try regexPatternSet(read(path), file: path) }

    /// Reads a rule group from a file.
    public static func ruleGroup(path: String) throws -> RuleGroup { try ruleGroup(read(path), file: path) }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file", help: "check the path and its permissions")
        }
        return Array(data)
    }

    /// Reads a web ACL from bytes.
    public static func webACL(_ bytes: [UInt8], file: String) throws -> WebACL {
        let root = try WAFJSON.parse(bytes, file: file)
        let (acl, enveloped) = try unwrap(root, "WebACL", file: file, what: "a web ACL (aws wafv2 get-web-acl output)")
        let ctx = Context(file: file)
        let name = try ctx.string(acl, "Name")
        guard let def = acl["DefaultAction"] else { throw ctx.missing(acl, "DefaultAction") }
        var web = WebACL(name: name, arn: acl["ARN"]?.string, defaultAction: try ctx.action(def),
                         defaultActionSource: ctx.source(def), rules: try ctx.rules(acl),
                         customResponseBodies: try ctx.bodies(acl), file: file, enveloped: enveloped)
        web.bodyLimits = try ctx.bodyLimits(acl)
        return web
    }

    /// Reads a rule group from bytes.
    public static func ruleGroup(_ bytes: [UInt8], file: String) throws -> RuleGroup {
        let root = try WAFJSON.parse(bytes, file: file)
        let (g, _) = try unwrap(root, "RuleGroup", file: file, what: "a rule group (aws wafv2 get-rule-group output)")
        let ctx = Context(file: file)
        return RuleGroup(name: try ctx.string(g, "Name"), arn: try ctx.string(g, "ARN"), rules: try ctx.rules(g),
                         customResponseBodies: try ctx.bodies(g), file: file)
    }

    /// Reads an IP set from bytes.
    public static func ipSet(_ bytes: [UInt8], file: String) throws -> IPSet {
        let root = try WAFJSON.parse(bytes, file: file)
        let (s, _) = try unwrap(root, "IPSet", file: file, what: "an IP set (aws wafv2 get-ip-set output)")
        let ctx = Context(file: file)
        guard let list = s["Addresses"]?.array else { throw ctx.missing(s, "Addresses", "an array") }
        var addresses: [(network: IPNetwork, text: String, source: WAFSource)] = []
        for a in list {
            guard let text = a.string, let net = IPNetwork(text) else {
                throw ctx.error(a, "expected an address in CIDR notation (192.0.2.0/24, 2001:db8::/32), found \(ctx.found(a))")
            }
            addresses.append((net, text, ctx.source(a)))
        }
        return IPSet(name: try ctx.string(s, "Name"), arn: try ctx.string(s, "ARN"), addresses: addresses, source: ctx.source(s))
    }

    /// Reads a regex pattern set from bytes.
    public static func regexPatternSet(_ bytes: [UInt8], file: String) throws -> RegexPatternSet {
        let root = try WAFJSON.parse(bytes, file: file)
        let (s, _) = try unwrap(root, "RegexPatternSet", file: file, what: "a regex pattern set (aws wafv2 get-regex-pattern-set output)")
        let ctx = Context(file: file)
        guard let list = s["RegularExpressionList"]?.array else { throw ctx.missing(s, "RegularExpressionList", "an array") }
        var patterns: [(text: String, source: WAFSource)] = []
        for r in list {
            let text = try ctx.string(r, "RegexString")
            try ctx.checkRegex(text, at: r["RegexString"] ?? r)
            patterns.append((text, ctx.source(r)))
        }
        return RegexPatternSet(name: try ctx.string(s, "Name"), arn: try ctx.string(s, "ARN"), patterns: patterns, source: ctx.source(s))
    }

    static func unwrap(_ root: WAFJSON, _ key: String, file: String, what: String) throws -> (WAFJSON, Bool) {
        guard case .object = root.kind else {
            throw InputError(file: file, line: root.line, column: root.column,
                             message: "$: expected \(what), found \(root.kindName)")
        }
        if let inner = root[key] {
            guard case .object = inner.kind else {
                throw InputError(file: file, line: inner.line, column: inner.column, message: "\(inner.path): expected an object, found \(inner.kindName)")
            }
            return (inner, true)
        }
        guard root["Name"] != nil else {
            throw InputError(file: file, line: root.line, column: root.column,
                             message: "$: expected \(what): an object with \"\(key)\" or \"Name\", found the keys \(root.keys.prefix(6).map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return (root, false)
    }

    struct Context {
        let file: String

        func source(_ n: WAFJSON) -> WAFSource { WAFSource(file: file, path: n.path, line: n.line) }

        func error(_ n: WAFJSON, _ message: String, help: String? = nil) -> InputError {
            InputError(file: file, line: n.line, column: n.column, message: "\(n.path): \(message)", help: help)
        }

        func found(_ n: WAFJSON) -> String {
            if let s = n.string { return InputError.quote(s) }
            return n.kindName
        }

        func missing(_ n: WAFJSON, _ key: String, _ what: String = "") -> InputError {
            if let v = n[key] { return error(v, "expected \(what.isEmpty ? "a value" : what), found \(found(v))") }
            return error(n, "expected the member \"\(key)\"\(what.isEmpty ? "" : " (\(what))"), found none")
        }

        func string(_ n: WAFJSON, _ key: String) throws -> String {
            guard let s = n[key]?.string else { throw missing(n, key, "a string") }
            return s
        }

        func int(_ n: WAFJSON, _ key: String) throws -> Int {
            guard let i = n[key]?.int else { throw missing(n, key, "an integer") }
            return i
        }

        func object(_ n: WAFJSON, _ key: String) throws -> WAFJSON {
            guard let v = n[key], case .object = v.kind else { throw missing(n, key, "an object") }
            return v
        }

        func strings(_ n: WAFJSON?) throws -> [String] {
            guard let n else { return [] }
            guard let a = n.array else { throw error(n, "expected an array of strings, found \(n.kindName)") }
            return try a.map { e in
                guard let s = e.string else { throw error(e, "expected a string, found \(e.kindName)") }
                return s
            }
        }

        func checkRegex(_ text: String, at n: WAFJSON) throws {
            do { _ = try Regex(text) } catch {
                throw self.error(n, "expected a regular expression, found \(InputError.quote(text)) (\(error))")
            }
        }

        func rules(_ owner: WAFJSON) throws -> [WAFRule] {
            guard let list = owner["Rules"] else { return [] }
            guard let items = list.array else { throw error(list, "expected an array of rules, found \(list.kindName)") }
            var rules = try items.map(rule)
            var seen: [Int: String] = [:]
            for r in rules {
                if let other = seen[r.priority] {
                    throw InputError(file: file, line: r.source.line,
                                     message: "\(r.source.path): rules \"\(other)\" and \"\(r.name)\" have the same Priority \(r.priority)",
                                     help: "AWS WAF refuses a web ACL whose rules share a priority")
                }
                seen[r.priority] = r.name
            }
            rules.sort { $0.priority < $1.priority }
            return rules
        }

        func rule(_ n: WAFJSON) throws -> WAFRule {
            guard case .object = n.kind else { throw error(n, "expected a rule object, found \(n.kindName)") }
            let name = try string(n, "Name")
            let priority = try int(n, "Priority")
            let statement = try self.statement(try object(n, "Statement"))
            var action: WAFAction? = nil
            var overrideCount: Bool? = nil
            if let a = n["Action"] { action = try self.action(a) }
            if let o = n["OverrideAction"] {
                let k = o.keys
                guard k.count == 1, k[0] == "None" || k[0] == "Count" else {
                    throw error(o, "expected an OverrideAction {\"None\": {}} or {\"Count\": {}}, found the keys \(k.joined(separator: ", "))")
                }
                overrideCount = k[0] == "Count"
            }
            switch statement {
            case .ruleGroupReference, .managedRuleGroup:
                if overrideCount == nil {
                    throw missing(n, "OverrideAction", "{\"None\": {}} or {\"Count\": {}} for a rule that uses a rule group")
                }
            default:
                if action == nil { throw missing(n, "Action", "an object such as {\"Block\": {}}") }
            }
            var labels: [String] = []
            if let l = n["RuleLabels"] {
                guard let items = l.array else { throw error(l, "expected an array of {\"Name\": ...}, found \(l.kindName)") }
                labels = try items.map { try string($0, "Name") }
            }
            return WAFRule(name: name, priority: priority, statement: statement, action: action, overrideCount: overrideCount,
                           labels: labels, source: source(n), json: n)
        }

        func action(_ n: WAFJSON) throws -> WAFAction {
            let k = n.keys
            guard k.count == 1, let inner = n[k[0]] else {
                throw error(n, "expected one action (Allow, Block, Count, Captcha, Challenge), found \(k.isEmpty ? "none" : k.joined(separator: ", "))")
            }
            switch k[0] {
            case "Allow": return .allow
            case "Count": return .count
            case "Captcha": return .captcha
            case "Challenge": return .challenge
            case "Block":
                guard let c = inner["CustomResponse"] else { return .block(nil) }
                var headers: [(name: String, value: String)] = []
                if let hs = c["ResponseHeaders"]?.array {
                    for h in hs { headers.append((try string(h, "Name"), try string(h, "Value"))) }
                }
                let code = try int(c, "ResponseCode")
                guard (200...599).contains(code) else { throw error(c["ResponseCode"]!, "expected a ResponseCode from 200 to 599, found \(code)") }
                return .block(CustomResponse(responseCode: code, bodyKey: c["CustomResponseBodyKey"]?.string, headers: headers))
            default:
                throw error(n, "expected one action (Allow, Block, Count, Captcha, Challenge), found \(InputError.quote(k[0]))")
            }
        }

        /// `AssociationConfig.RequestBody.{CLOUDFRONT,API_GATEWAY,…}.DefaultSizeInspectionLimit`, in bytes.
        func bodyLimits(_ acl: WAFJSON) throws -> [String: Int] {
            guard let ac = acl["AssociationConfig"] else { return [:] }
            guard case .object = ac.kind else { throw error(ac, "expected an object, found \(ac.kindName)") }
            guard let rb = ac["RequestBody"] else { return [:] }
            guard case .object(let members) = rb.kind else { throw error(rb, "expected an object of resource types, found \(rb.kindName)") }
            let keys = ["CLOUDFRONT", "API_GATEWAY", "COGNITO_USER_POOL", "APP_RUNNER_SERVICE", "VERIFIED_ACCESS_INSTANCE"]
            var out: [String: Int] = [:]
            for (key, v) in members {
                guard keys.contains(key) else {
                    throw error(v, "expected a resource type of AssociationConfig.RequestBody (\(keys.joined(separator: ", "))), found \(InputError.quote(key))")
                }
                let limit = try string(v, "DefaultSizeInspectionLimit")
                let sizes = ["KB_16": 16384, "KB_32": 32768, "KB_48": 49152, "KB_64": 65536]
                guard let bytes = sizes[limit] else {
                    throw error(v["DefaultSizeInspectionLimit"]!, "expected KB_16, KB_32, KB_48 or KB_64, found \(InputError.quote(limit))")
                }
                out[key] = bytes
            }
            return out
        }

        func bodies(_ n: WAFJSON) throws -> [String: CustomResponseBody] {
            guard let b = n["CustomResponseBodies"], case .object(let members) = b.kind else { return [:] }
            var out: [String: CustomResponseBody] = [:]
            for (key, v) in members { out[key] = CustomResponseBody(contentType: try string(v, "ContentType"), content: try string(v, "Content")) }
            return out
        }

        func overrides(_ n: WAFJSON) throws -> (excluded: [String], overrides: [(name: String, action: WAFAction)]) {
            var excluded: [String] = []
            if let e = n["ExcludedRules"] {
                guard let items = e.array else { throw error(e, "expected an array of {\"Name\": ...}, found \(e.kindName)") }
                excluded = try items.map { try string($0, "Name") }
            }
            var overrides: [(name: String, action: WAFAction)] = []
            if let o = n["RuleActionOverrides"] {
                guard let items = o.array else { throw error(o, "expected an array of {\"Name\", \"ActionToUse\"}, found \(o.kindName)") }
                for item in items { overrides.append((try string(item, "Name"), try action(try object(item, "ActionToUse")))) }
            }
            return (excluded, overrides)
        }

        static let statementKinds = ["ByteMatchStatement", "RegexMatchStatement", "RegexPatternSetReferenceStatement",
                                     "IPSetReferenceStatement", "GeoMatchStatement", "SizeConstraintStatement", "SqliMatchStatement",
                                     "XssMatchStatement", "LabelMatchStatement", "AsnMatchStatement", "AndStatement", "OrStatement", "NotStatement",
                                     "RuleGroupReferenceStatement", "RateBasedStatement", "ManagedRuleGroupStatement"]

        func statement(_ n: WAFJSON) throws -> Statement {
            let k = n.keys
            guard k.count == 1, let kind = k.first, let s = n[kind] else {
                throw error(n, "expected exactly one statement (\(Context.statementKinds.joined(separator: ", "))), found \(k.isEmpty ? "none" : k.map { InputError.quote($0) }.joined(separator: ", "))")
            }
            guard case .object = s.kind else { throw error(s, "expected an object, found \(s.kindName)") }
            let src = source(s)
            switch kind {
            case "ByteMatchStatement":
                let search = try byteSearch(s)
                let constraint = try string(s, "PositionalConstraint")
                guard ["EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CONTAINS_WORD"].contains(constraint) else {
                    throw error(s["PositionalConstraint"]!, "expected EXACTLY, STARTS_WITH, ENDS_WITH, CONTAINS or CONTAINS_WORD, found \(InputError.quote(constraint))")
                }
                return .byteMatch(search: search, constraint: constraint, field: try field(s), transforms: try transforms(s), source: src)
            case "RegexMatchStatement":
                let pattern = try string(s, "RegexString")
                try checkRegex(pattern, at: s["RegexString"]!)
                return .regexMatch(pattern: pattern, field: try field(s), transforms: try transforms(s), source: src)
            case "RegexPatternSetReferenceStatement":
                return .regexSetReference(arn: try string(s, "ARN"), field: try field(s), transforms: try transforms(s), source: src)
            case "IPSetReferenceStatement":
                return .ipSetReference(arn: try string(s, "ARN"), forwarded: try forwarded(s["IPSetForwardedIPConfig"], ipSet: true), source: src)
            case "GeoMatchStatement":
                let codes = try strings(s["CountryCodes"])
                guard !codes.isEmpty else { throw missing(s, "CountryCodes", "an array of ISO 3166 alpha-2 codes") }
                return .geoMatch(countries: codes, forwarded: try forwarded(s["ForwardedIPConfig"], ipSet: false), source: src)
            case "AsnMatchStatement":
                guard let list = s["AsnList"]?.array, !list.isEmpty else { throw missing(s, "AsnList", "a non-empty array of AS numbers") }
                let asns = try list.map { e -> Int in
                    guard let n = e.int, n >= 0, n <= 4_294_967_295 else { throw error(e, "expected an AS number from 0 to 4294967295, found \(found(e))") }
                    return n
                }
                return .asnMatch(asns: asns, forwarded: try forwarded(s["ForwardedIPConfig"], ipSet: false), source: src)
            case "SizeConstraintStatement":
                let op = try string(s, "ComparisonOperator")
                guard ["EQ", "NE", "LE", "LT", "GE", "GT"].contains(op) else {
                    throw error(s["ComparisonOperator"]!, "expected EQ, NE, LE, LT, GE or GT, found \(InputError.quote(op))")
                }
                return .sizeConstraint(op: op, size: try int(s, "Size"), field: try field(s), transforms: try transforms(s), source: src)
            case "SqliMatchStatement":
                let level = s["SensitivityLevel"] == nil ? "LOW" : try string(s, "SensitivityLevel")
                guard level == "LOW" || level == "HIGH" else { throw error(s["SensitivityLevel"]!, "expected LOW or HIGH, found \(InputError.quote(level))") }
                return .sqliMatch(field: try field(s), transforms: try transforms(s), sensitivity: level, source: src)
            case "XssMatchStatement":
                return .xssMatch(field: try field(s), transforms: try transforms(s), source: src)
            case "LabelMatchStatement":
                let scope = try string(s, "Scope")
                guard scope == "LABEL" || scope == "NAMESPACE" else { throw error(s["Scope"]!, "expected LABEL or NAMESPACE, found \(InputError.quote(scope))") }
                return .labelMatch(scope: scope, key: try string(s, "Key"), source: src)
            case "AndStatement", "OrStatement":
                guard let list = s["Statements"]?.array else { throw missing(s, "Statements", "an array of statements") }
                guard list.count >= 2 else { throw error(s["Statements"]!, "expected at least two statements, found \(list.count)") }
                let inner = try list.map(statement)
                return kind == "AndStatement" ? .and(inner, source: src) : .or(inner, source: src)
            case "NotStatement":
                return .not(try statement(try object(s, "Statement")), source: src)
            case "RuleGroupReferenceStatement":
                let o = try overrides(s)
                return .ruleGroupReference(arn: try string(s, "ARN"), excluded: o.excluded, overrides: o.overrides, source: src)
            case "RateBasedStatement":
                let limit = try int(s, "Limit")
                let window = s["EvaluationWindowSec"]?.int ?? 300
                let aggregate = s["AggregateKeyType"]?.string ?? "IP"
                let scope = try s["ScopeDownStatement"].map(statement)
                return .rateBased(limit: limit, window: window, aggregate: aggregate, scopeDown: scope,
                                  forwarded: try forwarded(s["ForwardedIPConfig"], ipSet: false), source: src)
            case "ManagedRuleGroupStatement":
                let o = try overrides(s)
                return .managedRuleGroup(vendor: try string(s, "VendorName"), name: try string(s, "Name"), version: s["Version"]?.string,
                                         excluded: o.excluded, overrides: o.overrides,
                                         scopeDown: try s["ScopeDownStatement"].map(statement), source: src)
            default:
                throw error(n, "expected a statement AWS WAF knows (\(Context.statementKinds.joined(separator: ", "))), found \(InputError.quote(kind))",
                            help: "statements newer than AsnMatchStatement are not evaluated by this version")
            }
        }

        /// `SearchString`: Base64 in `aws wafv2` output (the API's blob type); a value that is not
        /// Base64 is refused, since the CLI never prints one.
        func byteSearch(_ s: WAFJSON) throws -> [UInt8] {
            let text = try string(s, "SearchString")
            guard let bytes = Base64.decode(Array(text.utf8), forgiving: false), !bytes.isEmpty else {
                throw error(s["SearchString"]!, "expected the Base64 of the search string (aws wafv2 prints SearchString in Base64), found \(InputError.quote(text))",
                            help: "encode it: printf '%s' 'text' | base64")
            }
            return bytes
        }

        func transforms(_ s: WAFJSON) throws -> [TextTransformation] {
            guard let t = s["TextTransformations"] else { throw missing(s, "TextTransformations", "an array (use [{\"Priority\": 0, \"Type\": \"NONE\"}] for none)") }
            guard let items = t.array else { throw error(t, "expected an array of transformations, found \(t.kindName)") }
            var out: [TextTransformation] = []
            for item in items {
                let type = try string(item, "Type")
                guard Transformations.known.contains(type) else {
                    throw error(item["Type"]!, "expected a text transformation type (\(Transformations.known.joined(separator: ", "))), found \(InputError.quote(type))")
                }
                let p = try int(item, "Priority")
                if out.contains(where: { $0.priority == p }) { throw error(item, "expected distinct priorities, found Priority \(p) twice") }
                out.append(TextTransformation(priority: p, type: type))
            }
            return out.sorted { $0.priority < $1.priority }
        }

        func forwarded(_ n: WAFJSON?, ipSet: Bool) throws -> ForwardedIPConfig? {
            guard let n else { return nil }
            let fallback = try string(n, "FallbackBehavior")
            guard fallback == "MATCH" || fallback == "NO_MATCH" else { throw error(n["FallbackBehavior"]!, "expected MATCH or NO_MATCH, found \(InputError.quote(fallback))") }
            var position = "FIRST"
            if ipSet {
                position = try string(n, "Position")
                guard ["FIRST", "LAST", "ANY"].contains(position) else { throw error(n["Position"]!, "expected FIRST, LAST or ANY, found \(InputError.quote(position))") }
            }
            return ForwardedIPConfig(headerName: try string(n, "HeaderName"), fallbackMatches: fallback == "MATCH", position: position)
        }

        func field(_ s: WAFJSON) throws -> FieldToMatch {
            let f = try object(s, "FieldToMatch")
            let k = f.keys
            guard k.count == 1, let kind = k.first, let v = f[kind] else {
                throw error(f, "expected exactly one request component in FieldToMatch, found \(k.isEmpty ? "none" : k.joined(separator: ", "))")
            }
            switch kind {
            case "UriPath": return .uriPath
            case "QueryString": return .queryString
            case "Method": return .method
            case "Body": return .body(oversize: try oversize(v))
            case "AllQueryArguments": return .allQueryArguments
            case "SingleHeader": return .singleHeader(try string(v, "Name"))
            case "SingleQueryArgument": return .singleQueryArgument(try string(v, "Name"))
            case "Headers", "Cookies":
                let mp = try object(v, "MatchPattern")
                let incl = kind == "Headers" ? "IncludedHeaders" : "IncludedCookies"
                let excl = kind == "Headers" ? "ExcludedHeaders" : "ExcludedCookies"
                let pattern: MatchPattern
                if mp["All"] != nil { pattern = .all }
                else if let i = mp[incl] { pattern = .included(try strings(i)) }
                else if let e = mp[excl] { pattern = .excluded(try strings(e)) }
                else { throw error(mp, "expected All, \(incl) or \(excl), found \(mp.keys.joined(separator: ", "))") }
                let scope = try matchScope(v)
                return kind == "Headers" ? .headers(pattern, scope, oversize: try oversize(v)) : .cookies(pattern, scope, oversize: try oversize(v))
            case "JsonBody":
                let mp = try object(v, "MatchPattern")
                let pattern: MatchPattern
                if mp["All"] != nil { pattern = .all }
                else if let i = mp["IncludedPaths"] { pattern = .included(try strings(i)) }
                else { throw error(mp, "expected All or IncludedPaths, found \(mp.keys.joined(separator: ", "))") }
                var fallback: String? = nil
                if v["InvalidFallbackBehavior"] != nil {
                    let f = try string(v, "InvalidFallbackBehavior")
                    guard ["MATCH", "NO_MATCH", "EVALUATE_AS_STRING"].contains(f) else {
                        throw error(v["InvalidFallbackBehavior"]!, "expected MATCH, NO_MATCH or EVALUATE_AS_STRING, found \(InputError.quote(f))")
                    }
                    fallback = f
                }
                return .jsonBody(pattern, try matchScope(v), invalidFallback: fallback, oversize: try oversize(v))
            case "JA3Fingerprint", "JA4Fingerprint", "HeaderOrder", "UriFragment":
                return .unavailable(kind)
            default:
                throw error(f, "expected a request component (UriPath, QueryString, SingleHeader, Headers, Cookies, Method, Body, JsonBody, SingleQueryArgument, AllQueryArguments, JA3Fingerprint), found \(InputError.quote(kind))")
            }
        }

        /// `OversizeHandling` of a component (CONTINUE when absent, AWS's default).
        func oversize(_ v: WAFJSON) throws -> OversizeHandling {
            guard v["OversizeHandling"] != nil else { return .continue }
            let text = try string(v, "OversizeHandling")
            guard let o = OversizeHandling(rawValue: text) else {
                throw error(v["OversizeHandling"]!, "expected CONTINUE, MATCH or NO_MATCH, found \(InputError.quote(text))")
            }
            return o
        }

        func matchScope(_ v: WAFJSON) throws -> MatchScope {
            let text = try string(v, "MatchScope")
            guard let scope = MatchScope(rawValue: text) else { throw error(v["MatchScope"]!, "expected ALL, KEY or VALUE, found \(InputError.quote(text))") }
            return scope
        }
    }
}
