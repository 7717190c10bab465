import Foundation
import Why403Core

/// What one response reveals: the layer that answered, the findings (primary first) and notes.
public struct ResponseAnalysis: Sendable, Equatable {
    /// The layer that produced the response (`unknown` when no signature matched).
    public var layer: Layer
    /// The findings, primary first; other layers the response passed through follow.
    public var findings: [Finding]
    /// What could not be used (a malformed challenge, a cut body).
    public var notes: [String]
    /// The ids of every signature that matched, best first.
    public var matched: [String]
    /// The primary finding's page is a refusal whatever the status says (`Signature.disguised`): the
    /// verdict explains it as a refusal (`Verdict.decide(disguised:)`).
    public var disguised: Bool

    /// An analysis; `matched` lists the signature ids that matched, best first.
    public init(layer: Layer, findings: [Finding], notes: [String] = [], matched: [String] = [], disguised: Bool = false) {
        self.layer = layer
        self.findings = findings
        self.notes = notes
        self.matched = matched
        self.disguised = disguised
    }
}

/// Black-box analysis of a response: which layer answered and what the response proves, from the
/// signature catalogue (`Signatures.all`, one file per product under `Signatures/`).
public enum ResponseAnalyzer {
    /// What `why403 response` reads: a saved capture's bytes and its name.
    public struct Input: Sendable {
        /// A raw response (`curl -si`), a `curl -v` transcript or a HAR file, as bytes.
        public var bytes: [UInt8]
        /// The file's name as given (`-` for stdin), for messages and the report.
        public var file: String
        /// An input.
        public init(bytes: [UInt8], file: String) { self.bytes = bytes; self.file = file }
    }

    /// Reads the capture and explains every refusal in it: one report (a HAR's 401/403 entries grouped
    /// by origin). Throws `InputError` for a capture that cannot be read. Pure: no I/O.
    public static func analyze(_ input: Input) throws -> Report {
        try ResponseReport.report(bytes: input.bytes, file: input.file)
    }

    /// Which layer answered one response and what it proves, with the whole catalogue: the typed
    /// summary `analyze` and the probe build their reports from. Pure: no I/O.
    public static func identify(_ response: CapturedResponse) -> ResponseAnalysis {
        identify(response, signatures: Signatures.all)
    }

    /// `identify` with the given signatures (tests pass one at a time).
    public static func identify(_ response: CapturedResponse, signatures: [Signature]) -> ResponseAnalysis {
        let ctx = MatchContext(response)
        var notes = ctx.notes
        var matches: [(Signature, Finding)] = []
        for sig in signatures {
            if let f = match(sig, ctx) { matches.append((sig, f)) }
        }
        // Best first; on a tie, catalogue order.
        let ordered = matches.enumerated().sorted { a, b in
            a.element.0.specificity != b.element.0.specificity
                ? a.element.0.specificity > b.element.0.specificity : a.offset < b.offset
        }.map(\.element)
        var layerMatches = ordered.filter { !$0.0.causeOnly }
        let causeMatch = ordered.first { $0.0.causeOnly }
        if let (csig, cf) = causeMatch {
            if let first = layerMatches.first, first.1.layer == .application, first.1.cause != .unknown,
               ["auth-challenge-missing", "auth-challenge-rejected"].contains(csig.id),
               first.1.confidence == .certain || cf.confidence != .certain {
                // A bare challenge (no `error` parameter) only says "authenticate"; the application's own error code
                // proved the cause (Salesforce's INVALID_SESSION_ID with `WWW-Authenticate: Token`): keep it, add the evidence.
                // So does the application's own sentence when the request was not captured: the challenge's "no credentials
                // were sent" is then a guess too, and servers send the same bare challenge after wrong credentials (Kong 3.6+,
                // GitLab's Git over HTTP, FastAPI's security classes). Only a captured request without credentials outranks it.
                layerMatches[0].1.evidence += cf.evidence.filter { !layerMatches[0].1.evidence.contains($0) }
            } else if let first = layerMatches.first, first.1.layer == .application,
                      first.1.cause != .unknown || Application.readsBodyOnly.contains(first.0.id) {
                // An application's JSON error is a guess; the challenge proves the cause.
                var f = cf
                f.evidence += first.1.evidence.filter { !f.evidence.contains($0) }
                layerMatches[0] = (csig, f)
            } else if let first = layerMatches.first, first.0.specificity >= Signatures.transitSpecificity || first.1.layer == .application {
                // The layer is known from its page (a named application's too: Rails' "HTTP Basic: Access denied."); the
                // challenge says the cause when the page does not.
                if first.1.cause == .unknown {
                    var f = first.1
                    f.cause = cf.cause
                    f.confidence = cf.confidence
                    // A named application's summary already says who asked and how; a transit layer's page does not.
                    if first.1.layer != .application { f.summary = cf.summary }
                    f.evidence += cf.evidence.filter { !f.evidence.contains($0) }
                    let merged = (cf.checks ?? []) + (f.checks ?? []).filter { !(cf.checks ?? []).contains($0) }
                    f.checks = merged.isEmpty ? nil : merged
                    f.fixes = cf.fixes + f.fixes
                    f.details?["cause_rule"] = .string(csig.id)
                    layerMatches[0].1 = f
                }
            } else {
                // Only headers a CDN adds to every response: the challenge came from behind it.
                layerMatches.insert((csig, cf), at: 0)
            }
        }
        // A web server's own 401 page with no challenge header seen (most often a capture of the body alone) asks for
        // credentials without saying whether some were sent. The first request to a protected URL carries none (a
        // browser sends them only after the challenge; curl only with -u), so that is the reading to try first, and
        // only that: a wrong user or password gives the same page. Measured on the field corpus's train split when
        // written: 12 of the 13 such pages answered a request without credentials.
        if response.status == 401, let first = layerMatches.first, Signatures.credentialPages.contains(first.0.id), first.1.cause == .unknown,
           let none = ctx.evaluate(.requestCredentials(false)) {
            var f = first.1
            f.cause = .authMissing
            f.confidence = ctx.requestKnown ? .likely : .possible
            f.summary += ctx.requestKnown ? ": the request carried no credentials"
                : ": most often no credentials were sent (the request was not captured; a wrong user or password gives the same page)"
            f.evidence += none
            if !ctx.requestKnown {
                f.checks = ["the request: an Authorization header means the credentials were refused (auth.invalid), none means they were never sent"]
                    + (f.checks ?? [])
            }
            layerMatches[0].1 = f
        }
        // One finding per layer: the generic headers of a product add nothing once its page matched.
        var findings: [Finding] = []
        var disguised = false
        var seenLayers: Set<Layer> = []
        // A body is one answer: when the first finding already read it as its own (a gateway's JSON reply), the
        // generic reading of the same body as the application's error names no second layer.
        let bodyRead = layerMatches.first.map { $0.1.evidence.contains { ctx.isBodySource($0.source) } } ?? false
        for (sig, f) in layerMatches where seenLayers.insert(f.layer).inserted {
            if !findings.isEmpty, bodyRead, Application.readsEnvelope.contains(sig.id) { continue }
            if let first = findings.first, first.cause == .rateLimit, Application.readsCountersOnly.contains(sig.id) { continue }
            if findings.isEmpty { disguised = sig.disguised && f.confidence != .possible }
            findings.append(f)
        }
        // The secondary layers a response passed through (a CDN in front of the origin that answered).
        if findings.count > 1 {
            for i in 1..<findings.count {
                findings[i].summary = "the response also passed through \(findings[i].layer.displayName): " + findings[i].summary
                if findings[i].confidence == .certain { findings[i].confidence = .likely }
            }
        }
        if findings.isEmpty, let f = fallback(ctx) { findings.append(f) }
        if response.bodyTruncated {
            notes.append("the body was longer than the cap and was cut: markers further down were not seen")
        }
        let layer = findings.first?.layer ?? (isDenial(response.status) ? .unknown : .none)
        return ResponseAnalysis(layer: layer, findings: findings, notes: notes, matched: ordered.map(\.0.id), disguised: disguised)
    }

    static func isDenial(_ status: Int) -> Bool { status == 401 || status == 403 || status == 407 || status == 429 }

    // MARK: matching

    static func match(_ sig: Signature, _ ctx: MatchContext) -> Finding? {
        var unfilled: [String] = []
        return match(sig, ctx, unfilled: &unfilled)
    }

    /// `match`, adding to `unfilled` the placeholders its texts needed and the response did not give
    /// (`Signature.fill`; the catalogue tests keep it empty).
    static func match(_ sig: Signature, _ ctx: MatchContext, unfilled: inout [String]) -> Finding? {
        let status = ctx.response.status
        if sig.statuses.isEmpty { guard status >= 400 else { return nil } } else { guard sig.statuses.contains(status) else { return nil } }
        var evidence: [Evidence] = [Evidence(source: ctx.statusSource, text: ctx.statusLine)]
        for cond in sig.when {
            guard let ev = ctx.evaluate(cond) else { return nil }
            for e in ev where !evidence.contains(e) { evidence.append(e) }
        }
        var values: [String: String] = [:]
        for ex in sig.extract {
            for src in ex.from {
                if let (v, ev) = ctx.value(src) {
                    values[ex.key] = v
                    let e = Evidence(source: ev.source, text: "\(ex.label) \(v)")
                    if !evidence.contains(where: { $0.source == e.source && $0.text.contains(v) }) { evidence.append(e) }
                    break
                }
            }
        }
        var cause = sig.cause, confidence = sig.confidence, summary = sig.summary
        var checks = sig.checks, fixes = sig.fixes
        var variantChecks = false
        for variant in sig.variants {
            if let v = values[variant.key], variant.matches(v), variant.also.map({ ctx.evaluate($0) != nil }) ?? true {
                cause = variant.cause
                confidence = variant.confidence
                if let s = variant.summary { summary = s }
                if let c = variant.checks { checks = c; variantChecks = true }
                if let f = variant.fixes { fixes = f }
                break
            }
        }
        var details: [String: JSONValue] = ["product": .string(sig.product)]
        var lookup = sig.lookup
        for c in sig.compatible {
            guard let ev = ctx.evaluate(c.when) else { continue }
            details["product"] = .string(c.product)
            details["compatible_with"] = .string(sig.product)
            if let l = c.lookup { lookup = l }
            if let k = c.checks, !variantChecks { checks = k }
            for e in ev where !evidence.contains(e) { evidence.append(e) }
            break
        }
        for (k, v) in values { details[k] = .string(v) }
        var lookupText: String? = nil
        if let lookup {
            let l = Signature.fill(lookup, values, unfilled: &unfilled)
            if !l.isEmpty { lookupText = l; details["lookup"] = .string(l) }
        }
        if let l = lookupText { checks.insert(l, at: 0) }
        func fill(_ t: String) -> String { Signature.fill(t, values, unfilled: &unfilled) }
        fixes = fixes.map { Fix(summary: fill($0.summary), commands: $0.commands.map { fill($0) }, patch: $0.patch.map { fill($0) }) }
        checks = checks.map { fill($0) }
        var finding = Finding(cause: cause, layer: sig.layer, confidence: confidence,
                              summary: fill(summary), evidence: evidence, fixes: fixes,
                              rule: sig.id, checks: checks.isEmpty ? nil : checks, details: details)
        refine(&finding, sig, ctx, values)
        return finding
    }

    /// The few refinements a table cannot say: comparing GitHub's scope lists, the credentials the
    /// request carried for a 401.
    static func refine(_ f: inout Finding, _ sig: Signature, _ ctx: MatchContext, _ values: [String: String]) {
        switch sig.id {
        case "github-oauth-scopes":
            let has = Set(scopeList(values["scopes"] ?? ""))
            let accepted = scopeList(values["accepted"] ?? "")
            let missing = accepted.filter { !has.contains($0) }
            if accepted.isEmpty || missing.count < accepted.count,
               let api = Signatures.named("github-api"), var g = match(api, ctx), g.cause != .authScope {
                // Scopes are not the cause: GitHub's message says what is (unless it reads as a scope
                // problem, which the scope headers just disproved).
                g.summary = "the token's scopes are not the cause (it holds one the endpoint accepts, or the endpoint names none); " + g.summary
                g.evidence += f.evidence.filter { !g.evidence.contains($0) }
                f = g
            } else if accepted.isEmpty || missing.count < accepted.count {
                // The token holds an accepted scope (or the endpoint names none): scopes are not the cause.
                f.cause = .unknown
                f.confidence = .possible
                f.summary = "the token's scopes include one the endpoint accepts; the refusal has another cause (repository or organisation permission, SSO authorisation)"
            } else {
                f.details?["missing_scopes"] = .array(missing.map { .string($0) })
                f.fixes = [Fix(summary: "create a token with one of the accepted scopes: \(accepted.joined(separator: ", "))")]
            }
        case "auth-challenge-missing":
            if ctx.response.requestHeaders.entries.isEmpty {
                f.confidence = .likely
                // Without the request, "no credentials were sent" is the likelier reading, not a fact.
                f.summary = f.summary.replacingOccurrences(of: "no credentials were sent; ", with: "most likely no credentials were sent (the request was not captured); ")
                f.checks = (f.checks ?? []) + ["the request was not captured: confirm that it carried no Authorization header (else the credentials were rejected: auth.invalid)"]
            }
        default:
            break
        }
    }

    /// Servers named by the `Server` (or `Via`, `X-Powered-By`) header, in the order tried: the layer a
    /// refusal with no recognisable page most likely came from. LiteSpeed has no layer id (named only).
    static let serverHints: [(needle: String, header: String, layer: Layer, name: String)] = [
        ("litespeed", "server", .unknown, "LiteSpeed"), ("openresty", "server", .nginx, "OpenResty (nginx)"),
        ("nginx", "server", .nginx, "nginx"), ("apache", "server", .apache, "Apache httpd"),
        ("microsoft-iis", "server", .iis, "IIS"), ("microsoft-httpapi", "server", .iis, "HTTP.sys (IIS)"),
        ("asp.net", "x-powered-by", .iis, "IIS (ASP.NET)"), ("caddy", "server", .caddy, "Caddy"),
        ("envoy", "server", .envoy, "Envoy"), ("haproxy", "server", .haproxy, "HAProxy"), ("traefik", "server", .traefik, "Traefik"),
        ("varnish", "server", .varnish, "Varnish"), ("varnish", "via", .varnish, "Varnish"),
        // application servers that answer for the application itself (a proxy in front passes their Server on)
        ("warp/", "server", .application, "Warp (the Haskell application server)"),
        ("hapi fhir", "x-powered-by", .application, "HAPI FHIR (the FHIR server application)"),
    ]

    /// No page matched, but a header names the server: say that it most likely (empty body) or possibly
    /// (a page we do not know, which may be the application's) refused. Never certain.
    static func serverGuess(_ ctx: MatchContext) -> Finding? {
        let r = ctx.response
        for hint in serverHints {
            guard let v = r.headers.values(hint.header).first(where: { $0.lowercased().contains(hint.needle) }) else { continue }
            let emptyBody = r.body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            var evidence = [Evidence(source: ctx.statusSource, text: ctx.statusLine), ctx.headerEvidence(hint.header, v)]
            if emptyBody { evidence.append(Evidence(source: "body (\(r.origin))", text: "no body (a HEAD request, or none was saved)")) }
            if let cache = r.headers["x-cache"] ?? r.headers["cf-cache-status"] ?? r.headers["age"].map({ "age \($0)" }) {
                evidence.append(ctx.headerEvidence(r.headers["x-cache"] != nil ? "x-cache" : (r.headers["cf-cache-status"] != nil ? "cf-cache-status" : "age"), cache))
            }
            let why = emptyBody ? "the response has no body to recognise" : "its body is not a page this catalogue knows (a customised or localised error page, or the application's own)"
            return Finding(cause: .unknown, layer: hint.layer, confidence: emptyBody ? .likely : .possible,
                           summary: "no product signature matched; the \(hint.header == "server" ? "Server" : hint.header) header names \(hint.name), which \(emptyBody ? "most likely" : "possibly") refused: \(why)",
                           evidence: evidence, rule: "server-header",
                           checks: ["\(hint.name)'s error log at the time of the request names the reason",
                                    "compare with a request that succeeds (`why403 probe URL --variants`): which change flips the status",
                                    "if a cache header shows a hit, the refusal may be a cached copy: retry with a cache-busting query"],
                           details: ["product": .string(hint.name)])
        }
        return nil
    }

    /// The body is shaped like a JSON object (`{` first, `}` last, a quoted key) even when it does not parse.
    static func looksLikeJSONObject(_ body: [UInt8]) -> Bool {
        let ws: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09]
        guard let first = body.firstIndex(where: { !ws.contains($0) }), let last = body.lastIndex(where: { !ws.contains($0) }),
              body[first] == UInt8(ascii: "{"), body[last] == UInt8(ascii: "}"), last > first else { return false }
        return body[first...last].contains(UInt8(ascii: "\""))
    }

    /// `X-Powered-By` names the framework that wrote the response (HAPI FHIR, Express, PHP, a servlet
    /// container's application): with no page recognised and no server header naming a proxy, the
    /// application possibly answered itself. ASP.NET is IIS's (`serverHints`). Never more than possible.
    static func poweredByGuess(_ ctx: MatchContext) -> Finding? {
        let r = ctx.response
        guard let v = r.headers["x-powered-by"], !v.lowercased().contains("asp.net") else { return nil }
        return Finding(cause: .unknown, layer: .application, confidence: .possible,
                       summary: "no product signature matched; X-Powered-By names \(v), the framework that possibly wrote this refusal (the application answering itself)",
                       evidence: [Evidence(source: ctx.statusSource, text: ctx.statusLine), ctx.headerEvidence("x-powered-by", v)],
                       rule: "server-header",
                       checks: ["the application's log for this request names the authentication or authorisation check that refused",
                                "compare with a request that succeeds (`why403 probe URL --variants`): which change flips the status"],
                       details: ["product": .string(v)])
    }

    /// The body's shape when nothing named its writer: a sentence in plain text, or an error object in JSON, rather than an
    /// HTML page or nothing. Web servers, proxies, CDNs and WAFs answer a refusal with an HTML page, an empty body or a bare
    /// status phrase ("Forbidden", "401 Unauthorized": Go's `http.Error`, Traefik's middlewares) or a single word; a sentence of its own or an
    /// error envelope is most often the application speaking (the gateways that write those have signatures above). Measured
    /// on the field corpus's train split when written (session 24): of the unnamed refusals with such a body and a scored label,
    /// the application had written 9 in 11; on the held-out split, measured after, 18 in 27 (the others: API gateways, Envoy,
    /// web servers). Possible only. `isJSON`: the caller has read the body as a JSON object.
    static func applicationShape(_ ctx: MatchContext, isJSON: Bool) -> Evidence? {
        let text = ctx.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if isJSON { return ctx.bodyEvidence(containing: "{") }
        let head = text.prefix(512).lowercased()
        guard !head.hasPrefix("<"), !head.contains("<html"), !head.contains("<body"), !head.contains("<!doctype"), !head.contains("<head") else { return nil }
        // A bare status phrase, with or without its code, names nobody.
        let phrase = text.lowercased().drop(while: { $0.isNumber || $0 == " " || $0 == ":" || $0 == "-" })
            .trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ".!"))
        let bare: Set<String> = ["", "forbidden", "unauthorized", "unauthorised", "too many requests", "proxy authentication required",
                                 "access denied", "authorization required", "authentication required", "not authorized", "rate limited"]
        // …and neither does a single word ("nope", "Blocked").
        guard !bare.contains(phrase), phrase.contains(" ") else { return nil }
        return ctx.bodyEvidence(containing: String((ctx.firstBodyLine ?? text).prefix(80)).lowercased())
    }

    /// A redirect to a login page: the application wants a session the request did not have.
    static func loginRedirect(_ ctx: MatchContext) -> Finding? {
        let r = ctx.response
        guard [301, 302, 303, 307, 308].contains(r.status), let loc = r.headers["location"] else { return nil }
        let l = loc.lowercased()
        guard ["login", "signin", "sign-in", "sign_in", "/auth", "sso", "/oauth", "authorize", "logon", "/session"].contains(where: { l.contains($0) }) else { return nil }
        return Finding(cause: .authMissing, layer: .application, confidence: .likely,
                       summary: "a redirect to a login page: the application wants a signed-in session the request did not carry",
                       evidence: [Evidence(source: ctx.statusSource, text: ctx.statusLine), ctx.headerEvidence("location", loc)],
                       rule: "login-redirect",
                       checks: ["send the session cookie or token the site issues after login (a browser's cookie, an API token)",
                                "if credentials were sent, they were not accepted for this path: the session may have expired"])
    }

    static func scopeList(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0) }.filter { !$0.isEmpty }
    }

    /// No signature matched: say what the status alone allows, and what to check.
    static func fallback(_ ctx: MatchContext) -> Finding? {
        let r = ctx.response
        var evidence = [Evidence(source: ctx.statusSource, text: ctx.statusLine)]
        if let server = r.headers["server"] { evidence.append(Evidence(source: "header server", text: server)) }
        let server = serverGuess(ctx)
        if let server, r.status == 401 || r.status == 403 || r.status == 407 {
            return server
        }
        if let app = poweredByGuess(ctx), r.status == 401 || r.status == 403 {
            return app
        }
        if let login = loginRedirect(ctx) { return login }
        let isJSON = ctx.json != nil || looksLikeJSONObject(r.body)
        if r.status == 401 || r.status == 403, let shape = applicationShape(ctx, isJSON: isJSON) {
            return Finding(cause: .unknown, layer: .application, confidence: .possible,
                           summary: "no product signature matched; the body is the refusal's own words (plain text or a JSON error, not a server's, proxy's or CDN's page), which is most often the application answering itself",
                           evidence: evidence + [shape], rule: "app-shape",
                           checks: [
                               "the application's log for this request names the check that refused (its authentication, its permissions, its own rate limit)",
                               "run `why403 probe URL --variants` to see which change (token, cookie, User-Agent) flips the status",
                               "if a gateway or proxy fronts the application, its log shows whether the request reached the application at all",
                           ])
        } else if r.status == 429, server == nil, !isJSON, let shape = applicationShape(ctx, isJSON: false) {
            // A sentence of its own in plain text: the application's (or its framework's) limiter, as with JSON below.
            return Finding(cause: .rateLimit, layer: .application, confidence: .possible,
                           summary: "too many requests (429), answered in the refusal's own words (plain text, not a server's or CDN's page): most likely the application's own rate limiter",
                           evidence: evidence + [shape] + (r.headers["retry-after"].map { [Evidence(source: "header retry-after", text: $0)] } ?? []),
                           rule: "status-429",
                           checks: ["wait for Retry-After (or the time the message names), then lower the request rate",
                                    "the application's rate limiter (its framework's middleware) and its key (per user, per key, per address behind a proxy)"])
        }
        switch r.status {
        case 401, 403, 407:
            return Finding(cause: .unknown, layer: .unknown, confidence: .possible,
                           summary: "no known product signature matched; the response does not say which layer refused",
                           evidence: evidence, rule: "no-signature",
                           checks: [
                               "compare with a request straight to the origin (bypassing the CDN/WAF): if it succeeds, the edge refused",
                               "run `why403 probe URL --variants` to see which change (User-Agent, Referer, token) flips the status",
                               "read the web server's error log at the time of the request (`why403 logs`)",
                               "if a web server is local, explain it white-box: `why403 nginx URL --config FILE` or `why403 apache ...`",
                           ])
        case 429 where isJSON:
            // A JSON error object and no product's page or headers: web servers, CDNs and WAFs answer a rate
            // limit with an HTML page (or plain text); an error envelope is the API's own limiter speaking.
            // Possible only: a gateway in front can answer in JSON too (the signatures above name those).
            // A logged body that is not valid JSON (a raw line break inside a string, as OpenWeatherMap's
            // 429 is pasted) still has the envelope's shape: `{` … `}` around quoted keys.
            return Finding(cause: .rateLimit, layer: .application, confidence: .possible,
                           summary: "too many requests (429), answered with a JSON error: most likely the API's own rate limiter (no proxy or CDN page)",
                           evidence: evidence + [ctx.bodyEvidence(containing: "{")]
                               + (r.headers["retry-after"].map { [Evidence(source: "header retry-after", text: $0)] } ?? []),
                           rule: "status-429",
                           checks: ["wait for Retry-After (or the reset time the API documents), then lower the request rate",
                                    "the API's documentation for its limits per key, per user or per address; a key of your own often raises them",
                                    "if a gateway fronts the API (API Gateway, Kong, APIM), its usage plan or rate-limiting policy may be the limiter"])
        case 429 where server != nil:
            // No page recognised, but a header names the server (nginx's limit_req with limit_req_status 429, HAProxy's
            // deny_status 429): it most likely limited when the body is empty, possibly when it is a page we do not know
            // (a proxy passes an upstream's 429 on under its own Server header).
            var f = server!
            f.cause = .rateLimit
            f.summary = "too many requests (429); " + f.summary
            f.rule = "status-429"
            if let ra = r.headers["retry-after"] { f.evidence.append(Evidence(source: "header retry-after", text: ra)) }
            f.checks = ["wait for Retry-After, then lower the request rate",
                        "the named server's rate limits (nginx limit_req / limit_conn with limit_req_status 429, HAProxy's http-request deny deny_status 429, Traefik's RateLimit), or the application's behind it"]
            return f
        case 429:
            return Finding(cause: .rateLimit, layer: .unknown, confidence: .likely,
                           summary: "too many requests (429); no product signature says which layer limits",
                           evidence: evidence + (r.headers["retry-after"].map { [Evidence(source: "header retry-after", text: $0)] } ?? []),
                           rule: "status-429",
                           checks: ["wait for Retry-After, then lower the request rate", "look for the limiter in the CDN/WAF rate-limiting rules and the server's limit_req / mod_ratelimit"])
        default:
            return nil
        }
    }
}

/// A response prepared for matching: lower-cased body, parsed challenges, parsed JSON.
struct MatchContext {
    let response: CapturedResponse
    /// The body as text, numeric character references decoded (Akamai writes `Reference&#32;&#35;18…`).
    let bodyText: String
    let bodyLower: String
    let bodyLines: [Substring]
    let challenges: [AuthChallenge]
    let json: [String: Any]?
    /// The objects nested in `json` one level down, then two levels down, each level in key order (a key
    /// found in two of them gives a stable answer), with their dotted paths: where `jsonKey` and `json(key)`
    /// look for an error envelope wrapped in another (`{"results": {"error": {…}}}`). Walked once here.
    let nestedJSON: [[(path: String, object: [String: Any])]]
    var notes: [String] = []

    /// Bodies longer than this are matched on their first part only (block pages are small).
    static let bodyLimit = 512 * 1024

    init(_ r: CapturedResponse) {
        response = r
        let raw = String(decoding: r.body.prefix(MatchContext.bodyLimit), as: UTF8.self)
        let text = raw.contains("&#") ? MatchContext.decodeCharacterReferences(raw) : raw
        bodyText = text
        bodyLower = text.lowercased()
        // By Character: "\r\n" is one Character in Swift, so split on every newline kind.
        bodyLines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        var cs: [AuthChallenge] = []
        var notes: [String] = []
        for v in r.headers.values("www-authenticate") + r.headers.values("proxy-authenticate") {
            do { cs += try AuthChallenge.parse(v) } catch let e as InputError {
                // A value pasted cut short of its last closing quote (`error_description="…` and the end of the
                // line) is read as if the quote closed there: the parameters before it are intact.
                if MatchContext.unbalancedQuotes(v), let closed = try? AuthChallenge.parse(v + "\"") {
                    cs += closed
                    notes.append("the WWW-Authenticate header is malformed: its last quoted value is not closed (cut where it was copied?); read as if it ended at the end of the line")
                } else if let spaced = try? AuthChallenge.parse(v, spaceSeparatedParameters: true) {
                    cs += spaced
                    notes.append("the WWW-Authenticate header separates its parameters with spaces, not commas (AWS API Gateway's JWT authorizer writes it so); read as if the commas were there")
                } else {
                    notes.append("the WWW-Authenticate header is malformed (\(e.message)): its challenge was not used")
                }
            } catch {}
        }
        challenges = cs
        let first = r.body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
           let parsed = try? JSONSerialization.jsonObject(with: Data(r.body.prefix(MatchContext.bodyLimit))) {
            // An array holding one error object is how Google's streaming methods (streamGenerateContent)
            // answer an error: `[{"error": {...}}]`; its object is read as the body's JSON.
            json = parsed as? [String: Any] ?? ((parsed as? [Any])?.count == 1 ? (parsed as? [Any])?.first as? [String: Any] : nil)
        } else {
            json = nil
        }
        var levels: [[(path: String, object: [String: Any])]] = []
        var frontier: [(path: String, object: [String: Any])] = json.map { [("", $0)] } ?? []
        for _ in 0..<2 {
            frontier = frontier.flatMap { parent in
                parent.object.sorted(by: { $0.key < $1.key }).compactMap { k, v in
                    (v as? [String: Any]).map { (parent.path.isEmpty ? k : parent.path + "." + k, $0) }
                }
            }
            levels.append(frontier)
        }
        nestedJSON = levels
        self.notes = notes
    }

    /// True when the value has an odd number of unescaped double quotes (a quoted-string left open).
    static func unbalancedQuotes(_ v: String) -> Bool {
        var count = 0
        var escaped = false
        for c in v {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true } else if c == "\"" { count += 1 }
        }
        return count % 2 == 1
    }

    var statusLine: String {
        "\(response.httpVersion ?? "HTTP/1.1") \(response.status)" + (response.reason.map { $0.isEmpty ? "" : " \($0)" } ?? "")
    }

    var statusSource: String { "status (\(response.origin))" }

    static let redactor = Redactor()

    func headerEvidence(_ name: String, _ value: String) -> Evidence {
        Evidence(source: "header \(name.lowercased())", text: MatchContext.redactor.redactHeader(name: name, value: value))
    }

    /// The body's first non-empty line, trimmed.
    var firstBodyLine: String? { bodyLines.lazy.map { $0.trimmingSpaces }.first(where: { !$0.isEmpty }) }

    func bodyEvidence(containing lowerMarker: String) -> Evidence {
        for (n, line) in bodyLines.enumerated() where line.lowercased().contains(lowerMarker) {
            var text = line.trimmingSpaces
            if text.hasSuffix("\r") { text.removeLast() }
            if text.count > 200 {
                // Quote around the marker.
                let lower = text.lowercased()
                if let r = lower.range(of: lowerMarker) {
                    let start = lower.distance(from: lower.startIndex, to: r.lowerBound)
                    let from = max(0, start - 60)
                    text = "…" + String(text.dropFirst(from).prefix(200)) + "…"
                } else {
                    text = String(text.prefix(200)) + "…"
                }
            }
            return Evidence(source: bodySource(line: n + 1), text: text)
        }
        return Evidence(source: bodySource(line: nil), text: lowerMarker)
    }

    /// Whether evidence from `source` quotes the body (a line of it, or a JSON value).
    func isBodySource(_ source: String) -> Bool {
        if source.hasPrefix("body") { return true }
        guard response.bodyStartLine != nil, source.hasPrefix("\(response.origin):") else { return false }
        return Int(source.dropFirst(response.origin.count + 1)) != nil
    }

    func bodySource(line: Int?) -> String {
        guard let line else { return "body (\(response.origin))" }
        if let start = response.bodyStartLine { return "\(response.origin):\(start + line - 1)" }
        return "body line \(line) (\(response.origin))"
    }

    var requestKnown: Bool { !response.requestHeaders.entries.isEmpty }

    static let credentialHeaders = ["authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "private-token", "x-access-token", "proxy-authorization"]

    /// The evidence when the condition holds, nil when it does not.
    func evaluate(_ c: Condition) -> [Evidence]? {
        switch c {
        case .header(let name):
            guard let v = response.headers[name] else { return nil }
            return [headerEvidence(name, v)]
        case .headerContains(let name, let text):
            let t = text.lowercased()
            guard let v = response.headers.values(name).first(where: { $0.lowercased().contains(t) }) else { return nil }
            return [headerEvidence(name, v)]
        case .body(let text):
            let t = text.lowercased()
            guard bodyLower.contains(t) else { return nil }
            return [bodyEvidence(containing: t)]
        case .bodyIs(let text):
            let t = text.lowercased()
            // Length first (UTF-8 count: O(1), where `count` walks every character of a long body).
            guard bodyLower.utf8.count <= t.utf8.count + 64, bodyLower.trimmingCharacters(in: .whitespacesAndNewlines) == t else { return nil }
            return [bodyEvidence(containing: t)]
        case .any(let cs):
            for c in cs { if let e = evaluate(c) { return e } }
            return nil
        case .all(let cs):
            var out: [Evidence] = []
            for c in cs {
                guard let e = evaluate(c) else { return nil }
                for x in e where !out.contains(x) { out.append(x) }
            }
            return out
        case .not(let c):
            return evaluate(c) == nil ? [] : nil
        case .challenge(let scheme, let error):
            for ch in challenges {
                if let scheme, !ch.isScheme(scheme) { continue }
                let err = ch.parameter("error")
                if let error {
                    if error.isEmpty { if err != nil { continue } } else if err?.lowercased() != error.lowercased() { continue }
                }
                return [Evidence(source: "header www-authenticate", text: MatchContext.describe(ch))]
            }
            return nil
        case .requestCredentials(let sent):
            guard requestKnown else { return sent ? nil : [] }
            let found = response.requestHeaders.entries.first { MatchContext.credentialHeaders.contains($0.name.lowercased()) }
            if sent {
                guard let h = found else { return nil }
                return [Evidence(source: "request header \(h.name.lowercased())", text: MatchContext.redactor.redactHeader(name: h.name, value: h.value))]
            }
            guard found == nil else { return nil }
            return [Evidence(source: "request (\(response.origin))", text: "no Authorization, Cookie or API-key header was sent")]
        case .status(let statuses):
            return statuses.contains(response.status) ? [] : nil
        case .reason(let text):
            guard let r = response.reason, r.lowercased().contains(text.lowercased()) else { return nil }
            return [Evidence(source: "\(statusSource) reason phrase", text: r)]
        case .jsonKey(let keys):
            guard let json else { return nil }
            for k in keys {
                if let v = json[k] {
                    return [Evidence(source: "body (\(response.origin)) JSON \"\(k)\"", text: MatchContext.describe(v))]
                }
            }
            // An envelope one level down (`{"meta": {…}, "results": {"error": {…}}}`): the error is still the body's.
            for (path, d) in nestedJSON[0] {
                for k in keys {
                    if let v = d[k] {
                        return [Evidence(source: "body (\(response.origin)) JSON \"\(path).\(k)\"", text: MatchContext.describe(v))]
                    }
                }
            }
            return nil
        }
    }

    /// A challenge as evidence: `Basic (realm="x")`. Not the raw header: "Basic realm" would read as
    /// Basic credentials to the Redactor; a token68 is never quoted.
    static func describe(_ ch: AuthChallenge) -> String {
        if ch.token68 != nil { return "\(ch.scheme) (token68)" }
        if ch.parameters.isEmpty { return "\(ch.scheme) (no parameters)" }
        let order = ["realm", "error", "error_description", "scope"]
        let keys = order.filter { ch.parameters[$0] != nil } + ch.parameters.keys.filter { !order.contains($0) }.sorted()
        return "\(ch.scheme) (" + keys.map { "\($0)=\"\(ch.parameters[$0]!)\"" }.joined(separator: ", ") + ")"
    }

    static func describe(_ v: Any) -> String {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        // An object or a list of them as JSON with its keys sorted (a `Dictionary`'s own description is in hash order,
        // which changes from run to run).
        if v is [String: Any] || v is [Any], JSONSerialization.isValidJSONObject(v),
           let data = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys]) {
            return String(decoding: data.prefix(300), as: UTF8.self)
        }
        return String(describing: v).prefix(300).description
    }

    /// The value of a source and the evidence that shows it.
    func value(_ src: ValueSource) -> (String, Evidence)? {
        switch src {
        case .reason:
            guard let r = response.reason?.trimmingSpaces, !r.isEmpty else { return nil }
            return (r, Evidence(source: "\(statusSource) reason phrase", text: r))
        case .bodyLine:
            guard let line = firstBodyLine else { return nil }
            let v = String(line.prefix(300))
            return (v, bodyEvidence(containing: v.lowercased()))
        case .header(let name):
            guard let v = response.headers[name]?.trimmingSpaces, !v.isEmpty else { return nil }
            return (v, headerEvidence(name, v))
        case .headerPrefix(let name, let sep):
            guard let v = response.headers[name]?.trimmingSpaces, !v.isEmpty else { return nil }
            let p = String(v.split(separator: sep, maxSplits: 1).first ?? Substring(v))
            return (p, headerEvidence(name, v))
        case .headerAfter(let name, let marker, let chars):
            guard let v = response.headers[name]?.trimmingSpaces, let r = v.range(of: marker, options: .caseInsensitive) else { return nil }
            let p = String(v[r.upperBound...].prefix { chars.contains($0) })
            guard !p.isEmpty, chars.isText || p.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
            return (p, headerEvidence(name, v))
        case .body(let marker, let chars):
            let m = marker.lowercased()
            guard let r = bodyLower.range(of: m) else { return nil }
            // The original text at the same place (lower-casing can change lengths only outside ASCII;
            // work on the lower-cased copy's offsets in the original only when lengths agree).
            let source = bodyText.count == bodyLower.count ? bodyText : bodyLower
            let offset = bodyLower.distance(from: bodyLower.startIndex, to: r.upperBound)
            var i = source.index(source.startIndex, offsetBy: offset)
            var skipped = 0
            var inTag = false
            while i < source.endIndex, skipped < 120 {
                let c = source[i]
                if inTag { if c == ">" { inTag = false } }
                else if c == "<" { inTag = true }
                else if chars.contains(c) && !(chars.isText && (c == " " || c == "\t" || c == ":")) { break }
                i = source.index(after: i); skipped += 1
            }
            var j = i
            // A marker that ends with the value's opening quote (`"message":"`, `'error': '`) is answered by the closing
            // one: a quoted text ends there, not at the end of the line (a one-line JSON body's rest came with it).
            // (An opening quote follows a `:`, `=` or space; `"details"` ends with its key's closing quote.)
            var quote: Character? = nil
            if chars.isText, let q = marker.last, q == "\"" || q == "'",
               let before = marker.dropLast().last, before == ":" || before == "=" || before == " " {
                quote = q
            }
            // So is one that ends with the key (`"message":`) where the value is quoted: the quotes are not part of it.
            if chars.isText, quote == nil, marker.hasSuffix("\":") || marker.hasSuffix("':"), i < source.endIndex,
               source[i] == "\"" || source[i] == "'" {
                quote = source[i]
                i = source.index(after: i)
                j = i
            }
            while j < source.endIndex, chars.contains(source[j]) {
                if let quote, source[j] == quote { break }
                if quote != nil, source[j] == "\\" {
                    j = source.index(after: j)
                    if j == source.endIndex || !chars.contains(source[j]) { break }
                }
                j = source.index(after: j)
            }
            let v = source[i..<j].trimmingSpaces
            // An identifier has a letter or digit: a run of punctuation (the "." ending the sentence that announces an id
            // the page then does not show) is no value.
            guard !v.isEmpty, chars.isText || v.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
            return (v, bodyEvidence(containing: m))
        case .xml(let name):
            let open = "<\(name.lowercased())>", close = "</\(name.lowercased())>"
            guard let a = bodyLower.range(of: open), let b = bodyLower.range(of: close, range: a.upperBound..<bodyLower.endIndex) else { return nil }
            let source = bodyText.count == bodyLower.count ? bodyText : bodyLower
            let from = bodyLower.distance(from: bodyLower.startIndex, to: a.upperBound)
            let to = bodyLower.distance(from: bodyLower.startIndex, to: b.lowerBound)
            let v = String(source.dropFirst(from).prefix(to - from)).trimmingSpaces
            guard !v.isEmpty else { return nil }
            return (MatchContext.unescapeXML(v), bodyEvidence(containing: open))
        case .json(let key):
            guard let json else { return nil }
            if let v = json[key] { return scalar(v).map { ($0, Evidence(source: "body (\(response.origin)) JSON \"\(key)\"", text: $0)) } }
            // One level down, then two (an envelope around the error object: `{"results": {"error": {"message": …}}}`).
            for (path, d) in nestedJSON[0] + nestedJSON[1] {
                if let v = d[key], let s = scalar(v) {
                    return (s, Evidence(source: "body (\(response.origin)) JSON \"\(path).\(key)\"", text: s))
                }
            }
            return nil
        case .jsonListItem(let list, let key):
            guard let item = (json?[list] as? [Any])?.first as? [String: Any], let v = item[key], let s = scalar(v) else { return nil }
            return (s, Evidence(source: "body (\(response.origin)) JSON \"\(list)[0].\(key)\"", text: s))
        case .challenge(let scheme, let parameter):
            guard let ch = challenges.first(where: { scheme == "*" || $0.isScheme(scheme) }), let v = ch.parameter(parameter) else { return nil }
            return (v, Evidence(source: "header www-authenticate", text: "\(parameter)=\"\(v)\""))
        case .challengeScheme:
            guard let ch = challenges.first else { return nil }
            return (ch.scheme, Evidence(source: "header www-authenticate", text: ch.scheme))
        }
    }

    func scalar(_ v: Any) -> String? {
        if let s = v as? String { return s.isEmpty ? nil : s }
        if let n = v as? NSNumber { return n.stringValue }
        return nil
    }

    /// `&#35;` and `&#x23;` decoded; anything else left as it is.
    static func decodeCharacterReferences(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "&#") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            let hex = after.first == "x" || after.first == "X"
            let digits = (hex ? after.dropFirst() : after).prefix(while: { hex ? $0.isHexDigit : ($0.isASCII && $0.isNumber) })
            let end = digits.endIndex
            if !digits.isEmpty, digits.count <= 7, end < rest.endIndex, rest[end] == ";",
               let v = UInt32(digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(v) {
                out.unicodeScalars.append(scalar)
                rest = rest[rest.index(after: end)...]
            } else {
                out += "&#"
                rest = after
            }
        }
        return out + rest
    }

    static func unescapeXML(_ s: String) -> String {
        s.replacingAll("&quot;", with: "\"").replacingAll("&apos;", with: "'").replacingAll("&lt;", with: "<")
            .replacingAll("&gt;", with: ">").replacingAll("&amp;", with: "&")
    }
}
