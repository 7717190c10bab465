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
