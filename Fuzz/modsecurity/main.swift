// libFuzzer harness for the ModSecurity readers: every input must read or be refused, with no crash,
// leak or hang. Build and run: Fuzz/modsecurity/run.sh [seconds]
import Foundation
import Why403Core

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    // Each line as an engine/error-log message, and the text as a rule file read at a few lines.
    for line in text.split(separator: "\n").prefix(64) { _ = RuleMessage(text: String(line)) }
    for line in [1, 2, 5] { _ = RuleText(text: text, line: line) }
    // As an access-log line and as a HAR document.
    for line in text.split(separator: "\n").prefix(64) { _ = ReplayReader.parse(line: String(line)) }
    if let base = try? RequestTarget(url: "http://fuzz.test") {
        _ = try? ReplayReader.readHAR(Data(bytes), path: "fuzz.har", clientIP: nil) { _ in }
        _ = base
    }
    return 0
}
