import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// issue 14, part 2: every 403-bypass variant of `BypassTrick.all`, sent to the real Apache httpd (curl
/// `--path-as-is`) and simulated by why403, in a few allowlist/denylist configurations: statuses (and the
/// AH code of a refusal) must agree. `audit --bypass` relies on how httpd decodes, merges slashes,
/// resolves dot segments, treats `%2f` (AllowEncodedSlashes) and matches `<Location>`/`<Limit>`.
final class BypassDifferentialTests: XCTestCase {
    static func variants(of path: String, ip: Int) throws -> [DiffRequest] {
        let original = try Request(url: "http://127.0.0.1\(path)", clientIP: "127.0.0.\(ip)")
        var out = [DiffRequest(path: path, ip: ip, cause: .none, statusOnly: true)]
        for trick in BypassTrick.all {
            guard let v = try trick.apply(to: original) else { continue }
            out.append(DiffRequest(path: v.target.requestURI, ip: ip, method: v.method,
                                   headers: v.headerPairs.map { "\($0.name): \($0.value)" }, cause: .none, statusOnly: true))
        }
        return out
    }

    static let files = ["www/index.html": "hi", "www/admin/index.html": "adm", "www/admin.json": "{}"]

    static var scenarios: [DiffScenario] {
        get throws {
            [
                DiffScenario(name: "bypass-location-ip", conf: ApacheDifferentialTests.granted + """
                    <Location /admin>
                        Require ip 127.0.0.2
                    </Location>
                    """, files: files, requests: try variants(of: "/admin/", ip: 41)),
                DiffScenario(name: "bypass-directory-denied", conf: ApacheDifferentialTests.granted + """
                    <Directory "{ROOT}/www/admin">
                        Require all denied
                    </Directory>
                    """, files: files, requests: try variants(of: "/admin/index.html", ip: 42)),
                DiffScenario(name: "bypass-limit-get", conf: ApacheDifferentialTests.granted + """
                    <Directory "{ROOT}/www/admin">
                        <Limit GET>
                            Require all denied
                        </Limit>
                    </Directory>
                    """, files: files, requests: try variants(of: "/admin/index.html", ip: 43)),
                DiffScenario(name: "bypass-locationmatch-exact", conf: ApacheDifferentialTests.granted + """
                    <LocationMatch "^/admin/$">
                        Require all denied
                    </LocationMatch>
                    """, files: files, requests: try variants(of: "/admin/", ip: 44)),
            ]
        }
    }

    func testEveryVariantAgainstRealApache() throws {
        let run = try ApacheHarness.runAll(try Self.scenarios, label: "apache bypass differential")
        if !run.filtered { XCTAssertGreaterThan(run.requests, 120) }
    }
}
