import Why403Core
import Why403FileSystem

/// The outcome of the simulation before it becomes a report.
struct Outcome {
    var status: Int
    var findings: [Finding]
}

/// One request's run through httpd's phases: the state they share (the virtual host chosen, the
/// environment set so far, notes, `.htaccess` files read). Each phase is an extension in its own file.
struct Simulation {
    let config: ApacheConfig
    let input: ApacheAnalyzer.Input
    let req: ApacheRequest
    var fs: any FileSystemView { input.fileSystem }
    var notes: [String] = []
    var extraFindings: [Finding] = []
    /// A phase 2 ModSecurity block, decided at fixups (after access control).
    var modSecurityPhase2: Outcome?
    var uncertain: [String] = []
    var env: [String: String] = [:]
    var envSources: [String: ApacheDirective] = [:]
    var vhost: ApacheDirective?
    /// Top-level directives of the main server, then of the chosen virtual host.
    var serverDirectives: [ApacheDirective] = []
    var mainDirectives: [ApacheDirective] = []
    var vhostDirectives: [ApacheDirective] = []
    var htaccessRead: [String] = []
    /// ErrorDocument lines in effect for the request (by status).
    var errorDocuments: [String: ApacheDirective] = [:]
    /// The client address mod_remoteip took from a proxy's header (nil: the peer), and its evidence.
    var remoteIP: String?
    var remoteIPEvidence: [Evidence] = []
    /// True when httpd closes the connection without a response (a PROXY protocol listener that gets none).
    var connectionClosed = false
    /// True when the client address came from a PROXY protocol header (mod_remoteip then ignores RemoteIPHeader).
    var proxyProtocolApplied = false
    /// The address every rule sees: mod_remoteip's, else the peer's (127.0.0.1 when not given).
    var clientIP: String { remoteIP ?? req.effectiveClientIP }

    init(config: ApacheConfig, input: ApacheAnalyzer.Input) {
        self.config = config
        self.input = input
        self.req = ApacheRequest(input.request)
        self.notes = config.notes
    }

    // MARK: helpers

    /// The last plain directive `name` in `list` (the one httpd keeps).
    func lastDirective(_ name: String, in list: [ApacheDirective]) -> ApacheDirective? {
        list.last { $0.is(name) && !$0.isSection }
    }

    /// A server-level directive: the vhost's, else the main server's.
    func serverValue(_ name: String) -> ApacheDirective? {
        lastDirective(name, in: vhostDirectives) ?? lastDirective(name, in: mainDirectives)
    }

    /// `p` resolved against `ServerRoot` when relative.
    func resolve(_ p: String) -> String {
        if p.hasPrefix("/") { return p }
        return config.serverRoot + "/" + p
    }

    /// `%XX` decoded; nil when an escape is malformed (httpd answers 400).
    static func percentDecode(_ s: String) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
            } else { bytes.append(c) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a `..` of `path` climbs above the root: httpd refuses such a path with 400 (ap_normalize_path,
    /// AH10244 "invalid URI path"), where `normalize` stops at the root.
    static func climbsAboveRoot(_ path: String) -> Bool {
        var depth = 0
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if depth == 0 { return true }; depth -= 1; continue }
            depth += 1
        }
        return false
    }

    /// Collapses `//`, resolves `.` and `..` (ap_getparents).
    static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(part)
        }
        var s = "/" + out.joined(separator: "/")
        // A trailing "/." or "/.." leaves the slash (ap_getparents: /admin/. is /admin/).
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last
        if (path.hasSuffix("/") || last == "." || last == "..") && s != "/" { s += "/" }
        return s
    }

    /// A patch that replaces (or adds) a directive in a section, for fixes.
    func patchFor(_ d: ApacheDirective?, replace new: String, dir: String?) -> String {
        if let d {
            return "--- a\(d.location.file)\n+++ b\(d.location.file)\n@@ line \(d.location.line) @@\n-\(d.text)\n+\(new)\n"
        }
        let section = dir.map { "<Directory \($0)>" } ?? "<Directory>"
        return "+\(section)\n+    \(new)\n+</Directory>\n"
    }
}
