import Foundation
import XCTest
import CWhy403Scan
@testable import Why403Logs
import Why403TestSupport

/// `why403_flat_json` (C, `flatjson.c`), the fast road of `FlatJSON`: on every line it accepts, it must say what the
/// Swift reader says (valid, and the same start, end and plainness of every asked-for member), and it must accept the
/// common Logpush form. Lines it hands back are read by the Swift reader, which `testFlatJSONReadsCloudflareRecordsAsFoundationDoes`
/// (EdgeLogsTests) compares with Foundation.
final class FlatJSONFastPathTests: XCTestCase {
    let keys = EdgeParsers.CloudflareKey.keys

    /// The numbers `tokenize` writes, by the fast road (nil when it hands the line back) and by the Swift reader.
    func both(_ line: [UInt8]) -> (fast: [Int32]?, swift: [Int32]) {
        let width = FlatJSON.tokenWidth(keys)
        var fast = [Int32](repeating: 0, count: width), swift = fast
        let took = line.withUnsafeBufferPointer { b in fast.withUnsafeMutableBufferPointer { keys.readFlat(b, $0.baseAddress!) } }
        line.withUnsafeBufferPointer { b in swift.withUnsafeMutableBufferPointer { FlatJSON.tokenize(b, keys: keys, into: $0.baseAddress!, fast: false) } }
        // An invalid line's other numbers are not read.
        if swift[0] == 0 { for i in 1..<width { swift[i] = 0 } }
        return (took ? fast : nil, swift)
    }

    func lines() throws -> [String] {
        var lines: [String] = []
        for file in ["cloudflare.log", "cloudflare-firewall-events.log"] {
            let path = Fixtures.url("logs/edge/\(file)").path
            lines += try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        return lines + [
            #"{}"#, #"{"a":[]}"#, #"{"":1,"EdgeResponseStatus":403}"#, #"{"EdgeResponseStatus":403,"EdgeResponseStatus":200}"#,
            #"{"ClientIP":"caf\#u{E9}","SecuritySources":["a","b",1,-2.5e3,true,false,null]}"#,
            #"{"EdgeResponseStatus":0,"BotScore":-0,"x":1.25,"y":1E+2,"z":3e-1}"#,
            #"{"ClientRequestUserAgent":"1234567890123456","ClientRequestURI":"123456789012345","Source":"12345678901234567"}"#,
        ]
    }

    func testTheFastRoadAgreesWithTheSwiftReader() throws {
        var all = try lines()
        var rng = SplitMix64(seed: 0xF1A7)
        let alphabet = Array(#"{}[]":,\ 0123456789.eE+-tfnul"aXZ"#.utf8) + [0x09, 0x7F, 0xC3, 0xA9, 0x00]
        let base = all
        for _ in 0..<20_000 {
            let b = rng.mutate(Array((base[Int(rng.next() % UInt64(base.count))]).utf8), alphabet: alphabet)
            all.append(String(decoding: b, as: UTF8.self))
        }
        var taken = 0, disagree: [String] = []
        for line in all {
            let (fast, swift) = both(Array(line.utf8))
            guard let fast else { continue }
            taken += 1
            if fast != swift { disagree.append(line) }
        }
        XCTAssertEqual(disagree.prefix(5), [], "the fast road and the Swift reader differ on \(disagree.count) lines")
        // Both readers' verdicts were compared on lines of every kind: valid ones and broken ones the fast road took.
        XCTAssertGreaterThan(taken, 5_000)
    }

    /// The AVX2 mask builder (session 30) against the SSE2 one it stands in for on an AVX2 CPU, on lines of every length
    /// around the 64-byte blocks and the bytes each mask flags (quotes, backslashes, control bytes, DEL, bytes above 0x7F).
    func testTheWideMasksAreTheNarrowOnes() throws {
        var rng = SplitMix64(seed: 0xA5C2)
        let alphabet = Array(#"{}[]":,\ aZ09"#.utf8) + [0x00, 0x09, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        let base = try lines().map { Array($0.utf8) }
        var inputs = base
        for _ in 0..<3_000 { inputs.append(rng.mutate(base[Int(rng.next() % UInt64(base.count))], alphabet: alphabet)) }
        for n in 0...200 { inputs.append((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
        for bytes in inputs {
            XCTAssertEqual(bytes.withUnsafeBufferPointer { why403_flat_json_masks_agree($0.baseAddress, $0.count) }, 1,
                           String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The fast road remembers, per thread, the name at each member position and its key (session 30): lines whose members
    /// move, rename or swap between reads, and two key sets read in turn (one that asks for a name the other does not),
    /// are read as the Swift reader reads each line alone.
    func testRememberedNamesNeverStandInForOthers() {
        let other = FlatJSON.Keys(["RayID", "ClientIP", "ClientASN", "EdgeResponseStatus"])
        let lines = [
            #"{"ClientIP":"1.2.3.4","RayID":"a","EdgeResponseStatus":403,"ClientASN":1}"#,
            #"{"RayID":"b","ClientIP":"1.2.3.5","EdgeResponseStatus":403,"ClientASN":2}"#,
            #"{"ClientIX":"1.2.3.4","RayID":"c","EdgeResponseStatus":403,"ClientASN":3}"#,
            #"{"ClientIP":"1.2.3.4","RayIE":"d","EdgeResponseStatur":403,"ClientASN":4}"#,
            #"{"ClientASN":5,"ClientIP":"1.2.3.6","RayID":"e","EdgeResponseStatus":200}"#,
        ]
        var rng = SplitMix64(seed: 0x41)
        for _ in 0..<400 {
            let line = Array(lines[Int(rng.next() % UInt64(lines.count))].utf8)
            for set in [keys, other] {
                let width = FlatJSON.tokenWidth(set)
                var fast = [Int32](repeating: 0, count: width), swift = fast
                let took = line.withUnsafeBufferPointer { b in fast.withUnsafeMutableBufferPointer { set.readFlat(b, $0.baseAddress!) } }
                line.withUnsafeBufferPointer { b in swift.withUnsafeMutableBufferPointer { FlatJSON.tokenize(b, keys: set, into: $0.baseAddress!, fast: false) } }
                XCTAssertTrue(took)
                XCTAssertEqual(fast, swift, String(decoding: line, as: UTF8.self))
            }
        }
    }

    func testTheFastRoadTakesTheCommonForm() throws {
        for line in try lines().prefix(2) {
            let (fast, swift) = both(Array(line.utf8))
            XCTAssertNotNil(fast, line)
            XCTAssertEqual(swift[0], 1, line)
        }
        // And hands back what it does not read whole: white space, escapes, nesting, a trailing comma.
        for line in [#"{ "a":1}"#, #"{"a":"\n"}"#, #"{"a":{"b":1}}"#, #"{"a":[[1]]}"#, #"{"a":1,}"#, #"{"a":[1,]}"#, #"{"\u0041":1}"#,
                     #"{"é":1}"#, #"{"a":1} "#] {
            XCTAssertNil(both(Array(line.utf8)).fast, line)
        }
    }
}
