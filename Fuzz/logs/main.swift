// libFuzzer harness for the log scanner: any bytes, read as a combined, JSON or custom-format log,
// fed in chunks of a size the input picks (so lines straddle chunks), must give a report or an
// InputError: no crash, no leak, no hang. Format strings are fuzzed too. The bytes also go through
// the file reader from a temporary file: the read-ahead thread and the C search kernel, or zlib
// streaming when they start with the gzip magic. The edge readers (AWS WAF, ALB, CloudFront, S3,
// Cloudflare, IIS) and the ModSecurity audit-log reader (native and JSON) run on every input too:
// detected from its first lines, and forced with the input format the third byte picks; CloudFront
// (standard and real-time) and IIS also with `--fields` taken from the input's first line.
// Build and run: Fuzz/logs/run.sh [seconds]
import Foundation
import Why403Core
import Why403Logs

let formats: [AccessFormat] = [
    .combined, .json,
    try! AccessFormat.parse(#"$remote_addr [$time_iso8601] $host "$request" $status $request_time "$http_user_agent""#),
    try! AccessFormat.parse(#"%v %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""#),
]
let edgeFormats = LogInputFormat.allCases.filter(\.isEdge) + [.modsecurityAudit]
let filePath = NSTemporaryDirectory() + "why403-fuzz-logs-\(getpid()).log"

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
    _ = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: input)
    var edge = input
    edge.inputFormat = edgeFormats[Int(bytes.count > 2 ? bytes[2] : 0) % edgeFormats.count]
    _ = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: edge)
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
    FileManager.default.createFile(atPath: filePath, contents: Data(bytes))
    _ = try? LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: [filePath], statuses: [403], format: format, limits: limits))
    return 0
}
