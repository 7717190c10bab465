import Why403Core

/// The log formats `why403 logs --input-format` names (cli-v1, second edition). The web servers'
/// formats go through the access/error-log scanner; the edge formats through `EdgeScan`.
public enum LogInputFormat: String, Sendable, CaseIterable, Hashable {
    /// nginx/Apache combined access log.
    case combined
    /// Common Log Format.
    case common
    /// nginx error log.
    case nginxError = "nginx-error"
    /// Apache error log.
    case apacheError = "apache-error"
    /// The ModSecurity audit log: native (Serial) or JSON, read by `AuditScan`.
    case modsecurityAudit = "modsecurity-audit"
    /// AWS WAF logs (JSON lines).
    case awsWAF = "aws-waf"
    /// Application Load Balancer access logs.
    case alb
    /// CloudFront standard logs (W3C, tab-separated).
    case cloudfront
    /// Amazon S3 server access logs.
    case s3Access = "s3-access"
    /// Cloudflare Logpush `http_requests` and `firewall_events` (NDJSON).
    case cloudflare
    /// IIS W3C extended logs.
    case iis

    /// Whether the edge scanner reads it.
    public var isEdge: Bool {
        switch self {
        case .awsWAF, .alb, .cloudfront, .s3Access, .cloudflare, .iis: true
        default: false
        }
    }

    /// Whether a scanner of its own reads it (the edge formats and the ModSecurity audit log), not
    /// the access/error-log scanner.
    var hasOwnScanner: Bool { isEdge || self == .modsecurityAudit }

    /// The format named `name`, or an `InputError` listing the names.
    public static func named(_ name: String) throws -> LogInputFormat {
        guard let f = LogInputFormat(rawValue: name.trimmingSpaces.lowercased()) else {
            throw InputError(file: nil, expected: "--input-format one of " + allCases.map(\.rawValue).joined(separator: ", "),
                             found: InputError.quote(name))
        }
        return f
    }

    /// The edge format (or ModSecurity audit log) the first lines of a file are written in, or nil
    /// (a web server's log, or nothing recognisable). Reads at most the first ten non-empty lines of `head`.
    static func detectEdge(_ head: UnsafeRawBufferPointer) -> LogInputFormat? {
        var lines: [String] = []
        var start = 0
        let n = head.count
        while lines.count < 10, start < n {
            var end = start
            while end < n, head[end] != 10 { end += 1 }
            if end == n && n >= 1 << 16 { break }  // a cut line
            // NUL padding before a line (a crash's unflushed blocks) is no part of it, as the scans read it.
            var from = start
            while from < end, head[from] == 0 { from += 1 }
            var line = String(decoding: UnsafeRawBufferPointer(rebasing: head[from..<end]), as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            if !line.trimmingSpaces.isEmpty { lines.append(line) }
            start = end + 1
        }
        for var line in lines {
            if line.hasPrefix("#") {
                if line.hasPrefix("#Fields:") {
                    if line.contains("x-edge-") { return .cloudfront }
                    if line.contains("sc-substatus") || line.contains("s-sitename") || line.contains("cs-uri-stem") { return .iis }
                }
                if line.hasPrefix("#Software: Microsoft Internet Information Services") { return .iis }
                continue
            }
            if AuditLog.section(Substring(line)) == "A" { return .modsecurityAudit }
            // A CloudWatch Logs export: the event's timestamp, then the JSON event.
            let skip = line.utf8.withContiguousStorageIfAvailable { b in
                EdgeParsers.cloudWatchPrefix(ByteLine(UnsafeRawPointer(b.baseAddress!), b.count))
            } ?? 0
            if skip > 0 { line = String(line.utf8.dropFirst(skip))! }
            if line.hasPrefix("{") {
                if line.hasPrefix("{\"transaction\":") || (line.contains("\"transaction\"") && line.contains("\"unique_id\"")) {
                    return .modsecurityAudit
                }
                if line.contains("\"terminatingRuleId\"") || line.contains("\"webaclId\"") { return .awsWAF }
                if EdgeParsers.looksS3JSON(Substring(line)) { return .s3Access }
                if line.contains("\"RayID\"") || line.contains("\"EdgeResponseStatus\"") || line.contains("\"ClientRequestHost\"") {
                    return .cloudflare
                }
                return nil
            }
            if EdgeParsers.looksRealtime(Substring(line)) { return .cloudfront }
            let tokens = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            if tokens.count >= 4, ["http", "https", "h2", "grpcs", "ws", "wss"].contains(tokens[0]),
               tokens[1].count >= 20, tokens[1].hasSuffix("Z"), tokens[1].contains("T") { return .alb }
            if tokens.count >= 4, tokens[2].hasPrefix("["), tokens[2].count == 21, tokens[3].hasSuffix("]"),
               !tokens[0].contains("."), !tokens[0].contains(":") { return .s3Access }
            return nil
        }
        return nil
    }
}
