import Why403Core
import Why403PCRE2
import Why403FileSystem
import Why403Htpasswd

/// One request followed through nginx's phases over a parsed configuration.
///
/// INVARIANT: `chain` always starts with the http block, then the server block, then the matched
/// locations (outermost first), then any `if` blocks whose condition held: inheritance looks from the
/// end of the chain towards its start, as nginx merges configurations.
final class Simulation {
    let config: NginxConfig
    let request: Request
    /// The URL, parsed (Core's one parser).
    let line: RequestTarget
    /// The URL's host without a trailing dot, as nginx compares it.
    let host: String
    /// The TCP peer: the client address given, else 127.0.0.1 (`$realip_remote_addr`).
    let peerAddress: IPAddress
    /// `$remote_addr`: the peer, or the address realip took from a trusted proxy's header.
    var clientAddress: IPAddress
    var clientIP: String { clientAddress.description }
    /// What realip did, once it ran (nil: not configured, or not yet).
    var realIPApplied: RealIP?
    /// The address the PROXY protocol header carries (`--proxy-protocol`), nil when none is sent.
    let proxyProtocolAddress: IPAddress?
    /// The `listen … proxy_protocol` of the socket the request arrived on (nil: the socket reads plain HTTP).
    var proxyProtocolListen: Directive?
    let fs: any FileSystemView
    let prefix: String
    let http: Directive
    let main: [Directive]

    var server: Directive!
    var serverChain: [Directive] = []
    var chain: [Directive] = []
    var uri: String
    /// Why nginx refuses the request line (400 before any phase), or nil (`URINormalizer.invalidReason`).
    let badRequestLine: String?
    var args: String?
    var isInternal = false
    var vars: [String: String] = [:]
    var captures: [String] = []
    var findings: [Finding] = []
    var possible: [Finding] = []
    var notes: [String] = []
    var trail: [Evidence] = []
    var remoteUser: String?
    let regexCache = RegexCache()
    var maps: [String: MapDef] = [:]
    var geos: [String: GeoDef] = [:]
    var evaluating: Set<String> = []
    var cycles = 0

    init(config: NginxConfig, request: Request, fs: any FileSystemView, prefix: String, proxyProtocol: IPAddress? = nil) throws {
        self.config = config
        self.proxyProtocolAddress = proxyProtocol
        self.request = request
        self.fs = fs
        self.prefix = prefix.hasSuffix("/") ? prefix : prefix + "/"
        self.line = request.target
        self.host = request.target.host.hasSuffix(".") ? String(request.target.host.dropLast()) : request.target.host
        self.peerAddress = request.clientAddress ?? IPAddress("127.0.0.1")!
        self.clientAddress = peerAddress
        main = config.expanded
        guard let h = main.first(where: { $0.name == "http" && $0.block != nil }) else {
            throw InputError(file: config.files.first?.path, expected: "an http { } block", found: "none")
        }
        http = h
        badRequestLine = URINormalizer.invalidReason(line.path)
        uri = URINormalizer.normalize(line.path) ?? "/"
        args = line.query
        collectMaps()
    }

    // MARK: Inheritance

    /// The innermost directive named `name` along the chain.
    func nearest(_ name: String, in levels: [Directive]? = nil) -> Directive? {
        for level in (levels ?? chain).reversed() {
            if let d = level.block?.last(where: { $0.name == name }) { return d }
        }
        return nil
    }

    /// The directives named in `names` of the innermost level that has any of them (nginx's
    /// "inherited only when not set at this level" rule for arrays such as allow/deny, error_page, index).
    func innermostGroup(_ names: Set<String>, in levels: [Directive]? = nil) -> [Directive] {
        for level in (levels ?? chain).reversed() {
            let g = level.block?.filter { names.contains($0.name) } ?? []
            if !g.isEmpty { return g }
        }
        return []
    }

    /// The user worker processes run as (`user` directive; nginx's compiled default is nobody).
    var workerUserName: String {
        if let u = main.first(where: { $0.name == "user" }), let n = u.args.first { return n }
        return "nobody"
    }

    var userDirective: Directive? { main.first(where: { $0.name == "user" }) }

    func evidence(_ d: Directive) -> Evidence { Evidence(d.location, d.text) }

    /// Evidence for a block directive: its opening line, e.g. `location /admin/ {`.
    func blockEvidence(_ d: Directive) -> Evidence { Evidence(d.location, d.text) }

    var locationName: String {
        if let loc = chain.last(where: { $0.name == "location" }) { return "location " + loc.args.joined(separator: " ") }
        return "server (no location matched)"
    }
}

/// Compiled regular expressions, by pattern and case flag.
final class RegexCache {
    var cache: [String: NginxRegex] = [:]

    /// The pattern compiled; nil when neither engine reads it.
    func regex(_ pattern: String, caseless: Bool) -> NginxRegex? {
        let key = (caseless ? "i:" : "c:") + pattern
        if let r = cache[key] { return r }
        guard let r = NginxRegex(pattern, caseless: caseless) else { return nil }
        cache[key] = r
        return r
    }
}

/// An nginx regular expression, matched with PCRE2, nginx's own engine (`PCRE2Code`), when libpcre2-8 is there; else
/// with Swift's `Regex`, which reads the same syntax for what configurations use.
final class NginxRegex {
    private let pcre: PCRE2Code?
    private let swift: Regex<AnyRegexOutput>?

    /// A match: the groups (0 the whole match, "" for a group that took no part) and the named ones.
    struct Match {
        var groups: [String]
        var named: [(name: String, value: String)]
    }

    init?(_ pattern: String, caseless: Bool) {
        if PCRE2.available {
            guard let p = PCRE2Code(pattern, caseless: caseless) else { return nil }
            pcre = p
            swift = nil
        } else {
            guard var r = try? Regex(pattern.replacingAll("(?P<", with: "(?<")) else { return nil }
            if caseless { r = r.ignoresCase() }
            pcre = nil
            swift = r
        }
    }

    /// The first match in `subject`, nil when there is none (or PCRE2 stopped on its match limit).
    func firstMatch(in subject: String) -> Match? {
        if let pcre {
            guard case .success(let groups?) = pcre.firstMatch(in: subject) else { return nil }
            return Match(groups: groups, named: pcre.names.compactMap { $0.0 < groups.count ? ($0.1, groups[$0.0]) : nil })
        }
        guard let swift, let m = try? swift.firstMatch(in: subject) else { return nil }
        var named: [(name: String, value: String)] = []
        for i in 0..<m.output.count { if let n = m.output[i].name { named.append((n, m.output[i].substring.map(String.init) ?? "")) } }
        return Match(groups: (0..<m.output.count).map { m.output[$0].substring.map(String.init) ?? "" }, named: named)
    }
}
