#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address: the one address type of every layer (nginx `allow`, Apache `Require ip`,
/// S3 `IpAddress` conditions, the client address of a request).
///
/// Parsing is `inet_pton`'s (RFC 4291 text forms for IPv6, dotted quad for IPv4); a bracketed IPv6
/// literal (`[::1]`, as in a URL) is accepted too. Hand-written rather than swift-nio's `SocketAddress`
/// because Core depends on no networking stack and needs only the bytes and prefix comparison.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), network order.
    public let bytes: [UInt8]

    /// An address from its 4 or 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses `a.b.c.d`, an IPv6 address, or a bracketed IPv6 literal; nil for anything else.
    public init?(_ text: some StringProtocol) {
        var s = String(text)
        if s.hasPrefix("[") && s.hasSuffix("]") && s.count > 2 { s = String(s.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, s, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
            return
        }
        return nil
    }

    /// Parses like `init?(_:)`, or throws an `InputError` naming what was given (for `--client-ip`).
    public static func parse(_ text: String, what: String = "an IP address") throws -> IPAddress {
        guard let a = IPAddress(text.trimmingSpaces) else {
            throw InputError(file: nil, expected: what + " (IPv4 or IPv6)", found: InputError.quote(text))
        }
        return a
    }

    /// True for an IPv6 address.
    public var isIPv6: Bool { bytes.count == 16 }

    /// The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:a.b.c.d`), else nil.
    public var mappedIPv4: IPAddress? {
        guard isIPv6, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return nil }
        return IPAddress(bytes: Array(bytes[12..<16]))
    }

    /// 127.0.0.0/8 or ::1 (what Apache's `Require local` calls local, with the server's own addresses).
    public var isLoopback: Bool {
        if isIPv6 { return mappedIPv4?.isLoopback ?? (bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1) }
        return bytes[0] == 127
    }

    /// The RFC 1918 / RFC 4193 private ranges, loopback and link-local: addresses a proxy usually has.
    public var isPrivate: Bool {
        if let v4 = mappedIPv4 { return v4.isPrivate }
        if isLoopback { return true }
        if isIPv6 { return bytes[0] & 0xfe == 0xfc || (bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80) }
        return bytes[0] == 10 || (bytes[0] == 172 && bytes[1] & 0xf0 == 16) || (bytes[0] == 192 && bytes[1] == 168)
            || (bytes[0] == 169 && bytes[1] == 254)
    }

    /// The canonical text form (`inet_ntop`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv6 ? AF_INET6 : AF_INET
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address block: an address and a prefix length (RFC 4632 CIDR), the one network type of every layer.
///
/// The text form `addr/len` (or a bare address, a /32 or /128) is parsed by `init?(_:)`; layers whose
/// own syntax has more forms (Apache's `10.1` and `a.b.c.d/m.m.m.m`, nginx's `all`) build an
/// `IPNetwork` with the initialisers below.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address as written (host bits are ignored when matching).
    public let address: IPAddress
    /// Leading bits that must match: 0...32 or 0...128.
    public let prefixLength: Int

    /// A block from an address and a prefix length; nil when the length is out of range.
    public init?(address: IPAddress, prefixLength: Int) {
        guard prefixLength >= 0, prefixLength <= address.bytes.count * 8 else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    /// `addr/len` or a bare address; surrounding spaces are ignored; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let t = String(text).trimmingSpaces
        let parts = t.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let a = IPAddress(parts[0]) else { return nil }
        var len = a.bytes.count * 8
        if parts.count == 2 {
            guard let l = Int(parts[1]), !parts[1].hasPrefix("+") else { return nil }
            len = l
        }
        self.init(address: a, prefixLength: len)
    }

    /// An IPv4 block from a dotted netmask (`10.0.0.0/255.0.0.0`); nil when the mask is not contiguous.
    public init?(address: IPAddress, netmask: IPAddress) {
        guard !address.isIPv6, !netmask.isIPv6 else { return nil }
        let m = netmask.bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let len = m.nonzeroBitCount
        guard m == (len == 0 ? 0 : ~UInt32(0) << UInt32(32 - len)) else { return nil }
        self.init(address: address, prefixLength: len)
    }

    /// Every address of a family: `0.0.0.0/0` or `::/0`.
    public static func everything(ipv6: Bool) -> IPNetwork {
        IPNetwork(address: IPAddress(bytes: [UInt8](repeating: 0, count: ipv6 ? 16 : 4))!, prefixLength: 0)!
    }

    /// Whether `ip` is inside the block. With `matchingMappedIPv4`, an IPv4-mapped IPv6 address
    /// (`::ffff:10.1.2.3`) is compared with an IPv4 block as its IPv4 address (nginx's access module
    /// does this); otherwise the families must agree.
    public func contains(_ ip: IPAddress, matchingMappedIPv4: Bool = false) -> Bool {
        var candidate = ip
        if matchingMappedIPv4, !address.isIPv6, let m = ip.mappedIPv4 { candidate = m }
        guard address.bytes.count == candidate.bytes.count else { return false }
        var bits = prefixLength
        var i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
            if address.bytes[i] & mask != candidate.bytes[i] & mask { return false }
            bits -= 8
            i += 1
        }
        return true
    }

    /// `addr/len`.
    public var description: String { "\(address)/\(prefixLength)" }
}
