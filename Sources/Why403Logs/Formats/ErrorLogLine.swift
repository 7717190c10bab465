import Why403Core

/// What an error-log line says about one refused request.
struct ErrorEvent: Sendable {
    var cause: Cause
    var layer: Layer
    var confidence: Confidence
    /// Stable id of the message (`nginx-access-forbidden-by-rule`, `AH01630`, `modsecurity-949110`).
    var rule: String
    /// The status this refusal gives, when the message fixes it (nil: depends on the configuration).
    var status: Int?
    var time: LogTime?
    var client: String?
    var server: String?
    var request: String?
    var host: String?
    /// The URI path, from the request or the message.
    var path: String?
    /// The file or directory the message names (for the fix).
    var target: String?
    /// The user of a failed login, as the message names it.
    var user: String?
    /// Extra words for the finding (ModSecurity msg, data, tags; the limit_req zone).
    var detail: String?
    /// A ModSecurity match that did not itself deny (a CRS rule adding to the anomaly score).
    var isWarningOnly = false
    /// ModSecurity's `[unique_id "…"]` (the key of the audit log's transaction).
    var uniqueId: String? = nil
    /// The User-Agent, where the source names it (the audit log).
    var userAgent: String? = nil
    /// ModSecurity audit log: the rules that scored, `ID msg`.
    var scored: [String]? = nil
}

/// Recognises nginx, Apache 2.4 and ModSecurity error-log lines and maps the messages that explain a
/// refusal to report-v1 causes.
///
/// Sources followed: nginx `ngx_http_access_module`, `ngx_http_index_module`, `ngx_http_static_module`,
/// `ngx_http_limit_req_module`, `ngx_http_auth_basic_module` messages; Apache's message ids (AHxxxxx) in
/// `mod_authz_core`, `mod_access_compat`, `mod_autoindex`/`mod_dir`, `core` (`ap_directory_walk`),
/// `mod_authn_file`, `mod_auth_basic`; ModSecurity v2/v3 audit lines and the OWASP CRS 949110/959100
/// blocking-evaluation rules. Each message was checked against real nginx and Apache on this machine
/// (`LogsRealServerTests`).
enum ErrorLogLine {
    enum Kind { case nginx, apache, notError }

    /// Whether the line starts like an nginx (`2026/11/29 09:30:17 [error]`) or Apache (`[Sun Nov 29 …`) error-log line.
    static func kind(_ line: ByteLine) -> Kind {
        if line.count >= 21, line[4] == 0x2F, line[7] == 0x2F, line[10] == 0x20, line[13] == 0x3A, line[19] == 0x20,
           line[20] == 0x5B, line.integer(0, 4) != nil { return .nginx }
        if line.count >= 26, line[0] == 0x5B, line[4] == 0x20, line[8] == 0x20, line[11] == 0x20, line[14] == 0x3A,
           LogTime.month(line, at: 5) != nil { return .apache }
        return .notError
    }

    /// The event a line reports, or nil when the line is not about a refused request.
    static func parse(_ line: ByteLine, kind: Kind) -> ErrorEvent? {
        // Cheap byte test first: every message about a request names its client.
        switch kind {
        case .nginx: guard line.firstIndex(of: clientMarker, from: 20) != nil else { return nil }
        case .apache:
            guard line.firstIndex(of: apacheClientMarker, from: 20) != nil || line.firstIndex(of: modsecMarker, from: 20) != nil
            else { return nil }
        case .notError: return nil
        }
        let text = line.text
        switch kind {
        case .nginx: return nginx(line, text)
        case .apache: return apache(line, text)
        case .notError: return nil
        }
    }

    static let clientMarker = Array(", client: ".utf8)
    static let apacheClientMarker = Array("[client ".utf8)
    static let modsecMarker = Array("ModSecurity: ".utf8)

    // MARK: nginx

    static func nginx(_ line: ByteLine, _ text: String) -> ErrorEvent? {
        guard let y = line.integer(0, 4), let mo = line.integer(5, 7), let d = line.integer(8, 10),
              let h = line.integer(11, 13), let mi = line.integer(14, 16), let s = line.integer(17, 19) else { return nil }
        let wall = LogTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        // "YYYY/MM/DD HH:MM:SS [level] pid#tid: *cid message, client: …"
        guard let msgStart = text.range(of: ": ")?.upperBound else { return nil }
        var message = text[msgStart...]
        if message.hasPrefix("*"), let sp = message.firstIndex(of: " ") { message = message[message.index(after: sp)...] }
        let fields = nginxFields(String(message))
        var ev: ErrorEvent
        let m = fields.message
        if m.contains("ModSecurity: ") {
            guard var mod = modsecurity(String(m)) else { return nil }
            mod.layer = .modsecurity
            ev = mod
        } else if m.hasPrefix("access forbidden by rule") {
            ev = ErrorEvent(cause: .accessIP, layer: .nginx, confidence: .likely, rule: "nginx-access-forbidden-by-rule", status: 403)
        } else if m.hasPrefix("directory index of ") && m.hasSuffix(" is forbidden") {
            ev = ErrorEvent(cause: .indexMissing, layer: .nginx, confidence: .certain, rule: "nginx-directory-index-forbidden", status: 403)
            ev.target = quoted(m)
        } else if m.contains("(13: Permission denied)") && (m.hasPrefix("open() ") || m.hasSuffix("is forbidden (13: Permission denied)")
                                                              || m.hasPrefix("stat() ")) {
            ev = ErrorEvent(cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: "nginx-permission-denied", status: 403)
            ev.target = quoted(m)
        } else if m.hasPrefix("openat() ") && m.contains("(40: Too many levels of symbolic links)") {
            // openat() is how nginx opens files under disable_symlinks (on, or if_not_owner: a link
            // whose owner differs is refused with ELOOP too): the policy refused a link on the path.
            ev = ErrorEvent(cause: .fsSymlink, layer: .nginx, confidence: .certain, rule: "nginx-symlink-refused", status: 403)
            ev.target = quoted(m)
        } else if m.contains("(40: Too many levels of symbolic links)") {
            // A plain open() failing with ELOOP: the link loops (or chains more than 40 links).
            ev = ErrorEvent(cause: .fsSymlink, layer: .filesystem, confidence: .certain, rule: "nginx-symlink-loop", status: 403)
            ev.target = quoted(m)
        } else if m.contains("(13: Permission denied)") && m.contains("symlink") {
            ev = ErrorEvent(cause: .fsSymlink, layer: .nginx, confidence: .likely, rule: "nginx-symlink-refused", status: 403)
            ev.target = quoted(m)
        } else if m.hasPrefix("limiting requests") {
            ev = ErrorEvent(cause: .rateLimit, layer: .nginx, confidence: .certain, rule: "nginx-limit-req", status: nil)
            ev.detail = zone(m)
        } else if m.hasPrefix("limiting connections") {
            ev = ErrorEvent(cause: .rateLimit, layer: .nginx, confidence: .certain, rule: "nginx-limit-conn", status: nil)
            ev.detail = zone(m)
        } else if m.hasPrefix("no user/password was provided for basic authentication") {
            ev = ErrorEvent(cause: .authMissing, layer: .nginx, confidence: .certain, rule: "nginx-auth-basic-missing", status: 401)
        } else if m.hasPrefix("user \"") && m.contains("\" was not found in \"") {
            ev = ErrorEvent(cause: .authInvalid, layer: .nginx, confidence: .certain, rule: "nginx-auth-basic-user-not-found", status: 401)
            ev.target = nthQuoted(m, 1)
            ev.user = nthQuoted(m, 0)
        } else if m.hasPrefix("user \"") && m.hasSuffix("password mismatch") {
            ev = ErrorEvent(cause: .authInvalid, layer: .nginx, confidence: .certain, rule: "nginx-auth-basic-password-mismatch", status: 401)
            ev.user = nthQuoted(m, 0)
        } else if m.hasPrefix("auth request unexpected status: 403") || m.hasPrefix("auth request unexpected status: 401") {
            ev = ErrorEvent(cause: .appForbidden, layer: .application, confidence: .likely, rule: "nginx-auth-request", status: nil)
        } else {
            return nil
        }
        ev.time = LogTime(utc: wall, wall: wall)
        ev.client = fields.client ?? ev.client
        ev.server = fields.server
        ev.request = fields.request ?? ev.request
        ev.host = fields.host ?? ev.host
        if let r = ev.request {
            let parts = r.split(separator: " ", maxSplits: 2)
            if parts.count >= 2 { ev.path = String(parts[1]) }
        }
        return ev
    }

    /// Splits "message, client: X, server: Y, request: "…", host: "…"" (nginx appends these in this order).
    static func nginxFields(_ s: String) -> (message: Substring, client: String?, server: String?, request: String?, host: String?) {
        var message = Substring(s)
        var client: String?, server: String?, request: String?, host: String?
        if let r = s.range(of: ", client: ") {
            message = s[..<r.lowerBound]
            let rest = s[r.upperBound...]
            client = String(rest.prefix(while: { $0 != "," }))
            if let sr = rest.range(of: ", server: ") { server = String(rest[sr.upperBound...].prefix(while: { $0 != "," })) }
            if let rr = rest.range(of: ", request: \"") {
                let after = rest[rr.upperBound...]
                if let end = after.range(of: "\"", options: []) { request = String(after[..<end.lowerBound]) }
            }
            if let hr = rest.range(of: ", host: \"") {
                let after = rest[hr.upperBound...]
                host = String(after.prefix(while: { $0 != "\"" }))
            }
        }
        return (message, client, server, request, host)
    }

    static func quoted(_ s: Substring) -> String? {
        guard let a = s.firstIndex(of: "\"") else { return nil }
        let rest = s[s.index(after: a)...]
        guard let b = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<b])
    }

    static func nthQuoted(_ s: Substring, _ n: Int) -> String? {
        let parts = s.split(separator: "\"", omittingEmptySubsequences: false)
        let idx = 2 * n + 1
        return idx < parts.count ? String(parts[idx]) : nil
    }

    static func zone(_ m: Substring) -> String? {
        guard let r = m.range(of: "by zone \"") else { return nil }
        return "zone \"" + m[r.upperBound...].prefix(while: { $0 != "\"" }) + "\""
    }

    // MARK: Apache

    static func apache(_ line: ByteLine, _ text: String) -> ErrorEvent? {
        // "[Sun Nov 29 09:30:17.123456 2026] [module:level] [pid N:tid M] [client IP:PORT] AHnnnnn: message"
        guard let mo = LogTime.month(line, at: 5), let d = line.integer(9, 11) ?? line.integer(10, 11),
              let h = line.integer(12, 14), let mi = line.integer(15, 17), let s = line.integer(18, 20) else { return nil }
        var j = 20
        if j < line.count, line[j] == 0x2E { j += 1; while j < line.count, line[j] >= 0x30, line[j] <= 0x39 { j += 1 } }
        guard j + 5 <= line.count, line[j] == 0x20, let y = line.integer(j + 1, j + 5) else { return nil }
        let wall = LogTime.seconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        var client: String?
        var rest = Substring(text)
        if let r = text.range(of: "[client ") {
            let after = text[r.upperBound...]
            let hostPort = after.prefix(while: { $0 != "]" })
            client = stripPort(String(hostPort))
            rest = after[after.index(after.startIndex, offsetBy: hostPort.count)...].dropFirst()
        } else if let r = text.range(of: "[remote ") {
            let after = text[r.upperBound...]
            client = stripPort(String(after.prefix(while: { $0 != "]" })))
        }
        // skip any further "[...]" groups
        while rest.hasPrefix(" [") , let close = rest.firstIndex(of: "]") { rest = rest[rest.index(after: close)...] }
        let m = rest.drop(while: { $0 == " " })
        var ev: ErrorEvent
        if m.hasPrefix("ModSecurity: ") || text.contains("] ModSecurity: ") {
            let msgText = m.hasPrefix("ModSecurity: ") ? String(m) : String(text[text.range(of: "ModSecurity: ")!.lowerBound...])
            guard let mod = modsecurity(msgText) else { return nil }
            ev = mod
        } else {
            guard m.hasPrefix("AH"), m.count > 9 else { return nil }
            let code = String(m.prefix(7))
            let msg = m.dropFirst(9)
            let target = msg.range(of: ": ").map { String(msg[$0.upperBound...]).components(separatedBy: ", referer:")[0] }
            switch code {
            case "AH01630":  // mod_authz_core: client denied by server configuration
                ev = ErrorEvent(cause: .accessDeny, layer: .apache, confidence: .likely, rule: code, status: 403)
                ev.target = target
            case "AH01797":  // mod_access_compat (Order/Deny from)
                ev = ErrorEvent(cause: .accessIP, layer: .apache, confidence: .likely, rule: code, status: 403)
                ev.target = target
            case "AH01276":  // mod_autoindex: no DirectoryIndex, listing forbidden by Options
                ev = ErrorEvent(cause: .indexMissing, layer: .apache, confidence: .certain, rule: code, status: 403)
                if let r = msg.range(of: "Cannot serve directory ") { ev.target = String(msg[r.upperBound...].prefix(while: { $0 != ":" })) }
            case "AH00132":  // core: file permissions deny server access
                ev = ErrorEvent(cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: code, status: 403)
                ev.target = target
            case "AH00035":  // core: search permissions are missing on a component of the path
                ev = ErrorEvent(cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: code, status: 403)
                if let r = msg.range(of: "(filesystem path '") { ev.target = String(msg[r.upperBound...].prefix(while: { $0 != "'" })) }
                if let r = msg.range(of: "access to ") { ev.path = String(msg[r.upperBound...].prefix(while: { $0 != " " })) }
            case "AH00529":  // core: .htaccess not readable / directory not searchable
                ev = ErrorEvent(cause: .fsPermission, layer: .filesystem, confidence: .certain, rule: code, status: 403)
                ev.target = String(msg.prefix(while: { $0 != " " }))
            case "AH00037":  // core: Symbolic link not allowed or link target not accessible
                ev = ErrorEvent(cause: .fsSymlink, layer: .apache, confidence: .likely, rule: code, status: 403)
                ev.target = target
            case "AH01618":  // mod_authn_file: user not found
                ev = ErrorEvent(cause: .authInvalid, layer: .apache, confidence: .certain, rule: code, status: 401)
                if let r = msg.range(of: "not found: ") { ev.path = String(msg[r.upperBound...]).components(separatedBy: ", referer:")[0] }
                if msg.hasPrefix("user ") { ev.user = String(msg.dropFirst(5).prefix(while: { $0 != " " })) }
            case "AH01617":  // mod_auth_basic: authentication failure (Password Mismatch)
                ev = ErrorEvent(cause: .authInvalid, layer: .apache, confidence: .certain, rule: code, status: 401)
                if let r = msg.range(of: "authentication failure for \"") { ev.path = String(msg[r.upperBound...].prefix(while: { $0 != "\"" })) }
                if msg.hasPrefix("user ") { ev.user = String(msg.dropFirst(5).prefix(while: { $0 != ":" })) }
            case "AH01614":  // mod_auth_basic: client used wrong authentication scheme
                ev = ErrorEvent(cause: .authMissing, layer: .apache, confidence: .likely, rule: code, status: 401)
                if let r = msg.range(of: "scheme: ") { ev.path = String(msg[r.upperBound...]).components(separatedBy: ", referer:")[0] }
            case "AH01631":  // mod_authz_core: user authorization failure (Require user/group)
                ev = ErrorEvent(cause: .authRole, layer: .apache, confidence: .certain, rule: code, status: 401)
                if let r = msg.range(of: "authorization failure for \"") { ev.path = String(msg[r.upperBound...].prefix(while: { $0 != "\"" })) }
                if msg.hasPrefix("user ") { ev.user = String(msg.dropFirst(5).prefix(while: { $0 != ":" })) }
            default:
                return nil
            }
        }
        ev.time = LogTime(utc: wall, wall: wall)
        ev.client = client ?? ev.client
        return ev
    }

    static func stripPort(_ hostPort: String) -> String {
        // "127.0.0.1:5555" -> "127.0.0.1"; "::1:5555" -> "::1"; "[::1]:5555" -> "::1"
        var s = hostPort
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") { return String(s[s.index(after: s.startIndex)..<close]) }
        if let colon = s.lastIndex(of: ":"), s[s.index(after: colon)...].allSatisfy(\.isNumber),
           s[s.index(after: colon)...].count > 0 {
            let host = String(s[..<colon])
            // a bare IPv6 address without a port has several colons and a last group that may be digits;
            // Apache always appends the port, so strip it.
            s = host
        }
        return s
    }

    // MARK: ModSecurity

    /// ModSecurity v2 (Apache) and v3 (nginx) lines: "Access denied with code 403 (phase 2)" or
    /// "Warning. Matched …", with `[id "…"] [msg "…"] [data "…"] [tag "…"] [uri "…"] [hostname "…"]`.
    static func modsecurity(_ m: String) -> ErrorEvent? {
        let tags = bracketFields(m)
        let id = tags["id"]?.first ?? "?"
        var ev = ErrorEvent(cause: .wafRule, layer: .modsecurity, confidence: .certain, rule: "modsecurity-\(id)", status: nil)
        if let r = m.range(of: "Access denied with code ") {
            ev.status = Int(m[r.upperBound...].prefix(while: \.isNumber))
        } else if m.contains("Warning. ") || m.contains("ModSecurity: Warning") {
            ev.isWarningOnly = true
        } else {
            return nil
        }
        var parts: [String] = []
        if let msg = tags["msg"]?.first { parts.append(msg) }
        if let data = tags["data"]?.first { parts.append("data: " + data) }
        ev.detail = parts.isEmpty ? nil : parts.joined(separator: "; ")
        ev.path = tags["uri"]?.first
        ev.host = tags["hostname"]?.first
        if let c = tags["client"]?.first { ev.client = c }
        ev.uniqueId = tags["unique_id"]?.first
        return ev
    }

    /// `[name "value"]` groups (ModSecurity escapes quotes inside values).
    static func bracketFields(_ m: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        var rest = Substring(m)
        while let open = rest.range(of: "[") {
            rest = rest[open.upperBound...]
            let name = rest.prefix(while: { $0.isLetter || $0 == "_" })
            guard !name.isEmpty else { continue }
            let afterName = rest[name.endIndex...]
            guard afterName.hasPrefix(" \"") else { continue }
            var value = ""
            var idx = afterName.index(afterName.startIndex, offsetBy: 2)
            var closed = false
            while idx < afterName.endIndex {
                let c = afterName[idx]
                if c == "\\", afterName.index(after: idx) < afterName.endIndex {
                    value.append(afterName[afterName.index(after: idx)]); idx = afterName.index(idx, offsetBy: 2); continue
                }
                if c == "\"" { closed = true; break }
                value.append(c); idx = afterName.index(after: idx)
            }
            guard closed else { break }
            out[String(name), default: []].append(value)
            rest = afterName[idx...]
        }
        return out
    }
}
