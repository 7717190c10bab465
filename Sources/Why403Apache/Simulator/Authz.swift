#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core

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
        case "host", "forward-dns":
            ctx.uncertain.append("Require \(provider) needs a reverse DNS lookup of \(ctx.clientIP); assumed not to match")
            return .denied
        case "env":
            return args.contains { ctx.env[$0] != nil } ? .granted : .denied
        case "method":
            return args.map { $0.uppercased() }.contains(ctx.method) ? .granted : .denied
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

/// Address matching as mod_authz_host and mod_access_compat do it: a full address, a partial one
/// (`10.1`), `a.b.c.d/nn`, `a.b.c.d/m.m.m.m`, IPv6 with an optional prefix length.
enum IPMatch {
    /// true/false; nil when `spec` is a host name (needs DNS).
    static func matches(spec: String, ip: String) -> Bool? {
        if spec.contains(":") || ip.contains(":") {
            guard spec.contains(":") && ip.contains(":") else {
                return spec.contains(":") ? false : (isIPv4ish(spec) ? false : nil)
            }
            let parts = spec.split(separator: "/", maxSplits: 1)
            guard let net = v6(String(parts[0])), let addr = v6(ip) else { return false }
            let bits = parts.count == 2 ? Int(parts[1]) ?? 128 : 128
            return prefixEqual(net, addr, bits)
        }
        guard let addr = v4(ip) else { return false }
        if let slash = spec.firstIndex(of: "/") {
            let netPart = String(spec[..<slash]), maskPart = String(spec[spec.index(after: slash)...])
            guard let net = v4(netPart) else { return isIPv4ish(netPart) ? false : nil }
            let mask: UInt32
            if let bits = Int(maskPart), bits >= 0, bits <= 32 {
                mask = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
            } else if let m = v4(maskPart) {
                mask = m
            } else { return false }
            return addr & mask == net & mask
        }
        // partial: "10.1" or "10.1." means 10.1.0.0/16
        let trimmed = spec.hasSuffix(".") ? String(spec.dropLast()) : spec
        let octets = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard !octets.isEmpty, octets.count <= 4, octets.allSatisfy({ UInt8($0) != nil }) else {
            return isIPv4ish(spec) ? false : nil
        }
        let ipOctets = ip.split(separator: ".")
        return zip(octets, ipOctets).allSatisfy { UInt8($0) == UInt8($1) } && ipOctets.count == 4
    }

    static func isIPv4ish(_ s: String) -> Bool { s.allSatisfy { $0.isNumber || $0 == "." || $0 == "/" } }

    static func v4(_ s: String) -> UInt32? {
        let p = s.split(separator: ".", omittingEmptySubsequences: false)
        guard p.count == 4 else { return nil }
        var v: UInt32 = 0
        for o in p { guard let b = UInt8(o) else { return nil }; v = v << 8 | UInt32(b) }
        return v
    }

    static func v6(_ s: String) -> [UInt8]? {
        var a = in6_addr()
        guard inet_pton(AF_INET6, s, &a) == 1 else { return nil }
        return withUnsafeBytes(of: a) { Array($0) }
    }

    static func prefixEqual(_ a: [UInt8], _ b: [UInt8], _ bits: Int) -> Bool {
        var left = max(0, min(128, bits))
        for i in 0..<16 {
            if left <= 0 { return true }
            let m: UInt8 = left >= 8 ? 0xFF : UInt8(0xFF << (8 - left) & 0xFF)
            if a[i] & m != b[i] & m { return false }
            left -= 8
        }
        return true
    }
}
