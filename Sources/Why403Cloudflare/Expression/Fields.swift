/// The fields of the Rules language with their types, from Cloudflare's fields reference
/// (https://developers.cloudflare.com/ruleset-engine/rules-language/fields/reference/).
///
/// `kind` says where the value comes from: the request itself, a flag of the command (country, ASN,
/// bot signals), or nowhere (Cloudflare computes it: WAF attack scores, JA3, geolocation detail), in
/// which case it is unknown and a rule reading it can only be `possible`.
public enum Fields {
    /// Where a field's value comes from.
    public enum Source: Sendable, Hashable {
        /// From the URL, the method, the headers, the client address.
        case request
        /// From a flag (`--country`, `--asn`, `--bot-score`, `--verified-bot`, `--threat-score`).
        case flag(String)
        /// Computed by Cloudflare; never known offline.
        case cloudflare
    }

    /// What a field says about the client, for the cause of a refusal (report-v1, edge rules).
    public enum Signal: Sendable, Hashable {
        /// The client's address or network (`access.ip`).
        case address
        /// The client's country or region (`geo.block`).
        case geo
        /// Bot signals or the User-Agent (`bot.block`).
        case bot
        /// Anything else (`waf.rule`).
        case other
    }

    /// One field.
    public struct Field: Sendable, Hashable {
        /// Its name, e.g. `http.request.uri.path`.
        public var name: String
        /// Its type.
        public var type: ValueType
        /// Where its value comes from.
        public var source: Source
        /// What it says about the client.
        public var signal: Signal
    }

    private static func f(_ name: String, _ type: ValueType, _ source: Source = .request, _ signal: Signal = .other) -> Field {
        Field(name: name, type: type, source: source, signal: signal)
    }

    /// Every field why403 knows, by name.
    public static let all: [String: Field] = {
        let list: [Field] = [
            // Standard fields
            f("http.cookie", .string), f("http.host", .string), f("http.referer", .string),
            f("http.request.full_uri", .string), f("http.request.method", .string),
            f("http.request.uri", .string), f("http.request.uri.path", .string),
            f("http.request.uri.path.extension", .string), f("http.request.uri.query", .string),
            f("http.user_agent", .string, .request, .bot), f("http.request.version", .string),
            f("http.x_forwarded_for", .string), f("ssl", .bool),
            f("http.request.cookies", .map(.array(.string))),
            f("http.request.timestamp.sec", .int, .cloudflare), f("http.request.timestamp.msec", .int, .cloudflare),
            f("ip.src", .ip, .request, .address),
            f("ip.src.country", .string, .flag("--country"), .geo), f("ip.geoip.country", .string, .flag("--country"), .geo),
            f("ip.src.continent", .string, .cloudflare, .geo), f("ip.geoip.continent", .string, .cloudflare, .geo),
            f("ip.src.asnum", .int, .flag("--asn"), .address), f("ip.geoip.asnum", .int, .flag("--asn"), .address),
            f("ip.src.is_in_european_union", .bool, .flag("--country"), .geo),
            f("ip.geoip.is_in_european_union", .bool, .flag("--country"), .geo),
            f("ip.src.region", .string, .cloudflare, .geo), f("ip.src.region_code", .string, .cloudflare, .geo),
            f("ip.geoip.subdivision_1_iso_code", .string, .cloudflare, .geo),
            f("ip.geoip.subdivision_2_iso_code", .string, .cloudflare, .geo),
            f("ip.src.subdivision_1_iso_code", .string, .cloudflare, .geo),
            f("ip.src.subdivision_2_iso_code", .string, .cloudflare, .geo),
            f("ip.src.city", .string, .cloudflare, .geo), f("ip.src.postal_code", .string, .cloudflare, .geo),
            f("ip.src.metro_code", .string, .cloudflare, .geo), f("ip.src.timezone.name", .string, .cloudflare, .geo),
            f("ip.src.lat", .string, .cloudflare, .geo), f("ip.src.lon", .string, .cloudflare, .geo),
            f("raw.http.request.full_uri", .string), f("raw.http.request.uri", .string),
            f("raw.http.request.uri.path", .string), f("raw.http.request.uri.path.extension", .string),
            f("raw.http.request.uri.query", .string),
            f("cf.edge.server_port", .int), f("cf.edge.server_ip", .ip, .cloudflare),
            f("cf.ray_id", .string, .cloudflare), f("cf.zone.name", .string, .cloudflare),
            f("cf.hostname.metadata", .string, .cloudflare), f("cf.worker.upstream_zone", .string),
            f("cf.colo.id", .int, .cloudflare), f("cf.colo.name", .string, .cloudflare),
            f("cf.random_seed", .string, .cloudflare), f("cf.metal.id", .int, .cloudflare),
            // Dynamic fields
            f("cf.bot_management.score", .int, .flag("--bot-score"), .bot),
            f("cf.bot_management.verified_bot", .bool, .flag("--verified-bot"), .bot),
            f("cf.client.bot", .bool, .flag("--verified-bot"), .bot),
            f("cf.verified_bot_category", .string, .cloudflare, .bot),
            f("cf.bot_management.static_resource", .bool, .cloudflare, .bot),
            f("cf.bot_management.corporate_proxy", .bool, .cloudflare, .bot),
            f("cf.bot_management.js_detection.passed", .bool, .cloudflare, .bot),
            f("cf.bot_management.ja3_hash", .string, .cloudflare, .bot),
            f("cf.bot_management.ja4", .string, .cloudflare, .bot),
            f("cf.bot_management.detection_ids", .array(.int), .cloudflare, .bot),
            f("cf.threat_score", .int, .flag("--threat-score"), .address),
            f("cf.waf.score", .int, .cloudflare), f("cf.waf.score.sqli", .int, .cloudflare),
            f("cf.waf.score.xss", .int, .cloudflare), f("cf.waf.score.rce", .int, .cloudflare),
            f("cf.waf.score.class", .string, .cloudflare),
            f("cf.waf.content_scan.has_malicious_obj", .bool, .cloudflare),
            f("cf.waf.credential_check.password_leaked", .bool, .cloudflare),
            f("cf.tls_client_auth.cert_verified", .bool, .cloudflare),
            f("cf.tls_client_auth.cert_presented", .bool, .cloudflare),
            f("cf.tls_version", .string, .cloudflare), f("cf.tls_cipher", .string, .cloudflare),
            // URI arguments
            f("http.request.uri.args", .map(.array(.string))), f("http.request.uri.args.names", .array(.string)),
            f("http.request.uri.args.values", .array(.string)),
            f("raw.http.request.uri.args", .map(.array(.string))), f("raw.http.request.uri.args.names", .array(.string)),
            f("raw.http.request.uri.args.values", .array(.string)),
            // Headers
            f("http.request.headers", .map(.array(.string))), f("http.request.headers.names", .array(.string)),
            f("http.request.headers.values", .array(.string)), f("http.request.headers.truncated", .bool),
            f("http.request.accepted_languages", .array(.string)),
            // Body (the command sends none: empty and not truncated)
            f("http.request.body.raw", .string), f("http.request.body.size", .int), f("http.request.body.truncated", .bool),
            f("http.request.body.mime", .string), f("http.request.body.form", .map(.array(.string))),
            f("http.request.body.form.names", .array(.string)), f("http.request.body.form.values", .array(.string)),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()
}
