// libFuzzer harness for the AWS WAF readers and the evaluator: every input must parse or throw an
// InputError, and a web ACL that parses must evaluate a few requests, with no crash, leak or hang.
// Build and run: Fuzz/aws-waf/run.sh [seconds]
import Why403Core
import Why403AWSWAF

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let requests: [Request] = [
        try! Request(method: "GET", url: "https://example.com/admin/%41?debug=1&id=1%27", headers: [("User-Agent", "BadBot"), ("X-Forwarded-For", "203.0.113.7, x")],
                     clientIP: "192.0.2.44"),
        try! Request(method: "POST", url: "http://example.com/login", headers: [("Cookie", "a=1; debug=1")], body: Array(#"{"user": {"role": "admin"}}"#.utf8)),
    ]
    if let acl = try? WAFReader.webACL(bytes, file: "fuzz.json") {
        let compiled = CompiledWebACL(webACL: acl)
        for r in requests {
            _ = try? AWSWAFAnalyzer.analyze(.init(acl: compiled, request: r, country: "CA"))
            _ = try? AWSWAFAnalyzer.analyze(.init(acl: compiled, request: r, country: nil))
        }
    }
    if let group = try? WAFReader.ruleGroup(bytes, file: "fuzz.json") {
        // A web ACL that runs the group (its ARN is the one the fuzzed group must carry). Built here, not
        // as a global: LeakSanitizer does not see a global's indirect-enum boxes (their pointers carry
        // tag bits) and reported the global's first allocation as a leak.
        let referencing = try! WAFReader.webACL(Array("""
            {"Name": "f", "DefaultAction": {"Block": {}}, "Rules": [{"Name": "g", "Priority": 0, "OverrideAction": {"None": {}},
              "Statement": {"RuleGroupReferenceStatement": {"ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/rulegroup/fuzz/x"}}}]}
            """.utf8), file: "referencing.json")
        let compiled = CompiledWebACL(webACL: referencing, ruleGroups: [group])
        for r in requests { _ = try? AWSWAFAnalyzer.analyze(.init(acl: compiled, request: r, country: "US")) }
    }
    _ = try? WAFReader.ipSet(bytes, file: "fuzz.json")
    _ = try? WAFReader.regexPatternSet(bytes, file: "fuzz.json")
    return 0
}
