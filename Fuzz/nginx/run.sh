#!/bin/sh
# libFuzzer harness of the nginx configuration reader (lexer, parser, include bounds, expansion).
# Usage: Fuzz/nginx/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
. "$(dirname "$0")/../common.sh"
fuzz_init nginx "${1:-}"
fuzz_httptypes
# One module: Core, the file-system view, the PCRE2 binding and the parser's sources, their cross-module imports removed.
rm -rf "$OUT/src" && mkdir -p "$OUT/src"
for f in "$ROOT"/Sources/Why403Core/*.swift "$ROOT"/Sources/Why403Core/HTTP/*.swift "$ROOT"/Sources/Why403FileSystem/*.swift \
         "$ROOT"/Sources/Why403PCRE2/*.swift "$ROOT"/Sources/Why403Nginx/Config/*.swift; do
    sed '/^import Why403/d' "$f" > "$OUT/src/$(basename "$(dirname "$f")")-$(basename "$f")"
done
swiftc $FLAGS -module-name FuzzNginx -I "$OUT" -L "$OUT" -lHTTPTypes \
    "$OUT"/src/*.swift "$ROOT/Fuzz/nginx/FuzzParser.swift" -o "$OUT/fuzz-nginx"
fuzz_run "$OUT/fuzz-nginx" 8192 "$ROOT/Tests/Fixtures/nginx"
