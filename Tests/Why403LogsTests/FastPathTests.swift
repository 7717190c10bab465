import XCTest
import Foundation
import Why403Core
@testable import Why403Logs
import CWhy403Scan
import Why403TestSupport

/// The refused line's fast paths against their plain definitions: the format matcher without reasons
/// (`matchesFast`) against the one that gives them, the key hash of a line's bytes against the hash of the
/// same `String`, the vector control-byte check against the byte rule, the time memo against the time reader, and the
/// in-place time reader against the calendar.
final class FastPathTests: XCTestCase {
    /// A seeded generator: a failure here reproduces.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` lines, each a random seed with one to three bytes removed, inserted or replaced from `alphabet`.
    private func mutated(_ seeds: [String], alphabet: [UInt8], count: Int, _ rng: inout SplitMix) -> [[UInt8]] {
        (0..<count).map { _ in
            var l = Array(seeds.randomElement(using: &rng)!.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !l.isEmpty {
                let i = Int.random(in: 0..<l.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: l.remove(at: i)
                case 1: l.insert(alphabet.randomElement(using: &rng)!, at: i)
                default: l[i] = alphabet.randomElement(using: &rng)!
                }
            }
            return l
        }
    }

    private func describe(_ v: AccessRecord.Value, of r: AccessRecord) -> String {
        switch v {
        case .none: "none"
        case .bytes(let a, let b): "bytes(\(a),\(b))"
        case .text(let i): "text(\(r.text(at: i)))"
        }
    }

    private func describe(_ r: AccessRecord) -> String {
        "\(r.status) \(String(describing: r.time)) \(String(describing: r.requestRange)) \(describe(r.client, of: r)) "
            + "\(describe(r.path, of: r)) \(describe(r.userAgent, of: r)) \(describe(r.user, of: r)) \(String(describing: r.requestText))"
    }

    func testTheFastMatcherAgreesWithTheOneThatGivesReasons() throws {
        let formats: [AccessFormat] = [
            .combined, .common, .vhostCombined,
            try AccessFormat.parse(#"$remote_addr [$time_iso8601] $host "$request" $status $request_time "$http_user_agent""#),
            try AccessFormat.parse(#"%v %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""#),
            try AccessFormat.parse(#"$remote_addr "$request_uri" $status [$time_local]"#),
        ]
        let seeds = [
            #"203.0.113.9 - - [29/Nov/2026:09:31:00 +0100] "GET /admin/?x=1 HTTP/1.1" 403 12 "-" "curl/8.4.0""#,
            #"2001:db8::42 - frank [01/Jan/2026:00:00:59 -0530] "POST /a\"b HTTP/1.1" 403 0 "https://r.test/" "Mozilla/5.0 \"x\"""#,
            #"198.51.100.7 - - [29/Nov/2026:09:31:00 +0100] "GET /private HTTP/1.0" 403 0"#,
            #"10.1.2.3 [2026-11-29T09:30:17+00:00] shop.test "POST /api/orders HTTP/1.1" 403 0.004 "python-requests/2.31""#,
            #"shop.test 10.9.8.7 - - [29/Nov/2026:09:30:17 +0000] "GET /a\"b HTTP/1.1" 403 12 "-" "Wget/1.21""#,
            #"10.0.0.1 "/x?y#z" 403 [29/Nov/2026:09:30:17 +0000]"#,
            #"www.example.com:443 203.0.113.9 - - [29/Nov/2026:09:30:00 +0000] "GET /admin/ HTTP/1.1" 403 437 "-" "curl/8.4.0""#,
            #"203.0.113.9 - - [29/Nov/2026:09:31:00 +0100] "GET /a HTTP/1.1" 403 12 "-" "curl/8.4.0" "198.51.100.1, 10.0.0.1""#,
        ]
        let alphabet = Array(#" "\[]-/:+0123456789abcXYZ?#"#.utf8) + [13, 9, 0]
        var rng = SplitMix(state: 403)
        let lines: [[UInt8]] = seeds.map { Array($0.utf8) } + seeds.map { Array(($0 + "\r").utf8) }
            + mutated(seeds, alphabet: alphabet, count: 4_000, &rng)
        var matched = 0
        for f in formats {
            for l in lines {
                l.withUnsafeBytes { b in
                    let line = ByteLine(b.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, b.count)
                    var fast = AccessRecord(), slow = AccessRecord()
                    let ok = f.matchesFast(line, into: &fast)
                    let mismatch = f.matchItems(line, into: &slow)
                    XCTAssertEqual(ok, mismatch == nil, "\(f.name): \(String(decoding: l, as: UTF8.self))")
                    if ok && mismatch == nil {
                        matched += 1
                        XCTAssertEqual(describe(fast), describe(slow), "\(f.name): \(String(decoding: l, as: UTF8.self))")
                    }
                }
            }
        }
        XCTAssertGreaterThan(matched, 2_000, "the mutated lines should still match often")
    }

    func testAKeyHashesTheSameFromBytesAsFromItsString() {
        var rng = SplitMix(state: 1)
        for n in 0...48 {
            for _ in 0..<20 {
                let bytes = (0..<n).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
                let s = String(decoding: bytes, as: UTF8.self)
                let fromBytes = bytes.withUnsafeBytes { LogKey(bytes: $0) }
                XCTAssertEqual(fromBytes.hash, TopK.fingerprint(s).hash, "length \(n)")
                XCTAssertEqual(fromBytes.hash, LogKey(s).hash)
                if n > 0 {
                    var other = bytes
                    other[Int.random(in: 0..<n, using: &rng)] ^= 0x01
                    XCTAssertNotEqual(other.withUnsafeBytes { LogKey(bytes: $0) }.hash, fromBytes.hash, "length \(n)")
                }
            }
        }
        // Not ASCII: hashed in NFC, so canonically equal spellings share a hash.
        let composed = Array("/caf\u{E9}".utf8), decomposed = Array("/cafe\u{301}".utf8)
        XCTAssertEqual(composed.withUnsafeBytes { LogKey(bytes: $0) }.hash, decomposed.withUnsafeBytes { LogKey(bytes: $0) }.hash)
    }

    /// The client field's space check, eight bytes a step, against a byte loop: every length to 40, every position.
    func testTheClientSpaceCheckFollowsTheByteRule() {
        var rng = SplitMix(state: 20)
        for n in 0...40 {
            for trial in 0..<(n + 20) {
                var bytes = (0..<(n + 6)).map { _ in UInt8.random(in: 0x21...0xFF, using: &rng) }
                if trial < n { bytes[3 + trial] = 0x20 }  // one space at each position of the field
                else if trial % 3 == 0 { bytes[2] = 0x20; bytes[3 + n] = 0x20 }  // spaces just outside it
                let want = bytes[3..<(3 + n)].contains(0x20)
                let got = bytes.withUnsafeBytes { AccessFormat.hasSpace(ByteLine($0.baseAddress!, $0.count), 3, 3 + n) }
                XCTAssertEqual(got, want, "\(n) \(trial)")
            }
        }
    }

    func testTheControlByteCheckFollowsTheByteRule() {
        func rule(_ b: UInt8) -> Bool { b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B) || b == 0x7F }
        var rng = SplitMix(state: 7)
        for n in 0...70 {
            for _ in 0..<40 {
                var bytes = (0..<n).map { _ in UInt8.random(in: 0x20...0xFF, using: &rng) }
                if n > 0 && Bool.random(using: &rng) {
                    bytes[Int.random(in: 0..<n, using: &rng)] = UInt8.random(in: 0...0x20, using: &rng)
                }
                if n > 0 && Int.random(in: 0..<4, using: &rng) == 0 { bytes[n - 1] = [0x7F, 0x00, 0x1B, 0x09].randomElement(using: &rng)! }
                let want = bytes.contains(where: rule)
                let got = bytes.withUnsafeBytes { ByteLine($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, n).looksBinary }
                XCTAssertEqual(got, want, "\(bytes)")
            }
        }
    }

    /// The memo of the last time field (`TimeMemo`) gives what `LogTime.parseAny` gives, over runs of one time, times one
    /// byte apart at every position, every length up to 40 (the remembered 8-32 and the others), valid or not.
    func testTheTimeMemoReadsAsTheParser() {
        var rng = SplitMix(state: 29)
        let memo = TimeMemo()
        let base = Array("[29/Nov/2026:09:30:17 +0000] 2026-11-29T09:30:17.125+01:00 1764408617.5 junk".utf8)
        var checked = 0
        func check(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                let line = ByteLine(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, bytes.count)
                XCTAssertEqual(memo.parse(line, 0, bytes.count), LogTime.parseAny(line, 0, bytes.count), String(decoding: bytes, as: UTF8.self))
            }
            checked += 1
        }
        for n in 0...40 {
            for start in stride(from: 0, to: base.count - n, by: 7) {
                let field = Array(base[start..<(start + n)])
                check(field); check(field)  // a run: the second is the memo's
                for i in 0..<n {
                    var other = field
                    other[i] = other[i] ^ UInt8(1 << Int.random(in: 0..<7, using: &rng))
                    check(other); check(field)
                }
            }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }

    /// The memo of a time field's second and zone (`ISOSecondMemo`) gives what the ALB reader's plain path gives
    /// (`parseISO` for an ASCII field of more than 19 bytes, else the text reader), over runs of one second with other
    /// fractions, zones and lengths, single bytes changed anywhere (non-ASCII ones too), and fields of every length.
    func testTheSecondMemoReadsAsTheParser() {
        var rng = SplitMix(state: 41)
        var memo = ISOSecondMemo()
        let bases = ["2026-11-29T09:30:17.123456Z", "2026-11-29T09:30:17.654321Z", "2026-11-29T09:30:17Z", "2026-11-29T09:30:17.5+01:00",
                     "2026-11-29T09:30:17.5-0530", "2026-11-29 09:30:18.000001Z", "2026-11-29T09:30:17.", "2026-11-29T09:30:17.123456789012Z",
                     "2026-11-29T09:30:17.1+01:00 trailing", "2026-13-29T09:30:17.1Z", "2026-11-29T09:30:17.1\u{E9}Z"]
        let alphabet = Array("0123456789.:+-TZ x".utf8) + [0xC3, 0xA9, 0x80]
        var checked = 0
        func check(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                let line = ByteLine(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, bytes.count)
                let n = bytes.count
                let want: LogTime? = n > 19 && !bytes.contains { $0 >= 0x80 } ? LogTime.parseISO(line, 0, n)
                    : EdgeParsers.iso(String(decoding: bytes, as: UTF8.self))
                let got = memo.parse(line, 0, n) { EdgeParsers.iso(String(decoding: bytes, as: UTF8.self)) }
                XCTAssertEqual(got, want, String(decoding: bytes, as: UTF8.self))
            }
            checked += 1
        }
        // Each mutated field after an unchanged one: runs of one second (hits) and near misses.
        for b in mutated(bases, alphabet: alphabet, count: 10_000, &rng) {
            check(Array(bases.randomElement(using: &rng)!.utf8))
            check(b)
        }
        XCTAssertEqual(checked, 20_000)
    }

    func testTheCommonTimeAgreesWithTheCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var rng = SplitMix(state: 11)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        for _ in 0..<2_000 {
            let y = Int.random(in: 1970...2099, using: &rng), mo = Int.random(in: 1...12, using: &rng), d = Int.random(in: 1...28, using: &rng)
            let h = Int.random(in: 0...23, using: &rng), mi = Int.random(in: 0...59, using: &rng), s = Int.random(in: 0...59, using: &rng)
            let oh = Int.random(in: 0...14, using: &rng), om = [0, 30, 45].randomElement(using: &rng)!, west = Bool.random(using: &rng)
            let text = "\(two(d))/\(months[mo - 1])/\(y):\(two(h)):\(two(mi)):\(two(s)) \(west ? "-" : "+")\(two(oh))\(two(om))"
            let wall = Int64(calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))!.timeIntervalSince1970)
            let offset = Int64(oh * 3600 + om * 60) * (west ? -1 : 1)
            let t = Array(text.utf8).withUnsafeBytes { LogTime.parseCommon(ByteLine($0.baseAddress!, $0.count), 0, $0.count) }
            XCTAssertEqual(t, LogTime(utc: wall - offset, wall: wall), text)
        }
        // Any position that must be a digit, a separator or a month, spoiled: no time.
        let good = Array("29/Nov/2026:09:31:00 +0100".utf8)
        for i in 0..<20 {
            var bad = good
            bad[i] = i == 3 ? UInt8(ascii: "n") : UInt8(ascii: "x")
            XCTAssertNil(bad.withUnsafeBytes { LogTime.parseCommon(ByteLine($0.baseAddress!, $0.count), 0, $0.count) }, String(decoding: bad, as: UTF8.self))
        }
        // A spoiled offset leaves the wall time as UTC, as before.
        let noZone = Array("29/Nov/2026:09:31:00 +01x0".utf8).withUnsafeBytes { LogTime.parseCommon(ByteLine($0.baseAddress!, $0.count), 0, $0.count) }
        XCTAssertEqual(noZone?.utc, noZone?.wall)
    }

    func testTheTopFewAreTheFirstOfTheFullOrder() {
        var rng = SplitMix(state: 5)
        for keys in [1, 7, 80, 600, 3_000] {
            var counter = TopK(capacity: 10_000)
            var counts: [String: Int] = [:]
            for _ in 0..<(keys * 3) {
                let k = "k\(Int.random(in: 0..<keys, using: &rng))"
                let by = Int.random(in: 1...3, using: &rng)
                counter.add(k, by: by)
                counts[k, default: 0] += by
            }
            let full = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            for n in [1, 2, 5, 10, 32, 64, 100, keys + 1] {
                XCTAssertEqual(counter.top(n).map(\.key), full.prefix(n).map(\.key), "\(keys) keys, top \(n)")
                XCTAssertEqual(counter.top(n).map(\.count), full.prefix(n).map(\.value), "\(keys) keys, top \(n)")
            }
        }
    }

    func testReportsAreTheSameWithTheReasonedMatcherOnly() throws {
        for name in ["nginx-access.log", "apache-access.log"] {
            let text = try String(contentsOfFile: recorded(name), encoding: .utf8)
            var reasoned = LogsLimits()
            reasoned.reasonedMatchOnly = true
            var small = LogsLimits()
            small.fullyParsedLines = 3
            var smallReasoned = small
            smallReasoned.reasonedMatchOnly = true
            XCTAssertEqual(jsonString(try analyzeText(text, chunk: 97, statuses: [401, 403, 429])),
                           jsonString(try analyzeText(text, chunk: 97, statuses: [401, 403, 429], limits: reasoned)), name)
            XCTAssertEqual(jsonString(try analyzeText(text, statuses: [401, 403], limits: small)),
                           jsonString(try analyzeText(text, statuses: [401, 403], limits: smallReasoned)), name)
        }
    }

    func testTheRulesByteSearchFindsWhatAPlainSearchFinds() {
        var rng = SplitMix(state: 9)
        let pieces = ["a", "b", "ab", "challenge", "chal", "é", " ", "-", "managed_challenge", "x"]
        for _ in 0..<3_000 {
            let hay = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let needle = (0..<Int.random(in: 0...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let h = Array(hay.utf8), n = Array(needle.utf8)
            let want = !n.isEmpty && h.count >= n.count && (0...(h.count - n.count)).contains { Array(h[$0..<($0 + n.count)]) == n }
            XCTAssertEqual(EdgeRules.holdsBytes(hay, needle), want, "\(hay) / \(needle)")
        }
    }

    /// The memo of rules (`EdgeRules.Memo`) gives what matching and naming give, on every format's table, for records whose
    /// values repeat as the same `String`s (hits), as fresh equal copies, and as other values; ids and statuses included.
    func testTheRuleMemoGivesWhatMatchingGives() {
        var rng = SplitMix(state: 31)
        let pool = ["", "-", "block", "managedChallenge", "challenge", "country", "ip", "firewallCustom", "waf", "waf,forward",
                    "authenticate", "fixed-response", "Ambiguous", "403", "401", "AccessDenied", "SlowDown", "ClientGeoBlocked",
                    "6", "14", "RATE_BASED", "BLOCK", "CAPTCHA", "Default_Action", "AWSManagedRulesBotControlRuleSet#x", "caf\u{E9}",
                    "cafe\u{301}", "2f6c1e0b4a8b4f0e9a1d3c5b7e9f0a1b-a-long-rule-id"]
        for format in [LogInputFormat.awsWAF, .alb, .cloudfront, .s3Access, .cloudflare, .iis, .combined] {
            let table = EdgeRules.table(format)
            var memo = EdgeRules.Memo(table)
            var held: [EdgeRecord] = []
            for _ in 0..<3_000 {
                var rec: EdgeRecord
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where !held.isEmpty: rec = held.randomElement(using: &rng)!  // the same strings again
                case 1 where !held.isEmpty:  // equal values, fresh storage
                    rec = held.randomElement(using: &rng)!
                    for f in EdgeField.allCases { rec.fields[f] = String(decoding: Array(rec[f].utf8), as: UTF8.self) }
                default:
                    rec = EdgeRecord()
                    rec.status = [401, 403, 407, 429, 451, 503].randomElement(using: &rng)!
                    for f in EdgeField.allCases where Bool.random(using: &rng) { rec.fields[f] = pool.randomElement(using: &rng)! }
                    held.append(rec)
                }
                let want = EdgeRules.matchIndex(table, rec)
                var wantName = EdgeRules.name(table[want], rec, format: format)
                if wantName.isEmpty { wantName = format.rawValue }
                let got = memo.match(table, rec, format: format)
                XCTAssertEqual(got.index, want, "\(format) \(rec.status) \(EdgeField.allCases.map { rec[$0] })")
                XCTAssertEqual(Array(got.name.utf8), Array(wantName.utf8), "\(format)")
            }
        }
    }

    func testAnALBLineSplitAheadReadsAsOneSplitByTheScan() throws {
        let sample = try String(contentsOf: Fixtures.url("logs/edge/alb.log"), encoding: .utf8)
        let seeds = sample.split(separator: "\n").map(String.init)
        var rng = SplitMix(state: 13)
        let alphabet = Array(#" "[]\-:403x"#.utf8) + [13, 9, 0]
        var lines = seeds + mutated(seeds, alphabet: alphabet, count: 600, &rng).map { String(decoding: $0, as: UTF8.self) }
        lines.append(String(repeating: "f ", count: 45) + "403 x")  // more fields than the tokens hold
        func report(_ tokenize: Bool) throws -> String {
            var limits = LogsLimits()
            limits.fullyParsedLines = 2
            limits.tokenizeEveryLine = tokenize
            let data = Array((lines.joined(separator: "\n") + "\n").utf8)
            var r = try LogsAnalyzer().analyze(data: data, name: "alb.log", chunkSize: 1 << 20,
                                               input: LogsAnalyzer.Input(paths: ["alb.log"], statuses: [403, 460, 502], limits: limits,
                                                                         inputFormat: .alb))
            r.notes = []
            return jsonString(r)
        }
        XCTAssertEqual(try report(false), try report(true))
    }

    /// The ALB reader's views of the client, path and user agent (`views: true`) make the keys the `String`s made: the
    /// same text and hash, on the sample and on mutated lines (ports, IPv6 brackets, absolute targets, `-`, non-ASCII,
    /// invalid UTF-8), and the same status and time as read through their text.
    func testTheALBReadersViewsMakeTheKeysItsStringsMake() throws {
        let sample = try String(contentsOf: Fixtures.url("logs/edge/alb.log"), encoding: .utf8)
        var seeds = sample.split(separator: "\n").map(String.init)
        seeds += seeds.map { $0.replacingOccurrences(of: "GET https://", with: "GET http://x") }
        var rng = SplitMix(state: 31)
        let alphabet = Array(#" "[]-:/?#403xZ.+"#.utf8) + [0xC3, 0xA9, 0xFF, 0x80]
        var lines = seeds.map { Array($0.utf8) } + mutated(seeds, alphabet: alphabet, count: 3_000, &rng)
        lines.append(Array(#"h2 2026-11-29T09:30:00.123456Z app/x [2001:db8::1]:443 10.0.0.1:80 0.0 0.0 0.0 403 - 0 0 "GET https://h:443 HTTP/1.1" "-" - -"#.utf8))
        func key(_ b: ByteLine?, _ s: String?) -> (String, UInt64)? {
            let k = b.map(LogKey.init(line:)) ?? s.map { LogKey($0) }
            return k.map { ($0.text, $0.hash) }
        }
        var compared = 0
        for line in lines {
            line.withUnsafeBytes { raw in
                let l = ByteLine(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, raw.count)
                var a = EdgeRecord(), b = EdgeRecord()
                let ma = EdgeParsers.alb(l, views: true, into: &a), mb = EdgeParsers.alb(l, views: false, into: &b)
                XCTAssertEqual(ma?.text, mb?.text, String(decoding: line, as: UTF8.self))
                guard ma == nil else { return }
                compared += 1
                XCTAssertEqual(a.status, b.status)
                XCTAssertEqual(a.time, b.time)
                let (ca, cb) = (key(a.clientBytes, a.client), key(b.clientBytes, b.client))
                XCTAssertEqual(ca?.0, cb?.0); XCTAssertEqual(ca?.1, cb?.1)
                let (pa, pb) = (key(a.pathBytes, a.path), key(b.pathBytes, b.path))
                XCTAssertEqual(pa?.0, pb?.0); XCTAssertEqual(pa?.1, pb?.1)
                let (ua, ub) = (key(a.userAgentBytes, a.userAgent), key(b.userAgentBytes, b.userAgent))
                XCTAssertEqual(ua?.0, ub?.0); XCTAssertEqual(ua?.1, ub?.1)
            }
        }
        XCTAssertGreaterThan(compared, 1_000)
    }

    /// `why403_split_spaced` (C, the read-ahead thread's split: bit masks up to 4 KiB, bytes beyond) and its byte loop alone
    /// give `SpacedFields.init`'s fields (Swift, the scan thread's), bound for bound, on the ALB sample, long lines and
    /// 20,000 mutations heavy in quotes, escapes and brackets.
    func testTheCSplitOfASpacedLineIsTheSwiftOne() throws {
        let sample = try String(contentsOf: Fixtures.url("logs/edge/alb.log"), encoding: .utf8)
        // Long lines too (over 4 KiB, the masks' limit), and fields across 64-byte blocks.
        let long = String(repeating: "x\"y\\\" z ", count: 500) + "[" + String(repeating: "ab ", count: 40) + "] tail"
        let seeds = sample.split(separator: "\n").map(String.init) + [#"a "b\"c" [d e] "f\\" g"#, #""unterminated \"#, "[open", "   ", "",
                     long, "\"" + String(repeating: "ab\\\"cd ", count: 700) + "\" [x y] z",
                     String(repeating: " ", count: 63) + "\"" + String(repeating: "q", count: 70) + "\" [" + String(repeating: "]", count: 1)]
        var rng = SplitMix(state: 47)
        let alphabet = Array(#"  "\[]x"#.utf8) + [9, 0xC3, 0, 0x1B, 0x7F]
        let lines = seeds.map { Array($0.utf8) } + mutated(seeds, alphabet: alphabet, count: 20_000, &rng)
        let width = EdgeParsers.SpacedFields.tokenWidth
        for line in lines {
            line.withUnsafeBytes { raw in
                let l = ByteLine(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, raw.count)
                var swift = [Int32](repeating: 0, count: width), c = swift
                swift.withUnsafeMutableBufferPointer { EdgeParsers.SpacedFields(l).write(into: $0.baseAddress!, binary: false) }
                var bytes = c
                c.withUnsafeMutableBufferPointer { out in
                    out[0] = why403_split_spaced(l.base, l.count, out.baseAddress! + 2, Int32(EdgeParsers.SpacedFields.maxTokenFields))
                }
                bytes.withUnsafeMutableBufferPointer { out in
                    out[0] = why403_split_spaced_bytes(l.base, l.count, out.baseAddress! + 2, Int32(EdgeParsers.SpacedFields.maxTokenFields))
                }
                let n = max(0, Int(swift[0]))
                XCTAssertEqual(c[0], swift[0], String(decoding: line, as: UTF8.self))
                XCTAssertEqual(Array(c[2..<(2 + 2 * n)]), Array(swift[2..<(2 + 2 * n)]), String(decoding: line, as: UTF8.self))
                // The control-byte flag the split gives: exact up to 4 KiB (a byte below 0x20 or DEL), 1 beyond.
                var suspect: Int32 = -1
                var checked = c
                checked.withUnsafeMutableBufferPointer { out in
                    out[0] = why403_split_spaced_checked(l.base, l.count, out.baseAddress! + 2, Int32(EdgeParsers.SpacedFields.maxTokenFields), &suspect)
                }
                XCTAssertEqual(checked, c, String(decoding: line, as: UTF8.self))
                XCTAssertEqual(suspect, l.count > 4096 || line.contains { $0 < 0x20 || $0 == 0x7F } ? 1 : 0, String(decoding: line, as: UTF8.self))
                if suspect == 0 { XCTAssertFalse(l.looksBinary) }
                XCTAssertEqual(bytes[0], swift[0], String(decoding: line, as: UTF8.self))
                XCTAssertEqual(Array(bytes[2..<(2 + 2 * n)]), Array(swift[2..<(2 + 2 * n)]), String(decoding: line, as: UTF8.self))
            }
        }
    }
}
