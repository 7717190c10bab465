/// A line sink whose pre-filter phase visits only the lines holding one of its needles (the others
/// are counted, not parsed): the web servers' access logs (`FileScan`) and the edge logs whose
/// status a needle finds (`EdgeScan`). The walk over a block, over precomputed chunk hits and over
/// gathered windows lives here once, so both give the same lines and line numbers whichever way
/// the reader delivered the bytes.
protocol NeedleFiltered: LineBlockSink {
    /// The line number of the last line visited or counted.
    var lineNumber: Int { get set }
    /// Lines longer than this are not visited (the reader reports them as overlong).
    var maxLine: Int { get }
    /// The needles of the pre-filter phase (a line holding any of them is a candidate).
    var needles: [Needle] { get }
    /// The hits of the one needle in the chunk being appended, found by the read-ahead thread.
    var chunkHits: ChunkHits? { get }
    /// Parses one candidate line (`lineNumber` is its number).
    mutating func candidate(_ line: ByteLine)
    /// The same, with the numbers the sink's `lineTokenizer` wrote for it on the read-ahead thread.
    mutating func candidate(_ line: ByteLine, tokens: UnsafePointer<Int32>)
}

extension NeedleFiltered {
    mutating func candidate(_ line: ByteLine, tokens: UnsafePointer<Int32>) { candidate(line) }

    /// The pre-filter phase over a window the reader gathered: the same lines and line numbers as
    /// `filterBlock` (lines longer than `maxLine` were left out by the reader, as `filterBlock` skips them).
    mutating func filterGathered(_ g: GatheredLines) {
        let first = lineNumber
        for j in 0..<g.offsets.count {
            lineNumber = first + g.linesBefore[j] + 1
            let line = ByteLine(g.bytes + g.offsets[j], g.lengths[j])
            if let t = g.tokens(of: j) { candidate(line, tokens: t) } else { candidate(line) }
        }
        lineNumber = first + g.lines
    }

    /// The pre-filter phase over `base[pos..<count]` (whole lines, `pos` a line start): visits the
    /// lines holding a needle, counts the others.
    mutating func filterBlock(_ base: UnsafeRawPointer, _ count: Int, from start: Int) {
        var pos = start
        guard pos < count else { return }
        if let pre = chunkHits, needles.count == 1, base >= pre.base, base + count == pre.base + pre.linesEnd {
            filterPrecomputed(base, count, pos, pre)
            return
        }
        if needles.count == 1 {
            let needle = needles[0]
            while pos < count, let hit = needle.find(in: base, from: pos, to: count) {
                pos = visitHit(base, count, pos, hit)
            }
        } else {
            var hits: [Int] = []
            for needle in needles {
                var from = pos
                while let h = needle.find(in: base, from: from, to: count) { hits.append(h); from = h + 1 }
            }
            hits.sort()
            for h in hits where h >= pos { pos = visitHit(base, count, pos, h) }
        }
        lineNumber += ByteSearch.countNewlines(in: base, from: pos, to: count)
    }

    /// `filterBlock` over a block that ends the chunk's lines, with the hits and newline counts the
    /// read-ahead thread found: the same lines and line numbers as searching here (`visitHit`),
    /// without passing over the bytes between candidate lines.
    private mutating func filterPrecomputed(_ base: UnsafeRawPointer, _ count: Int, _ pos: Int, _ pre: ChunkHits) {
        let off = base - pre.base
        var c = off + pos  // a line start, chunk-relative
        let end = off + count
        // Newlines in chunk[0..<c]: the block starts at the chunk start or after its first line, and
        // `pos` is past the whole-parsed lines (both short, counted here).
        var known = ByteSearch.countNewlines(in: pre.base, from: 0, to: c)
        let chunk = pre.base
        // First hit at or after c (binary search: the hits are in order).
        var lo = 0, hi = pre.hits.count
        while lo < hi { let mid = (lo + hi) / 2; if pre.hits[mid] < c { lo = mid + 1 } else { hi = mid } }
        var k = lo
        while k < pre.hits.count {
            let h = pre.hits[k]
            if h >= end { break }
            if h < c { k += 1; continue }
            let start = max(pre.lineStarts[k], c)
            let lineEnd = ByteSearch.index(of: 10, in: chunk, from: h, to: end) ?? end
            lineNumber += pre.newlinesBefore[k] - known + 1
            if lineEnd - start <= maxLine { candidate(ByteLine(chunk + start, lineEnd - start)) }
            known = pre.newlinesBefore[k] + 1
            c = lineEnd + 1
            k += 1
        }
        // The block ends at the chunk's last newline: every newline of the chunk is in it.
        lineNumber += pre.newlines - known
    }

    /// Visits the line holding `hit`; returns the offset after it.
    private mutating func visitHit(_ base: UnsafeRawPointer, _ count: Int, _ pos: Int, _ hit: Int) -> Int {
        let start = (ByteSearch.lastIndex(of: 10, in: base, from: pos, to: hit)).map { $0 + 1 } ?? pos
        let end = ByteSearch.index(of: 10, in: base, from: hit, to: count) ?? count
        lineNumber += ByteSearch.countNewlines(in: base, from: pos, to: start) + 1
        if end - start <= maxLine { candidate(ByteLine(base + start, end - start)) }
        return end + 1
    }
}
