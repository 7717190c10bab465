// libFuzzer harness for `why403 response`: any bytes, read as a raw response, `curl -v` output or a HAR
// file (the reader tells which; gzip/deflate bodies are inflated), then matched against the whole
// signature catalogue (header, body, JSON and challenge conditions, extractions of ids) and rendered,
// redacted, as text and JSON. Every input must give a report or an InputError: no crash, no leak, no hang.
// The first byte also picks a status line and a few headers to put before the rest, so inputs that are only
// a body reach the catalogue's body rules with each family's statuses and identifying headers.
// Build and run: Fuzz/response/run.sh [seconds]
import Why403Core
import Why403Render
import Why403Response

/// Status lines and header blocks a body is put behind (the first byte picks one).
let heads: [String] = [
    "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\nCF-RAY: 8a1b2c3d4e5f6a7b-FRA\r\nContent-Type: text/html\r\n\r\n",
    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"a b\"\r\nContent-Type: application/json\r\n\r\n",
    "HTTP/2 429\r\nx-ratelimit-limit: 60\r\nx-ratelimit-remaining: 0\r\nretry-after: 30\r\n\r\n",
    "HTTP/1.1 403 Forbidden\r\nx-amz-request-id: 4442587FB7D0A2F9\r\nContent-Type: application/xml\r\n\r\n",
    "HTTP/1.1 503 Service Unavailable\r\nVia: 1.1 varnish\r\nX-Varnish: 12345\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    "HTTP/1.1 403 Forbidden\r\nServer: Microsoft-IIS/10.0\r\nX-Powered-By: ASP.NET\r\n\r\n",
    "HTTP/1.1 405 Method Not Allowed\r\nx-amzn-waf-action: captcha\r\n\r\n",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var inputs = [bytes]
    if let first = bytes.first, first < 0x20 {
        inputs.append(Array(heads[Int(first) % heads.count].utf8) + bytes.dropFirst())
    }
    for input in inputs {
        do {
            let report = try ResponseReport.report(bytes: input, file: "fuzz.http")
            let redacted = report.redacted(by: Redactor())
            _ = Renderer.render(redacted, as: .text)
            _ = Renderer.render(redacted, as: .json)
        } catch is InputError {
        } catch {
            fatalError("not an InputError: \(error)")
        }
    }
    return 0
}
