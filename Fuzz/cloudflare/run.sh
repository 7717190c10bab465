#!/bin/sh
# libFuzzer harness of the Cloudflare rules language (lexer, parser, type checker, evaluator) and of the
# rules readers (Rulesets API JSON, terraform show -json, cloudflare_ruleset HCL).
# Usage: Fuzz/cloudflare/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
. "$(dirname "$0")/../common.sh"
fuzz_init cloudflare "${1:-}"
# swift-corelibs-foundation's NSRegularExpression leaks its CF object when ICU refuses a pattern
# (_CFRegularExpressionCreate's error path; Fuzz/cloudflare/findings/leak-986f… is such an input): not
# ours, and the only leak found, so LeakSanitizer is off for this harness. Crashes and overflows are
# still caught.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fuzz_httptypes
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Core -I "$OUT" \
  -emit-module-path "$OUT/Why403Core.swiftmodule" -o "$OUT/libWhy403Core.a" $(find "$ROOT/Sources/Why403Core" -name '*.swift')
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Cloudflare -I "$OUT" \
  -emit-module-path "$OUT/Why403Cloudflare.swiftmodule" -o "$OUT/libWhy403Cloudflare.a" $(find "$ROOT/Sources/Why403Cloudflare" -name '*.swift')
swiftc $FLAGS -I "$OUT" -L "$OUT" -lWhy403Cloudflare -lWhy403Core -lHTTPTypes "$ROOT/Fuzz/cloudflare/main.swift" -o "$OUT/cloudflare-fuzz"
fuzz_run "$OUT/cloudflare-fuzz" 4096 "$ROOT"/Tests/Fixtures/cloudflare
