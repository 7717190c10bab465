import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403Render
import Why403TestSupport

/// The scanner: chunk sizes, long and binary lines, gzip, stdin-like streams, time filters, caps.
final class ScannerTests: XCTestCase {
    /// A log mixing everything the scanner must treat the same whatever the chunking.
    func mixedLog() -> String {
        var lines: [String] = []
        for i in 0..<1500 {
            let minute = 10 + i / 100
            let t = "29/Nov/2026:09:\(minute):\(String(format: "%02d", i % 60)) +0000"
            lines.append(combined("10.0.\(i % 7).\(i % 13)", time: t, "GET /p\(i % 9) HTTP/1.1", status: i % 10 == 0 ? 403 : 200))
        }
        lines.insert(String(repeating: "x", count: 70_000), at: 5)       // overlong, in the whole-parse phase
        lines.insert("\u{0}\u{1}\u{2}junk", at: 7)                      // binary
        lines.insert(combined(status: 403) + "\r", at: 9)                // CRLF
        lines.insert("2026/11/29 09:10:00 [error] 1#1: *1 access forbidden by rule, client: 10.0.0.0, server: s, request: \"GET /p0 HTTP/1.1\", host: \"h\"", at: 11)
        lines.insert(String(repeating: "y", count: 70_000) + " 403 ", at: 1200) // overlong, in the pre-filter phase
        return lines.joined(separator: "\n") + "\n" + combined("10.9.9.9", "GET /last HTTP/1.1") // no final newline
    }

    func testChunkSizesGiveIdenticalReports() throws {
        let text = mixedLog()
        let whole = jsonString(try analyzeText(text))
        for chunk in [1, 7, 4096] {
            XCTAssertEqual(jsonString(try analyzeText(text, chunk: chunk)), whole, "chunk size \(chunk)")
        }
        let s = try summary(try analyzeText(text))
        XCTAssertEqual(s.linesRead, 1506)
        XCTAssertEqual(s.malformed.count, 2, "\(s.malformed)")  // the first long line and the binary one
        XCTAssertEqual(s.denials, 153, "150 + the CRLF line + the last line + the error-log line")
    }

    /// NUL padding before a line (the unflushed blocks a crash leaves, the log going on after them with no newline):
    /// the line after it is read, the padding counted as malformed (QA: the record was lost with it).
    func testNULPaddingBeforeALineIsTakenOff() throws {
        for chunk in [1, 4096, Int.max] {
            let text = String(repeating: "\u{0}", count: 4096) + combined(status: 403) + "\n" + combined(status: 403) + "\n"
            let s = try summary(try analyzeText(text, chunk: chunk))
            XCTAssertEqual(s.denials, 2, "chunk \(chunk)")
            XCTAssertEqual(s.malformed.count, 1)
            XCTAssertEqual(s.malformed.samples.first?.text, "\"(4096 NUL bytes before the line)\"")
        }
    }

    func testGzipEqualsPlainAndConcatenatedMembers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = mixedLog()
        let plain = try dir.write("access.log", text)
        let half = text.index(text.startIndex, offsetBy: text.count / 2)
        try dir.write("a.log", String(text[..<half]))
        try dir.write("b.log", String(text[half...]))
        try Run.shell("cd \(dir.path) && gzip -c access.log > access.log.gz && gzip -c a.log > two.gz && gzip -c b.log >> two.gz")
        let a = try analyzeFiles([plain.path])
        let b = try analyzeFiles([dir.path + "/access.log.gz"])
        let c = try analyzeFiles([dir.path + "/two.gz"])
        XCTAssertEqual(try summary(a).denials, try summary(b).denials)
        XCTAssertEqual(a.findings.map(\.summary), b.findings.map(\.summary))
        XCTAssertEqual(try summary(a).timeline, try summary(c).timeline)
        XCTAssertEqual(try summary(a).linesRead, try summary(c).linesRead)
    }

    func testLargeFileReadAheadEqualsInMemory() throws {
        // Larger than the read-ahead ring (4 x 1 MiB), so buffers are reused while lines span them.
        var text = ""
        var i = 0
        while text.utf8.count < 7 << 20 {
            text += combined("10.\(i % 200).0.\(i % 7)", time: "29/Nov/2026:\(10 + i / 60_000):\(String(format: "%02d", i / 1000 % 60)):00 +0000",
                             "GET /f\(i % 300) HTTP/1.1", status: i % 23 == 0 ? 403 : 200) + "\n"
            i += 1
        }
        let fromFile = try readFromFileEqualsInMemory(text, name: "big.log", chunk: 65_536)
        XCTAssertEqual(fromFile.linesRead, i)
    }

    func testReadAheadHitsGiveTheSameLinesAndNumbers() throws {
        // The read-ahead thread finds the needle and counts newlines per 1 MiB buffer; the scan must
        // see the same candidate lines with the same numbers as when it searches itself: two needles
        // on one line, overlong and binary lines holding the needle, empty lines, lines across buffers.
        var lines: [String] = []
        var i = 0
        var size = 0
        while size < 5 << 20 {
            let line: String
            switch i % 997 {
            case 13: line = String(repeating: "z", count: 70_000 + i % 5000) + " 403 "
            case 14: line = ""
            case 15: line = "\u{0}\u{1} 403 junk"
            case 16: line = combined("10.1.\(i % 9).1", "GET /x 403 y HTTP/1.1", status: 403)
            default:
                line = combined("10.\(i % 50).0.\(i % 3)", time: "29/Nov/2026:11:\(String(format: "%02d", i / 2000 % 60)):00 +0000",
                                "GET /g\(i % 40) HTTP/1.1", status: i % 31 == 0 ? 403 : 200)
            }
            lines.append(line)
            size += line.utf8.count + 1
            i += 1
        }
        let text = lines.joined(separator: "\n") + "\n"
        let fromFile = try readFromFileEqualsInMemory(text, name: "hits.log", chunk: 40_000)
        XCTAssertEqual(fromFile.linesRead, lines.count)
    }

    func testBuffersPackedWithNeedlesFallBackToTheScanThread() throws {
        // " 403 403 403 …" holds a needle every 4 bytes: more hits in a 1 MiB buffer than its hit
        // arrays hold (one per 5 bytes). The read-ahead gives up on such a buffer and the scan thread
        // searches it; the lines and numbers stay the same as a search in memory.
        var lines = (0..<1_200).map { combined("10.0.\($0 % 7).1", "GET /a\($0 % 5) HTTP/1.1", status: $0 % 3 == 0 ? 403 : 200) }
        let packed = String(repeating: " 403", count: 8_000)
        for i in 0..<400 { lines.append(i % 50 == 0 ? combined("10.9.9.9", "GET /late HTTP/1.1") : packed) }
        lines.append(combined("10.9.9.8", "GET /last HTTP/1.1"))
        let text = lines.joined(separator: "\n") + "\n"
        let s = try readFromFileEqualsInMemory(text, name: "packed.log", chunk: 100_000)
        XCTAssertEqual(s.linesRead, lines.count)
        XCTAssertEqual(s.denials, 400 + 8 + 1)
    }

    func testMappedWindowsGiveTheSameLinesAndNumbers() throws {
        // Past its first lines a large file is read through mapped windows, gathered in 2 MiB pieces, that copy out only the
        // candidate lines: lines cut by a window's end, a line longer than a window (skipped whole, in
        // and across windows), lines packed with needles (more hits than the kernel's scratch arrays),
        // CRLF lines and a last line without newline give the same report as a search in memory.
        var lines: [String] = []
        var i = 0
        var size = 0
        while size < 14 << 20 {
            let line: String
            switch i % 5003 {
            case 1500: line = String(repeating: "w", count: (5 << 20) + i % 77) + " 403 "
            case 1600..<1640: line = String(repeating: " 403", count: 15_000)
            case 1700: line = combined("10.7.7.7", "GET /crlf HTTP/1.1") + "\r"
            default:
                line = combined("10.\(i % 50).0.\(i % 3)", time: "29/Nov/2026:11:\(String(format: "%02d", i / 2000 % 60)):00 +0000",
                                "GET /m\(i % 40) HTTP/1.1", status: i % 29 == 0 ? 403 : 200)
            }
            lines.append(line)
            size += line.utf8.count + 1
            i += 1
        }
        lines.append(combined("10.9.9.7", "GET /last HTTP/1.1"))
        let text = lines.joined(separator: "\n")
        let s = try readFromFileEqualsInMemory(text, name: "mapped.log", chunk: 1 << 20)
        XCTAssertEqual(s.linesRead, lines.count)
        XCTAssertEqual(s.malformed.count, lines.filter { $0.hasPrefix(" 403 403") }.count, "the packed lines")
        // Two statuses (two needles): the same large file is read whole with read(2), through the
        // read-ahead ring, and agrees with the scan in memory.
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let f = try dir.write("mapped.log", text).path
        let fromFile = try analyzeFiles([f], statuses: [401, 403])
        let inMemory = try analyzeText(text, name: f, chunk: 1 << 20, statuses: [401, 403])
        XCTAssertEqual(jsonString(fromFile).replacingOccurrences(of: "\"bytes_read\":\(text.utf8.count)", with: ""),
                       jsonString(inMemory).replacingOccurrences(of: "\"bytes_read\":\(text.utf8.count)", with: ""))
    }

    func testBadAndTruncatedGzipAreInputErrors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("access.log", mixedLog())
        try Run.shell("cd \(dir.path) && gzip -c access.log > ok.gz && head -c 3000 ok.gz > cut.gz && (printf '\\037\\213\\010\\000garbage-garbage-garbage' > bad.gz)")
        for name in ["cut.gz", "bad.gz"] {
            XCTAssertThrowsError(try analyzeFiles([dir.path + "/" + name]), name) { error in
                let e = error as? InputError
                XCTAssertEqual(e?.file, dir.path + "/" + name)
                XCTAssertTrue(e?.message.hasPrefix("expected") ?? false, "\(error)")
            }
        }
    }

    func testUnreadableAndMissingFilesAreInputErrors() throws {
        XCTAssertThrowsError(try analyzeFiles(["/nonexistent/why403.log"])) { error in
            XCTAssertEqual((error as? InputError)?.file, "/nonexistent/why403.log")
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        XCTAssertThrowsError(try analyzeFiles([dir.path])) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("directory") ?? false, "\(error)")
        }
    }

    func testSinceUntilAndStatuses() throws {
        let text = [
            combined(time: "29/Nov/2026:09:00:00 +0000"), combined(time: "29/Nov/2026:10:00:00 +0000", status: 401),
            combined(time: "29/Nov/2026:11:00:00 +0000", status: 429), combined(time: "29/Nov/2026:12:00:00 +0000"),
        ].joined(separator: "\n") + "\n"
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let f = try dir.write("a.log", text).path
        let since = try LogsTimeSpec.parse("2026-11-29T09:30:00Z", now: 0, flag: "--since")
        let until = try LogsTimeSpec.parse("2026-11-29 11:30", now: 0, flag: "--until")
        XCTAssertEqual(try summary(try analyzeFiles([f], since: since, until: until)).denials, 0)
        let s = try summary(try analyzeFiles([f], statuses: [401, 403, 429], since: since, until: until))
        XCTAssertEqual(s.denials, 2)
        XCTAssertEqual(s.byStatus, ["401": 1, "429": 1])
        XCTAssertEqual(s.outsideWindow, 2)
        let r = try analyzeFiles([f], statuses: [429])
        XCTAssertEqual(r.findings.first?.cause, .rateLimit)
        XCTAssertEqual(r.findings.first?.confidence, .likely)
        XCTAssertEqual(try LogsTimeSpec.parse("1h", now: 10_000, flag: "--since"), 6400)
        XCTAssertEqual(try LogsTimeSpec.parse("2d", now: 200_000, flag: "--since"), 27_200)
        XCTAssertThrowsError(try LogsTimeSpec.parse("yesterday", now: 0, flag: "--since"))
        XCTAssertThrowsError(try LogsTimeSpec.parse("2026-13-01", now: 0, flag: "--since"))
        // Days and times that do not exist are refused, not rolled over (QA: 2027-02-30 was read as 2027-03-02).
        for bad in ["2027-02-30", "2027-02-29", "2026-04-31", "2027-01-01T25:00:00Z", "2027-01-01T10:61:00Z", "2027-01-00"] {
            XCTAssertThrowsError(try LogsTimeSpec.parse(bad, now: 0, flag: "--since"), bad)
        }
        XCTAssertNoThrow(try LogsTimeSpec.parse("2028-02-29", now: 0, flag: "--since"))
        XCTAssertNoThrow(try LogsTimeSpec.parse("2026-12-31T23:59:60Z", now: 0, flag: "--since"))
    }

    func testBurstAndTrickle() throws {
        var lines: [String] = []
        // a scanner: 60 refusals in 2 minutes over 30 paths
        for i in 0..<60 {
            lines.append(combined("198.51.100.66", time: "29/Nov/2026:09:0\(i / 30):\(String(format: "%02d", i % 30)) +0000", "GET /wp-\(i % 30).php HTTP/1.1", ua: "sqlmap/1.7"))
        }
        // a steady trickle on one path: 1 refusal per 10 minutes from several clients
        for i in 0..<12 {
            lines.append(combined("203.0.113.\(i % 4)", time: "29/Nov/2026:1\(i / 6):\(i % 6)5:00 +0000", "GET /reports/q3.pdf HTTP/1.1"))
        }
        let r = try analyzeText(lines.joined(separator: "\n") + "\n")
        let s = try summary(r)
        XCTAssertEqual(s.bursts.count, 1)
        XCTAssertEqual(s.bursts.first?.client, "198.51.100.66")
        XCTAssertEqual(s.bursts.first?.count, 60)
        XCTAssertEqual(s.bursts.first?.kind, "scanner")
        XCTAssertEqual(s.bursts.first?.start, "2026-11-29T09:00:00Z")
        XCTAssertEqual(s.bursts.first?.end, "2026-11-29T09:01:59Z")
        XCTAssertEqual(s.trickles.map(\.path), ["/reports/q3.pdf"])
        XCTAssertEqual(s.trickles.first?.minutes, 12)
        XCTAssertEqual(s.trickles.first?.clients, 4)
        let text = LogsTextRenderer.render(r, summary: try summary(r))
        XCTAssertTrue(text.contains("bursts"))
        XCTAssertTrue(text.contains("198.51.100.66: 60"))
        XCTAssertTrue(text.contains("/reports/q3.pdf: 12 over 12 minutes from 4 clients"))
    }

    func testKeyCapsKeepMemoryBoundedAndSayApproximate() throws {
        var limits = LogsLimits()
        limits.keysPerDimension = 16
        var lines: [String] = []
        for i in 0..<500 { lines.append(combined("10.0.\(i / 250).\(i % 250)", "GET /hot HTTP/1.1")) }
        for i in 0..<300 { lines.append(combined("10.1.0.1", "GET /cold\(i) HTTP/1.1")) }
        let r = try analyzeText(lines.joined(separator: "\n") + "\n", limits: limits)
        let s = try summary(r)
        XCTAssertTrue(s.approximate)
        XCTAssertEqual(s.topPaths.first?.key, "/hot")
        XCTAssertEqual(s.topPaths.first?.count, 500, "a key above total/capacity keeps an exact count when it never left")
        XCTAssertEqual(s.topClients.first?.key, "10.1.0.1")
        XCTAssertGreaterThanOrEqual(s.topClients.first?.count ?? 0, 300)
        XCTAssertTrue(r.notes.contains { $0.contains("Space-Saving") })
    }

    /// An access log alone puts every refusal in one group, whose path and client counts are then the global counters'
    /// (`Aggregator.groupSharesGlobal`): past the group's 256 keys they stay exact where the global counters are, and
    /// equal to the report's top lists.
    func testSoleGroupCountsAreTheGlobalCounts() throws {
        var lines: [String] = []
        for round in 0..<3 {
            for i in 0..<600 where round == 0 || i % 7 == 0 { lines.append(combined("10.2.\(i / 250).\(i % 250)", "GET /p\(i % 300) HTTP/1.1")) }
            for _ in 0..<40 { lines.append(combined("192.0.2.1", "GET /hot HTTP/1.1")) }
        }
        let r = try analyzeText(lines.joined(separator: "\n") + "\n")
        let s = try summary(r)
        XCTAssertEqual(s.causes.count, 1)
        XCTAssertFalse(s.approximate)
        func rows(_ v: JSONValue?) -> [String] {
            guard case .array(let a)? = v else { return [] }
            return a.map { row in
                guard case .object(let o) = row, case .string(let k)? = o["key"], case .int(let n)? = o["count"] else { return "?" }
                return "\(k) \(n)"
            }
        }
        let details = r.findings.first?.details
        XCTAssertEqual(rows(details?["top_clients"]), s.topClients.prefix(5).map { "\($0.key) \($0.count)" })
        XCTAssertEqual(rows(details?["top_paths"]), s.topPaths.prefix(5).map { "\($0.key) \($0.count)" })
        XCTAssertEqual(rows(details?["top_clients"]).first, "192.0.2.1 120")
    }

    /// A second group after the first has seen more clients than its cap: the first group's counters, made then from
    /// the global ones, keep Space-Saving's bound (no count below the truth), and the second group counts its own.
    func testFirstGroupCountersSettleWhenASecondGroupAppears() throws {
        var lines: [String] = []
        var truth: [String: Int] = [:]
        for i in 0..<700 {
            let ip = i % 5 == 0 ? "192.0.2.\(i % 3)" : "10.3.\(i / 250).\(i % 250)"
            truth[ip, default: 0] += 1
            lines.append(combined(ip, "GET /a HTTP/1.1"))
        }
        lines.append(combined("198.51.100.7", "GET /login HTTP/1.1", status: 429))
        for i in 0..<50 {
            let ip = "10.3.0.\(i)"
            truth[ip, default: 0] += 1
            lines.append(combined(ip, "GET /a HTTP/1.1"))
        }
        let r = try analyzeText(lines.joined(separator: "\n") + "\n", statuses: [403, 429])
        XCTAssertEqual(r.findings.count, 2)
        for f in r.findings {
            guard case .array(let rows)? = f.details?["top_clients"] else { return XCTFail("no top_clients") }
            if f.rule == "status-403" {
                XCTAssertEqual(rows.count, 5)
                XCTAssertEqual(Set(rows.prefix(3).compactMap { row -> String? in
                    if case .object(let o) = row, case .string(let k)? = o["key"] { k } else { nil }
                }), ["192.0.2.0", "192.0.2.1", "192.0.2.2"])
            }
            for row in rows {
                guard case .object(let o) = row, case .string(let k)? = o["key"], case .int(let n)? = o["count"] else { return XCTFail() }
                if k == "198.51.100.7" { XCTAssertEqual(n, 1); continue }
                XCTAssertGreaterThanOrEqual(n, truth[k] ?? 0, k)
            }
        }
    }

    func testTopKExactBelowCap() {
        var t = TopK(capacity: 3)
        for k in ["a", "b", "a", "c", "a", "b"] { t.add(k) }
        XCTAssertEqual(t.top(2).map(\.key), ["a", "b"])
        XCTAssertFalse(t.isApproximate)
        t.add("d")
        XCTAssertTrue(t.isApproximate)
        XCTAssertEqual(t.top(1).first?.count, 3)
        XCTAssertEqual(t.total, 7)
    }

    /// The counter against a plain Space-Saving over arrays (a new key past the cap takes the slot of the first
    /// key with the smallest count), through many evictions: the same counts, errors and order, keys in every
    /// shape (short, long, non-ASCII, canonically equal spellings).
    func testTopKAgainstAPlainSpaceSaving() {
        var rng = SystemRandomNumberGenerator()
        let pool = (0..<300).map { i -> String in
            switch i % 5 {
            case 0: return "/p/\(i)"
            case 1: return "203.0.\(i / 256).\(i % 256)"
            case 2: return String(repeating: "segment/", count: 3) + "\(i)"
            case 3: return "caf\u{E9}-\(i)"
            default: return "cafe\u{301}-\(i - 1)"  // canonically equal to case 3's key of i - 1
            }
        }
        for capacity in [1, 7, 64] {
            var t = TopK(capacity: capacity)
            var keys: [String] = [], counts: [Int] = [], errors: [Int] = []
            for _ in 0..<5_000 {
                let k = pool[Int.random(in: 0..<(Bool.random(using: &rng) ? 20 : pool.count), using: &rng)]
                t.add(k)
                if let i = keys.firstIndex(of: k) { counts[i] += 1; continue }
                if keys.count < capacity { keys.append(k); counts.append(1); errors.append(0); continue }
                let m = counts.min()!
                let i = counts.firstIndex(of: m)!
                keys[i] = k; errors[i] = m; counts[i] = m + 1
            }
            var expected: [String] = []
            for i in keys.indices { expected.append("\(keys[i]) \(counts[i]) \(errors[i])") }
            let order = keys.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : keys[$0] < keys[$1] }
            XCTAssertEqual(t.top(capacity).map { "\($0.key) \($0.count) \($0.error)" }, order.map { expected[$0] }, "capacity \(capacity)")
            XCTAssertEqual(t.distinct, keys.count)
            XCTAssertEqual(t.total, 5_000)
        }
    }

    func testSecretsInLogLinesAreRedactedInEveryFormat() throws {
        let text = combined("10.0.0.1", "GET /download?token=SuperSecretValue123&x=1 HTTP/1.1") + "\n"
        let raw = try analyzeText(text)
        let r = raw.redacted(by: Redactor())
        // The renderers take the typed summary, redacted on its own (no JSON round trip).
        let typed = try summary(raw).redacted(by: Redactor())
        let outputs = [jsonString(r), LogsTextRenderer.render(r, summary: typed), LogsHTMLRenderer.render(r, summary: typed),
                       LogsMarkdownRenderer.render(r, summary: typed)]
        for o in outputs { XCTAssertFalse(o.contains("SuperSecretValue123"), o) }
    }
}

/// Reads `text` from a file (read-ahead thread, C kernel) and in memory in `chunk`-byte pieces; asserts
/// the two reports are the same (but for the bytes read); returns the file's summary.
func readFromFileEqualsInMemory(_ text: String, name: String, chunk: Int,
                                file: StaticString = #filePath, line: UInt = #line) throws -> LogsSummary {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let f = try dir.write(name, text).path
    let fromFile = try analyzeFiles([f])
    let inMemory = try analyzeText(text, name: f, chunk: chunk)
    XCTAssertEqual(jsonString(fromFile).replacingOccurrences(of: "\"bytes_read\":\(text.utf8.count)", with: ""),
                   jsonString(inMemory).replacingOccurrences(of: "\"bytes_read\":\(text.utf8.count)", with: ""),
                   file: file, line: line)
    return try summary(fromFile, file: file, line: line)
}
