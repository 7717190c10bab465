import Foundation
import Why403Core

/// The kinds of saved response `why403 response` reads.
public enum CaptureFormat: String, Sendable, Equatable {
    /// `curl -si` output: status line, headers, blank line, body (several header blocks with `-L`).
    case raw
    /// A `curl -v` transcript: `*` info, `>` request and `<` response lines, the body unprefixed.
    case curlVerbose = "curl-v"
    /// An HTTP Archive 1.2 file (browser developer tools, proxies).
    case har
}

/// What was read from a file: the responses to analyse and what was seen on the way.
public struct ResponseCapture: Sendable, Equatable {
    /// The detected format.
    public var format: CaptureFormat
    /// Raw and curl -v: the last response (the one the client ended with). HAR: every 401/403/407 entry.
    public var responses: [CapturedResponse]
    /// Earlier responses of a redirect chain (raw and curl -v), as "301 Moved Permanently -> https://…".
    public var chain: [String]
    /// HAR: how many entries the file holds.
    public var totalEntries: Int
    /// What the reader noticed: a redirect chain, a truncated or encoded body.
    public var notes: [String]

    /// A capture; see the properties.
    public init(format: CaptureFormat, responses: [CapturedResponse], chain: [String] = [], totalEntries: Int = 1, notes: [String] = []) {
        self.format = format
        self.responses = responses
        self.chain = chain
        self.totalEntries = totalEntries
        self.notes = notes
    }
}

/// Reads saved responses: detects the format, parses it, and throws `InputError` (file, line, what was
/// expected, what was found) on malformed, truncated or binary input. Pure: the bytes are given.
public enum ResponseReader {
    /// Statuses a HAR entry must have to be analysed.
    public static let deniedStatuses: Set<Int> = [401, 403, 407]

    /// Parses `bytes` read from `file` (`-` for stdin), detecting the format.
    public static func read(_ bytes: [UInt8], file: String) throws -> ResponseCapture {
        let name = file == "-" ? "<stdin>" : file
        guard !bytes.isEmpty, bytes.contains(where: { !isSpace($0) }) else {
            throw InputError(file: name, line: 1, expected: "a raw HTTP response, a curl -v transcript or a HAR file", found: "an empty file")
        }
        let start = bytes.firstIndex(where: { !isSpace($0) })!
        let lineNo = 1 + bytes[..<start].filter { $0 == 0x0A }.count
        let head = Array(bytes[start..<min(bytes.count, start + 16)])
        if head.starts(with: Array("HTTP/".utf8)) { return try readRaw(bytes, file: name) }
        if head.first == UInt8(ascii: "{") && !head.starts(with: Array("{ [".utf8)) { return try readHAR(bytes, file: name) }
        if looksLikeCurlVerbose(bytes) { return try readCurlVerbose(bytes, file: name) }
        let firstLine = bytes[start...].prefix { $0 != 0x0A && $0 != 0x0D }
        let found = isBinary(Array(firstLine.prefix(64))) ? "binary data" : InputError.quote(Redactor().redact(String(decoding: firstLine, as: UTF8.self)))
        throw InputError(file: name, line: lineNo, expected: "a status line such as 'HTTP/1.1 403 Forbidden', a curl -v transcript ('< HTTP/…' lines) or a HAR file (JSON)",
                         found: found, help: "save a response with `curl -si URL > response.http` or `curl -v URL 2>&1 | tee response.txt`")
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func isBinary(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(0) { return true }
        let control = bytes.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.count
        if control > 0 { return true }
        return String(validating: bytes, as: UTF8.self) == nil
    }

    /// Splits into lines (LF, with a CR before it dropped), with each line's start offset.
    static func lines(_ bytes: [UInt8]) -> [(start: Int, bytes: ArraySlice<UInt8>)] {
        var out: [(Int, ArraySlice<UInt8>)] = []
        var s = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            var line = bytes[s..<i]
            if line.last == 0x0D { line = line.dropLast() }
            out.append((s, line))
            s = i + 1
        }
        if s < bytes.count {
            var line = bytes[s...]
            if line.last == 0x0D { line = line.dropLast() }
            out.append((s, line))
        }
        return out
    }

    static func text(_ b: some Sequence<UInt8>) -> String { String(decoding: Array(b), as: UTF8.self) }

    // MARK: status lines and headers

    struct StatusLine { var version: String; var status: Int; var reason: String }

    /// `HTTP/1.1 403 Forbidden`, `HTTP/2 403`.
    static func parseStatusLine(_ line: String) -> StatusLine? {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[0].count <= 8,
              parts[0].dropFirst(5).allSatisfy({ $0.isNumber || $0 == "." }), !parts[0].dropFirst(5).isEmpty,
              parts[1].count == 3, let status = Int(parts[1]), (100...599).contains(status) else { return nil }
        return StatusLine(version: String(parts[0]), status: status, reason: parts.count > 2 ? String(parts[2]).trimmingSpaces : "")
    }

    static func isTokenChar(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "!#$%&'*+-.^_`|~".contains(c))
    }

    /// `Name: value`; nil when the line is not a header line.
    static func parseHeader(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { return nil }
        let name = line[..<colon]
        guard name.allSatisfy(isTokenChar) else { return nil }
        return (String(name), String(line[line.index(after: colon)...]).trimmingSpaces)
    }

    static func headerError(_ file: String, _ line: Int, _ text: String, context: String) -> InputError {
        InputError(file: file, line: line, expected: "a header line 'Name: value' or the blank line that ends the \(context)",
                   found: isBinary(Array(text.utf8.prefix(64))) ? "binary data" : InputError.quote(Redactor().redact(text)))
    }

    // MARK: raw

    static func readRaw(_ bytes: [UInt8], file: String) throws -> ResponseCapture {
        let ls = lines(bytes)
        var i = 0
        while i < ls.count, ls[i].bytes.allSatisfy(isSpace) { i += 1 }
        var chain: [String] = []
        var notes: [String] = []
        while true {
            let lineNo = i + 1
            let statusText = text(ls[i].bytes)
            guard !isBinary(Array(ls[i].bytes.prefix(200))), let st = parseStatusLine(statusText) else {
                throw InputError(file: file, line: lineNo, expected: "a status line such as 'HTTP/1.1 403 Forbidden'",
                                 found: isBinary(Array(ls[i].bytes.prefix(64))) ? "binary data" : InputError.quote(Redactor().redact(statusText)))
            }
            i += 1
            var headers = HeaderList()
            var ended = false
            while i < ls.count {
                let raw = ls[i].bytes
                if raw.isEmpty { ended = true; i += 1; break }
                let t = text(raw)
                if isBinary(Array(raw.prefix(400))) { throw headerError(file, i + 1, t, context: "headers") }
                if (raw.first == 0x20 || raw.first == 0x09), !headers.entries.isEmpty {
                    // obs-fold: a continuation of the previous header's value.
                    headers.entries[headers.entries.count - 1].value += " " + t.trimmingSpaces
                    i += 1
                    continue
                }
                guard let (n, v) = parseHeader(t) else { throw headerError(file, i + 1, t, context: "headers") }
                headers.append(n, v)
                i += 1
            }
            if !ended {
                notes.append("the capture ends inside the headers of the \(st.status) response (no blank line): it may be truncated")
            }
            // Another response follows (1xx, a proxy's CONNECT answer, a redirect followed with -L).
            if ended, i < ls.count, parseStatusLine(text(ls[i].bytes)) != nil,
               (100..<200).contains(st.status) || (300..<400).contains(st.status) || st.reason.lowercased().contains("connection established") || st.status == 200 {
                var step = "\(st.status)" + (st.reason.isEmpty ? "" : " \(st.reason)")
                if let loc = headers["location"] { step += " -> \(loc)" }
                chain.append(step)
                continue
            }
            let bodyStart = i < ls.count ? ls[i].start : bytes.count
            var body = Array(bytes[bodyStart...])
            notes += decodeBody(&body, headers: headers)
            if let cl = headers["content-length"].flatMap({ Int($0.trimmingSpaces) }), headers["transfer-encoding"] == nil,
               headers["content-encoding"] == nil, body.count < cl {
                let crlfSlack = body.count + ls.count  // lines pasted with LF instead of CRLF are shorter
                if crlfSlack < cl { notes.append("the body is shorter than its Content-Length (\(body.count) of \(cl) bytes): the capture is truncated") }
            }
            let r = CapturedResponse(httpVersion: st.version, status: st.status, reason: st.reason.isEmpty ? nil : st.reason,
                                     headers: headers, body: body, origin: file, bodyStartLine: i + 1)
            if !chain.isEmpty { notes.append("redirect chain: " + chain.joined(separator: ", then ") + ", then \(st.status): the last response is analysed") }
            return ResponseCapture(format: .raw, responses: [r], chain: chain, notes: notes)
        }
    }

    /// Undoes chunked transfer coding when the body is still chunked; notes a compressed body.
    static func decodeBody(_ body: inout [UInt8], headers: HeaderList) -> [String] {
        var notes: [String] = []
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            switch dechunk(body) {
            case .decoded(let b): body = b
            case .notChunked: break  // curl already decoded it
            case .malformed(let why):
                notes.append("the body claims chunked transfer coding but \(why): it was analysed as it is")
            }
        }
        if let enc = headers["content-encoding"]?.lowercased(), enc != "identity", !body.isEmpty {
            let gz = body.count >= 2 && body[0] == 0x1F && body[1] == 0x8B
            if ["gzip", "x-gzip", "deflate"].contains(enc), let decoded = Inflate.decode(body) {
                body = decoded
                notes.append("the body was \(enc)-decoded before matching")
            } else if gz || isBinary(Array(body.prefix(256))) {
                notes.append("the body is \(enc)-encoded and was not decoded (save it with `curl --compressed -si`): only the status and headers were matched")
                body = []
            }
        }
        return notes
    }

    enum Dechunk { case decoded([UInt8]), notChunked, malformed(String) }

    /// RFC 9112 §7.1 chunked coding. Hand-written: a dozen lines, and Foundation has no decoder for it.
    static func dechunk(_ b: [UInt8]) -> Dechunk {
        var i = 0
        var out: [UInt8] = []
        var first = true
        while true {
            guard let lf = b[i...].firstIndex(of: 0x0A) else {
                return first ? .notChunked : .malformed("it ends inside a chunk header")
            }
            var sizeLine = b[i..<lf]
            if sizeLine.last == 0x0D { sizeLine = sizeLine.dropLast() }
            let hex = sizeLine.prefix { $0 != UInt8(ascii: ";") }
            guard !hex.isEmpty, hex.count <= 15, let size = Int(text(hex).trimmingSpaces, radix: 16) else {
                return first ? .notChunked : .malformed("a chunk size is not hexadecimal")
            }
            first = false
            i = lf + 1
            if size == 0 { return .decoded(out) }
            guard i + size <= b.count else { out += b[i...]; return .malformed("the last chunk is cut short (\(b.count - i) of \(size) bytes)") }
            out += b[i..<(i + size)]
            i += size
            if i < b.count, b[i] == 0x0D { i += 1 }
            if i < b.count, b[i] == 0x0A { i += 1 }
            if i >= b.count { return .malformed("the terminating zero-size chunk is missing") }
        }
    }

    // MARK: curl -v

    static func looksLikeCurlVerbose(_ bytes: [UInt8]) -> Bool {
        for (_, l) in lines(Array(bytes.prefix(64 * 1024))).prefix(200) {
            if l.starts(with: Array("< HTTP/".utf8)) || l.starts(with: Array("> GET ".utf8)) || l.starts(with: Array("* Connected".utf8))
                || l.starts(with: Array("*   Trying".utf8)) || l.starts(with: Array("* Host ".utf8)) { return true }
        }
        return false
    }

    /// `c` then a space or the end of the line: curl's prefixes (`< ` headers, not a body's `<html>`).
    static func isPrefixed(_ line: ArraySlice<UInt8>, _ c: Character) -> Bool {
        guard line.first == c.asciiValue else { return false }
        return line.count == 1 || line[line.startIndex + 1] == 0x20
    }

    struct Exchange {
        var method: String?
        var target: String?
        var requestHeaders = HeaderList()
        var response: StatusLine?
        var responseLine = 0
        var headers = HeaderList()
        var body: [UInt8] = []
        var bodyStartLine: Int?
    }

    static func readCurlVerbose(_ bytes: [UInt8], file: String) throws -> ResponseCapture {
        var exchanges: [Exchange] = []
        var current = Exchange()
        var state = 0  // 0 none, 1 request headers, 2 response headers, 3 body
        var tls = false
        var port: Int? = nil
        for (n, (_, raw)) in lines(bytes).enumerated() {
            let lineNo = n + 1
            if isPrefixed(raw, "*") {
                let t = text(raw)
                if t.contains("SSL connection") || t.contains("TLSv1") || t.contains("ALPN") { tls = true }
                if let r = t.range(of: ") port "), let p = Int(t[r.upperBound...].prefix(while: { $0.isNumber })) { port = p }
                continue
            }
            if raw.starts(with: Array("{ [".utf8)) || raw.starts(with: Array("} [".utf8)) { continue }
            if isPrefixed(raw, ">") {
                let t = String(text(raw.dropFirst()).drop(while: { $0 == " " }))
                if state != 1 {
                    // A new request line.
                    if current.method != nil || current.response != nil { exchanges.append(current) }
                    current = Exchange()
                    let parts = t.split(separator: " ")
                    guard parts.count >= 2, parts[0].allSatisfy(isTokenChar) else {
                        throw InputError(file: file, line: lineNo, expected: "a request line '> METHOD TARGET HTTP/x' in the curl -v transcript",
                                         found: InputError.quote(Redactor().redact(t)))
                    }
                    current.method = String(parts[0])
                    current.target = String(parts[1])
                    state = 1
                    continue
                }
                if t.isEmpty { state = 0; continue }
                guard let (hn, hv) = parseHeader(t) else { throw headerError(file, lineNo, t, context: "request headers") }
                current.requestHeaders.append(hn, hv)
                continue
            }
            if isPrefixed(raw, "<"), state != 3 || parseStatusLine(String(text(raw.dropFirst(2)))) != nil {
                let t = String(text(raw.dropFirst()).drop(while: { $0 == " " }))
                if let st = parseStatusLine(t) {
                    if current.response != nil {
                        // A second response to the same request (100 Continue) or a new exchange without a > line.
                        var next = Exchange()
                        if (100..<200).contains(current.response!.status) { next.method = current.method; next.target = current.target; next.requestHeaders = current.requestHeaders }
                        exchanges.append(current)
                        current = next
                    }
                    current.response = st
                    current.responseLine = lineNo
                    state = 2
                    continue
                }
                guard state == 2 else {
                    throw InputError(file: file, line: lineNo, expected: "a status line '< HTTP/1.1 403 …' before response headers",
                                     found: InputError.quote(Redactor().redact(t)))
                }
                if t.isEmpty { state = 3; continue }
                if isBinary(Array(t.utf8.prefix(400))) { throw headerError(file, lineNo, t, context: "response headers") }
                guard let (hn, hv) = parseHeader(t) else { throw headerError(file, lineNo, t, context: "response headers") }
                current.headers.append(hn, hv)
                continue
            }
            if state == 3 {
                if current.bodyStartLine == nil { current.bodyStartLine = lineNo }
                current.body += raw
                current.body.append(0x0A)
            }
        }
        if current.method != nil || current.response != nil { exchanges.append(current) }
        let answered = exchanges.filter { $0.response != nil }
        guard let last = answered.last, let st = last.response else {
            throw InputError(file: file, line: nil, expected: "a response ('< HTTP/1.1 403 …' line) in the curl -v transcript",
                             found: "none", help: "the request may have failed before a response (connection refused, TLS error): see the '*' lines")
        }
        var notes: [String] = []
        let chain = answered.dropLast().filter { !(100..<200).contains($0.response!.status) }.map { ex -> String in
            var s = "\(ex.method ?? "?") \(ex.target ?? "?") -> \(ex.response!.status)"
            if let loc = ex.headers["location"] { s += " (Location: \(loc))" }
            return s
        }
        if !chain.isEmpty { notes.append("redirect chain: " + chain.joined(separator: ", then ") + ": the last response is analysed") }
        var body = last.body
        if body.last == 0x0A { body.removeLast() }
        notes += decodeBody(&body, headers: last.headers)
        var url: String? = nil
        if let target = last.target {
            if target.contains("://") { url = target } else if let host = last.requestHeaders["host"] {
                let scheme = tls || port == 443 ? "https" : "http"
                url = "\(scheme)://\(host)\(target)"
            }
        }
        if last.method == nil { notes.append("the transcript holds no request lines ('>'): whether credentials were sent is unknown") }
        let r = CapturedResponse(url: url, method: last.method, requestHeaders: last.requestHeaders, httpVersion: st.version,
                                 status: st.status, reason: st.reason.isEmpty ? nil : st.reason, headers: last.headers, body: body,
                                 origin: file, bodyStartLine: last.bodyStartLine)
        return ResponseCapture(format: .curlVerbose, responses: [r], chain: chain, notes: notes)
    }

    // MARK: HAR

    static func readHAR(_ bytes: [UInt8], file: String) throws -> ResponseCapture {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            let desc = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            throw InputError(file: file, line: InputError.jsonErrorLine(desc, bytes), expected: "a HAR file (JSON with log.entries)",
                             found: "invalid JSON" + (desc.isEmpty ? "" : " (\(desc.prefix(120)))"))
        }
        guard let obj = root as? [String: Any], let log = obj["log"] as? [String: Any] else {
            throw InputError(file: file, expected: "a HAR object {\"log\": {\"entries\": [...]}}", found: "JSON without a \"log\" object")
        }
        guard let entries = log["entries"] as? [Any] else {
            throw InputError(file: file, expected: "\"log.entries\", an array", found: log["entries"] == nil ? "no entries" : "a value that is not an array")
        }
        var responses: [CapturedResponse] = []
        var otherStatuses: [Int: Int] = [:]
        for (k, item) in entries.enumerated() {
            let n = k + 1
            guard let e = item as? [String: Any], let req = e["request"] as? [String: Any], let res = e["response"] as? [String: Any] else {
                throw InputError(file: file, expected: "entry \(n) with \"request\" and \"response\" objects", found: "something else")
            }
            guard let status = (res["status"] as? NSNumber)?.intValue else {
                throw InputError(file: file, expected: "entry \(n): response.status, a number", found: res["status"] == nil ? "none" : "a value that is not a number")
            }
            guard deniedStatuses.contains(status) else { otherStatuses[status, default: 0] += 1; continue }
            var body: [UInt8] = []
            var notes: [String] = []
            if let content = res["content"] as? [String: Any], let t = content["text"] as? String {
                if (content["encoding"] as? String)?.lowercased() == "base64" {
                    guard let d = Data(base64Encoded: t, options: .ignoreUnknownCharacters) else {
                        throw InputError(file: file, expected: "entry \(n): response.content.text in base64", found: "text that is not base64")
                    }
                    body = Array(d)
                } else {
                    body = Array(t.utf8)
                }
            }
            let reqHeaders = harHeaders(req["headers"])
            var requestHeaders = reqHeaders
            if !reqHeaders.contains("cookie"), let cookies = req["cookies"] as? [[String: Any]], !cookies.isEmpty {
                requestHeaders.append("Cookie", cookies.map { "\($0["name"] as? String ?? "")=\($0["value"] as? String ?? "")" }.joined(separator: "; "))
            }
            let headers = harHeaders(res["headers"])
            if headers["content-encoding"] != nil, body.count >= 2, body[0] == 0x1F, body[1] == 0x8B {
                if let decoded = Inflate.decode(body) {
                    body = decoded
                } else {
                    notes.append("entry \(n): the body is still gzip-encoded and could not be decoded")
                    body = []
                }
            }
            let reason = (res["statusText"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            let r = CapturedResponse(url: req["url"] as? String, method: req["method"] as? String, requestHeaders: requestHeaders,
                                     httpVersion: (res["httpVersion"] as? String).flatMap { $0.isEmpty ? nil : $0.uppercased() },
                                     status: status, reason: reason, headers: headers, body: body, origin: "\(file) entry \(n)")
            responses.append(r)
            _ = notes
        }
        var notes: [String] = []
        if responses.isEmpty {
            let summary = otherStatuses.keys.sorted().map { "\(otherStatuses[$0]!)× \($0)" }.joined(separator: ", ")
            notes.append("no entry of the \(entries.count) has status 401, 403 or 407" + (summary.isEmpty ? "" : " (\(summary))"))
        }
        return ResponseCapture(format: .har, responses: responses, totalEntries: entries.count, notes: notes)
    }

    static func harHeaders(_ v: Any?) -> HeaderList {
        var h = HeaderList()
        for item in (v as? [[String: Any]]) ?? [] {
            guard let name = item["name"] as? String, !name.hasPrefix(":") else { continue }
            h.append(name, (item["value"] as? String) ?? "")
        }
        return h
    }

}
