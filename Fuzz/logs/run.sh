#!/bin/sh
# libFuzzer harness of the log scanner (Core, the C scan kernel and mapped-window reader, and Logs with coverage and
# AddressSanitizer; flatjson.c, the flat JSON fast path, too), seeded with the recorded logs of real nginx and Apache, the edge samples
# (AWS WAF, ALB, CloudFront, S3, Cloudflare, IIS), the real ModSecurity audit logs (native and JSON)
# and a gzip file.
# Usage: Fuzz/logs/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
. "$(dirname "$0")/../common.sh"
fuzz_init logs "${1:-}"
fuzz_httptypes
mkdir -p "$OUT/seeds" "$OUT/CWhy403Scan"
cp "$ROOT"/Tests/Fixtures/logs/recorded/*.log "$OUT/seeds/"
cp "$ROOT"/Tests/Fixtures/logs/edge/*.log "$OUT/seeds/"
cp "$ROOT"/Tests/Fixtures/logs/modsecurity/audit-*.log "$OUT/seeds/"
gzip -c "$ROOT/Tests/Fixtures/logs/recorded/nginx-access.log" > "$OUT/seeds/nginx-access.log.gz"
# The C kernel, and a module map for it as SwiftPM would make.
clang -O1 -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CWhy403Scan/include" \
  -c "$ROOT/Sources/CWhy403Scan/scan.c" -o "$OUT/scan.o"
clang -O1 -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CWhy403Scan/include" \
  -c "$ROOT/Sources/CWhy403Scan/gather.c" -o "$OUT/gather.o"
clang -O1 -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CWhy403Scan/include" \
  -c "$ROOT/Sources/CWhy403Scan/flatjson.c" -o "$OUT/flatjson.o"
clang -O1 -g -fsanitize=fuzzer-no-link,address -I "$ROOT/Sources/CWhy403Scan/include" \
  -c "$ROOT/Sources/CWhy403Scan/spaced.c" -o "$OUT/spaced.o"
printf 'module CWhy403Scan {\n  header "%s"\n  export *\n}\n' "$ROOT/Sources/CWhy403Scan/include/why403_scan.h" \
  > "$OUT/CWhy403Scan/module.modulemap"
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Core -I "$OUT" \
  -emit-module-path "$OUT/Why403Core.swiftmodule" -o "$OUT/libWhy403Core.a" $(find "$ROOT/Sources/Why403Core" -name '*.swift')
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Logs -I "$OUT" -I "$OUT/CWhy403Scan" \
  -I "$ROOT/Sources/CZlib" -Xcc -fmodule-map-file="$ROOT/Sources/CZlib/module.modulemap" \
  -Xcc -fmodule-map-file="$OUT/CWhy403Scan/module.modulemap" \
  -enforce-exclusivity=unchecked \
  -emit-module-path "$OUT/Why403Logs.swiftmodule" -o "$OUT/libWhy403Logs.a" $(find "$ROOT/Sources/Why403Logs" -name '*.swift')
swiftc $FLAGS -I "$OUT" -L "$OUT" -Xcc -fmodule-map-file="$ROOT/Sources/CZlib/module.modulemap" \
  -Xcc -fmodule-map-file="$OUT/CWhy403Scan/module.modulemap" \
  -lWhy403Logs -lWhy403Core -lHTTPTypes "$OUT/scan.o" "$OUT/gather.o" "$OUT/flatjson.o" "$OUT/spaced.o" -lz "$ROOT/Fuzz/logs/main.swift" -o "$OUT/logs-fuzz"
fuzz_run "$OUT/logs-fuzz" 8192 "$OUT/seeds"
