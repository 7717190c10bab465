// libFuzzer harness for the log scanner: any bytes, read as a combined, JSON or custom-format log,
// fed in chunks of a size the input picks (so lines straddle chunks), must give a report or an
// InputError: no crash, no leak, no hang. Format strings are fuzzed too. Inputs starting with the gzip
// magic go through the file reader (zlib streaming) as well.
// Build and run: Fuzz/logs/run.sh [seconds]
import Foundation
import Why403Core
import Why403Logs

let formats: [AccessFormat] = [
    .combined, .json,
    try! AccessFormat.parse(#"$remote_addr [$time_iso8601] $host "$request" $status $request_time "$http_user_agent""#),
    try! AccessFormat.parse(#"%v %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""#),
]
let gzPath = NSTemporaryDirectory() + "why403-fuzz-logs-\(getpid()).gz"

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
    let input = LogsInput(paths: ["fuzz.log"], statuses: [401, 403, 429], top: 3, format: format, limits: limits)
    _ = try? LogsAnalyzer().analyze(data: bytes, name: "fuzz.log", chunkSize: chunk, input: input)
    _ = try? AccessFormat.parse(String(decoding: bytes.prefix(200), as: UTF8.self))
    if bytes.count > 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
        FileManager.default.createFile(atPath: gzPath, contents: Data(bytes))
        _ = try? LogsAnalyzer().analyze(LogsInput(paths: [gzPath], statuses: [403], format: .combined, limits: limits))
    }
    return 0
}
