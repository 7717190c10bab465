#!/usr/bin/env bash
# Proof that the release binary runs where there is no Swift: it is run in a private mount namespace
# where the toolchain's directory is an empty directory, with no LD_LIBRARY_PATH.
#
#   scripts/test-no-swift.sh            # runs scripts/release.sh first, then tests dist/'s binary
#   scripts/test-no-swift.sh BINARY     # tests BINARY (no build)
#
# Needs root (unshare -m, mount --bind), util-linux and the Swift toolchain (to find where its
# libraries live, and to build the control). Without them it skips, except under CI=true, where a
# missing prerequisite fails. Any check that fails makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

unmet() {
    if [[ "${CI:-}" == true ]]; then echo "test-no-swift: FAIL: $*" >&2; exit 1; fi
    echo "test-no-swift: SKIP: $*" >&2
    exit 0
}

[[ "$(id -u)" == 0 ]] || unmet "needs root (a private mount namespace: unshare -m, mount --bind)"
for tool in unshare mount swiftc ldd; do
    command -v "$tool" >/dev/null || unmet "'$tool' is not installed"
done

if [[ $# -gt 1 ]]; then
    echo "usage: scripts/test-no-swift.sh [BINARY]" >&2; exit 2
elif [[ $# -eq 1 ]]; then
    [[ -f "$1" ]] || { echo "test-no-swift: FAIL: no file $1" >&2; exit 1; }
    bin="$(realpath -e "$1")"
else
    bash scripts/release.sh
    version="$(sed -n 's/^ *public static let current = "\(.*\)".*/\1/p' Sources/Why403Core/Report.swift)"
    [[ -n "$version" ]] || { echo "test-no-swift: FAIL: no Why403Version.current in Sources/Why403Core/Report.swift" >&2; exit 1; }
    bin="$(realpath -e "dist/why403-$version-linux-$(uname -m)")"
fi
[[ -x "$bin" ]] || { echo "test-no-swift: FAIL: $bin is not an executable" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The control: a one-line Swift program linked the default (dynamic) way. It must run here and must
# NOT start in the namespace; otherwise the namespace hides nothing and the test would prove nothing.
echo 'print("control: the Swift runtime was found")' >"$work/control.swift"
swiftc -o "$work/control" "$work/control.swift"
"$work/control" >/dev/null

# Where the toolchain's libraries really are: ldd on the control (e.g. /opt/swift/usr/lib/swift/linux/
# libswiftCore.so). Hidden: the toolchain's root (/opt/swift), or only its lib/swift if the toolchain
# lives in a system prefix such as /usr.
core="$(ldd "$work/control" | awk '$1 ~ /^libswiftCore\.so/ { print $3 }')"
[[ -f "$core" ]] || { echo "test-no-swift: FAIL: ldd does not show where libswiftCore.so is:" >&2; ldd "$work/control" >&2; exit 1; }
libdir="$(dirname "$(realpath "$core")")"
hide="${libdir%/usr/lib/swift/linux}"
case "$hide" in
    "$libdir" | "" | / | /usr | /usr/local | /opt) hide="$(dirname "$libdir")" ;;
esac
echo "test-no-swift: the toolchain's libraries are in $libdir; hiding $hide" >&2

# The white-box inputs: an nginx configuration from the audit fixtures (allow after deny all) and a
# file only its owner may read.
fixture="$(realpath -e Tests/Fixtures/audit/nginx.allow-after-deny-all/allow-after-deny.hit.conf)"
mkdir -p "$work/site"
echo hi >"$work/site/index.html"
chmod 0600 "$work/site/index.html"
chmod 0755 "$work" "$work/site"

# What runs in the namespace (the mount is private to it and goes away with it).
cat >"$work/inner.sh" <<'INNER'
set -uo pipefail
hide="$1" bin="$2" control="$3" fixture="$4" page="$5" version="$6"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
bad() { failed=$((failed + 1)); echo "FAIL  $1"; shift; [[ $# -gt 0 ]] && printf '%s\n' "$@" | sed 's/^/      /'; }
# run NAME EXPECTED_STATUS PATTERN COMMAND...: the command's status and a line of its output.
run() {
    local name="$1" want="$2" pattern="$3"; shift 3
    local out status
    out="$("$@" 2>&1)"; status=$?
    if [[ "$status" != "$want" ]]; then bad "$name: exit status $status, expected $want" "$(head -c 3000 <<<"$out")"
    elif ! grep -Eq -- "$pattern" <<<"$out"; then bad "$name: no line matches /$pattern/" "$(head -c 3000 <<<"$out")"
    else ok "$name"; fi
}

empty="$(mktemp -d)"
mount --bind "$empty" "$hide" || { echo "FAIL  mount --bind $empty $hide"; exit 1; }

# The toolchain is gone.
if [[ -z "$(ls -A "$hide")" ]]; then ok "$hide is empty"; else bad "$hide is not empty"; fi
if ! command -v swift >/dev/null; then ok "no swift on PATH"; else bad "swift is still on PATH: $(command -v swift)"; fi
if ! ldconfig -p | grep -Eq 'lib(swiftCore|Foundation|dispatch)\.so'; then ok "no Swift runtime in the linker cache"
else bad "the linker cache still has the Swift runtime" "$(ldconfig -p | grep -E 'lib(swiftCore|Foundation|dispatch)\.so')"; fi
if [[ -z "${LD_LIBRARY_PATH+x}" ]]; then ok "no LD_LIBRARY_PATH"; else bad "LD_LIBRARY_PATH is set"; fi
# ... and a dynamically linked Swift program cannot start.
out="$("$control" 2>&1)"; status=$?
if [[ "$status" != 0 ]] && grep -Eq 'lib(swift|Foundation|dispatch)[^ ]*\.so' <<<"$out"; then ok "the control (dynamic Swift) cannot start: $out"
else bad "the control started or failed otherwise (status $status): the toolchain is not hidden" "$out"; fi

# The release binary needs nothing that is missing ...
missing="$(ldd "$bin" 2>&1 | grep -E 'not found|swift|Foundation' || true)"
if [[ -z "$missing" ]]; then ok "ldd: every library found, none from the toolchain"; else bad "ldd" "$missing"; fi
# ... and works.
if [[ -n "$version" ]]; then
    run "why403 --version" 0 "^${version//./\\.}\$" "$bin" --version
else
    run "why403 --version" 0 '^[0-9]+\.[0-9]+' "$bin" --version
fi
run "why403 lab --no-servers" 0 '^([0-9]+) of \1 scenarios explained as expected' "$bin" lab --no-servers
run "why403 nginx (white box: allow after deny all)" 0 '^403 from nginx' \
    "$bin" nginx http://localhost:8080/admin/ --config "$fixture" --client-ip 10.1.2.3
run "why403 fs (white box: a file only root may read)" 0 '^403 from the filesystem' \
    "$bin" fs "$page" --user nobody
run "why403 nginx on a missing file: exit 2, the file named" 2 'no-such\.conf' \
    "$bin" nginx http://localhost/ --config /nonexistent/no-such.conf
run "why403 --generate-completion-script bash" 0 'why403' "$bin" --generate-completion-script bash

echo "test-no-swift: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
INNER
unshare --mount --propagation private -- env -u LD_LIBRARY_PATH bash "$work/inner.sh" \
    "$hide" "$bin" "$work/control" "$fixture" "$work/site/index.html" "${version:-}" </dev/null
