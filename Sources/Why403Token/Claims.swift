import Foundation
import Why403Core

/// Values read from one claim: where they came from, for evidence ("claim `scope`").
public struct ClaimValues: Sendable, Equatable {
    /// The claim's path: `scope`, `realm_access.roles`, `resource_access.api.roles`, ...
    public var claim: String
    /// The values read, in the claim's order.
    public var values: [String]
}

/// Reading scopes and roles out of a claims set, the way the common identity providers write them.
public enum ClaimReader {
    /// Scopes: `scope` (RFC 8693 §4.2 / RFC 9068: space-separated string; some issuers send an array)
    /// and `scp` (Microsoft Entra, Okta: string or array).
    public static func scopes(in claims: [String: JSONValue]) -> [ClaimValues] {
        var out: [ClaimValues] = []
        for name in ["scope", "scp"] {
            guard let v = claims[name] else { continue }
            switch v {
            case .string(let s):
                out.append(ClaimValues(claim: name, values: s.split(whereSeparator: { $0 == " " }).map(String.init)))
            case .array:
                out.append(ClaimValues(claim: name, values: (v.stringList ?? []).flatMap { $0.split(separator: " ").map(String.init) }))
            default:
                continue
            }
        }
        return out
    }

    /// Roles and groups: `roles`, `role`, `groups`, `permissions` (Auth0 RBAC), `realm_access.roles`,
    /// `resource_access.<client>.roles` (Keycloak), `cognito:groups` (Amazon Cognito), and namespaced
    /// custom claims whose key is a URL ending in `/roles` (Auth0 actions, e.g. `https://example.com/roles`).
    public static func roles(in claims: [String: JSONValue]) -> [ClaimValues] {
        var out: [ClaimValues] = []
        for name in ["roles", "role", "groups", "permissions", "cognito:groups"] {
            if let list = claims[name]?.stringList { out.append(ClaimValues(claim: name, values: list)) }
        }
        if case .object(let realm)? = claims["realm_access"], let list = realm["roles"]?.stringList {
            out.append(ClaimValues(claim: "realm_access.roles", values: list))
        }
        if case .object(let clients)? = claims["resource_access"] {
            for client in clients.keys.sorted() {
                if case .object(let c)? = clients[client], let list = c["roles"]?.stringList {
                    out.append(ClaimValues(claim: "resource_access.\(client).roles", values: list))
                }
            }
        }
        for key in claims.keys.sorted() where key.contains("://") && (key.hasSuffix("/roles") || key.hasSuffix("/groups")) {
            if let list = claims[key]?.stringList { out.append(ClaimValues(claim: key, values: list)) }
        }
        return out
    }

    /// Claim names whose values are never shown (secrets have no business in a token, but some do). OIDC's `sid` (a
    /// session's identifier, not a credential) stays shown.
    static let hiddenClaims: Set<String> = Redactor.secretParameters.subtracting(["scope", "policy", "session", "sid"])
        .union(["password", "client_secret", "secret", "refresh_token", "access_token", "id_token", "private_key",
                "secret_key", "signing_key", "credential", "credentials"])

    /// Whether a claim (at any depth) named `name` holds a secret: its name lower-cased, camelCase and dashes read as
    /// snake_case (`privateKey`, `sessionToken`, `x-api-key`), is one of `hiddenClaims`, a name built on a secret's
    /// (`db_password`, `session_token`: `Redactor.hasSecretSuffix`), or a secret header's (`authorization`). Claims that
    /// authorise (`policy`, `scope`, `session`, `sid`) stay shown.
    static func isHidden(_ name: String) -> Bool {
        var snake = ""
        var previousLower = false
        for ch in name {
            if ch.isUppercase && previousLower { snake.append("_") }
            previousLower = ch.isLowercase || ch.isNumber
            snake += ch == "-" ? "_" : ch.lowercased()
        }
        if hiddenClaims.contains(snake) || hiddenClaims.contains(name.lowercased()) { return true }
        if Redactor.hasSecretSuffix(snake) { return true }
        return Redactor.secretHeaders.contains(snake.replacingAll("_", with: "-"))
    }

    /// The claims as they may appear in a report: secret-named members replaced, in nested objects and arrays too.
    public static func displayable(_ claims: [String: JSONValue]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (k, v) in claims {
            out[k] = isHidden(k) ? .string(Redactor.mark) : hidingNested(v)
        }
        return out
    }

    /// `v` with the secret-named members of the objects inside it replaced.
    static func hidingNested(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o): return .object(displayable(o))
        case .array(let a): return .array(a.map(hidingNested))
        default: return v
        }
    }
}

/// Times as people read them: "2026-11-29T06:30:17Z (3 h ago)".
public enum HumanTime {
    /// "3 h", "12 min", "2 d", "40 s".
    public static func span(_ seconds: Double) -> String {
        let s = abs(seconds)
        if s < 60 { return "\(Int(s)) s" }
        if s < 3600 { return "\(Int(s / 60)) min" }
        if s < 2 * 86400 { return "\(Int(s / 3600)) h" }
        if s < 2 * 365 * 86400 { return "\(Int(s / 86400)) d" }
        let years = s / (365.25 * 86400)
        // INVARIANT: Int(_:) traps past Int.max; claims may hold any number (1e300).
        return years.isFinite && years < 1e12 ? "\(Int(years)) years" : "an unbounded time"
    }

    /// A number of seconds as an integer when it fits, for messages ("30", "1e+300").
    public static func seconds(_ value: Double) -> String {
        value.isFinite && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// "in 3 h" or "3 h ago" (or "now").
    public static func relative(_ time: Double, now: Double) -> String {
        let d = time - now
        if d == 0 { return "now" }
        return d > 0 ? "in \(span(d))" : "\(span(d)) ago"
    }

    /// RFC 3339 UTC, seconds precision.
    public static func utc(_ time: Double) -> String {
        guard time.isFinite, abs(time) < 253_402_300_800 else { return "out of range" }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: time.rounded(.down)))
    }

    /// "1764400000 = 2025-11-29T07:06:40Z".
    public static func stamp(_ time: Double) -> String {
        // Whole seconds: a clock read from the system has a fraction no token time has (`1796671043.4814215`).
        let n = abs(time) < 1e15 ? String(Int64(time.rounded(.down))) : String(time)
        return "\(n) = \(utc(time))"
    }
}
