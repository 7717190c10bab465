import Why403Core

/// The values nginx itself refuses when it loads a configuration (`nginx -t`: "[emerg] invalid parameter"), for the
/// directives the simulation reads: a configuration nginx would not load is not what a running server answers with,
/// so it is an error in nginx's words (exit 2), never a verdict. The parser checks the syntax and the number of
/// arguments; this checks what they say. Each check is one case of `check(_:)`.
enum ValueCheck {
    /// Throws the `InputError` nginx's message would be for the first refused value, in file order.
    static func check(_ config: NginxConfig) throws {
        try walk(config.expanded)
    }

    private static func walk(_ directives: [Directive]) throws {
        var seenLocations: [String: Directive] = [:]
        for d in directives {
            try check(d)
            if d.name == "location", let key = locationKey(d) {
                if seenLocations[key] != nil {
                    throw error(d, "duplicate location \"\(d.args.last ?? "")\"")
                }
                seenLocations[key] = d
            }
            // The bodies of map, geo, types and split_clients hold entries, not directives.
            if let block = d.block, !["map", "geo", "types", "split_clients", "charset_map"].contains(d.name) {
                try walk(block)
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

    private static func check(_ d: Directive) throws {
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
