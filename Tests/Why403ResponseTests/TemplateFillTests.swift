import Foundation
import XCTest
import Why403Core
@testable import Why403Response
import Why403TestSupport

/// A finding's texts never stand in "unknown" for a value the response did not give ("search the logs for
/// requestId unknown", "refused by RBAC: unknown"): a placeholder that can be absent is written in brackets,
/// where its absence drops the words around it.
final class TemplateFillTests: XCTestCase {
    func testBracketedPlaceholdersDropAndBareOnesAreReported() {
        var unfilled: [String] = []
        XCTAssertEqual(Signature.fill("look it up[ by id {reqid}]", [:], unfilled: &unfilled), "look it up")
        XCTAssertEqual(unfilled, [])
        XCTAssertEqual(Signature.fill("look it up[ by id {reqid}]", ["reqid": "R1"], unfilled: &unfilled), "look it up by id R1")
        XCTAssertEqual(Signature.fill("refused: {msg}", [:], unfilled: &unfilled), "refused: unknown")
        XCTAssertEqual(unfilled, ["msg"])
        // Braces and brackets around anything but a key are text.
        unfilled = []
        XCTAssertEqual(Signature.fill(#"body {"message":"Forbidden"} and [{"names": ["INDEX"]}] as [R=429]{1}"#, [:], unfilled: &unfilled),
                       #"body {"message":"Forbidden"} and [{"names": ["INDEX"]}] as [R=429]{1}"#)
        XCTAssertEqual(unfilled, [])
    }

    /// A page that announces an id it then does not show ("…the event ID found at the bottom of the page.") gives no
    /// value: an identifier has a letter or digit, so the "." ending the sentence is not quoted as the id.
    func testPunctuationIsNoIdentifier() throws {
        let text = "HTTP/1.1 403 Forbidden\n\nYou have been blocked\nPlease include what you were doing when this page occurred and the event ID found at the bottom of the page.\n"
        let capture = try ResponseReader.read(Array(text.utf8), file: "t.txt")
        let f = try XCTUnwrap(ResponseAnalyzer.identify(capture.responses[0]).findings.first)
        XCTAssertEqual(f.layer, .barracuda)
        XCTAssertEqual(f.summary, "Barracuda's web application firewall blocked this request")
        XCTAssertEqual(f.checks?.first?.hasPrefix("look up the event ID in the Barracuda WAF web interface"), true, "\(f.checks ?? [])")
        XCTAssertNil(f.details?["event"])
    }

    /// A text read after a marker that opens a quoted value ends at its closing quote, not at the end of a one-line JSON
    /// body (a body that is not JSON, so only the marker reads it: a log line quoting the response).
    func testAQuotedValueEndsAtItsClosingQuote() throws {
        let body = #"ERROR 403: {"message":"Resource protected by organization SAML enforcement.","documentation_url":"https://docs.github.com/x"} at line 3; 'error': 'not \'allowed\'', 'x': 1 "details" : "kept", scopes: expected any of: read:grants","code":1"#
        let capture = try ResponseReader.read(Array(("HTTP/1.1 403 Forbidden\n\n" + body + "\n").utf8), file: "t.txt")
        let ctx = MatchContext(capture.responses[0])
        XCTAssertEqual(ctx.value(.body(after: "\"message\":\"", chars: .line))?.0, "Resource protected by organization SAML enforcement.")
        XCTAssertEqual(ctx.value(.body(after: "\"message\":", chars: .line))?.0, "Resource protected by organization SAML enforcement.")
        XCTAssertEqual(ctx.value(.body(after: "'error': '", chars: .line))?.0, #"not \'allowed\'"#)
        // A marker ending with its key's closing quote is not a value's opening one: the line is read as before.
        XCTAssertEqual(ctx.value(.body(after: "\"details\"", chars: .line))?.0, #""kept", scopes: expected any of: read:grants","code":1"#)
        XCTAssertEqual(ctx.value(.body(after: "expected any of:", chars: .phrase))?.0, "read:grants")
    }

    /// A JSON object or list quoted as evidence reads the same in every run: keys sorted, not in a `Dictionary`'s order.
    func testAJSONValueQuotedAsEvidenceHasItsKeysSorted() {
        let list: [Any] = [["message": "No authorization header supplied.", "code": "Neo.ClientError.Security.AuthorizationFailed"]]
        XCTAssertEqual(MatchContext.describe(list), #"[{"code":"Neo.ClientError.Security.AuthorizationFailed","message":"No authorization header supplied."}]"#)
        XCTAssertEqual(MatchContext.describe(["b": 1, "a": [2]] as [String: Any]), #"{"a":[2],"b":1}"#)
    }

    /// Every signature that matches any fixture of the catalogue or of the field corpus (hits and misses alike,
    /// winning or not) has every bare placeholder of its summary, lookup, checks and fixes filled. (Only the
    /// texts are checked here: the field corpus's held-out split still measures layers and causes alone.)
    func testNoMatchedSignatureLeavesAPlaceholderUnfilled() throws {
        var files: [(name: String, url: URL)] = []
        let folder = Fixtures.url("responses")
        for id in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let dir = folder.appendingPathComponent(id)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            where name.contains(".hit.") || name.contains(".miss.") {
                files.append(("responses/\(id)/\(name)", dir.appendingPathComponent(name)))
            }
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.url("field/manifest.json"))) as? [[String: Any]] ?? []
        for entry in manifest {
            guard let file = entry["file"] as? String else { continue }
            files.append(("field/\(file)", Fixtures.url("field/\(file)")))
        }
        XCTAssertGreaterThan(files.count, 2_500)
        var problems: [String] = []
        var matched = 0
        for (name, url) in files {
            let capture = try ResponseReader.read(Array(try Data(contentsOf: url)), file: url.lastPathComponent)
            for response in capture.responses {
                let ctx = MatchContext(response)
                for sig in Signatures.all {
                    var unfilled: [String] = []
                    guard ResponseAnalyzer.match(sig, ctx, unfilled: &unfilled) != nil else { continue }
                    matched += 1
                    if !unfilled.isEmpty { problems.append("\(sig.id) on \(name): no value for {\(unfilled.joined(separator: "}, {"))}") }
                }
            }
        }
        XCTAssertGreaterThan(matched, 3_000)
        XCTAssertEqual(problems, [], "placeholders read \"unknown\"")
    }
}
