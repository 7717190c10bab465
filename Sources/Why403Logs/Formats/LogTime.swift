/// A moment read from a log line: seconds since the epoch in UTC, and the wall-clock time written in
/// the line (as if it were UTC), which is what an nginx error log (no zone) and its access log share.
public struct LogTime: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var utc: Int64
    /// The local wall-clock time of the line, as seconds since 1970-01-01T00:00:00 of that clock.
    public var wall: Int64

    /// A time from both readings.
    public init(utc: Int64, wall: Int64) {
        self.utc = utc
        self.wall = wall
    }

    /// Earlier in UTC.
    public static func < (a: LogTime, b: LogTime) -> Bool { a.utc < b.utc }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64 {
        days(year: year, month: month, day: day) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of a UTC epoch second.
    public static func iso8601(_ t: Int64) -> String {
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = Int(t - days * 86400)
        // civil_from_days
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let year = m <= 2 ? y + 1 : y
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(Int(m)))-\(two(Int(d)))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))Z"
    }

    static func month(_ line: ByteLine, at i: Int) -> Int? {
        guard i + 3 <= line.count else { return nil }
        return month(line[i], line[i + 1], line[i + 2])
    }

    /// The month (1...12) of its English abbreviation (`Jan`), exact case; one switch over the three bytes.
    @inline(__always)
    static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 {
        case 0x6E_61_4A: 1  // Jan
        case 0x62_65_46: 2  // Feb
        case 0x72_61_4D: 3  // Mar
        case 0x72_70_41: 4  // Apr
        case 0x79_61_4D: 5  // May
        case 0x6E_75_4A: 6  // Jun
        case 0x6C_75_4A: 7  // Jul
        case 0x67_75_41: 8  // Aug
        case 0x70_65_53: 9  // Sep
        case 0x74_63_4F: 10  // Oct
        case 0x76_6F_4E: 11  // Nov
        case 0x63_65_44: 12  // Dec
        default: nil
        }
    }

    /// `10/Oct/2000:13:55:36 -0700` (nginx `$time_local`, Apache `%t` without brackets).
    ///
    /// Read in place, the digits as `byte - 48` checked below 10 (it runs on every refused line: the
    /// checked integer reads and a loop over the month names were a tenth of a line's parse).
    static func parseCommon(_ line: ByteLine, _ from: Int, _ to: Int) -> LogTime? {
        guard to - from >= 20 else { return nil }
        let p = line.base + from
        @inline(__always) func digit(_ k: Int) -> Int { Int(p[k] &- 48) }  // a non-digit is above 9
        let d0 = digit(0), d1 = digit(1), y0 = digit(7), y1 = digit(8), y2 = digit(9), y3 = digit(10)
        let h0 = digit(12), h1 = digit(13), m0 = digit(15), m1 = digit(16), s0 = digit(18), s1 = digit(19)
        guard d0 < 10, d1 < 10, y0 < 10, y1 < 10, y2 < 10, y3 < 10, h0 < 10, h1 < 10, m0 < 10, m1 < 10, s0 < 10, s1 < 10,
              p[2] == 0x2F, p[6] == 0x2F, p[11] == 0x3A, p[14] == 0x3A, p[17] == 0x3A,
              let month = month(p[3], p[4], p[5]) else { return nil }
        let wall = seconds(year: ((y0 * 10 + y1) * 10 + y2) * 10 + y3, month: month, day: d0 * 10 + d1,
                           hour: h0 * 10 + h1, minute: m0 * 10 + m1, second: s0 * 10 + s1)
        var offset: Int64 = 0
        if to - from >= 26, p[20] == 0x20, p[21] == 0x2B || p[21] == 0x2D {
            let o0 = digit(22), o1 = digit(23), o2 = digit(24), o3 = digit(25)
            if o0 < 10, o1 < 10, o2 < 10, o3 < 10 {
                offset = Int64((o0 * 10 + o1) * 3600 + (o2 * 10 + o3) * 60) * (p[21] == 0x2D ? -1 : 1)
            }
        }
        return LogTime(utc: wall - offset, wall: wall)
    }

    /// `2026-11-29T09:30:17+00:00`, `…Z`, `…​.123Z`, or with a space instead of `T`.
    static func parseISO(_ line: ByteLine, _ from: Int, _ to: Int) -> LogTime? {
        guard to - from >= 19 else { return nil }
        let i = from
        guard let year = line.integer(i, i + 4), line[i + 4] == 0x2D, let month = line.integer(i + 5, i + 7),
              line[i + 7] == 0x2D, let day = line.integer(i + 8, i + 10), line[i + 10] == 0x54 || line[i + 10] == 0x20,
              let hh = line.integer(i + 11, i + 13), line[i + 13] == 0x3A, let mm = line.integer(i + 14, i + 16),
              line[i + 16] == 0x3A, let ss = line.integer(i + 17, i + 19),
              (1...12).contains(month) else { return nil }
        let wall = seconds(year: year, month: month, day: day, hour: hh, minute: mm, second: ss)
        var j = i + 19
        if j < to, line[j] == 0x2E { j += 1; while j < to, line[j] >= 0x30, line[j] <= 0x39 { j += 1 } }
        var offset: Int64 = 0
        if j < to, line[j] == 0x2B || line[j] == 0x2D, to - j >= 5 {
            let sign: Int64 = line[j] == 0x2D ? -1 : 1
            if let oh = line.integer(j + 1, j + 3) {
                let mmStart = line[j + 3] == 0x3A ? j + 4 : j + 3
                let om = line.integer(mmStart, min(mmStart + 2, to)) ?? 0
                offset = Int64(oh * 3600 + om * 60) * sign
            }
        }
        return LogTime(utc: wall - offset, wall: wall)
    }

    /// `1764408617.123` (nginx `$msec`) or whole seconds.
    static func parseEpoch(_ line: ByteLine, _ from: Int, _ to: Int) -> LogTime? {
        var end = from
        while end < to, line[end] >= 0x30, line[end] <= 0x39 { end += 1 }
        guard let s = line.integer(from, end) else { return nil }
        return LogTime(utc: Int64(s), wall: Int64(s))
    }

    /// Any of the forms above.
    static func parseAny(_ line: ByteLine, _ from: Int, _ to: Int) -> LogTime? {
        var f = from, t = to
        if f < t, line[f] == 0x5B { f += 1 }
        if t > f, line[t - 1] == 0x5D { t -= 1 }
        return parseCommon(line, f, t) ?? parseISO(line, f, t) ?? parseEpoch(line, f, t)
    }
}

/// The time field a thread read last and what it read as (`LogTime.parseAny`): a log's refused lines come in runs within
/// one second, so most of them repeat the time before, and the bytes are compared instead of read again (the time was a
/// tenth of a refused access line's parse on the read-ahead thread). Fields of 8 to 32 bytes are remembered, compared as
/// four overlapping words that together cover every byte.
///
/// INVARIANT: used by one thread only. Each tokenizer (`AccessTokens.tokenizer`) makes its own, and each thread that runs
/// a tokenizer gets a tokenizer of its own (`LineBlockSink.lineTokenizer` makes a new one on every access).
final class TimeMemo: @unchecked Sendable {
    private var length = -1
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    private var value: LogTime?

    /// `LogTime.parseAny(line, from, to)`.
    func parse(_ line: ByteLine, _ from: Int, _ to: Int) -> LogTime? {
        let n = to - from
        guard n >= 8, n <= 32 else { return LogTime.parseAny(line, from, to) }
        let raw = UnsafeRawPointer(line.base + from)
        let a = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let b = raw.loadUnaligned(fromByteOffset: Swift.min(8, n - 8), as: UInt64.self)
        let c = raw.loadUnaligned(fromByteOffset: Swift.min(16, n - 8), as: UInt64.self)
        let d = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        if n == length && a == w0 && b == w1 && c == w2 && d == w3 { return value }
        let v = LogTime.parseAny(line, from, to)
        length = n
        w0 = a; w1 = b; w2 = c; w3 = d
        value = v
        return v
    }
}

/// The ISO 8601 time field read last, remembered by its second and its zone (ALB's and Cloudflare's times): an ALB log's
/// times carry microseconds (`2026-11-29T09:30:00.123456Z`), so no two lines repeat the whole field, but many share the second.
/// `LogTime.parseISO` reads the fraction's digits and drops them, so an ASCII field whose first 19 bytes and whose
/// bytes after the fraction are those of the field remembered reads as that field read. (Reading every ALB time was
/// some 490 instructions of a refused line's parse.)
struct ISOSecondMemo {
    private var h0: UInt64 = 0, h1: UInt64 = 0, h2: UInt64 = 0
    private var tail: UInt64 = 0
    /// The length of the bytes after the fraction; -1 while nothing is remembered.
    private var tailCount = -1
    private var value: LogTime?

    /// `LogTime.parseISO(line, from, to)` for a field of more than 19 ASCII bytes, else `other()`; a field that repeats
    /// the second and the zone of the last one `parseISO` read is not read again.
    mutating func parse(_ line: ByteLine, _ from: Int, _ to: Int, other: () -> LogTime?) -> LogTime? {
        guard to - from > 19 else { return other() }
        let raw = UnsafeRawPointer(line.base + from)
        let a = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        let b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let c = raw.loadUnaligned(fromByteOffset: 11, as: UInt64.self)
        var j = from + 19
        if line[j] == 0x2E { j += 1; while j < to, line[j] >= 0x30, line[j] <= 0x39 { j += 1 } }
        let n = to - j
        var t: UInt64 = 0
        if n <= 8 { for k in 0..<n { t |= UInt64(line[j + k]) << UInt64(8 * k) } }
        // The remembered field was ASCII (only `parseISO`'s reads are remembered), its digits are ASCII, so a field
        // that matches it is ASCII too, and reads as it did.
        if n <= 8, n == tailCount, a == h0, b == h1, c == h2, t == tail { return value }
        guard !(from..<to).contains(where: { line[$0] >= 0x80 }) else { return other() }
        let v = LogTime.parseISO(line, from, to)
        if n <= 8 {
            h0 = a; h1 = b; h2 = c
            tail = t
            tailCount = n
            value = v
        }
        return v
    }
}

