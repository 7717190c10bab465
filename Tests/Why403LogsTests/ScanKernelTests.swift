import XCTest
import CWhy403Scan

/// The C search kernel (scalar, SSE2, AVX2 and AVX-512 paths) against a plain search: every
/// occurrence, overlapping ones too, the newlines before each, where its line starts, the newline
/// total, and the overflow signal.
final class ScanKernelTests: XCTestCase {
    /// Occurrences of `needle` in `buf` with the newlines before each, by the definition.
    private func naive(_ buf: [UInt8], _ needle: [UInt8]) -> (hits: [Int], before: [Int], starts: [Int], newlines: Int) {
        var hits: [Int] = [], before: [Int] = [], starts: [Int] = []
        var nl = 0, start = 0
        for s in 0..<buf.count {
            if s + needle.count <= buf.count, Array(buf[s..<(s + needle.count)]) == needle {
                hits.append(s); before.append(nl); starts.append(start)
            }
            if buf[s] == 10 { nl += 1; start = s + 1 }
        }
        return (hits, before, starts, nl)
    }

    private func kernel(_ k: Int32, _ buf: [UInt8], _ needle: [UInt8], max: Int) -> (count: Int, hits: [Int], before: [Int], starts: [Int], newlines: Int) {
        var hits = [Int](repeating: -1, count: max), before = [Int](repeating: -1, count: max)
        var starts = [Int](repeating: -1, count: max)
        var nl = 0
        let n = buf.withUnsafeBufferPointer { b in
            needle.withUnsafeBufferPointer { nb in
                hits.withUnsafeMutableBufferPointer { h in
                    before.withUnsafeMutableBufferPointer { bf in
                        starts.withUnsafeMutableBufferPointer { st in
                            why403_scan_lines(k, b.baseAddress, b.count, nb.baseAddress, nb.count, h.baseAddress, bf.baseAddress,
                                              st.baseAddress, max, &nl)
                        }
                    }
                }
            }
        }
        let kept = n < 0 ? max : n
        return (n, Array(hits.prefix(kept)), Array(before.prefix(kept)), Array(starts.prefix(kept)), nl)
    }

    /// Every path, and those this CPU lacks fall back (so each value is run here).
    private let kernels: [Int32] = [1, 2, 3, 4]

    func testEveryPathAgreesWithAPlainSearch() {
        var rng = SystemRandomNumberGenerator()
        // Dense newlines, and rare ones (lines longer than a 64-byte step: a line start carried over steps).
        let alphabets = [Array(" 403\n4x3 ".utf8), Array(" 403 4x3 ".utf8) + [UInt8](repeating: 97, count: 60) + [10]]
        let needles: [[UInt8]] = [Array(" 403 ".utf8), Array(" 401 ".utf8), Array("403".utf8), Array(" ".utf8), Array("  ".utf8), Array("\"403\"".utf8)]
        for round in 0..<300 {
            let size = round < 150 ? round : Int.random(in: 0..<3000, using: &rng)
            let alphabet = alphabets[round % 2]
            let buf = (0..<size).map { _ in alphabet.randomElement(using: &rng)! }
            for needle in needles {
                let want = naive(buf, needle)
                for k in kernels {
                    let got = kernel(k, buf, needle, max: buf.count + 1)
                    XCTAssertEqual(got.count, want.hits.count, "kernel \(k) round \(round)")
                    XCTAssertEqual(got.hits, want.hits, "kernel \(k) round \(round)")
                    XCTAssertEqual(got.before, want.before, "kernel \(k) round \(round)")
                    XCTAssertEqual(got.starts, want.starts, "kernel \(k) round \(round)")
                    XCTAssertEqual(got.newlines, want.newlines, "kernel \(k) round \(round)")
                }
            }
        }
    }

    /// Without a newline count the scan stops at the first occurrence (the scan thread's `Needle.find`).
    func testFirstOccurrenceWhenNoNewlineCountIsAsked() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(" 403\n4x3 ".utf8)
        let needle = Array(" 403 ".utf8)
        for _ in 0..<300 {
            let buf = (0..<Int.random(in: 0..<800, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let want = naive(buf, needle).hits.first
            for k in kernels {
                var hit = -1, before = -1
                let n = buf.withUnsafeBufferPointer { b in
                    needle.withUnsafeBufferPointer { nb in
                        why403_scan_needle_using(k, b.baseAddress, b.count, nb.baseAddress, nb.count, &hit, &before, 1, nil)
                    }
                }
                XCTAssertEqual(n == 1 ? hit : nil, want, "kernel \(k)")
                XCTAssertEqual(n, want == nil ? 0 : 1, "kernel \(k)")
            }
        }
    }

    func testMoreHitsThanRoomIsSignalledNotWritten() {
        let buf = Array(String(repeating: " 403", count: 1000).utf8) + [32]
        for k in kernels {
            let got = kernel(k, buf, Array(" 403 ".utf8), max: 10)
            XCTAssertEqual(got.count, -1, "kernel \(k): SIZE_MAX")
            XCTAssertEqual(got.hits, Array(stride(from: 0, to: 40, by: 4)), "kernel \(k): the first ten kept")
            let room = kernel(k, buf, Array(" 403 ".utf8), max: 1000)
            XCTAssertEqual(room.count, 1000, "kernel \(k)")
        }
    }

    func testTheKernelNamesItsPath() {
        let name = String(cString: why403_scan_kernel())
        XCTAssertTrue(["avx512", "avx2", "sse2", "scalar"].contains(name), name)
    }
}
