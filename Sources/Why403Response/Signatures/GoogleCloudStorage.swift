import Why403Core

/// Google Cloud Storage: `x-guploader-uploadid`, `server: UploadServer`, and XML or JSON errors
/// "… does not have storage.objects.get access to the Google Cloud Storage object". The upload headers are
/// Google's upload front end, shared by Drive, YouTube and Photos uploads: they name Cloud Storage only
/// with a storage-shaped error (a `storage.` permission or host, "Cloud Storage", or a `devstorage` scope
/// in the challenge); a Drive upload's generic `insufficientPermissions` error is a Google API's (GoogleAPIs.swift).
enum GoogleCloudStorage {
    static let signatures: [Signature] = [
        Signature(id: "gcs-access-denied", product: "Google Cloud Storage", layer: .gcs, cause: .policyImplicitDeny, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.header("x-guploader-uploadid"), .headerContains("server", "UploadServer"), .body("Google Cloud Storage"),
                              .body("does not have storage.")]),
                         .any([.body("does not have storage."), .body("<Code>AccessDenied</Code>"), .body("insufficientPermissions"),
                               .body("ACCESS_TOKEN_SCOPE_INSUFFICIENT"), .body("Provided scope(s) are not authorized")]),
                         .any([.body("storage."), .body("Cloud Storage"), .headerContains("www-authenticate", "devstorage"), .body("<Code>AccessDenied</Code>")])],
                  summary: "the caller lacks an IAM permission on the bucket or object[ ({permission} denied)]",
                  extract: [Extract("permission", "permission", from: [.body(after: "does not have ", chars: .identifier), .body(after: "Permission '", chars: .identifier)]),
                            Extract("caller", "caller", from: [.body(after: "<Details>", chars: .identifier), .json("message")]),
                            Extract("upload", "x-guploader-uploadid", from: [.header("x-guploader-uploadid")]),
                            Extract("anonymous", "caller", from: [.body(after: "Anonymous caller", chars: .line)]),
                            Extract("scope", "scope error", from: [.body(after: "ACCESS_TOKEN_SCOPE_INSUFFICIENT", chars: .line), .body(after: "insufficientPermissions", chars: .line),
                                                                   .body(after: "Provided scope(s)", chars: .line)])],
                  checks: ["gcloud storage buckets get-iam-policy gs://BUCKET: a binding for the caller with the permission (roles/storage.objectViewer for reads)",
                           "\"or it may not exist\": GCS hides missing objects from callers without storage.objects.list",
                           "anonymous caller: public access prevention on the bucket blocks allUsers grants",
                           "VPC Service Controls or an IAM deny policy can refuse even with a grant"],
                  fixes: [Fix(summary: "grant the least role that has the permission, on the bucket only",
                              commands: ["gcloud storage buckets add-iam-policy-binding gs://BUCKET --member=PRINCIPAL --role=roles/storage.objectViewer"])],
                  variants: [Variant("scope", ["*"], cause: .authScope, confidence: .certain,
                                     summary: "the OAuth token's scopes do not cover Cloud Storage (insufficient permission / scope): request a token with devstorage or cloud-platform scope"),
                             Variant("caller", ["anonymous*"], cause: .authMissing, confidence: .likely,
                                     summary: "an anonymous caller lacks [{permission} ]access: the object is not public and no credentials were sent"),
                             Variant("anonymous", ["*"], cause: .authMissing, confidence: .likely,
                                     summary: "an anonymous caller lacks [{permission} ]access: the object is not public and no credentials were sent")],
                  specificity: 80),
        // The XML API's answer to an HMAC-signed request (a V2/V4 signed URL, an S3-compatible client) whose
        // signature or key it rejects: S3's codes, with Google in the message ("Check your Google secret
        // key and signing method.") or GCS's upload header.
        Signature(id: "gcs-auth-error", product: "Google Cloud Storage", layer: .gcs, cause: .authInvalid, confidence: .certain,
                  statuses: [400, 403],
                  when: [.any([.body("Google secret key"), .header("x-guploader-uploadid"),
                               // GCS's XML errors carry <Details> (S3's never do): a signed URL past its expiry
                               .all([.body("<Details>"), .body("<Code>ExpiredToken</Code>")]),
                               // GCS's own codes for an Authorization header or signature it cannot read, with its <Details>
                               .all([.body("<Details>"), .any([.body("<Code>MalformedSecurityHeader</Code>"), .body("<Code>InvalidSecurity</Code>")])])]),
                         .any([.body("<Code>SignatureDoesNotMatch</Code>"), .body("<Code>InvalidAccessKeyId</Code>"), .body("<Code>ExpiredToken</Code>"),
                               .body("<Code>MalformedSecurityHeader</Code>"), .body("<Code>InvalidSecurity</Code>")])],
                  summary: "Cloud Storage rejected the request's signature or HMAC key ({code})",
                  extract: [Extract("code", "error code", from: [.xml("Code")]),
                            Extract("signed", "string to sign", from: [.xml("StringToSign")]),
                            Extract("upload", "x-guploader-uploadid", from: [.header("x-guploader-uploadid")]),
                            Extract("details", "details", from: [.xml("Details")])],
                  checks: ["a signed URL: sign exactly what is sent (method, path, expiry, Content-Type/Content-MD5 of the upload) with the service account's key; compare the StringToSign above with your signer's",
                           "an HMAC key: gcloud storage hmac list: the key must be ACTIVE and belong to the service account"],
                  variants: [
                      Variant("code", ["ExpiredToken"], cause: .authInvalid, confidence: .certain,
                              summary: "Cloud Storage refused an expired signed URL or token (ExpiredToken[: {details}])",
                              checks: ["a signed URL is valid for its X-Goog-Expires (V4) or Expires (V2) from its signing time: sign a new one"]),
                  ],
                  specificity: 85),
        // A Requester Pays bucket asked for without a billing project: not a permission, a setting the request must name.
        Signature(id: "gcs-requester-pays", product: "Google Cloud Storage", layer: .gcs, cause: .unknown, confidence: .certain,
                  statuses: [400, 403],
                  when: [.any([.body("requester pays bucket but no user project provided"), .body("UserProjectMissing")])],
                  summary: "Cloud Storage refused: the bucket is Requester Pays and the request named no billing project (userProject)",
                  extract: [Extract("msg", "message", from: [.json("message"), .xml("Message")])],
                  checks: ["send the billing project: `gcloud storage cp --billing-project=PROJECT …`, `?userProject=PROJECT` on the JSON API, `x-goog-user-project` on the XML API; the caller needs serviceusage.services.use on it"],
                  specificity: 86, disguised: true),
        // Billing refusals: the project to be billed (the bucket's, or the userProject of a Requester Pays request) has no
        // active billing account. The XML API says `<Code>UserProjectAccountProblem</Code>`, the JSON API reason
        // `accountDisabled` with these sentences.
        Signature(id: "gcs-billing-disabled", product: "Google Cloud Storage", layer: .gcs, cause: .unknown, confidence: .certain,
                  statuses: [403],
                  when: [.any([.body("UserProjectAccountProblem"), .body("The billing account for the owning project is disabled"),
                               .body("The project to be billed")])],
                  summary: "Cloud Storage refused: the project to be billed has no active billing account[ ({msg})]",
                  extract: [Extract("msg", "message", from: [.json("message"), .xml("Message"), .xml("Details")])],
                  checks: ["the billing account linked to the bucket's project (or to the userProject named for a Requester Pays bucket): `gcloud billing projects describe PROJECT` shows billingEnabled",
                           "re-enable or link a billing account; a closed free trial disables it"],
                  specificity: 86),
        // Google's older answer when the project behind the credentials has not enabled the API the request calls
        // (gsutil through the JSON API): "Access Not Configured. … enable the Google Cloud Storage JSON API."
        Signature(id: "gcs-api-not-enabled", product: "Google Cloud Storage", layer: .gcs, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.body("Access Not Configured"), .body("Cloud Storage JSON API")],
                  summary: "Cloud Storage refused: the Cloud Storage JSON API is not enabled in the project the credentials belong to",
                  checks: ["enable it in that project: `gcloud services enable storage-api.googleapis.com --project PROJECT` (or APIs & Services > Library)",
                           "the project is the one the key or OAuth client belongs to, not necessarily the bucket's"],
                  specificity: 84),
        // The JSON API's rate limits on one object's mutations (about one write a second per object) or a bucket's, in
        // Google's envelope through the upload front end (`server: UploadServer`): the message names the object.
        Signature(id: "gcs-rate-limited", product: "Google Cloud Storage", layer: .gcs, cause: .rateLimit, confidence: .certain,
                  statuses: [429, 503],
                  when: [.any([.header("x-guploader-uploadid"), .headerContains("server", "UploadServer")]),
                         .any([.body("\"rateLimitExceeded\""), .body("exceeds the rate limit")]),
                         .any([.body("to the object"), .body("storage."), .body("bucket")])],
                  summary: "Cloud Storage rate-limited the request[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            Extract("upload", "x-guploader-uploadid", from: [.header("x-guploader-uploadid")])],
                  checks: ["one object takes about one update a second (create, overwrite, metadata, delete): write to distinct object names, or batch the changes",
                           "retry with exponential backoff (the client libraries' retry settings)"],
                  specificity: 83),
    ]
}
