import Foundation

/// What this machine's resolver says a host name is (`/etc/hosts`, then DNS): the numeric IPv4 and IPv6
/// addresses. Used where a configuration names hosts that the server resolves on its own machine
/// (`Require forward-dns`) and by `diagnose` to tell whether a URL is served here. A name that does not
/// resolve gives no address (never an error).
public enum HostAddresses {
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
            if let a = numeric(ai.pointee.ai_addr, Int(ai.pointee.ai_addrlen)), !out.contains(a) { out.append(a) }
            p = ai.pointee.ai_next
        }
        return out
    }

    /// A socket address as text (`getnameinfo` with `NI_NUMERICHOST`).
    public static func numeric(_ addr: UnsafeMutablePointer<sockaddr>?, _ len: Int) -> String? {
        guard let addr else { return nil }
        var buf = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(addr, socklen_t(len), &buf, socklen_t(buf.count), nil, 0, NI_NUMERICHOST) == 0 else { return nil }
        return String(cString: buf)
    }
}
