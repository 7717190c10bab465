import Glibc

/// An IPv4 or IPv6 address as bytes, and CIDR matching as nginx's access module does it.
struct IPAddress: Equatable {
    var bytes: [UInt8]  // 4 or 16
    var isV6: Bool { bytes.count == 16 }

    static func parse(_ s: String) -> IPAddress? {
        var text = s
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return IPAddress(bytes: withUnsafeBytes(of: v4) { Array($0) })
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return IPAddress(bytes: withUnsafeBytes(of: v6) { Array($0) })
        }
        return nil
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d).
    var mappedV4: IPAddress? {
        guard isV6, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return nil }
        return IPAddress(bytes: Array(bytes[12..<16]))
    }
}

/// `addr/len`, a bare address, or `all`.
struct CIDR: Equatable {
    var address: IPAddress?
    var prefix: Int
    var all: Bool

    static func parse(_ s: String) -> CIDR? {
        if s == "all" { return CIDR(address: nil, prefix: 0, all: true) }
        let parts = s.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let addr = IPAddress.parse(String(parts[0])) else { return nil }
        let maxLen = addr.bytes.count * 8
        var len = maxLen
        if parts.count == 2 {
            guard let l = Int(parts[1]), l >= 0, l <= maxLen else { return nil }
            len = l
        }
        return CIDR(address: addr, prefix: len, all: false)
    }

    func contains(_ ip: IPAddress) -> Bool {
        if all { return true }
        guard let a = address else { return false }
        var candidate = ip
        if a.bytes.count == 4, let m = ip.mappedV4 { candidate = m }
        guard a.bytes.count == candidate.bytes.count else { return false }
        var bits = prefix
        for i in 0..<a.bytes.count where bits > 0 {
            let take = min(8, bits)
            let mask: UInt8 = take == 8 ? 0xff : ~(0xff >> UInt8(take))
            if a.bytes[i] & mask != candidate.bytes[i] & mask { return false }
            bits -= take
        }
        return true
    }
}
