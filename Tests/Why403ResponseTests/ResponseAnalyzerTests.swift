import Foundation
import XCTest
import Why403Core
import Why403Render
import Why403Response
import Why403TestSupport

/// What specific responses prove: causes, confidence, extracted identifiers, the headline.
final class ResponseAnalyzerTests: XCTestCase {
    func analysis(_ relative: String) throws -> ResponseAnalysis {
        let capture = try ResponseReader.read(Array(try Fixtures.data("responses/\(relative)")), file: relative)
        return ResponseAnalyzer.identify(capture.responses[0])
    }

    func report(_ relative: String) throws -> Report {
        try ResponseReport.report(bytes: Array(try Fixtures.data("responses/\(relative)")), file: relative)
    }

    /// Each headerless body (status, body) is identified by `rule`, with the verdict's layer and the finding's cause.
    func assertIdentified(_ cases: [(Int, String, String, Layer, Cause)], file: StaticString = #filePath, line: UInt = #line) {
        for (status, body, rule, layer, cause) in cases {
            let a = ResponseAnalyzer.identify(CapturedResponse(status: status, body: Array(body.utf8)))
            XCTAssertEqual(a.findings.first?.rule, rule, body, file: file, line: line)
            XCTAssertEqual(a.layer, layer, body, file: file, line: line)
            XCTAssertEqual(a.findings.first?.cause, cause, body, file: file, line: line)
        }
    }

    func testCloudflare1020IsACertainFirewallRuleWithRayID() throws {
        let a = try analysis("cloudflare-1020/html-page.hit.http")
        let f = try XCTUnwrap(a.findings.first)
        XCTAssertEqual(f.layer, .cloudflare)
        XCTAssertEqual(f.cause, .wafRule)
        XCTAssertEqual(f.confidence, .certain)
        XCTAssertEqual(f.summary, "a firewall rule blocked this request (Ray ID 8a1b2c3d4e5f6789)")
        XCTAssertTrue(f.evidence.contains { $0.source == "header cf-ray" && $0.text.contains("8a1b2c3d4e5f6789") })
        XCTAssertTrue(f.checks?.first?.contains("Security > Events") ?? false)
        let headline = Renderer.headline(try report("cloudflare-1020/html-page.hit.http"))
        XCTAssertEqual(headline, "403 from Cloudflare: a firewall rule blocked this request (Ray ID 8a1b2c3d4e5f6789)")
    }

    func testCloudflareCodesMapToCauses() throws {
        XCTAssertEqual(try analysis("cloudflare-1020/plain-curl.hit.http").findings.first?.cause, .wafRule)
        XCTAssertEqual(try analysis("cloudflare-1010/html-page.hit.http").findings.first?.cause, .botBlock)
        XCTAssertEqual(try analysis("cloudflare-ip-ban/1006.hit.http").findings.first?.cause, .accessIP)
        XCTAssertEqual(try analysis("cloudflare-ip-ban/1012-plain.hit.http").findings.first?.cause, .accessIP)
        // the 2020s template: `<span data-translate="error">Error</span>` then `<span>1005</span>`
        XCTAssertEqual(try analysis("cloudflare-ip-ban/1005-span-heading.hit.http").findings.first?.rule, "cloudflare-ip-ban")
        XCTAssertEqual(try analysis("cloudflare-1009/html-page.hit.http").findings.first?.cause, .geoBlock)
        XCTAssertEqual(try analysis("cloudflare-1011/hotlinking-denied.hit.http").findings.first?.cause, .hotlinkReferer)
        XCTAssertEqual(try analysis("cloudflare-1015/html-page.hit.http").findings.first?.cause, .rateLimit)
        let generic = try XCTUnwrap(analysis("cloudflare/origin-text.hit.http").findings.first)
        XCTAssertEqual(generic.cause, .unknown)
        XCTAssertEqual(generic.confidence, .possible)
    }

    /// Graph answers a request without a token with InvalidAuthenticationToken too; its message says no token
    /// came, so the cause is a missing credential, not an invalid one.
    func testGraphEmptyTokenIsAMissingCredential() throws {
        // The Azure REST envelope rule answers for Graph's innerError envelope (it ranks above msgraph-error).
        let f = try XCTUnwrap(analysis("azure-api-invalid-token/msgraph-sample-reactspa-54-access-token-empty.hit.http").findings.first)
        XCTAssertEqual(f.rule, "azure-api-invalid-token")
        XCTAssertEqual(f.cause, .authMissing)
        XCTAssertEqual(f.confidence, .certain)
        // Graph's own rule, where its envelope is all there is (x-ms-ags-diagnostic, no innerError), says the same.
        let graph = Array("HTTP/1.1 401 Unauthorized\r\nx-ms-ags-diagnostic: {}\r\n\r\n{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty.\"}}".utf8)
        let capture = try ResponseReader.read(graph, file: "graph.http")
        let g = try XCTUnwrap(ResponseAnalyzer.identify(capture.responses[0]).findings.first)
        XCTAssertEqual(g.rule, "msgraph-error")
        XCTAssertEqual(g.cause, .authMissing)
        let invalid = try XCTUnwrap(analysis("msgraph-error/ms-identity-daemon-8-request-denied.hit.http").findings.first)
        XCTAssertNotEqual(invalid.cause, .authMissing)
    }

    /// A gateway's own JSON reply is one answer: the generic application reading of the same body is not a
    /// second layer the response "passed through"; an application's JSON behind a CDN still is.
    func testGatewayJSONReplyNamesNoApplicationLayer() throws {
        let a = try analysis("apisix/apisix-docs-referer-restriction-403.hit.http")
        XCTAssertEqual(a.findings.map(\.layer), [.apiGateway])
        let b = try analysis("apisix/apisix-docs-ldap-auth-invalid-user-authorization.hit.http")
        XCTAssertEqual(b.findings.map(\.layer), [.apiGateway])
        let behind = Array("HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\nCF-RAY: 8a1b2c3d4e5f6a7b-FRA\r\nContent-Type: application/json\r\n\r\n{\"error\":\"forbidden\",\"message\":\"not your project\"}".utf8)
        let capture = try ResponseReader.read(behind, file: "behind.http")
        let c = ResponseAnalyzer.identify(capture.responses[0])
        XCTAssertEqual(c.findings.first?.layer, .application)
        XCTAssertTrue(c.findings.contains { $0.layer == .cloudflare })
    }

    /// nginx's version in a summary comes from the page's footer, else from the `Server` header's `nginx/1.x`; a bare
    /// `nginx` (server_tokens off) gives none. The header's whole value once read "(nginx nginx/1.18.0)".
    /// kubectl's and client libraries' text answers quote the API server's sentence, as its Status object's message is.
    func testKubernetesTextAnswersQuoteTheSentence() throws {
        let cases = [
            #"Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope"#,
            #"K8s::Error::Forbidden: GET /api/v1/pods => HTTP 403 Forbidden: pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope"#,
        ]
        for body in cases {
            let f = try XCTUnwrap(ResponseAnalyzer.identify(CapturedResponse(status: 403, body: Array(body.utf8))).findings.first)
            XCTAssertEqual(f.rule, "kubernetes-forbidden")
            XCTAssertEqual(f.summary, #"the Kubernetes API refused by RBAC: pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope"#)
        }
    }

    func testNginxVersionFromTheServerHeaderIsTheVersionAlone() throws {
        func summary(server: String, footer: String) throws -> String {
            let raw = "HTTP/1.1 403 Forbidden\r\nServer: \(server)\r\nContent-Type: text/html\r\n\r\n"
                + "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n"
                + "<hr><center>\(footer)</center>\r\n</body>\r\n</html>\r\n"
            let capture = try ResponseReader.read(Array(raw.utf8), file: "inline")
            let f = try XCTUnwrap(ResponseAnalyzer.identify(capture.responses[0]).findings.first)
            XCTAssertEqual(f.rule, "nginx-default-403")
            return f.summary
        }
        XCTAssertTrue(try summary(server: "nginx/1.18.0 (Ubuntu)", footer: "nginx").hasSuffix("(nginx 1.18.0)"))
        XCTAssertTrue(try summary(server: "nginx/1.18.0 (Ubuntu)", footer: "nginx/1.18.0 (Ubuntu)").hasSuffix("(nginx 1.18.0)"))
        XCTAssertTrue(try summary(server: "openresty/1.21.4.1", footer: "openresty").hasSuffix("(nginx 1.21.4.1)"))
        let bare = try summary(server: "nginx", footer: "nginx")
        XCTAssertFalse(bare.contains("(nginx"), bare)
    }

    /// When nothing names the writer, a refusal in its own words (a plain-text sentence, a JSON error) is possibly the
    /// application's; a bare status phrase, an HTML page or an empty body says nothing, and a server header still wins.
    func testTheBodysShapeSuggestsTheApplicationOnlyForItsOwnWords() throws {
        func verdict(_ status: Int, _ body: String, headers: [(String, String)] = []) throws -> (Layer, String?, Confidence?) {
            let raw = "HTTP/1.1 \(status) X\r\n" + headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n" + body
            let capture = try ResponseReader.read(Array(raw.utf8), file: "inline")
            let a = ResponseAnalyzer.identify(capture.responses[0])
            return (a.layer, a.findings.first?.rule, a.findings.first?.confidence)
        }
        var v = try verdict(403, "This endpoint does not support token-based authentication")
        XCTAssertEqual(v.0, .application); XCTAssertEqual(v.1, "app-shape"); XCTAssertEqual(v.2, .possible)
        v = try verdict(429, "Too many requests.\nPlease retry after approximately 86460 seconds.")
        XCTAssertEqual(v.0, .application); XCTAssertEqual(v.1, "status-429")
        for bare in ["Forbidden", "401 Unauthorized", "403: Forbidden.", "Access denied\r\n", ""] {
            XCTAssertEqual(try verdict(bare.hasPrefix("401") ? 401 : 403, bare).0, .unknown, bare)
        }
        XCTAssertEqual(try verdict(403, "<html><body><p>You may not see this page, sorry.</p></body></html>").0, .unknown)
        XCTAssertEqual(try verdict(403, "You may not see this page, sorry.", headers: [("Server", "nginx")]).0, .nginx)
    }

    /// Brackets in a summary that hold no placeholder are text: Apache's 429 summary once read "a RewriteRule R=429".
    /// A bracketed placeholder is still optional (the nginx version above).
    func testBracketsWithoutAPlaceholderStayInTheSummary() throws {
        let body = "<html><head><title>429 Too Many Requests</title></head><body>\n<h1>Too Many Requests</h1>\n"
            + "<p>The user has sent too many requests\nin a given amount of time.</p>\n</body></html>\n"
        let f = try XCTUnwrap(ResponseAnalyzer.identify(CapturedResponse(status: 429, body: Array(body.utf8))).findings.first)
        XCTAssertEqual(f.rule, "apache-default-429")
        XCTAssertTrue(f.summary.contains("a RewriteRule [R=429]"), f.summary)
    }

    /// APISIX's plugins' own sentences (apisix/plugins/*.lua at 3.18.0, and the older wordings back to 0.7), without
    /// headers as most pastes are, and the stock page its runtime marks "Powered by APISIX" for a plugin that answers
    /// with a bare status.
    func testAPISIXPluginSentencesFromItsSources() throws {
        func verdict(_ status: Int, _ body: String) -> (rule: String?, layer: Layer, cause: Cause?) {
            let a = ResponseAnalyzer.identify(CapturedResponse(status: status, body: Array(body.utf8)))
            return (a.findings.first?.rule, a.layer, a.findings.first?.cause)
        }
        let cases: [(Int, String, Cause)] = [
            (401, #"{"message":"JWT token invalid"}"# + "\n", .authInvalid),
            (401, #"{"message":"missing user key in JWT token"}"# + "\n", .authInvalid),
            (401, #"{"message":"Invalid user key in JWT token"}"# + "\n", .authInvalid),
            (401, #"{"message":"Invalid user key in authorization"}"# + "\n", .authInvalid),
            (401, #"{"message":"Password is error"}"# + "\n", .authInvalid),
            (401, #"{"message":"Invalid appid in rbac token"}"# + "\n", .authInvalid),
            (401, #"{"message":"access key or signature missing"}"# + "\n", .authMissing),
            (401, #"{"message":"Clock skew exceeded"}"# + "\n", .authInvalid),
            (401, #"{"message":"client request can't be validated: missing Authorization header"}"# + "\n", .authMissing),
            (401, #"{"message":"client request can't be validated"}"# + "\n", .authInvalid),
            (401, #"{"message":"The request is rejected, please check the consumer_name for this request"}"# + "\n", .authMissing),
            (401, #"{"message":"Missing authentication or identity verification."}"# + "\n", .authMissing),
            (403, #"{"message":"The consumer is not allowed"}"# + "\n", .authRole),
            (401, #"{"error_msg":"no csrf token in headers"}"# + "\n", .unknown),
            (401, #"{"error_msg":"csrf token mismatch"}"# + "\n", .unknown),
        ]
        assertIdentified(cases.map { ($0.0, $0.1, "apisix", .apiGateway, $0.2) })
        func page(_ status: String, poweredBy: Bool) -> String {
            "<html>\r\n<head><title>\(status)</title></head>\r\n<body>\r\n<center><h1>\(status)</h1></center>\r\n<hr><center>openresty</center>\r\n"
                + (poweredBy ? #"<p><em>Powered by <a href="https://apisix.apache.org/">APISIX</a>.</em></p>"# : "") + "</body>\r\n</html>\r\n"
        }
        XCTAssertEqual(verdict(403, page("403 Forbidden", poweredBy: true)).rule, "apisix", "uri-blocker, opa, forward-auth")
        let limit = verdict(503, page("503 Service Temporarily Unavailable", poweredBy: true))
        XCTAssertEqual(limit.rule, "apisix-limit-503")
        XCTAssertEqual(limit.cause, .rateLimit)
        // OpenResty's page without APISIX's line is nginx's; a generic sentence is not APISIX's
        XCTAssertEqual(verdict(403, page("403 Forbidden", poweredBy: false)).rule, "nginx-default-403")
        XCTAssertNotEqual(verdict(403, #"{"message":"Not allowed"}"# + "\n").rule, "apisix")
    }

    /// Envoy's, Istio's, Traefik's, WSO2's and Azure API Management's own refusals, in the words of their sources
    /// (jwt_verify_lib's status strings, Envoy's basic_auth and oauth2 filters, istio/proxy's authn filter, Traefik's
    /// pkg/middlewares, WSO2's APIThrottleConstants and fault sequences, API Management's documented messages).
    func testGatewaySentencesFromTheirSources() throws {
        let cases: [(Int, String, String, Layer, Cause)] = [
            (401, "Jwt header [alg] is not supported", "envoy-local-reply", .envoy, .authInvalid),
            (401, "Jwt payload [exp] field is not an integer", "envoy-local-reply", .envoy, .authInvalid),
            (401, "Jwt signature is an invalid Base64url encoded", "envoy-local-reply", .envoy, .authInvalid),
            (401, "Found multiple Jwt tokens", "envoy-local-reply", .envoy, .authInvalid),
            (401, "Jwks is an invalid JSON", "envoy-local-reply", .envoy, .configError),
            (401, "User authentication failed. Expected 'Basic' authentication scheme.", "envoy-local-reply", .envoy, .authInvalid),
            (401, "OAuth flow failed.", "envoy-local-reply", .envoy, .authInvalid),
            (401, "Origin authentication failed.", "envoy-local-reply", .envoy, .authInvalid),
            (429, "No bursty traffic allowed\n", "traefik-limiter-text", .traefik, .rateLimit),
            (429, "max connections reached: 10", "traefik-limiter-text", .traefik, .rateLimit),
            (429, #"{"code":"900804","message":"Message throttled out","description":"You have exceeded your quota"}"#, "wso2-apim-fault", .apiGateway, .rateLimit),
            (503, #"{"code":"900801","message":"API Limit Reached","description":"API not accepting requests"}"#, "wso2-apim-fault", .apiGateway, .rateLimit),
            (403, #"{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}"#, "wso2-apim-fault", .apiGateway, .accessDeny),
            (403, #"{"code":"900908","message":"Resource forbidden ","description":"Resource forbidden "}"#, "wso2-apim-fault", .apiGateway, .authRole),
            (429, #"<amt:fault xmlns:amt="http://wso2.org/apimanager/throttling"><amt:code>900800</amt:code><amt:message>Message throttled out</amt:message><amt:description>You have exceeded your quota</amt:description></amt:fault>"#,
             "wso2-apim-fault", .apiGateway, .rateLimit),
            (401, #"{ "statusCode": 401, "message": "JWT not present." }"#, "azure-apim-error", .apiGateway, .authMissing),
        ]
        assertIdentified(cases)
        // WSO2 2.x answered 900900 with 500: a refusal all the same, with the gateway named
        let unclassified = try ResponseReport.report(bytes: Array(("HTTP/1.1 500 Internal Server Error\r\n\r\n"
            + #"{"fault":{"code":900900,"message":"Unclassified Authentication Failure","description":"Resource forbidden"}}"#).utf8), file: "inline")
        XCTAssertEqual(unclassified.verdict, Verdict(status: 500, layer: .apiGateway, cause: .unknown))
        // Go's plain "Forbidden" and an application's "Invalid origin" say nothing of the layer
        XCTAssertEqual(ResponseAnalyzer.identify(CapturedResponse(status: 403, body: Array("Forbidden".utf8))).layer, .unknown)
        XCTAssertNotEqual(ResponseAnalyzer.identify(CapturedResponse(status: 429, body: Array(#"{"error":"max connections reached: 10"}"#.utf8))).findings.first?.rule,
                          "traefik-limiter-text")
    }

    /// Kong's and Gravitee's own refusals in their sources' words: Kong's error template (2.1+, `{\n  "message":"…"`, the
    /// request id from 3.5), its jwt plugin's sentences and claim verdicts, ip-restriction and acl; Gravitee's policies.
    /// Since Kong 3.6 and in Gravitee 3.x-4.x "Unauthorized" is said of a missing and of a wrong credential alike.
    func testKongAndGraviteeSentencesFromTheirSources() throws {
        func first(_ status: Int, _ body: String) -> Finding? {
            ResponseAnalyzer.identify(CapturedResponse(status: status, body: Array(body.utf8))).findings.first
        }
        let cases: [(Int, String, String, Cause)] = [
            (401, "{\n  \"message\":\"No API key found in request\",\n  \"request_id\":\"520c396c6c32b0400f7c33531b7f9b2c\"\n}", "kong-gateway", .authMissing),
            (401, "{\n  \"message\":\"Unauthorized\",\n  \"request_id\":\"520c396c6c32b0400f7c33531b7f9b2c\"\n}", "kong-gateway", .unknown),
            (401, "{\n  \"message\":\"Duplicate API key found\"\n}", "kong-gateway", .authInvalid),
            (401, #"{"message":"Bad token; invalid alg"}"#, "kong-gateway", .authInvalid),
            (401, #"{"message":"No mandatory 'iss' in claims"}"#, "kong-gateway", .authInvalid),
            (401, #"{"message":"Invalid key\/secret"}"#, "kong-gateway", .authInvalid),
            (401, #"{"exp":"token expired"}"#, "kong-gateway", .authInvalid),
            (401, #"{"nbf":"token not valid yet"}"#, "kong-gateway", .authInvalid),
            (403, "{\n  \"message\":\"IP address not allowed: 203.0.113.7\"\n}", "kong-gateway", .accessIP),
            (403, #"{"message":"Cannot identify the consumer, add an authentication plugin to use the ACL plugin"}"#, "kong-gateway", .configError),
            (429, #"{"message":"API rate limit exceeded for 'videos'"}"#, "kong-gateway", .rateLimit),
            (401, #"{"message":"Unauthorized","http_status_code":401}"#, "gravitee-error", .unknown),
            (429, #"{"message":"Spike limit exceeded! You reached the limit of 2 requests per 1000 ms.","http_status_code":429}"#, "gravitee-error", .rateLimit),
            (403, #"{"message":"Your IP (203.0.113.7) or some proxies whereby your request pass through are not allowed to reach this resource.","http_status_code":403}"#,
             "gravitee-error", .accessIP),
            (403, #"{"message":"You're not allowed to access this resource","http_status_code":403}"#, "gravitee-error", .accessDeny),
        ]
        assertIdentified(cases.map { ($0.0, $0.1, $0.2, .apiGateway, $0.3) })
        // a common printer's pretty JSON (a space after the colon) is not Kong's template
        XCTAssertNotEqual(first(401, "{\n  \"message\": \"Unauthorized\"\n}")?.rule, "kong-gateway")
        // an application's own `exp` field is not the jwt plugin's verdict
        XCTAssertNotEqual(first(401, #"{"exp":1700000000,"error":"expired"}"#)?.rule, "kong-gateway")
    }

    /// API platforms and registries in their sources' words: crates.io, PyPI's error page, the distribution spec's DENIED,
    /// GitLab's Git over HTTP, GitHub's User-Agent refusal, ESPv2's service-control replies.
    func testPlatformAndRegistrySentencesFromTheirSources() throws {
        let cases: [(Int, String, String, Layer, Cause)] = [
            // Slack's workspace refusals (its methods' "Errors" tables), in a 200
            (200, #"{"ok":false,"error":"accesslimited"}"#, "slack-api-error", .application, .accessIP),
            (200, #"{"ok":false,"error":"team_access_not_granted"}"#, "slack-api-error", .application, .authRole),
            (200, #"{"ok":false,"error":"ekm_access_denied"}"#, "slack-api-error", .application, .appForbidden),
            (200, #"{"ok": false, "error": "restricted_action_thread_only_channel"}"#, "slack-api-error", .application, .appForbidden),
            (401, #"{"errors":[{"detail":"Missing `Authorization` header"}]}"#, "crates-io-error", .application, .authMissing),
            (403, #"{"errors":[{"detail":"this action requires authentication"}]}"#, "crates-io-error", .application, .authMissing),
            (403, #"{"errors":[{"detail":"authentication failed"}]}"#, "crates-io-error", .application, .authInvalid),
            (403, #"{"errors":[{"detail":"this token does not have the required permissions to perform this action"}]}"#, "crates-io-error", .application, .authScope),
            (403, #"{"errors":[{"detail":"only owners have permission to modify owners"}]}"#, "crates-io-error", .application, .authRole),
            (403, #"{"errors":[{"detail":"must be logged in to perform that action"}]}"#, "crates-io-error", .application, .unknown),
            (429, #"{"errors":[{"detail":"You have yanked or unyanked too many versions in a short period of time. Please try again after Mon, 02 Mar 2026 10:00:00 GMT and see https://crates.io/docs/rate-limits for more details."}]}"#,
             "crates-io-error", .application, .rateLimit),
            (403, "<html>\n <head>\n  <title>403 Read-only mode: Uploads are temporarily disabled.</title>\n </head>\n <body>\n  <h1>403 Read-only mode: Uploads are temporarily disabled.</h1>\n  Access was denied to this resource.<br/><br/>\n </body>\n</html>",
             "pypi-upload-refused", .application, .accessDeny),
            (403, #"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"# + "\n", "registry-denied", .application, .unknown),
            (401, "HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you're required to use a token instead of a password.",
             "gitlab-git-http", .application, .authInvalid),
            (403, "You are not allowed to push code to this project.\n", "gitlab-git-http", .application, .authRole),
            (401, "HTTP Basic: Access denied\n", "gitlab-git-http", .application, .authInvalid),
            (401, "HTTP Basic: Access denied. The provided password or token is incorrect or your account has 2FA enabled and you must use a personal access token instead of a password. See https://gitlab.example.com/help/topics/git/troubleshooting_git",
             "gitlab-git-http", .application, .authInvalid),
            (403, "Deploy keys are not allowed to push code.", "gitlab-git-http", .application, .authRole),
            // AWS's query protocol (STS, IAM, SNS) and EC2's XML: the service's refusal, not S3's; IAM's sentence names the policy type.
            (403, #"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: sns:Publish on resource: arn:aws:sns:us-east-1:111122223333:t because no identity-based policy allows the sns:Publish action</Message></Error><RequestId>1</RequestId></ErrorResponse>"#,
             "aws-api-error", .application, .policyImplicitDeny),
            (403, #"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::777788889999:user/mateojackson is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::777788889999:user/x with an explicit deny in a permissions boundary</Message></Error><RequestId>2</RequestId></ErrorResponse>"#,
             "aws-api-error", .application, .policyExplicitDeny),
            (403, "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>3</RequestID></Response>",
             "aws-api-error", .application, .policyImplicitDeny),
            (403, #"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z</Message></Error><RequestId>4</RequestId></ErrorResponse>"#,
             "aws-signing-error", .apiGateway, .authInvalid),
            (403, #"{"Message":"User: anonymous is not authorized to perform: es:ESHttpGet"}"#, "aws-api-error", .application, .authMissing),
            (403, "An error occurred (AccessDenied) when calling the PutLifecycleHook operation: User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized to perform: autoscaling:PutLifecycleHook on resource: arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:x with an explicit deny in a service control policy",
             "aws-api-error", .application, .policyExplicitDeny),
            // Tyk's common-word sentences in its own indented envelope
            (401, "{\n    \"error\": \"User not authorised\"\n}", "tyk-gateway", .apiGateway, .authInvalid),
            (403, "{\n    \"error\": \"Key not authorized:signature is invalid\"\n}", "tyk-gateway", .apiGateway, .authInvalid),
            (403, "{\n    \"error\": \"Requested endpoint is forbidden\"\n}", "tyk-gateway", .apiGateway, .accessDeny),
            (429, "{\n    \"error\": \"Rate limit exceeded\"\n}", "tyk-gateway", .apiGateway, .rateLimit),
            (401, "Authentication parameters missing", "threescale-apicast", .apiGateway, .authMissing),
            (400, #"{"error":"unauthorized_client","error_description":"The client is not authorized to use the provided grant type. Configured grant types: [authorization_code]."}"#,
             "oauth-token-error", .application, .authRole),
            (400, #"{"error":{"code":"API_KEY_MISSING","message":"No api_key was supplied. Get one at https://api.data.gov:443"}}"#, "api-umbrella-error", .application, .authMissing),
            (429, "<html><title>429: Too Many Requests</title><body>429: Too Many Requests</body></html>", "tornado-error-page", .application, .rateLimit),
            (401, "401: Unauthorized", "aiohttp-error-text", .application, .unknown),
            (401, "<html><head><title>Error</title></head><body>Unauthorized</body></html>", "undertow-error-page", .application, .unknown),
            (429, #"{"statusCode":429,"error":"Too Many Requests","message":"Rate limit exceeded, retry in 1 minute"}"#, "framework-rate-limiter", .application, .rateLimit),
            (401, "Request denied by Basic Auth check. Invalid username and/or password.", "higress-plugin-denied", .envoy, .authInvalid),
            (403, #"{"message":"Your IP address is blocked."}"#, "higress-plugin-denied", .envoy, .accessIP),
            (401, "Your OTP code is incorrect. Please check it and retry.", "rubygems-api-refused", .application, .authInvalid),
            (403, "Rubygem requires owners to enable MFA. You must enable MFA before pushing new version.", "rubygems-api-refused", .application, .authRole),
            (403, "Package 'Contoso.Lib' has been locked. This means you cannot publish a new version or change the listing status of a published package version. Please contact support@nuget.org.",
             "nuget-api-refused", .application, .accessDeny),
            (403, #"{"code":403,"error_code":"not_admin","msg":"User not allowed"}"#, "supabase-auth-error", .application, .authRole),
            (429, #"{"code":429,"error_code":"over_email_send_rate_limit","msg":"email rate limit exceeded"}"#, "supabase-auth-error", .application, .rateLimit),
            (400, #"{"code":400,"error_code":"invalid_credentials","msg":"Invalid login credentials"}"#, "supabase-auth-error", .application, .authInvalid),
            (403, #"{"code":"no_authorization","message":"Anonymous user not allowed to perform these actions"}"#, "supabase-auth-error", .application, .authRole),
            // Google's ErrorInfo reason names the cause where the message does not
            (403, #"{"error":{"code":403,"message":"The provided API key has an IP address restriction.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_IP_ADDRESS_BLOCKED","domain":"googleapis.com"}]}}"#,
             "google-api-error", .application, .accessIP),
            (401, #"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_EXPIRED","domain":"googleapis.com"}]}}"#,
             "google-api-error", .application, .authInvalid),
            (403, "Request blocked due to JWT claim policy\n", "threescale-apicast", .apiGateway, .authRole),
            (401, #"{"$id":"1","innerException":null,"message":"TF400813: The user '' is not authorized to access this resource.","typeName":"Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server","typeKey":"UnauthorizedRequestException","errorCode":0,"eventId":3000}"#,
             "azure-devops-error", .application, .authInvalid),
            (403, "TF401027: You need the Git 'GenericContribute' permission to perform this action. Details: identity 'x', scope 'repository'.",
             "azure-devops-error", .application, .authRole),
            (401, #"{"$id":"1","customProperties":{"Descriptor":null},"innerException":null,"message":"Access Denied: The Personal Access Token used has expired.","typeName":"Microsoft.VisualStudio.Services.Security.AccessCheckException, Microsoft.VisualStudio.Services.WebApi","typeKey":"AccessCheckException","errorCode":0,"eventId":3000}"#,
             "azure-devops-error", .application, .authInvalid),
            (403, "Request forbidden by administrative rules.\nPlease make sure your request has a User-Agent header.\n", "github-no-user-agent", .application, .botBlock),
            (403, #"{"code":403,"message":"PERMISSION_DENIED: IP address blocked."}"# + "\n", "cloud-endpoints-esp", .apiGateway, .accessIP),
            (429, #"{"code":429,"message":"RESOURCE_EXHAUSTED: Quota check failed."}"# + "\n", "cloud-endpoints-esp", .apiGateway, .rateLimit),
            // Okta's error catalogue, Keycloak's current admin 403, Entra's code without its envelope, the Table service's JSON
            (429, #"{"errorCode":"E0000109","errorSummary":"An SMS message was recently sent. Please wait 30 seconds before trying again.","errorLink":"E0000109","errorId":"oae1","errorCauses":[]}"#,
             "okta-api-error", .application, .rateLimit),
            (401, #"{"errorCode":"E0000207","errorSummary":"The username and/or the password you entered is incorrect. Please try again.","errorLink":"E0000207","errorId":"oae1","errorCauses":[]}"#,
             "okta-api-error", .application, .authInvalid),
            (403, #"{"error":"HTTP 403 Forbidden"}"#, "keycloak-admin-forbidden", .application, .unknown),
            (400, "AADSTS50057: The user account is disabled.", "entra-aadsts", .application, .authInvalid),
            (403, #"{"odata.error":{"code":"AuthorizationPermissionMismatch","message":{"lang":"en-US","value":"This request is not authorized to perform this operation using this permission.\nRequestId:5e7c1a2b-3002-0042-6f3b-1a2b3c000000\nTime:2025-01-01T10:00:00.0000000Z"}}}"#,
             "azure-storage", .azureStorage, .authRole),
        ]
        assertIdentified(cases)
        // ESPv2's refusal of a key at 400 is a refusal; Google APIs' own envelope stays Google's
        let key = try ResponseReport.report(bytes: Array(("HTTP/1.1 400 Bad Request\r\n\r\n"
            + #"{"code":400,"message":"INVALID_ARGUMENT: API key not valid. Please pass a valid API key."}"#).utf8), file: "inline")
        XCTAssertEqual(key.verdict, Verdict(status: 400, layer: .apiGateway, cause: .authInvalid))
        let google = ResponseAnalyzer.identify(CapturedResponse(status: 403, body: Array(#"{"error":{"code":403,"message":"PERMISSION_DENIED: x","status":"PERMISSION_DENIED"}}"#.utf8)))
        XCTAssertEqual(google.findings.first?.rule, "google-api-error")
        // Azure AD Graph's own odata.error stays Graph's
        let graph = ResponseAnalyzer.identify(CapturedResponse(status: 403, body: Array(#"{"odata.error":{"code":"Authorization_RequestDenied","message":{"lang":"en","value":"Insufficient privileges to complete the operation."}}}"#.utf8)))
        XCTAssertEqual(graph.findings.first?.rule, "msgraph-error")
    }

    /// Servers' and frameworks' own pages in their sources' words: Tomcat's report with its en dash (also without the
    /// report) and its 429, Jetty's 429, HAProxy's 407, Werkzeug's 401 and 429, httpd's canned 429, FastAPI's and Express's
    /// defaults, Spring Security's reactive CSRF text.
    /// Session 23: frameworks' and platforms' one-line answers, from their sources, headerless as people paste them.
    func testFrameworkAndPlatformDefaultsFromTheirSources() throws {
        assertIdentified([
            (401, "HTTP Basic: Access denied.\n", "rails-http-authentication", .application, .unknown),
            (401, "HTTP Digest: Access denied.\n", "rails-http-authentication", .application, .unknown),
            (429, "Retry later\n", "rack-attack-throttled", .application, .rateLimit),
            (429, "Too many requests, please try again later.", "express-rate-limit", .application, .rateLimit),
            (429, "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.", "auth0-rate-limit-text", .application, .rateLimit),
            (429, "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limits",
             "registry-toomanyrequests", .application, .rateLimit),
            (401, "Login failed due to incorrect login credentials or method.\nFor information on authentication methods for Bitbucket Cloud APIs, visit:",
             "bitbucket-cloud", .application, .authInvalid),
            (401, "Client must be authenticated to access this resource.", "atlassian-cloud-unauthenticated", .application, .unknown),
            (401, "Basic authentication with passwords is deprecated.  For more information, see: https://confluence.atlassian.com/cloud/deprecation-of-basic-authentication-with-passwords-for-jira-and-confluence-apis-972355348.html\n",
             "atlassian-cloud-unauthenticated", .application, .authInvalid),
            (403, "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>403 Forbidden</title>\n</head>\n<body>\n  <h1>403 Forbidden</h1><p></p>\n</body>\n</html>\n",
             "django-permission-denied", .application, .appForbidden),
            (401, "<!DOCTYPE html>\n<html>\n  <head>\n    <title>401 Unauthorized</title>\n  </head>\n  <body>\n    <h1>Error 401 Unauthorized</h1>\n    <p>Unauthorized</p>\n    <h3>Guru Meditation:</h3>\n    <p>XID: 32771</p>\n    <hr>\n    <p>Varnish cache server</p>\n  </body>\n</html>\n",
             "varnish-error-page", .varnish, .unknown),
        ])
        // The same words inside a longer body, or another sentence alike, are someone else's.
        for (status, body) in [(429, "Please retry later"), (401, "<p>HTTP Basic: Access denied.</p> Contact us"), (429, "You have reached your pull rate limit for this mirror.")] {
            let a = ResponseAnalyzer.identify(CapturedResponse(status: status, body: Array(body.utf8)))
            XCTAssertFalse(["rack-attack-throttled", "rails-http-authentication", "registry-toomanyrequests"].contains(a.findings.first?.rule ?? ""), body)
        }
    }

    /// S3-compatible stores' own codes in S3's XML (MinIO's and Ceph RGW's sources), headerless.
    func testS3CompatibleStoresCodesFromTheirSources() throws {
        func xml(_ code: String, _ message: String) -> String {
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message><BucketName>b</BucketName><RequestId>1865F7A0B2C3D4E5</RequestId><HostId>h</HostId></Error>"
        }
        assertIdentified([
            (403, xml("InvalidTokenId", "The security token included in the request is invalid"), "s3-auth-error", .s3, .authInvalid),
            (403, xml("UserSuspended", ""), "s3-error", .s3, .accessDeny),
            (403, xml("QuotaExceeded", ""), "s3-error", .s3, .unknown),
            (403, xml("XMinioInvalidIAMCredentials", "The administrator key is not eligible for this operation"), "s3-error", .s3, .authRole),
            (429, xml("TooManyRequests", "Please reduce your request rate"), "s3-slow-down", .s3, .rateLimit),
            (503, xml("SlowDown", "Please reduce your request rate."), "s3-slow-down", .s3, .rateLimit),
        ])
    }

    /// Self-hosted platforms' own refusals (CouchDB, RabbitMQ, Gogs), from their sources, headerless.
    func testSelfHostedPlatformsFromTheirSources() throws {
        assertIdentified([
            (401, #"{"error":"unauthorized","reason":"Name or password is incorrect."}"#, "couchdb-error", .application, .authInvalid),
            (403, #"{"error":"forbidden","reason":"You are not allowed to access this db."}"#, "couchdb-error", .application, .authRole),
            (401, #"{"error":"unauthorized","reason":"Authentication required."}"#, "couchdb-error", .application, .authMissing),
            (401, "{\n    \"error\": \"unauthorized\",\n    \"reason\": \"You are not a server admin.\"\n}", "couchdb-error", .application, .unknown),
            (401, #"{"error":"not_authorised","reason":"Not administrator user"}"#, "rabbitmq-management-refused", .application, .authRole),
            (401, #"{"error":"not_authorised","reason":"User can only log in via localhost"}"#, "rabbitmq-management-refused", .application, .accessIP),
            (401, #"{"error":"not_authorized","reason":"Not_Authorized"}"#, "rabbitmq-management-refused", .application, .authInvalid),
            (403, "User permission denied\n", "gogs-git-http", .application, .authRole),
            (403, "Mirror repository is read-only\n", "gogs-git-http", .application, .accessDeny),
            (403, "Interacting with repositories by HTTP protocol is disabled\n", "gogs-git-http", .application, .accessDeny),
            (401, "Users with two-factor authentication enabled cannot perform HTTP/HTTPS operations via plain username and password\n",
             "gogs-git-http", .application, .authInvalid),
            (401, "no permissions for [indices:data/read/search] and User [name=bob, backend_roles=[], requestedTenant=null]",
             "opensearch-no-permissions", .application, .authRole),
            (401, "no org id\n", "grafana-no-org-id", .application, .authMissing),
            (401, #"{"error":{"code":401,"status":"Unauthorized","message":"The request could not be authorized"}}"#, "ory-herodot-error", .application, .unknown),
            (403, #"{"error":{"code":403,"status":"Forbidden","message":"Access credentials are not sufficient to access this resource"}}"#,
             "ory-herodot-error", .application, .authRole),
            (401, #"{"message":"Invalid JWT token","details":"Unauthorized"}"#, "app-json-401", .application, .authInvalid),
            (401, #"{"errors":[{"msg":"Authentication is required"}]}"#, "app-json-401", .application, .authMissing),
        ])
    }

    /// Web frameworks' middleware, from their sources, headerless; and the generic JSON reading's new words.
    func testFrameworkMiddlewareFromTheirSources() throws {
        assertIdentified([
            (429, "{\n    \"message\": \"Too Many Attempts.\"\n}", "laravel-throttle", .application, .rateLimit),
            (403, "cross-origin request detected, and/or browser is out of date: Sec-Fetch-Site is missing, and Origin does not match Host\n",
             "go-cross-origin-protection", .application, .appForbidden),
            (401, "missing or malformed API Key", "fiber-keyauth", .application, .authMissing),
            (401, "Invalid or expired API Key", "fiber-keyauth", .application, .authInvalid),
            (401, "missing or invalid API Key", "fiber-keyauth", .application, .unknown),
            (401, #"{"statusCode":401,"error":"Unauthorized","message":"Bad username or password"}"#, "app-json-401", .application, .authInvalid),
            (401, #"{"error":"You need to sign in or sign up before continuing."}"#, "app-json-401", .application, .authMissing),
            (401, #"{"error":"Too many failed login attempts, please try again in 1 minute."}"#, "app-json-401", .application, .rateLimit),
        ])
    }

    func testServerAndFrameworkPagesFromTheirSources() throws {
        let cases: [(Int, String, String, Layer, Cause)] = [
            (403, "<!doctype html><html lang=\"en\"><head><title>HTTP Status 403 – Forbidden</title></head><body><h1>HTTP Status 403 – Forbidden</h1></body></html>",
             "tomcat-status-report", .application, .unknown),
            (429, "<!doctype html><html lang=\"en\"><head><title>HTTP Status 429 – Too Many Requests</title></head><body><h1>HTTP Status 429 – Too Many Requests</h1><hr class=\"line\" /><p><b>Type</b> Status Report</p><hr class=\"line\" /><h3>Apache Tomcat/9.0.76</h3></body></html>",
             "tomcat-status-report", .application, .rateLimit),
            (429, "<html>\n<head>\n<title>Error 429 Too Many Requests</title>\n</head>\n<body><h2>HTTP ERROR 429 Too Many Requests</h2>\n<hr/><a href=\"https://eclipse.org/jetty\">Powered by Jetty:// 10.0.20</a><hr/>\n</body>\n</html>\n",
             "jetty-error-page", .application, .rateLimit),
            (407, "<html><body><h1>407 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n", "haproxy-401", .haproxy, .unknown),
            (429, "<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n<h1>Too Many Requests</h1>\n<p>This user has exceeded an allotted request count. Try again later.</p>\n",
             "werkzeug-error-page", .application, .rateLimit),
            (401, "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n",
             "werkzeug-error-page", .application, .unknown),
            (429, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>429 Too Many Requests</title>\n</head><body>\n<h1>Too Many Requests</h1>\n<p>The user has sent too many requests\nin a given amount of time.</p>\n</body></html>\n",
             "apache-default-429", .apache, .rateLimit),
            (403, #"{"detail":"Not authenticated"}"#, "fastapi-security", .application, .authMissing),
            (403, #"{"detail":"Invalid authentication credentials"}"#, "fastapi-security", .application, .authInvalid),
            (403, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Forbidden</pre>\n</body>\n</html>\n",
             "express-default-error", .application, .unknown),
            (403, "An expected CSRF token cannot be found", "spring-webflux-csrf", .application, .appForbidden),
            // the edge's own words: HUMAN's rate-limit template
            (429, "<html>\n<head>\n    <title>Too Many Requests</title>\n</head>\n<body>\n    <h1>Too Many Requests</h1>\n    <p>Reached maximum requests limitation, try again soon.</p>\n</body>\n</html>",
             "human-rate-limit", .human, .rateLimit),
        ]
        assertIdentified(cases)
        // FastAPI's `{"detail": "Invalid authentication credentials"}` is the application's, not Kong's
        XCTAssertFalse(ResponseAnalyzer.identify(CapturedResponse(status: 403, body: Array(#"{"detail":"Invalid authentication credentials"}"#.utf8)))
            .findings.contains { $0.rule == "kong-gateway" })
    }

    func testOriginPageThroughCloudflareNamesTheOrigin() throws {
        let a = try analysis("nginx-default-403/through-cloudflare.hit.http")
        XCTAssertEqual(a.layer, .nginx)
        XCTAssertEqual(a.findings.map(\.layer), [.nginx, .cloudflare])
        XCTAssertTrue(a.findings[1].summary.hasPrefix("the response also passed through Cloudflare"))
    }

    func testS3AccessDeniedIsUnknownWithOrderedChecks() throws {
        let f = try XCTUnwrap(analysis("s3-access-denied/access-denied.hit.http").findings.first)
        XCTAssertEqual(f.layer, .s3)
        XCTAssertEqual(f.cause, .unknown)
        let checks = try XCTUnwrap(f.checks)
        let order = ["request id", "bucket policy", "s3:ListBucket", "Block Public Access", "kms:Decrypt", "OAC"]
        var last = -1
        for word in order {
            let i = try XCTUnwrap(checks.firstIndex { $0.contains(word) }, word)
            XCTAssertGreaterThan(i, last, "\(word) out of order")
            last = i
        }
        XCTAssertTrue(f.evidence.contains { $0.source == "header x-amz-request-id" && $0.text == "Z8M4Q1X7B2N6V9C3" })
        XCTAssertTrue(f.evidence.contains { $0.text.hasPrefix("host id ") })
    }

    func testS3DetailedMessagesProveTheCause() throws {
        let implicit = try XCTUnwrap(analysis("s3-access-denied/implicit-deny-message.hit.http").findings.first)
        XCTAssertEqual(implicit.cause, .policyImplicitDeny)
        XCTAssertEqual(implicit.confidence, .certain)
        XCTAssertEqual(try analysis("s3-access-denied/presigned-expired.hit.http").findings.first?.cause, .authInvalid)
        XCTAssertEqual(try analysis("s3-auth-error/signature-mismatch.hit.http").findings.first?.cause, .authInvalid)
    }

    func testS3ThroughCloudFrontIsS3() throws {
        let a = try analysis("s3-access-denied/through-cloudfront.hit.http")
        XCTAssertEqual(a.findings.map(\.layer), [.s3, .cloudfront])
    }

    /// MinIO answers in S3's XML and marks every answer `Server: MinIO`: the headline and the place to look name MinIO,
    /// the layer stays S3's; Amazon's own answer is still Amazon S3's.
    func testAnS3CompatibleStoreIsNamedByItsMark() throws {
        let minio = try report("s3-slow-down/minio-429.hit.http")
        XCTAssertEqual(minio.verdict.layer, .s3)
        XCTAssertTrue(Renderer.headline(minio).hasPrefix("429 from MinIO (Amazon S3-compatible): the storage service throttled"), Renderer.headline(minio))
        let f = try XCTUnwrap(minio.findings.first)
        XCTAssertEqual(f.details?["product"], .string("MinIO"))
        XCTAssertTrue(f.evidence.contains(Evidence(source: "header server", text: "MinIO")), "\(f.evidence)")
        XCTAssertEqual(f.checks?.first?.hasPrefix("MinIO's own trace of the failed calls (`mc admin trace --errors ALIAS`)"), true, "\(f.checks ?? [])")
        let amazon = try report("s3-slow-down/s3-503.hit.http")
        XCTAssertTrue(Renderer.headline(amazon).hasPrefix("503 from Amazon S3: "), Renderer.headline(amazon))
        XCTAssertEqual(amazon.findings.first?.details?["product"], .string("Amazon S3"))
        XCTAssertNil(amazon.findings.first?.details?["compatible_with"])
    }

    /// A compatible store's next steps are its own: MinIO's policies are read with `mc`, not in IAM's console, and its
    /// AllAccessDisabled on its browser's paths is not AWS disabling a bucket (minio/minio#5225); Amazon's keeps Amazon's.
    func testAnS3CompatibleStoreGetsItsOwnChecks() throws {
        let denied = try XCTUnwrap(report("s3-access-denied/minio-charts-12-listbuckets-trace.hit.http").findings.first)
        XCTAssertEqual(denied.details?["product"], .string("MinIO"))
        let checks = denied.checks ?? []
        XCTAssertTrue(checks.contains { $0.contains("mc anonymous get-json ALIAS/BUCKET") }, "\(checks)")
        XCTAssertTrue(checks.contains { $0.contains("mc admin accesskey info ALIAS ACCESSKEY") }, "\(checks)")
        XCTAssertFalse(checks.contains { $0.contains("CloudFront") || $0.contains("Block Public Access") || $0.contains("aws s3api") }, "\(checks)")
        let amazon = try XCTUnwrap(report("s3-access-denied/access-denied.hit.http").findings.first)
        XCTAssertTrue(amazon.checks?.contains { $0.contains("aws s3api get-bucket-policy") } ?? false, "\(amazon.checks ?? [])")

        let browserPath = try XCTUnwrap(report("s3-error/minio-5225-login-allaccessdisabled-curl.hit.http").findings.first)
        XCTAssertEqual(browserPath.cause, .accessDeny)
        XCTAssertEqual(browserPath.confidence, .likely)
        XCTAssertTrue(browserPath.summary.hasPrefix("the path belongs to its built-in browser (/minio/…)"), browserPath.summary)
        XCTAssertFalse((browserPath.checks ?? []).contains { $0.contains("AWS Support") }, "\(browserPath.checks ?? [])")
        let disabled = try XCTUnwrap(report("s3-error/juicebox-allaccessdisabled-browser.hit.http").findings.first)
        XCTAssertEqual(disabled.confidence, .certain)
        XCTAssertTrue(disabled.checks?.contains { $0.contains("contact AWS Support") } ?? false, "\(disabled.checks ?? [])")
    }

    func testBearerInsufficientScope() throws {
        let f = try XCTUnwrap(analysis("bearer-insufficient-scope/insufficient-scope.hit.http").findings.first)
        XCTAssertEqual(f.cause, .authScope)
        XCTAssertEqual(f.confidence, .certain)
        XCTAssertEqual(f.summary, "the token is valid but lacks the scope the endpoint requires (orders:write orders:read)")
        XCTAssertEqual(f.details?["scope"], .string("orders:write orders:read"))
    }

    func testBearerInvalidToken() throws {
        let f = try XCTUnwrap(analysis("bearer-invalid-token/expired.hit.http").findings.first)
        XCTAssertEqual(f.cause, .authInvalid)
        XCTAssertEqual(f.summary, "the token was rejected as invalid, expired or revoked: The access token expired")
    }

    func testChallengeWithoutCredentials() throws {
        let known = try XCTUnwrap(analysis("auth-challenge-missing/bearer-no-token.curl-v.hit.txt").findings.first)
        XCTAssertEqual(known.cause, .authMissing)
        XCTAssertEqual(known.confidence, .certain)
        // A raw capture does not show the request: likely, not certain, and nginx named as the layer.
        let a = try analysis("nginx-default-401/auth-basic.hit.http")
        XCTAssertEqual(a.layer, .nginx)
        XCTAssertEqual(a.findings.first?.cause, .authMissing)
        XCTAssertEqual(a.findings.first?.confidence, .likely)
        XCTAssertEqual(a.findings.first?.summary,
                       "most likely no credentials were sent (the request was not captured); the server asks for \"Basic\" authentication (realm \"Restricted area\")")
        // Credentials sent and refused.
        let wrong = try analysis("nginx-default-401/wrong-password.curl-v.hit.txt")
        XCTAssertEqual(wrong.layer, .nginx)
        XCTAssertEqual(wrong.findings.first?.cause, .authInvalid)
    }

    /// nginx's or Apache's own 401 page with no challenge header seen: possibly no credentials sent when the request is
    /// unknown, likely when it was captured without them; a captured request that carried some leaves the cause open.
    /// One body is one answer: a product's signature that read the body's lines (not only a JSON value) leaves no second
    /// finding for the generic JSON reading of the same body; a rate-limit finding leaves none for the generic reading of
    /// the 429's counters (Envoy writes the same x-ratelimit-* headers).
    func testTheSameBodyOrCountersNameNoSecondLayer() throws {
        func rules(_ text: String) throws -> [String] {
            let capture = try ResponseReader.read(Array(text.utf8), file: "t.txt")
            return ResponseAnalyzer.identify(capture.responses[0]).findings.map { $0.rule ?? "" }
        }
        XCTAssertEqual(try rules("HTTP/1.1 403 Forbidden\nContent-Type: application/json\n\n"
                                 + #"{"errors":[{"code":"MissingAuthenticationToken","message":"Access to requested resource is denied."}]}"# + "\n"),
                       ["apigw-missing-token"])
        XCTAssertEqual(try rules("HTTP/1.1 429 Too Many Requests\nx-ratelimit-limit: 3, 3;w=3600\nx-ratelimit-remaining: 0\nx-ratelimit-reset: 2621\n\n"),
                       ["envoy-ratelimit-headers"])
        // Without a product's reading, the counters are still the application's.
        XCTAssertEqual(try rules("HTTP/1.1 429 Too Many Requests\nx-ratelimit-limit: 60\nx-ratelimit-remaining: 0\n\n").first, "app-rate-limit-headers")
    }

    func testAServers401PageWithoutItsChallenge() throws {
        let page = "<html>\n<head><title>401 Authorization Required</title></head>\n<body>\n<center><h1>401 Authorization Required</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
        func identify(_ text: String) throws -> Finding {
            let capture = try ResponseReader.read(Array(text.utf8), file: "t.txt")
            return try XCTUnwrap(ResponseAnalyzer.identify(capture.responses.last!).findings.first)
        }
        let bare = try identify("HTTP/1.1 401 Unauthorized\n\n" + page)
        XCTAssertEqual(bare.layer, .nginx)
        XCTAssertEqual(bare.cause, .authMissing)
        XCTAssertEqual(bare.confidence, .possible)
        XCTAssertTrue(bare.summary.hasSuffix("most often no credentials were sent (the request was not captured; a wrong user or password gives the same page)"), bare.summary)
        XCTAssertTrue(bare.checks?.first?.hasPrefix("the request: an Authorization header means") ?? false, "\(bare.checks ?? [])")
        let request = "> GET /auth/ HTTP/1.1\n> Host: 127.0.0.1\n%@> \n< HTTP/1.1 401 Unauthorized\n< Server: nginx\n< \n"
        let without = try identify(request.replacingOccurrences(of: "%@", with: "") + page)
        XCTAssertEqual(without.cause, .authMissing)
        XCTAssertEqual(without.confidence, .likely)
        XCTAssertTrue(without.evidence.contains { $0.text == "no Authorization, Cookie or API-key header was sent" }, "\(without.evidence)")
        let with = try identify(request.replacingOccurrences(of: "%@", with: "> Authorization: Basic dTp3cm9uZ3Bhc3M=\n") + page)
        XCTAssertEqual(with.cause, .unknown)
        // Apache's page reads the same; the challenge, when seen, still says more (`testChallengeWithoutCredentials`).
        let apache = try identify("HTTP/1.1 401 Unauthorized\nServer: Apache/2.4.62 (Debian)\n\n<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>401 Unauthorized</title>\n</head><body>\n<h1>Unauthorized</h1>\n<p>This server could not verify that you\nare authorized to access the document\nrequested.</p>\n</body></html>\n")
        XCTAssertEqual(apache.layer, .apache)
        XCTAssertEqual(apache.cause, .authMissing)
        XCTAssertEqual(apache.confidence, .possible)
    }

    func testChallengeEvidenceSurvivesRedaction() throws {
        let text = Renderer.render(try report("nginx-default-401/auth-basic.hit.http").redacted(by: Redactor()), as: .text)
        XCTAssertTrue(text.contains(#"Basic (realm="Restricted area")"#), text)
        XCTAssertFalse(text.contains("[redacted]"), text)
        XCTAssertTrue(text.hasPrefix(#"401 from nginx: most likely no credentials were sent (the request was not captured); the server asks for "Basic" authentication (realm "Restricted area")"#), text)
    }

    func testGitHubScopes() throws {
        let f = try XCTUnwrap(analysis("github-oauth-scopes/missing-scope.hit.http").findings.first)
        XCTAssertEqual(f.cause, .authScope)
        XCTAssertEqual(f.details?["missing_scopes"], .array(["admin:org", "write:org"]))
        // The token holds an accepted scope: not the cause.
        var r = CapturedResponse(status: 403, headers: HeaderList([("x-oauth-scopes", "repo, admin:org"), ("x-accepted-oauth-scopes", "admin:org")]))
        r.body = Array(#"{"message":"Resource protected by organization SAML enforcement."}"#.utf8)
        let g = try XCTUnwrap(ResponseAnalyzer.identify(r).findings.first)
        XCTAssertEqual(g.cause, .unknown)
        XCTAssertEqual(g.confidence, .possible)
    }

    func testVariantsRefineTheCause() throws {
        XCTAssertEqual(try analysis("iis-403/403-14.hit.http").findings.first?.cause, .indexMissing)
        XCTAssertEqual(try analysis("iis-403/403-6.hit.http").findings.first?.cause, .accessIP)
        XCTAssertEqual(try analysis("iis-403/remote-generic.hit.http").findings.first?.cause, .unknown)
        XCTAssertEqual(try analysis("azure-storage/permission-mismatch.hit.http").findings.first?.cause, .authRole)
        XCTAssertEqual(try analysis("azure-storage/authentication-failed.hit.http").findings.first?.cause, .authInvalid)
        XCTAssertEqual(try analysis("apigw-access-denied/explicit-deny.hit.http").findings.first?.cause, .policyExplicitDeny)
        XCTAssertEqual(try analysis("apigw-access-denied/authorizer-deny.hit.http").findings.first?.cause, .authRole)
        XCTAssertEqual(try analysis("sucuri-block/geo.hit.http").findings.first?.cause, .geoBlock)
        XCTAssertEqual(try analysis("wordfence/country-limited.hit.http").findings.first?.cause, .geoBlock)
        XCTAssertEqual(try analysis("wordfence/unsafe-operation.hit.http").findings.first?.cause, .wafRule)
        XCTAssertEqual(try analysis("gcs-access-denied/xml-anonymous.hit.http").findings.first?.cause, .authMissing)
        XCTAssertEqual(try analysis("gcs-access-denied/json-api.hit.http").findings.first?.cause, .policyImplicitDeny)
    }

    /// A variant's `*` stands for any text wherever it is: "JWT validation failed: *signature*" is the prefix and then the word.
    func testVariantPatternsWithAStarInside() throws {
        var r = CapturedResponse(status: 401, headers: HeaderList([("Content-Type", "application/json")]))
        r.body = Array(#"{"code": 16, "message": "JWT validation failed: Bad JWT signature", "details": [{"@type": "type.googleapis.com/google.rpc.DebugInfo", "stackEntries": [], "detail": "auth"}]}"#.utf8)
        let esp = try XCTUnwrap(ResponseAnalyzer.identify(r).findings.first)
        XCTAssertEqual(esp.rule, "cloud-endpoints-esp")
        XCTAssertEqual(esp.cause, .authInvalid)
        r.body = Array(#"{"code": 16, "message": "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", "details": [{"@type": "type.googleapis.com/google.rpc.DebugInfo", "stackEntries": [], "detail": "service_control"}]}"#.utf8)
        XCTAssertEqual(ResponseAnalyzer.identify(r).findings.first?.cause, .authMissing)
    }

    /// The ALB answers 403 itself only for its web ACL: its Server header with no body (a HEAD, headers only) is enough.
    func testALBsOwn403WithoutItsBody() throws {
        let r = CapturedResponse(status: 403, headers: HeaderList([("server", "awselb/2.0"), ("content-type", "text/html")]))
        let f = try XCTUnwrap(ResponseAnalyzer.identify(r).findings.first)
        XCTAssertEqual(f.rule, "aws-waf-alb")
        XCTAssertEqual(f.layer, .awsWAF)
        XCTAssertEqual(f.confidence, .likely)
    }

    /// A 429 whose body was not kept still names Anthropic's API by the rate limit headers only it sends (here behind Cloudflare).
    func testAnthropicRateLimitHeadersWithoutTheBody() throws {
        let r = CapturedResponse(status: 429, headers: HeaderList([("anthropic-ratelimit-requests-limit", "5"), ("anthropic-ratelimit-requests-remaining", "0"),
                                                                  ("cf-ray", "86a9b96cdac90359-MIA"), ("server", "cloudflare"), ("request-id", "req_01T5fCVnYdf9X5ZW6KayReBK")]))
        let f = try XCTUnwrap(ResponseAnalyzer.identify(r).findings.first)
        XCTAssertEqual(f.rule, "anthropic-api-error")
        XCTAssertEqual(f.cause, .rateLimit)
        XCTAssertEqual(f.layer, .application)
    }

    /// An AWS JSON-protocol error seen only in its headers (a browser's network panel): the type in x-amzn-ErrorType, AWS's
    /// own JSON content type.
    func testAWSServiceErrorFromItsHeadersAlone() throws {
        let r = CapturedResponse(status: 400, headers: HeaderList([("content-type", "application/x-amz-json-1.1"),
                                                                  ("x-amzn-errortype", "NotAuthorizedException:"),
                                                                  ("x-amzn-errormessage", "Logins don't match."),
                                                                  ("x-amzn-requestid", "d4666f1b-0e86-11e9-b307-83bd0d2725bd")]))
        let f = try XCTUnwrap(ResponseAnalyzer.identify(r).findings.first)
        XCTAssertEqual(f.rule, "aws-api-error")
        XCTAssertEqual(f.cause, .authInvalid)
        XCTAssertEqual(f.details?["type"], .string("NotAuthorizedException"))
    }

    func testSupportIdentifiersAreExtracted() throws {
        func id(_ rel: String, _ key: String) throws -> JSONValue? { try analysis(rel).findings.first?.details?[key] }
        XCTAssertEqual(try id("akamai-reference/entities.hit.http", "ref"), .string("18.6f2e1602.1700000000.1a2b3c4d"))
        XCTAssertEqual(try id("akamai-reference/classic.hit.http", "ref"), .string("18.2d351ab8.1700000123.5f6e7d8c"))
        XCTAssertEqual(try id("imperva-incident/iframe.hit.http", "incident"), .string("1234000260123456789-123456789012345678"))
        // the same stub with 503: a refusal by Imperva, with its incident ID, not an outage
        let stub = try report("imperva-incident/missouri-gov-stub-503.hit.http")
        XCTAssertEqual(stub.verdict, Verdict(status: 503, layer: .imperva, cause: .botBlock))
        XCTAssertEqual(try id("imperva-incident/missouri-gov-stub-503.hit.http", "incident"), .string("208000080182440228-533145109488730638"))
        XCTAssertEqual(try id("f5-asm/support-id.hit.http", "support"), .string("1234567890123456789"))
        XCTAssertEqual(try id("apigw-missing-token/missing-token.hit.http", "reqid"), .string("3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b"))
        XCTAssertEqual(try id("cloudfront-geo/geo.hit.http", "cfid"), .string("Xq3mJ0dQ_Ebm3iFWOjm8gEU6QOaKqJ1zN8W9n6hP3oX2tDqD0ZrLfA=="))
        XCTAssertEqual(try id("varnish/synth-403.hit.http", "xid"), .string("98765432"))
        XCTAssertEqual(try id("azure-storage/authorization-failure.hit.http", "reqid"), .string("5e7c1a2b-301e-0042-6f3b-1a2b3c000000"))
        let akamai = try XCTUnwrap(analysis("akamai-reference/entities.hit.http").findings.first)
        XCTAssertTrue(akamai.checks?.first?.contains("errors.edgesuite.net/18.6f2e1602.1700000000.1a2b3c4d") ?? false)
    }

    func testUnmatchedDenialIsUnknownAndSuccessIsNone() {
        let r = CapturedResponse(status: 403, headers: HeaderList([("Server", "Jetty")]), body: Array("nope".utf8))
        let a = ResponseAnalyzer.identify(r)
        XCTAssertEqual(a.layer, .unknown)
        XCTAssertEqual(a.findings.first?.cause, .unknown)
        XCTAssertEqual(a.findings.first?.confidence, .possible)
        let ok = ResponseAnalyzer.identify(CapturedResponse(status: 200, headers: HeaderList([("Server", "cloudflare"), ("cf-ray", "abc-FRA")])))
        XCTAssertEqual(ok.layer, .none)
        XCTAssertTrue(ok.findings.isEmpty)
    }

    /// A page that is a refusal whatever its status (Google Maps' REQUEST_DENIED in a 200, the requester-pays 400)
    /// names its layer in the verdict though the cause stays unknown; a gateway's 500 (its backend failed) does not.
    func testRefusalsInDisguiseNameTheirLayer() throws {
        let maps = try report("google-maps-request-denied/b13-geocoding-13-maps-key-not-authorized-request-denied.hit.http")
        XCTAssertEqual(maps.verdict, Verdict(status: 200, layer: .application, cause: .unknown))
        let pays = try ResponseReport.report(bytes: Array(#"""
            HTTP/1.1 400 Bad Request
            Content-Type: application/json; charset=UTF-8

            {"error": {"code": 400, "message": "Bucket is a requester pays bucket but no user project provided.", "errors": [{"message": "Bucket is a requester pays bucket but no user project provided.", "domain": "global", "reason": "required"}]}}
            """#.utf8), file: "pays")
        XCTAssertEqual(pays.verdict.layer, .gcs)
        let backend = try ResponseReport.report(bytes: Array(#"""
            HTTP/1.1 502 Bad Gateway
            x-amzn-RequestId: 0c3c8bd1-1111-2222-3333-444455556666
            x-amzn-ErrorType: InternalServerErrorException
            Content-Type: application/json

            {"message": "Internal server error"}
            """#.utf8), file: "backend")
        XCTAssertEqual(backend.verdict.cause, .none, "a gateway's 502 is its backend failing, not a refusal")
    }

    /// Envoy's JWT filter on its keys: a token whose kid the JWKS lacks is refused; a JWKS the proxy could not fetch is
    /// the proxy's configuration (jwt_verify_lib's status strings).
    func testEnvoyJWKSSentencesNameTheirCause() throws {
        let kid = try report("envoy-local-reply/jwt-authn-jwks-kid-mismatch.hit.http")
        XCTAssertEqual(kid.verdict, Verdict(status: 401, layer: .envoy, cause: .authInvalid))
        let fetch = try report("envoy-local-reply/jwt-authn-jwks-fetch-failed.hit.http")
        XCTAssertEqual(fetch.verdict, Verdict(status: 401, layer: .envoy, cause: .configError))
    }

    func testNoCertainWithoutProof() throws {
        // The generic headers of a CDN, an unknown server page, the bare default pages: never certain.
        for rel in ["cloudflare/origin-text.hit.http", "cloudfront/plain-through-cloudfront.hit.http", "nginx-default-403/deny-all.hit.http",
                    "apache-default-403/require-denied.hit.http", "akamai/origin-through-akamai.hit.http", "fastly/vcl-403.hit.http"] {
            for f in try analysis(rel).findings { XCTAssertNotEqual(f.confidence, .certain, rel) }
        }
    }

    func testPagesThatOnlyMentionAProductDoNotMatchIt() {
        let wp = CapturedResponse(status: 403, headers: HeaderList([("Content-Type", "text/html")]),
                                  body: Array(#"<html><script src="/wp-content/plugins/wordfence/js/admin.js"></script><h1>Members only</h1></html>"#.utf8))
        XCTAssertFalse(ResponseAnalyzer.identify(wp).matched.contains("wordfence"))
        let ok = CapturedResponse(status: 200, body: Array("The requested URL was rejected. Please consult with your administrator.".utf8))
        XCTAssertEqual(ResponseAnalyzer.identify(ok).layer, .f5, "ASM blocks with status 200")
        let notFound = CapturedResponse(status: 404, headers: HeaderList([("Server", "cloudflare"), ("cf-ray", "0123456789abcdef-FRA")]))
        XCTAssertEqual(ResponseAnalyzer.identify(notFound).layer, .none, "a 404 passed on by a CDN is not a refusal")
    }

    func testChallengeCutBeforeItsClosingQuoteIsStillRead() throws {
        // As a resource server's header is often pasted: the error_description's closing quote lost.
        let r = CapturedResponse(status: 401, headers: HeaderList([("WWW-Authenticate", #"Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt"#)]))
        let a = ResponseAnalyzer.identify(r)
        XCTAssertEqual(a.findings.first?.cause, .authInvalid)
        XCTAssertTrue(a.notes.contains { $0.contains("not closed") })
    }

    func testJSONRateLimitWithoutProductIsTheAPIsOwn() throws {
        let json = CapturedResponse(status: 429, body: Array(#"{"errors":[{"message":"Rate limit exceeded","code":88}]}"#.utf8))
        let f = try XCTUnwrap(ResponseAnalyzer.identify(json).findings.first)
        XCTAssertEqual(f.rule, "status-429")
        XCTAssertEqual(f.layer, .application)
        XCTAssertEqual(f.cause, .rateLimit)
        XCTAssertEqual(f.confidence, .possible)
        // Plain text names no one: a proxy's local reply looks the same.
        let text = CapturedResponse(status: 429, body: Array("Too Many Requests\n".utf8))
        XCTAssertEqual(ResponseAnalyzer.identify(text).findings.first?.layer, .unknown)
    }

    func testMalformedChallengeIsANoteNotACrash() {
        let r = CapturedResponse(status: 401, headers: HeaderList([("WWW-Authenticate", #"Bearer realm="unterminated"#)]))
        let a = ResponseAnalyzer.identify(r)
        XCTAssertTrue(a.notes.contains { $0.contains("WWW-Authenticate header is malformed") })
    }

    func testTemplateFill() {
        XCTAssertEqual(Signature(id: "x", product: "x", layer: .nginx, cause: .unknown, confidence: .possible, when: [], summary: "", specificity: 0).id, "x")
        let analysisNoRay = ResponseAnalyzer.identify(CapturedResponse(status: 403, headers: HeaderList([("Server", "cloudflare")]), body: Array("error code: 1020".utf8)))
        XCTAssertEqual(analysisNoRay.findings.first?.summary, "a firewall rule blocked this request")
    }

    /// No page matched: the Server header names the likely layer (never certain); a HEAD without body is
    /// `likely`, an unknown page only `possible`; a redirect to a login page is the application asking for a session.
    func testServerHeaderAndLoginRedirectFallbacks() {
        let head = ResponseAnalyzer.identify(CapturedResponse(status: 403, headers: HeaderList([("Server", "Apache/2.2.16 (Debian)")])))
        XCTAssertEqual(head.layer, .apache)
        XCTAssertEqual(head.findings.first?.rule, "server-header")
        XCTAssertEqual(head.findings.first?.confidence, .likely)
        let page = ResponseAnalyzer.identify(CapturedResponse(status: 403, headers: HeaderList([("Server", "Microsoft-IIS/10.0")]),
                                                              body: Array("<h1>Zugriff verweigert</h1>".utf8)))
        XCTAssertEqual(page.layer, .iis)
        XCTAssertEqual(page.findings.first?.confidence, .possible)
        XCTAssertEqual(page.findings.first?.cause, .unknown)
        let ls = ResponseAnalyzer.identify(CapturedResponse(status: 403, headers: HeaderList([("Server", "LiteSpeed")])))
        XCTAssertEqual(ls.layer, .unknown)
        XCTAssertEqual(ls.findings.first?.details?["product"], .string("LiteSpeed"))
        let login = ResponseAnalyzer.identify(CapturedResponse(status: 302, headers: HeaderList([("Location", "https://example.com/login?next=/admin")])))
        XCTAssertEqual(login.layer, .application)
        XCTAssertEqual(login.findings.first?.cause, .authMissing)
        XCTAssertEqual(login.findings.first?.confidence, .likely)
        let moved = ResponseAnalyzer.identify(CapturedResponse(status: 301, headers: HeaderList([("Location", "https://example.com/new-home")])))
        XCTAssertTrue(moved.findings.isEmpty)
    }

    /// Refusals served with another status: F5's page with 200, a GitHub GraphQL error inside a 200, an
    /// old Cloudflare JS challenge with 503; a GitHub 200 without an error is not a refusal.
    func testRefusalsWithOtherStatuses() {
        let f5 = ResponseAnalyzer.identify(CapturedResponse(status: 200, body: Array("<html><body>The requested URL was rejected. Please consult with your administrator.<br><br>Your support ID is: 123456789<br></body></html>".utf8)))
        XCTAssertEqual(f5.layer, .f5)
        let gql = ResponseAnalyzer.identify(CapturedResponse(status: 200, headers: HeaderList([("x-github-request-id", "A:B:C")]),
                                                             body: Array(#"{"data":null,"errors":[{"type":"FORBIDDEN","extensions":{"saml_failure":true},"message":"Resource protected by organization SAML enforcement."}]}"#.utf8)))
        XCTAssertEqual(gql.layer, .application)
        XCTAssertEqual(gql.findings.first?.cause, .authScope)
        let fine = ResponseAnalyzer.identify(CapturedResponse(status: 200, headers: HeaderList([("x-github-request-id", "A:B:C")]), body: Array(#"{"login":"octocat"}"#.utf8)))
        XCTAssertTrue(fine.findings.isEmpty)
        let js = ResponseAnalyzer.identify(CapturedResponse(status: 503, headers: HeaderList([("Server", "cloudflare")]),
                                                            body: Array(#"<title>Just a moment...</title><form id="challenge-form"><input type="hidden" name="jschl_vc" value="x"/></form>"#.utf8)))
        XCTAssertEqual(js.layer, .cloudflare)
        XCTAssertEqual(js.findings.first?.cause, .botBlock)
    }

    /// API platforms answering for themselves are the application layer, with the cause their message states.
    func testAPIPlatformsNameTheCause() throws {
        func k8s(_ user: String) -> ResponseAnalysis {
            ResponseAnalyzer.identify(CapturedResponse(status: 403, body: Array(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods is forbidden: User "\#(user)" cannot list resource "pods" in API group "" in the namespace "default"","reason":"Forbidden","code":403}"#.utf8)))
        }
        XCTAssertEqual(k8s("system:anonymous").findings.first?.cause, .authMissing)
        XCTAssertEqual(k8s("system:serviceaccount:ns:default").findings.first?.cause, .authRole)
        XCTAssertEqual(k8s("jane").layer, .application)
        let rate = ResponseAnalyzer.identify(CapturedResponse(status: 403, headers: HeaderList([("X-RateLimit-Remaining", "0"), ("X-GitHub-Request-Id", "A:B")]),
                                                              body: Array(#"{"message":"API rate limit exceeded for 1.2.3.4."}"#.utf8)))
        XCTAssertEqual(rate.findings.first?.cause, .rateLimit)
        XCTAssertEqual(rate.findings.first?.confidence, .certain)
        let role = ResponseAnalyzer.identify(CapturedResponse(status: 403, headers: HeaderList([("X-RateLimit-Remaining", "4980"), ("X-GitHub-Request-Id", "A:B")]),
                                                              body: Array(#"{"message":"Must have admin rights to Repository."}"#.utf8)))
        XCTAssertEqual(role.findings.first?.cause, .authRole)
        let kongRBAC = try analysis("kong-gateway/kong-docs-enterprise-rbac-no-create-permission-403.hit.http")
        XCTAssertEqual(kongRBAC.findings.first?.cause, .authRole, "Kong Enterprise's RBAC names the missing permission")
        let leaked = try analysis("google-api-error/continue-10513-gemini-api-key-reported-leaked.hit.http")
        XCTAssertEqual(leaked.findings.first?.cause, .authInvalid, "Google refuses a key reported as leaked")
        let tykIP = try analysis("tyk-gateway/ip-access-disallowed.hit.http")
        XCTAssertEqual(tykIP.findings.first?.cause, .accessIP, "Tyk's IP lists")
        let tykRights = try analysis("tyk-gateway/api-access-disallowed.hit.http")
        XCTAssertEqual(tykRights.findings.first?.cause, .unknown, "Tyk says this of an unknown key and of missing access rights alike")
        XCTAssertEqual(tykRights.layer, .apiGateway)
    }
}

/// A bare challenge (no `error=`) beside the application's own sentence: which says the cause.
final class BareChallengeTests: XCTestCase {
    func identify(_ text: String) throws -> ResponseAnalysis {
        let capture = try ResponseReader.read(Array(text.utf8), file: "t.txt")
        return ResponseAnalyzer.identify(capture.responses.last!)
    }

    /// FastAPI's "Invalid authentication credentials" with `WWW-Authenticate: Bearer`, the request not captured: the body's
    /// reading stands (FastAPI sends the same bare challenge after a wrong scheme), with the challenge as evidence.
    func testAnUncapturedRequestLeavesTheApplicationsCause() throws {
        let a = try identify("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\ncontent-type: application/json\r\n\r\n{\"detail\":\"Invalid authentication credentials\"}")
        let f = try XCTUnwrap(a.findings.first)
        XCTAssertEqual(f.rule, "fastapi-security")
        XCTAssertEqual(f.cause, .authInvalid)
        XCTAssertTrue(f.evidence.contains { $0.source == "header www-authenticate" })
    }

    /// The same answer to a captured request that carried no credentials: "none were sent" is then a fact and wins.
    func testACapturedRequestWithoutCredentialsIsAuthMissing() throws {
        let a = try identify("> GET /items HTTP/1.1\n> Host: api.example\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer\n< content-type: application/json\n<\n{\"detail\":\"Invalid authentication credentials\"}")
        let f = try XCTUnwrap(a.findings.first)
        XCTAssertEqual(f.rule, "auth-challenge-missing")
        XCTAssertEqual(f.cause, .authMissing)
        XCTAssertEqual(f.confidence, .certain)
    }

    /// A named application whose page says no cause (Rails' "HTTP Basic: Access denied.") keeps its rule and summary; the
    /// challenge fills the cause.
    func testANamedApplicationKeepsItsRuleAndTakesTheChallengesCause() throws {
        let a = try identify("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"Application\"\r\n\r\nHTTP Basic: Access denied.\n")
        let f = try XCTUnwrap(a.findings.first)
        XCTAssertEqual(f.rule, "rails-http-authentication")
        XCTAssertEqual(f.cause, .authMissing)
        XCTAssertEqual(f.confidence, .likely)
        XCTAssertTrue(f.summary.hasPrefix("the Rails application's HTTP Basic authentication"), f.summary)
    }
}
