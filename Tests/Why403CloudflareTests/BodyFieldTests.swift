import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// The body fields from `--data`, as https://developers.cloudflare.com/ruleset-engine/rules-language/fields/http-request-body/
/// describes them: the first 128 KB, `truncated` beyond, `size` the whole; form fields only for
/// `application/x-www-form-urlencoded`, not decoded; multipart fields per part.
final class BodyFieldTests: XCTestCase {
    let form = [("Content-Type", "application/x-www-form-urlencoded")]

    func testRawSizeAndTruncated() throws {
        XCTAssertEqual(try eval("http.request.body.raw eq \"a=1\" and http.request.body.size eq 3 and not http.request.body.truncated", method: "POST", body: "a=1"), true)
        XCTAssertEqual(try eval("http.request.body.size eq 0 and http.request.body.raw eq \"\""), true, "no --data: no body")
        // "All http.request.body.* fields (except http.request.body.size) handle a maximum body size of 128 KB".
        let big = String(repeating: "x", count: 128 * 1024 + 10)
        XCTAssertEqual(try eval("http.request.body.truncated and http.request.body.size eq 131082 and len(http.request.body.raw) eq 131072", method: "POST", body: big), true)
    }

    func testFormFieldsAreNotDecoded() throws {
        // The page's examples: any(http.request.body.form["username"][*] == "admin"), names, values.
        let b = "username=admin&role=a%20b&role=c+d"
        XCTAssertEqual(try eval("any(http.request.body.form[\"username\"][*] == \"admin\")", method: "POST", headers: form, body: b), true)
        XCTAssertEqual(try eval("any(http.request.body.form.names[*] == \"username\")", method: "POST", headers: form, body: b), true)
        XCTAssertEqual(try eval("any(http.request.body.form.values[*] == \"admin\")", method: "POST", headers: form, body: b), true)
        XCTAssertEqual(try eval("http.request.body.form[\"role\"][0] eq \"a%20b\" and http.request.body.form[\"role\"][1] eq \"c+d\"", method: "POST", headers: form, body: b), true)
        XCTAssertEqual(try eval("len(http.request.body.form.names) eq 3", method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: b), true)
        // "Populated when the Content-Type header is application/x-www-form-urlencoded".
        XCTAssertEqual(try eval("len(http.request.body.form.names) eq 0", method: "POST", headers: [("Content-Type", "application/json")], body: b), true)
    }

    func testMultipart() throws {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice_doe\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: binary\r\n\r\nJPEGDATA\r\n"
            + "--XyZ--\r\n"
        let h = [("Content-Type", "multipart/form-data; boundary=XyZ")]
        func ev(_ e: String) throws -> Bool? { try eval(e, method: "POST", headers: h, body: body) }
        // The page's example blocks.
        XCTAssertEqual(try ev("any(http.request.body.multipart.names[*][0] == \"picture\")"), true)
        XCTAssertEqual(try ev("any(http.request.body.multipart.values[*] == \"alice_doe\")"), true)
        XCTAssertEqual(try ev("any(http.request.body.multipart[\"username\"][*] == \"alice_doe\")"), true)
        XCTAssertEqual(try ev("any(http.request.body.multipart.filenames[*][0] in {\"photo.jpg\" \"password.txt\"})"), true)
        XCTAssertEqual(try ev("any(http.request.body.multipart.content_types[*][0] == \"image/jpeg\")"), true)
        XCTAssertEqual(try ev("any(http.request.body.multipart.content_transfer_encodings[*][0] == \"binary\")"), true)
        XCTAssertEqual(try ev("any(http.request.body.multipart.content_dispositions[*][0] == \"form-data; name=\\\"username\\\"\")"), true)
        XCTAssertEqual(try ev("len(http.request.body.multipart.names) eq 2 and len(http.request.body.multipart.filenames[0]) eq 0"), true)
        XCTAssertEqual(try ev("http.request.body.multipart.values[1] eq \"JPEGDATA\""), true)
        XCTAssertEqual(try eval("len(http.request.body.multipart.names) eq 0", method: "POST", headers: form, body: body), true)
    }

    /// http.request.body.mime is "detected from the request body" by Cloudflare, not read from a header.
    func testMimeIsComputedByCloudflare() throws {
        XCTAssertNil(try eval("http.request.body.mime in {\"image/bmp\" \"image/gif\" \"image/jpeg\" \"image/png\" \"image/tiff\"}",
                              method: "POST", headers: [("Content-Type", "image/png")], body: "x"))
    }

    /// A rule on the body decides through the analyzer as through the evaluator.
    func testBodyRuleThroughTheAnalyzer() throws {
        let json = """
        {"result": {"id": "z", "kind": "zone", "phase": "http_request_firewall_custom", "rules": [
          {"ref": "no-admin-signup", "action": "block", "enabled": true,
           "expression": "http.request.uri.path eq \\"/signup\\" and any(http.request.body.form[\\"role\\"][*] eq \\"admin\\")"}]}}
        """
        let rulesets = try RulesReader.read(text: json, file: "body.json")
        var req = try Request(method: "POST", url: "https://example.com/signup", headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")], clientIP: "198.51.100.2")
        req.body = Array("user=eve&role=admin".utf8)
        let report = try CloudflareAnalyzer.analyze(.init(rulesets: rulesets, files: ["body.json"], request: req))
        XCTAssertEqual(report.verdict.status, 403)
        XCTAssertEqual(report.findings.first?.rule, "no-admin-signup")
        req.body = Array("user=eve&role=viewer".utf8)
        XCTAssertNotEqual(try CloudflareAnalyzer.analyze(.init(rulesets: rulesets, files: ["body.json"], request: req)).verdict.status, 403)
    }
}
