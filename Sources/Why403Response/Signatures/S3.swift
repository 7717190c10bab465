import Why403Core

/// Amazon S3: `x-amz-request-id`, `x-amz-id-2`, `server: AmazonS3`, and the XML `<Error>` body
/// (Code, Message, RequestId, HostId).
enum S3 {
    static let s3: Condition = .any([.header("x-amz-request-id"), .header("x-amz-id-2"), .headerContains("server", "AmazonS3"), .body("<HostId>")])
    static let ids: [Extract] = [
        Extract("code", "error code", from: [.xml("Code")]),
        Extract("msg", "message", from: [.xml("Message")]),
        Extract("reqid", "request id", from: [.header("x-amz-request-id"), .xml("RequestId")]),
        Extract("hostid", "host id", from: [.header("x-amz-id-2"), .xml("HostId")]),
    ]
    static let lookup = "AWS Support and CloudTrail data events / S3 server access logs identify the request by request id {reqid}[ and host id {hostid}]"

    static let signatures: [Signature] = [
        Signature(id: "s3-access-denied", product: "Amazon S3", layer: .s3, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [s3, .body("<Code>AccessDenied</Code>")],
                  summary: "S3 says AccessDenied, which does not tell which check refused[ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: [
                      "the bucket policy: an explicit Deny, or no Allow of s3:GetObject on arn:aws:s3:::BUCKET/KEY for this principal (aws s3api get-bucket-policy --bucket BUCKET)",
                      "a missing key: without s3:ListBucket on the bucket, S3 answers 403 instead of 404 (aws s3api head-object --bucket BUCKET --key KEY with an admin role)",
                      "Block Public Access on the bucket and the account overrides public grants for anonymous callers (aws s3api get-public-access-block --bucket BUCKET)",
                      "SSE-KMS objects also need kms:Decrypt in the KMS key policy for this principal",
                      "through CloudFront: the bucket policy must allow cloudfront.amazonaws.com with aws:SourceArn = the distribution ARN (OAC)",
                  ],
                  fixes: [Fix(summary: "evaluate the policies for this request offline",
                              commands: ["why403 s3 --action s3:GetObject --resource arn:aws:s3:::BUCKET/KEY --principal ARN --bucket-policy policy.json"])],
                  variants: [
                      Variant("msg", ["*explicit deny*"], cause: .policyExplicitDeny, confidence: .certain,
                              summary: "an explicit Deny statement refuses the request (S3's message says so)[ (request id {reqid})]",
                              checks: ["the message names the policy type (resource-based, identity-based, SCP, VPC endpoint): find the Deny there"]),
                      Variant("msg", ["*because no resource-based policy allows*", "*because no identity-based policy allows*"], cause: .policyImplicitDeny, confidence: .certain,
                              summary: "no policy statement allows this action (implicit deny, as S3's message says)[ (request id {reqid})]"),
                      Variant("msg", ["Request has expired*"], cause: .authInvalid, confidence: .certain,
                              summary: "the presigned URL has expired[ (request id {reqid})]",
                              checks: ["X-Amz-Date + X-Amz-Expires is past, or the credentials that signed it (a role session) expired first"],
                              fixes: [Fix(summary: "presign the URL again (with credentials that outlive the expiry)", commands: ["aws s3 presign s3://BUCKET/KEY --expires-in 3600"])]),
                  ],
                  specificity: 80),
        Signature(id: "s3-auth-error", product: "Amazon S3", layer: .s3, cause: .authInvalid, confidence: .certain,
                  statuses: [400, 403], when: [s3, .any(["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
                                                          "RequestTimeTooSkewed", "AuthorizationHeaderMalformed"].map { .body("<Code>\($0)</Code>") })],
                  summary: "S3 rejected the request's credentials or signature ({code})[ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["SignatureDoesNotMatch: the signing key, region or the canonical request (headers, query) differ from what was sent",
                           "ExpiredToken / InvalidToken: refresh the session credentials", "RequestTimeTooSkewed: fix the client clock (NTP)"],
                  specificity: 85),
    ]
}
