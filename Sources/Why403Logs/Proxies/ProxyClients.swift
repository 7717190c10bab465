import Why403Core

/// Whether the client addresses of the refusals look like proxies (issue 14): then an allowlist
/// (`allow`/`deny`, `Require ip`) probably compares the proxy's address, not the visitor's.
///
/// Three signs, over the refused requests' client addresses (the only ones the scan keeps):
/// - Cloudflare's published ranges (`CloudflareRanges`) carry at least half of them: the origin sees
///   Cloudflare's edge, the visitor is in CF-Connecting-IP;
/// - private, shared (100.64/10), loopback or link-local addresses carry at least half: a load balancer,
///   an ingress or a local reverse proxy connects, the visitor is in X-Forwarded-For or the PROXY protocol;
/// - at most three addresses carry at least 90% of 50 or more refusals, from a single path: possibly one
///   proxy (or one client hammering one path, which a burst would also show).
/// The finding is `likely` for the first two when some refusals are address rules (`access.ip`), else
/// `possible`; never `certain`: the log cannot prove what stands in front of the server.
enum ProxyClients {
    /// The kind of address a client is, for the report.
    enum Kind: String {
        case cloudflare = "a Cloudflare edge address"
        case privateRange = "a private, loopback or load-balancer range"
        case other = "a public address"
    }

    static let cloudflare: [IPNetwork] = (CloudflareRanges.ipv4 + CloudflareRanges.ipv6).compactMap { IPNetwork($0) }
    static let privateRanges: [IPNetwork] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "100.64.0.0/10",
                                             "169.254.0.0/16", "fc00::/7", "::1/128", "fe80::/10"].compactMap { IPNetwork($0) }

    /// What `client` (a log's address field) is; nil when it is not an address (a host name).
    static func kind(_ client: String) -> Kind? {
        guard let a = IPAddress(client) else { return nil }
        let v = a.mappedIPv4 ?? a
        if cloudflare.contains(where: { $0.contains(v) }) { return .cloudflare }
        if privateRanges.contains(where: { $0.contains(v) }) { return .privateRange }
        return .other
    }

    /// The finding, or nil when the addresses do not look like proxies.
    /// - Parameters:
    ///   - clients: refusals per client address (the scan's top clients, with counts).
    ///   - total: all refusals counted.
    ///   - distinctPaths: how many paths were refused.
    ///   - addressRuleRefusals: refusals whose cause is an address rule (`access.ip`).
    ///   - layer: the server whose log it is.
    static func finding(clients: [(key: String, count: Int)], total: Int, distinctPaths: Int,
                        addressRuleRefusals: Int, layer: Layer) -> Finding? {
        guard total > 0, !clients.isEmpty else { return nil }
        var byKind: [Kind: Int] = [:]
        for c in clients { if let k = kind(c.key) { byKind[k, default: 0] += c.count } }
        let cf = byKind[.cloudflare] ?? 0, priv = byKind[.privateRange] ?? 0
        let top3 = clients.prefix(3).reduce(0) { $0 + $1.count }
        let why: String
        var confidence: Confidence = addressRuleRefusals > 0 ? .likely : .possible
        if cf * 2 >= total {
            why = "\(cf) of \(total) refusals come from Cloudflare's published ranges: the server sees Cloudflare's edge, not the visitor"
        } else if priv * 2 >= total {
            why = "\(priv) of \(total) refusals come from private, loopback or load-balancer addresses: a proxy (load balancer, ingress, local reverse proxy) connects, not the visitor"
        } else if total >= 50, top3 * 10 >= total * 9, distinctPaths > 1 {
            why = "\(min(3, clients.count)) address\(clients.count == 1 ? "" : "es") carry \(top3) of \(total) refusals across \(distinctPaths) paths: they look like proxies in front of the server"
            confidence = .possible
        } else {
            return nil
        }
        let evidence = clients.prefix(5).map { c in
            Evidence(source: "client \(c.key)", text: "\(c.count) refusal\(c.count == 1 ? "" : "s"); \(kind(c.key)?.rawValue ?? "not an address")")
        }
        let cdn = cf * 2 >= total
        var checks = [
            "which proxy connects to the server (load balancer, CDN, ingress) and which header carries the visitor's address (X-Forwarded-For, X-Real-IP, CF-Connecting-IP, the PROXY protocol)",
            "nginx: set_real_ip_from <the proxies' addresses>; real_ip_header X-Forwarded-For (or CF-Connecting-IP, or proxy_protocol with listen … proxy_protocol); real_ip_recursive on when several proxies add to X-Forwarded-For",
            "Apache: RemoteIPHeader X-Forwarded-For (or CF-Connecting-IP) with RemoteIPTrustedProxy/RemoteIPInternalProxy <the proxies' addresses> (or RemoteIPTrustedProxyList), or RemoteIPProxyProtocol On",
            "trust only the proxies' own addresses: trusting everyone lets any client choose its address by sending the header",
        ]
        if cdn { checks.insert("Cloudflare: trust its ranges (https://www.cloudflare.com/ips-v4, /ips-v6) and read CF-Connecting-IP", at: 1) }
        let fix = Fix(summary: cdn
                      ? "restore the visitor's address from CF-Connecting-IP for Cloudflare's ranges only (nginx: set_real_ip_from each range; real_ip_header CF-Connecting-IP; Apache: RemoteIPHeader CF-Connecting-IP; RemoteIPTrustedProxy each range), then check the allowlist again with why403 nginx|apache --client-ip <edge address> -H 'CF-Connecting-IP: <visitor>'"
                      : "restore the visitor's address from the proxy's header for the proxies' addresses only (nginx realip, Apache mod_remoteip), then check the allowlist again with why403 nginx|apache --client-ip <proxy> -H 'X-Forwarded-For: <visitor>' (or --proxy-protocol <visitor>)")
        return Finding(cause: .accessIP, layer: layer, confidence: confidence,
                       summary: "the client addresses look like proxies: \(why); an address allowlist (allow/deny, Require ip) probably sees the proxy's address"
                        + (addressRuleRefusals > 0 ? " (\(addressRuleRefusals) refusals here are address rules)" : ""),
                       evidence: evidence, fixes: [fix], rule: "proxy-addresses", checks: checks,
                       details: ["cloudflare": .int(cf), "private": .int(priv), "top3": .int(top3), "total": .int(total)])
    }
}

extension ProxyClients {
    /// The finding for a scan's aggregates (the hook in `LogsReportBuilder`).
    static func finding(for agg: Aggregator) -> Finding? {
        // Edge logs (CDN, balancer, WAF) name the visitor themselves: only a web server's own log is read this way.
        let serverLayers: Set<Layer> = [.nginx, .apache, .filesystem, .selinux, .modsecurity, .application, .unknown]
        guard agg.groups.allSatisfy({ serverLayers.contains($0.layer) }) else { return nil }
        let layer = agg.groups.first { $0.layer == .nginx || $0.layer == .apache }?.layer ?? .unknown
        return finding(clients: agg.clients.top(64).map { ($0.key, $0.count) }, total: agg.total, distinctPaths: agg.paths.distinct,
                       addressRuleRefusals: agg.groups.filter { $0.cause == .accessIP }.reduce(0) { $0 + $1.count }, layer: layer)
    }
}
