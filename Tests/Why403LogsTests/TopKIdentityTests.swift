import Foundation
import XCTest
@testable import Why403Logs

/// How the counter tells keys apart (`TopK.find`): hash and NFC length first, then the keys themselves, so two keys
/// count as one exactly when they are equal `String`s, whatever their hashes.
final class TopKIdentityTests: XCTestCase {
    /// `TopK.isASCII` (eight bytes a step) says what `utf8.allSatisfy { $0 < 0x80 }` says: one non-ASCII character at
    /// every position of every length up to 40 (small strings and heap strings, the tail loop and the word loop).
    func testTheASCIICheckIsTheByteWalk() {
        for n in 0...40 {
            let plain = String(repeating: "a", count: n)
            XCTAssertTrue(TopK.isASCII(plain), "length \(n)")
            for i in 0..<n {
                for c in ["\u{E9}", "\u{7F}", "\u{80}", "\u{1F642}"] {
                    var chars = Array(plain)
                    chars[i] = Character(c)
                    let s = String(chars)
                    XCTAssertEqual(TopK.isASCII(s), s.utf8.allSatisfy { $0 < 0x80 }, "\(n) \(i) \(c.unicodeScalars.first!.value)")
                }
            }
        }
        XCTAssertFalse(TopK.isASCII(String(repeating: "a", count: 100) + "\u{E9}"))
        XCTAssertTrue(TopK.isASCII(String(repeating: "a", count: 100)[...].description))
    }

    /// Inputs of one length that differ in one word (one bit of one byte, every position, every length up to 40, where
    /// the loads overlap differently) never share a hash; the same bytes always do.
    func testHashTellsApartInputsDifferingInOneWord() {
        var rng = SystemRandomNumberGenerator()
        for n in 1...40 {
            for _ in 0..<200 {
                let a = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
                var b = a
                let i = Int.random(in: 0..<n, using: &rng)
                b[i] ^= 1 << UInt8.random(in: 0...7, using: &rng)
                let ha = a.withUnsafeBytes { TopK.hash(bytes: $0) }
                let hb = b.withUnsafeBytes { TopK.hash(bytes: $0) }
                XCTAssertNotEqual(ha, hb, "length \(n), byte \(i)")
                XCTAssertEqual(ha, a.withUnsafeBytes { TopK.hash(bytes: $0) })
            }
        }
        // Exhaustively over two bytes: 65,536 inputs, 65,536 hashes.
        var seen = Set<UInt64>()
        for x in 0..<65_536 {
            let bytes: [UInt8] = [UInt8(x & 0xFF), UInt8(x >> 8)]
            seen.insert(bytes.withUnsafeBytes { TopK.hash(bytes: $0) })
        }
        XCTAssertEqual(seen.count, 65_536)
    }

    /// A key read from a line's bytes and the same key as a `String` (ASCII, or canonically equal non-ASCII
    /// spellings: U+212A KELVIN SIGN is "K") count as one key; different keys never do.
    func testBytesAndStringsOfOneKeyCountAsOne() {
        var t = TopK(capacity: 16)
        func addBytes(_ s: String) { Array(s.utf8).withUnsafeBytes { t.add(LogKey(bytes: $0)) } }
        addBytes("/admin")
        t.add("/admin")
        t.add(LogKey("/admin"))
        addBytes("K")
        t.add("\u{212A}")
        addBytes("caf\u{E9}")
        t.add("cafe\u{301}")
        addBytes("/admin/")
        addBytes("/admio")
        XCTAssertEqual(t.top(10).map { "\($0.key) \($0.count)" }, ["/admin 3", "K 2", "caf\u{E9} 2", "/admin/ 1", "/admio 1"])
        XCTAssertEqual(t.distinct, 5)
    }

    /// Keys whose hashes agree are still told apart: pairs of printable 16-byte paths built to share a hash in about
    /// half of all seeds (bit 6 of the first word's last byte flipped, the difference the mixing leaves then cancelled
    /// in the second word), twenty of them, so a counter that trusted the hash would merge some in any run.
    func testKeysThatShareAHashStayApart() {
        func word(_ b: [UInt8], _ at: Int) -> UInt64 { b[at..<(at + 8)].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) } }
        func bytes(_ w: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: w >> (8 * UInt64($0))) } }
        var t = TopK(capacity: 64)
        var merged = 0
        for k in 0..<20 {
            let a = Array("/p\(String(format: "%02d", k))defaghijklmn".utf8)  // byte 7 'a', byte 12 'k', byte 15 'n'
            let b = bytes(word(a, 0) ^ (1 << 62)) + bytes(word(a, 8) ^ (1 << 62 | 1 << 33))  // 'a'->'!', 'k'->'i', 'n'->'.'
            XCTAssertTrue(b.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, String(decoding: b, as: UTF8.self))
            let ha = a.withUnsafeBytes { LogKey(bytes: $0) }.hash, hb = b.withUnsafeBytes { LogKey(bytes: $0) }.hash
            if ha == hb { merged += 1 }
            a.withUnsafeBytes { t.add(LogKey(bytes: $0)) }
            b.withUnsafeBytes { t.add(LogKey(bytes: $0)) }
            t.add(String(decoding: b, as: UTF8.self))
        }
        XCTAssertEqual(t.distinct, 40, "\(merged) of the 20 pairs share a hash in this run")
        XCTAssertEqual(t.top(40).filter { $0.count == 2 }.count, 20)
        XCTAssertEqual(t.top(40).filter { $0.count == 1 }.count, 20)
    }

    /// `TopK.truncated(to:)` and counting on: Space-Saving's bound against the true counts of a skewed stream.
    func testTruncatedCounterKeepsTheBound() {
        var rng = SystemRandomNumberGenerator()
        var big = TopK(capacity: 1_000)
        var truth: [String: Int] = [:]
        func draw() -> String {
            let r = Int.random(in: 0..<100, using: &rng)
            return r < 50 ? "hot\(r % 10)" : "k\(Int.random(in: 0..<800, using: &rng))"
        }
        for _ in 0..<5_000 { let k = draw(); big.add(k); truth[k, default: 0] += 1 }
        var small = big.truncated(to: 64)
        XCTAssertEqual(small.total, big.total)
        XCTAssertEqual(small.top(64), big.top(64))
        for _ in 0..<5_000 { let k = draw(); small.add(k); truth[k, default: 0] += 1 }
        let kept = small.top(64)
        let floor = kept.map(\.count).min() ?? 0
        for e in kept {
            XCTAssertLessThanOrEqual(e.count - e.error, truth[e.key] ?? 0, e.key)
            XCTAssertGreaterThanOrEqual(e.count, truth[e.key] ?? 0, e.key)
        }
        for (k, n) in truth where !kept.contains(where: { $0.key == k }) { XCTAssertLessThanOrEqual(n, floor, k) }
        for i in 0..<10 { XCTAssertTrue(kept.contains { $0.key == "hot\(i)" }, "hot\(i)") }
        XCTAssertEqual(small.total, 10_000)
    }
}
