/// An access line's parse as numbers: the read-ahead thread's pass over a gathered line
/// (`LineTokenizer`), run while the scan thread is busy with earlier lines, so the scan reads the
/// fields' bounds instead of matching the format again (the matching, the time and the binary check
/// were a sixth of a 1 GiB scan's work).
///
/// Layout (`width` numbers, offsets into the line): `[0]` 1 when the line is an access line that
/// matched the format (else 0: the scan reads the line itself, as for a line never tokenized), `[1]`
/// the status, `[2...11]` the client, path, user agent, user and request bounds (start, end; -1 for
/// none), `[12]` 1 when the line has a time, `[13...16]` its UTC and wall seconds (low, high halves).
enum AccessTokens {
    static let width = 17

    /// The tokenizer of a format's lines (nil for JSON lines, which the scan reads itself); `fast` as
    /// `AccessFormat.match` takes it.
    static func tokenizer(_ format: AccessFormat, fast: Bool = true) -> LineTokenizer? {
        guard !format.isJSON else { return nil }
        let times = TimeMemo()  // this tokenizer's own: one thread runs it
        return LineTokenizer(width: width) { line, out in write(format, line, out, fast: fast, times: times) }
    }

    /// Writes the numbers of `line`: the same tests, in the same order, as `FileScan.process`.
    static func write(_ format: AccessFormat, _ line: ByteLine, _ out: UnsafeMutablePointer<Int32>, fast: Bool = true,
                      times: TimeMemo? = nil) {
        out[0] = 0
        if line.count >= Int(Int32.max) { return }
        if line.count == 0 || (line.count == 1 && line[0] == 0x0D) { return }
        if ErrorLogLine.kind(line) != .notError || line.looksBinary { return }
        var rec = AccessRecord()
        guard format.match(line, into: &rec, fast: fast, times: times) == nil, rec.requestText == nil,
              bounds(rec.client, out + 2), bounds(rec.path, out + 4), bounds(rec.userAgent, out + 6), bounds(rec.user, out + 8)
        else { return }
        out[10] = rec.requestRange.map { Int32($0.lowerBound) } ?? -1
        out[11] = rec.requestRange.map { Int32($0.upperBound) } ?? -1
        out[1] = Int32(truncatingIfNeeded: rec.status)
        guard Int(out[1]) == rec.status else { return }
        if let t = rec.time {
            out[12] = 1
            split(t.utc, out + 13)
            split(t.wall, out + 15)
        } else {
            out[12] = 0
        }
        out[0] = 1
    }

    /// The record the numbers say (only when `tokens[0]` is 1).
    static func record(_ tokens: UnsafePointer<Int32>) -> AccessRecord {
        var rec = AccessRecord()
        rec.status = Int(tokens[1])
        rec.client = value(tokens + 2)
        rec.path = value(tokens + 4)
        rec.userAgent = value(tokens + 6)
        rec.user = value(tokens + 8)
        if tokens[10] >= 0 { rec.requestRange = Int(tokens[10])..<Int(tokens[11]) }
        if tokens[12] == 1 { rec.time = LogTime(utc: joined(tokens + 13), wall: joined(tokens + 15)) }
        return rec
    }

    /// A value's bounds, or -1 for none; false for text (JSON's, never a format's).
    private static func bounds(_ v: AccessRecord.Value, _ out: UnsafeMutablePointer<Int32>) -> Bool {
        switch v {
        case .none: out[0] = -1; out[1] = -1
        case .bytes(let a, let b): out[0] = Int32(a); out[1] = Int32(b)
        case .text: return false
        }
        return true
    }

    private static func value(_ t: UnsafePointer<Int32>) -> AccessRecord.Value {
        t[0] < 0 ? .none : .bytes(Int(t[0]), Int(t[1]))
    }

    private static func split(_ v: Int64, _ out: UnsafeMutablePointer<Int32>) {
        out[0] = Int32(truncatingIfNeeded: v)
        out[1] = Int32(truncatingIfNeeded: v >> 32)
    }

    private static func joined(_ t: UnsafePointer<Int32>) -> Int64 {
        Int64(t[1]) << 32 | Int64(UInt32(bitPattern: t[0]))
    }
}
