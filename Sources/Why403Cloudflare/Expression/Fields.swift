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
        /// In which phases an expression may read it.
        public var availability: Availability = .everywhere
    }

    /// Where (in which phases) Cloudflare lets an expression read a field.
    public enum Availability: Sendable, Hashable {
        /// Every phase.
        case everywhere
        /// Only the listed phases; `what` names them for the error ("response phases", "Transform Rules").
        case only(Set<String>, what: String)

        /// Whether an expression of `phase` may read the field.
        public func allows(_ phase: String) -> Bool {
            switch self {
            case .everywhere: true
            case .only(let phases, _): phases.contains(phase)
            }
        }
    }

    /// The response phases (https://developers.cloudflare.com/ruleset-engine/reference/phases-list/),
    /// the only ones where `http.response.*` fields exist.
    public static let responsePhases: Set<String> = ["http_response_headers_transform", "http_response_compression",
                                                     "http_response_firewall_managed", "http_custom_errors", "http_log"]
    /// The phases of Transform Rules (fields "only available in Transform Rules").
    public static let transformPhases: Set<String> = ["http_request_transform", "http_request_late_transform",
                                                      "http_response_headers_transform"]

    static let response = Availability.only(responsePhases, what: "the response phases (\(responsePhases.sorted().joined(separator: ", ")))")
    static let transformOnly = Availability.only(transformPhases, what: "Transform Rules (\(transformPhases.sorted().joined(separator: ", ")))")
    static let errorResponse = Availability.only(["http_response_headers_transform", "http_custom_errors"],
                                                 what: "Response Header Transform Rules and Custom Errors (http_response_headers_transform, http_custom_errors)")

    private static func f(_ name: String, _ type: ValueType, _ source: Source = .request, _ signal: Signal = .other,
                          _ availability: Availability = .everywhere) -> Field {
        Field(name: name, type: type, source: source, signal: signal, availability: availability)
    }

    /// A field Cloudflare computes (never known offline).
    private static func cf(_ name: String, _ type: ValueType, _ signal: Signal = .other, _ availability: Availability = .everywhere) -> Field {
        Field(name: name, type: type, source: .cloudflare, signal: signal, availability: availability)
    }

    /// Every field why403 knows, in the order of Cloudflare's fields data
    /// (cloudflare-docs `src/content/fields/index.yaml`; its `Number` is our Integer and `Bytes` our
    /// String), followed by the deprecated `ip.geoip.*` names and the few fields documented elsewhere
    /// (`cf.zone.name`, `cf.colo.*`, `cf.metal.id`).
    public static let list: [Field] = [
        // Request: standard fields
        f("http.cookie", .string), f("http.host", .string), f("http.referer", .string),
        f("http.request.full_uri", .string), f("http.request.method", .string),
        f("http.request.cookies", .map(.array(.string))),
        cf("http.request.timestamp.sec", .int), cf("http.request.timestamp.msec", .int),
        f("http.request.uri", .string), f("http.request.uri.path", .string),
        f("http.request.uri.path.extension", .string), f("http.request.uri.query", .string),
        f("http.user_agent", .string, .request, .bot), f("http.request.version", .string),
        f("http.x_forwarded_for", .string),
        f("ip.src", .ip, .request, .address),
        // Geolocation: the country (and what follows from it) from --country, the rest computed.
        cf("ip.src.lat", .string, .geo), cf("ip.src.lon", .string, .geo), cf("ip.src.city", .string, .geo),
        cf("ip.src.postal_code", .string, .geo), cf("ip.src.metro_code", .string, .geo),
        cf("ip.src.region", .string, .geo), cf("ip.src.region_code", .string, .geo),
        cf("ip.src.timezone.name", .string, .geo, transformOnly),
        f("ip.src.asnum", .int, .flag("--asn"), .address),
        cf("ip.src.continent", .string, .geo),
        f("ip.src.country", .string, .flag("--country"), .geo),
        cf("ip.src.subdivision_1_iso_code", .string, .geo), cf("ip.src.subdivision_2_iso_code", .string, .geo),
        f("ip.src.is_in_european_union", .bool, .flag("--country"), .geo),
        // Raw fields
        f("raw.http.request.full_uri", .string), f("raw.http.request.uri", .string),
        f("raw.http.request.uri.path", .string), f("raw.http.request.uri.path.extension", .string),
        f("raw.http.request.uri.query", .string),
        cf("raw.http.response.headers", .map(.array(.string)), .other, response),
        cf("raw.http.response.headers.names", .array(.string), .other, response),
        cf("raw.http.response.headers.values", .array(.string), .other, response),
        f("ssl", .bool),
        // API Shield
        cf("cf.api_gateway.auth_id_present", .bool), cf("cf.api_gateway.request_violates_schema", .bool),
        cf("cf.schema_validation.learned.violated", .bool), cf("cf.schema_validation.uploaded.violated", .bool),
        cf("cf.api_gateway.fallthrough_detected", .bool),
        // Bots
        f("cf.bot_management.verified_bot", .bool, .flag("--verified-bot"), .bot),
        cf("cf.verified_bot_category", .string, .bot),
        f("cf.bot_management.score", .int, .flag("--bot-score"), .bot),
        cf("cf.bot_management.static_resource", .bool, .bot),
        cf("cf.bot_management.ja3_hash", .string, .bot), cf("cf.bot_management.ja4", .string, .bot),
        cf("cf.bot_management.js_detection.passed", .bool, .bot),
        cf("cf.bot_management.detection_ids", .array(.int), .bot),
        f("cf.client.bot", .bool, .flag("--verified-bot"), .bot),
        cf("cf.bot_management.corporate_proxy", .bool, .bot),
        cf("cf.bot_management.signed_agent", .bool, .bot),
        // Edge
        cf("cf.edge.server_ip", .ip), f("cf.edge.server_port", .int),
        cf("cf.hostname.metadata", .string), cf("cf.random_seed", .string), cf("cf.ray_id", .string),
        f("cf.threat_score", .int, .flag("--threat-score"), .address),
        // TLS and mTLS (their "defaults when the connection does not use mTLS" need to know whether it
        // did: unknown)
        cf("cf.tls_cipher", .string),
        cf("cf.tls_client_auth.cert_revoked", .bool), cf("cf.tls_client_auth.cert_verified", .bool),
        cf("cf.tls_client_auth.cert_presented", .bool),
        cf("cf.tls_client_auth.cert_issuer_dn", .string), cf("cf.tls_client_auth.cert_subject_dn", .string),
        cf("cf.tls_client_auth.cert_issuer_dn_rfc2253", .string), cf("cf.tls_client_auth.cert_subject_dn_rfc2253", .string),
        cf("cf.tls_client_auth.cert_issuer_dn_legacy", .string), cf("cf.tls_client_auth.cert_subject_dn_legacy", .string),
        cf("cf.tls_client_auth.cert_serial", .string), cf("cf.tls_client_auth.cert_issuer_serial", .string),
        cf("cf.tls_client_auth.cert_fingerprint_sha256", .string), cf("cf.tls_client_auth.cert_fingerprint_sha1", .string),
        cf("cf.tls_client_auth.cert_not_before", .string), cf("cf.tls_client_auth.cert_not_after", .string),
        cf("cf.tls_client_auth.cert_ski", .string), cf("cf.tls_client_auth.cert_issuer_ski", .string),
        cf("cf.tls_client_auth.cert_rfc9440", .string), cf("cf.tls_client_auth.cert_rfc9440_too_large", .bool),
        cf("cf.tls_client_auth.cert_chain_rfc9440", .string), cf("cf.tls_client_auth.cert_chain_rfc9440_too_large", .bool),
        cf("cf.tls_client_extensions_sha1", .string), cf("cf.tls_client_extensions_sha1_le", .string),
        cf("cf.tls_ciphers_sha1", .string), cf("cf.tls_client_hello_length", .int), cf("cf.tls_client_random", .string),
        cf("cf.tls_version", .string),
        cf("cf.edge.client_tcp", .bool), cf("cf.edge.l4.delivery_rate", .int),
        cf("cf.timings.client_tcp_rtt_msec", .int), cf("cf.timings.client_quic_rtt_msec", .int),
        cf("cf.timings.edge_msec", .int), cf("cf.timings.origin_ttfb_msec", .int), cf("cf.timings.worker_msec", .int),
        // WAF detections
        cf("cf.waf.content_scan.has_obj", .bool), cf("cf.waf.content_scan.has_malicious_obj", .bool),
        cf("cf.waf.content_scan.num_malicious_obj", .int), cf("cf.waf.content_scan.has_failed", .bool),
        cf("cf.waf.content_scan.num_obj", .int), cf("cf.waf.content_scan.obj_sizes", .array(.int)),
        cf("cf.waf.content_scan.obj_types", .array(.string)), cf("cf.waf.content_scan.obj_results", .array(.string)),
        cf("cf.waf.score", .int), cf("cf.waf.score.sqli", .int), cf("cf.waf.score.xss", .int), cf("cf.waf.score.rce", .int),
        cf("cf.waf.score.class", .string), cf("cf.waf.auth_detected", .bool),
        cf("cf.waf.credential_check.password_leaked", .bool), cf("cf.waf.credential_check.username_leaked", .bool),
        cf("cf.waf.credential_check.username_and_password_leaked", .bool),
        cf("cf.waf.credential_check.username_password_similar", .bool),
        // AI Security for Apps
        cf("cf.llm.prompt.detected", .bool), cf("cf.llm.prompt.pii_detected", .bool),
        cf("cf.llm.prompt.pii_categories", .array(.string)), cf("cf.llm.prompt.unsafe_topic_detected", .bool),
        cf("cf.llm.prompt.unsafe_topic_categories", .array(.string)), cf("cf.llm.prompt.injection_score", .int),
        cf("cf.llm.prompt.token_count", .int), cf("cf.llm.prompt.custom_topic_categories", .map(.int)),
        f("cf.worker.upstream_zone", .string),
        // JWT validation (API Shield): the token is validated by Cloudflare against a configuration the
        // export does not hold, so the claims are unknown.
        cf("http.request.jwt.claims.aud", .map(.array(.string))), cf("http.request.jwt.claims.aud.names", .array(.string)),
        cf("http.request.jwt.claims.aud.values", .array(.string)),
        cf("http.request.jwt.claims.iat.sec", .map(.array(.int))), cf("http.request.jwt.claims.iat.sec.names", .array(.string)),
        cf("http.request.jwt.claims.iat.sec.values", .array(.int)),
        cf("http.request.jwt.claims.iss", .map(.array(.string))), cf("http.request.jwt.claims.iss.names", .array(.string)),
        cf("http.request.jwt.claims.iss.values", .array(.string)),
        cf("http.request.jwt.claims.jti", .map(.array(.string))), cf("http.request.jwt.claims.jti.names", .array(.string)),
        cf("http.request.jwt.claims.jti.values", .array(.string)),
        cf("http.request.jwt.claims.nbf.sec", .map(.array(.int))), cf("http.request.jwt.claims.nbf.sec.names", .array(.string)),
        cf("http.request.jwt.claims.nbf.sec.values", .array(.int)),
        cf("http.request.jwt.claims.sub", .map(.array(.string))), cf("http.request.jwt.claims.sub.names", .array(.string)),
        cf("http.request.jwt.claims.sub.values", .array(.string)),
        // URI arguments
        f("http.request.uri.args", .map(.array(.string))), f("http.request.uri.args.names", .array(.string)),
        f("http.request.uri.args.values", .array(.string)),
        f("raw.http.request.uri.args", .map(.array(.string))), f("raw.http.request.uri.args.names", .array(.string)),
        f("raw.http.request.uri.args.values", .array(.string)),
        // Headers
        f("http.request.headers", .map(.array(.string))), f("http.request.headers.names", .array(.string)),
        f("http.request.headers.values", .array(.string)), f("http.request.headers.truncated", .bool),
        f("http.request.accepted_languages", .array(.string), .request, .other, transformOnly),
        // Body (from --data)
        f("http.request.body.raw", .string), f("http.request.body.truncated", .bool), f("http.request.body.size", .int),
        f("http.request.body.form", .map(.array(.string))), f("http.request.body.form.names", .array(.string)),
        f("http.request.body.form.values", .array(.string)),
        cf("http.request.body.mime", .string), // detected by Cloudflare from the body bytes
        f("http.request.body.multipart", .map(.array(.string))), f("http.request.body.multipart.names", .array(.array(.string))),
        f("http.request.body.multipart.values", .array(.string)),
        f("http.request.body.multipart.content_types", .array(.array(.string))),
        f("http.request.body.multipart.content_dispositions", .array(.array(.string))),
        f("http.request.body.multipart.content_transfer_encodings", .array(.array(.string))),
        f("http.request.body.multipart.filenames", .array(.array(.string))),
        // Response (response phases only)
        cf("http.response.code", .int, .other, response), cf("http.response.headers", .map(.array(.string)), .other, response),
        cf("http.response.headers.names", .array(.string), .other, response),
        cf("http.response.headers.values", .array(.string), .other, response),
        cf("http.response.content_type.media_type", .string, .other, response),
        cf("cf.response.1xxx_code", .int, .other, errorResponse), cf("cf.response.error_type", .string, .other, errorResponse),
        // Deprecated names, same values as their ip.src.* successors.
        f("ip.geoip.country", .string, .flag("--country"), .geo), cf("ip.geoip.continent", .string, .geo),
        f("ip.geoip.asnum", .int, .flag("--asn"), .address),
        f("ip.geoip.is_in_european_union", .bool, .flag("--country"), .geo),
        cf("ip.geoip.subdivision_1_iso_code", .string, .geo), cf("ip.geoip.subdivision_2_iso_code", .string, .geo),
        // Documented outside the fields data.
        cf("cf.zone.name", .string), cf("cf.colo.id", .int), cf("cf.colo.name", .string), cf("cf.metal.id", .int),
    ]

    /// Every field why403 knows, by name.
    public static let all: [String: Field] = Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
}
