import Foundation
import Why403Core

/// The requests of a HAR file or of an nginx/Apache access log (combined or common format), one at a
/// time, for `--replay`: the edge commands (modsecurity, cloudflare, aws-waf) run each through rules
/// loaded once. An access log is streamed line by line (memory stays bounded whatever its size); a HAR
/// file is JSON and is read whole (capped at `maxHARBytes`). Broken entries are counted, the first few
/// sampled with their line or JSON path, and skipped — never a crash.
public enum ReplayReader {
    /// One replayed request and where it came from (`FILE:LINE`, or `FILE $.log.entries[3]`).
    public struct Item: Sendable {
        /// The request.
        public var request: Request
        /// Where it came from.
        public var origin: String
    }

    /// What was read.
    public struct Stats: Sendable, Equatable {
        /// `har` or `access-log`.
        public var format: String
        /// Requests handed to the visitor.
        public var requests = 0
        /// Entries or lines that were not requests (skipped).
        public var broken = 0
        /// The first broken ones, with their line or JSON path and what was wrong.
        public var samples: [String] = []

        mutating func skip(_ what: String) {
            broken += 1
            if samples.count < 5 { samples.append(what) }
        }
    }

    /// The largest HAR file read (HAR is one JSON document).
    public static let maxHARBytes = 512 << 20

    /// Reads `path`, calling `visit` for each request. `base` gives the scheme, host and port of
    /// access-log requests (a log line has only the path); `clientIP` is the address of HAR requests
    /// (HAR does not record the client's). Throws `InputError` when the file cannot be read or is
    /// neither format.
    public static func read(path: String, base: RequestTarget, clientIP: IPAddress? = nil,
                            visit: (Item) throws -> Void) throws -> Stats {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, message: "cannot read the replay file", help: "--replay takes a HAR file or an nginx/Apache access log")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        let first = head.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        if first == UInt8(ascii: "{") {
            try handle.seek(toOffset: 0)
            let data = (try? handle.read(upToCount: maxHARBytes + 1)) ?? Data()
            guard data.count <= maxHARBytes else {
                throw InputError(file: path, message: "the HAR file is larger than \(maxHARBytes >> 20) MiB",
                                 help: "split it, or export the requests as an access log")
            }
            return try readHAR(data, path: path, clientIP: clientIP, visit: visit)
        }
        try handle.seek(toOffset: 0)
        return try readAccessLog(handle, path: path, base: base, visit: visit)
    }

    // MARK: HAR

    static func readHAR(_ data: Data, path: String, clientIP: IPAddress?, visit: (Item) throws -> Void) throws -> Stats {
        var stats = Stats(format: "har")
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw InputError(file: path, expected: "a HAR file (JSON with log.entries)", found: "JSON that does not parse")
        }
        guard let log = (json as? [String: Any])?["log"] as? [String: Any], let entries = log["entries"] as? [Any] else {
            throw InputError(file: path, expected: "a HAR object {\"log\": {\"entries\": [...]}}", found: "JSON without log.entries")
        }
        for (i, e) in entries.enumerated() {
            let at = "\(path) $.log.entries[\(i)]"
            guard let req = (e as? [String: Any])?["request"] as? [String: Any] else { stats.skip("\(at): no request object"); continue }
            guard let method = req["method"] as? String, let url = req["url"] as? String else {
                stats.skip("\(at).request: expected method and url"); continue
            }
            var headers: [(name: String, value: String)] = []
            for h in (req["headers"] as? [Any]) ?? [] {
                guard let h = h as? [String: Any], let n = h["name"] as? String, let v = h["value"] as? String else { continue }
                // HTTP/2 pseudo-headers (:authority, :path) are not header fields.
                if n.hasPrefix(":") { continue }
                headers.append((n, v))
            }
            var body: [UInt8]? = nil
            if let post = req["postData"] as? [String: Any], let text = post["text"] as? String {
                body = Array(text.utf8)
                if !headers.contains(where: { $0.name.lowercased() == "content-type" }), let mime = post["mimeType"] as? String, !mime.isEmpty {
                    headers.append(("Content-Type", mime))
                }
            }
            do {
                var r = try Request(method: method, url: url, headers: headers, body: body)
                r.clientAddress = clientIP
                stats.requests += 1
                try visit(Item(request: r, origin: at))
            } catch let e as InputError {
                stats.skip("\(at).request: \(e.message)")
            }
        }
        return stats
    }

    // MARK: access logs

    static func readAccessLog(_ handle: FileHandle, path: String, base: RequestTarget, visit: (Item) throws -> Void) throws -> Stats {
        var stats = Stats(format: "access-log")
        var buffer = Data()
        var lineNo = 0
        func take(_ line: Data) throws {
            lineNo += 1
            let text = String(decoding: line, as: UTF8.self)
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return }
            switch parse(line: text) {
            case .failure(let why):
                stats.skip("\(path):\(lineNo): \(why)")
            case .success(let rec):
                var headers: [(name: String, value: String)] = []
                if let ua = rec.userAgent { headers.append(("User-Agent", ua)) }
                if let ref = rec.referer { headers.append(("Referer", ref)) }
                do {
                    let url = base.origin + (rec.target.hasPrefix("/") ? rec.target : "/" + rec.target)
                    let r = try Request(method: rec.method, url: url, headers: headers, clientIP: rec.client)
                    stats.requests += 1
                    try visit(Item(request: r, origin: "\(path):\(lineNo)"))
                } catch let e as InputError {
                    stats.skip("\(path):\(lineNo): \(e.message)")
                }
            }
        }
        while true {
            let chunk = (try? handle.read(upToCount: 1 << 20)) ?? Data()
            if chunk.isEmpty { break }
            buffer.append(chunk)
            var start = buffer.startIndex
            while let nl = buffer[start...].firstIndex(of: 0x0A) {
                var line = buffer[start..<nl]
                if line.last == 0x0D { line = line.dropLast() }
                try take(Data(line))
                start = buffer.index(after: nl)
            }
            buffer.removeSubrange(buffer.startIndex..<start)   // once per chunk, not per line
            if buffer.count > 1 << 20 {   // a "line" of more than 1 MiB is not an access-log line
                stats.skip("\(path):\(lineNo + 1): a line longer than 1 MiB")
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try take(buffer) }
        return stats
    }

    /// One combined/common log line: `ADDR - USER [TIME] "METHOD TARGET PROTO" STATUS SIZE ["REFERER" "UA"]`.
    struct AccessLine {
        var client: String?
        var method: String
        var target: String
        var referer: String?
        var userAgent: String?
    }

    static func parse(line: String) -> Result<AccessLine, ParseFailure> {
        guard let firstSpace = line.firstIndex(of: " ") else { return .failure(.init("expected a combined or common log line")) }
        let client = String(line[..<firstSpace])
        guard let q1 = line.firstIndex(of: "\"") else { return .failure(.init("expected a quoted request line (\"GET /path HTTP/1.1\")")) }
        let quoted = quotedStrings(line[q1...])
        guard let requestLine = quoted.first else { return .failure(.init("expected a quoted request line (\"GET /path HTTP/1.1\")")) }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return .failure(.init("the request line \"\(requestLine.prefix(60))\" has no method and target")) }
        func field(_ i: Int) -> String? {
            guard quoted.count > i else { return nil }
            let v = quoted[i]
            return v == "-" || v.isEmpty ? nil : v
        }
        return .success(AccessLine(client: IPAddress(client) != nil ? client : nil, method: String(parts[0]),
                                   target: String(parts[1]), referer: field(1), userAgent: field(2)))
    }

    /// The `"…"` strings of a log line (a backslash escapes the next character, as nginx and Apache write).
    static func quotedStrings(_ s: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        var inside = false
        var escaped = false
        for c in s {
            if inside {
                if escaped { current.append(c); escaped = false }
                else if c == "\\" { escaped = true }
                else if c == "\"" { out.append(current); current = ""; inside = false }
                else { current.append(c) }
            } else if c == "\"" {
                inside = true
            }
        }
        return out
    }

    /// Why a line is not an access-log line.
    struct ParseFailure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}

extension ReplayReader.ParseFailure: CustomStringConvertible {
    var description: String { message }
}
