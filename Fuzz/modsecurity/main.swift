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
    // As a rule file `logs --modsecurity` reads (continuation lines, id/msg/phase/actions), and each
    // rule found looked up again.
    let catalogued = ModSecurityRuleCatalogue.read(text: text, file: "fuzz.conf")
    for r in catalogued.prefix(8) { _ = (r.id, r.location, r.action, r.text) }
    // As an access-log line and as a HAR document.
    for line in text.split(separator: "\n").prefix(64) { _ = ReplayReader.parse(line: String(line)) }
    if let base = try? RequestTarget(url: "http://fuzz.test") {
        _ = try? ReplayReader.readHAR(Data(bytes), path: "fuzz.har", clientIP: nil) { _ in }
        _ = base
    }
    return 0
}
