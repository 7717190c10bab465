import Why403Core

extension Simulation {
    /// mod_remoteip: the client address httpd uses (`Require ip`, `Require local`, `SetEnvIf Remote_Addr`,
    /// `%{REMOTE_ADDR}`, the error log's `[client …]`) when `RemoteIPHeader` is set.
    ///
    /// Follows remoteip_modify_request (httpd 2.4): the header's addresses are taken from the right while the
    /// current address is a listed proxy (`RemoteIPInternalProxy`, `RemoteIPTrustedProxy`; with neither, every
    /// address is trusted); an address that is not one stops the walk, and so does a private or reserved one
    /// (10/8, 127/8, 169.254/16, 172.16/12, 192.168/16; outside 2000::/3 for IPv6) reported by anything but an
    /// internal proxy. The virtual host's settings replace the main server's. `RemoteIPTrustedProxyList` and
    /// `RemoteIPInternalProxyList` files and the PROXY protocol are noted, not modelled.
    mutating func applyRemoteIP() {
        guard let headerLine = serverValue("RemoteIPHeader"), let header = headerLine.args.first else { return }
        let proxyNames = ["RemoteIPInternalProxy", "RemoteIPTrustedProxy"]
        let vhostProxies = vhostDirectives.filter { d in proxyNames.contains { d.is($0) } }
        let proxyLines = vhostProxies.isEmpty ? mainDirectives.filter { d in proxyNames.contains { d.is($0) } } : vhostProxies
        if serverValue("RemoteIPInternalProxyList") != nil || serverValue("RemoteIPTrustedProxyList") != nil {
            uncertain.append("RemoteIPInternalProxyList/RemoteIPTrustedProxyList files are not read: their proxies are not known here")
        }
        var proxies: [(IPNetwork, internal: Bool, ApacheDirective)] = []
        for d in proxyLines {
            for a in d.args {
                if let n = IPMatch.network(a) { proxies.append((n, d.is("RemoteIPInternalProxy"), d)) }
                else { uncertain.append("\(d.location): \(InputError.quote(a)) is a host name; mod_remoteip resolves it at start-up, not modelled here") }
            }
        }
        guard let peer = IPAddress(req.effectiveClientIP), var remote = req.header(header) else { return }
        let value = remote
        var isInternal = !proxies.isEmpty
        var current = peer
        var accepted = false
        var by: ApacheDirective?
        var stop = ""
        while !remote.isEmpty {
            if !proxies.isEmpty {
                guard let m = proxies.first(where: { $0.0.contains(current) }) else {
                    stop = "\(current) is not a RemoteIPInternalProxy or RemoteIPTrustedProxy"
                    break
                }
                if isInternal { isInternal = m.internal }
                by = m.2
            }
            let part: Substring
            if let comma = remote.lastIndex(of: ",") {
                part = remote[remote.index(after: comma)...]
                remote = String(remote[..<comma])
            } else {
                part = Substring(remote)
                remote = ""
            }
            let hop = part.trimmingSpaces
            guard !hop.isEmpty else { stop = "an empty element"; break }
            guard let a = IPAddress(hop).map({ $0.mappedIPv4 ?? $0 }) else { stop = "\(InputError.quote(hop)) is not an address"; break }
            if !isInternal && Self.remoteIPReserved(a) {
                stop = "\(a) is a private or reserved address reported by a RemoteIPTrustedProxy (only an internal proxy may report one)"
                break
            }
            current = a
            accepted = true
        }
        var ev = [Evidence(headerLine.location, headerLine.text), Evidence(source: "header \(header)", text: value)]
        if let by { ev.append(Evidence(by.location, by.text)) }
        if accepted {
            remoteIP = current.description
            remoteIPEvidence = ev
            notes.append("mod_remoteip: the client address is \(current), taken from \(header) \(InputError.quote(value)) sent by \(peer)"
                         + (proxies.isEmpty ? " (no RemoteIPInternalProxy/RemoteIPTrustedProxy: every address is trusted, so a client can choose its own)" : "")
                         + (stop.isEmpty ? "" : "; the walk stopped where \(stop)"))
        } else {
            notes.append("mod_remoteip: \(header) \(InputError.quote(value)) is not believed (\(stop.isEmpty ? "no address" : stop)): the client address stays \(peer)")
        }
    }

    /// What mod_remoteip refuses from anything but an internal proxy.
    static func remoteIPReserved(_ a: IPAddress) -> Bool {
        let b = a.bytes
        if !a.isIPv6 {
            return b[0] == 10 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] & 0xf0 == 16)
                || (b[0] == 192 && b[1] == 168)
        }
        return b[0] & 0xe0 != 0x20
    }
}
