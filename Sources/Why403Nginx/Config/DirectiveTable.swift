/// What the parser knows of a directive: whether it takes a block and how many arguments.
///
/// The names follow the nginx source (`NGX_CONF_BLOCK`, `NGX_CONF_TAKE1`, `NGX_CONF_1MORE`, ...).
/// Directives not listed are kept as written (modules this table does not know are never fatal).
struct DirectiveSpec {
    var block: Bool
    var minArgs: Int
    var maxArgs: Int  // Int.max for "1MORE"/"2MORE"
}

enum DirectiveTable {
    static let more = Int.max
    static let specs: [String: DirectiveSpec] = {
        var t: [String: DirectiveSpec] = [:]
        func b(_ n: String, _ lo: Int, _ hi: Int) { t[n] = DirectiveSpec(block: true, minArgs: lo, maxArgs: hi) }
        func s(_ n: String, _ lo: Int, _ hi: Int) { t[n] = DirectiveSpec(block: false, minArgs: lo, maxArgs: hi) }
        b("http", 0, 0); b("events", 0, 0); b("server", 0, 0); b("location", 1, 2); b("if", 1, more)
        b("map", 2, 2); b("geo", 1, 2); b("types", 0, 0); b("split_clients", 2, 2); b("upstream", 1, 1)
        b("limit_except", 1, more); b("stream", 0, 0); b("mail", 0, 0); b("charset_map", 2, 2)
        s("root", 1, 1); s("alias", 1, 1); s("allow", 1, 1); s("deny", 1, 1); s("index", 1, more)
        s("server_name", 1, more); s("listen", 1, more); s("return", 1, 2); s("rewrite", 2, 3)
        s("try_files", 2, more); s("autoindex", 1, 1); s("satisfy", 1, 1); s("auth_basic", 1, 1)
        s("auth_basic_user_file", 1, 1); s("set", 2, 2); s("error_page", 2, more); s("user", 1, 2)
        s("include", 1, 1); s("valid_referers", 1, more); s("internal", 0, 0); s("break", 0, 0)
        s("disable_symlinks", 1, 2); s("limit_req", 1, 3); s("limit_req_zone", 3, 4); s("limit_conn", 2, 2)
        s("limit_req_status", 1, 1); s("limit_conn_status", 1, 1); s("limit_conn_zone", 2, 2)
        s("auth_request", 1, 1); s("proxy_pass", 1, 1); s("fastcgi_pass", 1, 1); s("uwsgi_pass", 1, 1)
        s("scgi_pass", 1, 1); s("grpc_pass", 1, 1); s("memcached_pass", 1, 1); s("default_type", 1, 1)
        s("error_log", 1, more); s("access_log", 1, more); s("pid", 1, 1); s("worker_processes", 1, 1)
        s("server_tokens", 1, 1); s("log_not_found", 1, 1); s("recursive_error_pages", 1, 1)
        s("set_real_ip_from", 1, 1); s("real_ip_header", 1, 1); s("real_ip_recursive", 1, 1)
        return t
    }()

    /// Bodies whose entries are data (`key value;`), not directives: not checked against the table.
    static let specialBodies: Set<String> = ["map", "geo", "types", "split_clients", "charset_map", "match"]
}
