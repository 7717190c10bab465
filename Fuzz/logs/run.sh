#!/bin/sh
# Builds the libFuzzer harness of the log scanner (Core, the C scan kernel and Logs compiled with
# coverage and AddressSanitizer) and runs it for $1 seconds (default 60), seeded with the recorded
# logs of real nginx and Apache and a gzip file. Needs swiftc/clang with -fsanitize=fuzzer.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-/tmp/why403-fuzz-logs}
mkdir -p "$out/corpus" "$out/CWhy403Scan"
cp "$root"/Tests/Fixtures/logs/recorded/*.log "$out/corpus/"
gzip -c "$root/Tests/Fixtures/logs/recorded/nginx-access.log" > "$out/corpus/nginx-access.log.gz"
# The C kernel, and a module map for it as SwiftPM would make.
clang -O1 -g -fsanitize=fuzzer-no-link,address -I "$root/Sources/CWhy403Scan/include" \
  -c "$root/Sources/CWhy403Scan/scan.c" -o "$out/scan.o"
printf 'module CWhy403Scan {\n  header "%s"\n  export *\n}\n' "$root/Sources/CWhy403Scan/include/why403_scan.h" \
  > "$out/CWhy403Scan/module.modulemap"
flags="-parse-as-library -sanitize=fuzzer,address -O -g"
swiftc $flags -emit-library -static -emit-module -module-name Why403Core \
  -emit-module-path "$out/Why403Core.swiftmodule" -o "$out/libWhy403Core.a" "$root"/Sources/Why403Core/*.swift
swiftc $flags -emit-library -static -emit-module -module-name Why403Logs -I "$out" -I "$out/CWhy403Scan" \
  -I "$root/Sources/CZlib" -Xcc -fmodule-map-file="$root/Sources/CZlib/module.modulemap" \
  -Xcc -fmodule-map-file="$out/CWhy403Scan/module.modulemap" \
  -enforce-exclusivity=unchecked \
  -emit-module-path "$out/Why403Logs.swiftmodule" -o "$out/libWhy403Logs.a" $(find "$root/Sources/Why403Logs" -name '*.swift')
swiftc $flags -I "$out" -L "$out" -Xcc -fmodule-map-file="$root/Sources/CZlib/module.modulemap" \
  -Xcc -fmodule-map-file="$out/CWhy403Scan/module.modulemap" \
  -lWhy403Logs -lWhy403Core "$out/scan.o" -lz "$root/Fuzz/logs/main.swift" -o "$out/logs-fuzz"
"$out/logs-fuzz" -max_total_time="${1:-60}" -max_len=8192 -timeout=10 -rss_limit_mb=4096 "$out/corpus"
