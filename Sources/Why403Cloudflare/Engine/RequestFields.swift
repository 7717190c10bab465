import Why403Core

/// What Cloudflare knows about the client that the request itself cannot carry: given by flags.
/// A nil member is unknown (a rule reading it is `possible`), except the threat score, which
/// Cloudflare now documents as always 0.
public struct EdgeSignals: Sendable, Equatable {
    /// `--country`: ISO 3166-1 alpha-2 (`ip.src.country`, `ip.geoip.country`).
    public var country: String?
    /// `--asn` (`ip.src.asnum`).
    public var asn: Int?
    /// `--bot-score` 1-99 (`cf.bot_management.score`).
    public var botScore: Int?
    /// `--verified-bot` / `--no-verified-bot` (`cf.client.bot`, `cf.bot_management.verified_bot`).
    public var verifiedBot: Bool?
    /// `--threat-score` (`cf.threat_score`): 0 unless given.
    public var threatScore: Int?

    /// Signals; every one unknown unless given.
    public init(country: String? = nil, asn: Int? = nil, botScore: Int? = nil, verifiedBot: Bool? = nil, threatScore: Int? = nil) {
        self.country = country
        self.asn = asn
        self.botScore = botScore
        self.verifiedBot = verifiedBot
        self.threatScore = threatScore
    }
}

/// Turns a `Request` and the edge signals into the values of the Rules language's fields.
public enum RequestFields {
    /// The EU member states (for `ip.src.is_in_european_union`, derived from `--country`).
    static let eu: Set<String> = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                                  "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]

    /// The field values of `request` as Cloudflare's edge sees it: `https` makes `ssl` true, the URL's
    /// port is `cf.edge.server_port`, header names are lower-cased in `http.request.headers`.
    /// The request has no body (the command sends none): body fields are empty.
    public static func make(_ request: Request, signals: EdgeSignals, lists: [String: SetMatcherBox] = [:]) -> FieldValues {
        var v: [String: Value] = [:]
        let t = request.target
        let host = request.hostName
        let path = t.path.isEmpty ? "/" : t.path
        let query = t.query ?? ""
        let uri = t.query.map { path + "?" + $0 } ?? path
        let full = "\(t.scheme)://\(host)\(t.hasExplicitPort ? ":\(t.port)" : "")\(uri)"
        v["http.host"] = .string(host)
        v["http.request.method"] = .string(request.method.uppercased())
        v["http.request.uri"] = .string(uri)
        v["http.request.uri.path"] = .string(path)
        v["http.request.uri.query"] = .string(query)
        v["http.request.full_uri"] = .string(full)
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let ext = last.contains(".") ? String(last.split(separator: ".", omittingEmptySubsequences: false).last ?? "").lowercased() : ""
        v["http.request.uri.path.extension"] = .string(ext)
        v["raw.http.request.uri"] = v["http.request.uri"]
        v["raw.http.request.uri.path"] = v["http.request.uri.path"]
        v["raw.http.request.uri.path.extension"] = v["http.request.uri.path.extension"]
        v["raw.http.request.uri.query"] = v["http.request.uri.query"]
        v["raw.http.request.full_uri"] = v["http.request.full_uri"]
        v["http.request.version"] = .string("HTTP/1.1")
        v["ssl"] = .bool(t.scheme.lowercased() == "https")
        v["cf.edge.server_port"] = .int(t.port)
        v["http.user_agent"] = .string(request.header("User-Agent") ?? "")
        v["http.referer"] = .string(request.header("Referer") ?? "")
        v["http.cookie"] = .string(request.header("Cookie") ?? "")
        v["http.x_forwarded_for"] = .string(request.header("X-Forwarded-For") ?? "")

        var headers: [String: [Value]] = [:]
        var names: [Value] = [], values: [Value] = []
        for (n, val) in request.headerPairs {
            headers[n.lowercased(), default: []].append(.string(val))
            names.append(.string(n.lowercased()))
            values.append(.string(val))
        }
        if request.header("Host") == nil {
            headers["host"] = [.string(t.hasExplicitPort ? "\(host):\(t.port)" : host)]
            names.insert(.string("host"), at: 0)
            values.insert(headers["host"]![0], at: 0)
        }
        v["http.request.headers"] = .map(headers.mapValues { .array($0) })
        v["http.request.headers.names"] = .array(names)
        v["http.request.headers.values"] = .array(values)
        v["http.request.headers.truncated"] = .bool(false)

        var cookies: [String: [Value]] = [:]
        for c in (request.header("Cookie") ?? "").split(separator: ";") {
            let kv = c.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let k = kv[0].trimmingScalars(" ")
            guard !k.isEmpty else { continue }
            cookies[k, default: []].append(.string(kv.count > 1 ? String(kv[1]) : ""))
        }
        v["http.request.cookies"] = .map(cookies.mapValues { .array($0) })

        var args: [String: [Value]] = [:], rawArgs: [String: [Value]] = [:]
        var argNames: [Value] = [], argValues: [Value] = [], rawNames: [Value] = [], rawValues: [Value] = []
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rk = String(kv[0]), rv = kv.count > 1 ? String(kv[1]) : ""
            let k = Evaluator.urlDecode(rk, recursive: false, plus: true), val = Evaluator.urlDecode(rv, recursive: false, plus: true)
            args[k, default: []].append(.string(val)); rawArgs[rk, default: []].append(.string(rv))
            argNames.append(.string(k)); argValues.append(.string(val)); rawNames.append(.string(rk)); rawValues.append(.string(rv))
        }
        v["http.request.uri.args"] = .map(args.mapValues { .array($0) })
        v["http.request.uri.args.names"] = .array(argNames)
        v["http.request.uri.args.values"] = .array(argValues)
        v["raw.http.request.uri.args"] = .map(rawArgs.mapValues { .array($0) })
        v["raw.http.request.uri.args.names"] = .array(rawNames)
        v["raw.http.request.uri.args.values"] = .array(rawValues)

        var langs: [Value] = []
        for part in (request.header("Accept-Language") ?? "").split(separator: ",") {
            let tag = part.split(separator: ";")[0].trimmingScalars(" ")
            if !tag.isEmpty && tag != "*" { langs.append(.string(tag)) }
        }
        v["http.request.accepted_languages"] = .array(langs)

        let body = request.body ?? []
        v["http.request.body.raw"] = .string(String(decoding: body, as: UTF8.self))
        v["http.request.body.size"] = .int(body.count)
        v["http.request.body.truncated"] = .bool(false)
        v["http.request.body.mime"] = .string("")
        v["http.request.body.form"] = .map([:])
        v["http.request.body.form.names"] = .array([])
        v["http.request.body.form.values"] = .array([])

        if let a = request.clientAddress { v["ip.src"] = .ip(a) }
        if let c = signals.country?.uppercased() {
            v["ip.src.country"] = .string(c); v["ip.geoip.country"] = .string(c)
            v["ip.src.is_in_european_union"] = .bool(eu.contains(c)); v["ip.geoip.is_in_european_union"] = .bool(eu.contains(c))
        }
        if let a = signals.asn { v["ip.src.asnum"] = .int(a); v["ip.geoip.asnum"] = .int(a) }
        if let s = signals.botScore { v["cf.bot_management.score"] = .int(s) }
        if let b = signals.verifiedBot { v["cf.client.bot"] = .bool(b); v["cf.bot_management.verified_bot"] = .bool(b) }
        v["cf.threat_score"] = .int(signals.threatScore ?? 0)
        return FieldValues(values: v, lists: lists)
    }
}

extension StringProtocol {
    /// The text without the given characters at either end.
    func trimmingScalars(_ set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
