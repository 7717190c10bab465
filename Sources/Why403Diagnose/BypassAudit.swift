import Why403Core
import Why403FileSystem
import Why403Nginx
import Why403Apache

/// `why403 audit --bypass URL`: which well-known 403-bypass variants of a refused request
/// (`BypassTrick.all`) a configuration would serve, found by simulating each with the layer's own
/// simulator (`NginxAnalyzer`, `ApacheAnalyzer`), offline: nothing is sent.
///
/// A variant is reported when the original request is refused (401/403) and the variant is served:
/// a 2xx from the server itself (`certain`: the simulator proves the server serves it), or handed to
/// the application behind (`proxy_pass` & co.; `likely`: the application decides what the variant
/// means, and many decode, merge and case-fold where the server did not). Each finding is
/// `rule: "bypass.<trick>"` with `details: {method, target, headers, status}` (cli-v1, second edition),
/// the rule that failed to cover the variant as evidence, and the fix for the kind of trick.
public enum BypassAudit {
    /// The client address assumed when the request has none: an address on the internet (TEST-NET-3).
    public static let defaultClient = "203.0.113.7"

    /// One simulated server: a request in, its report out.
    public typealias Simulate = (Request) throws -> Report

    /// Simulates `request` and every trick against `simulate`; the findings (one per variant served) and notes.
    /// `strips`: lower-case names of the headers the configuration removes before the application sees them
    /// (nginx `proxy_set_header X-Original-URL "";`): a rewriting-header trick that reaches the application
    /// without its header proves nothing.
    public static func run(_ request: Request, layer: Layer, config: String, strips: Set<String> = [],
                           simulate: Simulate) throws -> (findings: [Finding], notes: [String]) {
        var request = request
        var notes: [String] = []
        if request.clientAddress == nil {
            request.clientAddress = IPAddress(defaultClient)
            notes.append("no --client-ip: the request is taken as coming from \(defaultClient), an address on the internet")
        }
        let original = try simulate(request)
        guard let status = original.verdict.status, RefusalStatus.isRefusal(status) else {
            notes.append("\(layer.rawValue) \(config): \(request.method) \(request.target.requestURI) is not refused (status \(original.verdict.status.map(String.init) ?? "decided by the application")): there is no refusal to walk around")
            return ([], notes)
        }
        let rule = original.findings.first
        var findings: [Finding] = []
        var tried = 0
        var reachedButMissing: [String] = []
        for trick in BypassTrick.all {
            guard let variant = try trick.apply(to: request) else { continue }
            tried += 1
            let report: Report
            do { report = try simulate(variant) } catch let e as InputError {
                notes.append("\(trick.id): not simulated (\(e.message))")
                continue
            }
            let outcome = served(report)
            if outcome == .application, trick.kind == .rewriteHeader,
               trick.headers.allSatisfy({ (try? Request.parseHeaderLine($0).name.lowercased()).map(strips.contains) ?? false }) {
                notes.append("\(trick.id): reaches the application, but the configuration removes the header first")
                continue
            }
            if outcome == .server, variant.method == "TRACE" {
                notes.append("\(trick.id): the server answers TRACE itself with an echo of the request, not the resource (TraceEnable off refuses it)")
                continue
            }
            if outcome == .notServed {
                if report.verdict.status == 404 { reachedButMissing.append(trick.id) }
                continue
            }
            findings.append(finding(trick: trick, variant: variant, report: report, original: original, rule: rule,
                                    layer: layer, byApplication: outcome == .application))
        }
        notes.append("\(layer.rawValue) \(config): \(request.method) \(request.target.requestURI) is refused with \(status) (\(original.verdict.cause.rawValue)); \(tried) variants simulated, \(findings.count) served")
        if !reachedButMissing.isEmpty {
            notes.append("got past the access rules but found no file (404), so not reported: \(reachedButMissing.joined(separator: ", ")) (an application behind the same rules may answer them)")
        }
        return (findings, notes)
    }

    enum Outcome { case notServed, server, application }

    /// Whether the server serves the variant itself (2xx), hands it to the application, or neither.
    static func served(_ report: Report) -> Outcome {
        if let s = report.verdict.status { return (200..<300).contains(s) ? .server : .notServed }
        return report.findings.first?.layer == .application ? .application : .notServed
    }

    static func finding(trick: BypassTrick, variant: Request, report: Report, original: Report, rule: Finding?,
                        layer: Layer, byApplication: Bool) -> Finding {
        let target = variant.target.requestURI
        let statusText = report.verdict.status.map(String.init) ?? "handed to the application"
        let added = trick.headers.compactMap { h -> String? in
            guard let name = try? Request.parseHeaderLine(h).name, let v = variant.header(name) else { return nil }
            return "\(name): \(v)"
        }
        var evidence: [Evidence] = [Evidence(source: "request", text: ([variant.method + " " + target] + added).joined(separator: "; "))]
        evidence += (rule?.evidence ?? []).prefix(3)
        if let served = report.findings.first { evidence += served.evidence.prefix(2) }
        let ruleText = rule?.evidence.first.map { "\($0.text) (\($0.source))" } ?? "the rule that refuses \(original.subject.url ?? "")"
        let summary = "\(variant.method) \(target) is \(byApplication ? "handed to the application" : "served (\(statusText))") where the original is refused: \(ruleText) does not cover it (\(trick.id))"
        var details: [String: JSONValue] = [
            "method": .string(variant.method),
            "target": .string(target),
            "headers": .array(variant.headerPairs.map { .string("\($0.name): \($0.value)") }),
            "trick": .string(trick.id),
            "kind": .string(trick.kind.rawValue),
            "origin": .string(trick.origin),
        ]
        details["status"] = report.verdict.status.map { .int($0) } ?? .null
        // A rewriting header proves something only if the application reads it: few do (IIS URL Rewrite, Symfony before 5).
        let confidence: Confidence = !byApplication ? .certain : trick.kind == .rewriteHeader ? .possible : .likely
        return Finding(cause: original.verdict.cause, layer: layer, confidence: confidence,
                       summary: summary, evidence: evidence, fixes: fixes(trick, layer: layer, ruleText: ruleText),
                       rule: trick.id,
                       checks: !byApplication ? nil : trick.kind == .rewriteHeader
                        ? ["check whether the application takes the path from \(added.joined(separator: ", ")) (IIS URL Rewrite, older Symfony and Zend do): then it serves the refused resource"]
                        : ["the application decides what \(target) means: check whether it serves the refused resource (many frameworks decode, merge slashes, strip `;...` and match case-insensitively)"],
                       details: details, severity: .error)
    }

    /// The fix for a kind of trick, in the layer's words.
    static func fixes(_ trick: BypassTrick, layer: Layer, ruleText: String) -> [Fix] {
        let nginx = layer == .nginx
        switch trick.kind {
        case .path:
            if trick.id == "bypass.upper-case" || trick.id == "bypass.capitalised" || trick.id == "bypass.encoded-letter" && !nginx {
                return [Fix(summary: nginx
                            ? "match the protected path case-insensitively (`location ~* ^/admin`) when the application behind ignores case, and refuse there"
                            : "match case-insensitively: `<LocationMatch \"(?i)^/admin\">`, or protect the `<Directory>` the files are in rather than a URL spelling")]
            }
            return [Fix(summary: nginx
                        ? "protect every spelling that reaches the resource: a prefix `location /admin` (or `location ^~ /admin`) instead of `location = /admin` or a regex anchored at both ends; nginx decodes and merges slashes before matching, the application behind may also strip `;...`, `.json` or a trailing `%20`"
                        : "protect the resource, not one spelling of its URL: `<Directory>` for files, a `<LocationMatch>` without an end anchor (`^/admin`) for what a proxy or handler serves"),
                    Fix(summary: "refuse in the application too (or normalise the path at the proxy): \(ruleText) only sees one spelling")]
        case .method:
            return [Fix(summary: nginx
                        ? "refuse with rules that cover every method: `deny all;` (or `limit_except <the methods to allow> { deny all; }`) instead of `if ($request_method = ...) { return 403; }`, which lets every other method, HEAD included, through"
                        : "put `Require` outside `<Limit>` (or use `<LimitExcept GET>`): `<Limit GET>` leaves every other method, FOO included, unrefused"),
                    Fix(summary: "do not honour X-HTTP-Method-Override in the application unless the caller is authenticated")]
        case .addressHeader:
            return [Fix(summary: nginx
                        ? "believe X-Forwarded-For only from the proxy in front: `set_real_ip_from <the proxy's address>` (never 0.0.0.0/0), and key access on `$remote_addr`, never on `$http_x_forwarded_for`"
                        : "believe X-Forwarded-For only from the proxy in front: `RemoteIPInternalProxy <the proxy's address>`, and key access on `Require ip`, never on `SetEnvIf X-Forwarded-For`"),
                    Fix(summary: "the proxy in front should overwrite these headers (proxy_set_header X-Forwarded-For $remote_addr;), not pass the client's own")]
        case .rewriteHeader:
            return [Fix(summary: "remove X-Original-URL and X-Rewrite-URL at the edge (`proxy_set_header X-Original-URL \"\";`, `RequestHeader unset X-Original-URL`) and refuse in the application, which is what reads them")]
        case .host:
            return [Fix(summary: nginx
                        ? "refuse in every server that can answer this path, the default server too (`listen 80 default_server; return 444;`)"
                        : "refuse in every <VirtualHost> that can answer this path, the first (default) one too")]
        case .header:
            return [Fix(summary: "never grant access on Referer or User-Agent: the client chooses both")]
        }
    }
}

extension RefusalStatus {
    /// Whether `status` is a refusal `audit --bypass` tries to walk around (401 or 403).
    static func isRefusal(_ status: Int) -> Bool { status == 401 || status == 403 }
}

extension AuditAnalyzer {
    /// Lower-case names of the headers `proxy_set_header NAME "";` clears anywhere in the configuration.
    static func stripped(_ list: [Directive]) -> [String] {
        list.flatMap { d -> [String] in
            (d.name == "proxy_set_header" && d.args.count == 2 && d.args[1].isEmpty ? [d.args[0].lowercased()] : [])
                + stripped(d.block ?? [])
        }
    }

    /// `audit --bypass URL`: the bypass findings for each configuration given.
    static func bypass(_ request: Request, input: AuditAnalyzer.Input) throws -> Report {
        guard !(input.nginx.isEmpty && input.apache.isEmpty) else {
            throw InputError(file: nil, expected: "--nginx FILE or --apache FILE with --bypass", found: "none")
        }
        var findings: [Finding] = []
        var notes: [String] = []
        for path in input.nginx {
            let config = try NginxAnalyzer.parse(.file(path), fileSystem: input.fileSystem)
            let strips = Set(stripped(config.expanded))
            let (f, n) = try BypassAudit.run(request, layer: .nginx, config: path, strips: strips) { r in
                try NginxAnalyzer.analyze(config: config, input: .init(config: .file(path), request: r, fileSystem: input.fileSystem,
                                                                        prefix: input.nginxPrefix))
            }
            findings += f
            notes += n
        }
        for path in input.apache {
            let (f, n) = try BypassAudit.run(request, layer: .apache, config: path) { r in
                try ApacheAnalyzer.analyze(.init(configPath: path, request: r, fileSystem: input.fileSystem))
            }
            findings += f
            notes += n
        }
        let verdict = findings.first.map { Verdict(status: nil, layer: $0.layer, cause: $0.cause) } ?? .notDenied
        let subject = Subject(kind: .audit, url: request.url, method: request.method,
                              clientIP: request.clientIP ?? BypassAudit.defaultClient,
                              config: (input.nginx + input.apache).first,
                              extra: ["bypass": .object(["tricks": .int(BypassTrick.all.count), "served": .int(findings.count)]),
                                      "counts": .object(["error": .int(findings.count), "warning": .int(0), "info": .int(0)])])
        return Report(subject: subject, verdict: verdict, findings: findings, notes: notes)
    }
}
