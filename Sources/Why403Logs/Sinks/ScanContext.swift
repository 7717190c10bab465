import Why403Core

/// What the scanners of all inputs share: the filters, the correlation of error-log reasons with
/// access lines, and the aggregates.
final class ScanContext {
    let statuses: Set<Int>
    let format: AccessFormat
    /// Whether the format names a secret field (`AccessField.secret`), whose value the evidence leaves out.
    let formatHasSecretFields: Bool
    let since: Int64?
    let until: Int64?
    let limits: LogsLimits
    let aggregator: Aggregator

    var malformedCount = 0
    /// Files found in a named directory and left out: no line of their head is of a log this reads (`Input.listed`).
    var skippedListed: [(file: String, line: Int, mismatch: FormatMismatch)] = []
    var malformedSamples: [Evidence] = []
    var errorEventsSeen = 0
    /// Error-log events read, in the window or not.
    var errorEventsRead = 0
    /// The unique ids of the audit transactions read (their 64-bit hashes: eight bytes each, where the ids as strings took
    /// some sixty, 30 MiB at the bound of 500,000; two ids sharing a hash, about one chance in 10^8 at the bound, would
    /// count one transaction as a repeat), and how many transactions repeated one (not counted again).
    var auditIdsSeen = Set<Int>()
    var auditRepeats = 0
    /// The UTC offset (seconds east) the access logs' times agree on, used for the error logs' times (0: read as UTC).
    var errorLogOffset: Int64 = 0
    var accessDenials = 0
    var correlatedDenials = 0
    var outsideWindow = 0
    /// The earliest and latest local wall-clock times of the access lines read (every line parsed, refused or not).
    var accessWallMin = Int64.max, accessWallMax = Int64.min
    /// Rate-limit events of an error log (no status of their own) left uncounted: the access log covers their time
    /// and no access line with a counted status claimed them, so they were answered with another status.
    var unclaimedRateLimits = 0
    var correlationOverflow = false

    struct Stored {
        var event: ErrorEvent
        var evidence: [Evidence]
        var consumed = false
        /// An error-log line and its audit-log transaction, joined by unique id.
        var joined = false
    }
    /// ModSecurity denials of the error logs by `unique_id`: the audit log's transaction of the
    /// same id takes the event's place (one refusal, both as evidence).
    var byUniqueId: [String: Int] = [:]
    /// Audit-log transactions read, refused ones among them, and those joined to an error-log line.
    var auditTransactions = 0
    var auditRefusals = 0
    var auditJoined = 0
    /// Whether access logs are read after the audit logs: only then are audit refusals held for
    /// their access lines to claim (memory: a few evidence lines each, within `correlationEvents`).
    var holdAudit = true
    var events: [Stored] = []
    var exact: [String: [Int]] = [:]
    var loose: [String: [Int]] = [:]

    /// `--fields`: the field names of W3C and CloudFront real-time logs that have no `#Fields:` header.
    var fields: [String]?

    /// `statuses` as a table over 0..<1000: the hot path asks once per candidate line (a `Set` hashes).
    private let statusTable: [Bool]

    /// Whether `status` passes `--status`.
    @inline(__always)
    func wants(_ status: Int) -> Bool {
        status >= 0 && status < 1000 ? statusTable[status] : statuses.contains(status)
    }

    init(statuses: Set<Int>, format: AccessFormat, since: Int64?, until: Int64?, limits: LogsLimits) {
        self.statuses = statuses
        self.statusTable = (0..<1000).map { statuses.contains($0) }
        self.format = format
        formatHasSecretFields = format.hasSecretFields
        self.since = since
        self.until = until
        self.limits = limits
        self.aggregator = Aggregator(limits: limits)
        let table = EdgeRules.accessLine
        self.accessRules = (0..<600).map { s in
            var rec = EdgeRecord()
            rec.status = s
            let r = table[EdgeRules.matchIndex(table, rec)]
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
        // At most 400 bytes, cut at a character boundary (counting Characters was a tenth of an edge scan).
        if t.utf8.count > 400 {
            t = String(t[..<t.utf8.index(t.utf8.startIndex, offsetBy: 400)]) + "…"
        }
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

    func errorEvent(_ event: ErrorEvent, file: String, line: Int, text: String) {
        var ev = event
        errorEventsRead += 1
        // An error log's time carries no offset: the access logs' one, when they agree on one, places it in UTC.
        if errorLogOffset != 0, let t = ev.time { ev.time = LogTime(utc: t.wall - errorLogOffset, wall: t.wall) }
        if ev.isWarningOnly {
            aggregator.modsecurityRules.add(ev.rule + (ev.detail.map { " " + $0.prefix(80) } ?? ""))
            return
        }
        guard inWindow(ev.time) else { outsideWindow += 1; return }
        errorEventsSeen += 1
        store(ev, evidence: [ScanContext.evidence(file, line, text)])
    }

    /// Holds an error event (or an audit transaction) for the access lines to claim, or counts it
    /// at once when it cannot be joined (no time or client, or past the bound).
    private func store(_ ev: ErrorEvent, evidence: [Evidence]) {
        guard events.count < limits.correlationEvents, let t = ev.time?.wall, let client = ev.client else {
            if ev.time != nil && ev.client != nil { correlationOverflow = true }
            if wanted(ev) { aggregator.add(denial(from: ev, status: ev.status, correlated: false)) { evidence } }
            return
        }
        let i = events.count
        if let u = ev.uniqueId, ev.layer == .modsecurity { byUniqueId[u] = i }
        events.append(Stored(event: ev, evidence: evidence))
        if let r = ev.request { exact["\(client)\u{1}\(r)\u{1}\(t)", default: []].append(i) }
        loose["\(client)\u{1}\(t)", default: []].append(i)
    }

    /// One transaction of a ModSecurity audit log. A refusal (the engine denied it, and its status
    /// passes `--status`) becomes an event like an error-log line's, so an access line of the same
    /// request claims it; when an error log named the same `unique_id`, the transaction takes that
    /// event's place: one refusal, the error line and the audit messages as evidence. Cause
    /// `waf.rule`, or `bot.block` when a CRS scanner-detection rule (913xxx) scored; rule the
    /// denying rule; every rule that scored listed.
    func auditTransaction(_ t: AuditTransaction, file: String) {
        // One transaction, one refusal: the same audit log given twice (plain and rotated `.gz`, or a file and a copy)
        // repeats its unique ids; a repeat is not counted again (bounded as the correlation is).
        if let u = t.uniqueId {
            let h = u.hashValue
            if auditIdsSeen.contains(h) { auditRepeats += 1; return }
            if auditIdsSeen.count < limits.correlationEvents { auditIdsSeen.insert(h) }
        }
        auditTransactions += 1
        // Only the engine's own refusals: a 403 the application answered after warnings (or under
        // DetectionOnly) is not ModSecurity's; its access-log line reports it.
        guard t.refusedByEngine else {
            for m in t.scoring { aggregator.modsecurityRules.add("modsecurity-\(m.ruleId)" + (m.msg.map { " " + $0.prefix(80) } ?? "")) }
            return
        }
        guard inWindow(t.time) else { outsideWindow += 1; return }
        let status = t.refusalStatus
        let scoring = t.scoring
        let denying = t.disruptive ?? scoring.last ?? t.messages.last
        let scored = scoring.filter { $0.ruleId != denying?.ruleId || scoring.count == 1 }
            .map { $0.ruleId + ($0.msg.map { " " + String($0.prefix(80)) } ?? "") }
        var ev = ErrorEvent(cause: scoring.contains(where: \.isScanner) ? .botBlock : .wafRule, layer: .modsecurity,
                            confidence: .certain, rule: "modsecurity-\(denying?.ruleId ?? "audit")", status: status)
        ev.time = t.time
        ev.client = t.client
        ev.uniqueId = t.uniqueId
        ev.userAgent = t.userAgent
        if let m = t.method, let u = t.uri { ev.request = "\(m) \(u)" + (t.protocolVersion.map { " " + $0 } ?? "") }
        ev.path = t.uri.map { $0.pathOnly }
        var parts: [String] = []
        if let msg = denying?.msg { parts.append(msg) }
        ev.detail = parts.isEmpty ? nil : parts.joined(separator: "; ")
        ev.scored = scored
        var evidence = [ScanContext.evidence(file, t.line, t.header)]
        for m in t.messages where !m.isReporting && evidence.count < 8 {
            evidence.append(ScanContext.evidence(file, m.line, m.text))
        }
        if t.droppedMessages > 0 {
            evidence.append(Evidence(source: "log \(file):\(t.line)", text: "(\(t.droppedMessages) more messages not kept)"))
        }
        guard wanted(ev) else { return }
        auditRefusals += 1
        if let u = t.uniqueId, let i = byUniqueId[u], !events[i].consumed, !events[i].joined {
            auditJoined += 1
            // The error line and the transaction are one reason: counted once, when the error line was read (a decrement
            // here made "error-log reasons: 0" when every error line had its transaction).
            let errorEvidence = events[i].evidence
            ev.time = events[i].event.time ?? ev.time
            ev.client = events[i].event.client ?? ev.client
            events[i].event = ev
            events[i].evidence = [evidence[0]] + errorEvidence + evidence.dropFirst().prefix(4)
            events[i].joined = true
            return
        }
        errorEventsSeen += 1
        guard holdAudit else {
            aggregator.add(denial(from: ev, status: ev.status, correlated: false)) { evidence }
            return
        }
        // Held: the transaction line, the denying rule's message and the first two that scored.
        var kept = Array(evidence.prefix(3))
        if let d = t.disruptive, !kept.contains(where: { $0.text == d.text }) { kept.append(ScanContext.evidence(file, d.line, d.text)) }
        store(ev, evidence: kept)
    }

    func accessDenial(_ rec: AccessRecord, file: borrowing String, line: Int, bytes: ByteLine) {
        guard inWindow(rec.time) else { outsideWindow += 1; return }
        accessDenials += 1
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
            // Two closures, not one that captures `self` for the rare format with secret fields: that capture was a
            // retain and a release on every refused line (1% of an access log's instructions).
            if formatHasSecretFields {
                aggregator.add(d) { [ScanContext.evidence(file, line, self.evidenceText(bytes))] + errorEvidence }
            } else {
                aggregator.add(d) { [ScanContext.evidence(file, line, bytes.text)] + errorEvidence }
            }
            return
        }
        // A `let`, made whole: a `var` changed after it was made was copied (some 300 bytes) to be passed to `add`.
        let known = rec.status >= 0 && rec.status < 600
        let d = Denial(status: rec.status, cause: known ? accessRules[rec.status].cause : .unknown, layer: .unknown,
                       confidence: known ? accessRules[rec.status].confidence : .possible,
                       rule: ScanContext.statusRule(rec.status), time: rec.time, client: client,
                       path: rec.key(rec.path, in: bytes), userAgent: rec.key(rec.userAgent, in: bytes),
                       target: nil, detail: nil, correlated: false)
        // The evidence is made in the closures, not in a closure of its own both capture (that one was
        // allocated on the heap for every refused line). They capture the file name through a pointer: a captured
        // `String` is a copy, and a path longer than 15 bytes is a heap string, so every refused line retained and
        // released it (two atomic operations a line, some 2% of a 1 GiB scan). The closures do not escape `add`.
        withUnsafePointer(to: file) { name in
            if formatHasSecretFields {
                aggregator.add(d) { [ScanContext.evidence(name.pointee, line, self.evidenceText(bytes))] }
            } else {
                aggregator.add(d) { [ScanContext.evidence(name.pointee, line, bytes.text)] }
            }
        }
    }

    /// An access line as evidence: its text, with the fields the format says hold secrets (`AccessField.secret`) redacted
    /// (the report's redaction catches secrets by their shape; a cookie header's value has none).
    func evidenceText(_ bytes: ByteLine) -> String {
        format.redactingSecretFields(bytes) ?? bytes.text
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
    /// The rule is `table[rule]`, read in place (a rule passed by value was copied and released on every line).
    func edgeDenial(_ rec: EdgeRecord, format: LogInputFormat, table: [EdgeRule], rule: Int, name: String, target: String?,
                    evidence: @autoclosure () -> Evidence) {
        guard inWindow(rec.time) else { outsideWindow += 1; return }
        accessDenials += 1
        var d = Denial(status: rec.status, cause: table[rule].cause, layer: table[rule].layer, confidence: table[rule].confidence, rule: name,
                       time: rec.time, client: rec.clientBytes.map(LogKey.init(line:)) ?? LogKey(rec.client),
                       path: rec.pathBytes.map(LogKey.init(line:)) ?? rec.path.map { LogKey($0) },
                       userAgent: rec.userAgentBytes.map(LogKey.init(line:)) ?? rec.userAgent.map { LogKey($0) }, target: target, detail: rec.detail,
                       correlated: false, country: rec.country, meaning: table[rule].meaning)
        if joinWAF, format == .awsWAF, let t = rec.time?.utc, heldBlocks.count < limits.correlationEvents {
            accessDenials -= 1  // counted when claimed or flushed
            heldIndex["\(rec.client)\u{1}\(t)", default: []].append(heldBlocks.count)
            heldBlocks.append(HeldBlock(denial: d, evidence: evidence()))
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
                aggregator.add(d) { [evidence(), waf.evidence] }
                return
            }
        }
        // The line's evidence is made only for the group's first samples.
        aggregator.add(d) { [evidence()] }
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
    /// Made from their bytes so each is a small (inline) string: an interpolated one keeps a heap buffer, and every
    /// refused line's `Denial` copied and destroyed it, two atomic reference counts a line for a constant.
    static let statusRules: [String] = (0..<600).map { String(decoding: Array("status-\($0)".utf8), as: UTF8.self) }
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
               client: LogKey(ev.client ?? "-"), path: ev.path.map { LogKey($0.pathOnly) }, userAgent: ev.userAgent.map { LogKey($0) },
               target: ev.target, detail: ev.detail, correlated: correlated, scored: ev.scored)
    }

    /// Notes the time of an access line read (refused or not).
    @inline(__always)
    func sawAccess(_ t: LogTime?) {
        guard let w = t?.wall else { return }
        if w < accessWallMin { accessWallMin = w }
        if w > accessWallMax { accessWallMax = w }
    }

    /// Error events no access line claimed count on their own (at the end of the run). A rate-limit event has no
    /// status of its own (`limit_req_status` decides it: 503 by default, often 429, sometimes 403); where the access
    /// log covers its time (a minute's slack) and no counted access line claimed it, its request was answered with a
    /// status not counted, so it is left out (and noted) rather than counted as, say, a 403.
    func flushUnclaimedEvents() {
        for s in events where !s.consumed && wanted(s.event) {
            if s.event.status == nil, s.event.cause == .rateLimit, let w = s.event.time?.wall, accessWallMin <= w + 60, w - 60 <= accessWallMax {
                unclaimedRateLimits += 1
                continue
            }
            let e = s.evidence
            aggregator.add(denial(from: s.event, status: s.event.status, correlated: s.joined)) { e }
        }
        byUniqueId = [:]
        events = []
        exact = [:]
        loose = [:]
    }
}
