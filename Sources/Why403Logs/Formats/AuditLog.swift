import Foundation
import Why403Core

/// One rule that matched in a ModSecurity audit-log transaction (a `Message:` line of section H, or
/// one of the JSON `messages`).
struct AuditMessage {
    var ruleId: String
    var msg: String?
    var data: String?
    /// The status of an `Access denied with code N` message (the disruptive rule), else nil.
    var deniedWith: Int?
    /// The line as evidence (cut to 400 characters by `ScanContext.evidence`).
    var text: String
    var line: Int

    /// CRS's reporting rules (980xxx) add nothing to the score: they are left out of the list of
    /// rules that scored.
    var isReporting: Bool { ruleId.hasPrefix("980") }
    /// CRS scanner detection (913xxx: scanners' User-Agents, URLs, headers): a `bot.block`.
    var isScanner: Bool { ruleId.hasPrefix("913") }
}

/// One transaction of a ModSecurity audit log, as much as `why403 logs` needs. Bounded: at most
/// `AuditTransaction.maxMessages` messages are kept.
struct AuditTransaction {
    static let maxMessages = 64
    var uniqueId: String?
    var time: LogTime?
    var client: String?
    var method: String?
    /// The request target as logged (query included; the path is taken from it).
    var uri: String?
    var protocolVersion: String?
    var userAgent: String?
    /// The response status (section F, JSON `response.http_code`).
    var status: Int?
    /// `Action: Intercepted (phase N)` (mod_security2, section H).
    var intercepted = false
    var messages: [AuditMessage] = []
    /// Messages past `maxMessages`, counted only.
    var droppedMessages = 0
    /// The line the transaction starts on (section A, or the JSON line).
    var line = 0
    /// The section A line (native) or a short description (JSON), for the evidence.
    var header = ""

    /// The message of the rule that denied (the last `Access denied` one), if any.
    var disruptive: AuditMessage? { messages.last(where: { $0.deniedWith != nil }) }

    /// The status the client got: the denying rule's code, else section F, else 403 when
    /// `Action: Intercepted` says the engine stopped it.
    var refusalStatus: Int? { disruptive?.deniedWith ?? status ?? (intercepted ? 403 : nil) }

    /// Whether the engine refused the request (a denying message or `Action: Intercepted`); a
    /// transaction that only scored is not a refusal by ModSecurity.
    var refusedByEngine: Bool { intercepted || disruptive != nil }

    /// The rules that matched and count (reporting rules left out), in log order, each once.
    var scoring: [AuditMessage] {
        var seen = Set<String>()
        return messages.filter { !$0.isReporting && seen.insert($0.ruleId).inserted }
    }

    mutating func add(_ m: AuditMessage) {
        if messages.count < AuditTransaction.maxMessages { messages.append(m) } else { droppedMessages += 1 }
    }
}

/// Parsers of the two ModSecurity audit-log formats: the native (Serial) format of mod_security2 and
/// libmodsecurity 3 (`--<boundary>-A--` … `--<boundary>-Z--`) and the JSON format
/// (`SecAuditLogFormat JSON`, one object per line). Hand-written: no package reads either format;
/// JSON goes through Foundation's JSONSerialization.
enum AuditLog {
    /// The section letter of a native boundary line (`--3c1f2a7b-A--`, libmodsecurity's
    /// `---3C99FOLj---A--`), else nil.
    static func section(_ line: Substring) -> Character? {
        let u = Array(line.utf8.suffix(4))
        guard line.hasPrefix("--"), line.utf8.count >= 7, u.count == 4, u[0] == 0x2D, u[1] >= 0x41, u[1] <= 0x5A,
              u[2] == 0x2D, u[3] == 0x2D else { return nil }
        return Character(Unicode.Scalar(u[1]))
    }

    /// Section A: `[02/Dec/2026:14:22:08.920897 +0000] UNIQUE_ID CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT`.
    static func sectionA(_ line: Substring, into t: inout AuditTransaction) -> Bool {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return false }
        var stamp = String(line[line.index(after: line.startIndex)..<close])
        // Drop the microseconds mod_security2 writes after the seconds.
        if let dot = stamp.firstIndex(of: "."), let space = stamp[dot...].firstIndex(of: " ") {
            stamp.removeSubrange(dot..<space)
        }
        guard let time = EdgeParsers.common(Substring(stamp)) else { return false }
        t.time = time
        let rest = line[line.index(after: close)...].split(separator: " ")
        guard rest.count >= 2 else { return false }
        t.uniqueId = String(rest[0])
        t.client = String(rest[1])
        return true
    }

    /// A message line of section H: `Message: …` (mod_security2) or `ModSecurity: …` (libmodsecurity),
    /// with `[id "…"]`; nil for lines without a rule id (engine notices).
    static func message(_ text: String, line: Int) -> AuditMessage? {
        let fields = ErrorLogLine.bracketFields(text)
        guard let id = fields["id"]?.first, !id.isEmpty else { return nil }
        var m = AuditMessage(ruleId: id, msg: fields["msg"]?.first, data: fields["data"]?.first, deniedWith: nil, text: text, line: line)
        if let r = text.range(of: "Access denied with code ") {
            m.deniedWith = Int(text[r.upperBound...].prefix(while: \.isNumber)) ?? 403
        } else if text.range(of: "Access denied with connection close") != nil || text.range(of: "Access denied using proxy") != nil {
            m.deniedWith = 403
        }
        return m
    }

    static let months = ["Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                         "Oct": 10, "Nov": 11, "Dec": 12]

    /// libmodsecurity's JSON `time_stamp`: `Wed Dec  2 14:21:51 2026` (ctime, the server's local
    /// time without its zone: read as wall time and UTC alike).
    static func ctime(_ s: String) -> LogTime? {
        let p = s.split(separator: " ")
        guard p.count == 5, let month = months[String(p[1])], let day = Int(p[2]), let year = Int(p[4]),
              (1970...2200).contains(year), (1...31).contains(day) else { return nil }
        let hms = p[3].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, (0...23).contains(hms[0]), (0...59).contains(hms[1]), (0...60).contains(hms[2]) else { return nil }
        let t = LogTime.seconds(year: year, month: month, day: day, hour: hms[0], minute: hms[1], second: hms[2])
        return LogTime(utc: t, wall: t)
    }

    /// A JSON transaction line, or what it lacked.
    static func json(_ line: Substring, number: Int) -> Result<AuditTransaction, EdgeMismatch> {
        let o: [String: Any]
        switch EdgeParsers.object(line) { case .success(let v): o = v; case .failure(let e): return .failure(e) }
        guard let tx = o["transaction"] as? [String: Any] else {
            return .failure("a ModSecurity JSON audit record: an object with \"transaction\"")
        }
        var t = AuditTransaction()
        t.line = number
        t.uniqueId = EdgeParsers.str(tx["unique_id"])
        t.client = EdgeParsers.str(tx["client_ip"])
        if let ts = EdgeParsers.str(tx["time_stamp"]) { t.time = ctime(ts) ?? EdgeParsers.iso(ts) }
        if let req = tx["request"] as? [String: Any] {
            t.method = EdgeParsers.str(req["method"])
            t.uri = EdgeParsers.str(req["uri"])
            if let v = EdgeParsers.str(req["http_version"]) { t.protocolVersion = "HTTP/" + v }
            if let h = req["headers"] as? [String: Any] {
                t.userAgent = h.first(where: { $0.key.lowercased() == "user-agent" }).flatMap { EdgeParsers.str($0.value) }
            }
        }
        if let resp = tx["response"] as? [String: Any], let code = EdgeParsers.int(resp["http_code"]) {
            t.status = Int(clamping: code)
        }
        guard let messages = tx["messages"] as? [Any] else {
            return t.status == nil ? .failure("\"transaction.messages\" (an array) or \"transaction.response.http_code\"") : .success(t)
        }
        for (i, item) in messages.enumerated() {
            guard let m = item as? [String: Any] else { continue }
            let details = m["details"] as? [String: Any] ?? [:]
            guard let id = EdgeParsers.str(details["ruleId"]), !id.isEmpty else { continue }
            let msg = EdgeParsers.str(m["message"])
            let data = EdgeParsers.str(details["data"])
            var text = "$.transaction.messages[\(i)]: [id \"\(id)\"]"
            if let msg { text += " [msg \"\(msg)\"]" }
            if let data, !data.isEmpty { text += " [data \"\(data)\"]" }
            if let file = EdgeParsers.str(details["file"]), let ln = EdgeParsers.str(details["lineNumber"]) {
                text += " [file \"\(file)\"] [line \"\(ln)\"]"
            }
            t.add(AuditMessage(ruleId: id, msg: msg, data: data, deniedWith: nil, text: text, line: number))
        }
        // libmodsecurity's JSON does not say which rule was disruptive: when the response is a
        // refusal, it is the last rule that matched (the engine stops at the disruptive action).
        // Under DetectionOnly (`producer.secrules_engine`) the engine blocks nothing: a refusal then
        // came from elsewhere.
        let engine = (tx["producer"] as? [String: Any]).flatMap { EdgeParsers.str($0["secrules_engine"]) }
        if let s = t.status, s >= 400, !t.messages.isEmpty, engine != "DetectionOnly",
           let i = t.messages.lastIndex(where: { !$0.isReporting }) {
            t.messages[i].deniedWith = s
        }
        t.header = "\(t.time.map { LogTime.iso8601($0.utc) } ?? "-") \(t.uniqueId ?? "-") \(t.client ?? "-") \"\(t.method ?? "-") \(t.uri ?? "-")\" \(t.status.map(String.init) ?? "-")"
        return .success(t)
    }
}

/// The scanner state for a ModSecurity audit log (native Serial or JSON, told line by line: a line
/// starting with `{` is a JSON transaction, a boundary line opens a native section). Memory: the
/// transaction being read (the first line of B, its User-Agent, F's status line and at most
/// `AuditTransaction.maxMessages` messages), never the bodies.
struct AuditScan: LineBlockSink {
    let file: String
    let context: ScanContext
    let maxLine: Int
    var lineNumber = 0
    /// Transactions read (native or JSON), whether refused or not.
    var transactions = 0
    var current: AuditTransaction?
    var section: Character?
    /// The line after a section boundary is the section's first line.
    var firstLineOfSection = false
    /// Whether a section boundary was read, and the first line outside any transaction (`noRecordError`).
    var sawSection = false
    var firstStray: (line: Int, text: String)?

    init(file: String, context: ScanContext) {
        self.file = file
        self.context = context
        self.maxLine = context.limits.maxLineLength
    }

    mutating func overlongLine() {
        lineNumber += 1
        // Bodies (sections C, E, I) may hold long lines: skip them silently there.
        if current != nil, let s = section, s != "A", s != "B", s != "F", s != "H" { return }
        context.malformed(file: file, line: lineNumber, text: "(a line longer than \(maxLine) bytes)")
    }

    mutating func block(_ base: UnsafeRawPointer, _ count: Int) {
        var pos = 0
        while pos < count {
            let end = ByteSearch.index(of: 10, in: base, from: pos, to: count) ?? count
            lineNumber += 1
            let bytes = ByteLine(base + pos, end - pos)
            if bytes.count > maxLine { overlongLineCounted() } else { process(bytes) }
            pos = end + 1
        }
    }

    private mutating func overlongLineCounted() {
        lineNumber -= 1
        overlongLine()
    }

    /// The error when no line of the file was part of an audit log (a file forced to `modsecurity-audit` that is not
    /// one: exit 2, not a report of no refusals).
    func noRecordError() -> InputError? {
        guard transactions == 0, !sawSection, let s = firstStray else { return nil }
        return InputError(file: file, line: s.line,
                          expected: "a ModSecurity audit log (a part boundary such as --a1b2c3d4-A--, or a JSON record)",
                          found: InputError.quote(s.text, limit: 80),
                          help: "no line of the file is one: give the format it is in with --input-format (or leave it out to detect it)")
    }

    /// Called once the input ends: a transaction without its Z section is counted as malformed
    /// and still reported when its messages show a refusal.
    mutating func finish() {
        if current != nil { close(complete: false) }
    }

    private mutating func process(_ bytes: ByteLine) {
        // Bodies are not read: the only bytes of C, D, E, G, I, J, K kept are none.
        if current != nil, let s = section, !"ABFHZ".contains(s), !(bytes.count >= 7 && bytes[0] == 0x2D && bytes[1] == 0x2D) {
            return
        }
        var text = bytes.text
        if text.hasSuffix("\r") { text.removeLast() }
        let line = Substring(text)
        if let letter = AuditLog.section(line) {
            sawSection = true
            if letter == "A" {
                if current != nil { close(complete: false) }
                current = AuditTransaction()
                current?.line = lineNumber
            } else if current == nil {
                context.malformed(file: file, line: lineNumber, text: text)
                section = nil
                return
            }
            section = letter
            firstLineOfSection = true
            if letter == "Z" { close(complete: true) }
            return
        }
        guard current != nil, let s = section else {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
            if line.hasPrefix("{") {
                switch AuditLog.json(line, number: lineNumber) {
                case .success(let t):
                    transactions += 1
                    report(t)
                case .failure:
                    if firstStray == nil { firstStray = (lineNumber, text) }
                    context.malformed(file: file, line: lineNumber, text: text)
                }
                return
            }
            if firstStray == nil { firstStray = (lineNumber, text) }
            context.malformed(file: file, line: lineNumber, text: text)
            return
        }
        let first = firstLineOfSection
        firstLineOfSection = false
        switch s {
        case "A":
            if first {
                current!.line = lineNumber
                current!.header = text
                if !AuditLog.sectionA(line, into: &current!) {
                    context.malformed(file: file, line: lineNumber, text: text)
                }
            }
        case "B":
            if first {
                let parts = line.split(separator: " ")
                if parts.count >= 2 {
                    current!.method = String(parts[0])
                    current!.uri = String(parts[1])
                    if parts.count >= 3 { current!.protocolVersion = String(parts[2]) }
                }
            } else if current!.userAgent == nil, line.count > 11, line.prefix(11).lowercased() == "user-agent:" {
                current!.userAgent = line.dropFirst(11).trimmingSpaces
            }
        case "F":
            if first {
                let parts = line.split(separator: " ")
                if parts.count >= 2, let st = Int(parts[1]) { current!.status = st }
            }
        case "H":
            if line.hasPrefix("Message: ") || line.hasPrefix("ModSecurity: ") {
                if let m = AuditLog.message(text, line: lineNumber) { current!.add(m) }
            } else if line.hasPrefix("Action: Intercepted") {
                current!.intercepted = true
            }
        default:
            break
        }
    }

    private mutating func close(complete: Bool) {
        guard let t = current else { return }
        current = nil
        section = nil
        transactions += 1
        if !complete {
            context.malformed(file: file, line: t.line, text: "(a transaction without its closing Z section) " + t.header)
        }
        guard t.time != nil || t.uniqueId != nil else { return }
        report(t)
    }

    private func report(_ t: AuditTransaction) {
        context.auditTransaction(t, file: file)
    }
}
