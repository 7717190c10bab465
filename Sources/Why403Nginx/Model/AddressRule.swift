import Why403Core

/// An address argument of nginx's access and geo modules: `all`, or an address block in Core's
/// `IPNetwork` syntax. nginx compares an IPv4-mapped IPv6 client with IPv4 rules as IPv4
/// (ngx_http_access_module), so `contains` does too.
struct CIDR: Equatable {
    /// The block; nil for `all`.
    var network: IPNetwork?

    static func parse(_ s: String) -> CIDR? {
        if s == "all" { return CIDR(network: nil) }
        return IPNetwork(s).map { CIDR(network: $0) }
    }

    /// The prefix length (`all` is 0).
    var prefix: Int { network?.prefixLength ?? 0 }

    func contains(_ ip: IPAddress) -> Bool { network?.contains(ip, matchingMappedIPv4: true) ?? true }
}
