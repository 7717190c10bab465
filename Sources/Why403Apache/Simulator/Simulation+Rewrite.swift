import Why403Core
import Why403FileSystem

extension Simulation {
    /// How a run of RewriteRules ended: a decided outcome, a new URI, a file name, or nothing matched.
    enum RewriteOutcome { case stop(Outcome), uri(String), file(String), none }

    /// fixups: per-directory mod_rewrite for the file the walk reached, once per request (not again
    /// after the internal redirect it causes). Refused (AH00670) when neither FollowSymLinks nor
    /// SymLinksIfOwnerMatch is on; a changed URI or file name is an internal redirect.
    mutating func perDirectoryRewrite(_ walk: DirectoryWalk, uri: String, alreadyDone: Bool) -> FileResult? {
        let dc = walk.dc
        let finalPath = walk.finalPath
        guard let rw = dc.rewrite, rw.engine == true, !rw.rules.isEmpty, !alreadyDone else { return nil }
        if !dc.options.contains("followsymlinks") && !dc.options.contains("symlinksifownermatch") {
            var ev = rw.rules.prefix(1).map { $0.rule.evidence }
            if let o = dc.optionsSource { ev.append(o.evidence) }
            return .done(Outcome(status: 403, findings: [Finding(
                cause: .accessDeny, layer: .apache, confidence: .certain,
                summary: "RewriteRule in directory context with Options FollowSymLinks and SymLinksIfOwnerMatch both off: AH00670 Options FollowSymLinks and SymLinksIfOwnerMatch are both off, so the RewriteRule directive is also forbidden due to its similar ability to circumvent directory restrictions",
                evidence: ev, fixes: [Fix(summary: "turn on Options +SymLinksIfOwnerMatch (or +FollowSymLinks) for this directory")], rule: "AH00670")]))
        }
        switch applyRewrite(rw, uri: uri, filename: walk.isDir ? finalPath + "/" : finalPath, perDir: true) {
        case .stop(let o): return .done(o)
        case .uri(let u): if u != uri { return .internalRedirect(u) }
        case .file(let f): if f != finalPath { return .internalRedirect(f) }
        case .none: break
        }
        return nil
    }

    /// mod_rewrite in server context (translate_name) or per-directory context (fixups), for the
    /// flags that decide access: [F] 403, [G] 410, [R] redirect, [L]/[END] stop, substitutions as
    /// internal redirects. Chains ([C]), skips ([S]) and [N] loops are not modelled (a note says so).
    mutating func applyRewrite(_ rw: RewriteConfig, uri: String, filename: String?, perDir: Bool) -> RewriteOutcome {
        var current: String
        let dir = rw.dir ?? "/"
        if perDir, let filename {
            // In directory context the pattern sees the path below the directory, without its prefix.
            current = filename.hasPrefix(dir) ? String(filename.dropFirst(dir.count)) : filename
            // Options FollowSymLinks or SymLinksIfOwnerMatch must be on (AH00670).
        } else {
            current = uri
        }
        var changed = false
        var matchedRules: [Evidence] = []
        for def in rw.rules {
            let d = def.rule
            guard d.args.count >= 2 else { continue }
            var pattern = d.args[0]
            let substitution = d.args[1]
            let flags = Self.flags(d.args.count > 2 ? d.args[2] : "")
            var negate = false
            if pattern.hasPrefix("!") { negate = true; pattern.removeFirst() }
            guard let re = ApacheRegex(pattern, caseInsensitive: flags["nc"] != nil || flags["nocase"] != nil) else {
                uncertain.append("\(d.location): the RewriteRule pattern \(InputError.quote(pattern)) could not be compiled here; rule skipped")
                continue
            }
            var caps = re.captures(current)
            if negate { caps = caps == nil ? [current] : nil }
            guard let ruleCaps = caps else { continue }
            if flags.keys.contains(where: { ["c", "chain", "s", "skip", "n", "next"].contains($0) }) {
                uncertain.append("\(d.location): RewriteRule flags [C]/[S]/[N] are not modelled")
            }
            // Conditions, grouped by [OR].
            var condCaps: [String] = []
            var ok = true
            var groupOK = false
            var inGroup = false
            var condEvidence: [ApacheDirective] = []
            for (i, c) in def.conds.enumerated() {
                let cflags = Self.flags(c.args.count > 2 ? c.args[2] : "")
                let isOr = cflags["or"] != nil || cflags["ornext"] != nil
                let (r, caps) = evalCond(c, ruleCaps: ruleCaps, condCaps: condCaps, nc: cflags["nc"] != nil || cflags["nocase"] != nil,
                                         filename: filename ?? uri, uri: uri)
                if r { condEvidence.append(c); if let caps { condCaps = caps } }
                groupOK = groupOK || r
                inGroup = true
                if !isOr || i == def.conds.count - 1 {
                    if !groupOK { ok = false; break }
                    groupOK = false
                    inGroup = false
                }
            }
            _ = inGroup
            guard ok else { continue }
            let ev = def.conds.map { $0.evidence } + [d.evidence]
            matchedRules += ev
            if flags["f"] != nil || flags["forbidden"] != nil {
                let cause = rewriteCause(def.conds)
                let what: String
                switch cause {
                case .hotlinkReferer: what = "hotlink protection on the Referer header"
                case .botBlock: what = "a User-Agent block"
                case .accessIP: what = "an address block"
                default: what = "a forbidding rule"
                }
                return .stop(Outcome(status: 403, findings: [Finding(
                    cause: cause, layer: .apache, confidence: .certain,
                    summary: "mod_rewrite answers 403 with the [F] flag (\(what))\(perDir ? " in \(dir)" : " in server context")",
                    evidence: ev,
                    fixes: [Fix(summary: "narrow the RewriteCond/RewriteRule so this request does not match, or remove the rule if it is not wanted",
                                patch: "--- a\(d.location.file)\n+++ b\(d.location.file)\n@@ line \(d.location.line) @@\n-\(d.text)\n")],
                    rule: "rewrite-F")]))
            }
            if flags["g"] != nil || flags["gone"] != nil {
                return .stop(Outcome(status: 410, findings: [Finding(cause: .none, layer: .apache, confidence: .certain,
                    summary: "mod_rewrite answers 410 Gone with the [G] flag", evidence: ev, rule: "rewrite-G")]))
            }
            var target = substitution
            if target != "-" {
                target = expand(target, ruleCaps: ruleCaps, condCaps: condCaps, uri: uri, filename: filename ?? uri)
            }
            if let r = flags["r"] ?? flags["redirect"] {
                let code = Int(r) ?? 302
                return .stop(Outcome(status: code, findings: [Finding(cause: .none, layer: .apache, confidence: .certain,
                    summary: "mod_rewrite redirects (\(code)) to \(target)", evidence: ev, rule: "rewrite-R")]))
            }
            if target.contains("://") {
                return .stop(Outcome(status: 302, findings: [Finding(cause: .none, layer: .apache, confidence: .certain,
                    summary: "mod_rewrite redirects to \(target)", evidence: ev, rule: "rewrite-R")]))
            }
            if target != "-" {
                if let q = target.firstIndex(of: "?") { target = String(target[..<q]) }
                if perDir && !target.hasPrefix("/") {
                    let baseURI = rw.base ?? uriOfDirectory(dir, uri: uri, filename: filename ?? uri)
                    target = (baseURI.hasSuffix("/") ? baseURI : baseURI + "/") + target
                }
                current = target
                changed = true
                notes.append("\(d.location): \(d.text) rewrites to \(target)")
            }
            if flags["l"] != nil || flags["last"] != nil || flags["end"] != nil { break }
        }
        _ = matchedRules
        guard changed else { return .none }
        if !perDir {
            // Server context: a substitution whose first segment exists at / is a file path.
            let first = "/" + (current.split(separator: "/").first.map(String.init) ?? "")
            if first != "/", fs.info(first) != nil { return .file(current) }
        }
        return .uri(current)
    }

    /// The URL-path of a per-directory context: what the request URI has before the part below `dir`.
    func uriOfDirectory(_ dir: String, uri: String, filename: String) -> String {
        let below = filename.hasPrefix(dir) ? String(filename.dropFirst(dir.count)) : ""
        if uri.hasSuffix(below) { return String(uri.dropLast(below.count)) }
        return "/"
    }

    static func flags(_ s: String) -> [String: String] {
        guard s.hasPrefix("[") && s.hasSuffix("]") else { return [:] }
        var out: [String: String] = [:]
        for f in s.dropFirst().dropLast().split(separator: ",") {
            let kv = f.split(separator: "=", maxSplits: 1)
            out[kv[0].lowercased().trimmingSpaces] = kv.count > 1 ? String(kv[1]) : ""
        }
        return out
    }

    func rewriteCause(_ conds: [ApacheDirective]) -> Cause {
        let tests = conds.map { ($0.args.first ?? "").uppercased() }
        if tests.contains(where: { $0.contains("HTTP_REFERER") || $0.contains("HTTP:REFERER") }) { return .hotlinkReferer }
        if tests.contains(where: { $0.contains("HTTP_USER_AGENT") || $0.contains("HTTP:USER-AGENT") }) { return .botBlock }
        if tests.contains(where: { $0.contains("REMOTE_ADDR") || $0.contains("REMOTE_HOST") }) { return .accessIP }
        return .accessDeny
    }

    func variable(_ name: String, uri: String, filename: String) -> String {
        let n = name.uppercased()
        if n.hasPrefix("HTTP:") { return req.header(String(name.dropFirst(5))) ?? "" }
        if n.hasPrefix("ENV:") { return env[String(name.dropFirst(4))] ?? "" }
        switch n {
        case "HTTP_REFERER": return req.header("Referer") ?? ""
        case "HTTP_USER_AGENT": return req.header("User-Agent") ?? ""
        case "HTTP_HOST": return req.header("Host") ?? req.host
        case "HTTP_COOKIE": return req.header("Cookie") ?? ""
        case "HTTP_ACCEPT": return req.header("Accept") ?? ""
        case "REMOTE_ADDR": return clientIP
        case "REMOTE_HOST": return clientIP
        case "REQUEST_URI": return uri
        case "REQUEST_FILENAME", "SCRIPT_FILENAME": return filename
        case "REQUEST_METHOD": return req.method
        case "QUERY_STRING": return req.query ?? ""
        case "SERVER_PORT": return String(req.port)
        case "SERVER_NAME": return req.host
        case "HTTPS": return req.scheme == "https" ? "on" : "off"
        case "THE_REQUEST": return "\(req.method) \(req.rawPath)\(req.query.map { "?" + $0 } ?? "") HTTP/1.1"
        case "REQUEST_SCHEME": return req.scheme
        case "SERVER_PROTOCOL": return "HTTP/1.1"
        default: return ""
        }
    }

    func expand(_ s: String, ruleCaps: [String], condCaps: [String], uri: String, filename: String) -> String {
        var out = ""
        var chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count { out.append(chars[i + 1]); i += 2; continue }
            if (c == "$" || c == "%"), i + 1 < chars.count, let n = chars[i + 1].wholeNumberValue {
                let caps = c == "$" ? ruleCaps : condCaps
                out += n < caps.count ? caps[n] : ""
                i += 2
                continue
            }
            if c == "%", i + 1 < chars.count, chars[i + 1] == "{", let close = chars[(i + 2)...].firstIndex(of: "}") {
                out += variable(String(chars[(i + 2)..<close]), uri: uri, filename: filename)
                i = close + 1
                continue
            }
            out.append(c)
            i += 1
        }
        chars = []
        return out
    }

    mutating func evalCond(_ c: ApacheDirective, ruleCaps: [String], condCaps: [String], nc: Bool,
                           filename: String, uri: String) -> (Bool, [String]?) {
        guard c.args.count >= 2 else { return (false, nil) }
        let value = expand(c.args[0], ruleCaps: ruleCaps, condCaps: condCaps, uri: uri, filename: filename)
        var pattern = c.args[1]
        var negate = false
        if pattern.hasPrefix("!") { negate = true; pattern.removeFirst() }
        func result(_ b: Bool) -> Bool { b != negate }
        switch pattern {
        case "-f", "-F": return (result(finalKind(value)?.kind == .regular), nil)
        case "-d": return (result(finalKind(value)?.kind == .directory), nil)
        case "-s": return (result((finalKind(value)?.size ?? 0) > 0 && finalKind(value)?.kind == .regular), nil)
        case "-l", "-L", "-h": return (result(fs.info(value)?.kind == .symlink), nil)
        case "-x": return (result(((finalKind(value)?.mode ?? 0) & 0o111) != 0), nil)
        case "-U", "-u": uncertain.append("\(c.location): RewriteCond -U needs a subrequest; assumed false"); return (result(false), nil)
        default: break
        }
        if pattern.hasPrefix("=") { return (result(nc ? value.lowercased() == pattern.dropFirst().lowercased() : value == pattern.dropFirst()), nil) }
        if pattern.hasPrefix("<") && !pattern.hasPrefix("<=") { return (result(value < String(pattern.dropFirst())), nil) }
        if pattern.hasPrefix(">") && !pattern.hasPrefix(">=") { return (result(value > String(pattern.dropFirst())), nil) }
        guard let re = ApacheRegex(pattern, caseInsensitive: nc) else {
            uncertain.append("\(c.location): the RewriteCond pattern \(InputError.quote(pattern)) could not be compiled here; assumed false")
            return (false, nil)
        }
        let caps = re.captures(value)
        return (result(caps != nil), negate ? nil : caps)
    }

    // MARK: ap_expr (the common cases of <If> and Require expr)

    /// Evaluates the usual `ap_expr` forms: `%{VAR}` and `%{HTTP:Name}` compared with `==`, `!=`,
    /// `=~`, `!~`, `-ipmatch`, `-R`, `-strmatch`, joined by `&&`, `||`, `!` and parentheses.
    /// nil when the expression uses something else.
    func evalExpr(_ text: String) -> Bool? {
        var t = text.trimmingSpaces
        if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { t = String(t.dropFirst().dropLast()).trimmingSpaces }
        if let parts = splitTop(t, "||") { 
            var any = false
            for p in parts { guard let v = evalExpr(p) else { return nil }; any = any || v }
            return any
        }
        if let parts = splitTop(t, "&&") {
            var all = true
            for p in parts { guard let v = evalExpr(p) else { return nil }; all = all && v }
            return all
        }
        if t.hasPrefix("!") && !t.hasPrefix("!=") { return evalExpr(String(t.dropFirst())).map { !$0 } }
        if t.hasPrefix("(") && t.hasSuffix(")") { return evalExpr(String(t.dropFirst().dropLast())) }
        if t == "true" { return true }
        if t == "false" { return false }
        for op in ["=~", "!~", "==", "!=", "-ipmatch", "-R", "-strmatch", "-strcmatch", "-in"] {
            guard let r = t.range(of: " \(op) ") ?? (op.hasPrefix("-") ? nil : t.range(of: op)) else { continue }
            let lhs = operand(String(t[..<r.lowerBound]).trimmingSpaces)
            let rhsRaw = String(t[r.upperBound...]).trimmingSpaces
            guard let l = lhs else { return nil }
            switch op {
            case "=~", "!~":
                guard let (pattern, nc) = regexLiteral(rhsRaw), let re = ApacheRegex(pattern, caseInsensitive: nc) else { return nil }
                return re.matches(l) == (op == "=~")
            case "==", "!=":
                guard let rv = operand(rhsRaw) else { return nil }
                return (l == rv) == (op == "==")
            case "-ipmatch", "-R":
                guard let rv = operand(rhsRaw) else { return nil }
                return IPMatch.matches(spec: rv, ip: op == "-R" ? clientIP : l) ?? false
            case "-strmatch", "-strcmatch":
                guard let rv = operand(rhsRaw) else { return nil }
                return op == "-strmatch" ? fnmatchSwift(rv, l) : fnmatchSwift(rv.lowercased(), l.lowercased())
            default: return nil
            }
        }
        if t.hasPrefix("-R ") { return operand(String(t.dropFirst(3)).trimmingSpaces).map { IPMatch.matches(spec: $0, ip: clientIP) ?? false } }
        return nil
    }

    func fnmatchSwift(_ pattern: String, _ s: String) -> Bool {
        ApacheRegex("^" + pattern.map { c -> String in
            switch c { case "*": ".*"; case "?": "."; default: "\\Q\(c)\\E" }
        }.joined() + "$")?.matches(s) ?? false
    }

    func splitTop(_ t: String, _ op: String) -> [String]? {
        var parts: [String] = []
        var depth = 0, quote: Character? = nil
        var cur = ""
        let chars = Array(t)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote { cur.append(c); if c == q { quote = nil }; i += 1; continue }
            if c == "'" || c == "\"" { quote = c }
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if depth == 0, i + op.count <= chars.count, String(chars[i..<(i + op.count)]) == op {
                parts.append(cur); cur = ""; i += op.count; continue
            }
            cur.append(c)
            i += 1
        }
        parts.append(cur)
        return parts.count > 1 ? parts : nil
    }

    func operand(_ s: String) -> String? {
        if (s.hasPrefix("'") && s.hasSuffix("'")) || (s.hasPrefix("\"") && s.hasSuffix("\"")), s.count >= 2 {
            return String(s.dropFirst().dropLast())
        }
        if s.hasPrefix("%{") && s.hasSuffix("}") {
            return variable(String(s.dropFirst(2).dropLast()), uri: currentURIForExpr, filename: "")
        }
        if s.hasPrefix("-") { return nil }
        return s.allSatisfy { $0.isNumber || $0.isLetter || $0 == "." || $0 == "/" || $0 == ":" } ? s : nil
    }

    var currentURIForExpr: String { Self.normalize(Self.percentDecode(req.rawPath) ?? req.rawPath) }

    func regexLiteral(_ s: String) -> (String, Bool)? {
        var t = s
        if t.hasPrefix("m"), t.count > 2 { t.removeFirst() }
        guard let delim = t.first, !delim.isLetter, !delim.isNumber else { return nil }
        t.removeFirst()
        guard let end = t.lastIndex(of: delim) else { return nil }
        let flags = t[t.index(after: end)...]
        return (String(t[..<end]), flags.contains("i"))
    }
}
