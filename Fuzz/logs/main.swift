// libFuzzer harness for the log scanner: any bytes, read as a combined, JSON or custom-format log,
// fed in chunks of a size the input picks (so lines straddle chunks), must give a report or an
// InputError: no crash, no leak, no hang. Format strings are fuzzed too. The bytes also go through
// the file reader from a temporary file: the read-ahead thread and the C search kernel, or zlib
// streaming when they start with the gzip magic. The edge readers (AWS WAF, ALB, CloudFront, S3,
// Cloudflare, IIS) and the ModSecurity audit-log reader (native and JSON) run on every input too:
// detected from its first lines, and forced with the input format the third byte picks; CloudFront
// (standard and real-time) and IIS also with `--fields` taken from the input's first line. The C
// reader of mapped windows (`why403_gather_lines`) runs over the bytes in windows of a size the input
// picks and must find the same lines, with the same numbers, as a plain line split (a trap otherwise).
// Access lines are read again with the format matcher that gives reasons only, and the two reports must agree.
// Build and run: Fuzz/logs/run.sh [seconds]
import Foundation
import CWhy403Scan
import Why403Core
import Why403Logs

/// The lines holding " 403 " (no longer than `maxLine`) with their numbers, and the line count: by a
/// plain split, and by `why403_gather_lines` over windows of `window` bytes.
func gatherAgrees(_ bytes: [UInt8], window: Int, maxLine: Int, maxHits: Int) -> Bool {
    let needle = Array(" 403 ".utf8)
    var want: [[Int]] = []
    var lines = 0
    var start = 0
    while start < bytes.count {
        let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
        lines += 1
        if end - start <= maxLine, end - start >= needle.count,
           (start...(end - needle.count)).contains(where: { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }) {
            want.append([lines] + bytes[start..<end].map(Int.init))
        }
        start = end + 1
    }
    let maxLines = window / (needle.count + 1) + 2
    let ints = UnsafeMutablePointer<Int>.allocate(capacity: 3 * maxHits + 3 * maxLines)
    let out = UnsafeMutablePointer<UInt8>.allocate(capacity: window)
    defer { ints.deallocate(); out.deallocate() }
    var space = why403_gather_space(hits: ints, newlines_before: ints + maxHits, line_starts: ints + 2 * maxHits, max_hits: maxHits,
                                    out: out, out_capacity: window, offsets: ints + 3 * maxHits, lengths: ints + 3 * maxHits + maxLines,
                                    numbers: ints + 3 * maxHits + 2 * maxLines, max_lines: maxLines)
    var result = why403_gather_result()
    var got: [[Int]] = []
    var number = 0
    var offset = 0
    while offset < bytes.count {
        let n = min(window, bytes.count - offset)
        let rc = bytes.withUnsafeBufferPointer { b in
            needle.withUnsafeBufferPointer { nb in
                why403_gather_lines(0, b.baseAddress! + offset, n, offset + n == bytes.count ? 1 : 0, nb.baseAddress, nb.count,
                                    maxLine, &space, &result)
            }
        }
        if rc != 0 { return false }
        for j in 0..<result.lines {
            got.append([number + space.numbers[j] + 1] + UnsafeBufferPointer(start: out + space.offsets[j], count: space.lengths[j]).map(Int.init))
        }
        number += result.newlines
        offset += result.consumed
    }
    return got == want && number == lines
}

let formats: [AccessFormat] = [
    .combined, .json,
    try! AccessFormat.parse(#"$remote_addr [$time_iso8601] $host "$request" $status $request_time "$http_user_agent""#),
    try! AccessFormat.parse(#"%v %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""#),
]
let edgeFormats = LogInputFormat.allCases.filter(\.isEdge) + [.modsecurityAudit]
let filePath = NSTemporaryDirectory() + "why403-fuzz-logs-\(getpid()).log"

/// A digit followed by an exponent, or 19 digits in a row.
func hugeNumber(_ b: [UInt8]) -> Bool {
    var run = 0
    for (i, c) in b.enumerated() {
        if c >= 48 && c <= 57 { run += 1; if run >= 19 { return true } } else { run = 0 }
        if (c == 101 || c == 69), i > 0, b[i - 1] >= 48 && b[i - 1] <= 57 { return true }
    }
    return false
}

func encode(_ r: Report) -> Data {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return (try? e.encode(r)) ?? Data()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let format = formats[Int(first) % formats.count]
    let chunk = 1 + Int(bytes.count > 1 ? bytes[1] : 0) * 7
    var limits = LogsLimits()
    limits.keysPerDimension = 4          // small caps: the Space-Saving and eviction paths run
    limits.fullyParsedLines = 3          // the pre-filter path runs on short inputs
    limits.maxLineLength = 512
    limits.correlationEvents = 8
    let input = LogsAnalyzer.Input(paths: ["fuzz.log"], statuses: [401, 403, 429], top: 3, format: format, limits: limits)
    let accessReport = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: input)
    // Access lines parsed on the read-ahead thread (`AccessTokens`) against parsing each line itself.
    var accessTokenized = input
    accessTokenized.limits.tokenizeEveryLine = true
    let accessOther = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: accessTokenized)
    if accessReport.map(encode) != accessOther.map(encode) { fatalError("the tokenized access read differs") }
    // The format matched only by the matcher that gives reasons, against its fast twin (`matchesFast`).
    var reasoned = input
    reasoned.limits.reasonedMatchOnly = true
    let accessReasoned = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: reasoned)
    if accessReport.map(encode) != accessReasoned.map(encode) { fatalError("the fast format matcher read differs") }
    var edge = input
    edge.inputFormat = edgeFormats[Int(bytes.count > 2 ? bytes[2] : 0) % edgeFormats.count]
    let edgeReport = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: edge)
    // Cloudflare: the flat JSON reader against Foundation's, report for report (but for numbers beyond
    // Int64, which the flat reader reads as absent: inputs with an exponent or 19 digits in a row are left out).
    if edge.inputFormat == .cloudflare, !hugeNumber(bytes) {
        var foundation = edge
        foundation.limits.foundationJSON = true
        let other = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: foundation)
        if edgeReport.map(encode) != other.map(encode) { fatalError("FlatJSON and JSONSerialization read a Cloudflare log differently") }
    }
    // Cloudflare and ALB: the reader's pass run ahead (`LineTokenizer`, as on a large file's gathered lines)
    // against reading each line itself.
    if edge.inputFormat == .cloudflare || edge.inputFormat == .alb {
        var tokenized = edge
        tokenized.limits.tokenizeEveryLine = true
        let other = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: tokenized)
        if edgeReport.map(encode) != other.map(encode) { fatalError("the tokenized \(edge.inputFormat!) read differs") }
    }
    // --fields: the field names from the input's first line (comma-separated, as the option reads
    // them), for the W3C and real-time readers that take them.
    if bytes.count > 3, bytes[3] & 1 == 1 {
        let firstLine = bytes.prefix { $0 != 10 }.prefix(300)
        edge.fields = String(decoding: firstLine, as: UTF8.self).split(separator: ",").map { String($0) }
        for f in [LogInputFormat.cloudfront, .iis] {
            edge.inputFormat = f
            _ = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: edge)
        }
    }
    _ = try? AccessFormat.parse(String(decoding: bytes.prefix(200), as: UTF8.self))
    if bytes.count > 5 {
        let window = 8 + Int(bytes[4]) * 3
        if !gatherAgrees(bytes, window: window, maxLine: min(window - 2, 1 + Int(bytes[5]) * 2), maxHits: 1 + Int(bytes[4] % 5)) {
            fatalError("why403_gather_lines disagrees with a line split (window \(window))")
        }
    }
    FileManager.default.createFile(atPath: filePath, contents: Data(bytes))
    _ = try? LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: [filePath], statuses: [403], format: format, limits: limits))
    return 0
}
