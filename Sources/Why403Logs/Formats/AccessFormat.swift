import Why403Core

/// The fields of an access-log line that `why403 logs` uses.
public enum AccessField: String, Sendable, Hashable {
    case client, time, request, method, path, status, userAgent, referer, host, user, other
    /// A field the format says holds a secret (`$http_cookie`, `$http_authorization`, `$cookie_NAME`,
    /// `%{Cookie}i`, `%{NAME}C`): not read, and replaced by `[redacted]` in the line quoted as evidence.
    case secret
}

/// A parsed access-log line. Only lines whose status is wanted are parsed this far.
///
/// Only the fields the analysis uses become `String`s; the request line stays a byte range until a
/// correlation needs it (the hot path of a large access log makes three strings per refusal). A format's
/// line holds nothing but numbers, so copying and destroying the record (three times a refused line) is a
/// copy of plain words and one nil check: the texts of a JSON line are kept in `texts` and its values point
/// there. (With a `String` in each value, the outlined copies and destroys of the record were 4% of a 1 GiB
/// combined log's instructions.)
struct AccessRecord {
    /// A field's value: bytes of the line (formats; no `String` is made unless it is needed) or text
    /// (JSON, unescaped): its index in `texts`.
    enum Value {
        case none
        case bytes(Int, Int)
        case text(Int)
    }

    var status: Int = 0
    var time: LogTime?
    /// The request line as bytes of the line (formats) …
    var requestRange: Range<Int>?
    /// … or as text (JSON): its index in `texts`, -1 when none.
    private var requestTextIndex = -1
    /// The client address; `.none` reads as `-`.
    var client: Value = .none
    /// The URI path, query and fragment dropped.
    var path: Value = .none
    var userAgent: Value = .none
    /// The authenticated (or attempted) user; `.none` for `-`.
    var user: Value = .none
    /// The texts `.text` values and the request text point at; nil for a format's line.
    private var texts: [String]?

    /// A value holding `s` (JSON lines).
    mutating func text(_ s: String) -> Value { .text(append(s)) }

    /// Adds `s` to `texts`; returns its index.
    private mutating func append(_ s: String) -> Int {
        var t = texts ?? []
        texts = nil  // `t` is then the array's only reference: appended in place
        t.append(s)
        texts = t
        return t.count - 1
    }

    /// The request line as text (JSON), nil for a format's line.
    var requestText: String? {
        get { requestTextIndex >= 0 ? texts?[requestTextIndex] : nil }
        set {
            requestTextIndex = newValue.map { append($0) } ?? -1
        }
    }

    /// The text of `.text(i)`.
    func text(at i: Int) -> String { texts?[i] ?? "" }

    /// The request line (`GET /x HTTP/1.1`).
    func request(in line: ByteLine) -> String? {
        if let requestText { return requestText }
        return requestRange.map { line.string($0.lowerBound, $0.upperBound) }
    }

    /// A value as a counter key viewing `line` (nil for `.none`).
    func key(_ v: Value, in line: ByteLine) -> LogKey? {
        switch v {
        case .none: return nil
        case .bytes(let a, let b): return LogKey(bytes: UnsafeRawBufferPointer(start: line.base + a, count: b - a))
        case .text(let i): return LogKey(text(at: i))
        }
    }

    /// A value as text (nil for `.none`).
    func string(_ v: Value, in line: ByteLine) -> String? {
        switch v {
        case .none: return nil
        case .bytes(let a, let b): return line.string(a, b)
        case .text(let i): return text(at: i)
        }
    }

    /// The path of a request line in `line[from..<to]`, without query or fragment.
    static func path(ofRequest line: ByteLine, _ from: Int, _ to: Int) -> Value {
        let sp = line.index(of: 0x20, from: from, to: to)
        guard sp < to else { return .none }
        let start = sp + 1
        let i = line.index(of: 0x20, or: 0x3F, or: 0x23, from: start, to: to)
        return start < i ? .bytes(start, i) : .none
    }
}

/// Why a line did not match the format: which field, what it expected and what was there.
struct FormatMismatch: Error, Equatable {
    var field: String
    var expected: String
    var found: String
}

/// An access-log format: literals and fields in order, compiled from `combined`, `common`, an nginx
/// `log_format` string or an Apache `LogFormat` string; or JSON lines.
///
/// Matching is a left-to-right scan: a field ends where the literal after it starts (a quote preceded
/// by a backslash does not end a quoted field, as Apache escapes `"` as `\"`). Hand-written rather than
/// a regular expression: it runs only on candidate lines, but must not allocate per field it skips.
public struct AccessFormat: Sendable, CustomStringConvertible {
    enum Item: Sendable, Equatable {
        case literal([UInt8])
        case field(name: String, kind: AccessField)
    }

    let items: [Item]
    /// JSON lines (one object per line, flat keys).
    let isJSON: Bool
    /// The name the user knows it by (`combined`, or the format string).
    public let name: String
    /// Formats tried, in order, when this one fails (combined falls back to common).
    let fallbacks: [AccessFormat]
    /// Whether a line may go on past the format's last literal with a space and anything (fields this format does not
    /// name, not read): `combined`'s, which other formats extend at the end.
    let moreFields: Bool

    /// The format as the user named it.
    public var description: String { name }

    init(name: String, items: [Item], isJSON: Bool = false, fallbacks: [AccessFormat] = [], moreFields: Bool = false) {
        self.name = name
        self.items = items
        self.isJSON = isJSON
        self.fallbacks = fallbacks
        self.moreFields = moreFields
        var steps: [Step] = []
        var bytes: [UInt8] = []
        for (i, item) in items.enumerated() {
            switch item {
            case .literal(let lit):
                steps.append(Step(field: false, kind: .other, literalStart: bytes.count, literalCount: lit.count))
                bytes += lit
            case .field(_, let kind):
                var next = (start: 0, count: 0)
                if i + 1 < items.count, case .literal(let lit) = items[i + 1] { next = (bytes.count, lit.count); bytes += lit }
                steps.append(Step(field: true, kind: kind, literalStart: next.start, literalCount: next.count))
            }
        }
        self.steps = steps
        self.literalBytes = bytes
    }

    /// `items` as plain values for `matchesFast`: a literal's bytes, or a field with the bytes of the literal
    /// that ends it (none when it ends the line), all in `literalBytes`. (Matching over the `Item` enum, its
    /// payloads copied out item by item, was most of a refused line's parse.)
    struct Step {
        var field: Bool
        var kind: AccessField
        var literalStart: Int
        var literalCount: Int
    }
    let steps: [Step]
    let literalBytes: [UInt8]

    /// nginx's and Apache's `combined` format, and combined followed by more fields (`moreFields`: nginx's `main`, the
    /// `log_format` of nginx.org's packages, its Docker image and the RHEL family's, adds `"$http_x_forwarded_for"`;
    /// ingress-nginx's `upstreaminfo` adds the request length and time, the upstream and the request id; others add
    /// `$request_time` and the like), whose extra fields are not read. Two other layouts are tried, in this
    /// order, when a line is neither: `common`, without Referer and User-Agent; and Apache's `vhost_combined`, which
    /// starts with the virtual host and port (Debian's and Ubuntu's Apache writes every virtual host without a
    /// `CustomLog` of its own to `other_vhosts_access.log` in it). (Lines with more fields were read as `common`, whose
    /// last field ran to the end of the line, until 2026-12-07: their user agents were lost.)
    public static let combined: AccessFormat = {
        let common = try! AccessFormat.nginx("$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent", name: "common")
        let comb = try! AccessFormat.nginx(
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"",
            name: "combined")
        return AccessFormat(name: "combined", items: comb.items, fallbacks: [common, vhostCombined], moreFields: true)
    }()

    /// The Common Log Format.
    public static let common: AccessFormat = combined.fallbacks[0]

    /// Apache's `vhost_combined` (its `LogFormat` in Debian's `apache2.conf`): `combined` after `%v:%p`.
    public static let vhostCombined: AccessFormat = try! AccessFormat.apache(
        "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"", name: "vhost_combined")

    /// JSON lines, keys as nginx's `escape=json` examples and most log shippers name them.
    public static let json = AccessFormat(name: "json", items: [], isJSON: true)

    /// `combined`, `common`, `json`, an nginx `log_format` string (has `$`) or an Apache `LogFormat`
    /// string (has `%`).
    public static func parse(_ spec: String) throws -> AccessFormat {
        switch spec.trimmingSpaces {
        case "combined", "": return .combined
        case "common", "clf": return .common
        case "vhost_combined": return .vhostCombined
        case "json": return .json
        default:
            if spec.contains("%") && !spec.contains("$") { return try apache(spec) }
            return try nginx(spec)
        }
    }

    /// Compiles an nginx `log_format` string: `$name` and `${name}` variables, the rest literal.
    public static func nginx(_ spec: String, name: String? = nil) throws -> AccessFormat {
        var items: [Item] = []
        var literal: [UInt8] = []
        let b = Array(spec.utf8)
        var i = 0
        func flush() { if !literal.isEmpty { items.append(.literal(literal)); literal = [] } }
        while i < b.count {
            if b[i] == UInt8(ascii: "$") {
                var j = i + 1
                var braced = false
                if j < b.count, b[j] == UInt8(ascii: "{") { braced = true; j += 1 }
                let start = j
                while j < b.count, b[j].isIdentifier { j += 1 }
                let varName = String(decoding: b[start..<j], as: UTF8.self)
                if braced {
                    guard j < b.count, b[j] == UInt8(ascii: "}") else {
                        throw InputError(file: nil, expected: "'}' closing the variable ${\(varName)", found: "the end of --log-format")
                    }
                    j += 1
                }
                guard !varName.isEmpty else {
                    throw InputError(file: nil, expected: "a variable name after '$' in --log-format",
                                     found: InputError.quote(spec))
                }
                flush()
                if case .field = items.last {
                    throw InputError(file: nil, message: "--log-format puts $\(varName) right after another variable with nothing between them; the line cannot be split there")
                }
                items.append(.field(name: "$" + varName, kind: nginxKind(varName)))
                i = j
            } else {
                literal.append(b[i]); i += 1
            }
        }
        flush()
        return try checked(AccessFormat(name: name ?? spec, items: items))
    }

    /// Compiles an Apache `LogFormat` string: `%h`, `%>s`, `%{User-Agent}i`, … (`\"` is a quote).
    public static func apache(_ spec: String, name: String? = nil) throws -> AccessFormat {
        var items: [Item] = []
        var literal: [UInt8] = []
        let b = Array(spec.utf8)
        var i = 0
        func flush() { if !literal.isEmpty { items.append(.literal(literal)); literal = [] } }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\\"), i + 1 < b.count {
                let n = b[i + 1]
                literal.append(n == UInt8(ascii: "n") ? 10 : n == UInt8(ascii: "t") ? 9 : n)
                i += 2
            } else if c == UInt8(ascii: "%") {
                var j = i + 1
                if j < b.count, b[j] == UInt8(ascii: "%") { literal.append(c); i = j + 1; continue }
                // modifiers: <, >, status lists like !200,304
                while j < b.count, b[j] == UInt8(ascii: "<") || b[j] == UInt8(ascii: ">") || b[j] == UInt8(ascii: "!")
                    || b[j] == UInt8(ascii: ",") || (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
                var arg = ""
                if j < b.count, b[j] == UInt8(ascii: "{") {
                    guard let close = b[j...].firstIndex(of: UInt8(ascii: "}")) else {
                        throw InputError(file: nil, expected: "'}' closing %{ in --log-format", found: InputError.quote(spec))
                    }
                    arg = String(decoding: b[(j + 1)..<close], as: UTF8.self)
                    j = close + 1
                }
                guard j < b.count else {
                    throw InputError(file: nil, expected: "a directive letter after '%' in --log-format", found: "the end")
                }
                let letter = Character(UnicodeScalar(b[j]))
                flush()
                let shown = "%" + (arg.isEmpty ? "" : "{\(arg)}") + String(letter)
                if case .field = items.last {
                    throw InputError(file: nil, message: "--log-format puts \(shown) right after another directive with nothing between them; the line cannot be split there")
                }
                items.append(.field(name: shown, kind: apacheKind(letter, arg)))
                i = j + 1
            } else {
                literal.append(c); i += 1
            }
        }
        flush()
        return try checked(AccessFormat(name: name ?? spec, items: items))
    }

    static func checked(_ f: AccessFormat) throws -> AccessFormat {
        let kinds = f.items.compactMap { if case .field(_, let k) = $0 { k } else { nil } }
        guard kinds.contains(.status) else {
            throw InputError(file: nil, expected: "a status field in --log-format ($status or %s / %>s)",
                             found: InputError.quote(f.name), help: "why403 logs counts refused requests by their status")
        }
        return f
    }

    static func nginxKind(_ v: String) -> AccessField {
        switch v {
        case "remote_addr", "realip_remote_addr", "binary_remote_addr", "http_x_real_ip": .client
        case "time_local", "time_iso8601", "msec": .time
        case "request": .request
        case "request_method": .method
        case "request_uri", "uri", "document_uri": .path
        case "status": .status
        case "http_user_agent": .userAgent
        case "http_referer": .referer
        case "host", "http_host", "server_name": .host
        case "remote_user": .user
        default:
            v.hasPrefix("cookie_") || v == "sent_http_set_cookie" || v == "upstream_http_set_cookie"
                || (v.hasPrefix("http_") && Redactor.secretHeaders.contains(String(v.dropFirst(5)).replacingAll("_", with: "-")))
                ? .secret : .other
        }
    }

    static func apacheKind(_ letter: Character, _ arg: String) -> AccessField {
        switch letter {
        case "h", "a": .client
        case "t": .time
        case "r": .request
        case "m": .method
        case "U": .path
        case "s": .status
        case "v", "V": .host
        case "u": .user
        case "i":
            switch arg.lowercased() {
            case "user-agent": .userAgent
            case "referer": .referer
            case "host": .host
            default: Redactor.secretHeaders.contains(arg.lowercased()) ? .secret : .other
            }
        case "C": .secret
        case "o": arg.lowercased() == "set-cookie" ? .secret : .other
        default: .other
        }
    }

    /// Whether a field of this format holds a secret (`AccessField.secret`).
    var hasSecretFields: Bool {
        items.contains { if case .field(_, .secret) = $0 { true } else { false } }
    }

    /// The line's text with every secret field's value replaced by `[redacted]` (the line as evidence); nil when the line
    /// does not fit this format (then no field of it is known to be a secret).
    func redactingSecretFields(_ line: ByteLine) -> String? {
        var ranges: [(Int, Int)] = []
        var rec = AccessRecord()
        let mismatch = matchItems(line, into: &rec) { kind, from, to in
            if kind == .secret, to > from, !(to - from == 1 && line[from] == 0x2D) { ranges.append((from, to)) }
        }
        guard mismatch == nil else { return nil }
        var out = ""
        var at = 0
        for (from, to) in ranges {
            out += line.string(at, from) + Redactor.mark
            at = to
        }
        return out + line.string(at, line.count)
    }

    /// The bytes every line with status `code` holds, for the pre-filter: the status with the bytes
    /// that surround it in the format (`" 403 "` for combined), or the bare code where the format
    /// does not fix them (JSON). INVARIANT: every line this format parses with that status contains it.
    func needle(forStatus code: Int) -> [UInt8] {
        let digits = Array(String(code).utf8)
        guard !isJSON, let idx = items.firstIndex(where: { if case .field(_, .status) = $0 { true } else { false } })
        else { return digits }
        var out = digits
        if idx > 0, case .literal(let before) = items[idx - 1], let last = before.last { out.insert(last, at: 0) }
        if idx + 1 < items.count, case .literal(let after) = items[idx + 1], let first = after.first { out.append(first) }
        // Fallbacks must contain the needle too: common's status is followed by a space as combined's is.
        return out
    }

    // MARK: matching

    /// Parses `line`, or says which field did not match.
    func match(_ line: ByteLine) -> Result<AccessRecord, FormatMismatch> {
        var rec = AccessRecord()
        if let m = match(line, into: &rec) { return .failure(m) }
        return .success(rec)
    }

    /// Parses `line` into `rec` (the hot path: no `Result` of a large record copied out); returns what
    /// did not match, or nil.
    /// `times`: the memo of the time fields read last by this thread (`TimeMemo`), or nil.
    func match(_ line: ByteLine, into rec: inout AccessRecord, fast: Bool = true, times: TimeMemo? = nil) -> FormatMismatch? {
        if isJSON {
            switch JSONLine.parse(line) {
            case .success(let r): rec = r; return nil
            case .failure(let m): return m
            }
        }
        if fast {
            // The fallbacks before the reasons: a line of a fallback's layout (Debian's vhost_combined) is read in two
            // passes, not three. (`matchesFast` and `matchItems` agree, so the order changes no result.)
            if matchesFast(line, into: &rec, times: times) { return nil }
            for f in fallbacks {
                rec = AccessRecord()
                if f.matchesFast(line, into: &rec, times: times) { return nil }
            }
            rec = AccessRecord()
            return matchItems(line, into: &rec)
        }
        rec = AccessRecord()
        guard let first = matchItems(line, into: &rec) else { return nil }
        for f in fallbacks {
            rec = AccessRecord()
            if f.matchItems(line, into: &rec) == nil { return nil }
        }
        return first
    }

    /// `matchItems` without the reasons: true when the line matches, with `rec` filled exactly as
    /// `matchItems` fills it (the same steps in the same order over `steps`); on false, `rec` is partly filled
    /// and `matchItems` says why. (`FastPathTests` holds the two equal on thousands of mutated lines; the logs fuzz
    /// harness compares whole reports read with and without it.)
    func matchesFast(_ line: ByteLine, into rec: inout AccessRecord, times: TimeMemo? = nil) -> Bool {
        steps.withUnsafeBufferPointer { st in
            literalBytes.withUnsafeBufferPointer { lit in
                let base = lit.baseAddress ?? UnsafePointer(bitPattern: 1)!
                let n = line.count
                var pos = 0
                // True when the field just read ended where the literal of the step after it was found: that
                // literal is known to be there (a field's end literal is always the next step's).
                var found = false
                for s in st {
                    if !s.field {
                        if found { pos += s.literalCount; found = false; continue }
                        guard pos + s.literalCount <= n, ByteLine.equal(line.base + pos, base + s.literalStart, s.literalCount)
                        else { return false }
                        pos += s.literalCount
                        continue
                    }
                    var end = n
                    if s.literalCount > 0 {
                        guard let e = findLiteral(base + s.literalStart, s.literalCount, in: line, from: pos) else { return false }
                        end = e
                        found = true
                    }
                    guard assign(s.kind, line, pos, end, &rec, times) == nil else { return false }
                    pos = end
                }
                if pos < n, !(pos == n - 1 && line[pos] == 0x0D), let last = st.last, !last.field, !(moreFields && line[pos] == 0x20) {
                    return false
                }
                return true
            }
        }
    }

    /// Where the literal that ends a field starts, at or after `from` (both matchers): a quote preceded by a
    /// backslash inside the field does not end it, as Apache escapes `"` as `\"`.
    @inline(__always)
    private func findLiteral(_ lit: UnsafePointer<UInt8>, _ count: Int, in line: ByteLine, from: Int) -> Int? {
        var from = from
        while let e = line.firstIndex(of: lit, count: count, from: from) {
            if lit[0] == 0x22, e > 0, line[e - 1] == 0x5C, e - 1 >= from { from = e + 1; continue }
            return e
        }
        return nil
    }

    /// `visit`, when given, is told each field's kind and range as it is read (`redactingSecretFields`).
    func matchItems(_ line: ByteLine, into rec: inout AccessRecord, visit: ((AccessField, Int, Int) -> Void)? = nil) -> FormatMismatch? {
        var pos = 0
        var i = 0
        while i < items.count {
            switch items[i] {
            case .literal(let lit):
                guard line.has(lit, at: pos) else {
                    return FormatMismatch(field: "the text " + InputError.quote(String(decoding: lit, as: UTF8.self)),
                                          expected: "", found: foundText(line, pos))
                }
                pos += lit.count
                i += 1
            case .field(let name, let kind):
                var end = line.count
                if i + 1 < items.count, case .literal(let next) = items[i + 1] {
                    guard let e = next.withUnsafeBufferPointer({ findLiteral($0.baseAddress!, $0.count, in: line, from: pos) }) else {
                        return FormatMismatch(field: name, expected: "\(name) followed by "
                                                  + InputError.quote(String(decoding: next, as: UTF8.self)),
                                              found: foundText(line, pos))
                    }
                    end = e
                }
                visit?(kind, pos, end)
                if let problem = assign(kind, line, pos, end, &rec, nil) {
                    return FormatMismatch(field: name, expected: problem, found: foundText(line, pos, end))
                }
                pos = end
                i += 1
            }
        }
        // Trailing bytes after the last item: tolerated when the format ends with a field (already to
        // the end), else they must be nothing but a carriage return.
        if pos < line.count, !(pos == line.count - 1 && line[pos] == 0x0D), !(moreFields && line[pos] == 0x20) {
            if case .literal = items.last {
                return FormatMismatch(field: "the end of the line", expected: "", found: foundText(line, pos))
            }
        }
        return nil
    }

    private func foundText(_ line: ByteLine, _ from: Int, _ to: Int? = nil) -> String {
        let end = min(to ?? line.count, from + 40, line.count)
        if from >= line.count { return "the end of the line" }
        return InputError.quote(line.string(from, end), limit: 40)
    }

    /// Whether `line[from..<to]` holds a space: eight bytes a step (an exact zero-byte test on `word ^ 0x20…`, the last
    /// load overlapping), bytewise below eight; a client field is read on every refused line.
    @inline(__always)
    static func hasSpace(_ line: ByteLine, _ from: Int, _ to: Int) -> Bool {
        let n = to - from
        guard n >= 8 else {
            var i = from
            while i < to { if line[i] == 0x20 { return true }; i += 1 }
            return false
        }
        @inline(__always) func spaced(_ w: UInt64) -> Bool {
            let x = w ^ 0x2020_2020_2020_2020
            return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
        }
        let raw = UnsafeRawPointer(line.base)
        var i = from
        while i + 8 <= to {
            if spaced(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i += 8
        }
        return i < to && spaced(raw.loadUnaligned(fromByteOffset: to - 8, as: UInt64.self))
    }

    /// Stores a field; returns what was expected when the text cannot be that field.
    private func assign(_ kind: AccessField, _ line: ByteLine, _ from: Int, _ to: Int, _ rec: inout AccessRecord, _ times: TimeMemo?) -> String? {
        switch kind {
        case .status:
            guard to - from == 3, let s = line.integer(from, to) else { return "a 3-digit status" }
            rec.status = s
        case .time:
            let parsed: LogTime? = if let times { times.parse(line, from, to) } else { LogTime.parseAny(line, from, to) }
            guard let t = parsed else { return "a time like 10/Oct/2000:13:55:36 -0700" }
            rec.time = t
        case .client:
            // An address or a host name (Apache's HostnameLookups) has no space: a line whose first field does is of
            // another format (`vhost_combined`'s `host:port address` read as `combined` took both for the client).
            if AccessFormat.hasSpace(line, from, to) { return "a client address (no space in it)" }
            rec.client = .bytes(from, to)
        case .request:
            rec.requestRange = from..<to
            if case .none = rec.path { rec.path = AccessRecord.path(ofRequest: line, from, to) }
        case .path:
            var end = from
            while end < to, line[end] != 0x3F, line[end] != 0x23 { end += 1 }
            rec.path = .bytes(from, end)
        case .userAgent: rec.userAgent = .bytes(from, to)
        case .method, .referer, .host, .secret: break
        case .user:
            rec.user = to == from || (to - from == 1 && line[from] == 0x2D) ? .none : .bytes(from, to)
        case .other: break
        }
        return nil
    }
}

/// Flat JSON objects, one per line (`log_format escape=json`, log shippers). Hand-written: only the
/// few keys below are read, on candidate lines only, with no allocation for the keys skipped.
enum JSONLine {
    static func parse(_ line: ByteLine) -> Result<AccessRecord, FormatMismatch> {
        var rec = AccessRecord()
        var i = 0
        func skipSpace() { while i < line.count, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x0D { i += 1 } }
        func fail(_ expected: String) -> Result<AccessRecord, FormatMismatch> {
            .failure(FormatMismatch(field: "JSON", expected: expected,
                                    found: i < line.count ? InputError.quote(line.string(i, min(i + 40, line.count)), limit: 40) : "the end of the line"))
        }
        /// Reads a string; returns its content range (escapes kept) or nil.
        func readString() -> (Int, Int)? {
            guard i < line.count, line[i] == 0x22 else { return nil }
            i += 1
            let start = i
            while i < line.count {
                if line[i] == 0x5C { i += 2; continue }
                if line[i] == 0x22 { let r = (start, i); i += 1; return r }
                i += 1
            }
            return nil
        }
        skipSpace()
        guard i < line.count, line[i] == 0x7B else { return fail("a JSON object '{'") }
        i += 1
        var sawStatus = false
        while true {
            skipSpace()
            if i < line.count, line[i] == 0x7D { break }
            guard let (ks, ke) = readString() else { return fail("a JSON key") }
            skipSpace()
            guard i < line.count, line[i] == 0x3A else { return fail("':' after a JSON key") }
            i += 1
            skipSpace()
            var vs = i, ve = i
            var isString = false
            if let (s, e) = readString() { vs = s; ve = e; isString = true }
            else if i < line.count, line[i] == 0x7B || line[i] == 0x5B {
                // nested value: skip balanced brackets (strings inside are skipped whole)
                var depth = 0
                while i < line.count {
                    let c = line[i]
                    if c == 0x22 { _ = readString(); continue }
                    if c == 0x7B || c == 0x5B { depth += 1 } else if c == 0x7D || c == 0x5D { depth -= 1; if depth == 0 { i += 1; break } }
                    i += 1
                }
                ve = i
            } else {
                while i < line.count, line[i] != 0x2C, line[i] != 0x7D, line[i] != 0x20 { i += 1 }
                ve = i
                if vs == ve { return fail("a JSON value") }
            }
            let key = line.string(ks, ke)
            let value: () -> String = { isString ? unescape(line.string(vs, ve)) : line.string(vs, ve) }
            switch key {
            case "status", "status_code", "response", "http_status":
                guard ve - vs == 3, let s = line.integer(vs, ve) else {
                    return .failure(FormatMismatch(field: "\"\(key)\"", expected: "a 3-digit status",
                                                   found: InputError.quote(line.string(vs, ve), limit: 40)))
                }
                rec.status = s; sawStatus = true
            case "remote_addr", "client", "client_ip", "clientip", "ip", "remote_ip", "realip_remote_addr":
                rec.client = rec.text(value())
            case "time", "time_local", "time_iso8601", "@timestamp", "timestamp", "msec", "ts":
                rec.time = LogTime.parseAny(line, vs, ve)
            case "request":
                let r = value()
                rec.requestText = r
                let parts = r.split(separator: " ", maxSplits: 2)
                if parts.count >= 2, case .none = rec.path { rec.path = rec.text(String(parts[1]).pathOnly) }
            case "request_uri", "uri", "path", "url": rec.path = rec.text(value().pathOnly)
            case "http_user_agent", "user_agent", "agent", "ua": rec.userAgent = rec.text(value())
            case "remote_user", "user":
                let u = value()
                rec.user = u == "-" || u.isEmpty ? .none : rec.text(u)
            default: break
            }
            skipSpace()
            if i < line.count, line[i] == 0x2C { i += 1; continue }
            if i < line.count, line[i] == 0x7D { break }
            return fail("',' or '}' in the JSON object")
        }
        guard sawStatus else {
            return .failure(FormatMismatch(field: "\"status\"", expected: "a \"status\" key in the JSON object", found: "none"))
        }
        return .success(rec)
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var it = s.unicodeScalars.makeIterator()
        while let c = it.next() {
            guard c == "\\", let n = it.next() else { out.unicodeScalars.append(c); continue }
            switch n {
            case "n": out += "\n"
            case "t": out += "\t"
            case "u":
                var hex = ""
                for _ in 0..<4 { if let h = it.next() { hex.unicodeScalars.append(h) } }
                if let v = UInt32(hex, radix: 16), let u = UnicodeScalar(v) { out.unicodeScalars.append(u) }
            default: out.unicodeScalars.append(n)
            }
        }
        return out
    }
}

extension UInt8 {
    var isIdentifier: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) || self == 0x5F
    }
}
