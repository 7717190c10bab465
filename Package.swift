// swift-tools-version:6.0
import PackageDescription
import Foundation

// One shared settings list for every target.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let asyncHTTPClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let nio: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1: Target.Dependency = .product(name: "NIOHTTP1", package: "swift-nio")
let jwtKit: Target.Dependency = .product(name: "JWTKit", package: "jwt-kit")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")

/// Every module of why403, in dependency order. `group` names the development slice it belongs to
/// (see `WHY403_ONLY` below).
struct Module {
    var name: String
    var deps: [Target.Dependency]
    var group: String
    var kind: Kind = .library
    var resources: [Resource]? = nil
    var linkerSettings: [LinkerSetting]? = nil
    var swiftSettings: [SwiftSetting] = []
    enum Kind { case library, executable, test, system, c }
}

let modules: [Module] = [
    // Libraries
    Module(name: "Why403Core", deps: [httpTypes], group: "core"),
    Module(name: "Why403Render", deps: ["Why403Core"], group: "core"),
    Module(name: "Why403FileSystem", deps: ["Why403Core"], group: "core"),
    Module(name: "Why403Spawn", deps: [], group: "core"),
    Module(name: "Why403Htpasswd", deps: ["Why403Core", crypto], group: "htpasswd"),
    Module(name: "Why403Response", deps: ["Why403Core", "CZlib"], group: "response"),
    Module(name: "Why403Token", deps: ["Why403Core", jwtKit, crypto], group: "token"),
    Module(name: "Why403Probe", deps: ["Why403Core", "Why403Response", "Why403Token", asyncHTTPClient, nio, nioHTTP1],
           group: "probe"),
    // libpcre2-8, the servers' own regex engine, opened with dlopen (never linked).
    Module(name: "Why403PCRE2", deps: [], group: "core"),
    Module(name: "Why403Nginx", deps: ["Why403Core", "Why403FileSystem", "Why403Htpasswd", "Why403ModSecurity", "Why403PCRE2"], group: "nginx"),
    Module(name: "Why403Apache", deps: ["Why403Core", "Why403FileSystem", "Why403Htpasswd", "Why403ModSecurity", "Why403PCRE2"], group: "apache"),
    Module(name: "Why403S3", deps: ["Why403Core"], group: "s3"),
    Module(name: "Why403AWSWAF", deps: ["Why403Core", "Why403ModSecurity", "Why403Replay"], group: "awswaf"),
    Module(name: "Why403Cloudflare", deps: ["Why403Core"], group: "cloudflare"),
    Module(name: "CZlib", deps: [], group: "core", kind: .system),
    // libmodsecurity 3's C API as function-pointer types: the library is opened with dlopen, never linked.
    Module(name: "CModSecurity", deps: [], group: "modsecurity", kind: .c),
    // --replay: the requests of a HAR file or an access log, for the edge commands.
    Module(name: "Why403Replay", deps: ["Why403Core"], group: "core"),
    Module(name: "Why403ModSecurity", deps: ["Why403Core", "Why403Replay", "CModSecurity"], group: "modsecurity"),
    // The log scanner's fused needle search and line count (AVX2/SSE2; see its scan.c for why C).
    Module(name: "CWhy403Scan", deps: [], group: "logs", kind: .c),
    // The log scanner's inner loop spends ~15% in runtime exclusivity checks of its aggregator (sampled in
    // a release build); they are compile-time-proven elsewhere, so the dynamic check is off for this module.
    Module(name: "Why403Logs", deps: ["Why403Core", "CZlib", "CWhy403Scan"], group: "logs",
           swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
    Module(name: "Why403Diagnose", deps: ["Why403Core", "Why403Probe", "Why403Nginx", "Why403Apache",
                                          "Why403FileSystem", "Why403Logs"], group: "app"),
    Module(name: "Why403Lab", deps: ["Why403Core", "Why403Render", "Why403Spawn", "Why403Diagnose", "Why403Probe", "Why403Nginx", "Why403Apache",
                                     "Why403Token", "Why403S3", "Why403Response", "Why403ModSecurity", "Why403Logs",
                                     "Why403Cloudflare", "Why403AWSWAF"], group: "app"),
    // The umbrella library: every analyser and the report model behind one import (docs/library.md).
    Module(name: "Why403", deps: ["Why403Core", "Why403Render", "Why403FileSystem", "Why403Response", "Why403Token",
                                  "Why403Probe", "Why403Nginx", "Why403Apache", "Why403S3", "Why403AWSWAF", "Why403Cloudflare", "Why403Logs", "Why403Diagnose", "Why403ModSecurity"],
           group: "app"),
    Module(name: "Why403TestSupport", deps: ["Why403Core", "Why403Render", "Why403Spawn"], group: "core"),
    Module(name: "why403", deps: ["Why403Core", "Why403Render", "Why403FileSystem", "Why403Response", "Why403Probe",
                                  "Why403Token", "Why403Nginx", "Why403Apache", "Why403S3", "Why403AWSWAF", "Why403Cloudflare", "Why403Logs",
                                  "Why403Diagnose", "Why403Lab", "Why403ModSecurity", "Why403Replay", argumentParser],
           group: "app", kind: .executable,
           // The toolchain's static-stdlib link line exports every symbol (-export-dynamic): 43,600 dynamic
           // symbols that the Swift runtime's start-up dladdr walks one by one. Nothing dlopen'ed needs them
           // (libmodsecurity resolves nothing in the executable), so the release binary exports only what the
           // linker must: about half a millisecond off every run (docs/logs.md, session 21).
           linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release))]),
    // Tests
    Module(name: "Why403CoreTests", deps: ["Why403Core", "Why403Render", "Why403TestSupport"], group: "core", kind: .test),
    Module(name: "Why403FileSystemTests", deps: ["Why403FileSystem", "Why403TestSupport"], group: "core", kind: .test),
    Module(name: "Why403HtpasswdTests", deps: ["Why403Htpasswd", "Why403TestSupport"], group: "htpasswd", kind: .test),
    Module(name: "Why403ResponseTests", deps: ["Why403Response", "Why403TestSupport"], group: "response", kind: .test),
    Module(name: "Why403TokenTests", deps: ["Why403Token", "Why403TestSupport"], group: "token", kind: .test),
    Module(name: "Why403ProbeTests", deps: ["Why403Probe", "Why403TestSupport", nio, nioPosix, nioHTTP1],
           group: "probe", kind: .test),
    Module(name: "Why403NginxTests", deps: ["Why403Nginx", "Why403TestSupport"], group: "nginx", kind: .test),
    Module(name: "Why403ApacheTests", deps: ["Why403Apache", "Why403TestSupport"], group: "apache", kind: .test),
    Module(name: "Why403S3Tests", deps: ["Why403S3", "Why403TestSupport"], group: "s3", kind: .test),
    Module(name: "Why403ModSecurityTests", deps: ["Why403ModSecurity", "Why403TestSupport"], group: "modsecurity", kind: .test),
    Module(name: "Why403AWSWAFTests", deps: ["Why403AWSWAF", "Why403TestSupport"], group: "awswaf", kind: .test),
    Module(name: "Why403CloudflareTests", deps: ["Why403Cloudflare", "Why403TestSupport"], group: "cloudflare", kind: .test),
    Module(name: "Why403LogsTests", deps: ["Why403Logs", "Why403Render", "CWhy403Scan", "Why403TestSupport"], group: "logs", kind: .test),
    Module(name: "CLITests", deps: ["Why403", "Why403TestSupport", "Why403Lab"], group: "app", kind: .test),
]

// Development slices. The full package (the default, and what CI builds) has every module. On this
// 2-core machine several people work at once, so `WHY403_ONLY=nginx,apache swift test --scratch-path
// .build-nginx` builds only the core group plus the named groups and whatever they need: one layer
// is built and tested without compiling the HTTP client stack or another layer's half-finished edit.
let groupDeps: [String: [String]] = [
    "probe": ["response", "token"], "nginx": ["htpasswd", "modsecurity"], "apache": ["htpasswd", "modsecurity"], "awswaf": ["modsecurity"],
    "app": ["response", "token", "probe", "nginx", "apache", "s3", "cloudflare", "logs", "htpasswd", "modsecurity", "awswaf"],
]
var selected: Set<String>? = nil
if let only = ProcessInfo.processInfo.environment["WHY403_ONLY"], !only.isEmpty {
    var set: Set<String> = ["core"]
    var queue = only.split(separator: ",").map(String.init)
    while let g = queue.popLast() { if set.insert(g).inserted { queue += groupDeps[g] ?? [] } }
    selected = set
}
let active = modules.filter { selected?.contains($0.group) ?? true }

let targets: [Target] = active.map { m in
    switch m.kind {
    case .library:
        return .target(name: m.name, dependencies: m.deps, resources: m.resources, swiftSettings: settings + m.swiftSettings,
                       linkerSettings: m.linkerSettings)
    case .executable:
        return .executableTarget(name: m.name, dependencies: m.deps, swiftSettings: settings, linkerSettings: m.linkerSettings)
    case .test:
        return .testTarget(name: m.name, dependencies: m.deps, swiftSettings: settings)
    case .system:
        return .systemLibrary(name: m.name)
    case .c:
        return .target(name: m.name, dependencies: m.deps, cSettings: [.unsafeFlags(["-O3"])])
    }
}

let activeNames = Set(active.map(\.name))
var products: [Product] = []
if activeNames.contains("why403") { products.append(.executable(name: "why403", targets: ["why403"])) }
if activeNames.contains("Why403") { products.append(.library(name: "Why403", targets: ["Why403"])) }

let package = Package(
    name: "why403",
    platforms: [.macOS(.v13)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: targets
)
