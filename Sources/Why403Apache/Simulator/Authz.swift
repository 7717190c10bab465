#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core
import Why403FileSystem

/// A mod_authz_core tree: `Require` lines inside `<RequireAll>`, `<RequireAny>`, `<RequireNone>`.
indirect enum AuthzNode {
    case require(negated: Bool, provider: String, args: [String], source: ApacheDirective)
    case all([AuthzNode], source: ApacheDirective?)
    case any([AuthzNode], source: ApacheDirective?)
    case none([AuthzNode], source: ApacheDirective?)

    static func parse(_ d: ApacheDirective) -> AuthzNode {
        switch d.key {
        case "requireall": return .all((d.children ?? []).filter(isAuthz).map(parse), source: d)
        case "requireany": return .any((d.children ?? []).filter(isAuthz).map(parse), source: d)
        case "requirenone": return .none((d.children ?? []).filter(isAuthz).map(parse), source: d)
        default:
            var args = d.args
            var negated = false
            if args.first?.lowercased() == "not" { negated = true; args.removeFirst() }
            let provider = args.isEmpty ? "" : args.removeFirst().lowercased()
            return .require(negated: negated, provider: provider, args: args, source: d)
        }
    }

    static func isAuthz(_ d: ApacheDirective) -> Bool {
        ["require", "requireall", "requireany", "requirenone"].contains(d.key)
    }

    /// Whether any Require in the tree needs an authenticated user.
    var needsUser: Bool {
        switch self {
        case .require(_, let p, _, _): return ["valid-user", "user", "group", "file-owner", "file-group"].contains(p)
        case .all(let c, _), .any(let c, _), .none(let c, _): return c.contains { $0.needsUser }
        }
    }
}

/// mod_authz_core's four results.
enum AuthzResult: Equatable { case granted, denied, deniedNoUser, neutral }

/// What authorization providers consult.
struct AuthzContext {
    var clientIP: String
    var clientIPKnown: Bool
    var serverIP: String?
    var method: String
    var env: [String: String]
    var user: String?
    var groups: (String) -> Set<String>
    var expr: (String) -> Bool?
    var uncertain: [String] = []
}

/// A step of the evaluation, for evidence: the directive and what it gave.
struct AuthzTrace {
    var source: ApacheDirective
    var result: AuthzResult
    var provider: String
}

enum Authz {
    /// Evaluates a node as `apply_authz_sections` does (mod_authz_core.c).
    static func evaluate(_ node: AuthzNode, _ ctx: inout AuthzContext, trace: inout [AuthzTrace]) -> AuthzResult {
        switch node {
        case .require(let negated, let provider, let args, let source):
            var r = provide(provider, args, &ctx)
            if negated {
                r = r == .granted ? .denied : (r == .denied ? .neutral : r)
            }
            trace.append(AuthzTrace(source: source, result: r, provider: provider))
            return r
        case .all(let children, _):
            var result = AuthzResult.neutral
            for c in children {
                let r = evaluate(c, &ctx, trace: &trace)
                if r == .denied { return .denied }
                if (r == .deniedNoUser && result != .denied) || result == .neutral { result = r }
            }
            return result
        case .any(let children, _):
            var result = AuthzResult.neutral
            for c in children {
                let r = evaluate(c, &ctx, trace: &trace)
                if r == .granted { return .granted }
                if (r == .deniedNoUser && result == .denied) || result == .neutral { result = r }
            }
            return result
        case .none(let children, let source):
            // RequireNone is a negated RequireAny: granted becomes denied, denied becomes neutral.
            let r = evaluate(.any(children, source: source), &ctx, trace: &trace)
            return r == .granted ? .denied : (r == .denied ? .neutral : r)
        }
    }

    static func provide(_ provider: String, _ args: [String], _ ctx: inout AuthzContext) -> AuthzResult {
        switch provider {
        case "all":
            return args.first?.lowercased() == "granted" ? .granted : .denied
        case "ip":
            for a in args where IPMatch.matches(spec: a, ip: ctx.clientIP) == true { return .granted }
            return .denied
        case "local":
            if IPMatch.matches(spec: "127.0.0.0/8", ip: ctx.clientIP) == true || ctx.clientIP == "::1"
                || ctx.clientIP == ctx.serverIP { return .granted }
            return .denied
        case "host":
            ctx.uncertain.append("Require host needs a double DNS lookup of \(ctx.clientIP) (reverse, then forward); assumed not to match")
            return .denied
        case "forward-dns":
            // mod_authz_host resolves each name when the request comes and grants when one of its addresses
            // is the client's (checked against httpd 2.4: `Require forward-dns localhost`). Resolved here, on
            // this machine: what the server's resolver says may differ, so it stays uncertain either way.
            var seen: [String] = []
            for name in args {
                let addresses = HostAddresses.resolve(name)
                seen += addresses
                if addresses.contains(where: { IPMatch.matches(spec: $0, ip: ctx.clientIP) == true }) {
                    ctx.uncertain.append("Require forward-dns \(name): resolved on this machine to \(addresses.joined(separator: ", ")), which includes \(ctx.clientIP) (the server resolves it on its own machine)")
                    return .granted
                }
            }
            ctx.uncertain.append("Require forward-dns " + args.joined(separator: " ") + ": "
                                 + (seen.isEmpty ? "no address resolved on this machine" : "resolved on this machine to \(seen.joined(separator: ", ")), not \(ctx.clientIP)")
                                 + " (the server resolves them on its own machine)")
            return .denied
        case "env":
            return args.contains { ctx.env[$0] != nil } ? .granted : .denied
        case "method":
            // HEAD is M_GET to httpd: `Require method GET` grants it (checked against httpd 2.4 by
            // ApacheSectionDifferentialTests, scenario require-method-head).
            let named = Set(args.map { $0.uppercased() })
            let method = ctx.method.uppercased() == "HEAD" && named.contains("GET") ? "GET" : ctx.method.uppercased()
            return named.contains(method) ? .granted : .denied
        case "valid-user":
            return ctx.user != nil ? .granted : .deniedNoUser
        case "user":
            guard let u = ctx.user else { return .deniedNoUser }
            return args.contains(u) ? .granted : .denied
        case "group":
            guard let u = ctx.user else { return .deniedNoUser }
            let g = ctx.groups(u)
            return args.contains { g.contains($0) } ? .granted : .denied
        case "expr":
            let text = args.joined(separator: " ")
            if let r = ctx.expr(text) { return r ? .granted : .denied }
            ctx.uncertain.append("Require expr \(InputError.quote(text)) is beyond what why403 evaluates; assumed false")
            return .denied
        default:
            ctx.uncertain.append("Require \(provider) is not modelled; assumed not to match")
            return .denied
        }
    }

    /// mod_access_compat's check_dir_access: nil when the section has no Allow/Deny (OK).
    static func compat(_ c: CompatConfig, ip: String, env: [String: String], uncertain: inout [String])
        -> (allowed: Bool, matchedAllow: ApacheDirective?, matchedDeny: ApacheDirective?) {
        func find(_ list: [([String], ApacheDirective)]) -> ApacheDirective? {
            for (args, d) in list {
                for a in args {
                    let l = a.lowercased()
                    if l == "all" { return d }
                    if l.hasPrefix("env=!") { if env[String(a.dropFirst(5))] == nil { return d }; continue }
                    if l.hasPrefix("env=") { if env[String(a.dropFirst(4))] != nil { return d }; continue }
                    switch IPMatch.matches(spec: a, ip: ip) {
                    case true?: return d
                    case false?: continue
                    case nil:
                        uncertain.append("\(d.location): '\(a)' is a host name; matching it needs reverse DNS, assumed not to match")
                    }
                }
            }
            return nil
        }
        let allow = find(c.allows), deny = find(c.denies)
        switch c.order {
        case .allowDeny, .mutualFailure, .invalid:
            return (allow != nil && deny == nil, allow, deny)
        case .denyAllow:
            return (deny == nil || allow != nil, allow, deny)
        }
    }
}

/// Address matching as mod_authz_host and mod_access_compat do it: the spec's own forms — a full
/// address, a partial one (`10.1` is 10.1.0.0/16), `a.b.c.d/nn`, `a.b.c.d/m.m.m.m`, IPv6 with an
/// optional prefix length — read into Core's `IPNetwork`, which does the matching.
enum IPMatch {
    /// true/false; nil when `spec` is a host name (needs DNS).
    static func matches(spec: String, ip: String) -> Bool? {
        guard let addr = IPAddress(ip) else { return false }
        guard let network = network(spec) else { return isIPv4ish(spec) || spec.contains(":") ? false : nil }
        return network.contains(addr)
    }

    /// The block an address spec names, or nil when it is not one (a host name, or malformed).
    static func network(_ spec: String) -> IPNetwork? {
        if spec.contains(":") {
            let parts = spec.split(separator: "/", maxSplits: 1)
            guard let net = IPAddress(parts[0]), net.isIPv6 else { return nil }
            let bits = parts.count == 2 ? Int(parts[1]) ?? 128 : 128
            return IPNetwork(address: net, prefixLength: max(0, min(128, bits)))
        }
        if let slash = spec.firstIndex(of: "/") {
            let netPart = spec[..<slash], maskPart = String(spec[spec.index(after: slash)...])
            guard let net = dottedQuad(netPart) else { return nil }
            if let bits = Int(maskPart) { return IPNetwork(address: net, prefixLength: bits) }
            return dottedQuad(maskPart).flatMap { IPNetwork(address: net, netmask: $0) }
        }
        // partial: "10.1" or "10.1." means 10.1.0.0/16
        let trimmed = spec.hasSuffix(".") ? spec.dropLast() : Substring(spec)
        let octets = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard !octets.isEmpty, octets.count <= 4 else { return nil }
        let bytes = octets.compactMap { UInt8($0) }
        guard bytes.count == octets.count else { return nil }
        return IPNetwork(address: IPAddress(bytes: bytes + [UInt8](repeating: 0, count: 4 - bytes.count))!,
                         prefixLength: bytes.count * 8)
    }

    static func isIPv4ish(_ s: String) -> Bool { s.allSatisfy { $0.isNumber || $0 == "." || $0 == "/" } }

    /// Exactly four decimal octets (httpd does not take inet_pton's other IPv4 forms here).
    static func dottedQuad(_ s: some StringProtocol) -> IPAddress? {
        let p = s.split(separator: ".", omittingEmptySubsequences: false)
        guard p.count == 4 else { return nil }
        let bytes = p.compactMap { UInt8($0) }
        return bytes.count == 4 ? IPAddress(bytes: bytes) : nil
    }
}
