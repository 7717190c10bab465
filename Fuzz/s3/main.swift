// libFuzzer harness for the S3 policy parser and evaluator: every input must parse or throw an
// InputError, and a policy that parses must evaluate, with no crash, leak or hang.
// Build and run: Fuzz/s3/run.sh [seconds]
import Why403Core
import Why403S3

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for kind in [PolicyKind.bucket, .identity] {
        guard let policy = try? PolicyParser.parse(bytes, file: "fuzz.json", kind: kind),
              let principal = try? Principal.parse("arn:aws:iam::111122223333:user/alice"),
              let input = try? S3Analyzer.Input(principal: principal, action: "s3:GetObject", resource: "arn:aws:s3:::amzn-bucket/k",
                                       context: [("aws:SourceIp", "203.0.113.1"), ("aws:TagKeys", "a"), ("aws:TagKeys", "b")],
                                       bucketPolicy: kind == .bucket ? policy : nil,
                                       identityPolicies: kind == .identity ? [policy] : [])
        else { continue }
        _ = S3Analyzer.analyze(input)
    }
    _ = try? PublicAccessBlock.parse(bytes, file: "fuzz.json")
    return 0
}
