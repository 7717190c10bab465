import Foundation
import Why403Core

extension LogsAnalyzer {
    /// What to analyse: the inputs and the filters of `why403 logs`.
    public struct Input: Sendable {
        /// Log files (plain or gzip), `-` for stdin.
        public var paths: [String]
        /// Statuses counted as refusals (403 by default; 401 and 429 on request).
        public var statuses: Set<Int>
        /// Only lines at or after this UTC second.
        public var since: Int64?
        /// Only lines at or before this UTC second.
        public var until: Int64?
        /// Rows per table and findings shown.
        public var top: Int
        /// The access-log format.
        public var format: AccessFormat
        /// Memory bounds.
        public var limits: LogsLimits
        /// `--input-format`: the format of every input, forced; nil detects each file's (an edge
        /// format from its first lines, else a web server's error or access log), stdin's too
        /// (unless it is gzip: then it is read as a web server's log).
        public var inputFormat: LogInputFormat?
        /// `--fields`: the field names, in order, of CloudFront (standard or real-time) and IIS logs
        /// written without a `#Fields:` header; nil reads the documented defaults (every field of a
        /// real-time record, the standard layout, IIS's default fields).
        public var fields: [String]?
        /// Called after each chunk read: file, bytes read, file size when known. Never prints by itself.
        public var progress: (@Sendable (String, Int64, Int64?) -> Void)?
        /// Whether the report's subject carries the summary as JSON (`subject.extra`, what the JSON report and
        /// `LogsSummary(report:)` read). The text, HTML and Markdown renderers take the typed summary, so the
        /// command line leaves it out for them: making it (a JSON round trip) and redacting it were a tenth of
        /// a short run.
        public var summaryInSubject = true
        /// Files found in a named directory (`LogPaths`), not named themselves: one that is no log this reads (its first
        /// 64 KiB hold no line of an error log, of an edge format or of the access format) is left out with a note,
        /// where a named file would be an error (a provider's marker file, `AWSLogs/<account>/ELBAccessLogTestFile`, a
        /// README beside the logs).
        public var listed: Set<String> = []

        /// An input with the defaults of the command line.
        public init(paths: [String], statuses: Set<Int> = [403], since: Int64? = nil, until: Int64? = nil, top: Int = 10,
                    format: AccessFormat = .combined, limits: LogsLimits = LogsLimits(),
                    progress: (@Sendable (String, Int64, Int64?) -> Void)? = nil, inputFormat: LogInputFormat? = nil) {
            self.paths = paths
            self.statuses = statuses
            self.since = since
            self.until = until
            self.top = top
            self.format = format
            self.limits = limits
            self.progress = progress
            self.inputFormat = inputFormat
        }
    }
}

/// The Logs layer: reads nginx/Apache error and access logs and explains every refused request.
///
/// Entry point of `why403 logs` and of `diagnose` for the logs of a local server. Denies on nothing
/// itself: it reports what the servers logged. A finding is `certain` when an error-log line states
/// the reason (`directory index of … is forbidden`, `(13: Permission denied)`, `AH01276`, ModSecurity
/// `Access denied`), `likely` where the message leaves a choice open (`access forbidden by rule`:
/// an address rule or `deny all`), `possible` for access lines no error line explains. Evidence: the
/// log lines, as `log FILE:LINE`. Fixes: the least change, printed, never run.
public struct LogsAnalyzer: Sendable {
    /// The analyser.
    public init() {}

    /// The report and the typed summary of `logs` (the same one the report's subject carries), which
    /// the renderers draw their tables from.
    public struct Outcome: Sendable {
        /// The report-v1 report.
        public var report: Report
        /// The aggregates, typed.
        public var summary: LogsSummary
    }

    /// Analyses the inputs. Throws `InputError` for an unreadable file, bad gzip, or a `--log-format`
    /// that matches no line of an access log.
    public func analyze(_ input: LogsAnalyzer.Input) throws -> Report { try summarize(input).report }

    /// `analyze`, with the typed summary beside the report.
    public func summarize(_ input: LogsAnalyzer.Input) throws -> Outcome {
        var input = input
        let context = ScanContext(statuses: input.statuses, format: input.format, since: input.since,
                                  until: input.until, limits: input.limits)
        context.fields = input.fields
        // Error logs first, so their reasons are known when the access lines are read; AWS WAF logs
        // before the balancer's, for the same reason.
        // One read of each file's head tells both (an edge format, else an error log or not).
        var edges: [String: LogInputFormat] = [:]
        var errorLogs: Set<String> = []
        // The offsets of the access logs' times: when they agree, the error logs (whose times carry none) are read
        // in it, for --since/--until and the timeline.
        var offsets: Set<Int64> = []
        // Stdin, named pipes, process substitutions (`<(zcat a.gz)`, `/dev/fd/63`) and `/dev/stdin` on a pipe are read
        // once: opened here, sniffed from their first 64 KiB, which are then read again from memory. (Opening a pipe
        // twice, once to sniff and once to read, lost the sniffed bytes, or waited for a writer that had gone.)
        var streams: [String: Int32] = [:]
        for p in input.paths where streams[p] == nil {
            if p == "-" { streams[p] = 0; continue }
            var st = stat()
            guard stat(p, &st) == 0 else { continue }
            let type = st.st_mode & S_IFMT
            if type == S_IFIFO || type == S_IFCHR || type == S_IFSOCK {
                let fd = open(p, O_RDONLY)
                if fd >= 0 { streams[p] = fd }
            }
        }
        for p in input.paths where streams[p] == nil {
            if let f = input.inputFormat, f.hasOwnScanner { edges[p] = f; continue }
            let head = LogsAnalyzer.sniffHead(p)
            if input.inputFormat == nil, let f = head.bytes.withUnsafeBytes({ LogInputFormat.detectEdge($0) }) { edges[p] = f }
            else if head.isErrorLog { errorLogs.insert(p) }
            else if input.listed.contains(p), let (line, m) = head.noAccessLine(input.format) {
                context.skippedListed.append((file: p, line: line, mismatch: m))
            } else if let o = head.firstAccessOffset(input.format) {
                offsets.insert(o)
            }
        }
        if offsets.count == 1, let o = offsets.first, o != 0 { context.errorLogOffset = o }
        if !context.skippedListed.isEmpty {
            let skipped = Set(context.skippedListed.map(\.file))
            input.paths.removeAll { skipped.contains($0) }
        }
        // Gzip on a stream is not sniffed: it is read as a web server's log unless --input-format says.
        var streamHeads: [String: [UInt8]] = [:]
        for (p, fd) in streams {
            if let f = input.inputFormat, f.hasOwnScanner { edges[p] = f; continue }
            guard input.inputFormat == nil else { continue }
            let head = LogReader.readHead(fd: fd, limit: 1 << 16)
            streamHeads[p] = head
            if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B { continue }
            if let f = head.withUnsafeBytes({ LogInputFormat.detectEdge($0) }) { edges[p] = f }
            else {
                var h = Head()
                let b = LineBuffer(capacity: 1 << 16)
                head.withUnsafeBytes { b.append($0, to: &h) }
                b.drain(final: true, to: &h)
                if h.isErrorLog { errorLogs.insert(p) }
            }
        }
        var ordered: [(String, Bool)] = []
        for p in input.paths { ordered.append((p, errorLogs.contains(p))) }
        // ModSecurity audit logs after the error logs (they take the place of the error lines with
        // the same unique id) and before the access logs (which claim their transactions).
        let audit = ordered.filter { edges[$0.0] == .modsecurityAudit && $0.0 != "-" }
        let errorFirst = ordered.filter { $0.1 && $0.0 != "-" } + audit + ordered.filter { edges[$0.0] == .awsWAF && $0.0 != "-" }
            + ordered.filter { !$0.1 && $0.0 != "-" && edges[$0.0] != .awsWAF && edges[$0.0] != .modsecurityAudit }
            + ordered.filter { $0.0 == "-" }
        context.holdAudit = input.paths.contains { !errorLogs.contains($0) && edges[$0] == nil }
        context.joinWAF = edges.values.contains(.awsWAF) && edges.values.contains(.alb)
        var lines = 0
        var bytes: Int64 = 0
        for (path, _) in errorFirst {
            let display = path == "-" ? "(stdin)" : path
            let buffer = LineBuffer(maxLineLength: input.limits.maxLineLength)
            let progress = input.progress
            nonisolated(unsafe) var fileBytes: Int64 = 0
            let report: LogReader.Progress = { done, total in
                fileBytes = done
                progress?(display, done, total)
            }
            if edges[path] == .modsecurityAudit {
                var scan = AuditScan(file: display, context: context)
                try LogReader.read(path: path, buffer: buffer, sink: &scan, fd: streams[path], prefix: streamHeads[path] ?? [], progress: report, check: { _ in })
                scan.finish()
                if let e = scan.noRecordError() { throw e }
                lines += scan.lineNumber
            } else if let edge = edges[path] {
                var scan = EdgeScan(file: display, format: edge, context: context)
                try LogReader.read(path: path, buffer: buffer, sink: &scan, fd: streams[path], prefix: streamHeads[path] ?? [], progress: report, check: { _ in })
                if let e = scan.noRecordError() { throw e }
                lines += scan.lineNumber
            } else {
                var scan = FileScan(file: display, context: context)
                try LogReader.read(path: path, buffer: buffer, sink: &scan, fd: streams[path], prefix: streamHeads[path] ?? [], progress: report,
                                   check: { s in if let f = s.fatal { throw f } })
                scan.decideMode()
                if let f = scan.fatal { throw f }
                lines += scan.lineNumber
            }
            bytes += fileBytes
        }
        context.flushUnclaimedEvents()
        context.flushHeldBlocks()
        context.aggregator.finish()
        return LogsReportBuilder(input: input, context: context, lines: lines, bytes: bytes).outcome()
    }

    /// Analyses bytes already in memory, fed in chunks of `chunkSize` (for tests of the scanner).
    public func analyze(data: [UInt8], name: String, chunkSize: Int, input: LogsAnalyzer.Input) throws -> Report {
        let context = ScanContext(statuses: input.statuses, format: input.format, since: input.since,
                                  until: input.until, limits: input.limits)
        context.fields = input.fields
        let buffer = LineBuffer(capacity: 4096, maxLineLength: input.limits.maxLineLength)
        let edge = input.inputFormat.flatMap { $0.hasOwnScanner ? $0 : nil }
            ?? (input.inputFormat == nil ? data.prefix(1 << 16).withUnsafeBytes { LogInputFormat.detectEdge($0) } : nil)
        if edge == .modsecurityAudit {
            var scan = AuditScan(file: name, context: context)
            data.withUnsafeBytes { all in
                var offset = 0
                while offset < all.count {
                    let n = min(chunkSize, all.count - offset)
                    buffer.append(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)]), to: &scan)
                    offset += n
                }
            }
            buffer.drain(final: true, to: &scan)
            scan.finish()
            context.flushUnclaimedEvents()
            context.aggregator.finish()
            return LogsReportBuilder(input: input, context: context, lines: scan.lineNumber, bytes: Int64(data.count)).report()
        }
        if let edge {
            var scan = EdgeScan(file: name, format: edge, context: context)
            data.withUnsafeBytes { all in
                var offset = 0
                while offset < all.count {
                    let n = min(chunkSize, all.count - offset)
                    buffer.append(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)]), to: &scan)
                    offset += n
                }
            }
            buffer.drain(final: true, to: &scan)
            if let e = scan.noRecordError() { throw e }
            context.aggregator.finish()
            return LogsReportBuilder(input: input, context: context, lines: scan.lineNumber, bytes: Int64(data.count)).report()
        }
        var scan = FileScan(file: name, context: context)
        var offset = 0
        try data.withUnsafeBytes { all in
            while offset < all.count {
                let n = min(chunkSize, all.count - offset)
                buffer.append(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)]), to: &scan)
                offset += n
                if let f = scan.fatal { throw f }
            }
        }
        buffer.drain(final: true, to: &scan)
        scan.decideMode()
        if let f = scan.fatal { throw f }
        context.flushUnclaimedEvents()
        context.aggregator.finish()
        return LogsReportBuilder(input: input, context: context, lines: scan.lineNumber, bytes: Int64(data.count)).report()
    }

    /// The first 64 KiB of whole lines of a file (inflated when gzip), for the format sniffing.
    struct Head: LineBlockSink {
        var bytes: [UInt8] = []
        /// The first non-empty line was longer than the line limit.
        var overlongFirst = false
        mutating func block(_ base: UnsafeRawPointer, _ count: Int) {
            let n = min(count, (1 << 16) - bytes.count)
            if n > 0 { bytes.append(contentsOf: UnsafeRawBufferPointer(start: base, count: n)) }
        }
        mutating func overlongLine() {
            if !bytes.contains(where: { $0 != 10 }) { overlongFirst = true }
        }
        /// The UTC offset (seconds east) of the first line of `format` in the head that has a time with an offset, or nil.
        func firstAccessOffset(_ format: AccessFormat) -> Int64? {
            if overlongFirst { return nil }
            return bytes.withUnsafeBytes { b -> Int64? in
                var pos = 0
                while pos < b.count {
                    let end = ByteSearch.index(of: 10, in: b.baseAddress!, from: pos, to: b.count) ?? b.count
                    var line = ByteLine(b.baseAddress! + pos, end - pos)
                    if line.count > 0, line[line.count - 1] == 0x0D { line = ByteLine(line.base, line.count - 1) }
                    var rec = AccessRecord()
                    if line.count > 0, format.match(line, into: &rec) == nil, let t = rec.time { return t.wall - t.utc }
                    pos = end + 1
                }
                return nil
            }
        }

        /// When no line of the head is an error-log line or a line of `format` (or of its fallbacks), the first line's
        /// number and why it is not; nil when one is, or when the head holds no line (an empty log is a log).
        func noAccessLine(_ format: AccessFormat) -> (line: Int, mismatch: FormatMismatch)? {
            if overlongFirst { return nil }
            return bytes.withUnsafeBytes { b -> (line: Int, mismatch: FormatMismatch)? in
                var pos = 0, number = 0
                var first: (line: Int, mismatch: FormatMismatch)?
                while pos < b.count {
                    let end = ByteSearch.index(of: 10, in: b.baseAddress!, from: pos, to: b.count) ?? b.count
                    number += 1
                    var line = ByteLine(b.baseAddress! + pos, end - pos)
                    if line.count > 0, line[line.count - 1] == 0x0D { line = ByteLine(line.base, line.count - 1) }
                    if line.count > 0 {
                        if ErrorLogLine.kind(line) != .notError { return nil }
                        var rec = AccessRecord()
                        guard let m = format.match(line, into: &rec) else { return nil }
                        if first == nil { first = (number, m) }
                    }
                    pos = end + 1
                }
                return first
            }
        }

        /// Whether the first non-empty line is an nginx or Apache error-log line.
        var isErrorLog: Bool {
            if overlongFirst { return false }
            return bytes.withUnsafeBytes { b -> Bool in
                var pos = 0
                while pos < b.count {
                    let end = ByteSearch.index(of: 10, in: b.baseAddress!, from: pos, to: b.count) ?? b.count
                    if end > pos {
                        let kind = ErrorLogLine.kind(ByteLine(b.baseAddress! + pos, end - pos))
                        return kind == .nginx || kind == .apache
                    }
                    pos = end + 1
                }
                return false
            }
        }
    }

    /// Reads the head of `path` (nothing when unreadable: the scan reports that).
    static func sniffHead(_ path: String) -> Head {
        struct Enough: Error {}
        var head = Head()
        do {
            try LogReader.read(path: path, buffer: LineBuffer(capacity: 1 << 16), sink: &head, readAhead: false, progress: nil,
                               check: { h in if h.bytes.count >= 1 << 16 || h.overlongFirst { throw Enough() } })
        } catch {}
        return head
    }


}

/// Parses `--since` and `--until`: ISO 8601 (`2026-11-29T09:30:00Z`, `2026-11-29 09:30`, `2026-11-29`)
/// or a duration before now (`90s`, `30m`, `1h`, `2d`, `1w`).
public enum LogsTimeSpec {
    /// The UTC second `text` names, relative durations counted back from `now`.
    public static func parse(_ text: String, now: Int64, flag: String) throws -> Int64 {
        let t = text.trimmingSpaces
        if let unit = t.last, "smhdw".contains(unit), let n = Int64(t.dropLast()), n >= 0 {
            let mult: Int64 = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800][String(unit)]!
            return now - n * mult
        }
        let bytes = Array(t.utf8)
        var padded = bytes
        if bytes.count == 10 { padded += Array("T00:00:00Z".utf8) }
        else if bytes.count == 16 { padded += Array(":00Z".utf8) }
        else if bytes.count == 19 { padded += Array("Z".utf8) }
        let parsed: LogTime? = padded.withUnsafeBytes { b in
            LogTime.parseISO(ByteLine(b.baseAddress!, b.count), 0, b.count)
        }
        guard let p = parsed, bytes.count >= 10, validCalendar(padded) else {
            throw InputError(file: nil, expected: "\(flag) as ISO 8601 (2026-11-29T09:30:00Z) or a duration like 1h, 30m, 2d",
                             found: InputError.quote(text))
        }
        return p.utc
    }

    /// Whether the date and time at the start of `b` (`YYYY-MM-DDThh:mm:ss`) name a real day and time: the parser
    /// reads any two digits, and `2027-02-30` or `25:61` would roll over into another day.
    static func validCalendar(_ b: [UInt8]) -> Bool {
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard let y = number(0, 4), let m = number(5, 2), let d = number(8, 2) else { return false }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(m), d >= 1, d <= days[m - 1] else { return false }
        guard b.count >= 19 else { return true }
        guard let h = number(11, 2), let mi = number(14, 2), let sec = number(17, 2) else { return false }
        return h <= 23 && mi <= 59 && sec <= 60
    }
}
