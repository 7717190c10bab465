#!/bin/sh
# Cloudflare rule evaluation speed: 1,000 rules compiled once, then REQUESTS requests through all of
# them (the issue's goal: at least 100,000 rule evaluations per second per core).
# Usage: Benchmarks/cloudflare/run.sh [RULES] [REQUESTS]   (needs swiftc; run `swift build` first)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${BENCH_OUT:-/tmp/why403-bench-cloudflare}
mkdir -p "$out"
flags="-parse-as-library -O -wmo"
swiftc $flags -emit-library -static -emit-module -module-name HTTPTypes \
  -emit-module-path "$out/HTTPTypes.swiftmodule" -o "$out/libHTTPTypes.a" "$root"/.build/checkouts/swift-http-types/Sources/HTTPTypes/*.swift
swiftc $flags -emit-library -static -emit-module -module-name Why403Core -I "$out" \
  -emit-module-path "$out/Why403Core.swiftmodule" -o "$out/libWhy403Core.a" $(find "$root/Sources/Why403Core" -name '*.swift')
swiftc $flags -emit-library -static -emit-module -module-name Why403Cloudflare -I "$out" \
  -emit-module-path "$out/Why403Cloudflare.swiftmodule" -o "$out/libWhy403Cloudflare.a" $(find "$root/Sources/Why403Cloudflare" -name '*.swift')
swiftc $flags -I "$out" -L "$out" -lWhy403Cloudflare -lWhy403Core -lHTTPTypes "$root/Benchmarks/cloudflare/main.swift" -o "$out/cloudflare-bench"
"$out/cloudflare-bench" "${1:-1000}" "${2:-20000}"
