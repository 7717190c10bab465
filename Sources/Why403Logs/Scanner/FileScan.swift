import Why403Core

/// The scanner state for one input: line numbers, the error/access sniffing of the first lines, the
/// pre-filter, and the hand-off of parsed lines to the analysis.
///
/// The first `fullyParsedLines` lines are parsed whole whatever their status: they tell an error log
/// from an access log and check the format. After them, in an access log, only lines holding a status
/// needle (`" 403 "` for combined) are parsed; the others are counted and skipped, so malformed lines
/// among them are not seen (the documented approximation of the fast path).
struct FileScan: NeedleFiltered {
    let file: String
    let context: ScanContext
    /// The context's format, held here: read from the class on every line, the whole struct (its arrays and
    /// strings) was copied and released around each match, a seventh of the scan thread's time on a 1 GiB log.
    let format: AccessFormat
    let needles: [Needle]
    let maxLine: Int
    var lineNumber = 0
    var fullLeft: Int
    var errorLines = 0
    var accessMatched = 0
    var accessFailed = 0
    var firstMismatch: (line: Int, mismatch: FormatMismatch)?
    var prefilter = false
    var fatal: InputError?
    /// The needle hits of the chunk being appended, found by the read-ahead thread.
    var chunkHits: ChunkHits?

    var chunkNeedle: Needle? { needles.count == 1 ? needles[0] : nil }
    mutating func setChunkHits(_ hits: ChunkHits?) { chunkHits = hits }
    /// In the pre-filter phase, only the lines holding the one needle are parsed.
    var wantsOnlyNeedleLines: Bool { prefilter && needles.count == 1 && fatal == nil && context.limits.mapFiles }

    /// The pre-filter phase over a window the reader gathered.
    mutating func gathered(_ g: GatheredLines) { filterGathered(g) }

    mutating func candidate(_ line: ByteLine) {
        if context.limits.tokenizeEveryLine, let tokenizer = lineTokenizer {
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: tokenizer.width) { t in
                tokenizer.run(line, t.baseAddress!)
                candidate(line, tokens: t.baseAddress!)
            }
            return
        }
        process(line, whole: false)
    }

    /// A candidate line the read-ahead thread parsed (`AccessTokens`): an access line that matched the
    /// format is counted from its numbers; any other is read here, as `candidate(_:)` does.
    mutating func candidate(_ line: ByteLine, tokens: UnsafePointer<Int32>) {
        guard tokens[0] == 1 else { process(line, whole: false); return }
        accessMatched += 1
        let rec = AccessTokens.record(tokens)
        context.sawAccess(rec.time)
        if context.wants(rec.status) {
            context.accessDenial(rec, file: file, line: lineNumber, bytes: line)
        }
    }

    /// The read-ahead thread parses candidate lines while the scan is busy (`MappedGather`).
    var lineTokenizer: LineTokenizer? { AccessTokens.tokenizer(context.format, fast: !context.limits.reasonedMatchOnly) }

    /// The scan thread's own memo of the last time field read (`TimeMemo`).
    private let times = TimeMemo()

    init(file: String, context: ScanContext) {
        self.file = file
        self.context = context
        self.format = context.format
        self.maxLine = context.limits.maxLineLength
        self.fullLeft = context.limits.fullyParsedLines
        var n: [[UInt8]] = []
        for s in context.statuses.sorted() where !n.contains(context.format.needle(forStatus: s)) {
            n.append(context.format.needle(forStatus: s))
        }
        needles = n.map(Needle.init)
    }

    mutating func overlongLine() {
        lineNumber += 1
        if !prefilter {
            context.malformed(file: file, line: lineNumber, text: "(a line longer than \(maxLine) bytes)")
            countFullLine()
        }
    }

    mutating func block(_ base: UnsafeRawPointer, _ count: Int) {
        var pos = 0
        // Whole-line phase.
        while pos < count && !prefilter {
            let end = ByteSearch.index(of: 10, in: base, from: pos, to: count) ?? count
            lineNumber += 1
            let len = end - pos
            if len > maxLine {
                context.malformed(file: file, line: lineNumber, text: "(a line longer than \(maxLine) bytes)")
            } else {
                process(ByteLine(base + pos, len), whole: true)
            }
            countFullLine()
            pos = end + 1
        }
        // Pre-filter phase: only lines holding a needle are parsed.
        filterBlock(base, count, from: pos)
    }

    private mutating func countFullLine() {
        fullLeft -= 1
        if fullLeft <= 0 { decideMode() }
    }

    /// After the whole-line phase: turn on the pre-filter for an access log; check the format.
    mutating func decideMode() {
        guard !prefilter else { return }
        if accessMatched == 0, errorLines == 0, let (line, m) = firstMismatch, fatal == nil {
            fatal = InputError(file: file, line: line,
                               message: "this line does not match the log format \(InputError.quote(context.format.name, limit: 120)): "
                                   + (m.expected.isEmpty ? "expected \(m.field)" : "expected \(m.expected)") + ", found \(m.found)",
                               help: "give the format the server writes with --log-format (nginx log_format or Apache LogFormat string, or combined, common, json)")
        }
        prefilter = accessMatched > errorLines && fullLeft <= 0
    }

    private mutating func process(_ raw: ByteLine, whole: Bool) {
        // A run of NUL bytes before the line: what a file system leaves of the blocks a crash did not flush (the log
        // goes on after it, with no newline between). The line is what follows; the padding is counted as malformed.
        var line = raw
        if let (rest, n) = raw.afterNULPadding() {
            context.malformed(file: file, line: lineNumber, text: "(\(n) NUL bytes before the line)")
            line = rest
        }
        if line.count == 0 || (line.count == 1 && line[0] == 0x0D) { return }
        let kind = ErrorLogLine.kind(line)
        if kind != .notError {
            errorLines += 1
            if let ev = ErrorLogLine.parse(line, kind: kind) {
                context.errorEvent(ev, file: file, line: lineNumber, text: line.text)
            }
            return
        }
        if line.looksBinary {
            context.malformed(file: file, line: lineNumber, text: line.text)
            return
        }
        var rec = AccessRecord()
        if let m = format.match(line, into: &rec, fast: !context.limits.reasonedMatchOnly, times: times) {
            accessFailed += 1
            if firstMismatch == nil { firstMismatch = (lineNumber, m) }
            context.malformed(file: file, line: lineNumber, text: line.text)
            return
        }
        accessMatched += 1
        context.sawAccess(rec.time)
        if context.wants(rec.status) {
            context.accessDenial(rec, file: file, line: lineNumber, bytes: line)
        }
    }
}
