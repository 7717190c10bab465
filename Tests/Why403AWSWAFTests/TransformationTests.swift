import XCTest
@testable import Why403AWSWAF

/// The text transformations, each against the behaviour AWS documents for it
/// (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html).
final class TransformationTests: XCTestCase {
    func t(_ type: String, _ input: String) -> String {
        String(decoding: Transformations.apply(type, to: Array(input.utf8)), as: UTF8.self)
    }

    func testCaseAndWhiteSpace() {
        XCTAssertEqual(t("LOWERCASE", "/AdMiN"), "/admin")
        XCTAssertEqual(t("UPPERCASE", "select"), "SELECT")
        XCTAssertEqual(t("COMPRESS_WHITE_SPACE", "a \t\n\r\u{0B}\u{0C}  b"), "a b")
        XCTAssertEqual(t("REMOVE_WHITESPACE", " a b\tc "), "abc")
        XCTAssertEqual(t("TRIM", "  ab  "), "ab")
        XCTAssertEqual(t("TRIM_LEFT", "  ab  "), "ab  ")
        XCTAssertEqual(t("TRIM_RIGHT", "  ab  "), "  ab")
        XCTAssertEqual(t("NONE", "Ab"), "Ab")
    }

    /// AWS: delete \ " ' ^; delete spaces before / and (; replace , and ; with a space; compress white
    /// space; lower-case.
    func testCmdLine() {
        XCTAssertEqual(t("CMD_LINE", "C^M^D.exe /c \"dir\""), "cmd.exe/c dir")
        XCTAssertEqual(t("CMD_LINE", "ls;id,whoami"), "ls id whoami")
        XCTAssertEqual(t("CMD_LINE", "echo  (x)"), "echo(x)")
    }

    func testDecoders() {
        XCTAssertEqual(t("URL_DECODE", "%2Fadmin%2fx%zz+y"), "/admin/x%zz+y")
        XCTAssertEqual(t("URL_DECODE_UNI", "%u0041%41"), "AA")
        XCTAssertEqual(t("HTML_ENTITY_DECODE", "&lt;script&gt;&#65;&#x42;&quot;&amp;"), "<script>AB\"&")
        XCTAssertEqual(t("BASE64_DECODE", "c2VsZWN0"), "select")
        XCTAssertEqual(t("BASE64_DECODE_EXT", "c2V*sZW.N0"), "select")
        XCTAssertEqual(t("HEX_DECODE", "414243"), "ABC")
        XCTAssertEqual(t("SQL_HEX_DECODE", "x=0x414243"), "x=ABC")
        XCTAssertEqual(t("ESCAPE_SEQ_DECODE", "a\\x41\\n\\101"), "aA\nA")
        XCTAssertEqual(t("JS_DECODE", "\\u003cscript\\x3e"), "<script>")
        XCTAssertEqual(t("CSS_DECODE", "\\3c script"), "<script")
    }

    func testCommentsAndNulls() {
        XCTAssertEqual(t("REPLACE_COMMENTS", "UNION/**/SELECT/* open"), "UNION SELECT ")
        XCTAssertEqual(t("REMOVE_COMMENTS_CHAR", "a/*b*/c--d#e"), "abcde")
        XCTAssertEqual(t("REMOVE_NULLS", "a\u{0}b"), "ab")
        XCTAssertEqual(t("REPLACE_NULLS", "a\u{0}b"), "a b")
    }

    func testNormalizePath() {
        XCTAssertEqual(t("NORMALIZE_PATH", "/a//b/./c/../d"), "/a/b/d")
        XCTAssertEqual(t("NORMALIZE_PATH", "/../../etc/passwd"), "/etc/passwd")
        XCTAssertEqual(t("NORMALIZE_PATH", "/api/v2/public/../internal/"), "/api/v2/internal/")
        XCTAssertEqual(t("NORMALIZE_PATH_WIN", "\\a\\..\\b"), "/b")
    }

    func testUTF8ToUnicode() {
        XCTAssertEqual(t("UTF8_TO_UNICODE", "aé"), "a%u00e9")
    }

    /// Transformations run in ascending Priority, whatever their order in the file.
    func testPriorityOrder() throws {
        let json = WAF.oneRule("""
            {"ByteMatchStatement": {"SearchString": "\(WAF.b64("/admin"))", "FieldToMatch": {"UriPath": {}},
             "TextTransformations": [{"Priority": 5, "Type": "LOWERCASE"}, {"Priority": 1, "Type": "URL_DECODE"}],
             "PositionalConstraint": "STARTS_WITH"}}
            """)
        let acl = try WAF.acl(json)
        guard case .byteMatch(_, _, _, let transforms, _) = acl.rules[0].statement else { return XCTFail() }
        XCTAssertEqual(transforms.map(\.type), ["URL_DECODE", "LOWERCASE"])
        let r = try WAF.analyze(json, try WAF.request("http://x.test/%2541DMIN"))
        // %2541 → URL_DECODE once → %41 → lower-case: "%41dmin", which does not start with /admin.
        XCTAssertNil(r.verdict.status)
    }

    func testBase64RoundTrip() {
        for s in ["", "a", "ab", "abc", "/admin", "BadBot"] {
            XCTAssertEqual(Base64.decode(Array(Base64.encode(Array(s.utf8)).utf8), forgiving: false), Array(s.utf8))
        }
        XCTAssertNil(Base64.decode(Array("not base64!".utf8), forgiving: false))
    }
}
