#!/usr/bin/env bash
# Release step (not run by CI): install the .deb into a minimal Debian root made with debootstrap, where
# there is no Swift and nothing but Debian's minbase, and run why403 there.
#
#   scripts/test-debootstrap.sh [DEB]     # default: dist/why403_VERSION_ARCH.deb (scripts/release.sh)
#
# Needs root, network access to a Debian mirror and debootstrap (installed with apt-get if missing).
# Environment: WHY403_SUITE (default: this machine's Debian release), WHY403_DEBIAN_MIRROR (default:
# the first Debian mirror in this machine's apt sources), WHY403_DEBOOTSTRAP_CACHE (default
# /var/cache/why403-debootstrap: downloaded packages, kept between runs). The root is made anew in a
# temporary directory on each run and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "test-debootstrap: error: $*" >&2; exit 1; }

[[ "$(id -u)" == 0 ]] || die "needs root (debootstrap, chroot)"
if ! command -v debootstrap >/dev/null; then
    echo "test-debootstrap: installing debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null || die "could not install debootstrap"
fi
for tool in unshare chroot dpkg-deb; do command -v "$tool" >/dev/null || die "'$tool' is not installed"; done

if [[ $# -gt 1 ]]; then
    echo "usage: scripts/test-debootstrap.sh [DEB]" >&2; exit 2
elif [[ $# -eq 1 ]]; then
    [[ -f "$1" ]] || die "no file $1"
    deb="$(realpath -e "$1")"
else
    version="$(sed -n 's/^ *public static let current = "\(.*\)".*/\1/p' Sources/Why403Core/Report.swift)"
    deb="dist/why403_${version}_$(dpkg --print-architecture).deb"
    [[ -f "$deb" ]] || die "no $deb: run scripts/release.sh first"
    deb="$(realpath "$deb")"
fi
dpkg-deb --info "$deb" >/dev/null || die "$deb is not a Debian package"

suite="${WHY403_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-}")}"
[[ -n "$suite" ]] || die "no Debian release name in /etc/os-release: set WHY403_SUITE"
mirror="${WHY403_DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
    mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" && $2 ~ /\/debian\/?$/ { print $2; exit }')"
fi
if [[ -z "$mirror" ]]; then
    mirror="$(cat /etc/apt/sources.list 2>/dev/null | awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }')"
fi
[[ -n "$mirror" ]] || die "no Debian mirror in this machine's apt sources: set WHY403_DEBIAN_MIRROR"
cache="${WHY403_DEBOOTSTRAP_CACHE:-/var/cache/why403-debootstrap}"
mkdir -p "$cache"

root="$(mktemp -d /var/tmp/why403-debootstrap.XXXXXX)"
trap 'rm -rf --one-file-system "$root"' EXIT
chmod 0755 "$root"   # it is the root's /: mktemp made it 0700, which www-data could not search

echo "\$ debootstrap --variant=minbase $suite ROOT (mirror from this machine's apt sources)"
debootstrap --variant=minbase --cache-dir="$cache" "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; rm -f "$root.log"; die "debootstrap failed"; }
rm -f "$root.log"
cp "$deb" "$root/tmp/"
mkdir -p "$root/srv/www"
cp Tests/Fixtures/audit/nginx.allow-after-deny-all/allow-after-deny.hit.conf "$root/srv/nginx.conf"

# Everything in the root runs in a private mount namespace (its /proc goes away with it), with a clean
# environment.
cat >"$root/tmp/steps.sh" <<'STEPS'
set -euo pipefail
step() { echo; echo "\$ $1"; eval "$1"; }
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
step '. /etc/os-release && echo "$PRETTY_NAME"'
step 'test -e /opt/swift && echo "/opt/swift exists" || echo "no /opt/swift"; command -v swift || echo "no swift on PATH"'
step 'find / -xdev \( -name "libswift*" -o -name "libFoundation*" -o -name "libicu*" \) | wc -l'
step 'dpkg -i /tmp/DEB'
step "dpkg -s why403 | grep -E '^(Version|Depends|Recommends):'"
step 'for f in $(dpkg -L why403); do if [ -f "$f" ]; then echo "$f"; fi; done'
step 'ldd /usr/bin/why403'
step 'why403 --version'
step 'why403 lab --no-servers'
step 'why403 nginx http://localhost:8080/admin/ --config /srv/nginx.conf --client-ip 10.1.2.3'
step 'echo hi >/srv/www/index.html && chmod 600 /srv/www/index.html && why403 fs /srv/www/index.html --user www-data'
echo; echo "test-debootstrap: why403 installed and ran in a minimal Debian root"
STEPS
sed -i "s|/tmp/DEB|/tmp/$(basename "$deb")|" "$root/tmp/steps.sh"

unshare --mount --propagation private -- sh -c \
    'mount -t proc proc "$1/proc" && exec chroot "$1" /usr/bin/env -i /bin/bash /tmp/steps.sh' sh "$root" </dev/null
