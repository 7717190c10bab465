#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core

extension Simulation {
    // MARK: virtual hosts

    /// Picks the `<VirtualHost>` for the request's address, port and Host (ServerName, then ServerAlias,
    /// else the first for the address), and the directives in force at server level.
    mutating func selectServer() {
        let top = config.directives
        mainDirectives = top.filter { !$0.is("VirtualHost") }
        let vhosts = top.filter { $0.is("VirtualHost") }
        serverDirectives = mainDirectives
        guard !vhosts.isEmpty else { return }
        let hostIsIP = IPAddress(req.host) != nil
        func addrMatch(_ v: ApacheDirective) -> (exact: Bool, wild: Bool) {
            var exact = false, wild = false
            for a in v.args {
                var addr = a, port = "*"
                if a.hasPrefix("[") {
                    if let close = a.firstIndex(of: "]") {
                        addr = String(a[a.index(after: a.startIndex)..<close])
                        let after = a[a.index(after: close)...]
                        if after.hasPrefix(":") { port = String(after.dropFirst()) }
                    }
                } else if let colon = a.lastIndex(of: ":") {
                    addr = String(a[..<colon]); port = String(a[a.index(after: colon)...])
                }
                guard port == "*" || Int(port) == req.port else { continue }
                if addr == "*" || addr == "_default_" { wild = true }
                else if !hostIsIP || addr == req.host || addr.lowercased() == req.host { exact = true }
            }
            return (exact, wild)
        }
        var candidates = vhosts.filter { addrMatch($0).exact }
        if !hostIsIP && !candidates.isEmpty && vhosts.contains(where: { addrMatch($0).wild }) {
            notes.append("virtual hosts bound to specific addresses exist; assumed \(req.host) resolves to them")
        }
        if candidates.isEmpty { candidates = vhosts.filter { addrMatch($0).wild } }
        guard !candidates.isEmpty else {
            notes.append("no <VirtualHost> listens on port \(req.port); the main server answers")
            return
        }
        func names(_ v: ApacheDirective) -> [String] {
            (v.children ?? []).filter { $0.is("ServerName") || $0.is("ServerAlias") }.flatMap { $0.args }.map { n in
                var s = n.lowercased()
                if let r = s.range(of: "://") { s = String(s[r.upperBound...]) }
                if let colon = s.lastIndex(of: ":"), !s.hasSuffix("]") { s = String(s[..<colon]) }
                return s
            }
        }
        let chosen = candidates.first { v in names(v).contains { fnmatch($0, req.host, 0) == 0 } }
        if let chosen {
            vhost = chosen
        } else {
            vhost = candidates[0]
            notes.append("no ServerName/ServerAlias matches \(InputError.quote(req.host)); the first virtual host for this address answers (\(candidates[0].location))")
        }
        vhostDirectives = vhost?.children ?? []
        serverDirectives = mainDirectives + vhostDirectives
    }
}
