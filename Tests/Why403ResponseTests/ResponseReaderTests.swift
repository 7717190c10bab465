import Foundation
import XCTest
import Why403Core
import Why403Render
import Why403Response
import Why403TestSupport

/// Reading saved responses: formats, redirect chains, transfer codings, HAR, bad input.
final class ResponseReaderTests: XCTestCase {
    func read(_ text: String, file: String = "capture.http") throws -> ResponseCapture {
        try ResponseReader.read(Array(text.utf8), file: file)
    }

    func expectInputError(_ text: String, line: Int?, contains: String, file: StaticString = #filePath, lineNo: UInt = #line) {
        XCTAssertThrowsError(try read(text, file: "bad.http"), file: file, line: lineNo) { error in
            guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)", file: file, line: lineNo) }
            XCTAssertEqual(e.file, "bad.http", file: file, line: lineNo)
            if let line { XCTAssertEqual(e.line, line, e.description, file: file, line: lineNo) }
            XCTAssertTrue(e.description.contains(contains), e.description, file: file, line: lineNo)
        }
    }

    func testRawRedirectChainAnalysesTheLast() throws {
        let text = "HTTP/1.1 301 Moved Permanently\r\nLocation: https://shop.example.com/\r\nContent-Length: 0\r\n\r\n"
            + "HTTP/2 403\r\nserver: cloudflare\r\ncf-ray: 8a1b2c3d4e5f6789-FRA\r\ncontent-type: text/plain\r\n\r\nerror code: 1020"
        let c = try read(text)
        XCTAssertEqual(c.format, .raw)
        XCTAssertEqual(c.responses.count, 1)
        XCTAssertEqual(c.responses[0].status, 403)
        XCTAssertEqual(c.chain, ["301 Moved Permanently -> https://shop.example.com/"])
        let report = ResponseReport.report(for: c, file: "capture.http")
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .cloudflare, cause: .wafRule))
        XCTAssertEqual(report.subject.extra["chain"], .array(["301 Moved Permanently -> https://shop.example.com/"]))
        XCTAssertTrue(report.notes.contains { $0.hasPrefix("redirect chain:") })
    }

    func testContinueAndProxyConnectAreSkipped() throws {
        let text = "HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\nServer: nginx\r\n\r\nbody"
        let c = try read(text)
        XCTAssertEqual(c.responses[0].status, 403)
        XCTAssertEqual(c.chain.count, 2)
    }

    func testLFOnlyAndFoldedHeaders() throws {
        let c = try read("HTTP/1.1 403 Forbidden\nServer: nginx\nX-Long: a\n  b\n\n<h1>x</h1>\n")
        XCTAssertEqual(c.responses[0].headers["x-long"], "a b")
        XCTAssertEqual(c.responses[0].bodyText, "<h1>x</h1>\n")
        XCTAssertEqual(c.responses[0].bodyStartLine, 6)
    }

    func testChunkedBodyIsDecoded() throws {
        let text = "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nServer: cloudflare\r\n\r\n7\r\nerror c\r\n9\r\node: 1020\r\n0\r\n\r\n"
        let c = try read(text)
        XCTAssertEqual(c.responses[0].bodyText, "error code: 1020")
        XCTAssertEqual(ResponseAnalyzer.identify(c.responses[0]).findings.first?.cause, .wafRule)
        // curl already decoded it: left alone.
        let decoded = try read("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\nerror code: 1020")
        XCTAssertEqual(decoded.responses[0].bodyText, "error code: 1020")
        // Broken chunking: analysed as it is, with a note.
        let broken = try read("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort")
        XCTAssertTrue(broken.notes.contains { $0.contains("chunked") })
    }

    func testGzipBodyIsDecoded() throws {
        let dir = try TemporaryDirectory(prefix: "why403-gz")
        defer { dir.remove() }
        let page = "<html><body><span class=\"cf-error-code\">1020</span> Cloudflare Ray ID: <strong>8a1b2c3d4e5f6789</strong></body></html>\n"
        try dir.write("page.html", page)
        let gzFile = dir.path + "/page.html.gz"
        let gzip = try Run.shell("gzip -c '\(dir.path)/page.html' > '\(gzFile)'")
        XCTAssertEqual(gzip.status, 0, gzip.stderr)
        let bytes = Array("HTTP/1.1 403 Forbidden\r\nContent-Encoding: gzip\r\nServer: cloudflare\r\ncf-ray: 8a1b2c3d4e5f6789-FRA\r\n\r\n".utf8)
            + Array(try Data(contentsOf: URL(fileURLWithPath: gzFile)))
        let c = try ResponseReader.read(bytes, file: "gz.http")
        XCTAssertEqual(c.responses[0].bodyText, page)
        XCTAssertTrue(c.notes.contains { $0.contains("gzip-decoded") }, "\(c.notes)")
        XCTAssertEqual(ResponseAnalyzer.identify(c.responses[0]).findings.first?.cause, .wafRule)
    }

    func testGzipBodyIsNoted() throws {
        var bytes = Array("HTTP/1.1 403 Forbidden\r\nContent-Encoding: gzip\r\nServer: cloudflare\r\ncf-ray: 1234567890abcdef-FRA\r\n\r\n".utf8)
        bytes += [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xFF, 0x00]
        let c = try ResponseReader.read(bytes, file: "gz.http")
        XCTAssertTrue(c.notes.contains { $0.contains("gzip-encoded and was not decoded") })
        XCTAssertTrue(c.responses[0].body.isEmpty)
        XCTAssertEqual(ResponseAnalyzer.identify(c.responses[0]).layer, .cloudflare)
    }

    func testTruncatedBodyIsNoted() throws {
        let c = try read("HTTP/1.1 403 Forbidden\r\nContent-Length: 5000\r\n\r\n<html>")
        XCTAssertTrue(c.notes.contains { $0.contains("truncated") })
    }

    func testCurlVerboseTranscript() throws {
        let c = try ResponseReader.read(Array(try Fixtures.data("responses/auth-challenge-missing/bearer-no-token.curl-v.hit.txt")), file: "t.txt")
        XCTAssertEqual(c.format, .curlVerbose)
        let r = c.responses[0]
        XCTAssertEqual(r.url, "https://api.example.com/v1/orders")
        XCTAssertEqual(r.method, "GET")
        XCTAssertEqual(r.requestHeaders["user-agent"], "curl/8.5.0")
        XCTAssertEqual(r.status, 401)
        XCTAssertEqual(r.bodyText, #"{"error":"unauthenticated"}"#)
    }

    func testCurlVerboseRedirects() throws {
        let t = """
        * Connected to example.com (93.184.216.34) port 80 (#0)
        > GET /old HTTP/1.1
        > Host: example.com
        >\u{20}
        < HTTP/1.1 302 Found
        < Location: http://example.com/new
        <\u{20}
        * Issue another request to this URL: 'http://example.com/new'
        > GET /new HTTP/1.1
        > Host: example.com
        >\u{20}
        < HTTP/1.1 403 Forbidden
        < Server: nginx/1.22.1
        <\u{20}
        <html>
        <center><h1>403 Forbidden</h1></center>
        <hr><center>nginx/1.22.1</center>
        </html>
        """
        let c = try read(t, file: "v.txt")
        XCTAssertEqual(c.chain, ["GET /old -> 302 (Location: http://example.com/new)"])
        XCTAssertEqual(c.responses[0].url, "http://example.com/new")
        XCTAssertEqual(ResponseAnalyzer.identify(c.responses[0]).layer, .nginx)
    }

    func har(_ entries: [[String: Any]]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: ["log": ["version": "1.2", "creator": ["name": "test", "version": "1"], "entries": entries]]))
    }

    func entry(_ url: String, _ status: Int, headers: [(String, String)], body: String, request: [(String, String)] = []) -> [String: Any] {
        [
            "startedDateTime": "2026-11-29T09:12:44.000Z", "time": 12,
            "request": ["method": "GET", "url": url, "httpVersion": "HTTP/1.1", "headers": request.map { ["name": $0.0, "value": $0.1] },
                        "cookies": [], "queryString": [], "headersSize": -1, "bodySize": 0],
            "response": ["status": status, "statusText": "", "httpVersion": "h2", "headers": headers.map { ["name": $0.0, "value": $0.1] },
                         "cookies": [], "content": ["size": body.utf8.count, "mimeType": "text/html", "text": body], "redirectURL": "", "headersSize": -1, "bodySize": -1],
            "cache": [:], "timings": ["send": 0, "wait": 10, "receive": 2],
        ]
    }

    func testHARGroupsDeniedEntriesByOriginAndRedactsSecrets() throws {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl"
        let bytes = try har([
            entry("https://shop.example.com/", 200, headers: [("server", "cloudflare")], body: "ok"),
            entry("https://shop.example.com/admin?token=supersecret123", 403,
                  headers: [("server", "cloudflare"), ("cf-ray", "8a1b2c3d4e5f6789-FRA"), ("set-cookie", "__cf_bm=cookievalue123456; path=/")],
                  body: "error code: 1020", request: [("Cookie", "session=sessionsecret999"), ("Authorization", "Bearer \(jwt)")]),
            entry("https://files.example.s3.amazonaws.com/r.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261129&X-Amz-Signature=abcdef0123456789abcdef", 403,
                  headers: [("x-amz-request-id", "Z8M4Q1X7B2N6V9C3"), ("server", "AmazonS3")],
                  body: "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"),
            entry("https://api.example.com/v1/me", 401, headers: [("www-authenticate", #"Bearer error="invalid_token""#)], body: "",
                  request: [("Authorization", "Bearer \(jwt)")]),
        ])
        let report = try ResponseReport.report(bytes: bytes, file: "session.har")
        XCTAssertEqual(report.subject.extra["format"], .string("har"))
        XCTAssertEqual(report.subject.extra["entries"], .int(4))
        XCTAssertEqual(report.subject.extra["denied"], .int(3))
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .cloudflare, cause: .wafRule))
        guard case .object(let origins)? = report.subject.extra["origins"] else { return XCTFail("no origins") }
        XCTAssertEqual(Set(origins.keys), ["https://shop.example.com", "https://files.example.s3.amazonaws.com", "https://api.example.com"])
        XCTAssertEqual(report.findings.map(\.cause), [.wafRule, .authInvalid, .authInvalid])
        XCTAssertEqual(report.findings[0].evidence.first?.source, "session.har entry 2")
        // Through the renderers, redacted as the command does: no secret anywhere.
        let safe = report.redacted(by: Redactor())
        for format in [OutputFormat.text, .json, .markdown] {
            let out = Renderer.render(safe, as: format)
            for secret in ["supersecret123", "cookievalue123456", "sessionsecret999", "abcdef0123456789abcdef", "c2lnbmF0dXJlc2lnbmF0dXJl", "AKIAEXAMPLE"] {
                XCTAssertFalse(out.contains(secret), "\(format): \(secret) leaked")
            }
        }
    }

    func testExampleSessionHAR() throws {
        let report = try ResponseReport.report(bytes: Array(try Fixtures.data("responses/example-session.har")), file: "example-session.har")
        XCTAssertEqual(report.verdict, Verdict(status: 403, layer: .cloudflare, cause: .wafRule))
        XCTAssertEqual(report.findings.map(\.cause), [.wafRule, .authInvalid, .authScope])
        XCTAssertEqual(report.findings.map(\.layer), [.cloudflare, .s3, .application])
        let out = Renderer.render(report.redacted(by: Redactor()), as: .json)
        for secret in ["s3cr3t-session-value", "abc123secrettoken", "Zm9vYmFyYmF6cXV4LWNmLWJtLXZhbHVl", "AKIAIOSFODNN7EXAMPLE",
                       "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "ZmFrZXNpZ25hdHVyZWZvcnRoZWV4YW1wbGVoYXJmaWxl"] {
            XCTAssertFalse(out.contains(secret), "\(secret) leaked")
        }
    }

    func testHARWithoutDenials() throws {
        let report = try ResponseReport.report(bytes: try har([entry("https://x.example/", 200, headers: [], body: "")]), file: "ok.har")
        XCTAssertEqual(report.verdict, .notDenied)
        XCTAssertTrue(report.notes.contains { $0.contains("no entry of the 1") })
    }

    func testHARBase64Body() throws {
        var e = entry("https://x.example/", 403, headers: [("server", "cloudflare")], body: "")
        var res = e["response"] as! [String: Any]
        res["content"] = ["size": 16, "mimeType": "text/plain", "text": Data("error code: 1009".utf8).base64EncodedString(), "encoding": "base64"]
        e["response"] = res
        let report = try ResponseReport.report(bytes: try har([e]), file: "b.har")
        XCTAssertEqual(report.verdict.cause, .geoBlock)
    }

    func testMalformedInputs() {
        expectInputError("", line: 1, contains: "an empty file")
        expectInputError("hello world\n", line: 1, contains: "expected a status line")
        expectInputError("HTTP/1.1 40 Forbidden\r\n\r\n", line: 1, contains: "expected a status line such as 'HTTP/1.1 403 Forbidden'")
        expectInputError("HTTP/1.1 403 Forbidden\r\nServer nginx\r\n\r\n", line: 2, contains: "expected a header line 'Name: value'")
        expectInputError("HTTP/1.1 403 Forbidden\r\nServer: nginx\r\nContent-Ty", line: 3, contains: "\"Content-Ty\"")
        expectInputError("\n\nHTTP/1.1 403 Forbidden\r\nX: \u{1}\u{2}\u{0}\r\n\r\n", line: 4, contains: "binary data")
        expectInputError("{\"log\": {\"entries\": [", line: nil, contains: "invalid JSON")
        expectInputError("{\"nolog\": 1}", line: nil, contains: "\"log\"")
        expectInputError("{\"log\": {\"entries\": [{\"request\": {}, \"response\": {\"status\": \"x\"}}]}}", line: nil, contains: "response.status")
        expectInputError("* Connected to x (1.2.3.4) port 80 (#0)\n> GET / HTTP/1.1\n> Host: x\n>\n* Recv failure: Connection reset by peer\n", line: nil, contains: "a response")
        expectInputError("*   Trying 1.2.3.4:80...\n< Server: x\n", line: 2, contains: "status line '< HTTP/1.1 403")
        XCTAssertThrowsError(try ResponseReader.read([0x00, 0xFF, 0x13, 0x37, 0x89], file: "junk.bin")) { error in
            XCTAssertTrue((error as? InputError)?.description.contains("junk.bin:1: error: expected") ?? false, "\(error)")
        }
    }

    func testSecretsInBadInputAreRedactedInTheMessage() {
        XCTAssertThrowsError(try read("Authorization: Bearer abcdefghijklmnop\r\n")) { error in
            let text = (error as? InputError)?.description ?? ""
            XCTAssertFalse(text.contains("abcdefghijklmnop"), text)
        }
    }

    /// Bounded mutation fuzz over every fixture: parse and analyse, or throw InputError; never crash or hang.
    func testMutationFuzzNeverCrashes() throws {
        let dir = Fixtures.url("responses")
        var seeds: [[UInt8]] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
            let sub = dir.appendingPathComponent(folder)
            for f in (try? FileManager.default.contentsOfDirectory(atPath: sub.path)) ?? [] where f.contains(".hit.") {
                seeds.append(Array(try Data(contentsOf: sub.appendingPathComponent(f))))
            }
        }
        seeds.append(try har([entry("https://a.example/x", 403, headers: [("server", "cloudflare")], body: "error code: 1020")]))
        var rng = SystemRandomNumberGenerator()
        let interesting: [UInt8] = Array("\r\n:<>{}[]\"\\ 0HTTP/1.1 403&#;=*".utf8) + [0x00, 0xFF, 0x1F, 0x8B]
        for _ in 0..<1500 {
            var b = seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                guard !b.isEmpty else { break }
                let at = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: b[at] = interesting.randomElement(using: &rng)!
                case 1: b.remove(at: at)
                case 2: b.insert(interesting.randomElement(using: &rng)!, at: at)
                default: b = Array(b.prefix(at))  // truncation
                }
            }
            do {
                let report = try ResponseReport.report(bytes: b, file: "fuzz")
                _ = Renderer.render(report.redacted(by: Redactor()), as: .text)
            } catch is InputError {
            } catch {
                XCTFail("unexpected error \(error)")
            }
        }
    }
}
