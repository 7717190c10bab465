import Why403Core

/// `IpAddress` and `NotIpAddress` (IAM condition operators page, "IP address condition operators"):
/// an address or RFC 4632 CIDR block, IPv4 or IPv6; a bare address is a /32 (/128). Parsed and
/// matched by Core's `IPNetwork`.
enum IPAddressCondition {
    static func matches(policy: String, request: String) -> Bool {
        guard let c = IPNetwork(policy), let a = IPAddress(request.trimmingCharacters(" ")) else { return false }
        return c.contains(a)
    }
}
