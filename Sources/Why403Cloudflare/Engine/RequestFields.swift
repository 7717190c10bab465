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
    /// The country codes Cloudflare counts as in the EU (for `ip.src.is_in_european_union`, derived
    /// from `--country`): the member states and the territories its fields data lists (AX, GF, GP, MF,
    /// MQ, RE, YT).
    static let eu: Set<String> = ["AT", "AX", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GF", "GP", "GR",
                                  "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MF", "MQ", "MT", "NL", "PL", "PT", "RE",
                                  "RO", "SE", "SI", "SK", "YT"]

    /// The most of a body Cloudflare's body fields see: "All http.request.body.* fields (except
    /// http.request.body.size) handle a maximum body size of 128 KB"
    /// (https://developers.cloudflare.com/ruleset-engine/rules-language/fields/http-request-body/).
    public static let bodyInspectionLimit = 128 * 1024

    /// The field values of `request` as Cloudflare's edge sees it: `https` makes `ssl` true, the URL's
    /// port is `cf.edge.server_port`, header names are lower-cased in `http.request.headers`.
    /// The body (`--data`) fills the body fields: the first 128 KB of it (`bodyInspectionLimit`), the form
    /// fields when the Content-Type is `application/x-www-form-urlencoded`, the multipart fields when it
    /// is `multipart/form-data` with a boundary. URI arguments, form fields and headers are not decoded
    /// ("Decoding: No decoding performed" in the fields reference).
    /// `normalization` is the zone's URL normalization (Cloudflare's default unless said otherwise): it
    /// shapes the path of `http.request.uri*` and `http.request.full_uri`; `raw.*` keep the path as sent.
    public static func make(_ request: Request, signals: EdgeSignals, lists: [String: SetMatcherBox] = [:],
                            normalization: URLNormalization = .cloudflare) -> FieldValues {
        var v: [String: Value] = [:]
        let t = request.target
        let host = request.hostName
        let rawPath = t.path.isEmpty ? "/" : t.path
        let path = normalization.normalize(path: rawPath)
        let query = t.query ?? ""
        let uri = t.query.map { path + "?" + $0 } ?? path
        let rawURI = t.query.map { rawPath + "?" + $0 } ?? rawPath
        let authority = "\(t.scheme)://\(host)\(t.hasExplicitPort ? ":\(t.port)" : "")"
        let full = authority + uri
        v["http.host"] = .string(host)
        v["http.request.method"] = .string(request.method.uppercased())
        v["http.request.uri"] = .string(uri)
        v["http.request.uri.path"] = .string(path)
        v["http.request.uri.query"] = .string(query)
        v["http.request.full_uri"] = .string(full)
        v["http.request.uri.path.extension"] = .string(extensionOf(path))
        v["raw.http.request.uri"] = .string(rawURI)
        v["raw.http.request.uri.path"] = .string(rawPath)
        v["raw.http.request.uri.path.extension"] = .string(extensionOf(rawPath))
        v["raw.http.request.uri.query"] = v["http.request.uri.query"]
        v["raw.http.request.full_uri"] = .string(authority + rawURI)
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
            let k = rk, val = rv
            args[k, default: []].append(.string(val)); rawArgs[rk, default: []].append(.string(rv))
            argNames.append(.string(k)); argValues.append(.string(val)); rawNames.append(.string(rk)); rawValues.append(.string(rv))
        }
        v["http.request.uri.args"] = .map(args.mapValues { .array($0) })
        v["http.request.uri.args.names"] = .array(argNames)
        v["http.request.uri.args.values"] = .array(argValues)
        v["raw.http.request.uri.args"] = .map(rawArgs.mapValues { .array($0) })
        v["raw.http.request.uri.args.names"] = .array(rawNames)
        v["raw.http.request.uri.args.values"] = .array(rawValues)

        // Language tags by weight (q, default 1), highest first, `*` left out (fields reference).
        var langs: [(tag: String, q: Double, at: Int)] = []
        for (i, part) in (request.header("Accept-Language") ?? "").split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";")
            guard let first = pieces.first else { continue }
            let tag = first.trimmingScalars(" \t")
            var q = 1.0
            for p in pieces.dropFirst() {
                let t = p.trimmingScalars(" \t")
                if t.hasPrefix("q="), let w = Double(t.dropFirst(2)) { q = w }
            }
            if !tag.isEmpty && tag != "*" { langs.append((tag, q, i)) }
        }
        langs.sort { $0.q != $1.q ? $0.q > $1.q : $0.at < $1.at }
        v["http.request.accepted_languages"] = .array(langs.map { .string($0.tag) })

        bodyFields(request, into: &v)
        v["cf.worker.upstream_zone"] = .string("") // the request does not come from a Worker

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

extension RequestFields {
    /// `http.request.uri.path.extension`: after the last dot of the last segment, lower-cased; a segment
    /// whose only dot is its first character (a hidden file such as "/.mp3") has none (fields
    /// reference's table).
    static func extensionOf(_ path: String) -> String {
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let dots = last.filter { $0 == "." }.count
        return dots == 0 || (dots == 1 && last.hasPrefix(".")) ? "" : String(last.split(separator: ".", omittingEmptySubsequences: false).last ?? "").lowercased()
    }

    /// The `http.request.body.*` fields. `http.request.body.mime` is left unknown: Cloudflare detects it
    /// from the body's bytes, not from the Content-Type header.
    static func bodyFields(_ request: Request, into v: inout [String: Value]) {
        let whole = request.body ?? []
        let body = Array(whole.prefix(bodyInspectionLimit))
        v["http.request.body.raw"] = .string(String(decoding: body, as: UTF8.self))
        v["http.request.body.size"] = .int(whole.count)
        v["http.request.body.truncated"] = .bool(whole.count > bodyInspectionLimit)
        let contentType = (request.header("Content-Type") ?? "").lowercased()
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingScalars(" \t") } ?? ""

        var form: [String: [Value]] = [:], names: [Value] = [], values: [Value] = []
        if mediaType == "application/x-www-form-urlencoded" {
            for pair in String(decoding: body, as: UTF8.self).split(separator: "&") where !pair.isEmpty {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let k = String(kv[0]), val = kv.count > 1 ? String(kv[1]) : ""
                form[k, default: []].append(.string(val)); names.append(.string(k)); values.append(.string(val))
            }
        }
        v["http.request.body.form"] = .map(form.mapValues { .array($0) })
        v["http.request.body.form.names"] = .array(names)
        v["http.request.body.form.values"] = .array(values)

        var parts: [Multipart.Part] = []
        if mediaType == "multipart/form-data", let boundary = Multipart.boundary(request.header("Content-Type") ?? "") {
            parts = Multipart.parse(body, boundary: boundary)
        }
        var mp: [String: [Value]] = [:]
        for p in parts { if let n = p.name { mp[n, default: []].append(.string(p.value)) } }
        func list(_ s: String?) -> Value { .array(s.map { [.string($0)] } ?? []) }
        v["http.request.body.multipart"] = .map(mp.mapValues { .array($0) })
        v["http.request.body.multipart.names"] = .array(parts.map { list($0.name) })
        v["http.request.body.multipart.values"] = .array(parts.map { .string($0.value) })
        v["http.request.body.multipart.content_types"] = .array(parts.map { list($0.header("content-type")) })
        v["http.request.body.multipart.content_dispositions"] = .array(parts.map { list($0.header("content-disposition")) })
        v["http.request.body.multipart.content_transfer_encodings"] = .array(parts.map { list($0.header("content-transfer-encoding")) })
        v["http.request.body.multipart.filenames"] = .array(parts.map { list($0.filename) })
    }
}

/// A multipart/form-data body (RFC 7578) split into its parts. Hand-written: Foundation has no
/// multipart parser and the format needed here (boundary lines, part headers, Content-Disposition's
/// name and filename) is small.
enum Multipart {
    /// One part.
    struct Part {
        /// Its headers, names lower-cased.
        var headers: [(String, String)]
        /// Its content.
        var value: String
        /// The header's value.
        func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
        /// Content-Disposition's `name`.
        var name: String? { header("content-disposition").flatMap { Multipart.parameter($0, "name") } }
        /// Content-Disposition's `filename`.
        var filename: String? { header("content-disposition").flatMap { Multipart.parameter($0, "filename") } }
    }

    /// The boundary parameter of a Content-Type header.
    static func boundary(_ contentType: String) -> String? {
        parameter(contentType, "boundary").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A `;`-separated parameter of a header value, unquoted.
    static func parameter(_ header: String, _ name: String) -> String? {
        for p in header.split(separator: ";").dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, kv[0].trimmingScalars(" \t").lowercased() == name else { continue }
            var v = kv[1].trimmingScalars(" \t")
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"") }
            return v
        }
        return nil
    }

    /// The parts between `--boundary` lines (a part without the blank line ending its headers is skipped).
    static func parse(_ body: [UInt8], boundary: String) -> [Part] {
        let delim = Array(("--" + boundary).utf8)
        var cuts: [Int] = []
        var i = 0
        while i + delim.count <= body.count {
            if (i == 0 || body[i - 1] == 10), body[i..<(i + delim.count)].elementsEqual(delim) { cuts.append(i); i += delim.count } else { i += 1 }
        }
        var parts: [Part] = []
        for (n, c) in cuts.enumerated() where n + 1 < cuts.count {
            var start = c + delim.count
            if start + 1 < body.count, body[start] == 13, body[start + 1] == 10 { start += 2 } else if start < body.count, body[start] == 10 { start += 1 } else { continue }
            var end = cuts[n + 1]
            if end > start, body[end - 1] == 10 { end -= 1 }
            if end > start, body[end - 1] == 13 { end -= 1 }
            guard start <= end else { continue }
            let chunk = Array(body[start..<end])
            // Headers end at the first empty line.
            var hEnd = -1, bStart = 0, j = 0
            while j < chunk.count {
                if chunk[j] == 10, j + 1 < chunk.count, chunk[j + 1] == 10 { hEnd = j; bStart = j + 2; break }
                if chunk[j] == 10, j + 2 < chunk.count, chunk[j + 1] == 13, chunk[j + 2] == 10 { hEnd = j; bStart = j + 3; break }
                j += 1
            }
            if chunk.starts(with: [13, 10]) { hEnd = 0; bStart = 2 } else if chunk.first == 10 { hEnd = 0; bStart = 1 }
            guard hEnd >= 0 else { continue }
            var headers: [(String, String)] = []
            for line in String(decoding: chunk[0..<hEnd], as: UTF8.self).split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((line[..<colon].trimmingScalars(" \t").lowercased(), line[line.index(after: colon)...].trimmingScalars(" \t\r")))
            }
            parts.append(Part(headers: headers, value: String(decoding: chunk[min(bStart, chunk.count)...], as: UTF8.self)))
        }
        return parts
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
