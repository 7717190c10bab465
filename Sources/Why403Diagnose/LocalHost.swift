import Foundation

/// Whether a URL's host is served by this machine, so its configuration, files and logs can be read.
public enum LocalHost {
    /// True when `host` is a loopback name or address, or resolves to an address of a local interface.
    public static func isLocal(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if h == "localhost" || h.hasSuffix(".localhost") || h == "::1" || h.hasPrefix("127.") { return true }
        let local = interfaceAddresses()
        return resolve(h).contains { local.contains($0) || $0.hasPrefix("127.") || $0 == "::1" }
    }

    /// The numeric addresses `host` resolves to (IPv4 and IPv6).
    @Sendable public static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let ai = p {
            if let a = numeric(ai.pointee.ai_addr, Int(ai.pointee.ai_addrlen)) { out.append(a) }
            p = ai.pointee.ai_next
        }
        return out
    }

    /// The addresses of this machine's interfaces.
    static func interfaceAddresses() -> Set<String> {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(first) }
        var out: Set<String> = []
        var p: UnsafeMutablePointer<ifaddrs>? = first
        while let ifa = p {
            if let addr = ifa.pointee.ifa_addr {
                let len = addr.pointee.sa_family == sa_family_t(AF_INET6)
                    ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size
                if addr.pointee.sa_family == sa_family_t(AF_INET) || addr.pointee.sa_family == sa_family_t(AF_INET6),
                   let a = numeric(addr, len) { out.insert(a) }
            }
            p = ifa.pointee.ifa_next
        }
        return out
    }

    static func numeric(_ addr: UnsafeMutablePointer<sockaddr>?, _ len: Int) -> String? {
        guard let addr else { return nil }
        var buf = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(addr, socklen_t(len), &buf, socklen_t(buf.count), nil, 0, NI_NUMERICHOST) == 0 else { return nil }
        return String(cString: buf)
    }
}
