#!/bin/sh
# libFuzzer harness of the S3 policy parser and evaluator.
# Usage: Fuzz/s3/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
. "$(dirname "$0")/../common.sh"
fuzz_init s3 "${1:-}"
fuzz_httptypes
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Core -I "$OUT" \
  -emit-module-path "$OUT/Why403Core.swiftmodule" -o "$OUT/libWhy403Core.a" $(find "$ROOT/Sources/Why403Core" -name '*.swift')
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403S3 -I "$OUT" \
  -emit-module-path "$OUT/Why403S3.swiftmodule" -o "$OUT/libWhy403S3.a" $(find "$ROOT/Sources/Why403S3" -name '*.swift')
swiftc $FLAGS -I "$OUT" -L "$OUT" -lWhy403S3 -lWhy403Core -lHTTPTypes "$ROOT/Fuzz/s3/main.swift" -o "$OUT/policy-fuzz"
fuzz_run "$OUT/policy-fuzz" 4096 "$ROOT"/Tests/Fixtures/s3/policies
