#!/bin/sh
# Builds the libFuzzer harness for the S3 policy parser (Core and S3 compiled with coverage) and runs
# it for $1 seconds (default 60) on the policy fixtures as seeds. Needs swiftc with -sanitize=fuzzer.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-/tmp/why403-fuzz-s3}
mkdir -p "$out/corpus"
cp "$root"/Tests/Fixtures/s3/policies/*.json "$out/corpus/"
flags="-parse-as-library -sanitize=fuzzer,address -O -g"
swiftc $flags -emit-library -static -emit-module -module-name Why403Core \
  -emit-module-path "$out/Why403Core.swiftmodule" -o "$out/libWhy403Core.a" "$root"/Sources/Why403Core/*.swift
swiftc $flags -emit-library -static -emit-module -module-name Why403S3 -I "$out" \
  -emit-module-path "$out/Why403S3.swiftmodule" -o "$out/libWhy403S3.a" $(find "$root/Sources/Why403S3" -name '*.swift')
swiftc $flags -I "$out" -L "$out" -lWhy403S3 -lWhy403Core "$root/Fuzz/s3/main.swift" -o "$out/policy-fuzz"
"$out/policy-fuzz" -max_total_time="${1:-60}" -max_len=4096 -timeout=5 "$out/corpus"
