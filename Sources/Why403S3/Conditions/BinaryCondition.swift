import Foundation

/// `BinaryEquals` (IAM condition operators page, "Binary condition operators"): the policy value is
/// base64; the request value is base64 too and the decoded bytes are compared.
enum BinaryCondition {
    static func decode(_ s: String) -> Data? {
        Data(base64Encoded: s.trimmingCharacters(" "))
    }

    static func matches(policy: String, request: String) -> Bool {
        guard let p = decode(policy), let r = decode(request) else { return false }
        return p == r
    }
}
