import Why403Core

/// A `map` block: source value, entries in order, default.
struct MapDef {
    var source: String
    var directive: Directive
    var exact: [String: (value: String, d: Directive)] = [:]
    var regexes: [(pattern: String, caseless: Bool, value: String, d: Directive)] = []
    var wildcards: [(name: String, value: String, d: Directive)] = []
    var defaultValue: (value: String, d: Directive?) = ("", nil)
    var hostnames = false
}

/// A `geo` block: address variable, CIDR entries, default.
struct GeoDef {
    var source: String?
    var directive: Directive
    var entries: [(cidr: CIDR, value: String, d: Directive)] = []
    var ranges: [(from: IPAddress, to: IPAddress, value: String, d: Directive)] = []
    var defaultValue: (value: String, d: Directive?) = ("", nil)
}

extension Simulation {
    func collectMaps() {
        for d in http.block ?? [] {
            if d.name == "map", d.args.count == 2, let body = d.block {
                var m = MapDef(source: d.args[0], directive: d)
                for e in body {
                    switch e.name {
                    case "default": m.defaultValue = (e.args.first ?? "", e)
                    case "hostnames": m.hostnames = true
                    case "volatile", "include": break
                    default:
                        let value = e.args.first ?? ""
                        if e.name.hasPrefix("~*") { m.regexes.append((String(e.name.dropFirst(2)), true, value, e)) }
                        else if e.name.hasPrefix("~") { m.regexes.append((String(e.name.dropFirst()), false, value, e)) }
                        else if m.hostnames && (e.name.hasPrefix("*.") || e.name.hasPrefix(".") || e.name.hasSuffix(".*")) {
                            m.wildcards.append((e.name.lowercased(), value, e))
                        } else {
                            let k = e.name.hasPrefix("\\") ? String(e.name.dropFirst()) : e.name
                            if m.exact[k.lowercased()] == nil { m.exact[k.lowercased()] = (value, e) }
                        }
                    }
                }
                let name = d.args[1].hasPrefix("$") ? String(d.args[1].dropFirst()) : d.args[1]
                maps[name] = m
            }
            if d.name == "geo", let body = d.block, !d.args.isEmpty {
                var g = GeoDef(source: d.args.count == 2 ? d.args[0] : nil, directive: d)
                var useRanges = false
                for e in body {
                    switch e.name {
                    case "default": g.defaultValue = (e.args.first ?? "", e)
                    case "ranges": useRanges = true
                    case "proxy", "proxy_recursive", "delete", "include": break
                    default:
                        let value = e.args.first ?? ""
                        if useRanges, let dash = e.name.firstIndex(of: "-"),
                           let a = IPAddress(e.name[..<dash]),
                           let b = IPAddress(e.name[e.name.index(after: dash)...]) {
                            g.ranges.append((a, b, value, e))
                        } else if let c = CIDR.parse(e.name) {
                            g.entries.append((c, value, e))
                        }
                    }
                }
                let name = d.args.last!.hasPrefix("$") ? String(d.args.last!.dropFirst()) : d.args.last!
                geos[name] = g
            }
        }
    }

    /// Expands `$name` and `${name}` in `s` with the request's variables.
    func expand(_ s: String) -> String {
        guard s.contains("$") else { return s }
        var out = ""
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "$" && i + 1 < chars.count {
                var j = i + 1
                var name = ""
                if chars[j] == "{" {
                    j += 1
                    while j < chars.count && chars[j] != "}" { name.append(chars[j]); j += 1 }
                    j += 1
                } else if chars[j].isNumber {
                    name = String(chars[j]); j += 1
                } else {
                    while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") {
                        name.append(chars[j]); j += 1
                    }
                }
                if name.isEmpty { out.append(c); i += 1; continue }
                out += variable(name) ?? ""
                i = j
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Variables named in `s` (`$a${b}` gives a, b).
    static func variableNames(in s: String) -> [String] {
        var names: [String] = []
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            if chars[i] == "$" {
                var j = i + 1
                var name = ""
                if j < chars.count && chars[j] == "{" {
                    j += 1
                    while j < chars.count && chars[j] != "}" { name.append(chars[j]); j += 1 }
                } else {
                    while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { name.append(chars[j]); j += 1 }
                }
                if !name.isEmpty { names.append(name) }
                i = j
            } else { i += 1 }
        }
        return names
    }

    /// The value of variable `name` for this request, nil when nginx would have none.
    func variable(_ rawName: String) -> String? {
        let name = rawName.lowercased()
        if let n = Int(name) { return n < captures.count ? captures[n] : "" }
        if let v = vars[name] { return v }
        if let m = maps[name], !evaluating.contains(name) {
            evaluating.insert(name); defer { evaluating.remove(name) }
            return evaluateMap(m).value
        }
        if let g = geos[name], !evaluating.contains(name) {
            evaluating.insert(name); defer { evaluating.remove(name) }
            return evaluateGeo(g).value
        }
        switch name {
        case "remote_addr": return clientIP
        case "realip_remote_addr": return peerAddress.description
        case "proxy_protocol_addr": return proxyProtocolListen == nil ? "" : proxyProtocolAddress?.description ?? ""
        case "remote_port": return "40000"
        case "uri", "document_uri": return uri
        case "request_uri": return line.requestURI
        case "args", "query_string": return args ?? ""
        case "is_args": return args == nil ? "" : "?"
        case "host":
            if let h = request.headerValues("Host").first { return Simulation.hostOnly(h) }
            return server?.child("server_name")?.args.first ?? host
        case "hostname": return "localhost"
        case "request_method": return request.method
        case "scheme": return line.scheme
        case "https": return line.scheme == "https" ? "on" : ""
        case "server_port": return String(line.port)
        case "server_addr": return line.hostIsIP ? host : "127.0.0.1"
        case "server_name": return server?.child("server_name")?.args.first ?? ""
        case "server_protocol": return "HTTP/1.1"
        case "remote_user": return remoteUser ?? ""
        case "document_root", "realpath_root": return documentRoot()
        case "request_filename": return mapURIToPath(uri).path
        case "invalid_referer": return invalidReferer() ? "1" : ""
        case "content_type": return request.header("Content-Type") ?? ""
        case "content_length": return request.header("Content-Length") ?? ""
        default: break
        }
        if name.hasPrefix("http_") {
            let h = String(name.dropFirst(5))
            // nginx 1.22 (Debian 12) gives the first field of a repeated header; 1.23+ joins them.
            return request.headers.first { $0.name.canonicalName.replacingAll("-", with: "_") == h }?.value
        }
        if name.hasPrefix("arg_") {
            let a = String(name.dropFirst(4))
            for pair in (args ?? "").split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if kv[0].lowercased() == a { return kv.count > 1 ? String(kv[1]) : "" }
            }
            return nil
        }
        if name.hasPrefix("cookie_") {
            let c = String(name.dropFirst(7))
            for value in request.headerValues("Cookie") {
                for part in value.split(separator: ";") {
                    let kv = part.trimmingSpaces.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    if kv[0].lowercased() == c { return kv.count > 1 ? String(kv[1]) : "" }
                }
            }
            return nil
        }
        return nil
    }

    static func hostOnly(_ h: String) -> String {
        var s = h.lowercased().trimmingSpaces
        if s.hasPrefix("[") { if let c = s.firstIndex(of: "]") { s = String(s[...c]) } }
        else if let c = s.lastIndex(of: ":") { s = String(s[..<c]) }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The map's value and the entry that gave it.
    func evaluateMap(_ m: MapDef) -> (value: String, d: Directive?) {
        let src = expand(m.source)
        var key = src
        if m.hostnames { key = key.lowercased(); if key.hasSuffix(".") { key.removeLast() } }
        if let e = m.exact[key.lowercased()] { return (expand(e.value), e.d) }
        if m.hostnames {
            var best: (Int, String, Directive)?
            for w in m.wildcards {
                if w.name.hasPrefix("*.") || w.name.hasPrefix(".") {
                    let suffix = w.name.hasPrefix("*") ? String(w.name.dropFirst(1)) : w.name
                    if key.hasSuffix(suffix) || (w.name.hasPrefix(".") && key == String(w.name.dropFirst())) {
                        if best == nil || suffix.count > best!.0 { best = (suffix.count, w.value, w.d) }
                    }
                }
            }
            if best == nil {
                for w in m.wildcards where w.name.hasSuffix(".*") {
                    let p = String(w.name.dropLast(1))
                    if key.hasPrefix(p) { best = (p.count, w.value, w.d); break }
                }
            }
            if let b = best { return (expand(b.1), b.2) }
        }
        for r in m.regexes {
            if let re = regexCache.regex(r.pattern, caseless: r.caseless), let match = re.firstMatch(in: src) {
                let saved = captures
                captures = match.groups
                let v = expand(r.value)
                captures = saved
                return (v, r.d)
            }
        }
        return (expand(m.defaultValue.value), m.defaultValue.d)
    }

    /// The geo block's value for the address and the entry that gave it.
    func evaluateGeo(_ g: GeoDef) -> (value: String, d: Directive?) {
        let addrText = g.source.map { expand($0) } ?? clientIP
        guard let ip = IPAddress(addrText) else { return (g.defaultValue.value, g.defaultValue.d) }
        var best: (Int, String, Directive)?
        for e in g.entries where e.cidr.contains(ip) {
            if best == nil || e.cidr.prefix > best!.0 { best = (e.cidr.prefix, e.value, e.d) }
        }
        if let b = best { return (b.1, b.2) }
        for r in g.ranges where r.from.bytes.count == ip.bytes.count {
            if r.from.bytes.lexicographicallyPrecedes(ip.bytes) || r.from.bytes == ip.bytes,
               ip.bytes.lexicographicallyPrecedes(r.to.bytes) || ip.bytes == r.to.bytes {
                return (r.value, r.d)
            }
        }
        return (g.defaultValue.value, g.defaultValue.d)
    }

    /// `$invalid_referer` per the nearest `valid_referers` (ngx_http_referer_module).
    func invalidReferer() -> Bool {
        guard let vr = nearest("valid_referers") else { return false }
        guard let ref = request.header("Referer"), !ref.isEmpty else { return !vr.args.contains("none") }
        let lower = ref.lowercased()
        var rest: String
        if lower.hasPrefix("http://") { rest = String(ref.dropFirst(7)) }
        else if lower.hasPrefix("https://") { rest = String(ref.dropFirst(8)) }
        else { return !vr.args.contains("blocked") }
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == ":" || $0 == "?" }) ?? rest.endIndex
        let host = rest[..<hostEnd].lowercased()
        let hostAndPath = host + (rest[hostEnd...].hasPrefix(":") ? String(rest[hostEnd...].drop(while: { $0 != "/" })) : String(rest[hostEnd...]))
        rest = hostAndPath
        var names: [String] = []
        for a in vr.args {
            if a == "none" || a == "blocked" { continue }
            if a == "server_names" {
                names += server?.children("server_name").flatMap(\.args) ?? []
                continue
            }
            names.append(a)
        }
        for n in names {
            if n.hasPrefix("~") {
                let pattern = String(n.dropFirst())
                let caseless = pattern.hasPrefix("*")
                if let re = regexCache.regex(caseless ? String(pattern.dropFirst()) : pattern, caseless: true),
                   re.firstMatch(in: rest) != nil { return false }
                continue
            }
            let nl = n.lowercased()
            if let slash = nl.firstIndex(of: "/") {
                if rest.lowercased().hasPrefix(nl) { return false }
                _ = slash
                continue
            }
            if nl.hasPrefix("*.") { if host.hasSuffix(String(nl.dropFirst())) { return false } }
            else if nl.hasPrefix(".") { if host.hasSuffix(nl) || host == String(nl.dropFirst()) { return false } }
            else if nl.hasSuffix(".*") { if host.hasPrefix(String(nl.dropLast())) { return false } }
            else if host == nl { return false }
        }
        return true
    }
}
