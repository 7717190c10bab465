import Why403Core

/// AWS service APIs that speak the JSON protocol (Cognito, DynamoDB, Lambda, STS's JSON clients …) answering for
/// themselves: `{"__type": "NotAuthorizedException", "message": "Incorrect username or password."}` (the type may carry
/// a namespace, `com.amazonaws.dynamodb.v20120810#AccessDeniedException`), usually with status 400, as SDKs print it
/// in their exceptions. An API platform answering for itself is the `application` layer; the type names the cause.
/// API Gateway's own refusals (`x-amzn-ErrorType`, "Missing Authentication Token") are APIGateway.swift's.
enum AWSAPIs {
    static let types = ["NotAuthorizedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
                        "AccessDeniedException", "ThrottlingException", "TooManyRequestsException", "UserNotConfirmedException"]

    static let signatures: [Signature] = [
        Signature(id: "aws-api-error", product: "AWS service API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.body("\"__type\""), .any(types.map { .body("\($0)\"") })],
                  summary: "an AWS service API refused the call[ ({type})][: {msg}]",
                  extract: [Extract("type", "error type", from: [.json("__type"), .body(after: "\"__type\":\"", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("message"), .json("Message"), .body(after: "\"message\":\"", chars: .line)]),
                            Extract("reqid", "request id", from: [.header("x-amzn-requestid")])],
                  lookup: "CloudTrail finds the call[ by request id {reqid}]",
                  checks: ["the error type names the refusal; for AccessDeniedException the message names the action and the policy type that did not allow it (`why403 s3`-style evaluation applies to IAM policies too)"],
                  variants: [
                      Variant("type", ["*NotAuthorizedException*", "*UnrecognizedClientException*", "*InvalidSignatureException*", "*ExpiredTokenException*"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "an AWS service API did not accept the credentials ({type}[: {msg}])",
                              checks: ["NotAuthorizedException (Cognito): the user name and password, or the refresh token, are wrong or revoked; the app client's secret hash must be sent when the client has a secret",
                                       "UnrecognizedClientException / InvalidSignatureException / ExpiredTokenException: the access key is unknown in this partition, the request was signed with the wrong secret or region, or the session credentials expired"]),
                      Variant("type", ["*ThrottlingException*", "*TooManyRequestsException*"], cause: .rateLimit, confidence: .certain,
                              summary: "an AWS service API throttled the call ({type})"),
                      Variant("type", ["*AccessDeniedException*"], cause: .policyImplicitDeny, confidence: .likely,
                              summary: "an AWS service API refused the caller the action ({type}[: {msg}])"),
                  ],
                  specificity: 50),
    ]
}
