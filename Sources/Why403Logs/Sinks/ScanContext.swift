import Why403Core

/// What the scanners of all inputs share: the filters, the correlation of error-log reasons with
/// access lines, and the aggregates.
final class ScanContext {
    let statuses: Set<Int>
    let format: AccessFormat
    let since: Int64?
    let until: Int64?
    let limits: LogsLimits
    let aggregator: Aggregator

    var malformedCount = 0
    var malformedSamples: [Evidence] = []
    var errorEventsSeen = 0
    var accessDenials = 0
    var correlatedDenials = 0
    var outsideWindow = 0
    var correlationOverflow = false

    struct Stored {
        var event: ErrorEvent
        var evidence: Evidence
        var consumed = false
    }
    var events: [Stored] = []
    var exact: [String: [Int]] = [:]
    var loose: [String: [Int]] = [:]

    init(statuses: Set<Int>, format: AccessFormat, since: Int64?, until: Int64?, limits: LogsLimits) {
        self.statuses = statuses
        self.format = format
        self.since = since
        self.until = until
        self.limits = limits
        self.aggregator = Aggregator(limits: limits)
        let table = EdgeRules.accessLine
        self.accessRules = (0..<600).map { s in
            var rec = EdgeRecord()
            rec.status = s
            let r = EdgeRules.match(table, rec)
            return (r.cause, r.confidence)
        }
    }

    /// The cause of an access line no error line explains, per status: `EdgeRules.accessLine`
    /// evaluated once per status here (its rules read nothing but the status), so the scan and
    /// `--emit-sql` share one table at no cost per line.
    let accessRules: [(cause: Cause, confidence: Confidence)]

    static func evidence(_ file: String, _ line: Int, _ text: String) -> Evidence {
        var t = text
        if t.hasSuffix("\r") { t.removeLast() }
        if t.count > 400 { t = String(t.prefix(400)) + "…" }
        return Evidence(source: "log \(file):\(line)", text: t)
    }

    func malformed(file: String, line: Int, text: String) {
        malformedCount += 1
        if malformedSamples.count < 5 {
            malformedSamples.append(Evidence(source: "log \(file):\(line)", text: InputError.quote(text, limit: 120)))
        }
    }

    private func inWindow(_ t: LogTime?) -> Bool {
        guard let t else { return since == nil && until == nil }
        if let since, t.utc < since { return false }
        if let until, t.utc > until { return false }
        return true
    }

    /// Whether an error event counts under the `--status` filter.
    private func wanted(_ ev: ErrorEvent) -> Bool {
        if let s = ev.status { return statuses.contains(s) }
        // limit_req / limit_conn answer 503 unless limit_req_status says otherwise (often 429 or 403).
        return !statuses.isDisjoint(with: [403, 429, 503])
    }

    func errorEvent(_ ev: ErrorEvent, file: String, line: Int, text: String) {
        if ev.isWarningOnly {
            aggregator.modsecurityRules.add(ev.rule + (ev.detail.map { " " + $0.prefix(80) } ?? ""))
            return
        }
        guard inWindow(ev.time) else { outsideWindow += 1; return }
        errorEventsSeen += 1
        let evidence = ScanContext.evidence(file, line, text)
        guard events.count < limits.correlationEvents, let t = ev.time?.wall, let client = ev.client else {
            if ev.time != nil && ev.client != nil { correlationOverflow = true }
            if wanted(ev) { aggregator.add(denial(from: ev, status: ev.status, correlated: false)) { [evidence] } }
            return
        }
        let i = events.count
        events.append(Stored(event: ev, evidence: evidence))
        if let r = ev.request { exact["\(client)\u{1}\(r)\u{1}\(t)", default: []].append(i) }
        loose["\(client)\u{1}\(t)", default: []].append(i)
    }

    func accessDenial(_ rec: AccessRecord, file: String, line: Int, bytes: ByteLine) {
        guard inWindow(rec.time) else { outsideWindow += 1; return }
        accessDenials += 1
        let evidence = { ScanContext.evidence(file, line, bytes.text) }
        let client = rec.key(rec.client, in: bytes) ?? aggregator.dash
        if !events.isEmpty, let t = rec.time?.wall,
           let i = correlate(client: rec.string(rec.client, in: bytes) ?? "-", request: rec.request(in: bytes),
                             user: rec.string(rec.user, in: bytes), wall: t) {
            events[i].consumed = true
            correlatedDenials += 1
            var d = denial(from: events[i].event, status: rec.status, correlated: true)
            d.path = rec.key(rec.path, in: bytes) ?? d.path
            d.userAgent = rec.key(rec.userAgent, in: bytes)
            d.time = rec.time
            d.client = client
            let errorEvidence = events[i].evidence
            aggregator.add(d) { [evidence(), errorEvidence] }
            return
        }
        var d = Denial(status: rec.status, cause: .unknown, layer: .unknown, confidence: .possible,
                       rule: ScanContext.statusRule(rec.status), time: rec.time, client: client,
                       path: rec.key(rec.path, in: bytes), userAgent: rec.key(rec.userAgent, in: bytes),
                       target: nil, detail: nil, correlated: false)
        if rec.status >= 0 && rec.status < 600 {
            let rule = accessRules[rec.status]
            d.cause = rule.cause
            d.confidence = rule.confidence
        }
        aggregator.add(d) { [evidence()] }
    }

    /// True when AWS WAF logs and ALB logs are read together: WAF blocks are then held (AWS WAF
    /// logs are read first) for the balancer's lines of the same requests to claim.
    var joinWAF = false
    struct HeldBlock {
        var denial: Denial
        var evidence: Evidence
        var consumed = false
    }
    var heldBlocks: [HeldBlock] = []
    var heldIndex: [String: [Int]] = [:]

    /// One refusal read from an edge log: its cause comes from the line itself (`rule`, the match
    /// in the format's table). With `joinWAF`, an AWS WAF block waits for the ALB line of the same
    /// request (same client and path, within a second), and an ALB refusal that AWS WAF made
    /// (`alb-waf`) takes the WAF's rule: one refusal, two log lines as evidence.
    func edgeDenial(_ rec: EdgeRecord, format: LogInputFormat, rule: EdgeRule, name: String, target: String?, evidence: Evidence) {
        guard inWindow(rec.time) else { outsideWindow += 1; return }
        accessDenials += 1
        var d = Denial(status: rec.status, cause: rule.cause, layer: rule.layer, confidence: rule.confidence, rule: name,
                       time: rec.time, client: LogKey(rec.client), path: rec.path.map { LogKey($0) },
                       userAgent: rec.userAgent.map { LogKey($0) }, target: target, detail: rec.detail,
                       correlated: false, country: rec.country, meaning: rule.meaning)
        if joinWAF, format == .awsWAF, let t = rec.time?.utc, heldBlocks.count < limits.correlationEvents {
            accessDenials -= 1  // counted when claimed or flushed
            heldIndex["\(rec.client)\u{1}\(t)", default: []].append(heldBlocks.count)
            heldBlocks.append(HeldBlock(denial: d, evidence: evidence))
            return
        }
        if joinWAF, format == .alb, name == "alb-waf", let t = rec.time?.utc {
            for dt: Int64 in [0, -1, 1, -2] {
                guard let idx = heldIndex["\(rec.client)\u{1}\(t + dt)"],
                      let i = idx.first(where: { !heldBlocks[$0].consumed && heldBlocks[$0].denial.path?.text == rec.path }) else { continue }
                heldBlocks[i].consumed = true
                let waf = heldBlocks[i]
                correlatedDenials += 1
                d.cause = waf.denial.cause
                d.layer = waf.denial.layer
                d.confidence = waf.denial.confidence
                d.rule = waf.denial.rule
                d.detail = waf.denial.detail
                d.meaning = waf.denial.meaning
                d.country = waf.denial.country
                d.correlated = true
                aggregator.add(d) { [evidence, waf.evidence] }
                return
            }
        }
        aggregator.add(d) { [evidence] }
    }

    /// AWS WAF blocks no balancer line claimed count on their own (at the end of the run).
    func flushHeldBlocks() {
        for h in heldBlocks where !h.consumed {
            accessDenials += 1
            let e = h.evidence
            aggregator.add(h.denial) { [e] }
        }
        heldBlocks = []
        heldIndex = [:]
    }

    /// `status-NNN`, made once per status.
    static let statusRules: [String] = (0..<600).map { "status-\($0)" }
    static func statusRule(_ s: Int) -> String { s >= 0 && s < 600 ? statusRules[s] : "status-\(s)" }

    /// The error event for this access line, one event per line (nginx and Apache write one reason
    /// per refusal): same client, request and second (±1 s, as the error line may be written in the
    /// second before the access line); else same client and second with the same path (the URI, or a
    /// file path ending with it) and user (Apache error lines carry no request line).
    private func correlate(client: String, request: String?, user: String?, wall: Int64) -> Int? {
        guard !events.isEmpty else { return nil }
        if let request {
            for dt: Int64 in [0, -1, 1] {
                guard let idx = exact["\(client)\u{1}\(request)\u{1}\(wall + dt)"] else { continue }
                // One event per access line, in log order; a named user must be the same.
                let sameUser = idx.filter { events[$0].event.user == nil || events[$0].event.user == user }
                let pool = sameUser.isEmpty ? idx : sameUser
                if let i = pool.first(where: { !events[$0].consumed && events[$0].event.user == user })
                    ?? pool.first(where: { !events[$0].consumed }) {
                    events[i].consumed = true
                    return i
                }
            }
        }
        let uri = request.flatMap { $0.split(separator: " ").dropFirst().first }.map { String($0).pathOnly }
        for dt: Int64 in [0, -1, 1] {
            guard let idx = loose["\(client)\u{1}\(wall + dt)"] else { continue }
            // Same user (Apache and nginx name the user of a failed login; the access log has it too).
            var candidates = idx.filter { events[$0].event.user == user }
            // Same path where both sides tell it: the URI, or a file path ending with it.
            if let uri {
                candidates = candidates.filter { i in
                    let e = events[i].event
                    if let p = e.path { return p.pathOnly == uri }
                    if let t = e.target, uri != "/" { return t.hasSuffix(uri) || ScanContext.htaccess(t, governs: uri) }
                    return false
                }
            } else if Set(candidates.map { events[$0].event.cause }).count != 1 {
                continue
            }
            if let i = candidates.first(where: { !events[$0].consumed }) {
                events[i].consumed = true
                return i
            }
        }
        return nil
    }

    /// Whether the `.htaccess` file `target` (Apache AH00529: unreadable) lies in a directory the URI
    /// passes through: a prefix of the URI ending in `/` (not `/` alone) ends the directory's path.
    static func htaccess(_ target: String, governs uri: String) -> Bool {
        guard target.hasSuffix("/.htaccess") else { return false }
        let dir = String(target.dropLast(".htaccess".count))
        var prefix = ""
        for part in uri.split(separator: "/", omittingEmptySubsequences: false).dropFirst().dropLast() {
            prefix += "/" + part
            if dir.hasSuffix(prefix + "/") { return true }
        }
        return false
    }

    func denial(from ev: ErrorEvent, status: Int?, correlated: Bool) -> Denial {
        Denial(status: status, cause: ev.cause, layer: ev.layer, confidence: ev.confidence, rule: ev.rule, time: ev.time,
               client: LogKey(ev.client ?? "-"), path: ev.path.map { LogKey($0.pathOnly) }, userAgent: nil, target: ev.target,
               detail: ev.detail, correlated: correlated)
    }

    /// Error events no access line claimed count on their own (at the end of the run).
    func flushUnclaimedEvents() {
        for s in events where !s.consumed && wanted(s.event) {
            let e = s.evidence
            aggregator.add(denial(from: s.event, status: s.event.status, correlated: false)) { [e] }
        }
        events = []
        exact = [:]
        loose = [:]
    }
}
