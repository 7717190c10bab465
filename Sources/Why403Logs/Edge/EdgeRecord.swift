import Foundation
import CWhy403Scan
import Why403Core

/// One parsed edge log line: what the groups count (status, time, client, path, user agent,
/// country) and the fields the cause rules read.
struct EdgeRecord {
    /// The HTTP status the client got (0 when the line gives none: an AWS WAF ALLOW or COUNT).
    var status = 0
    var time: LogTime?
    var client = "-"
    var path: String?
    var userAgent: String?
    var country: String?
    var fields = EdgeFields()
    /// S3: the request as `why403 s3` takes it.
    var s3: S3Line? {
        get { s3Box?.line }
        set { s3Box = newValue.map(S3Box.init) }
    }
    /// Boxed: a record is copied whole on its way out of a parser, and nine inline strings would
    /// double its size for every format but one.
    private var s3Box: S3Box?
    /// Extra words for the finding (Cloudflare's rule description, AWS WAF labels, bot score).
    var detail: String?
    /// The client, path and user agent as views of the line's bytes, where the reader took them so (Cloudflare's
    /// strings without escapes): `client`, `path` and `userAgent` are then left unset, and the refusal's keys are
    /// made from these (`ScanContext.edgeDenial`). Making a `String` of each, to hash it and most often drop it,
    /// was a tenth of the scan thread of a Cloudflare log.
    /// INVARIANT: views of the line being processed, read only while it is (as a `LogKey` of bytes).
    var clientBytes: ByteLine?
    var pathBytes: ByteLine?
    var userAgentBytes: ByteLine?

    subscript(_ f: EdgeField) -> String { fields[f] }
}

final class S3Box {
    let line: S3Line
    init(_ line: S3Line) { self.line = line }
}

/// The parts of an S3 access-log line that make a `why403 s3` command line.
struct S3Line {
    var bucket: String
    var key: String?
    var operation: String
    var requester: String
    var remoteIP: String
    var signatureVersion: String
    var authType: String
    var accessPoint: String
    var tls: String
}

/// The line parsers of the edge formats. Each returns the record or a short reason the line does
/// not fit (counted and sampled as malformed by the scan). Hand-written over the documented layouts:
/// space-separated fields with `"…"` and `[…]` groups (ALB, S3), W3C `#Fields:` (CloudFront, IIS) and
/// JSON lines (AWS WAF through Foundation's JSONSerialization, Cloudflare through `FlatJSON`).
enum EdgeParsers {
    /// The fields of a space-separated line (ALB, S3) as bounds over its UTF-8 bytes: split on single
    /// spaces, `"…"` (with `\"` escapes) and `[…]` one field each, unwrapped. Bounds, not substrings:
    /// walking Characters, indexing the UTF-8 view a byte at a time, or making a `Substring` of each
    /// of some thirty fields (each bound rounded to a Character) cost most of the time of an ALB scan;
    /// a `String` is made only of the fields read, invalid UTF-8 repaired in it as in the line's text (the
    /// delimiters are ASCII, so no invalid sequence spans two fields).
    struct SpacedFields {
        let line: ByteLine
        private var bounds: [(Int, Int)] = []
        /// The bounds as `write(into:)` wrote them on the read-ahead thread, read in place of `bounds`.
        private var tokens: UnsafePointer<Int32>?
        private(set) var count = 0

        /// The most fields the read-ahead thread's tokens hold (a longer line is split by the scan thread).
        static let maxTokenFields = 40
        /// Numbers a line's tokens take: the field count (-1: not split), the control-byte flag, then each
        /// field's start and end.
        static let tokenWidth = 2 + 2 * maxTokenFields

        /// The fields of `line` from the tokens `write(into:)` wrote for it, or nil when it could not hold them.
        init?(_ line: ByteLine, tokens: UnsafePointer<Int32>) {
            guard tokens[0] >= 0 else { return nil }
            self.line = line
            self.tokens = tokens
            count = Int(tokens[0])
        }

        /// The field count, a control-byte flag (`looksBinary` of the whole line) and each field's bounds, as
        /// `init?(_:tokens:)` reads them.
        func write(into out: UnsafeMutablePointer<Int32>, binary: Bool) {
            out[1] = binary ? 1 : 0
            guard count <= SpacedFields.maxTokenFields, line.count < Int(Int32.max) else { out[0] = -1; return }
            out[0] = Int32(count)
            for k in 0..<count {
                out[2 + 2 * k] = Int32(bounds[k].0)
                out[3 + 2 * k] = Int32(bounds[k].1)
            }
        }

        @inline(__always) private func bound(_ k: Int) -> (Int, Int) {
            if let t = tokens { return (Int(t[2 + 2 * k]), Int(t[3 + 2 * k])) }
            return bounds[k]
        }

        init(_ line: ByteLine) {
            self.line = line
            bounds.reserveCapacity(32)
            let end = line.count
            var i = 0
            while i < end {
                while i < end, line[i] == 32 { i += 1 }
                guard i < end else { break }
                let c = line[i]
                if c == 34 {
                    var j = line.index(of: 34, or: 92, from: i + 1, to: end)
                    while j < end, line[j] == 92 {  // `\"` and `\\` stay inside the field
                        j = line.index(of: 34, or: 92, from: min(j + 2, end), to: end)
                    }
                    bounds.append((i + 1, j))
                    i = j < end ? j + 1 : j
                } else if c == 91 {
                    let j = line.index(of: 93, or: 93, from: i + 1, to: end)
                    bounds.append((i + 1, j))
                    i = j < end ? j + 1 : j
                } else {
                    let j = line.index(of: 32, or: 32, from: i, to: end)
                    bounds.append((i, j))
                    i = j
                }
            }
            count = bounds.count
        }

        /// Field `k` (from 0) as text.
        subscript(_ k: Int) -> String { let (a, b) = bound(k); return line.string(a, b) }
        /// Field `k` as text, the same `String` as the last lines that held the same bytes (`memo`, one per field).
        func text(_ k: Int, _ memo: inout TextMemo) -> String {
            let (a, b) = bound(k)
            return memo.text(UnsafeBufferPointer(start: line.base + a, count: b - a)) { line.string(a, b) } ?? ""
        }
        /// Field `k`, nil when it is `-` or empty.
        func dashNil(_ k: Int) -> String? { dashNilBytes(k)?.text }
        /// Field `k` as an integer (as `Int(String)` reads it: digits are read from the bytes, anything else, a sign
        /// included, through `Int(String)`).
        func int(_ k: Int) -> Int? {
            let (a, b) = bound(k)
            return line.integer(a, b) ?? Int(self[k])
        }
        /// Field `k` as an ISO 8601 time (`EdgeParsers.iso` of its text): an ASCII field of more than 19 bytes is read in
        /// place (its text is its bytes), any other through its text; through `memo`, a repeated second is not read again.
        func isoTime(_ k: Int, memo: inout ISOSecondMemo) -> LogTime? {
            let (a, b) = bound(k)
            return memo.parse(line, a, b) { EdgeParsers.iso(self[k]) }
        }
        /// Field `k`, a request line: its path (`EdgeParsers.path(ofRequest:)`).
        func requestPath(_ k: Int) -> String? { let (a, b) = bound(k); return EdgeParsers.path(ofRequest: ByteLine(line.base + a, b - a)) }
        /// `requestPath(k)` as a view of the line where the path is written in it, else as text (`/`, for an absolute
        /// target without one).
        func requestPathBytes(_ k: Int) -> EdgeParsers.RequestPath? {
            let (a, b) = bound(k)
            return EdgeParsers.pathBytes(ofRequest: ByteLine(line.base + a, b - a))
        }
        /// Field `k`, an address with a port: the address (`203.0.113.9:443` → `203.0.113.9`,
        /// `[2001:db8::1]:443` → `2001:db8::1`).
        func address(_ k: Int) -> String { addressBytes(k).text }
        /// `address(k)` as a view of the line: `[v6]:port`, `v4:port` and the balancer's unbracketed `v6:port` lose the port.
        func addressBytes(_ k: Int) -> ByteLine {
            let (a, b) = bound(k)
            if b > a, line[a] == 91, let close = line.firstIndex(of: 93, from: a + 1), close < b { return ByteLine(line.base + a + 1, close - a - 1) }
            var colon = -1, colons = 0
            for i in a..<b where line[i] == 58 { colon = i; colons += 1 }
            if colons == 1 { return ByteLine(line.base + a, colon - a) }
            // An IPv6 client: the balancer writes it with its port and no brackets (`2a02:…:f215:50718`). The port goes
            // when the digits after the last colon are one (a port has at most 5 digits) and what is before them is an
            // address on its own.
            if colons > 1, b - colon - 1 >= 1, b - colon - 1 <= 5, (colon + 1..<b).allSatisfy({ line[$0] >= 48 && line[$0] <= 57 }),
               IPAddress(ByteLine(line.base + a, colon - a).text) != nil {
                return ByteLine(line.base + a, colon - a)
            }
            return ByteLine(line.base + a, b - a)
        }
        /// `dashNil(k)` as a view of the line.
        func dashNilBytes(_ k: Int) -> ByteLine? {
            let (a, b) = bound(k)
            return b == a || (b == a + 1 && line[a] == 45) ? nil : ByteLine(line.base + a, b - a)
        }
        /// Field `k` in the common log time format (`06/Feb/2019:00:00:38 +0000`).
        func commonTime(_ k: Int) -> LogTime? {
            let (a, b) = bound(k)
            return b - a >= 20 ? LogTime.parseCommon(line, a, b) : nil
        }
    }

    /// A request line's path: where the line writes it, or a text it does not hold.
    enum RequestPath {
        case view(ByteLine)
        case text(String)
    }

    /// `path(ofRequest:)` without making a `String` where the path is a run of the line's bytes.
    static func pathBytes(ofRequest line: ByteLine) -> RequestPath? {
        var i = 0
        while i < line.count, line[i] == 32 { i += 1 }
        guard var start = line.firstIndex(of: 32, from: i) else { return nil }
        while start < line.count, line[start] == 32 { start += 1 }
        guard start < line.count else { return nil }
        let end = line.firstIndex(of: 32, from: start) ?? line.count
        if let scheme = line.firstIndex(of: schemeSeparator, from: start), scheme + 3 <= end {
            guard let slash = line.firstIndex(of: 47, from: scheme + 3), slash < end else { return .text("/") }
            start = slash
        }
        var stop = start
        while stop < end, line[stop] != 0x3F, line[stop] != 0x23 { stop += 1 }
        return stop > start ? .view(ByteLine(line.base + start, stop - start)) : nil
    }

    /// `GET https://host:443/a/b?x HTTP/1.1` → `/a/b`; `GET /a?x HTTP/1.1` → `/a`. Over the bytes
    /// (the separators are ASCII).
    static func path(ofRequest line: ByteLine) -> String? {
        switch pathBytes(ofRequest: line) {
        case .view(let b)?: return b.text
        case .text(let s)?: return s
        case nil: return nil
        }
    }

    static let schemeSeparator = Array("://".utf8)

    /// An ISO 8601 time in a `String`.
    static func iso(_ s: String) -> LogTime? {
        var bytes = Array(s.utf8)
        if bytes.count == 19 { bytes += Array("Z".utf8) }
        return bytes.withUnsafeBytes { b in b.count >= 19 ? LogTime.parseISO(ByteLine(b.baseAddress!, b.count), 0, b.count) : nil }
    }

    /// `06/Feb/2019:00:00:38 +0000`.
    static func common(_ s: Substring) -> LogTime? {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBytes { b in b.count >= 20 ? LogTime.parseCommon(ByteLine(b.baseAddress!, b.count), 0, b.count) : nil }
    }

    /// Seconds, milliseconds or nanoseconds since the epoch, told apart by size; nil outside
    /// 1970…2200 (a hostile value must not reach the date arithmetic).
    static func epoch(_ v: Int64) -> LogTime? {
        let s = v > 100_000_000_000_000 ? v / 1_000_000_000 : v > 100_000_000_000 ? v / 1000 : v
        guard s >= 0, s <= 7_258_118_400 else { return nil }
        return LogTime(utc: s, wall: s)
    }

    // MARK: ALB

    /// An ALB access-log entry (fields in the documented order; later fields may be missing in
    /// older logs and read as empty), written into `r` (a fresh record, as `cloudflare(bytes:…into:)` is); the
    /// result is why the line does not fit, or nil.
    /// With `views`, the client, path and user agent are left as views of the line's bytes (`clientBytes`, ...), as the
    /// Cloudflare reader leaves them: a `String` of each, made to be hashed and most often dropped, was a tenth of the scan
    /// thread of an ALB log. Not when AWS WAF logs are joined (`ScanContext.joinWAF`), which match on the `String`s.
    static func alb(_ line: ByteLine, tokens: UnsafePointer<Int32>? = nil, views: Bool = false, into r: inout EdgeRecord) -> EdgeMismatch? {
        var memo = ALBMemo()
        return alb(line, tokens: tokens, views: views, memo: &memo, into: &r)
    }

    /// The ALB fields the cause rules read, whose few values repeat from line to line: each value's `String` is made
    /// once per file and reused instead of four on every refused line (session 30: 1-2% of an ALB scan's CPU).
    struct ALBMemo {
        var targetStatus = TextMemo(), actions = TextMemo(), classification = TextMemo(), classificationReason = TextMemo()
        /// The time field's second and zone.
        var time = ISOSecondMemo()
    }

    static func alb(_ line: ByteLine, tokens: UnsafePointer<Int32>?, views: Bool, memo: inout ALBMemo,
                    into r: inout EdgeRecord) -> EdgeMismatch? {
        let t = tokens.flatMap { SpacedFields(line, tokens: $0) } ?? SpacedFields(line)
        guard t.count >= 13 else { return "an ALB entry: at least 13 fields, found \(t.count)" }
        guard let status = t.int(8) else { return "elb_status_code (field 9) as a number, found \(InputError.quote(t[8], limit: 20))" }
        r.status = status
        guard let time = t.isoTime(1, memo: &memo.time) else { return "the time (field 2) in ISO 8601, found \(InputError.quote(t[1], limit: 40))" }
        r.time = time
        if views {
            r.clientBytes = t.addressBytes(3)
            switch t.requestPathBytes(12) {
            case .view(let b): r.pathBytes = b
            case .text(let p): r.path = p
            case nil: break
            }
            if t.count > 13 { r.userAgentBytes = t.dashNilBytes(13) }
        } else {
            r.client = t.address(3)
            r.path = t.requestPath(12)
            if t.count > 13 { r.userAgent = t.dashNil(13) }
        }
        r.fields[.targetStatus] = t.text(9, &memo.targetStatus)
        if t.count > 22 { r.fields[.actions] = t.text(22, &memo.actions) }
        if t.count > 27 { r.fields[.classification] = t.text(27, &memo.classification) }
        if t.count > 28 { r.fields[.classificationReason] = t.text(28, &memo.classificationReason) }
        return nil
    }

    // MARK: S3

    /// An S3 server access-log record.
    static func s3(_ line: ByteLine) -> Result<EdgeRecord, EdgeMismatch> {
        let t = SpacedFields(line)
        guard t.count >= 10 else { return .failure("an S3 access-log record: at least 10 fields, found \(t.count)") }
        guard let time = t.commonTime(2) else { return .failure("the time [dd/Mon/yyyy:hh:mm:ss +zzzz] (field 3), found \(InputError.quote(t[2], limit: 40))") }
        guard let status = t.int(9) else { return .failure("the HTTP status (field 10) as a number, found \(InputError.quote(t[9], limit: 20))") }
        var r = EdgeRecord()
        r.status = status
        r.time = time
        r.client = t[3]
        r.path = t.requestPath(8) ?? t.dashNil(7).map { "/" + $0 }
        if t.count > 16 { r.userAgent = t.dashNil(16) }
        let error = t.count > 10 ? t[10] : "-"
        r.fields[.errorCode] = error
        func at(_ i: Int) -> String { i < t.count ? t[i] : "-" }
        r.s3 = S3Line(bucket: t[1], key: t.dashNil(7), operation: t[6], requester: t[4],
                      remoteIP: t[3], signatureVersion: at(19), authType: at(21), accessPoint: at(24), tls: at(23))
        return .success(r)
    }

    // MARK: W3C (CloudFront, IIS)

    /// The fields of CloudFront standard logs in their documented order, for files without `#Fields:`.
    static let cloudfrontDefault = ["date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
                                    "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type",
                                    "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for",
                                    "ssl-protocol", "ssl-cipher", "x-edge-response-result-type", "cs-protocol-version", "fle-status",
                                    "fle-encrypted-fields", "c-port", "time-to-first-byte", "x-edge-detailed-result-type",
                                    "sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end"]
    /// The fields of CloudFront real-time logs in their documented order ("Real-time log configuration
    /// fields"): a configuration picks some of them and they arrive in this order, tab-separated, with
    /// no header; a record with all of them is read without being told which.
    static let cloudfrontRealtime = ["timestamp", "c-ip", "time-to-first-byte", "sc-status", "sc-bytes", "cs-method", "cs-protocol",
                                     "cs-host", "cs-uri-stem", "cs-bytes", "x-edge-location", "x-edge-request-id", "x-host-header",
                                     "time-taken", "cs-protocol-version", "c-ip-version", "cs-user-agent", "cs-referer", "cs-cookie",
                                     "cs-uri-query", "x-edge-response-result-type", "x-forwarded-for", "ssl-protocol", "ssl-cipher",
                                     "x-edge-result-type", "fle-encrypted-fields", "fle-status", "sc-content-type", "sc-content-len",
                                     "sc-range-start", "sc-range-end", "c-port", "x-edge-detailed-result-type", "c-country",
                                     "cs-accept-encoding", "cs-accept", "cache-behavior-path-pattern", "cs-headers", "cs-header-names",
                                     "cs-headers-count", "primary-distribution-id", "primary-distribution-dns-name", "origin-fbl",
                                     "origin-lbl", "asn"]

    /// Whether `line` starts like a real-time log record: `1591735530.582` (epoch seconds with
    /// milliseconds) then a tab.
    static func looksRealtime(_ line: Substring) -> Bool {
        guard let tab = line.firstIndex(of: "\t") else { return false }
        let first = line[..<tab].utf8
        guard first.count == 14, let dot = first.firstIndex(of: UInt8(ascii: ".")) else { return false }
        return first.distance(from: first.startIndex, to: dot) == 10
            && first.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }
    }

    /// IIS's default W3C fields, for files without `#Fields:`.
    static let iisDefault = ["date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port", "cs-username", "c-ip",
                             "cs(User-Agent)", "cs(Referer)", "sc-status", "sc-substatus", "sc-win32-status", "time-taken"]

    /// `%XX` decoded (CloudFront encodes spaces and more in its fields); invalid sequences kept.
    /// Over the bytes where every escape decodes to ASCII (a user agent, a path: the common case;
    /// Foundation's `removingPercentEncoding` was most of a CloudFront line's time); otherwise, by
    /// Foundation, whose UTF-8 validation of the decoded bytes decides.
    static func percentDecoded(_ s: String) -> String {
        var text = s
        let fast: String?? = text.withUTF8 { b in
            guard b.contains(37) else { return .some(nil) }  // no escape: `s` itself
            @inline(__always) func hex(_ c: UInt8) -> UInt8? {
                switch c {
                case 48...57: return c - 48
                case 65...70: return c - 55
                case 97...102: return c - 87
                default: return nil
                }
            }
            var out = [UInt8]()
            out.reserveCapacity(b.count)
            var i = 0
            while i < b.count {
                guard b[i] == 37 else { out.append(b[i]); i += 1; continue }
                guard i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) else { return .some(s) }  // invalid: kept whole
                let c = h << 4 | l
                guard c < 0x80 else { return nil }  // a non-ASCII byte: Foundation decides
                out.append(c)
                i += 3
            }
            return .some(String(decoding: out, as: UTF8.self))
        }
        switch fast {
        case .some(.some(let decoded)): return decoded
        case .some(.none): return s
        case .none: return s.removingPercentEncoding ?? s
        }
    }

    /// Where the fields a W3C reader reads sit among the `#Fields:` names (the last of a repeated
    /// name): worked out once per `#Fields:` line, not on every line.
    struct W3CLayout {
        let count: Int
        let status, date, time, timestamp, clientIP, uriStem, userAgent, country, detailed, substatus: Int?

        init(_ f: [String]) {
            count = f.count
            status = f.lastIndex(of: "sc-status")
            date = f.lastIndex(of: "date")
            time = f.lastIndex(of: "time")
            timestamp = f.lastIndex(of: "timestamp")
            clientIP = f.lastIndex(of: "c-ip")
            uriStem = f.lastIndex(of: "cs-uri-stem")
            userAgent = f.lastIndex(of: "cs(User-Agent)") ?? f.lastIndex(of: "cs-user-agent")
            country = f.lastIndex(of: "c-country")
            detailed = f.lastIndex(of: "x-edge-detailed-result-type")
            substatus = f.lastIndex(of: "sc-substatus")
        }
    }

    /// A W3C line split as `layout` says (tab-separated for CloudFront, space-separated for IIS).
    /// Over the bytes, split on the one separator byte, with a `String` made only of the fields read
    /// (splitting by `Character` and a dictionary of every field cost some 35 µs a line).
    static func w3c(_ line: Substring, layout: W3CLayout, format: LogInputFormat) -> Result<EdgeRecord, EdgeMismatch> {
        var text = line
        return text.withUTF8 { b in
            let empty: StaticString = ""
            let l = ByteLine(b.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(empty.utf8Start), b.count)
            let sep: UInt8 = format == .cloudfront ? 9 : 32
            var bounds: [(Int, Int)] = []
            bounds.reserveCapacity(layout.count)
            var from = 0
            while true {
                let j = l.index(of: sep, or: sep, from: from, to: l.count)
                bounds.append((from, j))
                if j >= l.count { break }
                from = j + 1
            }
            guard bounds.count == layout.count else {
                return .failure("\(layout.count) \(format == .cloudfront ? "tab" : "space")-separated fields as #Fields: names them, found \(bounds.count)")
            }
            func field(_ k: Int?) -> String? { k.map { l.string(bounds[$0].0, bounds[$0].1) } }
            func dashNil(_ k: Int?) -> String? { field(k).flatMap { $0 == "-" || $0.isEmpty ? nil : $0 } }
            guard let s = field(layout.status), let status = Int(s) else {
                return .failure("sc-status as a number, found \(InputError.quote(field(layout.status) ?? "", limit: 20))")
            }
            var r = EdgeRecord()
            r.status = status
            if let d = field(layout.date), let t = field(layout.time) {
                guard let time = iso("\(d)T\(t)Z") else { return .failure("date and time (yyyy-mm-dd hh:mm:ss), found \(InputError.quote("\(d) \(t)", limit: 40))") }
                r.time = time
            } else if let ts = field(layout.timestamp) {
                // Real-time logs: epoch seconds with milliseconds.
                guard let seconds = Int64(ts.prefix { $0 != "." }), let time = epoch(seconds) else {
                    return .failure("timestamp as epoch seconds (1591735530.582), found \(InputError.quote(ts, limit: 40))")
                }
                r.time = time
            }
            r.client = dashNil(layout.clientIP) ?? "-"
            r.path = dashNil(layout.uriStem).map { percentDecoded($0) }
            r.userAgent = dashNil(layout.userAgent).map { format == .iis ? $0.replacingAll("+", with: " ") : percentDecoded($0) }
            r.country = dashNil(layout.country)?.uppercased()
            if format == .cloudfront {
                r.fields[.detailedResult] = field(layout.detailed) ?? ""
            } else {
                r.fields[.substatus] = field(layout.substatus) ?? ""
            }
            return .success(r)
        }
    }

    // MARK: JSON (AWS WAF, Cloudflare)

    static func object(_ line: Substring) -> Result<[String: Any], EdgeMismatch> {
        guard let data = String(line).data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return .failure("a JSON object on one line")
        }
        guard let o = obj as? [String: Any] else { return .failure("a JSON object, found another JSON value") }
        return .success(o)
    }

    static func str(_ v: Any?) -> String? {
        switch v {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    static func int(_ v: Any?) -> Int64? {
        switch v {
        case let n as NSNumber: return n.int64Value
        case let s as String: return Int64(s)
        default: return nil
        }
    }

    /// An AWS WAF log record. No status is logged: BLOCK answers `responseCodeSent` (a custom
    /// response) or 403, CAPTCHA 405, CHALLENGE 202 (AWS WAF's documented defaults); ALLOW and COUNT none.
    static func awsWAF(_ line: Substring) -> Result<EdgeRecord, EdgeMismatch> {
        let o: [String: Any]
        switch object(line) { case .success(let v): o = v; case .failure(let e): return .failure(e) }
        guard let action = str(o["action"]) else { return .failure("an AWS WAF record with \"action\"") }
        var r = EdgeRecord()
        switch action {
        case "BLOCK": r.status = int(o["responseCodeSent"]).map(Int.init) ?? 403
        case "CAPTCHA": r.status = 405
        case "CHALLENGE": r.status = 202
        default: r.status = 0
        }
        if let ts = int(o["timestamp"]) { r.time = epoch(ts) }
        r.fields[.action] = action
        r.fields[.ruleId] = str(o["terminatingRuleId"]) ?? ""
        r.fields[.ruleType] = str(o["terminatingRuleType"]) ?? ""
        if let groups = o["ruleGroupList"] as? [Any] {
            for case let g as [String: Any] in groups {
                if let t = g["terminatingRule"] as? [String: Any], let id = str(t["ruleId"]), !id.isEmpty {
                    r.fields[.groupRule] = id
                    break
                }
            }
        }
        if let req = o["httpRequest"] as? [String: Any] {
            r.client = str(req["clientIp"]) ?? "-"
            r.country = str(req["country"]).flatMap { $0.isEmpty || $0 == "-" ? nil : $0.uppercased() }
            r.path = str(req["uri"]).map { $0.pathOnly }
            if let headers = req["headers"] as? [Any] {
                for case let h as [String: Any] in headers where (str(h["name"]) ?? "").lowercased() == "user-agent" {
                    r.userAgent = str(h["value"])
                    break
                }
            }
        }
        if let labels = o["labels"] as? [Any] {
            let names = labels.compactMap { ($0 as? [String: Any]).flatMap { str($0["name"]) } }
            if !names.isEmpty { r.detail = "labels: " + names.prefix(4).joined(separator: ", ") }
        }
        if let rates = o["rateBasedRuleList"] as? [Any], let first = rates.first as? [String: Any],
           let limit = int(first["maxRateAllowed"]) {
            r.detail = "rate limit \(limit) per \(str(first["evaluationWindowSec"]) ?? "300") s by \(str(first["limitKey"]) ?? "key")"
        }
        return .success(r)
    }

    /// An Amazon S3 server access-log record as delivered to CloudWatch Logs: one JSON object a line (fields as
    /// "Log format in CloudWatch Logs" of the S3 User Guide names them, schema `V_1_0`: `bucket_name`, `request_time`
    /// ISO 8601, `remote_ip`, `requester`, `operation`, `key_name`, `request_uri`, `http_status`, `error_code`,
    /// `user_agent`, `signature_version`, `authentication_type`, `tls_version`, `access_point_arn`; a missing value is
    /// JSON null), read into the record the space-separated layout gives, so both map to the same causes.
    static func s3JSON(_ line: Substring) -> Result<EdgeRecord, EdgeMismatch> {
        let o: [String: Any]
        switch object(line) { case .success(let v): o = v; case .failure(let e): return .failure(e) }
        guard let status = int(o["http_status"]) else { return .failure("an S3 access-log record with \"http_status\"") }
        var r = EdgeRecord()
        r.status = Int(status)
        if let t = str(o["request_time"]) {
            let b = Array(t.utf8)
            if !b.isEmpty { r.time = b.withUnsafeBytes { LogTime.parseISO(ByteLine($0.baseAddress!, $0.count), 0, $0.count) } }
        }
        func field(_ k: String) -> String? { str(o[k]).flatMap { $0.isEmpty || $0 == "-" ? nil : $0 } }
        r.client = field("remote_ip") ?? "-"
        let key = field("key_name")
        // The Request-URI field: the request line as in the space-separated layout ("GET /b/k HTTP/1.1"), or the URI.
        if let u = field("request_uri") {
            let parts = u.split(separator: " ")
            r.path = String(parts.count >= 2 ? parts[1] : parts.first ?? "").pathOnly
        } else {
            r.path = key.map { "/" + $0 }
        }
        r.userAgent = field("user_agent")
        r.fields[.errorCode] = field("error_code") ?? "-"
        r.s3 = S3Line(bucket: field("bucket_name") ?? field("bucket_arn").map { String($0.split(separator: ":").last ?? "") } ?? "-",
                      key: key, operation: field("operation") ?? "-", requester: field("requester") ?? "-",
                      remoteIP: r.client, signatureVersion: field("signature_version") ?? "-",
                      authType: field("authentication_type") ?? "-", accessPoint: field("access_point_arn") ?? "-",
                      tls: field("tls_version") ?? "-")
        return .success(r)
    }

    /// Whether `line` is an S3 access-log record in CloudWatch's JSON form (detection).
    static func looksS3JSON(_ line: Substring) -> Bool {
        line.contains("\"http_status\"") && (line.contains("\"bucket_arn\"") || line.contains("\"schema_version_id\""))
    }

    /// The length of the prefix a CloudWatch Logs export task writes before each event (`2026-11-29T09:30:17.000Z `:
    /// the event's ingestion timestamp, then the message), when the message after it is a JSON object; 0 otherwise.
    static func cloudWatchPrefix(_ line: ByteLine) -> Int {
        // "YYYY-MM-DDThh:mm:ss" then an optional fraction, then "Z " and "{".
        guard line.count > 22, line[4] == 0x2D, line[7] == 0x2D, line[10] == 0x54, line[13] == 0x3A, line[16] == 0x3A else { return 0 }
        for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] where !(line[i] >= 48 && line[i] <= 57) { return 0 }
        var i = 19
        if i < line.count, line[i] == 0x2E {
            i += 1
            while i < line.count, line[i] >= 48, line[i] <= 57 { i += 1 }
        }
        guard i + 2 < line.count, line[i] == 0x5A, line[i + 1] == 0x20, line[i + 2] == 0x7B else { return 0 }
        return i + 2
    }

    /// A Cloudflare Logpush record: `http_requests` (EdgeResponseStatus, Security* fields) or
    /// `firewall_events` (Action, Source, RuleID, Description), read with Foundation's
    /// `JSONSerialization` (`LogsLimits.foundationJSON`: the results are those of `cloudflare(bytes:)`
    /// but for numbers beyond Int64, which the flat reader reads as absent; a test compares the two).
    static func cloudflareByFoundation(_ line: Substring) -> Result<EdgeRecord, EdgeMismatch> {
        var memo = CloudflareMemo()
        switch object(line) {
        case .success(let o):
            var r = EdgeRecord()
            if let e = cloudflare(FoundationMembers(o: o), &memo, into: &r) { return .failure(e) }
            return .success(r)
        case .failure(let e): return .failure(e)
        }
    }

    /// The texts of a Cloudflare log that repeat from record to record, memoised across one file's records.
    struct CloudflareMemo {
        /// One per member (`CloudflareKey`): what is made of a member's bytes depends on the member.
        var byKey = [TextMemo](repeating: TextMemo(), count: CloudflareKey.allCases.count)
        var detail = JoinMemo()
        /// The time field's second and zone (many records share a second: parsing each was some 500 instructions a line).
        var time = ISOSecondMemo()
    }

    /// A Cloudflare Logpush record read by `FlatJSON` from the line's bytes (invalid UTF-8 inside a
    /// value is repaired in the value, as reading the repaired line would); `tokens` are what
    /// `cloudflareTokenizer` wrote for the line on the read-ahead thread. The record is written into `r` (a
    /// fresh `EdgeRecord`); the result is why the line does not fit, or nil. (Returned in a `Result`, the
    /// record of some 350 bytes and fifteen strings was copied three times on its way out: a tenth of the
    /// scan thread of a Cloudflare log.)
    static func cloudflare(bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafePointer<Int32>?, memo: inout CloudflareMemo,
                           into r: inout EdgeRecord) -> EdgeMismatch? {
        FlatJSON.read(bytes, keys: CloudflareKey.keys, tokens: tokens) { cloudflare($0, &memo, into: &r) } ?? "a JSON object on one line"
    }

    /// The split of an ALB line (without a final `\r`, as the scan reads it) into its fields and the control-byte
    /// check, run on the read-ahead thread, as `SpacedFields.write(into:)` writes them: the split was an eighth of the
    /// scan thread's time on an ALB log, where that thread is the busier one. Split in C (`why403_split_spaced`, the same
    /// rules as `SpacedFields.init`, which the scan thread uses for the lines this thread does not reach).
    /// The control-byte check rides on the split: when the split's masks saw no control byte and no DEL in the line (a
    /// final `\r` aside, which the check allows), the line needs no pass of its own (that pass was some 320 of the 2,240
    /// instructions this tokenizer spent on a 500-byte ALB line).
    static let albTokenizer = LineTokenizer(width: SpacedFields.tokenWidth) { line, out in
        let trimmed = line.count > 0 && line[line.count - 1] == 13 ? ByteLine(line.base, line.count - 1) : line
        var suspect: Int32 = 1
        out[0] = trimmed.count < Int(Int32.max)
            ? why403_split_spaced_checked(trimmed.base, trimmed.count, out + 2, Int32(SpacedFields.maxTokenFields), &suspect) : -1
        out[1] = suspect != 0 && line.looksBinary ? 1 : 0
    }

    /// The flat reader's pass over a gathered line, run on the read-ahead thread, and the binary check
    /// (its number at `cloudflareBinaryToken`: 1 when the line looks binary; a line the C fast road read holds no such
    /// byte, so only the others are checked).
    static let cloudflareTokenizer = LineTokenizer(width: cloudflareBinaryToken + 1) { line, out in
        let fast = FlatJSON.tokenize(UnsafeBufferPointer(start: line.base, count: line.count), keys: CloudflareKey.keys, into: out)
        out[cloudflareBinaryToken] = !fast && line.looksBinary ? 1 : 0
    }
    static let cloudflareBinaryToken = FlatJSON.tokenWidth(CloudflareKey.keys)

    /// The record from its members, whichever reader parsed the line (generic, not closures: the
    /// flat reader's calls are then made directly).
    private static func cloudflare<M: CloudflareMembers>(_ m: M, _ memo: inout CloudflareMemo, into r: inout EdgeRecord) -> EdgeMismatch? {
        typealias K = CloudflareKey
        guard let status = m.integer(.edgeResponseStatus) else {
            return "a Cloudflare record with \"EdgeResponseStatus\" (include it in the Logpush job's fields)"
        }
        r.status = Int(status)
        if let key: K = m.has(.edgeStartTimestamp) ? .edgeStartTimestamp : m.has(.datetime) ? .datetime : nil {
            if let iso = m.isoTime(key, memo: &memo.time) { r.time = iso }
            else if let n = m.integer(key) { r.time = epoch(n) }
        }
        if let b = m.plainBytes(.clientIP) { r.clientBytes = b } else { r.client = m.text(.clientIP) ?? "-" }
        r.country = m.memoized(.clientCountry, &memo) { $0.text(.clientCountry).flatMap { $0.isEmpty || $0 == "-" ? nil : $0.uppercased() } }
        // The path: the first of the two members present as text, up to its query or fragment (`pathOnly`).
        if let b = m.plainBytes(.clientRequestPath) ?? (m.has(.clientRequestPath) && m.text(.clientRequestPath) != nil ? nil : m.plainBytes(.clientRequestURI)) {
            r.pathBytes = b.pathOnly
        } else {
            r.path = (m.text(.clientRequestPath) ?? m.text(.clientRequestURI)).map { $0.pathOnly }
        }
        // Many values in a real log: not memoised.
        if let b = m.plainBytes(.clientRequestUserAgent) { r.userAgentBytes = b } else { r.userAgent = m.text(.clientRequestUserAgent) }
        r.fields[.action] = m.memoized(.securityAction, &memo) { $0.text(.securityAction)?.lowercasedIfNeeded }
            ?? m.memoized(.action, &memo) { $0.text(.action)?.lowercasedIfNeeded } ?? ""
        r.fields[.source] = m.memoized(.securitySources, &memo) { $0.first(.securitySources)?.lowercasedIfNeeded }
            ?? m.memoized(.source, &memo) { $0.text(.source)?.lowercasedIfNeeded } ?? ""
        r.fields[.ruleId] = m.memoized(.securityRuleID, &memo) { $0.text(.securityRuleID) } ?? m.memoized(.ruleID, &memo) { $0.text(.ruleID) } ?? ""
        let description = m.memoized(.securityRuleDescription, &memo) { $0.text(.securityRuleDescription) }
            ?? m.memoized(.description, &memo) { $0.text(.description) } ?? ""
        r.fields[.description] = description
        if let origin = m.integer(.originResponseStatus) { r.fields[.originStatus] = EdgeParsers.statusText(Int(origin)) }
        let score = m.integer(.botScore).map(EdgeParsers.botScoreGroup)
        if description.isEmpty { r.detail = score } else { r.detail = score.map { memo.detail.joined(description, $0) } ?? description }
        return nil
    }

    /// The decimal text of a status, from a table for 0…999: `String(n)` on every record (and every rule that compares
    /// a field with the status) went through `description` and was about 1% of a Cloudflare scan's instructions.
    static func statusText(_ n: Int) -> String {
        n >= 0 && n < 1000 ? statusTexts[n] : String(n)
    }
    private static let statusTexts: [String] = (0..<1000).map { String($0) }

    /// A bot score as Cloudflare's Bot Analytics groups it (0 not computed, 1 automated, 2–29 likely automated,
    /// 30–99 likely human): the group, not the number, goes into a refusal's message, so the messages counted
    /// are one per rule and group (the line itself, quoted as evidence, keeps the number).
    static func botScoreGroup(_ n: Int64) -> String {
        switch n {
        case 0: return "bot score 0 (not computed)"
        case 1: return "bot score 1 (automated)"
        case 2...29: return "bot score 2-29 (likely automated)"
        case 30...99: return "bot score 30-99 (likely human)"
        default: return "bot score \(n)"
        }
    }

    /// The members of a Cloudflare record the reader asks for (`http_requests` and `firewall_events`).
    enum CloudflareKey: Int, CaseIterable {
        case edgeResponseStatus, edgeStartTimestamp, datetime, clientIP, clientCountry, clientRequestPath,
             clientRequestURI, clientRequestUserAgent, securityAction, action, source, securitySources,
             securityRuleID, ruleID, securityRuleDescription, description, originResponseStatus, botScore

        /// The member's name in the record.
        var name: String { CloudflareKey.keys.names[rawValue] }

        /// Every name, in case order: what `FlatJSON` keeps.
        static let keys = FlatJSON.Keys([
            "EdgeResponseStatus", "EdgeStartTimestamp", "Datetime", "ClientIP", "ClientCountry", "ClientRequestPath",
            "ClientRequestURI", "ClientRequestUserAgent", "SecurityAction", "Action", "Source", "SecuritySources",
            "SecurityRuleID", "RuleID", "SecurityRuleDescription", "Description", "OriginResponseStatus", "BotScore"])
    }

    /// A record's members as the Cloudflare reader asks for them, whichever reader parsed the line.
    protocol CloudflareMembers {
        /// The member is present (`null` included).
        func has(_ k: CloudflareKey) -> Bool
        /// A string member that is an ISO 8601 time (read through `memo` where the reader has the line's bytes).
        func isoTime(_ k: CloudflareKey, memo: inout ISOSecondMemo) -> LogTime?
        /// A string, number or boolean member as text.
        func text(_ k: CloudflareKey) -> String?
        func integer(_ k: CloudflareKey) -> Int64?
        /// The first item of an array member, as text.
        func first(_ k: CloudflareKey) -> String?
        /// What `make` reads from the member `k`, memoised by the member's bytes where the reader has them.
        func memoized(_ k: CloudflareKey, _ memo: inout CloudflareMemo, _ make: (Self) -> String?) -> String?
        /// A string member without escapes as a view of the line's bytes (what `text` would make a `String` of), or nil
        /// (any other member, or a reader without the line's bytes).
        func plainBytes(_ k: CloudflareKey) -> ByteLine?
    }

    /// The members as Foundation's `JSONSerialization` read them (`--foundation-json`, tests).
    struct FoundationMembers: CloudflareMembers {
        let o: [String: Any]
        func has(_ k: CloudflareKey) -> Bool { o[k.name] != nil }
        func isoTime(_ k: CloudflareKey, memo: inout ISOSecondMemo) -> LogTime? { (o[k.name] as? String).flatMap(iso) }
        func text(_ k: CloudflareKey) -> String? { str(o[k.name]) }
        func integer(_ k: CloudflareKey) -> Int64? { int(o[k.name]) }
        func first(_ k: CloudflareKey) -> String? { (o[k.name] as? [Any])?.first.flatMap(str) }
        func memoized(_ k: CloudflareKey, _ memo: inout CloudflareMemo, _ make: (Self) -> String?) -> String? { make(self) }
        func plainBytes(_ k: CloudflareKey) -> ByteLine? { nil }
    }
}

/// The flat reader's members by their Cloudflare names (`CloudflareKey` is their index in `keys`).
extension FlatJSON.Members: EdgeParsers.CloudflareMembers {
    func has(_ k: EdgeParsers.CloudflareKey) -> Bool { has(k.rawValue) }
    func text(_ k: EdgeParsers.CloudflareKey) -> String? { text(k.rawValue) }
    func integer(_ k: EdgeParsers.CloudflareKey) -> Int64? { integer(k.rawValue) }
    func first(_ k: EdgeParsers.CloudflareKey) -> String? { first(k.rawValue) }
    func plainBytes(_ k: EdgeParsers.CloudflareKey) -> ByteLine? { plainString(k.rawValue) }
    /// Keyed by the member's value as the line writes it (quotes, brackets, escapes and all): the same bytes read the same.
    func memoized(_ k: EdgeParsers.CloudflareKey, _ memo: inout EdgeParsers.CloudflareMemo, _ make: (Self) -> String?) -> String? {
        guard let raw = raw(k.rawValue) else { return nil }
        return memo.byKey[k.rawValue].text(raw) { make(self) }
    }

    /// Read from the line's bytes when the string has no escape (no `String` is made).
    func isoTime(_ k: EdgeParsers.CloudflareKey, memo: inout ISOSecondMemo) -> LogTime? {
        if let b = plainString(k.rawValue) { return memo.parse(b, 0, b.count) { LogTime.parseISO(b, 0, b.count) } }
        return string(k.rawValue).flatMap(EdgeParsers.iso)
    }
}

/// What an edge line lacked, in words ("an ALB entry: at least 13 fields, found 4").
struct EdgeMismatch: Error, ExpressibleByStringInterpolation {
    let text: String
    init(stringLiteral value: String) { text = value }
}
