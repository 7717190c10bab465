import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// Bounded mutation fuzzing of the scanner and parsers: recorded real logs and hostile inputs,
/// mutated with a fixed seed. No input may crash or hang the analyser; each must give the same
/// report fed whole and in random chunks; bad input is counted, never fatal (the combined format
/// may reject a file whose first lines are all garbage: that is an InputError, never a crash).
final class FuzzTests: XCTestCase {

    func seeds() throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for name in ["nginx-access.log", "nginx-error.log", "apache-access.log", "apache-error.log"] {
            out.append(Array(try Fixtures.data("logs/recorded/\(name)")))
        }
        out.append(Array(#"{"status":403,"remote_addr":"::1","request":"GET / HTTP/1.1","time":"2026-11-29T09:30:17Z"}"#.utf8) + [10])
        for name in ["aws-waf.log", "alb.log", "cloudfront.log", "s3-access.log", "cloudflare.log", "iis.log"] {
            out.append(Array(try Fixtures.data("logs/edge/\(name)")))
        }
        return out
    }

    func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 1: b.insert(contentsOf: (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) },
                             at: Int.random(in: 0...b.count, using: &rng))
            case 2 where !b.isEmpty: b.removeLast(Int.random(in: 0...b.count, using: &rng) / 2)
            case 3 where !b.isEmpty:
                let i = Int.random(in: 0..<b.count, using: &rng)
                b.insert(contentsOf: b[i..<min(b.count, i + 200)], at: Int.random(in: 0...b.count, using: &rng))
            case 4: b.insert(contentsOf: Array([" 403 ", "\"", "[", "]", "\n", "\r\n", "{", "\\", "client: ", "AH01630: "]
                .randomElement(using: &rng)!.utf8), at: Int.random(in: 0...b.count, using: &rng))
            default: b.insert(contentsOf: [UInt8](repeating: 0x41, count: Int.random(in: 0...70_000, using: &rng)),
                              at: Int.random(in: 0...b.count, using: &rng))
            }
        }
        return b
    }

    func testMutatedLogsNeverCrashAndAreChunkInvariant() throws {
        var rng = SplitMix64(seed: 0x5EED_403)
        let seeds = try seeds()
        var limits = LogsLimits()
        limits.fullyParsedLines = 5  // reach the pre-filter path on small inputs too
        for iteration in 0..<300 {
            let data = mutate(seeds[iteration % seeds.count], &rng)
            let format: AccessFormat = iteration % seeds.count == 4 ? .json : .combined  // edge seeds: detected
            let input = LogsAnalyzer.Input(paths: ["fuzz.log"], statuses: [401, 403, 429], format: format, limits: limits)
            let chunk = Int.random(in: 1...9000, using: &rng)
            var whole: String?
            do { whole = jsonString(try LogsAnalyzer().analyze(data: data, name: "fuzz.log", chunkSize: max(1, data.count), input: input)) }
            catch is InputError { whole = "input error" }
            var chunked: String?
            do { chunked = jsonString(try LogsAnalyzer().analyze(data: data, name: "fuzz.log", chunkSize: chunk, input: input)) }
            catch is InputError { chunked = "input error" }
            XCTAssertEqual(whole, chunked, "iteration \(iteration), chunk \(chunk)")
            // The read-ahead thread's parse of each candidate line (`AccessTokens`) reads the same.
            var tokenized = input
            tokenized.limits.tokenizeEveryLine = true
            var ahead: String?
            do { ahead = jsonString(try LogsAnalyzer().analyze(data: data, name: "fuzz.log", chunkSize: chunk, input: tokenized)) }
            catch is InputError { ahead = "input error" }
            XCTAssertEqual(whole, ahead, "iteration \(iteration), tokenized")
        }
    }

    /// Issue 18: access lines parsed on the read-ahead thread (`AccessTokens`, as on a large file's
    /// gathered lines) give the same report as lines parsed by the scan, in `combined`, nginx and
    /// Apache formats, on valid lines, near misses and junk.
    func testAccessTokensReadAsTheScanDoes() throws {
        let lines = [
            #"192.0.2.1 - - [29/Nov/2026:09:30:17 +0100] "GET /a?b=1 HTTP/1.1" 403 153 "-" "curl/8.5.0""#,
            #"192.0.2.2 - alice [29/Nov/2026:09:30:18 -0730] "POST /x#f HTTP/1.1" 403 0 "http://r/" "Mozilla "q" 5.0""#,
            #"192.0.2.3 - - [29/Nov/2026:09:30:19 +0000] "GET / HTTP/1.1" 403 153"#,
            #"192.0.2.4 - - [29/Nov/2026:09:30:20 +0000] "-" 403 0 "-" "-""# + "\r",
            #"192.0.2.5 - - [31/Feb/2026:25:30:20 +0000] "GET /t HTTP/1.1" 403 1 "-" "ua""#,
            #"192.0.2.6 - - [29/Nov/2026:09:30:20 +0000] "GET /bin\#u{01} HTTP/1.1" 403 1 "-" "ua""#,
            #"2026/11/29 09:30:21 [error] 7#7: *1 access forbidden by rule, client: 192.0.2.7, server: _, request: "GET /s HTTP/1.1""#,
            #"[Sun Nov 29 09:30:22.000 2026] [authz_core:error] [pid 1] [client 192.0.2.8:1] AH01630: client denied by server configuration: /var/www/x"#,
            #"garbage 403 line"#, "", #"192.0.2.9 - - [29/Nov/2026:09:30:23 +0000] "GET /u HTTP/1.1" 4030 1 "-" "ua""#,
            #"192.0.2.10 - - [29/Nov/2026:09:30:24 +0000] "GET /v HTTP/1.1" 403 1 "-" "ua" trailing"#,
        ]
        let formats: [AccessFormat] = [
            .combined,
            try AccessFormat.parse(#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#),
            try AccessFormat.parse(#"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#),
            try AccessFormat.parse(#"$time_iso8601 $remote_addr $status "$request_uri""#),
        ]
        let iso = [#"2026-11-29T09:30:17+00:00 192.0.2.11 403 "/p?q""#, #"2026-11-29T09:30:17 192.0.2.12 403 "/p""#,
                   #"bad 192.0.2.13 403 "/p""#]
        for (n, format) in formats.enumerated() {
            for line in lines + iso {
                var limits = LogsLimits()
                limits.fullyParsedLines = 1
                let first = (n == 3 ? iso[0] : lines[0]) + "\n"
                func report(_ tokenize: Bool) throws -> String {
                    var l = limits
                    l.tokenizeEveryLine = tokenize
                    let input = LogsAnalyzer.Input(paths: ["t.log"], statuses: [403], format: format, limits: l)
                    do { return jsonString(try LogsAnalyzer().analyze(data: Array((first + line + "\n").utf8), name: "t.log", chunkSize: 1 << 20, input: input)) }
                    catch let e as InputError { return "input error: \(e)" }
                }
                XCTAssertEqual(try report(false), try report(true), "format \(format.name), line \(line)")
            }
        }
    }

    func testHostileInputs() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // an endless line, binary junk, an empty file, a lone CR
        let endless = [UInt8](repeating: 0x61, count: 3 << 20)
        FileManager.default.createFile(atPath: dir.path + "/endless.log", contents: Data(endless + Array(("\n" + combined()).utf8)))
        FileManager.default.createFile(atPath: dir.path + "/binary.log", contents: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        FileManager.default.createFile(atPath: dir.path + "/empty.log", contents: Data())
        let r = try analyzeFiles([dir.path + "/endless.log"])
        XCTAssertEqual(try summary(r).denials, 1)
        XCTAssertEqual(try summary(r).malformed.count, 1)
        XCTAssertEqual(try summary(try analyzeFiles([dir.path + "/empty.log"])).linesRead, 0)
        let binary = try summary(try analyzeFiles([dir.path + "/binary.log"]))
        XCTAssertEqual(binary.denials, 0)
        XCTAssertGreaterThan(binary.malformed.count, 0, "binary lines are counted and skipped")
    }
}
