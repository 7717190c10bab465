import Why403Core

/// The scanner state for one input: line numbers, the error/access sniffing of the first lines, the
/// pre-filter, and the hand-off of parsed lines to the analysis.
///
/// The first `fullyParsedLines` lines are parsed whole whatever their status: they tell an error log
/// from an access log and check the format. After them, in an access log, only lines holding a status
/// needle (`" 403 "` for combined) are parsed; the others are counted and skipped, so malformed lines
/// among them are not seen (the documented approximation of the fast path).
struct FileScan: LineBlockSink {
    let file: String
    let context: ScanContext
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

    /// The pre-filter phase over a window the reader gathered: the same lines and line numbers as
    /// `block` (lines longer than `maxLine` were left out by the reader, as `block` skips them).
    mutating func gathered(_ g: GatheredLines) {
        let first = lineNumber
        for j in 0..<g.offsets.count {
            lineNumber = first + g.linesBefore[j] + 1
            process(ByteLine(g.bytes + g.offsets[j], g.lengths[j]), whole: false)
        }
        lineNumber = first + g.lines
    }

    init(file: String, context: ScanContext) {
        self.file = file
        self.context = context
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
        guard pos < count else { return }
        // Pre-filter phase: only lines holding a needle are parsed.
        if let pre = chunkHits, needles.count == 1, base >= pre.base, base + count == pre.base + pre.linesEnd {
            scanPrecomputed(base, count, pos, pre)
            return
        }
        if needles.count == 1 {
            let needle = needles[0]
            while pos < count, let hit = needle.find(in: base, from: pos, to: count) {
                pos = handleHit(base, count, pos, hit)
            }
        } else {
            var hits: [Int] = []
            for needle in needles {
                var from = pos
                while let h = needle.find(in: base, from: from, to: count) { hits.append(h); from = h + 1 }
            }
            hits.sort()
            for h in hits where h >= pos { pos = handleHit(base, count, pos, h) }
        }
        lineNumber += ByteSearch.countNewlines(in: base, from: pos, to: count)
    }

    /// The pre-filter phase over `base[pos..<count]`, a block that ends the chunk's lines, with the
    /// hits and newline counts the read-ahead thread found: the same lines and line numbers as
    /// searching here (`handleHit`), without passing over the bytes between candidate lines.
    private mutating func scanPrecomputed(_ base: UnsafeRawPointer, _ count: Int, _ pos: Int, _ pre: ChunkHits) {
        let off = base - pre.base
        var c = off + pos  // a line start, chunk-relative
        let end = off + count
        // Newlines in chunk[0..<c]: the block starts at the chunk start or after its first line, and
        // `pos` is past the whole-parsed lines (both short, counted here).
        var known = ByteSearch.countNewlines(in: pre.base, from: 0, to: c)
        let chunk = pre.base
        var k = 0
        // First hit at or after c (binary search: the hits are in order).
        var lo = 0, hi = pre.hits.count
        while lo < hi { let mid = (lo + hi) / 2; if pre.hits[mid] < c { lo = mid + 1 } else { hi = mid } }
        k = lo
        while k < pre.hits.count {
            let h = pre.hits[k]
            if h >= end { break }
            if h < c { k += 1; continue }
            let start = max(pre.lineStarts[k], c)
            let lineEnd = ByteSearch.index(of: 10, in: chunk, from: h, to: end) ?? end
            lineNumber += pre.newlinesBefore[k] - known + 1
            if lineEnd - start <= maxLine { process(ByteLine(chunk + start, lineEnd - start), whole: false) }
            known = pre.newlinesBefore[k] + 1
            c = lineEnd + 1
            k += 1
        }
        // The block ends at the chunk's last newline: every newline of the chunk is in it.
        lineNumber += pre.newlines - known
    }

    /// Parses the line holding `hit`; returns the offset after it.
    private mutating func handleHit(_ base: UnsafeRawPointer, _ count: Int, _ pos: Int, _ hit: Int) -> Int {
        let start = (ByteSearch.lastIndex(of: 10, in: base, from: pos, to: hit)).map { $0 + 1 } ?? pos
        let end = ByteSearch.index(of: 10, in: base, from: hit, to: count) ?? count
        lineNumber += ByteSearch.countNewlines(in: base, from: pos, to: start) + 1
        if end - start <= maxLine { process(ByteLine(base + start, end - start), whole: false) }
        return end + 1
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

    private mutating func process(_ line: ByteLine, whole: Bool) {
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
        if let m = context.format.match(line, into: &rec) {
            accessFailed += 1
            if firstMismatch == nil { firstMismatch = (lineNumber, m) }
            context.malformed(file: file, line: lineNumber, text: line.text)
            return
        }
        accessMatched += 1
        if context.wants(rec.status) {
            context.accessDenial(rec, file: file, line: lineNumber, bytes: line)
        }
    }
}
