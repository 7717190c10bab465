import Why403Core

/// The object-missing rule: when the object does not exist, S3 answers 404 if the caller has
/// `s3:ListBucket` on the bucket and 403 otherwise (cause `policy.no-list`).
///
/// Follows the S3 API Reference, GetObject, "Permissions": "If the object that you request doesn't
/// exist, the error that Amazon S3 returns depends on whether you also have the s3:ListBucket
/// permission. If you have the s3:ListBucket permission on the bucket, Amazon S3 returns an HTTP
/// status code 404 Not Found error. If you don't have the s3:ListBucket permission, Amazon S3
/// returns an HTTP status code 403 Access Denied error."
enum ListBucketRule {
    /// Actions the rule applies to (HEAD is authorized as s3:GetObject).
    static let actions: Set<String> = ["s3:getobject", "s3:getobjectversion"]

    static func applies(to action: String) -> Bool { actions.contains(action.lowercased()) }
}
