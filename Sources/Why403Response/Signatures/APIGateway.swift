import Why403Core

/// Amazon API Gateway: `x-amzn-RequestId`, `x-amz-apigw-id`, `x-amzn-ErrorType`, and JSON bodies
/// `{"message": "..."}` (REST APIs) such as "Missing Authentication Token". HTTP APIs mark their answers with
/// `apigw-requestid` instead (a JWT authorizer's 401 `{"message":"Unauthorized"}` with its Bearer challenge).
enum APIGateway {
    static let gateway: Condition = .any([.header("x-amz-apigw-id"), .header("x-amzn-errortype"), .header("x-amzn-requestid"),
                                          .header("apigw-requestid")])
    static let ids: [Extract] = [
        Extract("reqid", "request id", from: [.header("x-amzn-requestid"), .header("apigw-requestid")]),
        Extract("apigwid", "API Gateway extended id", from: [.header("x-amz-apigw-id")]),
        Extract("errortype", "error type", from: [.headerPrefix("x-amzn-errortype", separator: ":")]),
        Extract("msg", "message", from: [.json("message"), .json("Message")]),
    ]
    static let lookup = "search the stage's CloudWatch execution and access logs[ for requestId {reqid}]"

    static let signatures: [Signature] = [
        Signature(id: "apigw-missing-token", product: "API Gateway", layer: .apiGateway, cause: .authMissing, confidence: .likely,
                  // The code without spaces is the same error in Amazon's other envelopes: the Selling Partner API's
                  // `"code": "MissingAuthenticationToken"`, STS's `<Code>MissingAuthenticationToken</Code>`.
                  statuses: [403], when: [.any([.headerContains("x-amzn-errortype", "MissingAuthenticationToken"), .body("Missing Authentication Token"),
                                                .body("MissingAuthenticationToken")])],
                  summary: "\"Missing Authentication Token\": the method needs IAM (SigV4) signing and the request was not signed, or no deployed resource and method match this path[ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["the URL has the stage name (https://ID.execute-api.REGION.amazonaws.com/STAGE/path) and the path exists: aws apigateway get-resources --rest-api-id ID",
                           "the method exists for this verb and the API was deployed to the stage after it was added",
                           "if the method uses AWS_IAM authorisation, the request must be SigV4-signed"],
                  specificity: 80),
        Signature(id: "apigw-access-denied", product: "API Gateway", layer: .apiGateway, cause: .policyImplicitDeny, confidence: .likely,
                  statuses: [403], when: [.any([.body("not authorized to perform: execute-api:Invoke"), .body("User is not authorized to access this resource")])],
                  summary: "the caller is not authorised to invoke this method[ (request id {reqid})]",
                  // the sentence's end, read from the text too (a pasted body cut before its closing brace does not parse)
                  extract: ids + [Extract("decision", "decision", from: [.body(after: "execute-api:Invoke on resource:", chars: .line)])], lookup: lookup,
                  checks: ["aws apigateway get-rest-api --rest-api-id ID: the resource policy", "the caller's IAM policies for execute-api:Invoke on this method's ARN"],
                  variants: [
                      Variant("decision", ["*with an explicit deny*"], cause: .policyExplicitDeny, confidence: .certain,
                              summary: "an explicit Deny in a policy refuses execute-api:Invoke[ (request id {reqid})]",
                              checks: ["find the Deny statement: the API's resource policy first (source IP / VPC conditions), then the caller's IAM policies and SCPs"]),
                      Variant("msg", ["*User is not authorized to access this resource*"], cause: .authRole, confidence: .likely,
                              summary: "the Lambda authorizer returned a Deny policy for this caller[ (request id {reqid})]",
                              checks: ["read the authorizer's CloudWatch logs for this request: which claim or role made it deny",
                                       "a cached authorizer policy (TTL) may be for another method: its Resource must cover this method ARN"]),
                      Variant("msg", ["*is not authorized to perform: execute-api:Invoke*"], cause: .policyImplicitDeny, confidence: .likely,
                              summary: "no policy allows this caller execute-api:Invoke on the method[ (request id {reqid})]"),
                  ],
                  specificity: 85),
        Signature(id: "apigw-auth-invalid", product: "API Gateway", layer: .apiGateway, cause: .authInvalid, confidence: .likely,
                  statuses: [401, 403],
                  // The envelope: API Gateway's headers, its JSON, the Selling Partner API's `errors` list, or the
                  // object as a JavaScript client prints it (`{message: "…"}`, `message: '…'`, not JSON).
                  when: [.any([gateway, .jsonKey(["message", "Message", "errors"]), .body("message: ")]), .not(.body("<Error>")),
                         .any([.body("The security token included in the request is invalid"), .body("The incoming token has expired"),
                               .body("Signature expired"), .body("Invalid key=value pair"), .body("not a valid key=value pair"),
                               .body("Authorization header requires"),
                               .body("The request signature we calculated does not match"), .headerContains("x-amzn-errortype", "UnrecognizedClientException"),
                               .headerContains("x-amzn-errortype", "InvalidSignatureException"), .headerContains("x-amzn-errortype", "ExpiredTokenException")])],
                  summary: "the request's AWS credentials or token were rejected[: {msg}][ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["an IAM-authorised method needs a SigV4 signature from valid (unexpired) credentials for this region and service execute-api",
                           "a Cognito/JWT authorizer needs an unexpired token: `why403 token TOKEN`"],
                  specificity: 82),
        // Cause `unknown`: API Gateway writes the same body for a request without the identity source (its UNAUTHORIZED
        // gateway response) and for a token its JWT or Cognito authorizer refused.
        Signature(id: "apigw-unauthorized", product: "API Gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  // The body alone is API Gateway's only when nothing else was captured: a whole response (it has a
                  // Date) without API Gateway's headers is another product's `{"message":"Unauthorized"}` (Grafana's).
                  // The same body pretty-printed (Postman, a client's log) counts likewise.
                  // (Not a Kubernetes Status or another envelope that carries the same member among others.)
                  statuses: [401], when: [.any([gateway, .not(.any([.not(.any([.body("{\"message\":\"Unauthorized\"}"),
                                                                                .all([.body("\"message\": \"Unauthorized\""),
                                                                                      .not(.any([.body("\"kind\""), .body("\"code\""), .body("\"status\""),
                                                                                                 .body("\"error\"")]))])])),
                                                                    .header("date")]))]), .body("\"Unauthorized\"")],
                  summary: "the authorizer (Cognito or Lambda) refused the credentials, or none were sent[ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["the token goes in the header the authorizer's identity source names (usually Authorization)",
                           "decode the token: `why403 token TOKEN` (exp, aud/client_id, iss of the user pool)"],
                  specificity: 75),
        // Amazon's Selling Partner API runs behind API Gateway and answers a refused call with its own envelope.
        Signature(id: "sp-api-access-denied", product: "Amazon Selling Partner API", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [.body("Access to requested resource is denied"), .body("\"Unauthorized\""), .body("\"errors\"")],
                  summary: "Amazon's Selling Partner API refused the call (Unauthorized: access to requested resource is denied)[ (request id {reqid})]",
                  extract: ids + [Extract("details", "details", from: [.json("details"), .body(after: "\"details\"", chars: .line)])], lookup: "Selling Partner API developer support identifies the call[ by x-amzn-RequestId {reqid}]",
                  checks: ["the application has the SP-API role this operation needs (Developer Central > app > roles), and the seller re-authorised it after a role was added",
                           "the refresh token belongs to this application and the region's endpoint matches the seller's marketplace",
                           "with IAM signing (older apps): the IAM ARN registered on the application is the user or role that signs the request",
                           "operations returning PII need a Restricted Data Token instead of the LWA access token"],
                  variants: [
                      // The envelope's `details` says why when it can: "Access token is missing in the request header."
                      Variant("details", ["*access token is missing*"], cause: .authMissing, confidence: .certain,
                              summary: "Amazon's Selling Partner API got no LWA access token (x-amz-access-token): {details}",
                              checks: ["send the LWA access token in the x-amz-access-token header (exact name), obtained from api.amazon.com/auth/o2/token with the refresh token"]),
                  ],
                  specificity: 72),
        Signature(id: "apigw-forbidden", product: "API Gateway", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  // Without headers, API Gateway's exact body (a pasted curl output); AGC's WAF sends the same text as text/plain.
                  statuses: [403], when: [.any([gateway, .body("{\"message\":\"Forbidden\"}"),
                                                // the same body as a client pretty-prints it (a space after the colon),
                                                // or as a JavaScript client prints the object (`data: { message: 'Forbidden' }`)
                                                .body("\"message\": \"Forbidden\""), .body("message: 'Forbidden'")]),
                                          .any([.body("\"Forbidden\""), .body("'Forbidden'")]),
                                          .not(.headerContains("content-type", "text/plain")),
                                          // Google's envelope (`{"error": {"errors": [{"domain": "global", "reason": "forbidden", …`),
                                          // Reddit's `{"message": "Forbidden", "error": 403}`: API Gateway's body has one member
                                          .not(.body("\"domain\"")), .not(.body("\"error\"")),
                                          // Bitbucket Cloud's `{"type": "error", "error": {"message": "Forbidden"}}`
                                          .not(Signatures.typeErrorEnvelope)],
                  summary: "API Gateway answered \"Forbidden\" without a reason[ (request id {reqid})]", extract: ids, lookup: lookup,
                  checks: ["the method requires an API key: send x-api-key with a key in a usage plan for this stage",
                           "a private API is reached only through its VPC endpoint (and the resource policy's aws:SourceVpce)",
                           "a WAF web ACL on the stage",
                           "the resource policy (source IP, VPC conditions)"],
                  specificity: 70),
        // AWS service endpoints (the JSON-protocol front end, without API Gateway's own headers) render an
        // error as an XML element named after the exception, `<AccessDeniedException/>` or
        // `<AccessDeniedException><Message>…</Message></AccessDeniedException>`, with only x-amzn-RequestId.
        Signature(id: "aws-frontend-exception", product: "AWS service API front end", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403], when: [.header("x-amzn-requestid"), .any([.body("Exception/>"), .body("Exception>")]), .not(.body("<Error>"))],
                  summary: "an AWS service endpoint refused the request[ ({exception})][: {xmlmsg}][ (request id {reqid})]",
                  extract: ids + [Extract("exception", "exception", from: [.body(after: "<", chars: .alphanumeric)]),
                                  Extract("xmlmsg", "message", from: [.xml("Message")])],
                  lookup: "AWS support identifies the request by x-amzn-RequestId[ {reqid}]",
                  checks: ["the request must be SigV4-signed with credentials allowed to call this action (aws sts get-caller-identity shows whose they are)",
                           "\"Unable to determine service/operation name to be authorized\": the method and path name no action of this service (an OPTIONS preflight, a wrong path)"],
                  specificity: 60),
        // A usage plan's or the account's throttle: 429 with x-amzn-ErrorType LimitExceededException ("Limit Exceeded", the
        // usage plan's quota or rate) or TooManyRequestsException ("Too Many Requests"); an edge-optimized API answers through
        // CloudFront, whose headers ride along.
        Signature(id: "apigw-throttled", product: "API Gateway", layer: .apiGateway, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.headerContains("x-amzn-errortype", "LimitExceededException"), .headerContains("x-amzn-errortype", "TooManyRequestsException"),
                               .all([gateway, .any([.body("\"Limit Exceeded\""), .body("\"Too Many Requests\"")])])])],
                  summary: "API Gateway throttled the request[ ({errortype})]: a usage plan's quota or rate, the stage's or method's throttle, or the account's limit[ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["\"Limit Exceeded\" (LimitExceededException): the API key's usage plan quota or rate (aws apigateway get-usage-plan-key / get-usage)",
                           "\"Too Many Requests\" (TooManyRequestsException): the stage or method throttle, or the account-level limit in the region",
                           "back off and retry with jitter; raise the plan's limits or request a quota increase"],
                  specificity: 76),
        // A Lambda (custom) authorizer that failed rather than decided: it threw, timed out, returned a malformed
        // policy, or could not be invoked. API Gateway answers 500 with x-amzn-ErrorType AuthorizerConfigurationException or
        // AuthorizerFailure (when headers are shown) and the default gateway response's body `{"message": null}` — the
        // one member, its value null: that body alone is a possible reading only. Nothing decided against the caller: the
        // API's own configuration failed (config.error).
        Signature(id: "apigw-authorizer-error", product: "API Gateway", layer: .apiGateway, cause: .configError, confidence: .certain,
                  statuses: [500, 502, 503],
                  when: [.any([.headerContains("x-amzn-errortype", "AuthorizerConfigurationException"), .headerContains("x-amzn-errortype", "AuthorizerFailure")])],
                  summary: "API Gateway's Lambda authorizer failed instead of deciding ({errortype}): the request was refused before the integration[ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["the authorizer function's CloudWatch logs at the time: an exception, a timeout, or a returned policy that is not valid JSON with principalId and policyDocument",
                           "API Gateway's permission to invoke the function (lambda add-permission for apigateway.amazonaws.com with the authorizer's ARN)",
                           "the stage's execution log (INFO) shows \"Execution failed due to configuration error: Authorizer error\""],
                  specificity: 83),
        Signature(id: "apigw-null-message", product: "API Gateway", layer: .apiGateway, cause: .configError, confidence: .possible,
                  statuses: [500, 502, 503],
                  when: [.jsonKey(["message"]), .any([.body("\"message\": null"), .body("\"message\":null"), .body("\"message\" : null")]), .not(.body(","))],
                  summary: "a body of one member, `\"message\": null`: API Gateway's default gateway response when a Lambda authorizer fails (or an integration's error rendered through a template)",
                  extract: ids, lookup: lookup,
                  checks: ["if the API has a Lambda authorizer: its CloudWatch logs at the time (an exception, a timeout, a malformed policy) and API Gateway's permission to invoke it",
                           "the stage's execution log shows which step failed"],
                  specificity: 40),
        Signature(id: "apigw", product: "API Gateway", layer: .apiGateway, cause: .unknown, confidence: .possible,
                  statuses: [401, 403], when: [.any([.header("x-amz-apigw-id"), .header("x-amzn-errortype")])],
                  summary: "the response came from API Gateway or the integration behind it[: {msg}][ (request id {reqid})]", extract: ids, lookup: lookup,
                  checks: ["if the integration (Lambda, HTTP backend) answered 403 itself, its logs show the request",
                           "x-amzn-ErrorType names API Gateway's own errors (AccessDeniedException: a resource policy or authorizer denied)"],
                  specificity: 35),
        // A Lambda function URL refusing the call (AuthType AWS_IAM without a signature or a permission, or a resource
        // policy that does not allow it): the front end's `{"Message": "Forbidden. For troubleshooting Function URL
        // authorization issues, see: …/urls-auth.html"}`.
        Signature(id: "lambda-function-url-forbidden", product: "AWS Lambda function URL", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.body("Function URL authorization")],
                  summary: "a Lambda function URL's front end refused the call before the function ran",
                  extract: [Extract("reqid", "request id", from: [.header("x-amzn-requestid")])],
                  checks: ["AuthType AWS_IAM: the request must be SigV4-signed (service lambda) by a principal the function's resource policy or its own IAM policy allows lambda:InvokeFunctionUrl (and, since 2025, lambda:InvokeFunction)",
                           "AuthType NONE still needs a resource-based policy statement allowing lambda:InvokeFunctionUrl to Principal \"*\" (aws lambda get-policy --function-name NAME)"],
                  specificity: 70),
    ]
}
