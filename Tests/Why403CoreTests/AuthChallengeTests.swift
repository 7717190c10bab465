import XCTest
import Why403Core

/// `AuthChallenge.parse`: RFC 9110 §11.6.1 challenges and RFC 6750 Bearer parameters.
final class AuthChallengeTests: XCTestCase {
    func testSingleBearerWithRFC6750Parameters() throws {
        let c = try AuthChallenge.parse(#"Bearer realm="example", error="insufficient_scope", error_description="The request requires higher privileges", scope="repo read:org""#)
        XCTAssertEqual(c.count, 1)
        XCTAssertEqual(c[0].scheme, "Bearer")
        XCTAssertNil(c[0].token68)
        XCTAssertEqual(c[0].parameter("realm"), "example")
        XCTAssertEqual(c[0].parameter("ERROR"), "insufficient_scope")
        XCTAssertEqual(c[0].parameter("scope"), "repo read:org")
        XCTAssertEqual(c[0].parameter("error_description"), "The request requires higher privileges")
    }

    func testRFC9110ExampleWithTwoChallengesAndEscapes() throws {
        let v = #"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#
        let c = try AuthChallenge.parse(v)
        XCTAssertEqual(c.count, 2)
        XCTAssertEqual(c[0].scheme, "Newauth")
        XCTAssertEqual(c[0].parameters, ["realm": "apps", "type": "1", "title": #"Login to "apps""#])
        XCTAssertEqual(c[1].scheme, "Basic")
        XCTAssertEqual(c[1].parameter("realm"), "simple")
    }

    func testCommasInsideQuotedStrings() throws {
        let c = try AuthChallenge.parse(#"Bearer realm="a, b", scope="x,y", Basic realm="c""#)
        XCTAssertEqual(c.map(\.scheme), ["Bearer", "Basic"])
        XCTAssertEqual(c[0].parameter("realm"), "a, b")
        XCTAssertEqual(c[0].parameter("scope"), "x,y")
    }

    func testSchemeAlone() throws {
        let c = try AuthChallenge.parse("Negotiate")
        XCTAssertEqual(c, [AuthChallenge(scheme: "Negotiate")])
        let two = try AuthChallenge.parse("Negotiate, NTLM")
        XCTAssertEqual(two.map(\.scheme), ["Negotiate", "NTLM"])
    }

    func testToken68() throws {
        let c = try AuthChallenge.parse("Negotiate YIIB+w/8==, Basic realm=x")
        XCTAssertEqual(c.count, 2)
        XCTAssertEqual(c[0].token68, "YIIB+w/8==")
        XCTAssertTrue(c[0].parameters.isEmpty)
        XCTAssertEqual(c[1].parameter("realm"), "x")
        let single = try AuthChallenge.parse("Custom abc=")
        XCTAssertEqual(single[0].token68, "abc=")
    }

    func testCaseInsensitiveSchemeAndNames() throws {
        let c = try AuthChallenge.parse(#"bEaReR REALM="r", Error=invalid_token"#)
        XCTAssertEqual(c[0].scheme, "bEaReR")
        XCTAssertTrue(c[0].isScheme("Bearer"))
        XCTAssertEqual(c[0].parameter("realm"), "r")
        XCTAssertEqual(c[0].parameter("error"), "invalid_token")
        XCTAssertEqual(Set(c[0].parameters.keys), ["realm", "error"])
    }

    func testBadWhitespaceAndEmptyListElements() throws {
        let c = try AuthChallenge.parse(" ,  Basic  realm = \"x\" ,, ,\tcharset=UTF-8 , , Bearer ,")
        XCTAssertEqual(c.map(\.scheme), ["Basic", "Bearer"])
        XCTAssertEqual(c[0].parameters, ["realm": "x", "charset": "UTF-8"])
        XCTAssertEqual(try AuthChallenge.parse(""), [])
        XCTAssertEqual(try AuthChallenge.parse(" , ,"), [])
    }

    func testDuplicateParameterKeepsFirst() throws {
        let c = try AuthChallenge.parse(#"Bearer realm="a", REALM="b""#)
        XCTAssertEqual(c[0].parameter("realm"), "a")
    }

    /// AWS API Gateway's JWT authorizer separates parameters with spaces: strict parsing refuses it, the
    /// lenient reading (asked for) takes the spaces as commas; a lone token after a space stays an error.
    func testSpaceSeparatedParametersOnlyWhenAsked() throws {
        let aws = #"Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience""#
        XCTAssertThrowsError(try AuthChallenge.parse(aws))
        let c = try AuthChallenge.parse(aws, spaceSeparatedParameters: true)
        XCTAssertEqual(c.count, 1)
        XCTAssertEqual(c[0].parameter("error"), "invalid_token")
        XCTAssertEqual(c[0].parameter("error_description"), "the token does not have a valid audience")
        XCTAssertEqual(c[0].parameter("scope"), "")
        // Commas still separate challenges; a token that is not `name=` is not a parameter.
        let two = try AuthChallenge.parse(#"Bearer realm="a" error="b", Basic realm="c""#, spaceSeparatedParameters: true)
        XCTAssertEqual(two.map(\.scheme), ["Bearer", "Basic"])
        XCTAssertThrowsError(try AuthChallenge.parse(#"Bearer realm="a" foo"#, spaceSeparatedParameters: true))
    }

    func testBadGrammarThrowsInputError() {
        let bad: [String] = [
            #"Bearer realm="unterminated"#,
            #"Bearer realm="a" error="b""#,
            "=foo",
            "Bearer foo bar",
            "Bearer realm=\"a\u{1}\"",
            "Basic realm=@",
            #"Bearer realm="x\"#,
        ]
        for value in bad {
            XCTAssertThrowsError(try AuthChallenge.parse(value), value) { error in
                guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)") }
                XCTAssertNotNil(e.column, value)
                XCTAssertTrue(e.message.hasPrefix("expected "), e.message)
            }
        }
    }

    /// Bounded mutation fuzz: random edits of valid values either parse or throw InputError, never crash.
    func testMutationFuzzNeverCrashes() {
        let seeds = [
            #"Bearer realm="example", error="insufficient_scope", scope="a b""#,
            #"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#,
            "Negotiate YIIB+w/8==, NTLM",
            #"Bearer scope="" error="invalid_token" error_description="the token has expired""#,
        ]
        let alphabet: [Character] = ["\"", ",", "=", " ", "\\", "a", "\t", "B", "\u{7F}", "\u{0}", "é", "/"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var chars = Array(seeds.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0...chars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars.insert(alphabet.randomElement(using: &rng)!, at: at)
                case 1: if at < chars.count { chars.remove(at: at) }
                default: if at < chars.count { chars[at] = alphabet.randomElement(using: &rng)! }
                }
            }
            for lenient in [false, true] {
                do { _ = try AuthChallenge.parse(String(chars), spaceSeparatedParameters: lenient) } catch is InputError {} catch {
                    XCTFail("unexpected error type \(error)")
                }
            }
        }
    }
}
