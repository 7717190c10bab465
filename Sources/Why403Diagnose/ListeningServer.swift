import Why403Core
import Why403FileSystem

/// The process that listens on a URL's address and port on this machine, found as `ss -ltnp` finds it:
/// the kernel's socket tables (`/proc/net/tcp`, `/proc/net/tcp6`, state 0A = LISTEN) give the socket's
/// inode, and the process holding it is the one with a `/proc/PID/fd/N -> socket:[INODE]` link. Its
/// executable (`/proc/PID/exe`), command line and environment say which server it is and which
/// configuration it was started with (`nginx -c -p -g`, `apache2 -f -d -D`, Debian's `APACHE_CONFDIR`).
///
/// Everything is read through a `FileSystemView`, so a test can lay out a `/proc` in memory. Hand-written:
/// no package in the offline set reads the socket tables, and `ss` is not on every server.
public struct ListeningServer: Sendable, Equatable {
    /// Which server the executable is.
    public enum Kind: String, Sendable { case nginx, apache, other }

    /// The process holding the listening socket (the master, when its workers hold it too).
    public var pid: Int
    /// The executable's path (`/usr/sbin/nginx`), as `/proc/PID/exe` points.
    public var executable: String
    /// The command line, as started.
    public var arguments: [String]
    /// nginx, Apache httpd, or something else.
    public var kind: Kind
    /// The address and port of the listening socket (`127.0.0.1:8080`, `[::]:80`).
    public var socket: String
    /// The main configuration file the server reads (from `-c` / `-f`, else the built-in default).
    public var config: String?
    /// nginx's prefix (`-p`) or httpd's ServerRoot (`-d`).
    public var prefix: String?
    /// httpd's `-D` parameters.
    public var defines: [String]
    /// The process's environment (httpd expands `${VAR}` from it).
    public var environment: [String: String]
    /// Set when the process runs in another mount namespace (a container): the path its files are read
    /// through (`/proc/PID/root`).
    public var containerRoot: String?
    /// What was left out of the analysis (`-g` directives, `-C` / `-c` directives).
    public var caveats: [String]

    /// How it was found, as evidence a person can check.
    public var evidence: [Evidence] {
        var e = [Evidence(source: "socket \(socket)", text: "LISTEN, held by pid \(pid) (/proc/\(pid)/fd)"),
                 Evidence(source: "/proc/\(pid)/exe", text: executable),
                 Evidence(source: "/proc/\(pid)/cmdline", text: arguments.joined(separator: " "))]
        if let containerRoot { e.append(Evidence(source: "/proc/\(pid)/ns/mnt", text: "another mount namespace (a container): files read through \(containerRoot)")) }
        return e
    }

    /// Finds the server listening on `port` at one of `addresses` (a wildcard socket matches any); nil
    /// when nothing on this machine listens there or `/proc` cannot be read.
    public static func find(port: Int, addresses: [IPAddress], in fs: any FileSystemView) -> ListeningServer? {
        let sockets = listeningSockets(in: fs).filter { s in
            s.port == port && (s.address.bytes.allSatisfy { $0 == 0 } || addresses.contains { a in
                a == s.address || a.mappedIPv4 == s.address || s.address.mappedIPv4 == a
            })
        }
        guard !sockets.isEmpty else { return nil }
        let inodes = Set(sockets.map(\.inode))
        var holders: [Int: String] = [:]  // pid -> inode's socket text
        for entry in fs.list("/proc") ?? [] {
            guard let pid = Int(entry) else { continue }
            for fd in fs.list("/proc/\(pid)/fd") ?? [] {
                guard let target = fs.info("/proc/\(pid)/fd/\(fd)")?.symlinkTarget,
                      target.hasPrefix("socket:["), let inode = Int(target.dropFirst(8).dropLast()), inodes.contains(inode),
                      let s = sockets.first(where: { $0.inode == inode }) else { continue }
                holders[pid] = s.text
            }
        }
        // The master: a holder whose parent holds none of these sockets.
        let pids = holders.keys.sorted()
        guard let pid = pids.first(where: { parent(of: $0, in: fs).map { !holders.keys.contains($0) } ?? true }) ?? pids.first else { return nil }
        return describe(pid: pid, socket: holders[pid]!, in: fs)
    }

    /// The server process `pid` as its command line and environment describe it.
    static func describe(pid: Int, socket: String, in fs: any FileSystemView) -> ListeningServer {
        let exe = fs.info("/proc/\(pid)/exe")?.symlinkTarget ?? "?"
        let args = nulSeparated(fs, "/proc/\(pid)/cmdline")
        var env: [String: String] = [:]
        for kv in nulSeparated(fs, "/proc/\(pid)/environ") {
            if let eq = kv.firstIndex(of: "=") { env[String(kv[..<eq])] = String(kv[kv.index(after: eq)...]) }
        }
        let name = String((exe.split(separator: "/").last ?? "").split(separator: " ").first ?? "")
        let argName = String(args.first?.split(separator: "/").last ?? "")
        var kind = Kind.other
        if name == "nginx" || argName.hasPrefix("nginx") { kind = .nginx }
        if ["apache2", "httpd"].contains(name) || ["apache2", "httpd"].contains(argName) { kind = .apache }
        let own = fs.info("/proc/self/ns/mnt")?.symlinkTarget
        let theirs = fs.info("/proc/\(pid)/ns/mnt")?.symlinkTarget
        let container = own != nil && theirs != nil && own != theirs ? "/proc/\(pid)/root" : nil
        var server = ListeningServer(pid: pid, executable: exe, arguments: args, kind: kind, socket: socket, config: nil,
                                     prefix: nil, defines: [], environment: env, containerRoot: container, caveats: [])
        switch kind {
        case .nginx: server.readNginxOptions()
        case .apache: server.readApacheOptions(daemon: name.isEmpty ? argName : name)
        case .other: break
        }
        return server
    }

    /// `nginx [-p prefix] [-c file] [-g directives]`; Debian's built-in defaults otherwise.
    mutating func readNginxOptions() {
        var conf: String?, prefix: String?
        // The master rewrites its argv into one title, "nginx: master process /usr/sbin/nginx -p P -c C -g D":
        // /proc/PID/cmdline then holds that one string, split here on spaces (paths with spaces are lost).
        var args = arguments
        if args.count == 1, let title = args.first, title.hasPrefix("nginx: master process ") {
            args = ["nginx"] + title.dropFirst("nginx: master process ".count).split(separator: " ").dropFirst().map(String.init)
        }
        var i = 1
        while i < args.count {
            let a = args[i]
            let value = i + 1 < args.count ? args[i + 1] : nil
            switch a {
            case "-c": conf = value; i += 1
            case "-p": prefix = value; i += 1
            case "-g":
                var words: [String] = []
                while i + 1 < args.count, !(args[i + 1].hasPrefix("-") && args[i + 1].count == 2) { words.append(args[i + 1]); i += 1 }
                caveats.append("nginx was started with -g \(InputError.quote(words.joined(separator: " "))): those directives are not part of the analysis")
            default:
                if a.hasPrefix("-c"), a.count > 2 { conf = String(a.dropFirst(2)) }
                if a.hasPrefix("-p"), a.count > 2 { prefix = String(a.dropFirst(2)) }
            }
            i += 1
        }
        let p = prefix ?? "/usr/share/nginx"
        self.prefix = p
        let c = conf ?? "/etc/nginx/nginx.conf"
        config = c.hasPrefix("/") ? c : (p.hasSuffix("/") ? p : p + "/") + c
        if conf == nil { caveats.append("nginx was started without -c: its built-in default \(c) (Debian's) is assumed") }
    }

    /// `apache2|httpd [-d serverroot] [-f file] [-D name]...`; Debian's `APACHE_CONFDIR`, else the built-in defaults.
    mutating func readApacheOptions(daemon: String) {
        var conf: String?, root: String?
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            let value = i + 1 < arguments.count ? arguments[i + 1] : nil
            switch a {
            case "-f": conf = value; i += 1
            case "-d": root = value; i += 1
            case "-D": if let value { defines.append(value) }; i += 1
            case "-C", "-c": if let value { caveats.append("httpd was started with \(a) \(InputError.quote(value)): that directive is not part of the analysis") }; i += 1
            default:
                if a.hasPrefix("-D"), a.count > 2 { defines.append(String(a.dropFirst(2))) }
                if a.hasPrefix("-f"), a.count > 2 { conf = String(a.dropFirst(2)) }
                if a.hasPrefix("-d"), a.count > 2 { root = String(a.dropFirst(2)) }
            }
            i += 1
        }
        let debian = daemon == "apache2"
        let serverRoot = root ?? environment["APACHE_CONFDIR"] ?? (debian ? "/etc/apache2" : "/etc/httpd")
        prefix = serverRoot
        let c = conf ?? (debian ? "apache2.conf" : "conf/httpd.conf")
        config = c.hasPrefix("/") ? c : (serverRoot.hasSuffix("/") ? serverRoot : serverRoot + "/") + c
    }

    // MARK: /proc

    struct Socket { var address: IPAddress; var port: Int; var inode: Int; var text: String }

    /// The LISTEN sockets of `/proc/net/tcp` and `/proc/net/tcp6`.
    static func listeningSockets(in fs: any FileSystemView) -> [Socket] {
        var out: [Socket] = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let bytes = try? fs.read(table, limit: 16 << 20) else { continue }
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                guard f.count >= 10, f[3] == "0A", let inode = Int(f[9]), inode != 0 else { continue }
                let local = f[1].split(separator: ":")
                guard local.count == 2, let port = Int(local[1], radix: 16), let address = kernelAddress(local[0]) else { continue }
                let text = address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
                out.append(Socket(address: address, port: port, inode: inode, text: text))
            }
        }
        return out
    }

    /// The kernel prints each 32-bit word of an address in host order (little-endian here) as hex.
    static func kernelAddress(_ hex: Substring) -> IPAddress? {
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let word = hex[i..<hex.index(i, offsetBy: 8)]
            guard let v = UInt32(word, radix: 16) else { return nil }
            let le = v.littleEndian
            bytes += [UInt8(le & 0xff), UInt8(le >> 8 & 0xff), UInt8(le >> 16 & 0xff), UInt8(le >> 24)]
            i = hex.index(i, offsetBy: 8)
        }
        return IPAddress(bytes: bytes)
    }

    static func parent(of pid: Int, in fs: any FileSystemView) -> Int? {
        guard let bytes = try? fs.read("/proc/\(pid)/stat", limit: 4096) else { return nil }
        let s = String(decoding: bytes, as: UTF8.self)
        // "PID (comm) STATE PPID ...": comm may hold spaces and parentheses, so split after the last ')'.
        guard let close = s.lastIndex(of: ")") else { return nil }
        let rest = s[s.index(after: close)...].split(separator: " ")
        return rest.count >= 2 ? Int(rest[1]) : nil
    }

    static func nulSeparated(_ fs: any FileSystemView, _ path: String) -> [String] {
        guard let bytes = try? fs.read(path, limit: 1 << 20) else { return [] }
        return bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
