#!/bin/sh
# Policy evaluation speed, why403 vs moto, on the 30 scenarios of Tests/Fixtures/s3/moto/scenarios.json
# (one policy parsed and evaluated against one request each), measured in the same run.
# Usage: Benchmarks/s3/run.sh [rounds]   (needs swiftc, python3 and moto)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${BENCH_OUT:-/tmp/why403-bench-s3}
rounds=${1:-2000}
mkdir -p "$out"
flags="-parse-as-library -O -wmo"
# Core's one package dependency, swift-http-types, from SwiftPM's checkout (run `swift build` first).
swiftc $flags -emit-library -static -emit-module -module-name HTTPTypes \
  -emit-module-path "$out/HTTPTypes.swiftmodule" -o "$out/libHTTPTypes.a" "$root"/.build/checkouts/swift-http-types/Sources/HTTPTypes/*.swift
swiftc $flags -emit-library -static -emit-module -module-name Why403Core -I "$out" \
  -emit-module-path "$out/Why403Core.swiftmodule" -o "$out/libWhy403Core.a" $(find "$root/Sources/Why403Core" -name '*.swift')
swiftc $flags -emit-library -static -emit-module -module-name Why403S3 -I "$out" \
  -emit-module-path "$out/Why403S3.swiftmodule" -o "$out/libWhy403S3.a" $(find "$root/Sources/Why403S3" -name '*.swift')
swiftc $flags -I "$out" -L "$out" -lWhy403S3 -lWhy403Core -lHTTPTypes "$root/Benchmarks/s3/main.swift" -o "$out/s3-bench"
scenarios="$root/Tests/Fixtures/s3/moto/scenarios.json"
w=$("$out/s3-bench" "$scenarios" "$rounds" | tee /dev/stderr | awk '/^RESULT/ {print $3}')
m=$(python3 "$root/Benchmarks/s3/moto_bench.py" "$scenarios" "$rounds" | tee /dev/stderr | awk '/^RESULT/ {print $3}')
python3 -c "print('ratio: moto takes %.1fx the time of why403 per evaluation' % ($m / $w))"
