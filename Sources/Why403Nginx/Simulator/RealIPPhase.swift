import Why403Core

/// ngx_http_realip_module: the client address nginx uses (`$remote_addr`, allow/deny, geo, logs) when
/// the connection comes from a trusted proxy.
///
/// Follows ngx_http_realip_handler and ngx_http_get_forwarded_addr: when the TCP peer is inside a
/// `set_real_ip_from` block, the address is taken from `real_ip_header` (default `X-Real-IP`; for
/// `X-Forwarded-For` the last address, or with `real_ip_recursive on` the rightmost one that is not
/// itself trusted); a value that is not an address leaves the peer in place. The module runs in the
/// post-read phase with the server's configuration and, when only a location configures it, in the
/// preaccess phase with the location's; it applies once.
struct RealIP {
    /// The address nginx uses from now on.
    var address: IPAddress
    /// What produced it, as evidence (the trusted peer, the header and its value, the directive).
    var evidence: [Evidence]
    /// One line for the report: which address was used and why (or why the header was not believed).
    var note: String
}

extension Simulation {
    /// Applies realip with the directives in force at `levels`; nil when none is configured there.
    func realIP(at levels: [Directive]) -> RealIP? {
        let trustedLines = innermostGroup(["set_real_ip_from"], in: levels)
        guard !trustedLines.isEmpty else { return nil }
        let trusted: [(CIDR, Directive)] = trustedLines.compactMap { d in d.args.first.flatMap(CIDR.parse).map { ($0, d) } }
        let headerLine = nearest("real_ip_header", in: levels)
        let header = headerLine?.args.first ?? "X-Real-IP"
        let recursive = nearest("real_ip_recursive", in: levels)?.args.first?.lowercased() == "on"
        let peer = peerAddress
        guard let trustedBy = trusted.first(where: { $0.0.contains(peer) }) else {
            return RealIP(address: peer, evidence: [],
                          note: "the client address is the peer \(peer): it is not in set_real_ip_from (\(trustedLines.compactMap(\.args.first).joined(separator: ", "))), so \(header) is not believed")
        }
        var ev = [evidence(trustedBy.1)]
        if let headerLine { ev.append(evidence(headerLine)) }
        if header.lowercased() == "proxy_protocol" {
            guard let listen = proxyProtocolListen, let a = proxyProtocolAddress else {
                return RealIP(address: peer, evidence: ev,
                              note: "real_ip_header proxy_protocol: the address comes from the PROXY protocol header, which this request does not carry; the peer \(peer) was used")
            }
            ev.append(evidence(listen))
            ev.append(Evidence(source: "PROXY protocol header", text: "PROXY \(a.isIPv6 ? "TCP6" : "TCP4") \(a) …"))
            return RealIP(address: a, evidence: ev,
                          note: "the client address is \(a), from the PROXY protocol header sent by the trusted proxy \(peer) (real_ip_header proxy_protocol, set_real_ip_from at \(trustedBy.1.location))")
        }
        let values = request.headerValues(header)
        guard !values.isEmpty else {
            return RealIP(address: peer, evidence: ev, note: "the peer \(peer) is a trusted proxy (set_real_ip_from) but the request has no \(header): the peer's address is used")
        }
        if header.lowercased() != "x-forwarded-for" {
            // X-Real-IP and any other header: its (first) value is the address.
            guard let a = IPAddress(values[0].trimmingSpaces) else {
                return RealIP(address: peer, evidence: ev, note: "\(header) \(InputError.quote(values[0])) is not an address: nginx keeps the peer \(peer)")
            }
            ev.append(Evidence(source: "header \(header)", text: values[0]))
            return RealIP(address: a, evidence: ev,
                          note: "the client address is \(a), from \(header) sent by the trusted proxy \(peer) (set_real_ip_from at \(trustedBy.1.location))")
        }
        // X-Forwarded-For: from the last field backwards, each element from the right.
        var address = peer
        for value in values.reversed() {
            let hops = value.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            for hop in hops.reversed() {
                guard let a = IPAddress(hop) else {
                    return RealIP(address: address, evidence: ev + [Evidence(source: "header X-Forwarded-For", text: values.joined(separator: ", "))],
                                  note: "X-Forwarded-For holds \(InputError.quote(hop)), not an address: nginx stops there and uses \(address)")
                }
                address = a
                if !(recursive && trusted.contains(where: { $0.0.contains(a) })) {
                    ev.append(Evidence(source: "header X-Forwarded-For", text: values.joined(separator: ", ")))
                    return RealIP(address: a, evidence: ev,
                                  note: "the client address is \(a): the \(recursive ? "rightmost untrusted" : "last") address of X-Forwarded-For sent by the trusted proxy \(peer)"
                                    + (recursive ? " (real_ip_recursive on)" : " (real_ip_recursive off: the last address is taken whoever added it)"))
                }
            }
        }
        ev.append(Evidence(source: "header X-Forwarded-For", text: values.joined(separator: ", ")))
        return RealIP(address: address, evidence: ev,
                      note: "the client address is \(address): every address of X-Forwarded-For is trusted, so the leftmost is taken (real_ip_recursive on)")
    }

    /// The PROXY protocol against the listening socket: a `listen … proxy_protocol` socket closes a
    /// connection whose first bytes are not a PROXY header ("broken header" in the error log, no
    /// response); a plain socket reads a PROXY header as a request line that is not HTTP (400). Nil when
    /// they agree (with a note on what `$proxy_protocol_addr` and `$remote_addr` are).
    func proxyProtocolMismatch() -> SimulationResult? {
        if let listen = proxyProtocolListen {
            guard let a = proxyProtocolAddress else {
                let f = Finding(cause: .configError, layer: .nginx, confidence: .certain,
                                summary: "\(listen.text) at \(listen.location) expects a PROXY protocol header before the request; this request sends none, so nginx logs \"broken header\" and closes the connection without a response",
                                evidence: [evidence(listen)],
                                fixes: [Fix(summary: "send the request through the proxy (load balancer) that adds the PROXY protocol header, or test it with --proxy-protocol ADDR (curl --haproxy-protocol); a listener for clients that connect directly must not have proxy_protocol")])
                notes.append("the listener requires the PROXY protocol (\(listen.location)): a plain request such as this one fails; give --proxy-protocol ADDR to explain the request as the load balancer sends it")
                return SimulationResult(status: nil, findings: [f], notes: notes, trail: trail + [evidence(listen)], location: nil)
            }
            notes.append("PROXY protocol: $proxy_protocol_addr is \(a) (\(listen.location)); $remote_addr (allow/deny, geo, logs) becomes it only where real_ip_header proxy_protocol applies and set_real_ip_from trusts the peer \(peerAddress)")
            return nil
        }
        if let a = proxyProtocolAddress {
            let f = Finding(cause: .configError, layer: .nginx, confidence: .certain,
                            summary: "a PROXY protocol header (\(a)) is sent to a listener without proxy_protocol: nginx reads \"PROXY …\" as the request line and answers 400 Bad Request",
                            evidence: [Evidence(source: server.location.description, text: Simulation.listens(of: server).compactMap { $0.directive?.text }.first ?? "listen 80")],
                            fixes: [Fix(summary: "add proxy_protocol to the listen directive the proxy connects to (e.g. listen 80 proxy_protocol;), or stop sending the PROXY protocol from the proxy")])
            notes.append("the PROXY protocol header is sent, but no listen of this socket has proxy_protocol")
            return SimulationResult(status: 400, findings: [f], notes: notes, trail: trail, location: nil)
        }
        return nil
    }

    /// Runs realip once: with the server's configuration before the rewrite phases, else with the
    /// location's before access.
    func applyRealIP(at levels: [Directive]) {
        guard realIPApplied == nil, let r = realIP(at: levels) else { return }
        realIPApplied = r
        clientAddress = r.address
        notes.append(r.note)
    }
}
