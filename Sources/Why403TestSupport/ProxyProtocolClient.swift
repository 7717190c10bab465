import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.0 request preceded by a PROXY protocol v1 header whose source address is chosen, from a
/// chosen loopback address: the differential suites' way to send a PROXY address other than the
/// connection's own. Hand-written because curl 7.88 (Debian 12) can only send its own address
/// (`--haproxy-protocol`; `--haproxy-clientip` arrived in curl 8.2). IPv4 only.
public enum ProxyProtocolClient {
    /// The status code the server answers, 0 when it closes the connection without an answer, -1 when
    /// the connection cannot be made.
    public static func status(from source: String, proxyAddress: String, port: Int, method: String = "GET",
                              path: String, headers: [String]) -> Int {
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
        var text = "PROXY TCP4 \(proxyAddress) 127.0.0.1 40000 \(port)\r\n\(method) \(path) HTTP/1.0\r\n"
        for h in headers { text += h + "\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8)
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
}
