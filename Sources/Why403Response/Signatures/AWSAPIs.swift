import Why403Core

/// AWS service APIs that speak the JSON protocol (Cognito, DynamoDB, Lambda, STS's JSON clients …) answering for
/// themselves: `{"__type": "NotAuthorizedException", "message": "Incorrect username or password."}` (the type may carry
/// a namespace, `com.amazonaws.dynamodb.v20120810#AccessDeniedException`), usually with status 400, as SDKs print it
/// in their exceptions. An API platform answering for itself is the `application` layer; the type names the cause.
/// API Gateway's own refusals (`x-amzn-ErrorType`, "Missing Authentication Token") are APIGateway.swift's.
///
/// Two answers in the same envelope come from in front of the service, and are the `api-gateway` layer (as
/// `aws-frontend-exception`): the request-signing check's (`UnrecognizedClientException` "The security token included
/// in the request is invalid", `InvalidSignatureException`, `IncompleteSignatureException`, `#SignatureDoesNotMatch`
/// "Credential should be scoped to a valid region"), which refuses before any service reads the call, and AWS
/// AppSync's GraphQL endpoint's `{"errors": [{"errorType": "UnauthorizedException", "message": …}]}`.
enum AWSAPIs {
    static let types = ["NotAuthorizedException", "ExpiredTokenException",
                        "AccessDeniedException", "ThrottlingException", "TooManyRequestsException", "UserNotConfirmedException"]

    /// The request-signing check's error types (SigV4 credentials and signature).
    static let signingTypes = ["UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
                               "SignatureDoesNotMatch", "MissingAuthenticationTokenException", "InvalidClientTokenId"]

    /// The query protocol's XML error (STS, IAM, SNS, Auto Scaling …: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/…">
    /// <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`)
    /// and EC2's (`<Response><Errors><Error><Code>UnauthorizedOperation</Code>…</Errors><RequestID>…</RequestID></Response>`), as
    /// Smithy's awsQuery and ec2Query protocols define them. S3 Control also answers in an `<ErrorResponse>`, without `<Type>` or
    /// the namespace: that one stays S3's.
    static let queryXML: Condition = .any([.all([.body("<ErrorResponse"), .any([.body("<Type>Sender</Type>"), .body("<Type>Receiver</Type>"),
                                                                              .body(".amazonaws.com/doc/")])]),
                                           .all([.body("<Response>"), .body("<Errors>"), .body("<RequestID>")])])
    /// The codes of refusals in those envelopes (the signing check's are `signingTypes` and EC2's `AuthFailure`).
    static let queryCodes = ["AccessDenied", "UnauthorizedOperation", "Throttling", "RequestLimitExceeded", "ExpiredToken", "OptInRequired"]

    /// IAM's access-denied sentence names the policy type that decided (docs: "Troubleshoot access denied error messages"):
    /// "… with an explicit deny in a service control policy", "… because no identity-based policy allows the … action".
    static let policyVariants: [Variant] = [
        Variant("msg", ["*with an explicit deny*"], cause: .policyExplicitDeny, confidence: .certain,
                summary: "AWS refused the action with an explicit Deny ({msg})",
                checks: ["the policy type the message names holds a Deny statement matching this action and resource: an identity policy, a service control or resource control policy (AWS Organizations), a permissions boundary, a session policy, a VPC endpoint policy or the resource's own policy",
                         "`aws iam simulate-principal-policy --policy-source-arn ARN --action-names ACTION` evaluates identity policies and boundaries (not SCPs)"]),
        Variant("msg", ["*because no * allows*", "*because no *policy allows*"], cause: .policyImplicitDeny, confidence: .certain,
                summary: "AWS refused the action because no policy of the kind named allows it ({msg})",
                checks: ["add an Allow for this action and resource to the policy type the message names (identity-based, resource-based, permissions boundary, session policy, or the SCPs above the account)",
                         "`aws iam simulate-principal-policy --policy-source-arn ARN --action-names ACTION` shows which statement would match"]),
    ]

    static let signatures: [Signature] = [
        Signature(id: "aws-signing-error", product: "AWS request signing (service front end)", layer: .apiGateway, cause: .authInvalid, confidence: .certain,
                  statuses: [400, 401, 403],
                  when: [.any([.all([.body("\"__type\""), .any(signingTypes.map { .body("\($0)\"") })]),
                               .all([queryXML, .any((signingTypes + ["AuthFailure"]).map { .body("<Code>\($0)</Code>") })])])],
                  summary: "AWS's front end refused the request's credentials or signature before the service read it ({type}[: {msg}])",
                  extract: [Extract("type", "error type", from: [.json("__type"), .body(after: "\"__type\":\"", chars: .identifier), .xml("Code")]),
                            Extract("msg", "message", from: [.json("message"), .json("Message"), .body(after: "\"message\":\"", chars: .line), .xml("Message")]),
                            Extract("reqid", "request id", from: [.header("x-amzn-requestid"), .xml("RequestId"), .xml("RequestID")])],
                  lookup: "CloudTrail does not record calls refused here; AWS support identifies the request[ by request id {reqid}]",
                  checks: ["UnrecognizedClientException / InvalidClientTokenId: the access key is unknown in this partition, deleted, or a session key sent without its session token",
                           "InvalidSignatureException / SignatureDoesNotMatch: the secret key does not match the access key, or the request changed after signing (host, path encoding, headers signed)",
                           "\"Credential should be scoped to a valid region\": the credential scope names a service (execute-api) or region this endpoint is not: sign with the endpoint's region and service",
                           "`aws sts get-caller-identity` with the same credentials shows whether they are valid at all"],
                  fixes: [Fix(summary: "sign with valid credentials for this endpoint's region and service (an SDK's default signer does), with the session token for temporary credentials")],
                  variants: [
                      Variant("type", ["*MissingAuthenticationToken*"], cause: .authMissing, confidence: .certain,
                              summary: "AWS's front end found no credentials or signature in the request ({type})",
                              checks: ["the call must be SigV4-signed (an SDK or `aws` CLI with credentials configured); an unsigned call to a service endpoint gets this answer"]),
                  ],
                  specificity: 55),
        Signature(id: "appsync-unauthorized", product: "AWS AppSync", layer: .apiGateway, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.body("\"errorType\""), .body("UnauthorizedException")],
                  summary: "AWS AppSync refused the GraphQL request (UnauthorizedException[: {msg}])",
                  extract: [Extract("msg", "message", from: [.jsonListItem(list: "errors", key: "message")]),
                            Extract("reqid", "request id", from: [.header("x-amzn-requestid")])],
                  lookup: "the API's CloudWatch logs (field-level logging) find the request[ by request id {reqid}]",
                  checks: ["the API's authorization modes (API key, Cognito user pool, OIDC, IAM, Lambda) and the one the request used: the header must match a mode the API or the field allows",
                           "a type or field's @aws_* directives limit which modes may read it"],
                  variants: [
                      Variant("msg", ["*not provided*", "Missing authorization*"], cause: .authMissing, confidence: .certain,
                              summary: "AWS AppSync found no credentials for its authorization mode ({msg})"),
                      Variant("msg", ["Unable to parse JWT*", "*token has expired*", "*Token has expired*", "*invalid*"], cause: .authInvalid, confidence: .certain,
                              summary: "AWS AppSync rejected the token sent ({msg})"),
                      Variant("msg", ["Not Authorized to access *"], cause: .authRole, confidence: .certain,
                              summary: "AWS AppSync: the caller's authorization mode or groups do not allow this field ({msg})"),
                  ],
                  specificity: 60),
        Signature(id: "aws-api-error", product: "AWS service API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.any([.all([.body("\"__type\""), .any(types.map { .body("\($0)\"") })]),
                               .all([queryXML, .any(queryCodes.map { .body("<Code>\($0)</Code>") })]),
                               // a REST-JSON service's bare `{"Message":"User: … is not authorized to perform: es:ESHttpGet …"}` (Amazon
                               // OpenSearch Service's domain access policy, Lambda's Invoke); API Gateway's execute-api is APIGateway.swift's
                               .all([.body("\"Message\":\"User: "), .body(" is not authorized to perform: "), .not(.body("execute-api:"))]),
                               // botocore's ClientError text (the AWS CLI, boto3): "An error occurred (AccessDenied) when calling the
                               // PutLifecycleHook operation: User: … is not authorized to perform: …" (S3's actions are S3.swift's)
                               .all([.body("An error occurred ("), .body(") when calling the "), .body(" is not authorized to perform: "),
                                     .not(.body("perform: s3:")), .not(.body("execute-api:"))]),
                               // the JSON protocol's headers without the body (a browser's network panel, a HEAD): the type in
                               // x-amzn-ErrorType and AWS's own JSON content type (API Gateway's answers are application/json)
                               .all([.headerContains("content-type", "application/x-amz-json"),
                                     .any(types.map { .headerContains("x-amzn-errortype", $0) })])])],
                  summary: "an AWS service API refused the call[ ({type})][: {msg}]",
                  extract: [Extract("type", "error type", from: [.json("__type"), .body(after: "\"__type\":\"", chars: .identifier), .headerPrefix("x-amzn-errortype", separator: ":"),
                                                                 .xml("Code"), .body(after: "An error occurred (", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("message"), .json("Message"), .body(after: "\"message\":\"", chars: .line), .header("x-amzn-errormessage"),
                                                             .xml("Message"), .body(after: " operation: ", chars: .line)]),
                            Extract("reqid", "request id", from: [.header("x-amzn-requestid"), .xml("RequestId"), .xml("RequestID")])],
                  lookup: "CloudTrail finds the call[ by request id {reqid}]",
                  checks: ["the error type names the refusal; for AccessDeniedException the message names the action and the policy type that did not allow it (`why403 s3`-style evaluation applies to IAM policies too)"],
                  variants: [
                      // an unsigned request: IAM evaluates it as the anonymous principal
                      Variant("msg", ["User: anonymous is not authorized*"], cause: .authMissing, confidence: .likely,
                              summary: "an AWS service refused an unsigned request (User: anonymous): {msg}",
                              checks: ["sign the request with SigV4 (an SDK, `aws` CLI, or a signing proxy) with credentials the resource's policy allows; a domain or function open to anonymous callers needs a resource policy that allows \"*\""]),
                  ] + policyVariants + [
                      Variant("type", ["*NotAuthorizedException*", "*ExpiredTokenException*", "ExpiredToken"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "an AWS service API did not accept the credentials ({type}[: {msg}])",
                              checks: ["NotAuthorizedException (Cognito): the user name and password, or the refresh token, are wrong or revoked; the app client's secret hash must be sent when the client has a secret",
                                       "ExpiredTokenException: the session credentials expired (refresh them)"]),
                      Variant("type", ["*ThrottlingException*", "*TooManyRequestsException*", "Throttling", "RequestLimitExceeded"], cause: .rateLimit, confidence: .certain,
                              summary: "an AWS service API throttled the call ({type})"),
                      Variant("type", ["*AccessDeniedException*", "AccessDenied", "UnauthorizedOperation"], cause: .policyImplicitDeny, confidence: .likely,
                              summary: "an AWS service API refused the caller the action ({type}[: {msg}])"),
                  ],
                  specificity: 50),
    ]
}
