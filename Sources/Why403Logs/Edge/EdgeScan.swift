import Foundation
import Why403Core

/// The scanner state for one edge log (AWS WAF, ALB, CloudFront, S3, Cloudflare, IIS): every
/// refused line is parsed (these logs carry the reason on the line itself), mapped to a cause by
/// the format's rule table, and handed to the aggregates; a line that does not fit is counted and
/// sampled. Memory: the current line and, for W3C logs, the `#Fields:` names.
///
/// Past the first lines, ALB, S3 access and Cloudflare logs visit only the lines holding a status
/// needle (`" 403 "`, `"EdgeResponseStatus":403`), as the web servers' access logs do
/// (`NeedleFiltered`): a large file is then gathered from mapped windows instead of read whole. The
/// needle phase starts only when every line parsed whole held the needle of its own status, so a
/// writer that spaces its JSON (`"EdgeResponseStatus": 403`) keeps every line parsed.
struct EdgeScan: NeedleFiltered {
    let file: String
    let format: LogInputFormat
    let context: ScanContext
    let table: [EdgeRule]
    let maxLine: Int
    var lineNumber = 0
    /// W3C: the field names of the last `#Fields:` line.
    var w3cFields: [String] {
        didSet {
            w3cStatusIndex = w3cFields.firstIndex(of: "sc-status")
            w3cLayout = EdgeParsers.W3CLayout(w3cFields)
        }
    }
    /// W3C: where the fields read sit in `w3cFields`.
    var w3cLayout: EdgeParsers.W3CLayout
    /// W3C: the position of `sc-status` in `w3cFields`.
    var w3cStatusIndex: Int?
    /// Lines still parsed whole whatever their status (`LogsLimits.fullyParsedLines`): after them, a
    /// line whose status the pre-filter reads and finds not counted is skipped unparsed.
    var fullLeft: Int
    /// A `#Fields:` header was read.
    var sawHeader = false
    /// The field names came from `--fields` (`LogsAnalyzer.Input.fields`).
    let fieldsGiven: Bool
    /// The status needles of the format (none where a status has no needle: AWS WAF, W3C logs,
    /// whose `#Fields:` lines a needle would skip).
    let needles: [Needle]
    /// The needle phase is on.
    var prefilter = false
    /// Every line parsed whole so far held the needle of its own status (and at least one did).
    var needleAgrees = true
    var agreed = 0
    /// Records read (whatever their status), and the first line the format's reader did not take, with why: a file
    /// of which no line is a record is an error (`noRecordError`), not an empty report.
    var records = 0
    var firstRejection: (line: Int, text: String, why: String)?
    /// The needle hits of the chunk being appended, found by the read-ahead thread.
    var chunkHits: ChunkHits?
    /// Cloudflare: the texts that repeat from record to record.
    var cloudflareMemo = EdgeParsers.CloudflareMemo()
    /// ALB: the same for its rule fields.
    var albMemo = EdgeParsers.ALBMemo()
    /// The rules and rule ids of recent refused lines (`EdgeRules.Memo`).
    var ruleMemo: EdgeRules.Memo

    var chunkNeedle: Needle? { needles.count == 1 ? needles[0] : nil }
    mutating func setChunkHits(_ hits: ChunkHits?) { chunkHits = hits }
    var wantsOnlyNeedleLines: Bool { prefilter && needles.count == 1 && context.limits.mapFiles }
    mutating func gathered(_ g: GatheredLines) { filterGathered(g) }
    mutating func candidate(_ line: ByteLine) { process(line) }
    mutating func candidate(_ line: ByteLine, tokens: UnsafePointer<Int32>) { process(line, tokens: tokens) }
    /// Cloudflare's flat reader checks the JSON and finds the members on the read-ahead thread; an ALB line is
    /// split into its fields there.
    var lineTokenizer: LineTokenizer? {
        switch format {
        case .cloudflare where !context.limits.foundationJSON: EdgeParsers.cloudflareTokenizer
        case .alb: EdgeParsers.albTokenizer
        default: nil
        }
    }

    /// Where the tokens of this format's lines hold the control-byte flag.
    private var binaryToken: Int { format == .alb ? 1 : EdgeParsers.cloudflareBinaryToken }

    /// The bytes a line of `format` holds when its status is `status`, or nil when no needle is sure to.
    static func needle(_ format: LogInputFormat, status: Int) -> [UInt8]? {
        switch format {
        case .alb, .s3Access: return Array(" \(status) ".utf8)  // space-separated fields
        case .cloudflare: return Array(#""EdgeResponseStatus":\#(status)"#.utf8)
        default: return nil
        }
    }

    init(file: String, format: LogInputFormat, context: ScanContext) {
        self.file = file
        self.format = format
        self.context = context
        self.table = EdgeRules.table(format)
        self.ruleMemo = EdgeRules.Memo(table)
        self.maxLine = context.limits.maxLineLength
        self.w3cFields = context.fields ?? (format == .cloudfront ? EdgeParsers.cloudfrontDefault : EdgeParsers.iisDefault)
        self.fieldsGiven = context.fields != nil
        self.w3cStatusIndex = w3cFields.firstIndex(of: "sc-status")
        self.w3cLayout = EdgeParsers.W3CLayout(w3cFields)
        self.fullLeft = context.limits.fullyParsedLines
        let wanted = context.statuses.sorted().compactMap { EdgeScan.needle(format, status: $0) }
        self.needles = wanted.count == context.statuses.count ? wanted.map(Needle.init) : []
    }

    mutating func overlongLine() {
        lineNumber += 1
        context.malformed(file: file, line: lineNumber, text: "(a line longer than \(maxLine) bytes)")
    }

    mutating func block(_ base: UnsafeRawPointer, _ count: Int) {
        var pos = 0
        while pos < count && !prefilter {
            let end = ByteSearch.index(of: 10, in: base, from: pos, to: count) ?? count
            lineNumber += 1
            let line = ByteLine(base + pos, end - pos)
            if line.count > maxLine {
                context.malformed(file: file, line: lineNumber, text: "(a line longer than \(maxLine) bytes)")
            } else {
                process(line)
            }
            pos = end + 1
            if fullLeft == 0, needleAgrees, agreed > 0, !needles.isEmpty { prefilter = true }
        }
        filterBlock(base, count, from: pos)
    }

    private mutating func process(_ raw: ByteLine, tokens: UnsafePointer<Int32>? = nil) {
        // NUL padding before the line (a crash's unflushed blocks): the line is what follows, as in `FileScan`.
        var bytes = raw
        if let (rest, n) = raw.afterNULPadding() {
            context.malformed(file: file, line: lineNumber, text: "(\(n) NUL bytes before the line)")
            bytes = rest
            if tokens != nil { return process(bytes) }  // the read-ahead thread's numbers count from the padding
        }
        // Tests and the fuzz harness: every line read from the numbers the read-ahead thread would write.
        if tokens == nil, context.limits.tokenizeEveryLine, let tokenizer = lineTokenizer {
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: tokenizer.width) { t in
                tokenizer.run(bytes, t.baseAddress!)
                process(bytes, tokens: t.baseAddress!)
            }
            return
        }
        // The pre-filter: most lines of an edge log are served requests; their status is read from
        // the bytes where it sits and, when it is not one counted, the line goes unparsed (no String,
        // no JSON object). Malformed lines among them are not counted past the first lines, as in
        // the web servers' access logs.
        // In the needle phase every line visited holds a wanted status's needle: its status is read by
        // the parse (a needle inside a text value is caught by `wants` there).
        if fullLeft > 0 { fullLeft -= 1 }
        else if !prefilter, let s = EdgePrefilter.status(bytes, format, w3cStatusIndex: w3cStatusIndex), !context.wants(s) { return }
        // The line without a final `\r`; its text (invalid UTF-8 repaired) is made only where it is
        // read: a reader that takes text, a malformed line, a sample's evidence.
        var trimmed = bytes.count > 0 && bytes[bytes.count - 1] == 13 ? ByteLine(bytes.base, bytes.count - 1) : bytes
        // A CloudWatch Logs export writes each JSON event after its timestamp: the record is what follows.
        if format == .awsWAF || format == .s3Access, trimmed.count > 0, trimmed[0] != 0x7B {
            let skip = EdgeParsers.cloudWatchPrefix(trimmed)
            if skip > 0 { trimmed = ByteLine(trimmed.base + skip, trimmed.count - skip) }
        }
        if trimmed.isBlank { return }
        if tokens.map({ $0[binaryToken] == 1 }) ?? bytes.looksBinary {
            needleAgrees = false
            context.malformed(file: file, line: lineNumber, text: trimmed.text)
            return
        }
        // Bound here, not returned through an Optional: wrapping the record costs a copy and a destroy
        // per refusal (a tenth of a Cloudflare refusal's time).
        let parsed: Result<EdgeRecord, EdgeMismatch>
        switch format {
        case .alb, .cloudflare:
            if format == .alb || !context.limits.foundationJSON {
                // Written in place: a `Result` copied the record on its way out (see `EdgeParsers.cloudflare`).
                var rec = EdgeRecord()
                let mismatch = format == .alb ? EdgeParsers.alb(trimmed, tokens: tokens, views: !context.joinWAF, memo: &albMemo, into: &rec)
                    : EdgeParsers.cloudflare(bytes: UnsafeBufferPointer(start: bytes.base, count: bytes.count), tokens: tokens,
                                             memo: &cloudflareMemo, into: &rec)
                if let m = mismatch { rejected(trimmed, m) } else { accepted(rec, bytes, trimmed) }
                return
            }
            guard let p = parse(Substring(trimmed.text)) else { return }
            parsed = p
        case .s3Access: parsed = trimmed.count > 0 && trimmed[0] == 0x7B ? EdgeParsers.s3JSON(Substring(trimmed.text)) : EdgeParsers.s3(trimmed)
        default:
            guard let p = parse(Substring(trimmed.text)) else { return }
            parsed = p
        }
        switch consume parsed {
        case .failure(let m): rejected(trimmed, m)
        case .success(let rec): accepted(rec, bytes, trimmed)
        }
    }

    /// A line the format's reader did not take: malformed.
    private mutating func rejected(_ trimmed: ByteLine, _ why: EdgeMismatch) {
        needleAgrees = false
        if firstRejection == nil { firstRejection = (lineNumber, trimmed.text, why.text) }
        context.malformed(file: file, line: lineNumber, text: trimmed.text)
    }

    /// A record read from `bytes` (`trimmed`: without its final `\r`): a denial when its status is counted.
    private mutating func accepted(_ rec: borrowing EdgeRecord, _ bytes: ByteLine, _ trimmed: ByteLine) {
        records += 1
        if !prefilter, needleAgrees, !needles.isEmpty {
            if let n = EdgeScan.needle(format, status: rec.status), bytes.firstIndex(of: n, from: 0) != nil { agreed += 1 }
            else { needleAgrees = false }
        }
        guard context.wants(rec.status) else { return }
        let (r, name) = ruleMemo.match(table, rec, format: format)
        let line = lineNumber
        // The file name through a pointer, as in `ScanContext.accessDenial`: a captured path is a heap string's retain
        // and release on every refused line.
        withUnsafePointer(to: file) { fileName in
            context.edgeDenial(rec, format: format, table: table, rule: r, name: name,
                               target: rec[.errorCode] == "AccessDenied" ? rec.s3.map(S3Command.commandLine) : nil,
                               evidence: ScanContext.evidence(fileName.pointee, line, trimmed.text))
        }
    }

    /// The error for a file of which not one line is a record of `format` (every non-blank, non-comment line was
    /// refused by its reader), naming the first such line and why; nil when a record was read or no line was refused.
    func noRecordError() -> InputError? {
        guard records == 0, let r = firstRejection else { return nil }
        let name = EdgeScan.formatName(format)
        let article = "AEIOU".contains(name.first ?? "x") ? "an" : "a"
        return InputError(file: file, line: r.line, expected: "\(article) \(name) record (\(r.why))",
                          found: InputError.quote(r.text, limit: 80),
                          help: "no line of the file is one: give the format it is in with --input-format (or leave it out to detect it)")
    }

    /// How the docs name a format.
    static func formatName(_ f: LogInputFormat) -> String {
        switch f {
        case .awsWAF: "AWS WAF log"
        case .alb: "Application Load Balancer access-log"
        case .cloudfront: "CloudFront log"
        case .s3Access: "S3 server access-log"
        case .cloudflare: "Cloudflare Logpush"
        case .iis: "IIS W3C log"
        default: f.rawValue
        }
    }

    /// A line's record by the reader of a format read from the line's text (ALB, S3 and Cloudflare's flat
    /// reader take the bytes, in `process`): `.failure` when it does not fit; nil for a W3C comment line
    /// (a `#Fields:` line's names are taken).
    private mutating func parse(_ line: Substring) -> Result<EdgeRecord, EdgeMismatch>? {
        switch format {
        case .cloudflare: return EdgeParsers.cloudflareByFoundation(line)
        case .awsWAF: return EdgeParsers.awsWAF(line)
        case .cloudfront, .iis:
            if line.hasPrefix("#") {
                if line.hasPrefix("#Fields:") {
                    let names = line.dropFirst("#Fields:".count).split(separator: " ").map(String.init)
                    if !names.isEmpty { w3cFields = names; sawHeader = true }
                }
                return nil
            }
            // A CloudFront file with no #Fields: header whose records start with an epoch time is a
            // real-time log (its records carry every field unless --fields names the configured ones).
            if format == .cloudfront, !sawHeader, !fieldsGiven, w3cFields.first != "timestamp", EdgeParsers.looksRealtime(line) {
                w3cFields = EdgeParsers.cloudfrontRealtime
            }
            return EdgeParsers.w3c(line, layout: w3cLayout, format: format)
        default: return .failure("an edge log line")
        }
    }
}

/// Reads the status of an edge log line from its bytes, without parsing the line, where the format
/// puts it somewhere cheap to find; nil when it cannot tell (the line is then parsed whole).
enum EdgePrefilter {
    static let cloudflareName = Array(#"EdgeResponseStatus":"#.utf8)
    static let wafActionKey = Array(#""action":""#.utf8)
    static let allow = Array(#"ALLOW""#.utf8)

    static func status(_ b: ByteLine, _ format: LogInputFormat, w3cStatusIndex: Int?) -> Int? {
        switch format {
        case .alb:
            // Fields 1–12 are never quoted: elb_status_code is the 9th space-separated field.
            var i = 0
            for _ in 0..<8 {
                guard let sp = b.firstIndex(of: 32, from: i) else { return nil }
                i = sp + 1
            }
            return number(b, i, then: 32)
        case .cloudflare:
            // A key, not text inside a value: inside a JSON string its quotes would be escaped.
            // Searched from its `E` (a quote is the commonest byte of a JSON line), then the quote before it.
            guard let e = b.firstIndex(of: cloudflareName, from: 1), e >= 2, b[e - 1] == 34, b[e - 2] == 44 || b[e - 2] == 123 else { return nil }
            return number(b, e + cloudflareName.count, then: nil)
        case .awsWAF:
            // ALLOW is never logged as a refusal. The first "action" is the record's own, or a rule
            // group's terminating rule's, which is ALLOW only when the record's is ALLOW too.
            guard let k = b.firstIndex(of: wafActionKey, from: 0), k > 0, b[k - 1] == 44 || b[k - 1] == 123 else { return nil }
            return b.has(allow, at: k + wafActionKey.count) ? 0 : nil
        case .cloudfront, .iis:
            guard let index = w3cStatusIndex, b.count > 0, b[0] != 35 else { return nil }
            let sep: UInt8 = format == .cloudfront ? 9 : 32
            var i = 0
            for _ in 0..<index {
                let j = b.index(of: sep, or: sep, from: i, to: b.count)
                guard j < b.count else { return nil }
                i = j + 1
            }
            return number(b, i, then: sep)
        default:
            return nil
        }
    }

    /// The three-digit number at `i`, followed by `then` (or, for nil, anything but a digit).
    private static func number(_ b: ByteLine, _ i: Int, then: UInt8?) -> Int? {
        guard i + 3 <= b.count else { return nil }
        var n = 0
        for k in i..<(i + 3) {
            let c = b[k]
            guard c >= 48, c <= 57 else { return nil }
            n = n * 10 + Int(c - 48)
        }
        guard i + 3 < b.count else { return n }
        let next = b[i + 3]
        if let then { return next == then || next == 13 ? n : nil }
        return next >= 48 && next <= 57 ? nil : n
    }
}

/// The `why403 s3` command line that evaluates an S3 access-log request (`AccessDenied` findings).
enum S3Command {
    /// S3 operations as `REST.<METHOD>.<RESOURCE>` → the IAM action they need.
    static let actions: [String: String] = [
        "REST.GET.OBJECT": "s3:GetObject", "REST.HEAD.OBJECT": "s3:GetObject", "WEBSITE.GET.OBJECT": "s3:GetObject",
        "WEBSITE.HEAD.OBJECT": "s3:GetObject", "REST.PUT.OBJECT": "s3:PutObject", "REST.POST.OBJECT": "s3:PutObject",
        "REST.COPY.OBJECT": "s3:PutObject", "REST.POST.UPLOAD": "s3:PutObject", "REST.PUT.PART": "s3:PutObject",
        "REST.DELETE.OBJECT": "s3:DeleteObject", "REST.GET.BUCKET": "s3:ListBucket", "REST.HEAD.BUCKET": "s3:ListBucket",
        "REST.GET.ACL": "s3:GetObjectAcl", "REST.PUT.ACL": "s3:PutObjectAcl", "REST.GET.BUCKETPOLICY": "s3:GetBucketPolicy",
        "REST.PUT.BUCKETPOLICY": "s3:PutBucketPolicy", "REST.GET.OBJECT_TAGGING": "s3:GetObjectTagging",
        "REST.PUT.OBJECT_TAGGING": "s3:PutObjectTagging", "REST.GET.VERSIONING": "s3:GetBucketVersioning",
        "REST.GET.LOCATION": "s3:GetBucketLocation", "REST.GET.LOGGING_STATUS": "s3:GetBucketLogging",
    ]

    /// The command line (printed, never run). Canonical user ids have no ARN in the log: the
    /// command then names `PRINCIPAL_ARN` for the reader to fill in.
    static func commandLine(_ s: S3Line) -> String {
        var action = actions[s.operation] ?? "s3:ACTION"
        if s.operation == "REST.GET.ACL", s.key == nil { action = "s3:GetBucketAcl" }
        let key = s.key.map { $0.removingPercentEncoding ?? $0 }
        let resource = "arn:aws:s3:::\(s.bucket)" + (key.map { "/\($0)" } ?? "")
        let principal: String
        if s.requester == "-" { principal = "'*'" }
        else if s.requester.hasPrefix("arn:") { principal = LogsFixes.sh(s.requester) }
        else if s.requester.hasPrefix("svc:") { principal = LogsFixes.w(String(s.requester.dropFirst(4))) }
        else { principal = "PRINCIPAL_ARN" }
        var parts = ["why403 s3 --action \(action) --resource \(LogsFixes.sh(resource)) --principal \(principal)",
                     "--bucket-policy bucket-policy.json"]
        if s.remoteIP != "-" { parts.append("--context " + LogsFixes.w("aws:SourceIp=\(s.remoteIP)")) }
        parts.append("--context aws:SecureTransport=\(s.tls == "-" ? "false" : "true")")
        if s.signatureVersion != "-" { parts.append("--context s3:signatureversion=\(s.signatureVersion == "SigV2" ? "AWS" : "AWS4-HMAC-SHA256")") }
        switch s.authType {
        case "AuthHeader": parts.append("--context s3:authType=REST-HEADER")
        case "QueryString": parts.append("--context s3:authType=REST-QUERY-STRING")
        default: break
        }
        if s.accessPoint != "-" { parts.append("--context " + LogsFixes.w("s3:DataAccessPointArn=\(s.accessPoint)")) }
        return parts.joined(separator: " ")
    }
}
