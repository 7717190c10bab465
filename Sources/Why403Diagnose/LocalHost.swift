import Foundation
import Why403FileSystem

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
    @Sendable public static func resolve(_ host: String) -> [String] { HostAddresses.resolve(host) }

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
                   let a = HostAddresses.numeric(addr, len) { out.insert(a) }
            }
            p = ifa.pointee.ifa_next
        }
        return out
    }
}
