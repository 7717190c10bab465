#!/bin/sh
# libFuzzer harness of the AWS WAF readers (web ACL, IP set, regex set, rule group) and the evaluator.
# Usage: Fuzz/aws-waf/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
. "$(dirname "$0")/../common.sh"
fuzz_init aws-waf "${1:-}"
fuzz_httptypes
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Core -I "$OUT" \
  -emit-module-path "$OUT/Why403Core.swiftmodule" -o "$OUT/libWhy403Core.a" $(find "$ROOT/Sources/Why403Core" -name '*.swift')
# libinjection comes through libmodsecurity, opened at run time: not fuzzed here. A stand-in module with
# the one function the SQLi/XSS seam calls (nil: not installed, so the token approximation answers).
cat > "$OUT/ModSecurityStub.swift" <<'SWIFT'
public enum Libinjection {
    public enum Kind: Sendable { case sqli, xss }
    public static func detect(_ kind: Kind, in value: [UInt8]) -> Bool? { nil }
}
SWIFT
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403ModSecurity -I "$OUT" \
  -emit-module-path "$OUT/Why403ModSecurity.swiftmodule" -o "$OUT/libWhy403ModSecurity.a" "$OUT/ModSecurityStub.swift"
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403AWSWAF -I "$OUT" \
  -emit-module-path "$OUT/Why403AWSWAF.swiftmodule" -o "$OUT/libWhy403AWSWAF.a" $(find "$ROOT/Sources/Why403AWSWAF" -name '*.swift')
swiftc $FLAGS -I "$OUT" -L "$OUT" -lWhy403AWSWAF -lWhy403ModSecurity -lWhy403Core -lHTTPTypes "$ROOT/Fuzz/aws-waf/main.swift" -o "$OUT/waf-fuzz"
fuzz_run "$OUT/waf-fuzz" 8192 $(find "$ROOT/Tests/Fixtures/aws-waf" -name '*.json' ! -name case.json)
