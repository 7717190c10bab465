import Foundation
import Why403Core

/// The scanner state for one edge log (AWS WAF, ALB, CloudFront, S3, Cloudflare, IIS): every line
/// is parsed (these logs carry the reason on the line itself), mapped to a cause by the format's
/// rule table, and handed to the aggregates; a line that does not fit is counted and sampled.
/// Memory: the current line and, for W3C logs, the `#Fields:` names.
struct EdgeScan: LineBlockSink {
    let file: String
    let format: LogInputFormat
    let context: ScanContext
    let table: [EdgeRule]
    let maxLine: Int
    var lineNumber = 0
    /// W3C: the field names of the last `#Fields:` line.
    var w3cFields: [String]

    init(file: String, format: LogInputFormat, context: ScanContext) {
        self.file = file
        self.format = format
        self.context = context
        self.table = EdgeRules.table(format)
        self.maxLine = context.limits.maxLineLength
        self.w3cFields = format == .cloudfront ? EdgeParsers.cloudfrontDefault : EdgeParsers.iisDefault
    }

    mutating func overlongLine() {
        lineNumber += 1
        context.malformed(file: file, line: lineNumber, text: "(a line longer than \(maxLine) bytes)")
    }

    mutating func block(_ base: UnsafeRawPointer, _ count: Int) {
        var pos = 0
        while pos < count {
            let end = ByteSearch.index(of: 10, in: base, from: pos, to: count) ?? count
            lineNumber += 1
            let line = ByteLine(base + pos, end - pos)
            if line.count > maxLine {
                context.malformed(file: file, line: lineNumber, text: "(a line longer than \(maxLine) bytes)")
            } else {
                process(line)
            }
            pos = end + 1
        }
    }

    private mutating func process(_ bytes: ByteLine) {
        var text = bytes.text
        if text.hasSuffix("\r") { text.removeLast() }
        if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
        if bytes.looksBinary {
            context.malformed(file: file, line: lineNumber, text: text)
            return
        }
        let line = Substring(text)
        let parsed: Result<EdgeRecord, EdgeMismatch>
        switch format {
        case .cloudfront, .iis:
            if line.hasPrefix("#") {
                if line.hasPrefix("#Fields:") {
                    let names = line.dropFirst("#Fields:".count).split(separator: " ").map(String.init)
                    if !names.isEmpty { w3cFields = names }
                }
                return
            }
            parsed = EdgeParsers.w3c(line, fields: w3cFields, format: format)
        case .alb: parsed = EdgeParsers.alb(line)
        case .s3Access: parsed = EdgeParsers.s3(line)
        case .awsWAF: parsed = EdgeParsers.awsWAF(line)
        case .cloudflare: parsed = EdgeParsers.cloudflare(line)
        default: parsed = .failure("an edge log line")
        }
        switch parsed {
        case .failure:
            context.malformed(file: file, line: lineNumber, text: text)
        case .success(let rec):
            guard context.statuses.contains(rec.status) else { return }
            let rule = EdgeRules.match(table, rec)
            var name = EdgeRules.name(rule, rec, format: format)
            if name.isEmpty { name = format.rawValue }
            context.edgeDenial(rec, format: format, rule: rule, name: name, target: rec[.errorCode] == "AccessDenied" ? rec.s3.map(S3Command.commandLine) : nil,
                               evidence: ScanContext.evidence(file, lineNumber, text))
        }
    }
}

/// The `why403 s3` command line that evaluates an S3 access-log request (`AccessDenied` findings).
enum S3Command {
    /// S3 operations as `REST.<METHOD>.<RESOURCE>` → the IAM action they need.
    static let actions: [String: String] = [
        "REST.GET.OBJECT": "s3:GetObject", "REST.HEAD.OBJECT": "s3:GetObject", "WEBSITE.GET.OBJECT": "s3:GetObject",
        "WEBSITE.HEAD.OBJECT": "s3:GetObject", "REST.PUT.OBJECT": "s3:PutObject", "REST.POST.OBJECT": "s3:PutObject",
        "REST.COPY.OBJECT": "s3:PutObject", "REST.POST.UPLOAD": "s3:PutObject", "REST.PUT.PART": "s3:PutObject",
        "REST.DELETE.OBJECT": "s3:DeleteObject", "REST.GET.BUCKET": "s3:ListBucket", "REST.HEAD.BUCKET": "s3:ListBucket",
        "REST.GET.ACL": "s3:GetObjectAcl", "REST.PUT.ACL": "s3:PutObjectAcl", "REST.GET.BUCKETPOLICY": "s3:GetBucketPolicy",
        "REST.PUT.BUCKETPOLICY": "s3:PutBucketPolicy", "REST.GET.OBJECT_TAGGING": "s3:GetObjectTagging",
        "REST.PUT.OBJECT_TAGGING": "s3:PutObjectTagging", "REST.GET.VERSIONING": "s3:GetBucketVersioning",
        "REST.GET.LOCATION": "s3:GetBucketLocation", "REST.GET.LOGGING_STATUS": "s3:GetBucketLogging",
    ]

    /// The command line (printed, never run). Canonical user ids have no ARN in the log: the
    /// command then names `PRINCIPAL_ARN` for the reader to fill in.
    static func commandLine(_ s: S3Line) -> String {
        var action = actions[s.operation] ?? "s3:ACTION"
        if s.operation == "REST.GET.ACL", s.key == nil { action = "s3:GetBucketAcl" }
        let key = s.key.map { $0.removingPercentEncoding ?? $0 }
        let resource = "arn:aws:s3:::\(s.bucket)" + (key.map { "/\($0)" } ?? "")
        let principal: String
        if s.requester == "-" { principal = "'*'" }
        else if s.requester.hasPrefix("arn:") { principal = LogsFixes.sh(s.requester) }
        else if s.requester.hasPrefix("svc:") { principal = String(s.requester.dropFirst(4)) }
        else { principal = "PRINCIPAL_ARN" }
        var parts = ["why403 s3 --action \(action) --resource \(LogsFixes.sh(resource)) --principal \(principal)",
                     "--bucket-policy bucket-policy.json"]
        if s.remoteIP != "-" { parts.append("--context aws:SourceIp=\(s.remoteIP)") }
        parts.append("--context aws:SecureTransport=\(s.tls == "-" ? "false" : "true")")
        if s.signatureVersion != "-" { parts.append("--context s3:signatureversion=\(s.signatureVersion == "SigV2" ? "AWS" : "AWS4-HMAC-SHA256")") }
        switch s.authType {
        case "AuthHeader": parts.append("--context s3:authType=REST-HEADER")
        case "QueryString": parts.append("--context s3:authType=REST-QUERY-STRING")
        default: break
        }
        if s.accessPoint != "-" { parts.append("--context s3:DataAccessPointArn=\(s.accessPoint)") }
        return parts.joined(separator: " ")
    }
}
