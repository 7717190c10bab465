#!/bin/sh
# libFuzzer harness of the ModSecurity readers that take text from outside: the engine's and the error
# log's rule messages (RuleMessage), a rule's text at its line (RuleText), the rule files `logs --modsecurity`
# joins refusals to (ModSecurityRuleCatalogue), and --replay's access-log lines and HAR files (ReplayReader). The engine itself (libmodsecurity) is not fuzzed here.
# Usage: Fuzz/modsecurity/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
. "$(dirname "$0")/../common.sh"
fuzz_init modsecurity "${1:-}"
fuzz_httptypes
swiftc $FLAGS -emit-library -static -emit-module -module-name Why403Core -I "$OUT" \
  -emit-module-path "$OUT/Why403Core.swiftmodule" -o "$OUT/libWhy403Core.a" $(find "$ROOT/Sources/Why403Core" -name '*.swift')
# The readers' files are compiled into the harness itself (RuleMessage and RuleText need no engine; the
# rest of Why403ModSecurity needs libmodsecurity's header module).
swiftc $FLAGS -I "$OUT" -L "$OUT" -lWhy403Core -lHTTPTypes -module-name ModSecurityFuzz \
  "$ROOT/Sources/Why403ModSecurity/Engine/RuleMessage.swift" "$ROOT/Sources/Why403ModSecurity/Engine/RuleText.swift" \
  "$ROOT/Sources/Why403ModSecurity/ModSecurityRuleCatalogue.swift" "$ROOT/Sources/Why403Replay/ReplayReader.swift" "$ROOT/Fuzz/modsecurity/main.swift" -o "$OUT/modsecurity-fuzz"
fuzz_run "$OUT/modsecurity-fuzz" 8192 "$ROOT"/Tests/Fixtures/modsecurity
