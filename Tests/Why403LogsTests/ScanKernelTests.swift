import XCTest
import Foundation
import CWhy403Scan

/// The C search kernel (scalar, SSE2 and AVX2 paths) against a plain search: every
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
    private let kernels: [Int32] = [1, 2, 3]

    /// Every path finds what the plain search finds in `buf`: the hits, the newlines before each, their line starts and
    /// the newline total and the count it returns.
    private func assertAgrees(_ buf: [UInt8], _ needle: [UInt8], _ label: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        let want = naive(buf, needle)
        for k in kernels {
            let got = kernel(k, buf, needle, max: buf.count + 1)
            XCTAssertEqual(got.count, want.hits.count, "kernel \(k) \(label)", file: file, line: line)
            XCTAssertEqual(got.hits, want.hits, "kernel \(k) \(label)", file: file, line: line)
            XCTAssertEqual(got.before, want.before, "kernel \(k) \(label)", file: file, line: line)
            XCTAssertEqual(got.starts, want.starts, "kernel \(k) \(label)", file: file, line: line)
            XCTAssertEqual(got.newlines, want.newlines, "kernel \(k) \(label)", file: file, line: line)
        }
    }

    func testEveryPathAgreesWithAPlainSearch() {
        var rng = SystemRandomNumberGenerator()
        // Dense newlines, and rare ones (lines longer than a 64-byte step: a line start carried over steps).
        let alphabets = [Array(" 403\n4x3 ".utf8), Array(" 403 4x3 ".utf8) + [UInt8](repeating: 97, count: 60) + [10]]
        let needles: [[UInt8]] = [Array(" 403 ".utf8), Array(" 401 ".utf8), Array("403".utf8), Array(" ".utf8), Array("  ".utf8), Array("\"403\"".utf8)]
        for round in 0..<300 {
            let size = round < 150 ? round : Int.random(in: 0..<3000, using: &rng)
            let alphabet = alphabets[round % 2]
            let buf = (0..<size).map { _ in alphabet.randomElement(using: &rng)! }
            for needle in needles { assertAgrees(buf, needle, "round \(round)") }
        }
    }

    /// Long needles (twelve bytes or more) are searched with two probes — the first capital letter and the last
    /// byte — in a loop of their own: every path agrees with the plain search on buffers made of the needle, near
    /// misses that share its probe bytes (`…Status":200`, `…Status":503`), its pieces and newlines.
    func testLongNeedlesAgreeWithAPlainSearch() {
        var rng = SystemRandomNumberGenerator()
        let needles: [[UInt8]] = [Array("\"EdgeResponseStatus\":403".utf8), Array("abcdefghijkl403".utf8), Array("  padded  403 ".utf8)]
        for needle in needles {
            let text = String(decoding: needle, as: UTF8.self)
            let pieces: [[UInt8]] = [needle, Array(text.replacingOccurrences(of: "403", with: "200").utf8),
                                     Array(text.replacingOccurrences(of: "403", with: "503").utf8),
                                     Array(needle.prefix(needle.count / 2)), Array(needle.suffix(5)), Array("\n".utf8), Array(",".utf8),
                                     [UInt8](repeating: 97, count: 70)]
            for round in 0..<200 {
                var buf: [UInt8] = []
                let parts = round < 20 ? round : Int.random(in: 0..<120, using: &rng)
                for _ in 0..<parts { buf += pieces.randomElement(using: &rng)! }
                assertAgrees(buf, needle, "needle \(text) round \(round)")
            }
        }
    }

    /// Buffers longer than one stretch of blocks (the vector loops check candidates after every 256
    /// steps): hits, counts and line starts carried across stretches, and the search stopping at the
    /// first occurrence past the first stretch.
    func testBuffersLongerThanAStretch() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(" 403 4x3 ".utf8) + [UInt8](repeating: 97, count: 40) + [10]
        for round in 0..<12 {
            let size = [4096, 8192, 16384, 16448][round % 4] + Int.random(in: -70...70, using: &rng) + (round / 4) * 9000
            let buf = (0..<size).map { _ in alphabet.randomElement(using: &rng)! }
            for needle in [Array(" 403 ".utf8), Array("x".utf8)] { assertAgrees(buf, needle, "size \(size)") }
            // Only one occurrence, late: the first-occurrence search finds it across stretches.
            var late = [UInt8](repeating: 97, count: size)
            late.replaceSubrange((size - 9)..<(size - 4), with: Array(" 403 ".utf8))
            for k in kernels {
                var hit = -1, before = -1
                let n = late.withUnsafeBufferPointer { b in
                    Array(" 403 ".utf8).withUnsafeBufferPointer { nb in
                        why403_scan_needle_using(k, b.baseAddress, b.count, nb.baseAddress, nb.count, &hit, &before, 1, nil)
                    }
                }
                XCTAssertEqual(n, 1, "kernel \(k) size \(size)")
                XCTAssertEqual(hit, size - 9, "kernel \(k) size \(size)")
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
        XCTAssertTrue(["avx2", "sse2", "scalar"].contains(name), name)
    }
}

/// `why403_gather_lines`, the mapped-window read: the lines holding the needle and their numbers
/// against a plain line split, over windows of every size; and a mapping whose file shrinks.
final class GatherLinesTests: XCTestCase {
    private struct Line: Equatable { var number: Int; var text: [UInt8] }

    private func byDefinition(_ buf: [UInt8], _ needle: [UInt8], maxLine: Int) -> (lines: [Line], count: Int) {
        var out: [Line] = []
        var number = 0
        var start = 0
        while start < buf.count {
            let end = buf[start...].firstIndex(of: 10) ?? buf.count
            number += 1
            let line = Array(buf[start..<end])
            if line.count <= maxLine, line.count >= needle.count,
               (0...(line.count - needle.count)).contains(where: { Array(line[$0..<($0 + needle.count)]) == needle }) {
                out.append(Line(number: number, text: line))
            }
            start = end + 1
        }
        return (out, number)
    }

    private func inWindows(_ buf: [UInt8], _ needle: [UInt8], window: Int, maxLine: Int, maxHits: Int) -> (lines: [Line], count: Int) {
        let maxLines = window / (needle.count + 1) + 2
        var hits = [Int](repeating: 0, count: maxHits), before = hits, starts = hits
        var out = [UInt8](repeating: 0, count: window)
        var offsets = [Int](repeating: 0, count: maxLines), lengths = offsets, numbers = offsets
        var result = why403_gather_result()
        var lines: [Line] = []
        var number = 0
        var offset = 0
        while offset < buf.count {
            let n = min(window, buf.count - offset)
            let final: Int32 = offset + n == buf.count ? 1 : 0
            let rc = hits.withUnsafeMutableBufferPointer { h in before.withUnsafeMutableBufferPointer { b in starts.withUnsafeMutableBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in offsets.withUnsafeMutableBufferPointer { of in lengths.withUnsafeMutableBufferPointer { l in
                    numbers.withUnsafeMutableBufferPointer { nu in
                        var space = why403_gather_space(hits: h.baseAddress, newlines_before: b.baseAddress, line_starts: s.baseAddress,
                                                        max_hits: maxHits, out: o.baseAddress, out_capacity: window,
                                                        offsets: of.baseAddress, lengths: l.baseAddress, numbers: nu.baseAddress,
                                                        max_lines: maxLines)
                        return buf.withUnsafeBufferPointer { bb in needle.withUnsafeBufferPointer { nb in
                            why403_gather_lines(0, bb.baseAddress! + offset, n, final, nb.baseAddress, nb.count, maxLine, &space, &result)
                        } }
                    } } } } } } }
            XCTAssertEqual(rc, 0)
            for j in 0..<result.lines {
                lines.append(Line(number: number + numbers[j] + 1, text: Array(out[offsets[j]..<(offsets[j] + lengths[j])])))
            }
            number += result.newlines
            offset += result.consumed
        }
        return (lines, number)
    }

    func testGatheredLinesAndNumbersMatchALineSplit() {
        var rng = SystemRandomNumberGenerator()
        let needle = Array(" 403 ".utf8)
        for round in 0..<1500 {
            let alphabet = Array("ab 4\n03".utf8)
            var buf = (0..<Int.random(in: 1...3000, using: &rng)).map { _ in alphabet[Int.random(in: 0..<(round % 3 == 0 ? 7 : 6), using: &rng)] }
            if round % 5 == 0 {
                var i = 0
                while i + 5 < buf.count { buf.replaceSubrange(i..<(i + 5), with: needle); i += Int.random(in: 1...40, using: &rng) }
            }
            let window = Int.random(in: 8...300, using: &rng)
            let maxLine = min(Int.random(in: 1...200, using: &rng), window - 2)
            let want = byDefinition(buf, needle, maxLine: maxLine)
            let got = inWindows(buf, needle, window: window, maxLine: maxLine, maxHits: Int.random(in: 1...4, using: &rng))
            XCTAssertEqual(got.count, want.count, "round \(round): lines")
            XCTAssertEqual(got.lines, want.lines, "round \(round): window \(window), max line \(maxLine), \(String(decoding: buf, as: UTF8.self).debugDescription)")
            if got.lines != want.lines || got.count != want.count { return }
        }
    }

    func testAMappingWhoseFileShrinksEndsTheWindowNotTheProcess() throws {
        let path = NSTemporaryDirectory() + "why403-shrink-\(getpid()).log"
        let line = "203.0.113.9 - - [29/Nov/2026:09:30:17 +0000] \"GET / HTTP/1.1\" 403 153 \"-\" \"curl/8.0\"\n"
        FileManager.default.createFile(atPath: path, contents: Data(String(repeating: line, count: 30_000).utf8))
        defer { unlink(path) }
        let fd = open(path, O_RDWR)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let size = Int(lseek(fd, 0, SEEK_END))
        let map = try XCTUnwrap(mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0))
        XCTAssertNotEqual(map, MAP_FAILED)
        defer { munmap(map, size) }
        XCTAssertEqual(ftruncate(fd, 4096), 0)  // logrotate's copytruncate, under the mapping
        let needle = Array(" 403 ".utf8)
        let maxLines = size / 6 + 2
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: 3 * 64 + 3 * maxLines)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { scratch.deallocate(); out.deallocate() }
        var space = why403_gather_space(hits: scratch, newlines_before: scratch + 64, line_starts: scratch + 128, max_hits: 64,
                                        out: out, out_capacity: size, offsets: scratch + 192, lengths: scratch + 192 + maxLines,
                                        numbers: scratch + 192 + 2 * maxLines, max_lines: maxLines)
        var result = why403_gather_result()
        let rc = needle.withUnsafeBufferPointer { nb in
            why403_gather_lines(0, map.assumingMemoryBound(to: UInt8.self), size, 1, nb.baseAddress, nb.count, 65_536, &space, &result)
        }
        XCTAssertEqual(rc, -1)
        XCTAssertEqual(result.faulted, 1)
    }
}
