import Why403Core

/// One `listen` of a server block.
struct Listen {
    var address: IPAddress?   // nil: every address (`*`)
    var port: Int
    var isDefault: Bool
    var directive: Directive?
    var v6Only = false
}

extension Simulation {
    static func listens(of server: Directive) -> [Listen] {
        let ls = server.children("listen")
        if ls.isEmpty { return [Listen(address: nil, port: 80, isDefault: false, directive: nil)] }
        var out: [Listen] = []
        for d in ls {
            guard let first = d.args.first, !first.hasPrefix("unix:") else { continue }
            let isDefault = d.args.dropFirst().contains { $0 == "default_server" || $0 == "default" }
            var addr: IPAddress?
            var port = 80
            if first.hasPrefix("[") {
                if let close = first.firstIndex(of: "]") {
                    addr = IPAddress(first[first.index(after: first.startIndex)..<close])
                    let after = first[first.index(after: close)...]
                    if after.hasPrefix(":"), let p = Int(after.dropFirst()) { port = p }
                }
            } else if let p = Int(first) {
                port = p
            } else if let colon = first.lastIndex(of: ":") {
                let a = String(first[..<colon])
                if let p = Int(first[first.index(after: colon)...]) { port = p }
                addr = a == "*" ? nil : (IPAddress(a) ?? (a == "localhost" ? IPAddress("127.0.0.1") : nil))
            } else {
                addr = first == "*" ? nil : (IPAddress(first) ?? (first == "localhost" ? IPAddress("127.0.0.1") : nil))
            }
            // "0.0.0.0:80" and "[::]:80" are wildcards (the IPv6 one for IPv6 clients only: ipv6only=on).
            var v6Only = false
            if let a = addr, a.bytes.allSatisfy({ $0 == 0 }) { v6Only = a.isIPv6; addr = nil }
            out.append(Listen(address: addr, port: port, isDefault: isDefault, directive: d, v6Only: v6Only))
        }
        return out
    }

    /// Picks the server block as nginx does: the listening socket by address and port, then
    /// server_name exact, leading wildcard, trailing wildcard, regex (in order), else the default.
    func selectServer() throws {
        let servers = (http.block ?? []).filter { $0.name == "server" && $0.block != nil }
        guard !servers.isEmpty else {
            throw InputError(file: http.location.file, line: http.location.line, expected: "a server { } block in http", found: "none")
        }
        let port = line.port
        let local: IPAddress? = line.hostIsIP ? IPAddress(host) : nil
        // The candidates: servers with a listen on this port. A listen on the exact local address wins
        // over a wildcard one (nginx binds the specific address when it is listed).
        var specific: [(Directive, Listen)] = []
        var wildcard: [(Directive, Listen)] = []
        for s in servers {
            for l in Simulation.listens(of: s) where l.port == port {
                if let a = l.address {
                    if let local, a == local { specific.append((s, l)) }
                    else if local == nil { specific.append((s, l)) }
                } else if local.map({ l.v6Only ? $0.isIPv6 : !$0.isIPv6 }) ?? true {  // a wildcard of the connection's family
                    wildcard.append((s, l))
                }
            }
        }
        var group = specific.isEmpty ? wildcard : specific
        if !specific.isEmpty && local == nil && !wildcard.isEmpty {
            group = wildcard
            notes.append("the URL's host is a name, not an address: assumed the connection reached a wildcard listen on port \(port)")
        }
        guard !group.isEmpty else {
            throw InputError(file: config.files.first?.path, expected: "a server listening on port \(port)",
                             found: "none (nginx would refuse the connection)",
                             help: "give the URL with the port nginx listens on")
        }
        // The PROXY protocol is a property of the listening socket: any listen of it with proxy_protocol.
        proxyProtocolListen = group.compactMap(\.1.directive).first { $0.args.dropFirst().contains("proxy_protocol") }
        // Unique servers in configuration order.
        var seen = Set<SourceLocation>()
        let candidates = group.filter { seen.insert($0.0.location).inserted }
        let hostHeader = request.headerValues("Host").first.map(Simulation.hostOnly) ?? host
        var chosen: Directive?
        var why = ""
        var captured: [String: String] = [:]
        // 1. exact names
        for (s, _) in candidates where chosen == nil {
            for n in s.children("server_name").flatMap(\.args) {
                let name = n.lowercased()
                if name == hostHeader || (name.hasPrefix(".") && String(name.dropFirst()) == hostHeader) {
                    chosen = s; why = "server_name \(n) matches the host exactly"; break
                }
            }
        }
        // 2. longest leading wildcard
        if chosen == nil {
            var best: (Int, Directive, String)?
            for (s, _) in candidates {
                for n in s.children("server_name").flatMap(\.args) {
                    let name = n.lowercased()
                    let suffix: String?
                    if name.hasPrefix("*.") { suffix = String(name.dropFirst()) }
                    else if name.hasPrefix(".") { suffix = name }
                    else { suffix = nil }
                    if let suffix, hostHeader.hasSuffix(suffix), best == nil || suffix.count > best!.0 { best = (suffix.count, s, n) }
                }
            }
            if let b = best { chosen = b.1; why = "server_name \(b.2) matches the host (leading wildcard)" }
        }
        // 3. longest trailing wildcard
        if chosen == nil {
            var best: (Int, Directive, String)?
            for (s, _) in candidates {
                for n in s.children("server_name").flatMap(\.args) where n.hasSuffix(".*") {
                    let p = String(n.lowercased().dropLast())
                    if hostHeader.hasPrefix(p), best == nil || p.count > best!.0 { best = (p.count, s, n) }
                }
            }
            if let b = best { chosen = b.1; why = "server_name \(b.2) matches the host (trailing wildcard)" }
        }
        // 4. regexes in order of appearance
        if chosen == nil {
            outer: for (s, _) in candidates {
                for n in s.children("server_name").flatMap(\.args) where n.hasPrefix("~") {
                    // Caseless when the pattern holds a capital letter (ngx_http_core_server_name).
                    let pattern = String(n.dropFirst())
                    if let re = regexCache.regex(pattern, caseless: pattern.contains { $0.isASCII && $0.isUppercase }),
                       let m = re.firstMatch(in: hostHeader) {
                        chosen = s; why = "server_name \(n) matches the host (regular expression)"
                        for (nm, v) in m.named { captured[nm.lowercased()] = v }
                        captures = m.groups
                        break outer
                    }
                }
            }
        }
        // 5. the default server of the socket, else its first server
        if chosen == nil {
            if let d = group.first(where: { $0.1.isDefault }) {
                chosen = d.0; why = "no server_name matches \(InputError.quote(hostHeader)): default_server of port \(port)"
            } else {
                chosen = candidates[0].0; why = "no server_name matches \(InputError.quote(hostHeader)): first server on port \(port) is the default"
            }
        }
        server = chosen!
        for (k, v) in captured { vars[k] = v }
        serverChain = [http, server]
        chain = serverChain
        trail.append(Evidence(source: server.location.description, text: "server { (\(why))"))
    }
}
