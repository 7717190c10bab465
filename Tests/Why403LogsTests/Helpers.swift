import Foundation
import XCTest
import Why403Core
import Why403Logs
import Why403TestSupport

/// Analyses `text` as one in-memory log, fed whole.
func analyzeText(_ text: String, name: String = "test.log", chunk: Int = Int.max, statuses: Set<Int> = [403],
                 format: AccessFormat = .combined, limits: LogsLimits = LogsLimits(), top: Int = 10) throws -> Report {
    let bytes = Array(text.utf8)
    return try LogsAnalyzer().analyze(data: bytes, name: name, chunkSize: min(chunk, max(1, bytes.count)),
                                      input: LogsAnalyzer.Input(paths: [name], statuses: statuses, top: top, format: format, limits: limits))
}

/// Analyses files on disk.
func analyzeFiles(_ paths: [String], statuses: Set<Int> = [403], since: Int64? = nil, until: Int64? = nil,
                  format: AccessFormat = .combined, top: Int = 10) throws -> Report {
    try LogsAnalyzer().analyze(LogsAnalyzer.Input(paths: paths, statuses: statuses, since: since, until: until, top: top, format: format))
}

func summary(_ r: Report, file: StaticString = #filePath, line: UInt = #line) throws -> LogsSummary {
    try XCTUnwrap(LogsSummary(report: r), "not a logs report", file: file, line: line)
}

/// A combined-format line.
func combined(_ ip: String = "203.0.113.9", time: String = "29/Nov/2026:09:30:17 +0000", _ request: String = "GET / HTTP/1.1",
              status: Int = 403, ua: String = "curl/8.0") -> String {
    "\(ip) - - [\(time)] \"\(request)\" \(status) 153 \"-\" \"\(ua)\""
}

func jsonString(_ r: Report) -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return String(decoding: try! e.encode(r), as: UTF8.self)
}

func recorded(_ name: String) -> String { Fixtures.url("logs/recorded/\(name)").path }

/// Refusals per message or rule id (`AH01630`, `nginx-limit-req`, `modsecurity-949110`, `status-401`).
func perRule(_ s: LogsSummary) -> [String: Int] {
    var out: [String: Int] = [:]
    for c in s.causes { for r in c.rules { out[r.key, default: 0] += r.count } }
    return out
}
