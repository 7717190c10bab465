import Why403Core

/// SSE-KMS: reading an object encrypted with a KMS key also needs `kms:Decrypt` on the key, writing
/// one needs `kms:GenerateDataKey` (S3 User Guide, "Using server-side encryption with AWS KMS keys
/// (SSE-KMS)", "Permissions"). The key policy decides first: unless it allows the caller directly or
/// delegates to the account (`arn:aws:iam::ID:root`), IAM policies cannot grant it (AWS KMS Developer
/// Guide, "Key policies in AWS KMS").
enum KMSRule {
    /// The KMS action an S3 action needs on an SSE-KMS object, or nil.
    static func kmsAction(for s3Action: String) -> String? {
        switch s3Action.lowercased() {
        case "s3:getobject", "s3:getobjectversion": "kms:Decrypt"
        case "s3:putobject": "kms:GenerateDataKey"
        default: nil
        }
    }

    static let encryptionKey = "s3:x-amz-server-side-encryption"
    static let keyIdKey = "s3:x-amz-server-side-encryption-aws-kms-key-id"
}
