import Foundation
import Why403Core
import Why403Response
import Why403Token

extension ProbeAnalyzer {
    /// Everything a probe needs, I/O included (the transport and the clock are injected).
    public struct Input: Sendable {
        /// The request to send: Core's request value (its URL, method and `-H` headers); its client address
        /// does not apply (the server sees this machine).
        public var request: Request
        /// A bearer token sent as `Authorization: Bearer …` (`--bearer`); redacted in every output.
        public var bearer: String?
        /// Send the diagnostic variants (`--variants`).
        public var variants: Bool
        /// Send the well-known 403-bypass variants (`--variants bypass`; requests an IDS may flag).
        public var bypass: Bool = false
        /// Follow redirects (`--follow`), at most `maxRedirects` hops.
        public var follow: Bool
        /// The redirect hop limit with `follow`.
        public var maxRedirects: Int
        /// Number of spaced requests for rate-limit detection (`--rate`); 0 is off; at most `ProbeAnalyzer.maxRate`.
        public var rate: Int
        /// Seconds between the `--rate` requests.
        public var rateInterval: Double
        /// Limits, TLS and proxy.
        public var options: TransportOptions
        /// How requests are sent.
        public var transport: any HTTPTransport
        /// The current time (Unix seconds), for token expiry checks.
        public var now: Double

        /// Creates an input; defaults: no variants, no redirects followed (5 hops with `follow`), no rate test.
        public init(request: Request, bearer: String? = nil,
                    variants: Bool = false, follow: Bool = false, maxRedirects: Int = 5, rate: Int = 0,
                    rateInterval: Double = 0.1, options: TransportOptions = TransportOptions(),
                    transport: any HTTPTransport = AsyncHTTPClientTransport(),
                    now: Double = Date().timeIntervalSince1970) {
            self.request = request
            self.bearer = bearer
            self.variants = variants
            self.follow = follow
            self.maxRedirects = maxRedirects
            self.rate = rate
            self.rateInterval = rateInterval
            self.options = options
            self.transport = transport
            self.now = now
        }

        /// An input for `url` (no scheme means http); throws `InputError` for a URL that is not http(s).
        public init(url: String, method: String = "GET", headers: HeaderList = HeaderList(), bearer: String? = nil,
                    options: TransportOptions = TransportOptions(), transport: any HTTPTransport = AsyncHTTPClientTransport()) throws {
            self.init(request: try Request(method: method, url: url, headers: headers.entries.map { ($0.name, $0.value) }),
                      bearer: bearer, options: options, transport: transport)
        }

        /// The headers to send, in order (names as given).
        public var headers: HeaderList {
            get { HeaderList(request.headerPairs.map { ($0.name, $0.value) }) }
            set {
                var fields = request.headers
                fields.removeAll()
                for h in newValue.entries { if let f = try? Request.field(name: h.name, value: h.value) { fields.append(f) } }
                request.headers = fields
            }
        }
    }
}

/// The answer of one variant, for the report.
public struct VariantOutcome: Sendable, Equatable {
    /// The variant sent.
    public var variant: Variant
    /// The status it got; nil when it failed.
    public var status: Int?
    /// The transport failure, if any.
    public var failure: TransportFailure?
}

/// What a probe produced: the report, the redactor that must be used to print it, and the raw exchanges.
public struct ProbeOutcome: Sendable {
    /// The report (not yet redacted: render it through `redactor`).
    public var report: Report
    /// Knows the secrets of this probe (the bearer token, credential headers).
    public var redactor: Redactor
    /// The main request and its redirects.
    public var main: FetchResult
    /// The variants and their answers (empty without `--variants`).
    public var variants: [VariantOutcome]
    /// Statuses of the `--rate` requests in order (nil: no response).
    public var rateStatuses: [Int?]
}

/// Black-box diagnosis of a live URL: sends the request, identifies the layer from the response
/// (`ResponseAnalyzer`), ties the bearer token to what the server said (`TokenModule.correlate`), and
/// optionally sends diagnostic variants and a spaced burst to detect a rate limit.
///
/// Denies on nothing itself; it reports what the responses prove. A variant's conclusion is `certain`
/// only when a single header change flips a denial into success and the baseline, sent again afterwards,
/// is still denied; otherwise `likely`. A transport failure (refused, DNS, TLS, timeout) is a `certain`
/// finding about the transport with cause `unknown` (the server never said why). Never executes a fix.
public enum ProbeAnalyzer {
    /// Upper bound of `--rate`.
    public static let maxRate = 50
    /// Variants in flight at once.
    public static let maxParallel = 4
    /// The User-Agent sent unless `-H 'User-Agent: …'` is given.
    public static let defaultUserAgent = "why403/\(Why403Version.current)"

    /// Runs the probe. Throws `InputError` for a URL that cannot be requested.
    public static func analyze(_ input: ProbeAnalyzer.Input) async throws -> ProbeOutcome {
        let url = try normalize(input.request.url)
        let method = input.request.method
        var headers = input.headers
        var redactor = Redactor().adding(secretsOf: headers.entries.map { ($0.name, $0.value) })
        if let bearer = input.bearer {
            let token = stripBearer(bearer)
            redactor = redactor.adding(secret: token)
            headers.entries.removeAll { $0.name.lowercased() == "authorization" }
            headers.append("Authorization", "Bearer \(token)")
        }
        if headers["user-agent"] == nil { headers.append("User-Agent", defaultUserAgent) }
        let baseline = ProbeRequest(url: url, method: method, headers: headers)
        let options = input.options
        let main = await RedirectWalk.fetch(baseline, follow: input.follow, maxRedirects: input.maxRedirects,
                                            transport: input.transport, options: options)

        var findings: [Finding] = []
        var notes: [String] = []
        var layer = Layer.unknown
        var disguised = false
        var extra: [String: JSONValue] = [:]
        describeWalk(main, notes: &notes, findings: &findings, extra: &extra)

        let token = input.bearer.map(stripBearer) ?? headers["authorization"].flatMap(bearerToken)
        if let response = main.result.response {
            extra["http_version"] = response.httpVersion.map { .string($0) } ?? .null
            let analysis = analyzeResponse(response, token: token, now: input.now)
            layer = analysis.layer
            disguised = analysis.disguised
            findings = analysis.findings + findings
            notes += analysis.notes
            describePartial(main.result, options: options, notes: &notes, findings: &findings)
        } else if let failure = main.result.failure {
            findings.insert(failureFinding(failure, url: main.finalURL, options: options), at: 0)
        }

        var variantOutcomes: [VariantOutcome] = []
        if input.variants || input.bypass, let status = main.result.response?.status {
            let variants = (input.variants ? Variants.make(from: baseline) : []) + (input.bypass ? Variants.bypass(from: baseline) : [])
            let results = await Variants.run(variants, follow: input.follow, maxRedirects: input.maxRedirects,
                                             transport: input.transport, options: options, parallel: maxParallel)
            variantOutcomes = zip(variants, results).map {
                VariantOutcome(variant: $0, status: $1.result.response?.status, failure: $1.result.failure)
            }
            var conclusions = conclude(baseline: status, layer: layer, outcomes: variantOutcomes, notes: &notes)
            if !conclusions.isEmpty {
                // Send the baseline again: a flip only proves something if the baseline is still denied.
                let again = await RedirectWalk.fetch(baseline, follow: input.follow, maxRedirects: input.maxRedirects,
                                                     transport: input.transport, options: options)
                let stable = again.result.response?.status == status
                for i in conclusions.indices {
                    if stable {
                        if conclusions[i].confidence == .likely { conclusions[i].confidence = .certain }
                        conclusions[i].evidence.append(Evidence(source: "baseline re-sent",
                                                                text: "\(method) \(url) -> \(status) again"))
                    } else {
                        conclusions[i].confidence = .possible
                    }
                }
                if !stable {
                    notes.append("the baseline request sent again got \(again.result.response.map { String($0.status) } ?? "no response") instead of \(status): the server's answers are not stable (rate limiting?), so the variants prove nothing for certain")
                }
            }
            findings += conclusions
            extra["variants"] = .array(variantOutcomes.map { o in
                var obj: [String: JSONValue] = ["id": .string(o.variant.id), "change": .string(o.variant.change),
                                                "status": o.status.map { .int($0) } ?? .null]
                if let f = o.failure { obj["failure"] = .string(f.id) }
                return .object(obj)
            })
        } else if input.variants || input.bypass {
            notes.append("the variants were not sent: the request itself got no response")
        }

        var rateStatuses: [Int?] = []
        if input.rate > 0 {
            let n = min(input.rate, maxRate)
            if input.rate > maxRate { notes.append("--rate \(input.rate) is above the limit; \(maxRate) requests were sent") }
            let (statuses, finding, note) = await rateProbe(baseline, count: n, interval: input.rateInterval,
                                                            baselineStatus: main.result.response?.status,
                                                            follow: input.follow, maxRedirects: input.maxRedirects,
                                                            transport: input.transport, options: options)
            rateStatuses = statuses
            if let finding { findings.append(finding) }
            if let note { notes.append(note) }
            extra["rate"] = .array(statuses.map { $0.map { .int($0) } ?? .null })
        }

        findings = rank(findings)
        let status = main.result.response?.status
        let verdict: Verdict
        if let status {
            // The one verdict rule (findings already ranked by `rank`, strongest signature first).
            let decided = Verdict.decide(status: status, findings: findings, answeredBy: layer, ranked: true, disguised: disguised)
            verdict = decided.verdict
            findings = decided.findings
        } else {
            verdict = Verdict(status: nil, layer: .unknown, cause: .unknown)
        }
        if main.finalURL != url { extra["final_url"] = .string(main.finalURL) }
        let subject = Subject(kind: .probe, url: url, method: method.uppercased(), extra: extra)
        let report = Report(subject: subject, verdict: verdict, findings: findings, notes: notes)
        return ProbeOutcome(report: report, redactor: redactor, main: main, variants: variantOutcomes,
                            rateStatuses: rateStatuses)
    }

    // MARK: input

    /// The URL with `http://` added when it has no scheme; throws for anything not http(s) with a host.
    public static func normalize(_ raw: String) throws -> String {
        let url = RequestTarget.withDefaultScheme(raw.trimmingCharacters(in: .whitespaces))
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty else {
            throw InputError(file: nil, expected: "an http:// or https:// URL with a host",
                             found: InputError.quote(Redactor().redact(raw)))
        }
        return url
    }

    static func stripBearer(_ token: String) -> String {
        var t = token.trimmingCharacters(in: .whitespaces)
        if t.lowercased().hasPrefix("authorization:") { t = String(t.dropFirst("authorization:".count)).trimmingCharacters(in: .whitespaces) }
        if t.lowercased().hasPrefix("bearer ") { t = String(t.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        return t
    }

    static func bearerToken(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// A refusal status (Core's `RefusalStatus`); a 404 or a 500 is another problem.
    public static func isDenied(_ status: Int) -> Bool { RefusalStatus.contains(status) }

    // MARK: the response

    static func analyzeResponse(_ response: CapturedResponse, token: String?, now: Double) -> ResponseAnalysis {
        var analysis = ResponseAnalyzer.identify(response)
        if let token, !token.isEmpty {
            let facts = AuthResponseFacts(status: response.status, wwwAuthenticate: response.headers.values("www-authenticate"),
                                          acceptedScopes: response.headers["x-accepted-oauth-scopes"],
                                          grantedScopes: response.headers["x-oauth-scopes"],
                                          body: String(response.bodyText.prefix(65_536)))
            let tokenFindings = TokenModule.correlate(token: token, with: facts, now: now)
            let specific = analysis.findings.first.map { $0.cause != .unknown && $0.cause != .none } ?? false
            analysis.findings = specific ? analysis.findings + tokenFindings : tokenFindings + analysis.findings
        }
        if analysis.findings.isEmpty && isDenied(response.status) {
            analysis.findings.append(fallbackFinding(response, layer: analysis.layer))
        }
        return analysis
    }

    /// When no signature matched: an honest `unknown` with the response's identifying headers as evidence.
    static func fallbackFinding(_ response: CapturedResponse, layer: Layer) -> Finding {
        var evidence = [Evidence(source: "status line",
                                 text: "\(response.httpVersion ?? "HTTP/1.1") \(response.status) \(response.reason ?? "")"
                                    .trimmingCharacters(in: .whitespaces))]
        for name in ["server", "via", "x-powered-by", "www-authenticate", "retry-after"] {
            for v in response.headers.values(name) { evidence.append(Evidence(source: "header \(name)", text: v)) }
        }
        return Finding(cause: .unknown, layer: layer, confidence: .possible,
                       summary: "\(response.status) from \(layer.displayName): the response does not say why",
                       evidence: evidence, rule: "probe.unidentified",
                       checks: ["run again with --variants: a flip with another Referer, User-Agent or without the token names the rule",
                                "read the error log of the server that answered (nginx: error.log, Apache: error_log)",
                                "on a machine running the server, run 'why403 diagnose URL --config FILE'"])
    }

    /// Notes for a redirect walk; a finding for a loop or an exceeded hop limit.
    static func describeWalk(_ walk: FetchResult, notes: inout [String], findings: inout [Finding],
                             extra: inout [String: JSONValue]) {
        for hop in walk.hops {
            notes.append("followed \(hop.status) from \(hop.url) to \(hop.location)"
                         + (hop.credentialsDropped ? " (another origin: Authorization and Cookie were not sent there)" : ""))
        }
        if !walk.hops.isEmpty {
            extra["redirects"] = .array(walk.hops.map {
                .object(["url": .string($0.url), "status": .int($0.status), "location": .string($0.location),
                         "credentials_dropped": .bool($0.credentialsDropped)])
            })
        }
        guard let location = walk.unfollowedLocation, let status = walk.result.response?.status else { return }
        switch walk.stoppedBy {
        case "loop":
            findings.append(Finding(cause: .unknown, layer: .unknown, confidence: .certain,
                                    summary: "redirect loop: \(walk.finalURL) redirects back to \(location), already visited",
                                    evidence: walk.hops.map { Evidence(source: "header location (\($0.status) from \($0.url))", text: $0.location) }
                                        + [Evidence(source: "header location (\(status) from \(walk.finalURL))", text: location)],
                                    fixes: [Fix(summary: "make one of these URLs answer without redirecting (check rewrite/return rules and the scheme or host the application thinks it has behind a proxy)")],
                                    rule: "probe.redirect-loop"))
        case "limit":
            findings.append(Finding(cause: .unknown, layer: .unknown, confidence: .certain,
                                    summary: "more than \(walk.hops.count) redirects; stopped before \(location)",
                                    evidence: [Evidence(source: "header location (\(status) from \(walk.finalURL))", text: location)],
                                    rule: "probe.redirect-limit"))
        case "bad-location":
            notes.append("the redirect's Location \(InputError.quote(location)) is not an http(s) URL; not followed")
        default:
            notes.append("\(status) redirect to \(location) was not followed (use --follow)")
        }
    }

    /// Notes for a response that came with a failure or a cut body.
    static func describePartial(_ result: TransportResult, options: TransportOptions, notes: inout [String],
                                findings: inout [Finding]) {
        guard let r = result.response else { return }
        if r.bodyTruncated {
            var note = "the body was read up to the cap (\(options.maxBody) bytes) and the rest discarded"
            if let declared = result.declaredLength { note += "; the server declared Content-Length: \(declared)" }
            notes.append(note)
        }
        switch result.failure {
        case .timedOut?:
            notes.append("the body did not end within the total timeout (\(format(options.totalTimeout)) s): the analysis used the \(r.body.count) bytes read; the connection was closed")
        case .invalidResponse(let detail)?:
            notes.append("the body is malformed (\(detail)): the analysis used the \(r.body.count) bytes before the error")
            findings.append(Finding(cause: .none, layer: .unknown, confidence: .certain,
                                    summary: "the server sent a malformed body after the status line (\(detail))",
                                    evidence: [Evidence(source: "transport", text: detail)], rule: "probe.invalid-body"))
        case .connectionClosed?:
            notes.append("the server closed the connection before the body ended: the analysis used the \(r.body.count) bytes read")
        case let f?:
            notes.append("the exchange ended early (\(f.id)\(f.detail.isEmpty ? "" : ": " + f.detail)) after \(r.body.count) bytes of body")
        case nil:
            break
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// The finding for a request that got no response at all.
    static func failureFinding(_ failure: TransportFailure, url: String, options: TransportOptions) -> Finding {
        let origin = Origin(url)
        let target = origin.map { "\($0.host):\($0.port)" } ?? url
        var fixes: [Fix] = []
        var checks: [String]? = nil
        let summary: String
        switch failure {
        case .connectionRefused:
            summary = "connection refused by \(target): nothing listens there (no HTTP answer, so no 403 from this address)"
            checks = ["is the server running and listening on this port? (ss -ltnp)", "is this the right host and port?"]
        case .dnsFailure:
            summary = "the host name \(origin?.host ?? url) does not resolve"
            checks = ["getent hosts \(origin?.host ?? "HOST")", "check the DNS record or /etc/hosts"]
        case .connectTimeout:
            summary = "no connection to \(target) within \(format(options.connectTimeout)) s (a firewall dropping packets, or the host is down)"
        case .tlsFailure(let detail):
            summary = "TLS with \(target) failed: \(detail)"
            fixes = [Fix(summary: "install a certificate that is valid for this host name and chains to a trusted CA; to look past it for diagnosis only, re-run with --insecure")]
        case .timedOut:
            summary = "no complete response head from \(target) within \(format(options.totalTimeout)) s (headers trickling in, or a stalled server); the connection was closed"
        case .invalidResponse(let detail):
            summary = "\(target) answered with something that is not valid HTTP (\(detail))"
        case .connectionClosed:
            summary = "\(target) closed the connection without answering"
        case .proxyFailure(let detail):
            summary = "the proxy failed: \(detail)"
        case .invalidURL(let detail):
            summary = "the URL cannot be requested: \(detail)"
        case .other(let detail):
            summary = "the request failed: \(detail)"
        }
        return Finding(cause: .unknown, layer: .unknown, confidence: .certain, summary: summary,
                       evidence: [Evidence(source: "transport", text: failure.detail.isEmpty ? failure.id : "\(failure.id): \(failure.detail)")],
                       fixes: fixes, rule: "probe.\(failure.id)", checks: checks)
    }

    // MARK: variants

    /// What the variants' answers prove, as findings (likely until the baseline is confirmed); notes for the rest.
    static func conclude(baseline status: Int, layer: Layer, outcomes: [VariantOutcome], notes: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        let denied = isDenied(status)
        for o in outcomes {
            guard let vs = o.status else {
                notes.append("variant \(o.variant.id) (\(o.variant.change)) got no response: \(o.failure?.id ?? "unknown")")
                continue
            }
            let evidence = [Evidence(source: "variant \(o.variant.id)", text: "\(o.variant.change) -> \(vs) (as sent: \(status))")]
            if vs == status {
                notes.append("variant \(o.variant.id) (\(o.variant.change)): same status \(vs)")
                continue
            }
            let opened = denied && !isDenied(vs) && vs < 500
            switch o.variant.kind {
            case .referer where opened:
                findings.append(Finding(cause: .hotlinkReferer, layer: layer, confidence: .likely,
                                        summary: "changing only the Referer turns \(status) into \(vs): the server refuses by Referer (hotlink protection)",
                                        evidence: evidence,
                                        fixes: [Fix(summary: "send the site's own Referer, or add the referring site to the allowed referers (nginx valid_referers, Apache SetEnvIf Referer, the CDN's hotlink rule)")],
                                        rule: "variant.\(o.variant.id)"))
            case .userAgent where opened:
                findings.append(Finding(cause: .botBlock, layer: layer, confidence: .likely,
                                        summary: "a browser User-Agent turns \(status) into \(vs): the server refuses by User-Agent (bot rule)",
                                        evidence: evidence,
                                        fixes: [Fix(summary: "for a legitimate client, allow its User-Agent in the bot rule (nginx 'if ($http_user_agent ...)', WAF bot rule) or send a descriptive User-Agent the rule accepts")],
                                        rule: "variant.browser-user-agent"))
            case .token where status == 403 && vs == 401:
                findings.append(Finding(cause: .authScope, layer: layer == .unknown ? .application : layer, confidence: .likely,
                                        summary: "without the token the answer is 401, with it 403: the token is accepted (authenticated) but lacks the rights for this resource (a scope or role)",
                                        evidence: evidence,
                                        fixes: [Fix(summary: "request a token with the scope or role this endpoint requires (see WWW-Authenticate / the API's documentation), or grant it to the user or client")],
                                        rule: "variant.no-token"))
            case .token where denied && !isDenied(vs):
                notes.append("without the token the answer is \(vs) instead of \(status): the token itself is refused here (expired, revoked or of another issuer); check it with 'why403 token'")
            case .bypass where opened && vs < 300:
                findings.append(bypassFinding(o, baseline: status, status: vs, layer: layer, evidence: evidence))
            case .bypass:
                notes.append("variant \(o.variant.id) (\(o.variant.change)): \(vs) instead of \(status)")
            case .method where opened:
                notes.append("HEAD gets \(vs) while \(status) is returned to GET: a rule depends on the method (nginx limit_except, Apache <Limit>, a WAF method rule)")
            case .trailingSlash:
                let to = o.variant.request.url
                if denied && [301, 302, 307, 308].contains(vs) {
                    notes.append("\(to) redirects (\(vs)): the path names a directory; a 403 on a directory usually means no index file and listing off (index.missing)")
                } else {
                    notes.append("variant \(o.variant.id) (\(o.variant.change)): \(vs) instead of \(status)")
                }
            default:
                notes.append("variant \(o.variant.id) (\(o.variant.change)): \(vs) instead of \(status)")
            }
        }
        return findings
    }

    /// A bypass variant the server served: the exact request (cli-v1's `details`), the cause the trick
    /// proves where it proves one (an address header: the server believes it; a Referer or User-Agent: the
    /// rule reads it), and the fix on the server side.
    static func bypassFinding(_ o: VariantOutcome, baseline: Int, status vs: Int, layer: Layer, evidence: [Evidence]) -> Finding {
        let r = o.variant.request
        let trick = o.variant.trick
        let target: String = {
            guard let t = try? RequestTarget(url: r.url) else { return r.url }
            return t.requestURI
        }()
        var cause = Cause.unknown
        var fix = "refuse every spelling of the resource on the server (or in the application), not one URL, method or header value; `why403 audit --bypass URL --nginx FILE` (or --apache) names the rule that misses it"
        switch trick?.kind {
        case .addressHeader?:
            cause = .accessIP
            fix = "believe address headers only from the proxy in front (nginx set_real_ip_from, Apache RemoteIPInternalProxy), and never key access on $http_x_forwarded_for / SetEnvIf X-Forwarded-For"
        case .header?:
            cause = trick?.id == "bypass.own-referer" ? .hotlinkReferer : .botBlock
            fix = "never grant access on Referer or User-Agent: the client chooses both"
        case .method?:
            fix = "refuse every method (nginx limit_except, Apache Require outside <Limit>), not one"
        default: break
        }
        return Finding(cause: cause, layer: layer == .unknown ? .application : layer, confidence: .likely,
                       summary: "\(o.variant.change) gets \(vs) where the request as sent gets \(baseline): the refusal can be walked around (\(o.variant.id))",
                       evidence: evidence, fixes: [Fix(summary: fix)], rule: o.variant.id,
                       details: ["method": .string(r.method), "target": .string(target),
                                 "headers": .array(r.headers.entries.map { .string("\($0.name): \($0.value)") }),
                                 "status": .int(vs)])
    }

    // MARK: rate

    static func rateProbe(_ request: ProbeRequest, count: Int, interval: Double, baselineStatus: Int?,
                          follow: Bool, maxRedirects: Int,
                          transport: any HTTPTransport, options: TransportOptions) async -> ([Int?], Finding?, String?) {
        var statuses: [Int?] = []
        // The baseline request counts as the first of the series: a limiter has seen it too.
        let baselineOK = baselineStatus.map { (200..<400).contains($0) } ?? false
        var firstDenied: (index: Int, response: CapturedResponse)? = nil
        for i in 0..<count {
            if i > 0 || baselineStatus != nil { try? await Task.sleep(nanoseconds: UInt64(max(0, interval) * 1_000_000_000)) }
            let r = await RedirectWalk.fetch(request, follow: follow, maxRedirects: maxRedirects, transport: transport,
                                             options: options)
            let s = r.result.response?.status
            statuses.append(s)
            if firstDenied == nil, let s, [403, 429, 503].contains(s), let resp = r.result.response,
               baselineOK || statuses.dropLast().contains(where: { $0.map { (200..<400).contains($0) } ?? false }) {
                firstDenied = (i, resp)
            }
        }
        let ms = Int((interval * 1000).rounded())
        guard let hit = firstDenied else {
            let allowed = statuses.compactMap { $0 }.filter { (200..<400).contains($0) }.count
            return (statuses, nil, "--rate: \(count) requests \(ms) ms apart: \(allowed) got 2xx/3xx, no switch from success to 403/429/503 (no rate limit at this pace)")
        }
        let okBefore = statuses[..<hit.index].compactMap { $0 }.filter { (200..<400).contains($0) }.count + (baselineOK ? 1 : 0)
        let analysis = ResponseAnalyzer.identify(hit.response)
        var evidence = [Evidence(source: "request \(hit.index + 1) of \(count) (\(ms) ms apart)",
                                 text: "\(hit.response.status) after \(okBefore) successful requests (the first request of the probe included)")]
        for name in ["retry-after", "ratelimit", "ratelimit-policy", "x-ratelimit-limit", "x-ratelimit-remaining", "server"] {
            for v in hit.response.headers.values(name) { evidence.append(Evidence(source: "header \(name)", text: v)) }
        }
        let status = hit.response.status
        let finding = Finding(cause: .rateLimit, layer: analysis.layer, confidence: status == 429 ? .certain : .likely,
                              summary: "the same request got success, then \(status) after \(okBefore) requests \(ms) ms apart: a rate limit",
                              evidence: evidence,
                              fixes: [Fix(summary: "send fewer requests (honour Retry-After), or raise the limit for this client (nginx limit_req rate/burst, the CDN or WAF rate rule)")],
                              rule: "probe.rate", details: ["statuses": .array(statuses.map { $0.map { .int($0) } ?? .null })])
        return (statuses, finding, nil)
    }

    // MARK: ranking

    /// Primary first: a specific cause before `unknown`/`none`, then by confidence; otherwise stable.
    static func rank(_ findings: [Finding]) -> [Finding] {
        func key(_ f: Finding) -> Int {
            let generic = f.cause == .unknown || f.cause == .none
            let c = f.confidence == .certain ? 0 : f.confidence == .likely ? 1 : 2
            return (generic ? 10 : 0) + c
        }
        return findings.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }
}
