import Why403Core

/// Amazon S3: `x-amz-request-id`, `x-amz-id-2`, `server: AmazonS3`, and the XML `<Error>` body
/// (Code, Message, RequestId, HostId); the website endpoint writes the same as an HTML list
/// ("<li>Code: AccessDenied</li>"). S3-compatible stores (Ceph, MinIO, Riak CS, Tigris) answer in the
/// same XML, often without the headers.
enum S3 {
    static let s3: Condition = .any([.header("x-amz-request-id"), .header("x-amz-id-2"), .headerContains("server", "AmazonS3"), .body("<HostId>"),
                                     .body("<RequestId>"), .body("<Resource>"), .body("<BucketName>"), .body("<AWSAccessKeyId>"),
                                     .body("<li>RequestId:"), .body("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
                                     // The website endpoint's page as a browser renders it ("Code: AccessDenied … HostId: …").
                                     .body("HostId: "),
                                     // SDK dumps: Go ("status code: 403, request id: …, host id: …"), Java ("Service: Amazon S3; … S3 Extended Request ID").
                                     .body("host id:"), .body("Service: Amazon S3"), .body("S3 Extended Request ID")])
    /// Not Azure Storage (`<Message>…RequestId:`) nor Google Cloud Storage (`<Details>`), which share the XML shape.
    static let notOtherStore: Condition = .not(.any([.body("<Details>"), .body("Time:20"), .header("x-ms-request-id"), .header("x-guploader-uploadid"),
                                                     .body("Google secret key"),
                                                     // the query protocol's envelope of STS, IAM, SNS … and EC2's (AWSAPIs.queryXML)
                                                     .body("<Type>Sender</Type>"), .body(".amazonaws.com/doc/"), .body("<Response><Errors>")]))
    static let ids: [Extract] = [
        Extract("code", "error code", from: [.xml("Code"), .body(after: "<li>Code:", chars: .identifier), .body(after: "Error Code:", chars: .identifier)]),
        Extract("msg", "message", from: [.xml("Message")]),
        Extract("reqid", "request id", from: [.header("x-amz-request-id"), .xml("RequestId"), .body(after: "<li>RequestId:", chars: .identifier),
                                             .body(after: "request id:", chars: .identifier)]),
        Extract("hostid", "host id", from: [.header("x-amz-id-2"), .xml("HostId"), .body(after: "host id:", chars: .identifier),
                                           .body(after: "S3 Extended Request ID:", chars: .identifier)]),
    ]
    static let lookup = "AWS Support and CloudTrail data events / S3 server access logs identify the request by its request id (x-amz-request-id[: {reqid}])[ and host id {hostid}]"
    /// S3-compatible stores that mark every answer as theirs, with the next steps in their own tools where S3's name
    /// AWS's (`checks`, nil where S3's apply as they are). MinIO: `setCommonHeaders` (cmd/api-headers.go) sets `Server` to
    /// `MinioStoreName`, "MinIO" (cmd/build-constants.go; releases before 2020 wrote "Minio/RELEASE…"); `mc admin trace`
    /// streams its API calls, `--errors` only the failed ones. Its policies are IAM-style JSON documents: anonymous
    /// callers get what the bucket's anonymous policy allows, users what the policies attached to them and their groups
    /// allow, and an access key (formerly "service account") at most its parent user's, narrowed by a policy of its own
    /// (the `mc anonymous`, `mc admin user`, `mc admin policy` and `mc admin accesskey` references). (Ceph's gateway and the
    /// others send no such mark by default: they stay "Amazon S3".)
    static let minio: Condition = .headerContains("server", "MinIO")
    static func stores(checks: [String]? = nil) -> [Compatible] {
        [Compatible("MinIO", when: minio,
                    lookup: "MinIO's own trace of the failed calls (`mc admin trace --errors ALIAS`) and its audit log identify the request[ by request id {reqid}]",
                    checks: checks)]
    }
    static let minioPolicyChecks = [
        "a caller without credentials gets only what the bucket's anonymous policy allows (`mc anonymous get-json ALIAS/BUCKET`)",
        "a user gets what the policies attached to it and to its groups allow (`mc admin user info ALIAS USER` names them, `mc admin policy info ALIAS POLICY` prints one): one must allow the action on arn:aws:s3:::BUCKET/KEY, and none deny it",
        "an access key gets at most its user's rights, narrowed by a policy of its own (`mc admin accesskey info ALIAS ACCESSKEY`; `mc admin user svcacct info` before 2024-10)",
    ]

    static let signatures: [Signature] = [
        Signature(id: "s3-access-denied", product: "Amazon S3", layer: .s3, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [s3, notOtherStore, .any([.body("<Code>AccessDenied</Code>"), .body("Code: AccessDenied"), .body("AccessDenied: Access Denied"),
                                                          .body("api error AccessDenied")])],
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
                      // A URL with no S3 credentials in its query (a CloudFront-signed URL sent to the bucket, say) is refused
                      // with AccessDenied and this message: no credentials S3 recognises were sent.
                      Variant("msg", ["*Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters*"], cause: .authMissing, confidence: .certain,
                              summary: "the URL carries no S3 query credentials (Signature, Expires, AWSAccessKeyId), as S3's message says[ (request id {reqid})]",
                              checks: ["a CloudFront-signed URL (Key-Pair-Id, Signature, Expires) reached S3 itself: request it through the distribution, whose behavior must require signed URLs (trusted key group)",
                                       "a presigned S3 URL lost its query string (a redirect or a proxy dropped it)"]),
                      Variant("msg", ["Request has expired*"], cause: .authInvalid, confidence: .certain,
                              summary: "the presigned URL has expired[ (request id {reqid})]",
                              checks: ["X-Amz-Date + X-Amz-Expires is past, or the credentials that signed it (a role session) expired first"],
                              fixes: [Fix(summary: "presign the URL again (with credentials that outlive the expiry)", commands: ["aws s3 presign s3://BUCKET/KEY --expires-in 3600"])]),
                  ],
                  specificity: 80, compatible: stores(checks: minioPolicyChecks)),
        // The authorization sentence S3 writes since 2023 (and SDKs print in their exceptions) names the action and why no
        // statement let it through: "User: ARN is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::…\" because
        // no identity-based policy allows the s3:GetObject action (Service: S3, Status Code: 403, Request ID: …)".
        Signature(id: "s3-not-authorized", product: "Amazon S3", layer: .s3, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [.body("is not authorized to perform: s3:"), notOtherStore],
                  summary: "S3 refused the caller the action[ {action}][ (request id {reqid})]",
                  extract: ids + [Extract("action", "action", from: [.body(after: "is not authorized to perform:", chars: .identifier)]),
                                  Extract("why", "reason", from: [.body(after: "on resource:", chars: .line)]),
                                  Extract("sdkreqid", "request id", from: [.body(after: "Request ID:", chars: .identifier)])],
                  lookup: lookup,
                  checks: ["the message names the policy type that decided (identity-based, resource-based, SCP, permissions boundary, VPC endpoint, session policy)",
                           "evaluate the policies offline: `why403 s3 --action ACTION --resource ARN --principal ARN --bucket-policy policy.json --identity-policy role.json`"],
                  variants: [
                      Variant("why", ["*with an explicit deny*"], cause: .policyExplicitDeny, confidence: .certain,
                              summary: "an explicit Deny refuses[ {action}] (S3's message names the policy type)[ (request id {reqid})]"),
                      Variant("why", ["*because no identity-based policy allows*", "*because no resource-based policy allows*", "*because no session policy allows*",
                                      "*because no permissions boundary allows*", "*because no VPC endpoint policy allows*", "*because no service control policy allows*"], cause: .policyImplicitDeny, confidence: .certain,
                              summary: "no policy statement allows[ {action}] (implicit deny; S3's message names the policy type that lacks the Allow)[ (request id {reqid})]"),
                  ],
                  specificity: 78, compatible: stores()),
        Signature(id: "s3-auth-error", product: "Amazon S3", layer: .s3, cause: .authInvalid, confidence: .certain,
                  statuses: [400, 403], when: [.any([s3, .body("<Error>")]), notOtherStore,
                                               .any(["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
                                                     "RequestTimeTooSkewed", "AuthorizationHeaderMalformed",
                                                     // MinIO's STS session token (cmd/api-errors.go)
                                                     "InvalidTokenId"].flatMap { [Condition.body("<Code>\($0)</Code>"), .body("Error Code: \($0)"), .body("\($0): ")] }
                                                    + [.body("The request signature we calculated does not match the signature you provided"),
                                                       .body("The AWS Access Key Id you provided does not exist in our records")])],
                  summary: "S3 rejected the request's credentials or signature[ ({code})][ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["SignatureDoesNotMatch: the signing key, region or the canonical request (headers, query) differ from what was sent",
                           "ExpiredToken / InvalidToken: refresh the session credentials", "RequestTimeTooSkewed: fix the client clock (NTP)"],
                  specificity: 85, compatible: stores()),
            Signature(id: "s3-error", product: "Amazon S3", layer: .s3, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [.any([s3, .body("<Error>")]), notOtherStore,
                                          .any(["AllAccessDisabled", "AccountProblem", "InvalidObjectState", "KMS.AccessDeniedException", "KMS.DisabledException",
                                                "KMS.KMSInvalidStateException", "InvalidPayer", "RequestTorrentOfBucketError", "ObjectLockConfigurationNotFoundError",
                                                // S3-compatible stores' own codes: Ceph RGW's (rgw_common.cc) and MinIO's admin API (cmd/api-errors.go)
                                                "UserSuspended", "QuotaExceeded", "XMinioInvalidIAMCredentials"]
                                                .flatMap { [Condition.body("<Code>\($0)</Code>"), .body("Error Code: \($0)"), .body("\($0): ")] }
                                                + [.body("All access to this object has been disabled"), .body("All access to this bucket has been disabled")])],
                  summary: "S3 refused with {code}[: {msg}][ (request id {reqid})]",
                  extract: ids + [Extract("disabled", "message", from: [.body(after: "All access to this", chars: .line)])], lookup: lookup,
                  checks: ["the error code says which: AllAccessDisabled (S3 disabled the bucket or object), AccountProblem (the owner's account), KMS.* (the object's KMS key), InvalidObjectState (archived object)"],
                  variants: [
                      // MinIO's releases of 2017 answered AllAccessDisabled to a client that was not a browser (no "Mozilla" in its
                      // User-Agent) asking for its built-in browser's paths under /minio/ (minio/minio#5225, "working as intended").
                      Variant("code", ["AllAccessDisabled"], also: .all([minio, .body("<Resource>/minio/")]), cause: .accessDeny, confidence: .likely,
                              summary: "the path belongs to its built-in browser (/minio/…), which older releases refuse to clients that are not browsers, curl and SDKs alike (AllAccessDisabled)[ (request id {reqid})]",
                              checks: ["open the path in a browser, or use an S3 client on the bucket's own paths: older MinIO releases give /minio/… only to a User-Agent that looks like a browser (minio/minio#5225)"]),
                      Variant("code", ["AllAccessDisabled"], also: .not(minio), cause: .accessDeny, confidence: .certain,
                              summary: "all access to this bucket or object has been disabled (AllAccessDisabled): nobody can read it, whatever the policy[ (request id {reqid})]",
                              checks: ["AWS disables a bucket for abuse or an account issue, and a deleted account's buckets answer this: the owner must contact AWS Support"]),
                      Variant("disabled", ["*has been disabled*"], also: .not(minio), cause: .accessDeny, confidence: .certain,
                              summary: "S3 says all access to this bucket or object has been disabled (AllAccessDisabled): nobody can read it, whatever the policy[ (request id {reqid})]",
                              checks: ["AWS disables a bucket for abuse or an account issue, and a deleted account's buckets answer this: the owner must contact AWS Support"]),
                      Variant("code", ["AccountProblem"], cause: .accessDeny, confidence: .likely,
                              summary: "a problem with the bucket owner's AWS account blocks the operation (AccountProblem)[ (request id {reqid})]",
                              checks: ["the owner's account is suspended or has a billing problem: AWS Support"]),
                      Variant("code", ["UserSuspended"], cause: .accessDeny, confidence: .likely,
                              summary: "the storage service suspended the user these credentials belong to (UserSuspended, Ceph RADOS Gateway)[ (request id {reqid})]",
                              checks: ["radosgw-admin user info --uid=…: \"suspended\": 1; an administrator lifts it with radosgw-admin user enable"]),
                      Variant("code", ["QuotaExceeded"], cause: .unknown, confidence: .likely,
                              summary: "the user's or bucket's storage quota is full (QuotaExceeded, Ceph RADOS Gateway): the write was refused[ (request id {reqid})]",
                              checks: ["radosgw-admin quota and user stats (max size, max objects) for the user and the bucket: free space or raise the quota"]),
                      Variant("code", ["XMinioInvalidIAMCredentials"], cause: .authRole, confidence: .likely,
                              summary: "MinIO refused the admin operation: these credentials may not perform it (XMinioInvalidIAMCredentials)[: {msg}]",
                              checks: ["the user's or service account's policy must allow the admin:* action; `mc admin user info ALIAS USER` lists its policies"]),
                      Variant("code", ["KMS.*"], cause: .policyImplicitDeny, confidence: .likely,
                              summary: "the object's KMS key refuses this caller or is unusable ({code})[ (request id {reqid})]",
                              checks: ["the KMS key policy and the caller's IAM policy must allow kms:Decrypt (reads) / kms:GenerateDataKey (writes); the key must be enabled"]),
                  ],
                  specificity: 80, compatible: stores(checks: ["the error code and message name the refusal (MinIO's codes and their meaning: `cmd/api-errors.go` in its source)"])),
        // The request rate refused in S3's XML: S3's and Ceph's `SlowDown` (503 "Please reduce your request rate."), MinIO's
        // `TooManyRequests` (429 since 2023, 503 `SlowDown` before). A refusal whatever its status (`disguised`).
        Signature(id: "s3-slow-down", product: "Amazon S3", layer: .s3, cause: .rateLimit, confidence: .certain,
                  statuses: [429, 503], when: [.any([s3, .body("<Error>")]), notOtherStore,
                                               .any(["SlowDown", "TooManyRequests"].flatMap { [Condition.body("<Code>\($0)</Code>"), .body("Error Code: \($0)")] })],
                  summary: "the storage service throttled the request rate ({code})[: {msg}][ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["retry with exponential backoff (the SDKs do); S3 scales a prefix's rate gradually, so spread keys over prefixes",
                           "MinIO: its api requests_max and requests_deadline settings (`mc admin config get ALIAS api`); Ceph: the RGW rate limits (`radosgw-admin ratelimit get`)"],
                  specificity: 80, disguised: true, compatible: stores(checks: [
                      "retry with exponential backoff (the SDKs do)",
                      "MinIO serves at most api requests_max requests at once and refuses the rest (older releases after waiting up to requests_deadline): `mc admin config get ALIAS api`",
                  ])),
        // The AWS CLI and botocore print "An error occurred (CODE) when calling the OPERATION operation: MESSAGE"; only S3's object and bucket operations.
        Signature(id: "s3-cli-error", product: "Amazon S3", layer: .s3, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.body("An error occurred (AccessDenied) when calling the "),
                         .any(["GetObject", "PutObject", "HeadObject", "ListObjects", "ListObjectsV2", "CopyObject", "DeleteObject", "CreateMultipartUpload",
                               "UploadPart", "GetBucketPolicy", "ListBuckets"].map { Condition.body("when calling the \($0) operation") })],
                  summary: "S3 refused (AccessDenied, as the AWS CLI reports it)[: {climsg}]",
                  extract: [Extract("climsg", "message", from: [.body(after: " operation: ", chars: .line)])],
                  lookup: "CloudTrail data events for the bucket show the request and the principal",
                  checks: ["the bucket policy and the caller's IAM policy allow the action on the resource",
                           "an SSE-KMS object also needs kms:Decrypt on its key (key policy and IAM)"],
                  variants: [
                      Variant("climsg", ["*ciphertext refers to a customer master key*", "*kms:Decrypt*"], cause: .policyImplicitDeny, confidence: .likely,
                              summary: "S3 could not use the object's KMS key for this caller: {climsg}",
                              checks: ["the KMS key policy and the caller's IAM policy must allow kms:Decrypt on the key (a customer-managed key's policy must name the principal)"]),
                  ],
                  specificity: 70),
        Signature(id: "s3-headers", product: "Amazon S3", layer: .s3, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [.any([.header("x-amz-request-id"), .headerContains("server", "AmazonS3")])],
                  summary: "S3 refused; the response has no error body to say why (a HEAD request, or a body that was not saved)[ (request id {reqid})]",
                  extract: ids, lookup: lookup,
                  checks: ["repeat the request as GET to see S3's error code (AccessDenied, SignatureDoesNotMatch, ...)",
                           "the bucket policy and the caller's IAM policy (a HEAD of a missing key answers 403 without s3:ListBucket)"],
                  specificity: 25, compatible: stores(checks: ["repeat the request as GET to see MinIO's error code (AccessDenied, SignatureDoesNotMatch, ...)"] + minioPolicyChecks)),
    ]
}
