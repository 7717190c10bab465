#!/bin/sh
# libFuzzer harness of the Apache reader and simulator (configuration, .htaccess, the request walk).
# Usage: Fuzz/apache/run.sh [SECONDS | --replay]   (see Fuzz/common.sh)
# The module sources are copied into one temporary module (imports of the package's own modules
# dropped); nothing is written into the checkout but the saved corpus and findings.
. "$(dirname "$0")/../common.sh"
fuzz_init apache "${1:-}"
fuzz_httptypes
rm -rf "$OUT/src" && mkdir -p "$OUT/src"
for f in $(find "$ROOT/Sources/Why403Core" "$ROOT/Sources/Why403FileSystem" "$ROOT/Sources/Why403PCRE2" "$ROOT/Sources/Why403Apache" -name '*.swift'); do
  sed -e '/^import Why403/d' "$f" > "$OUT/src/$(echo "$f" | tr '/' '_')"
done
# Htpasswd verification is not exercised by the fuzzer: a stand-in with the same API.
cat > "$OUT/src/HtpasswdStub.swift" <<'SWIFT'
public struct HtpasswdFile: Sendable {
    public var path: String
    public init(path: String, contents: String) throws { self.path = path }
    public enum Result: Sendable, Equatable { case match(line: Int), mismatch(line: Int), unknownUser, unsupported(format: String, line: Int) }
    public func verify(user: String, password: String) -> Result { .unknownUser }
}
SWIFT
# Nor is ModSecurity (the engine is a C++ library opened at run time; its rules are not the simulator's):
# a stand-in with the API the simulator calls, whose session never opens.
cat > "$OUT/src/ModSecurityStub.swift" <<'SWIFT'
public enum ModSecurityEngine { public enum Part: Sendable, Equatable { case file(String); case text(String, origin: String) } }
public enum RuleSource: Sendable { case configuration([ModSecurityEngine.Part], name: String) }
public enum ModSecurityAnalyzer {
    public final class Session {
        public init(rules: RuleSource, libraryPath: String? = nil, readFile: @escaping @Sendable (String) -> String? = { _ in nil }) throws {
            throw InputError(file: nil, message: "libmodsecurity is not part of the fuzz harness", help: "apt-get install libmodsecurity3")
        }
        public func report(for request: Request) -> Report { Report(subject: Subject(kind: "apache"), verdict: .notDenied) }
    }
}
SWIFT
swiftc $FLAGS -swift-version 6 -module-name fuzz -I "$OUT" -L "$OUT" -lHTTPTypes "$OUT"/src/*.swift \
  "$ROOT/Fuzz/apache/FuzzApacheParser.swift" -o "$OUT/fuzz-apache"
mkdir -p "$OUT/seeds"
printf '<VirtualHost *:80>\nServerName a.test\n<Directory /var/www>\nAllowOverride All\nRequire ip 10.0.0.0/8\n</Directory>\n</VirtualHost>\nInclude /c/inc/*.conf\n' > "$OUT/seeds/seed.conf"
find "$ROOT/Tests/Fixtures/audit" -name '*.conf' -path '*apache*' -exec cp {} "$OUT/seeds/" \; 2>/dev/null || true
fuzz_run "$OUT/fuzz-apache" 4096 "$OUT/seeds"
