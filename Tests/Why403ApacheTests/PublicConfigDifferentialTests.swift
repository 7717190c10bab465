import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// Issue 14, part 3: configurations a well-known project publishes, served by the real httpd as
/// published (`Tests/Fixtures/public/`, see its SOURCE.md), with requests that exercise their
/// protections (dotfiles, backups, configuration files, directory listings); why403 must agree on
/// status and cause.
final class PublicConfigDifferentialTests: XCTestCase {
    static func fixture(_ name: String) throws -> String { try Fixtures.string("public/" + name) }

    /// Requests for the file-access protections h5bp publishes.
    static func h5bpRequests(first ip: Int, dotfilesBlocked: Bool) -> [DiffRequest] {
        var n = ip - 1
        func next() -> Int { n += 1; return n }
        let dot: Cause = dotfilesBlocked ? .accessDeny : .none
        return [
            DiffRequest(path: "/index.html", ip: next(), cause: .none),
            DiffRequest(path: "/", ip: next(), cause: .none),
            DiffRequest(path: "/.git/config", ip: next(), cause: dot),
            DiffRequest(path: "/.git/", ip: next(), cause: dotfilesBlocked ? .accessDeny : .indexMissing),
            DiffRequest(path: "/.env", ip: next(), cause: dot),
            DiffRequest(path: "/.missing", ip: next(), cause: .none),
            DiffRequest(path: "/.well-known/security.txt", ip: next(), cause: .none),
            DiffRequest(path: "/backup.sql", ip: next(), cause: .accessDeny),
            DiffRequest(path: "/index.html~", ip: next(), cause: .accessDeny),
            DiffRequest(path: "/wp-config.php.bak", ip: next(), cause: .accessDeny),
            DiffRequest(path: "/site.conf", ip: next(), cause: .accessDeny),
            DiffRequest(path: "/deploy.sh", ip: next(), cause: .accessDeny),
            DiffRequest(path: "/debug.log", ip: next(), cause: .accessDeny),
            DiffRequest(path: "/vendor/", ip: next(), cause: .indexMissing),
            DiffRequest(path: "/vendor/lib.js", ip: next(), cause: .none),
            DiffRequest(path: "/notes.txt", ip: next(), cause: .none),
        ]
    }

    static let h5bpFiles: [String: String] = [
        "www/index.html": "i", "www/.git/config": "[core]", "www/.git/HEAD": "ref", "www/.env": "SECRET=1",
        "www/.well-known/security.txt": "Contact: x", "www/backup.sql": "s", "www/index.html~": "i",
        "www/wp-config.php.bak": "b", "www/site.conf": "c", "www/deploy.sh": "d", "www/debug.log": "l",
        "www/vendor/lib.js": "j", "www/notes.txt": "n",
    ]

    /// A Grav site's layout (user content, vendor code, backups, repository metadata).
    static let gravFiles: [String: String] = [
        "www/index.php": "<?php // front controller", "www/.git/config": "[core]", "www/.env": "SECRET=1",
        "www/.well-known/x.txt": "x", "www/user/config/site.yaml": "title: x", "www/user/accounts/admin.yaml": "pw: x",
        "www/user/pages/01.home/default.md": "# home", "www/user/pages/a.jpg": "jpg", "www/vendor/lib/README.md": "r",
        "www/vendor/lib/x.js": "js", "www/system/x.php": "<?php", "www/composer.json": "{}", "www/LICENSE.txt": "MIT",
        "www/backup/db.zip": "zip", "www/images/a.png": "png",
    ]

    static func scenarios() throws -> [DiffScenario] {
        let fileAccess = Fixtures.url("public/h5bp-server-configs-apache/file_access.conf").path
        var htaccessFiles = h5bpFiles
        htaccessFiles["www/.htaccess"] = try fixture("h5bp-server-configs-apache/dist.htaccess")
        return [
            // h5bp's dist/.htaccess (all of it) in the document root, AllowOverride All.
            DiffScenario(name: "h5bp-dist-htaccess", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride All
                    Require all granted
                </Directory>
                """,
                         files: htaccessFiles,
                         requests: h5bpRequests(first: 2, dotfilesBlocked: true) + [
                            DiffRequest(path: "/", ip: 30, cause: .none, host: "www.example.test"),
                         ]),
            // Grav CMS's .htaccess (front controller, then its security rules), AllowOverride All.
            DiffScenario(name: "grav-htaccess", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride All
                    Require all granted
                </Directory>
                """,
                         files: gravFiles.merging(["www/.htaccess": try fixture("grav/htaccess")]) { a, _ in a },
                         requests: [
                            DiffRequest(path: "/", ip: 60, cause: .none),
                            DiffRequest(path: "/index.php", ip: 61, cause: .none),
                            DiffRequest(path: "/.git/config", ip: 62, cause: .accessDeny),
                            DiffRequest(path: "/.env", ip: 63, cause: .accessDeny),
                            DiffRequest(path: "/.well-known/x.txt", ip: 64, cause: .none),
                            DiffRequest(path: "/user/config/site.yaml", ip: 65, cause: .accessDeny),
                            DiffRequest(path: "/user/accounts/admin.yaml", ip: 66, cause: .accessDeny),
                            DiffRequest(path: "/user/pages/01.home/default.md", ip: 67, cause: .accessDeny),
                            DiffRequest(path: "/user/pages/a.jpg", ip: 68, cause: .none),
                            DiffRequest(path: "/vendor/lib/README.md", ip: 69, cause: .accessDeny),
                            DiffRequest(path: "/vendor/lib/x.js", ip: 70, cause: .none),
                            DiffRequest(path: "/system/x.php", ip: 71, cause: .accessDeny),
                            DiffRequest(path: "/composer.json", ip: 72, cause: .accessDeny),
                            DiffRequest(path: "/LICENSE.txt", ip: 73, cause: .accessDeny),
                            DiffRequest(path: "/backup/db.zip", ip: 74, cause: .accessDeny),
                            DiffRequest(path: "/BACKUP/db.zip", ip: 75, cause: .none),
                            DiffRequest(path: "/missing/page", ip: 76, cause: .none),
                            DiffRequest(path: "/images/a.png", ip: 77, cause: .none),
                            DiffRequest(path: "/?x=base64_encode(abc)", ip: 78, cause: .accessDeny),
                            DiffRequest(path: "/images/a.png?_REQUEST=1", ip: 79, cause: .accessDeny),
                         ]),
            // h5bp's security/file_access.conf included in the virtual host, as its vhost templates do
            // (h5bp/basic.conf), with the <Directory> that grants the document root.
            DiffScenario(name: "h5bp-file-access-vhost", conf: """
                <VirtualHost *:*>
                    ServerName localhost
                    Include "\(fileAccess)"
                    <Directory "{ROOT}/www">
                        Require all granted
                    </Directory>
                </VirtualHost>
                """,
                         files: h5bpFiles,
                         requests: h5bpRequests(first: 40, dotfilesBlocked: false)),
        ]
    }

    func testPublicConfigsAgainstRealApache() throws {
        let run = try ApacheHarness.runAll(try Self.scenarios(), label: "apache public configurations")
        if !run.filtered { XCTAssertGreaterThanOrEqual(run.requests, 50) }
    }
}
