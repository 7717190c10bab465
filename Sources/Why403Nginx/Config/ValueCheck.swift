import Why403Core
import Why403PCRE2

/// The values nginx itself refuses when it loads a configuration (`nginx -t`: "[emerg] invalid parameter"), for the
/// directives the simulation reads: a configuration nginx would not load is not what a running server answers with,
/// so it is an error in nginx's words (exit 2), never a verdict. The parser checks the syntax and the number of
/// arguments; this checks what they say. Each check is one case of `check(_:)`.
enum ValueCheck {
    /// Throws the `InputError` nginx's message would be for the first refused value, in file order.
    static func check(_ config: NginxConfig) throws {
        // A file with no http block (a site's `server { … }` alone) is not a configuration nginx loads as it is: the
        // contexts of its top level are not checked, and the simulation says what is missing.
        let top = config.expanded
        try walk(top, in: top.contains { $0.name == "http" } ? .main : .other)
    }

    /// The contexts of the http core (nginx's `NGX_MAIN_CONF`, `NGX_HTTP_MAIN_CONF`, `NGX_HTTP_SRV_CONF`,
    /// `NGX_HTTP_LOC_CONF`, `NGX_HTTP_SIF_CONF`, `NGX_HTTP_LIF_CONF`, `NGX_HTTP_LMT_CONF`); `other` is any block this
    /// check does not follow (stream, mail, upstream, events, …: their directives are not checked).
    enum Context { case main, http, server, location, serverIf, locationIf, limitExcept, other }

    /// Where nginx allows the directives the simulation reads (from each module's command table); a directive not
    /// listed is not checked.
    static let allowed: [String: Set<Context>] = {
        let hsl: Set<Context> = [.http, .server, .location]
        let rewrite: Set<Context> = [.server, .serverIf, .location, .locationIf]
        let pass: Set<Context> = [.location, .locationIf]
        var t: [String: Set<Context>] = [
            "http": [.main], "events": [.main], "user": [.main], "worker_processes": [.main], "pid": [.main],
            "server": [.http], "location": [.server, .location], "if": [.server, .location], "limit_except": [.location],
            "listen": [.server], "server_name": [.server], "alias": [.location], "internal": [.location],
            "root": hsl.union([.locationIf]), "error_page": hsl.union([.locationIf]),
            "allow": hsl.union([.limitExcept]), "deny": hsl.union([.limitExcept]),
            "auth_basic": hsl.union([.limitExcept]), "auth_basic_user_file": hsl.union([.limitExcept]),
            "access_log": hsl.union([.locationIf, .limitExcept]), "proxy_pass": pass.union([.limitExcept]),
            "try_files": [.server, .location], "valid_referers": [.server, .location],
            "map": [.http], "geo": [.http], "upstream": [.http], "limit_req_zone": [.http], "limit_conn_zone": [.http],
            "split_clients": [.http], "charset_map": [.http],
        ]
        for n in ["return", "rewrite", "set", "break"] { t[n] = rewrite }
        for n in ["fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"] { t[n] = pass }
        for n in ["autoindex", "index", "satisfy", "limit_req", "limit_conn", "limit_req_status", "limit_conn_status",
                  "auth_request", "default_type", "server_tokens", "log_not_found", "recursive_error_pages", "types",
                  "set_real_ip_from", "real_ip_header", "real_ip_recursive", "disable_symlinks"] { t[n] = hsl }
        return t
    }()

    /// The context a block directive opens, inside `outer`.
    private static func inner(_ d: Directive, _ outer: Context) -> Context {
        switch (d.name, outer) {
        case ("http", .main): .http
        case ("server", .http): .server
        case ("location", _): .location
        case ("if", .server): .serverIf
        case ("if", .location): .locationIf
        case ("limit_except", _): .limitExcept
        default: .other
        }
    }

    private static func walk(_ directives: [Directive], in context: Context) throws {
        var seenLocations: [String: Directive] = [:]
        for d in directives {
            if context != .other, let where_ = allowed[d.name], !where_.contains(context) {
                throw error(d, "\"\(d.name)\" directive is not allowed here")
            }
            try check(d)
            if d.name == "location", let key = locationKey(d) {
                if seenLocations[key] != nil {
                    throw error(d, "duplicate location \"\(d.args.last ?? "")\"")
                }
                seenLocations[key] = d
            }
            // The bodies of map, geo, types and split_clients hold entries, not directives; a map's `~regex value;`
            // entries are compiled when nginx loads the configuration (`~*` caseless).
            if d.name == "map", let block = d.block {
                for e in block where e.name.hasPrefix("~") {
                    let caseless = e.name.hasPrefix("~*")
                    if let message = PCRE2.refusal(String(e.name.dropFirst(caseless ? 2 : 1)), caseless: caseless) { throw error(e, message) }
                }
            }
            if let block = d.block, !["map", "geo", "types", "split_clients", "charset_map"].contains(d.name) {
                try walk(block, in: inner(d, context))
            }
        }
    }

    /// The identity of a prefix, exact or named location among its siblings (nginx refuses two with one name:
    /// `location /a` and `location ^~ /a` included); nil for a regular expression (any number may repeat).
    private static func locationKey(_ d: Directive) -> String? {
        guard let name = d.args.last else { return nil }
        let modifier = d.args.count > 1 ? d.args[0] : ""
        switch modifier {
        case "~", "~*": return nil
        case "=": return "=" + name
        default: return name.hasPrefix("~") ? nil : " " + name
        }
    }

    /// The regular expressions of `d` nginx compiles when it loads the configuration, and whether each is caseless.
    static func regexes(_ d: Directive) -> [(String, Bool)] {
        switch d.name {
        case "location":
            let (modifier, pattern) = d.locationParts
            return modifier == "~" || modifier == "~*" ? [(pattern, modifier == "~*")] : []
        case "rewrite":
            return d.args.first.map { [($0, false)] } ?? []
        case "if":
            guard d.args.count == 3, ["~", "~*", "!~", "!~*"].contains(d.args[1]) else { return [] }
            return [(d.args[2], d.args[1].hasSuffix("*"))]
        case "server_name":
            return d.args.filter { $0.hasPrefix("~") }.map { (String($0.dropFirst()), $0.contains { $0.isASCII && $0.isUppercase }) }
        default:
            return []
        }
    }

    private static func check(_ d: Directive) throws {
        for (re, caseless) in regexes(d) {
            if let message = PCRE2.refusal(re, caseless: caseless) { throw error(d, message) }
        }
        switch d.name {
        case "allow", "deny":
            guard let a = d.args.first else { return }
            if a == "all" || a.hasPrefix("unix:") { return }
            guard IPNetwork(a) != nil else { throw error(d, "invalid parameter \"\(a)\"") }
        case "satisfy":
            guard let v = d.args.first?.lowercased(), v == "all" || v == "any" else { throw error(d, "invalid value \"\(d.args.first ?? "")\"") }
        default:
            return
        }
    }

    private static func error(_ d: Directive, _ message: String) -> InputError {
        InputError(file: d.location.file, line: d.location.line, message: message,
                   help: "nginx refuses this configuration (nginx -t says the same): a running nginx does not use it")
    }
}
