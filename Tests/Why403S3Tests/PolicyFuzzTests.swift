import XCTest
import Why403Core
@testable import Why403S3
import Why403TestSupport

/// A bounded mutation fuzzer for the policy parser and the Block Public Access reader: every input
/// either parses or throws an `InputError` naming the file; never a crash or a hang.
final class PolicyFuzzTests: XCTestCase {
    func testMutatedPoliciesNeverCrash() throws {
        let seeds = try FileManager.default.contentsOfDirectory(atPath: fixturesDir).filter { $0.hasSuffix(".json") }
            .map { Array(try Data(contentsOf: URL(fileURLWithPath: "\(fixturesDir)/\($0)"))) }
        XCTAssertFalse(seeds.isEmpty)
        var rng = SplitMix64(seed: 0xF022)
        let tokens: [[UInt8]] = ["{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "${", "*", "\n", "null", "true", "-0.5e"].map { Array($0.utf8) }
        var errors = 0
        for _ in 0..<3000 {
            var b = seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                guard !b.isEmpty else { break }
                let at = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: b[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: b.remove(at: at)
                case 2: b.insert(contentsOf: tokens.randomElement(using: &rng)!, at: at)
                case 3: b = Array(b.prefix(at))  // truncation
                default: b.insert(contentsOf: b[at..<min(b.count, at + 40)], at: at)
                }
            }
            for kind in [PolicyKind.bucket, .identity] {
                do {
                    let p = try PolicyParser.parse(b, file: "fuzz.json", kind: kind)
                    // A policy that parses must also evaluate.
                    let input = try S3Analyzer.Input(principal: .parse("arn:aws:iam::111122223333:user/alice"), action: "s3:GetObject",
                                            resource: "arn:aws:s3:::amzn-bucket/k", context: [("aws:SourceIp", "203.0.113.1")],
                                            bucketPolicy: kind == .bucket ? p : nil, identityPolicies: kind == .identity ? [p] : [])
                    _ = S3Analyzer.analyze(input)
                } catch let e as InputError {
                    errors += 1
                    XCTAssertEqual(e.file, "fuzz.json")
                    XCTAssertNotNil(e.line)
                }
            }
            do { _ = try PublicAccessBlock.parse(b, file: "fuzz.json") } catch let e as InputError { XCTAssertEqual(e.file, "fuzz.json") }
        }
        XCTAssertGreaterThan(errors, 100)
    }

    func testRandomBytesNeverCrash() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let b = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            XCTAssertThrowsError(try PolicyParser.parse(b, file: "junk.bin", kind: .bucket)) { e in
                XCTAssertTrue(e is InputError, "\(e)")
            }
        }
    }

    var fixturesDir: String { Fixtures.url("s3/policies").path }
}
