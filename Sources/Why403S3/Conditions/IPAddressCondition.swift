#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `IpAddress` and `NotIpAddress` (IAM condition operators page, "IP address condition operators"):
/// an address or RFC 4632 CIDR block, IPv4 or IPv6; a bare address is a /32 (/128).
enum IPAddressCondition {
    /// Address bytes and prefix length.
    struct CIDR: Equatable {
        var bytes: [UInt8]
        var prefix: Int
    }

    static func parseAddress(_ s: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, s, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func parseCIDR(_ s: String) -> CIDR? {
        let t = s.trimmingCharacters(" ")
        let parts = t.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = parseAddress(String(parts[0])) else { return nil }
        var prefix = bytes.count * 8
        if parts.count == 2 {
            guard let p = Int(parts[1]), p >= 0, p <= bytes.count * 8 else { return nil }
            prefix = p
        }
        return CIDR(bytes: bytes, prefix: prefix)
    }

    static func contains(_ cidr: CIDR, _ address: [UInt8]) -> Bool {
        guard cidr.bytes.count == address.count else { return false }
        var bits = cidr.prefix
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if cidr.bytes[i] & mask != address[i] & mask { return false }
            bits -= 8
            i += 1
        }
        return true
    }

    static func matches(policy: String, request: String) -> Bool {
        guard let c = parseCIDR(policy), let a = parseAddress(request.trimmingCharacters(" ")) else { return false }
        return contains(c, a)
    }
}
