import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.0 request preceded by a PROXY protocol header (v1 text, or v2 binary) whose source address
/// is chosen, IPv4 or IPv6, from a chosen loopback address: the differential suites' way to send a PROXY
/// address other than the connection's own. Hand-written because curl 7.88 (Debian 12) can only send its
/// own address, in v1 (`--haproxy-protocol`; `--haproxy-clientip` arrived in curl 8.2).
public enum ProxyProtocolClient {
    /// The status code the server answers, 0 when it closes the connection without an answer, -1 when
    /// the connection cannot be made.
    public static func status(from source: String, proxyAddress: String, port: Int, method: String = "GET",
                              path: String, headers: [String], version: Int = 1) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func address(_ ip: String, _ port: Int) -> sockaddr_in {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, ip, &a.sin_addr)
            return a
        }
        var local = address(source, 0)
        var remote = address("127.0.0.1", port)
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard withUnsafePointer(to: &local, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }) == 0,
              withUnsafePointer(to: &remote, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, size) } }) == 0
        else { return -1 }
        let v6 = proxyAddress.contains(":")
        var text = "\(method) \(path) HTTP/1.0\r\n"
        for h in headers { text += h + "\r\n" }
        text += "\r\n"
        let bytes = header(proxyAddress, v6: v6, port: port, version: version) + Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return -1 }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while answer.count < 64 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            answer += buffer[..<n]
        }
        // "HTTP/1.1 403 Forbidden": the second word.
        let line = String(decoding: answer.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let words = line.split(separator: " ")
        return words.count >= 2 ? Int(words[1]) ?? 0 : 0
    }

    /// The PROXY header: v1 `PROXY TCP4|TCP6 src dst sport dport\r\n`, or v2's binary form (signature,
    /// version 2 + PROXY command, TCP over IPv4 or IPv6, the addresses and ports in network order).
    static func header(_ source: String, v6: Bool, port: Int, version: Int) -> [UInt8] {
        let destination = v6 ? "::1" : "127.0.0.1"
        guard version == 2 else { return Array("PROXY \(v6 ? "TCP6" : "TCP4") \(source) \(destination) 40000 \(port)\r\n".utf8) }
        func bytes(_ ip: String) -> [UInt8] {
            if v6 {
                var a = in6_addr()
                inet_pton(AF_INET6, ip, &a)
                return withUnsafeBytes(of: &a) { Array($0) }
            }
            var a = in_addr()
            inet_pton(AF_INET, ip, &a)
            return withUnsafeBytes(of: &a) { Array($0) }
        }
        var out: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, v6 ? 0x21 : 0x11]
        let length = v6 ? 36 : 12
        out += [UInt8(length >> 8), UInt8(length & 0xFF)]
        out += bytes(source) + bytes(destination)
        out += [UInt8(40000 >> 8), UInt8(40000 & 0xFF), UInt8(port >> 8), UInt8(port & 0xFF)]
        return out
    }
}
