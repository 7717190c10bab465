import XCTest
import Why403Core

/// The redaction rules that QA found missing: cookies and session parameters by name, headers written as JSON
/// name/value objects (AWS WAF logs, HAR), and the values ModSecurity quotes from secret parameters.
final class RedactorRulesTests: XCTestCase {
    let r = Redactor()

    func testSessionAndTokenParametersByName() {
        let line = #"GET /a?private_token=GLPAT1&session_token=SESS2&PHPSESSID=PHP3&JSESSIONID=J4&sid=S5&laravel_session=L6&connect.sid=C7&_myapp_session=R8&remember_me=M9&page=2 HTTP/1.1"#
        let out = r.redact(line)
        for secret in ["GLPAT1", "SESS2", "PHP3", "J4", "S5", "L6", "C7", "R8", "M9"] {
            XCTAssertFalse(out.contains(secret), "\(secret) in \(out)")
        }
        XCTAssertTrue(out.contains("page=2"), out)
        XCTAssertTrue(out.contains("connect.sid=[redacted]"), out)
        // A cookie header's pairs as a log's extra field.
        XCTAssertEqual(r.redact(#""PHPSESSID=COOKIESECRET1; remember_me=COOKIESECRET2""#),
                       #""PHPSESSID=[redacted]; remember_me=[redacted]""#)
    }

    /// Credentials after a scheme in free text (an access log's Authorization field, an error message): the other
    /// schemes, and short test tokens; prose and challenge parameters stay.
    func testSchemesAndShortTokensInText() {
        let line = #"10.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /api HTTP/1.1" 403 12 "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b" "Bearer abc123" "token ghp_16C7e42F292c6912E7710c838347Ae178B4a" "ApiKey k3y-0001" "SSWS 00QCjAl4MlV-WPXM""#
        let out = r.redact(line)
        for secret in ["9944b09199c62bcf", "abc123", "ghp_16C7e42F", "k3y-0001", "00QCjAl4MlV"] {
            XCTAssertFalse(out.contains(secret), "\(secret) in \(out)")
        }
        for kept in ["the Bearer token expired", "Basic realm=x", #"Bearer realm="api", error="invalid_token""#,
                     #"Bearer error_description="The access token expired""#, "a token 403 times", "Token expired"] {
            XCTAssertEqual(r.redact(kept), kept)
        }
    }

    func testJSONHeaderObjects() {
        let waf = #"{"headers":[{"name":"Host","value":"shop.example.com"},{"name":"Cookie","value":"a=SECRET1; b=SECRET2"},{"name": "x-api-key", "value": "APIKEYVALUE123"},{"name":"Authorization","value":"Token abcdefSECRET"},{"name":"X-Auth-Token","value":"T\"OK"}]}"#
        let out = r.redact(waf)
        for secret in ["SECRET1", "SECRET2", "APIKEYVALUE123", "abcdefSECRET", "T\\\"OK"] {
            XCTAssertFalse(out.contains(secret), "\(secret) in \(out)")
        }
        XCTAssertTrue(out.contains(#"{"name":"Host","value":"shop.example.com"}"#), out)
        XCTAssertTrue(out.contains(#"{"name":"Cookie","value":"a=[redacted]; b=[redacted]"}"#), out)
        XCTAssertTrue(out.contains(#"{"name":"Authorization","value":"Token [redacted]"}"#), out)
        XCTAssertTrue(out.contains(#""value": "[redacted]""#), out)
        // Not a header object: left alone.
        XCTAssertEqual(r.redact(#"{"name":"cookie","size":3,"value":"x"}"#), #"{"name":"cookie","size":3,"value":"x"}"#)
    }

    func testModSecurityQuotesOfSecretParameters() {
        let msg = #"[msg "SQL Injection Attack Detected via libinjection"] [data "Matched Data: s&1c found within ARGS:password: MSJPASSWORD' OR 1=1--"] [severity "CRITICAL"]"#
        let out = r.redact(msg)
        XCTAssertFalse(out.contains("MSJPASSWORD"), out)
        XCTAssertTrue(out.contains(#"[data "Matched Data: [redacted] found within ARGS:password: [redacted]"]"#), out)
        let cookie = r.redact(#"[data "Matched Data: ' or 1=1 found within REQUEST_COOKIES:theme: dark' or 1=1"]"#)
        XCTAssertEqual(cookie, #"[data "Matched Data: [redacted] found within REQUEST_COOKIES:theme: [redacted]"]"#)
        // An ordinary parameter keeps its value: it is the evidence of the false positive.
        let q = #"[data "Matched Data: union select found within ARGS:q: union select 1"]"#
        XCTAssertEqual(r.redact(q), q)
    }

    func testJSONMembersNamedForSecretHeaders() {
        let line = #"{"remote_addr":"192.0.2.1","status":"403","http_cookie":"theme=dark; sid2=ABCSECRET","http_authorization":"Token TOKSECRET3","x_api_key":"KEYSECRET9","http_referer":"-","request_token_count":"3"}"#
        let out = r.redact(line)
        for secret in ["ABCSECRET", "TOKSECRET3", "KEYSECRET9"] { XCTAssertFalse(out.contains(secret), "\(secret) in \(out)") }
        XCTAssertTrue(out.contains(#""http_cookie":"theme=[redacted]; sid2=[redacted]""#), out)
        XCTAssertTrue(out.contains(#""http_authorization":"Token [redacted]""#), out)
        XCTAssertTrue(out.contains(#""request_token_count":"3""#), out)
    }

    /// The values of a request's secret parameters, given as the request (query, form body), are hidden wherever a
    /// report quotes them, decoded or not: ModSecurity quotes `Value: `…'` and `[data "…"]` with no name before them.
    func testSecretParameterValuesOfTheRequest() {
        let red = Redactor().adding(secretsOfParameters: "user=bob&password=hunter2%20secret&page=2")
        XCTAssertEqual(red.redact(#"against variable `ARGS:password' (Value: `hunter2 secret' ) [data "hunter2 secret"]"#),
                       #"against variable `ARGS:password' (Value: `[redacted]' ) [data "[redacted]"]"#)
        XCTAssertEqual(red.redact("user bob page 2"), "user bob page 2")
        XCTAssertEqual(red.redact("hunter2%20secret"), "[redacted]")
    }

    /// The spellings the QA re-check found printed: camelCase, nested and percent-encoded names, in a query, in
    /// ModSecurity's quotes, and in a JSON body given as the request.
    func testCamelCaseNestedAndEncodedNames() {
        let q = "GET /a?sessionToken=S1&user%5Bpassword%5D=S2&user[password]=S3&newPassword=S4&authToken=S5&api-key=S6&page=7 HTTP/1.1"
        let out = r.redact(q)
        for secret in ["S1", "S2", "S3", "S4", "S5", "S6"] { XCTAssertFalse(out.contains("=\(secret)"), "\(secret) in \(out)") }
        XCTAssertTrue(out.contains("page=7"), out)
        XCTAssertFalse(r.redact(#"[data "Matched Data: x found within ARGS:newPassword: MSJPASSWORD' OR 1=1--"]"#).contains("MSJPASSWORD"))
        XCTAssertFalse(r.redact(#"[data "Matched Data: x found within ARGS:user[password]: MSJPASSWORD"]"#).contains("MSJPASSWORD"))
        let body = Redactor().adding(secretsOfParameters: #"{"user":{"name":"bob","password":"hunter2X"},"items":[{"apiKey":"K-123456"}]}"#)
        XCTAssertEqual(body.redact("against variable `ARGS:json.user.password' (Value: `hunter2X' )"),
                       "against variable `ARGS:json.user.password' (Value: `[redacted]' )")
        XCTAssertEqual(body.redact("K-123456 bob"), "[redacted] bob")
    }
}
