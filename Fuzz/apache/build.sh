#!/bin/sh
# Builds and runs the libFuzzer harness for the Apache reader:
#   Fuzz/apache/build.sh [seconds]       (default 60; corpus in /tmp/why403-fuzz-apache)
# The module sources are copied into one temporary module (imports of the package's own modules
# dropped) because SwiftPM does not build fuzzer targets; nothing is written into the checkout.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/why403-fuzz-apache-build.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for f in "$ROOT"/Sources/Why403Core/*.swift "$ROOT"/Sources/Why403FileSystem/*.swift $(find "$ROOT/Sources/Why403Apache" -name '*.swift'); do
  sed -e '/^import Why403/d' "$f" > "$WORK/$(echo "$f" | tr '/' '_')"
done
# Htpasswd verification is not exercised by the fuzzer: a stand-in with the same API.
cat > "$WORK/HtpasswdStub.swift" <<'SWIFT'
public struct HtpasswdFile: Sendable {
    public var path: String
    public init(path: String, contents: String) throws { self.path = path }
    public enum Result: Sendable, Equatable { case match(line: Int), mismatch(line: Int), unknownUser, unsupported(format: String, line: Int) }
    public func verify(user: String, password: String) -> Result { .unknownUser }
}
SWIFT
cp "$ROOT/Fuzz/apache/FuzzApacheParser.swift" "$WORK/"
swiftc -parse-as-library -sanitize=fuzzer,address -O -swift-version 6 -module-name fuzz "$WORK"/*.swift -o "$WORK/fuzz-apache"
mkdir -p /tmp/why403-fuzz-apache
cp "$ROOT"/Tests/Fixtures/apache/*.conf /tmp/why403-fuzz-apache/ 2>/dev/null || true
printf '<VirtualHost *:80>\nServerName a.test\n<Directory /var/www>\nAllowOverride All\nRequire ip 10.0.0.0/8\n</Directory>\n</VirtualHost>\nInclude /c/inc/*.conf\n' > /tmp/why403-fuzz-apache/seed.conf
cd "$WORK" && "$WORK/fuzz-apache" -artifact_prefix=/tmp/why403-fuzz-apache- -max_total_time="${1:-60}" -max_len=4096 /tmp/why403-fuzz-apache
