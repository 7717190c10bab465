import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Nginx

/// Issue 14, part 3: where the nginx simulator's coverage was thin, against the real nginx (same
/// harness as `DifferentialTests`): directories requested without their trailing slash when the worker
/// cannot open them, `disable_symlinks` with a link in the middle of the path, `try_files` over
/// directories the worker cannot search, and h5bp's published file-access recipe.
final class EdgeDifferentialTests: XCTestCase {
    typealias R = DiffRequest
    static func file(_ p: String, mode: Int = 0o644) throws { try DifferentialTests.file(p, mode: mode) }
    static func dir(_ p: String, mode: Int = 0o755) throws { try DifferentialTests.dir(p, mode: mode) }

    func testDirectoryWithoutSlashThatCannotBeOpened() throws {
        try DifferentialHarness.run(.init(name: "noslash-closed", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location /list/ { autoindex on; }
                location /strict/ { disable_symlinks on; }
            }
            """, setup: { r in
                try Self.dir(r + "/closed", mode: 0o700); try Self.file(r + "/closed/index.html")
                try Self.dir(r + "/zero", mode: 0o000)
                try Self.dir(r + "/nosearch", mode: 0o744); try Self.dir(r + "/nosearch/inner"); try Self.file(r + "/nosearch/inner/index.html")
                try Self.dir(r + "/list"); try Self.dir(r + "/list/closed", mode: 0o700)
                try Self.dir(r + "/strict"); try Self.dir(r + "/strict/closed", mode: 0o700); try Self.file(r + "/strict/closed/index.html")
                try Self.dir(r + "/strict/zero", mode: 0o000)
                try Self.dir(r + "/xonly", mode: 0o711); try Self.file(r + "/xonly/index.html")
            }, requests: [
                R(path: "/xonly", cause: .fsPermission), R(path: "/xonly/"),
                // The static module opens the directory before redirecting to the slash: unreadable is 403.
                R(path: "/closed", cause: .fsPermission), R(path: "/closed/", cause: .fsPermission), R(path: "/zero", cause: .fsPermission),
                R(path: "/zero/", cause: .fsPermission),
                R(path: "/nosearch"), R(path: "/nosearch/inner", cause: .fsPermission), R(path: "/nosearch/inner/", cause: .fsPermission),
                R(path: "/list/closed", cause: .fsPermission), R(path: "/list/closed/", cause: .fsPermission),
                R(path: "/strict/closed", cause: .fsPermission), R(path: "/strict/closed/", cause: .fsPermission),
                R(path: "/strict/zero", cause: .fsPermission),
            ]))
    }

    func testDisableSymlinksWithALinkInTheMiddle() throws {
        try DifferentialHarness.run(.init(name: "symlinks-middle", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location /on/ { disable_symlinks on; }
                location /owner/ { disable_symlinks if_not_owner; }
                location /lnk/ { disable_symlinks on; }
                location /from/ { disable_symlinks on from=@ROOT@/from; }
            }
            """, setup: { r in
                try Self.dir(r + "/on/real/deep"); try Self.file(r + "/on/real/f.txt"); try Self.file(r + "/on/real/deep/g.txt")
                try DifferentialHarness.sh("ln -s real '\(r)/on/mid' && ln -s ../real/deep '\(r)/on/real/dl'")
                try Self.dir(r + "/owner/real"); try Self.file(r + "/owner/real/f.txt")
                try Self.dir(r + "/owner/theirs"); try Self.file(r + "/owner/theirs/f.txt")
                try DifferentialHarness.sh("chown why403other '\(r)/owner/theirs' && ln -s real '\(r)/owner/mid' && ln -s theirs '\(r)/owner/mid2'")
                try Self.dir(r + "/target"); try Self.file(r + "/target/f.txt")
                try DifferentialHarness.sh("ln -s target '\(r)/lnk'")
                try Self.dir(r + "/from/real"); try Self.file(r + "/from/real/f.txt")
                try DifferentialHarness.sh("ln -s real '\(r)/from/mid'")
            }, requests: [
                R(path: "/on/mid/f.txt", cause: .fsSymlink), R(path: "/on/real/f.txt"),
                R(path: "/on/real/dl/g.txt", cause: .fsSymlink), R(path: "/on/real/deep/g.txt"),
                R(path: "/owner/mid/f.txt"), R(path: "/owner/mid2/f.txt", cause: .fsSymlink),
                R(path: "/lnk/f.txt", cause: .fsSymlink),
                R(path: "/from/mid/f.txt", cause: .fsSymlink), R(path: "/from/real/f.txt"),
            ]))
    }

    func testTryFilesOverDirectoriesTheWorkerCannotSearch() throws {
        // try_files skips a candidate it may not stat (logged at crit, "Permission denied") and goes on.
        try DifferentialHarness.run(.init(name: "tryfiles-search", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@;
                location /tf/ { try_files $uri $uri/ =404; }
                location /tg/ { try_files $uri /tg/fallback.txt; }
                location /th/ { try_files $uri $uri/ /th/index.html =403; }
            }
            """, setup: { r in
                try Self.dir(r + "/tf"); try Self.dir(r + "/tf/locked", mode: 0o700); try Self.file(r + "/tf/locked/f.txt")
                try Self.file(r + "/tf/locked/index.html")
                try Self.dir(r + "/tf/nox", mode: 0o744); try Self.file(r + "/tf/nox/f.txt")
                try Self.dir(r + "/tg"); try Self.file(r + "/tg/fallback.txt")
                try Self.dir(r + "/tg/locked", mode: 0o700); try Self.file(r + "/tg/locked/f.txt")
                try Self.dir(r + "/th", mode: 0o755); try Self.dir(r + "/th/locked", mode: 0o700); try Self.file(r + "/th/locked/f.txt")
            }, requests: [
                R(path: "/tf/locked/f.txt", logCheck: false), R(path: "/tf/nox/f.txt", logCheck: false),
                R(path: "/tf/locked/", cause: .fsPermission), R(path: "/tf/locked", cause: .fsPermission),
                R(path: "/tg/locked/f.txt", logCheck: false), R(path: "/tg/fallback.txt"),
                R(path: "/th/locked/f.txt", cause: .accessDeny, logCheck: false),
            ]))
    }

    /// Grav CMS's published nginx server block (webserver-configs/nginx.conf), with the test's root and
    /// listen in place of its placeholders; requests that reach PHP (no php-fpm here) are left out.
    func testGravNginxConf() throws {
        let published = try Fixtures.string("public/grav/nginx.conf")
        let server = published.replacingOccurrences(of: "#listen 80;", with: "listen 127.0.0.1:@PORT@;")
            .replacingOccurrences(of: "root /home/USER/www/html;", with: "root @ROOT@;")
        XCTAssertNotEqual(server, published)
        try DifferentialHarness.run(.init(name: "grav-nginx", http: server, setup: { r in
            try DifferentialHarness.sh("cp /etc/nginx/fastcgi_params '\(r)/../fastcgi_params'")
            for f in ["index.html", ".git/config", "cache/x", "user/config/site.yaml", "user/accounts/admin.yaml",
                      "user/accounts/avatars/me.png", "user/data/x.pdf", "user/data/x.yaml", "vendor/lib/README.md",
                      "vendor/lib/x.js", "user/pages/a.md", "LICENSE.txt", "composer.json", ".env", ".env.local", "images/a.png"] {
                try Self.dir((r + "/" + f as NSString).deletingLastPathComponent)
                try Self.file(r + "/" + f)
            }
        }, requests: [
            R(path: "/"), R(path: "/index.html"), R(path: "/images/a.png"), R(path: "/vendor/lib/x.js"),
            R(path: "/.git/config", cause: .accessDeny), R(path: "/cache/x", cause: .accessDeny),
            R(path: "/user/config/site.yaml", cause: .accessDeny), R(path: "/user/accounts/admin.yaml", cause: .accessDeny),
            R(path: "/user/accounts/avatars/me.png"), R(path: "/user/accounts/avatars/none.png"),
            R(path: "/user/data/x.pdf"), R(path: "/user/data/x.yaml", cause: .accessDeny),
            R(path: "/vendor/lib/README.md", cause: .accessDeny), R(path: "/user/pages/a.md", cause: .accessDeny),
            R(path: "/LICENSE.txt", cause: .accessDeny), R(path: "/composer.json", cause: .accessDeny),
            R(path: "/.env", cause: .accessDeny), R(path: "/.env.local", cause: .accessDeny),
        ]))
    }

    func testH5bpFileAccessRecipe() throws {
        let recipe = Fixtures.url("public/h5bp-server-configs-nginx/security_file_access.conf").path
        try DifferentialHarness.run(.init(name: "h5bp-file-access", http: """
            server { listen 127.0.0.1:@PORT@; root @ROOT@; index index.html;
                include \(recipe);
                location / { try_files $uri $uri/ =404; }
            }
            """, setup: { r in
                try Self.file(r + "/index.html"); try Self.dir(r + "/.git"); try Self.file(r + "/.git/config")
                try Self.file(r + "/.env"); try Self.dir(r + "/.well-known"); try Self.file(r + "/.well-known/security.txt")
                try Self.file(r + "/backup.sql"); try Self.file(r + "/index.html~"); try Self.file(r + "/wp-config.php.bak")
                try Self.file(r + "/site.conf"); try Self.file(r + "/debug.log"); try Self.dir(r + "/vendor")
                try Self.file(r + "/vendor/lib.js"); try Self.file(r + "/notes.txt")
            }, requests: [
                R(path: "/"), R(path: "/index.html"), R(path: "/.git/config", cause: .accessDeny), R(path: "/.git/", cause: .accessDeny),
                R(path: "/.env", cause: .accessDeny), R(path: "/.missing", cause: .accessDeny),
                R(path: "/.well-known/security.txt"), R(path: "/backup.sql", cause: .accessDeny), R(path: "/BACKUP.SQL", cause: .accessDeny),
                R(path: "/index.html~", cause: .accessDeny), R(path: "/wp-config.php.bak", cause: .accessDeny),
                R(path: "/site.conf", cause: .accessDeny), R(path: "/debug.log", cause: .accessDeny),
                R(path: "/vendor/", cause: .indexMissing), R(path: "/vendor/lib.js"), R(path: "/notes.txt"),
                R(path: "/vendor/.hidden/x", cause: .accessDeny),
            ]))
    }
}
