import Why403Core

/// Builds the report of `why403 response FILE` from a capture: one report, with the findings of every
/// analysed response (a HAR's 401/403 entries grouped by origin). Pure: no I/O.
public enum ResponseReport {
    /// Reads and analyses `bytes` (the content of `file`, `-` for stdin) into one report.
    public static func report(bytes: [UInt8], file: String) throws -> Report {
        report(for: try ResponseReader.read(bytes, file: file), file: file)
    }

    /// The report for a capture already read.
    public static func report(for capture: ResponseCapture, file: String) -> Report {
        var extra: [String: JSONValue] = ["format": .string(capture.format.rawValue)]
        if !capture.chain.isEmpty { extra["chain"] = .array(capture.chain.map { .string($0) }) }
        var notes = capture.notes
        switch capture.format {
        case .raw, .curlVerbose:
            guard let r = capture.responses.last else {
                return Report(subject: Subject(kind: .response, file: file, extra: extra), verdict: .notDenied, notes: notes)
            }
            let a = ResponseAnalyzer.identify(r)
            notes += a.notes
            if a.findings.isEmpty {
                notes.append("status \(r.status) is not a refusal: nothing to explain")
            }
            extra["signatures"] = .array(a.matched.map { .string($0) })
            let subject = Subject(kind: .response, url: r.url, method: r.method, file: file, extra: extra)
            if a.findings.isEmpty {
                return Report(subject: subject, verdict: Verdict(status: r.status, layer: .none, cause: .none), notes: notes)
            }
            return Report(subject: subject, status: r.status, findings: a.findings, answeredBy: a.layer, ranked: true,
                          disguised: a.disguised, notes: notes)
        case .har:
            extra["entries"] = .int(capture.totalEntries)
            extra["denied"] = .int(capture.responses.count)
            var findings: [Finding] = []
            var byOrigin: [String: [String]] = [:]
            var originOrder: [String] = []
            for r in capture.responses {
                let a = ResponseAnalyzer.identify(r)
                let entry = r.origin.split(separator: " ").last.map(String.init) ?? r.origin
                let origin = originOf(r.url)
                if byOrigin[origin] == nil { originOrder.append(origin) }
                let primary = a.findings.first
                byOrigin[origin, default: []].append("entry \(entry): \(r.status) \(primary?.layer.rawValue ?? "none") \(primary?.cause.rawValue ?? "none")")
                for n in a.notes { notes.append("entry \(entry): \(n)") }
                for var f in a.findings {
                    f.evidence.insert(Evidence(source: r.origin, text: "\(r.method ?? "GET") \(r.url ?? "?") -> \(r.status)"), at: 0)
                    var d = f.details ?? [:]
                    d["entry"] = .int(Int(entry) ?? 0)
                    if let u = r.url { d["url"] = .string(u) }
                    d["origin"] = .string(origin)
                    f.details = d
                    findings.append(f)
                }
            }
            extra["origins"] = .object(byOrigin.mapValues { .array($0.map { .string($0) }) })
            for o in originOrder { notes.append("\(o): " + byOrigin[o]!.joined(separator: "; ")) }
            let first = capture.responses.first
            let subject = Subject(kind: .response, url: first?.url, method: first?.method, file: file, extra: extra)
            guard let first else {
                return Report(subject: subject, verdict: .notDenied, notes: notes)
            }
            return Report(subject: subject, status: first.status, findings: findings, answeredBy: findings.first?.layer ?? .unknown, ranked: true, notes: notes)
        }
    }

    /// `scheme://host[:port]` of a URL (hand-split: Foundation's URL refuses some HAR URLs).
    static func originOf(_ url: String?) -> String {
        guard let url, let r = url.range(of: "://") else { return "(no URL)" }
        let rest = url[r.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? String(authority)
        return String(url[..<r.upperBound]) + host.lowercased()
    }
}
