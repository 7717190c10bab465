#!/usr/bin/env bash
# Release build: one binary that runs on a Linux server without Swift, and a Debian package of it.
#
#   scripts/release.sh            # builds into .build-release, writes dist/
#
# dist/ afterwards (VERSION is Why403Version.current in Sources/Why403Core/Report.swift, read back
# from the built binary's --version; ARCH is uname -m, DEBARCH dpkg's name for it):
#   why403-VERSION-linux-ARCH          the binary, Swift stdlib and Foundation linked in, stripped
#   why403-VERSION-linux-ARCH.sha256   its checksum (sha256sum -c why403-VERSION-linux-ARCH.sha256)
#   why403_VERSION_DEBARCH.deb         /usr/bin/why403, bash/zsh/fish completions, man page why403(1)
#   why403_VERSION_DEBARCH.deb.sha256
# The release process (and what each check proves) is in docs/release.md.
#
# Environment: WHY403_SCRATCH (default .build-release), the SwiftPM build folder; it is reused, so a
# second run only relinks what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "release.sh: error: $*" >&2; exit 1; }

for tool in swift strip sha256sum gzip dpkg-deb dpkg-shlibdeps dpkg objdump; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (swift: the toolchain; strip, objdump: binutils; dpkg-shlibdeps: dpkg-dev)"
done

scratch="${WHY403_SCRATCH:-.build-release}"
dist=dist
build=(swift build -c release --static-swift-stdlib --product why403 --scratch-path "$scratch")

# 1. The binary. --static-swift-stdlib links the Swift runtime, Foundation (with its ICU data) and
#    Dispatch into the executable; glibc, libstdc++, libgcc_s and zlib stay shared system libraries.
#    (The fully static musl build needs the Static Linux SDK, which is not installed here: see
#    docs/release.md.)
echo "release.sh: ${build[*]}" >&2
"${build[@]}"
built="$("${build[@]}" --show-bin-path)/why403"
[[ -x "$built" ]] || die "the build did not produce $built"

# The toolchain's libraries must not be needed: no libswift*/libFoundation*/libdispatch/libBlocksRuntime
# in NEEDED. (scripts/test-no-swift.sh proves it by running the binary with the toolchain hidden.)
needed="$(objdump -p "$built" | awk '$1 == "NEEDED" { print $2 }')"
if grep -E '^lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime)' <<<"$needed" >/dev/null; then
    die "$built still needs the toolchain's libraries:"$'\n'"$needed"
fi

# Package.swift links the release executable with --no-export-dynamic: the Swift runtime's start-up dladdr
# walks every exported symbol (43,600 with the toolchain's -export-dynamic; about 550 without).
exported="$(objdump -T "$built" | grep -c . || true)"
(( exported < 5000 )) || die "$built exports $exported dynamic symbols: is Package.swift's --no-export-dynamic gone?"

# 2. The version: one place in the source (Why403Version.current), read back from the binary.
version="$("$built" --version)"
[[ "$version" =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || die "'$built --version' printed '$version', not a version"

arch="$(uname -m)"
debarch="$(dpkg --print-architecture)"
name="why403-$version-linux-$arch"
deb="why403_${version}_${debarch}.deb"
mkdir -p "$dist"
rm -f "$dist/$name" "$dist/$name.sha256" "$dist/$deb" "$dist/$deb.sha256"

# 3. Stripped (the symbol tables are most of the file; backtraces lose function names, nothing else).
strip --strip-all -o "$dist/$name" "$built"
chmod 0755 "$dist/$name"
(cd "$dist" && sha256sum "$name" >"$name.sha256")
bin="$dist/$name"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 4. The man page: argument-parser's manual generator (the tool behind its generate-manual plugin; the
#    plugin itself would rebuild the whole package in a dynamic release configuration), built from the
#    checkout SwiftPM already has, run on the stripped binary.
ap="$scratch/checkouts/swift-argument-parser"
[[ -f "$ap/Package.swift" ]] || die "no swift-argument-parser checkout in $ap"
tools=(swift build -c release --package-path "$ap" --scratch-path "$scratch/tools" --product generate-manual)
echo "release.sh: ${tools[*]}" >&2
"${tools[@]}"
genman="$("${tools[@]}" --show-bin-path)/generate-manual"
# Dates: the last commit's, so that the same binary gives the same page and package (dpkg-deb clamps
# the files' times to SOURCE_DATE_EPOCH).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
mandate="$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)"
mkdir "$work/man"
"$genman" "$bin" --date "$mandate" --section 1 --output-directory "$work/man"
[[ -s "$work/man/why403.1" ]] || die "generate-manual wrote no why403.1"

# 5. The Debian package.
root="$work/root"
install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" \
    "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d" "$root/usr/share/doc/why403"
install -m 0755 "$bin" "$root/usr/bin/why403"
"$bin" --generate-completion-script bash >"$root/usr/share/bash-completion/completions/why403"
"$bin" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_why403"
"$bin" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/why403.fish"
for f in "$root/usr/share/bash-completion/completions/why403" "$root/usr/share/zsh/vendor-completions/_why403" \
         "$root/usr/share/fish/vendor_completions.d/why403.fish"; do
    [[ -s "$f" ]] || die "the completion script $f is empty"
    chmod 0644 "$f"
done
gzip -9n <"$work/man/why403.1" >"$root/usr/share/man/man1/why403.1.gz"
chmod 0644 "$root/usr/share/man/man1/why403.1.gz"
install -m 0644 README.md "$root/usr/share/doc/why403/README.md"

# Depends: what the binary links, with the versions dpkg-shlibdeps reads off the symbols it uses.
mkdir "$work/shlibs" "$work/shlibs/debian"
printf 'Source: why403\n\nPackage: why403\nArchitecture: any\n' >"$work/shlibs/debian/control"
(cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/why403" >"$work/shlibs.out" 2>"$work/shlibs.err") \
    || die "dpkg-shlibdeps failed: $(cat "$work/shlibs.err")"
depends="$(sed -n 's/^shlibs:Depends=//p' "$work/shlibs.out")"
[[ -n "$depends" ]] || die "dpkg-shlibdeps found no dependencies for the binary"
installed_size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat >"$root/DEBIAN/control" <<CONTROL
Package: why403
Version: $version
Architecture: $debarch
Maintainer: why403 developers <why403@users.noreply.invalid>
Installed-Size: $installed_size
Depends: $depends
Recommends: libmodsecurity3
Section: web
Priority: optional
Description: explains why an HTTP request is refused (403)
 why403 tells which layer refused a request (CDN, WAF, cloud storage, nginx,
 Apache, the filesystem, the application's token checks), which rule, file,
 line or log entry proves it, and the fix. It only reads: fixes are printed,
 never applied. nginx, apache, fs, logs, audit and diagnose read this
 machine's configuration and files; probe and response explain a response.
CONTROL
find "$root" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$dist/$deb" >/dev/null
(cd "$dist" && sha256sum "$deb" >"$deb.sha256")

echo "release.sh: version $version" >&2
echo "release.sh: Depends: $depends" >&2
ls -l "$dist/$name" "$dist/$name.sha256" "$dist/$deb" "$dist/$deb.sha256" >&2
