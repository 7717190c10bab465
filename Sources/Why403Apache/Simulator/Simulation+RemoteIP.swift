import Why403Core

extension Simulation {
    /// mod_remoteip: the client address httpd uses (`Require ip`, `Require local`, `SetEnvIf Remote_Addr`,
    /// `%{REMOTE_ADDR}`, the error log's `[client …]`) when `RemoteIPHeader` is set.
    ///
    /// Follows remoteip_modify_request (httpd 2.4): the header's addresses are taken from the right while the
    /// current address is a listed proxy (`RemoteIPInternalProxy`, `RemoteIPTrustedProxy`; with neither, every
    /// address is trusted); an address that is not one stops the walk, and so does a private or reserved one
    /// (10/8, 127/8, 169.254/16, 172.16/12, 192.168/16; outside 2000::/3 for IPv6) reported by anything but an
    /// internal proxy. A virtual host uses the main server's proxies and its own. `RemoteIPTrustedProxyList` and
    /// `RemoteIPInternalProxyList` files are read as httpd reads them (words of each line, `#` ends the line);
    /// after the PROXY protocol (`applyProxyProtocol`) the header is not read at all (httpd keeps the PROXY address).
    mutating func applyRemoteIP() {
        guard let headerLine = serverValue("RemoteIPHeader"), let header = headerLine.args.first else { return }
        // remoteip_modify_request: an address from the PROXY protocol is used as is; the header is not read
        // (checked against httpd 2.4: a trusted peer's X-Forwarded-For changes nothing then).
        if proxyProtocolApplied {
            if let v = req.header(header) {
                notes.append("mod_remoteip: \(header) \(InputError.quote(v)) is not used on a PROXY protocol connection: the PROXY header's address \(clientIP) stays the client address (\(headerLine.location))")
            }
            return
        }
        let proxyNames = ["RemoteIPInternalProxy", "RemoteIPTrustedProxy", "RemoteIPInternalProxyList", "RemoteIPTrustedProxyList"]
        // The main server's proxies and the virtual host's both count in the virtual host (checked against
        // httpd 2.4: a peer listed only for the main server is trusted in a virtual host that lists others).
        let proxyLines = (mainDirectives + vhostDirectives).filter { d in proxyNames.contains { d.is($0) } }
        var proxies: [(IPNetwork, internal: Bool, ApacheDirective)] = []
        for d in proxyLines {
            let isInternal = d.is("RemoteIPInternalProxy") || d.is("RemoteIPInternalProxyList")
            let specs: [String]
            if d.is("RemoteIPInternalProxyList") || d.is("RemoteIPTrustedProxyList") {
                guard let file = d.args.first else { continue }
                specs = proxyListFile(resolve(file), directive: d)
            } else {
                specs = d.args
            }
            for a in specs {
                if let n = IPMatch.network(a) { proxies.append((n, isInternal, d)) }
                else { uncertain.append("\(d.location): \(InputError.quote(a)) is a host name; mod_remoteip resolves it at start-up, not modelled here") }
            }
        }
        guard let peer = IPAddress(remoteIP ?? req.effectiveClientIP), var remote = req.header(header) else { return }
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
        var ev = remoteIPEvidence + [Evidence(headerLine.location, headerLine.text), Evidence(source: "header \(header)", text: value)]
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

    /// The addresses and networks of a `RemoteIP…ProxyList` file: whitespace-separated words, a word that
    /// starts with `#` ends its line (remoteip's proxylist_read). An unreadable file is noted (httpd would
    /// not start).
    mutating func proxyListFile(_ path: String, directive d: ApacheDirective) -> [String] {
        guard let bytes = try? fs.read(path, limit: 4 << 20) else {
            uncertain.append("\(d.location): \(d.text): the file \(path) cannot be read here (httpd would not start: \"Could not open file\"); its proxies are not known")
            return []
        }
        var out: [String] = []
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                if word.hasPrefix("#") { break }
                out.append(String(word))
            }
        }
        return out
    }

    /// mod_remoteip's PROXY protocol (`RemoteIPProxyProtocol On`, httpd 2.4.31+): on such a server every
    /// connection must start with a PROXY header, except from `RemoteIPProxyProtocolExceptions` peers;
    /// its source address replaces the peer for everything after, and `RemoteIPHeader` is then ignored. A connection
    /// without the header is aborted (no response; httpd 2.4 logs nothing at LogLevel info);
    /// a header sent where none is expected is read as a request line that is not HTTP (400).
    /// Returns the outcome when the request ends here.
    mutating func applyProxyProtocol() -> Outcome? {
        let on = serverValue("RemoteIPProxyProtocol").flatMap { $0.args.first?.lowercased() == "on" ? $0 : nil }
        let peer = IPAddress(req.effectiveClientIP) ?? IPAddress("127.0.0.1")!
        var excepted: ApacheDirective?
        if on != nil {
            for d in (vhostDirectives + mainDirectives) where d.is("RemoteIPProxyProtocolExceptions") {
                if d.args.contains(where: { IPMatch.network($0)?.contains(peer) ?? false }) { excepted = d; break }
            }
        }
        let pp = input.proxyProtocol
        if let on, excepted == nil {
            guard let a = pp else {
                connectionClosed = true
                notes.append("the server requires the PROXY protocol (\(on.location)): a plain request such as this one fails; give --proxy-protocol ADDR to explain the request as the load balancer sends it")
                let f = Finding(cause: .configError, layer: .apache, confidence: .certain,
                                summary: "\(on.text) at \(on.location) expects a PROXY protocol header before the request; this request sends none, so mod_remoteip aborts the connection: httpd closes it without a response (and, at LogLevel info, logs nothing)",
                                evidence: [Evidence(on.location, on.text)],
                                fixes: [Fix(summary: "send the request through the proxy that adds the PROXY protocol header (or test with --proxy-protocol ADDR, curl --haproxy-protocol); list the peers that connect directly in RemoteIPProxyProtocolExceptions")])
                return Outcome(status: 0, findings: [f])
            }
            remoteIP = a.description
            proxyProtocolApplied = true
            remoteIPEvidence = [Evidence(on.location, on.text), Evidence(source: "PROXY protocol header", text: "PROXY \(a.isIPv6 ? "TCP6" : "TCP4") \(a) …")]
            notes.append("mod_remoteip: the client address is \(a), from the PROXY protocol header sent by \(peer) (\(on.location))")
            return nil
        }
        if let a = pp {
            let why = excepted.map { "the peer \(peer) is in RemoteIPProxyProtocolExceptions (\($0.location))" } ?? "no RemoteIPProxyProtocol On applies to this server"
            let f = Finding(cause: .configError, layer: .apache, confidence: .certain,
                            summary: "a PROXY protocol header (\(a)) is sent, but \(why): httpd reads \"PROXY …\" as the request line and answers 400 Bad Request",
                            evidence: [excepted.map { Evidence($0.location, $0.text) } ?? Evidence(source: vhost?.location.description ?? config.mainFile, text: vhost.map { "<VirtualHost \($0.args.joined(separator: " "))>" } ?? "(main server)")],
                            fixes: [Fix(summary: "enable the PROXY protocol where the proxy connects (LoadModule remoteip_module; RemoteIPProxyProtocol On), or stop sending it from the proxy")])
            return Outcome(status: 400, findings: [f])
        }
        return nil
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
