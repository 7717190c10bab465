import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Nginx

/// issue 14, part 2: every 403-bypass variant of `BypassTrick.all`, sent to the real nginx (curl
/// `--path-as-is`, so `//`, `/./`, `%2e`, `..;` reach it as written) and simulated by why403, in a few
/// allowlist/denylist configurations: the statuses must agree. This is what `audit --bypass` relies on:
/// how nginx decodes, merges slashes, resolves dot segments, folds (or not) case and picks a server.
final class BypassDifferentialTests: XCTestCase {
    /// The variants of `path` from 127.0.0.`from`, the original first; statuses compared, causes left to the log check.
    static func variants(of path: String, from: Int = 40) throws -> [DiffRequest] {
        let original = try Request(url: "http://127.0.0.1\(path)", clientIP: "127.0.0.\(from)")
        var out = [DiffRequest(path: path, from: from, statusOnly: true)]
        for trick in BypassTrick.all {
            guard let v = try trick.apply(to: original) else { continue }
            out.append(DiffRequest(path: v.target.requestURI, from: from, method: v.method,
                                   headers: v.headerPairs.map { "\($0.name): \($0.value)" }, statusOnly: true))
        }
        return out
    }

    static func site(_ root: String) throws {
        try DifferentialTests.file(root + "/index.html")
        try DifferentialTests.dir(root + "/admin"); try DifferentialTests.file(root + "/admin/index.html")
        try DifferentialTests.file(root + "/admin.json", "{}\n")
    }

    func testPrefixAllowlist() throws {
        let n = try DifferentialHarness.run(.init(name: "bypass-prefix", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location /admin { allow 127.0.0.2; deny all; }
            }
            """, setup: Self.site, requests: try Self.variants(of: "/admin/")))
        XCTAssertGreaterThan(n, 30)
    }

    func testExactMatchDeny() throws {
        try DifferentialHarness.run(.init(name: "bypass-exact", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location = /admin/ { deny all; }
            }
            """, setup: Self.site, requests: try Self.variants(of: "/admin/")))
    }

    func testMethodRefusedWithIf() throws {
        try DifferentialHarness.run(.init(name: "bypass-method", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location /admin/ { if ($request_method = GET) { return 403; } }
            }
            """, setup: Self.site, requests: try Self.variants(of: "/admin/index.html")))
    }

    func testRealIPTrustingEveryone() throws {
        try DifferentialHarness.run(.init(name: "bypass-realip", http: """
            set_real_ip_from 0.0.0.0/0;
            real_ip_header X-Forwarded-For;
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location /admin/ { allow 127.0.0.1; deny all; }
            }
            """, setup: Self.site, requests: try Self.variants(of: "/admin/")))
    }

    func testOtherServerForAnotherHost() throws {
        try DifferentialHarness.run(.init(name: "bypass-host", http: """
            server { listen 127.0.0.1:@PORT@ default_server; server_name shop.test; root @ROOT@;
                location /admin/ { deny all; }
            }
            server { listen 127.0.0.1:@PORT@; server_name localhost; root @ROOT@; }
            """, setup: Self.site, requests: try Self.variants(of: "/admin/")))
    }

    func testCaseInsensitiveRegex() throws {
        try DifferentialHarness.run(.init(name: "bypass-regex", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location ~* ^/admin { deny all; }
            }
            """, setup: Self.site, requests: try Self.variants(of: "/admin")))
    }
}
