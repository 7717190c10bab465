import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// why403 against the real Apache httpd: every scenario's configuration and files are made here,
/// httpd is started on a free loopback port, each request is sent from its own 127.0.0.N address,
/// and why403's status, cause and AH code must equal httpd's answer and error log.
final class ApacheDifferentialTests: XCTestCase {
    static let granted = """
    <Directory "{ROOT}/www">
        Options FollowSymLinks
        AllowOverride None
        Require all granted
    </Directory>

    """

    static let htpasswdSetup = "htpasswd -bc {ROOT}/users alice wonderland >/dev/null 2>&1 && htpasswd -bB {ROOT}/users bob builder >/dev/null 2>&1 && chmod 644 {ROOT}/users"

    static var scenarios: [DiffScenario] {
        [
            DiffScenario(name: "open", conf: granted,
                         files: ["www/index.html": "hi", "www/a.txt": "a", "www/sub/index.html": "s"],
                         requests: [
                            DiffRequest(path: "/", ip: 2, cause: .none),
                            DiffRequest(path: "/a.txt", ip: 3, cause: .none),
                            DiffRequest(path: "/missing.txt", ip: 4, cause: .none),
                            DiffRequest(path: "/sub", ip: 5, cause: .none),
                            DiffRequest(path: "/sub/", ip: 6, cause: .none),
                            // `..` above the root is httpd's 400 (AH10244), decoded or not; inside it, resolved (QA, session 33).
                            DiffRequest(path: "/../a.txt", ip: 2, cause: .none),
                            DiffRequest(path: "/sub/../../a.txt", ip: 2, cause: .none),
                            DiffRequest(path: "/%2e%2e/a.txt", ip: 2, cause: .none),
                            DiffRequest(path: "/sub/../a.txt", ip: 2, cause: .none),
                         ]),
            // Without mod_autoindex, a directory with no index reaches the default handler: 404 (AH00129), not
            // mod_autoindex's 403 (AH01276), whatever Options says (QA, session 33).
            DiffScenario(name: "no-autoindex", conf: granted + """
                <Directory "{ROOT}/www/listed">
                    Options +Indexes
                </Directory>
                """,
                         files: ["www/plain/x.txt": "x", "www/listed/x.txt": "x", "www/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/plain/", ip: 2, cause: .indexMissing),
                            DiffRequest(path: "/listed/", ip: 2, cause: .indexMissing),
                            DiffRequest(path: "/a.txt", ip: 2, cause: .none),
                         ], withoutModules: ["autoindex"]),
            DiffScenario(name: "require-all-denied", conf: granted + """
                <Directory "{ROOT}/www/private">
                    Require all denied
                </Directory>
                """,
                         files: ["www/index.html": "hi", "www/private/a.txt": "p", "www/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/private/a.txt", ip: 7, cause: .accessDeny),
                            DiffRequest(path: "/private/", ip: 8, cause: .accessDeny),
                            DiffRequest(path: "/private/none.txt", ip: 9, cause: .accessDeny),
                            DiffRequest(path: "/a.txt", ip: 10, cause: .none),
                         ]),
            DiffScenario(name: "require-ip", conf: granted + """
                <Directory "{ROOT}/www/admin">
                    Require ip 127.0.0.11 127.0.1.0/24
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 11, cause: .none),
                            DiffRequest(path: "/admin/", ip: 12, cause: .accessIP),
                            DiffRequest(path: "/admin/index.html", ip: 13, cause: .accessIP),
                            DiffRequest(path: "/admin/index.html", ip: 11, cause: .none),
                         ]),
            // issue 14: mod_remoteip decides the address Require ip sees (remoteip_modify_request).
            DiffScenario(name: "remoteip-internal-proxy", conf: granted + """
                RemoteIPHeader X-Forwarded-For
                RemoteIPInternalProxy 127.0.0.0/26
                <Directory "{ROOT}/www/admin">
                    Require ip 10.0.0.0/8
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 20, headers: ["X-Forwarded-For: 10.1.2.3"], cause: .none),
                            DiffRequest(path: "/admin/", ip: 21, cause: .accessIP),
                            DiffRequest(path: "/admin/", ip: 100, headers: ["X-Forwarded-For: 10.1.2.3"], cause: .accessIP),
                            DiffRequest(path: "/admin/", ip: 22, headers: ["X-Forwarded-For: 10.1.2.3, 127.0.0.5"], cause: .none),
                            DiffRequest(path: "/admin/", ip: 23, headers: ["X-Forwarded-For: 10.1.2.3, 203.0.113.9"], cause: .accessIP),
                            DiffRequest(path: "/admin/", ip: 24, headers: ["X-Forwarded-For: junk"], cause: .accessIP),
                         ], modules: ["remoteip"]),
            DiffScenario(name: "remoteip-trusted-and-open", conf: granted + """
                <VirtualHost *:*>
                    ServerName trusted.test
                    RemoteIPHeader X-Forwarded-For
                    RemoteIPTrustedProxy 127.0.0.0/26
                </VirtualHost>
                <VirtualHost *:*>
                    ServerName open.test
                    RemoteIPHeader X-Client-IP
                </VirtualHost>
                <Directory "{ROOT}/www/admin">
                    Require ip 10.0.0.0/8 198.51.100.0/24
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 25, headers: ["X-Forwarded-For: 10.1.2.3"], cause: .accessIP, host: "trusted.test"),
                            DiffRequest(path: "/admin/", ip: 26, headers: ["X-Forwarded-For: 198.51.100.4"], cause: .none, host: "trusted.test"),
                            DiffRequest(path: "/admin/", ip: 27, headers: ["X-Client-IP: 198.51.100.4"], cause: .none, host: "open.test"),
                            DiffRequest(path: "/admin/", ip: 28, headers: ["X-Client-IP: 10.1.2.3"], cause: .accessIP, host: "open.test"),
                            DiffRequest(path: "/admin/", ip: 29, headers: ["X-Client-IP: 203.0.113.1, 198.51.100.4"], cause: .accessIP, host: "open.test"),
                         ], modules: ["remoteip"]),
            // Require forward-dns: the name resolved when the request comes, granted when one of its addresses is
            // the client's (localhost: from /etc/hosts, the same on both sides of the comparison).
            DiffScenario(name: "require-forward-dns", conf: granted + """
                <Directory "{ROOT}/www/admin">
                    Require forward-dns localhost
                </Directory>
                <Directory "{ROOT}/www/other">
                    Require forward-dns why403-no-such-name.invalid
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm", "www/other/index.html": "o"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 1, cause: .none),
                            DiffRequest(path: "/admin/", ip: 253, cause: .accessIP),
                            DiffRequest(path: "/other/", ip: 1, cause: .accessIP),
                         ]),
            // Proxies listed for the main server and for a virtual host: the virtual host trusts both lists
            // (httpd 2.4 answered 200 to the main server's proxy; the model replaced the list until this test).
            DiffScenario(name: "remoteip-main-and-vhost-proxies", conf: granted + """
                RemoteIPHeader X-Forwarded-For
                RemoteIPTrustedProxy 127.0.0.251
                <VirtualHost *:*>
                    ServerName merged.test
                    RemoteIPTrustedProxy 127.0.0.252
                </VirtualHost>
                <Directory "{ROOT}/www/admin">
                    Require ip 198.51.100.0/24
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 252, headers: ["X-Forwarded-For: 198.51.100.4"], cause: .none, host: "merged.test"),
                            DiffRequest(path: "/admin/", ip: 251, headers: ["X-Forwarded-For: 198.51.100.4"], cause: .none, host: "merged.test"),
                         ], modules: ["remoteip"]),
            // issue 14: the PROXY protocol (mod_remoteip, curl --haproxy-protocol: the header carries the source
            // address). 127.0.0.1 is excepted so the harness's readiness probe gets an answer.
            DiffScenario(name: "remoteip-proxy-protocol", conf: granted + """
                RemoteIPProxyProtocol On
                RemoteIPProxyProtocolExceptions 127.0.0.1 127.0.0.150
                <Directory "{ROOT}/www/admin">
                    Require ip 127.0.0.140 127.0.0.150
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 140, cause: .none, proxyProtocol: true),
                            DiffRequest(path: "/admin/", ip: 141, cause: .accessIP, proxyProtocol: true),
                            DiffRequest(path: "/admin/", ip: 142, cause: .configError),
                            DiffRequest(path: "/admin/", ip: 150, cause: .configError, proxyProtocol: true),
                            DiffRequest(path: "/admin/", ip: 150, cause: .none),
                         ], modules: ["remoteip"]),
            // A PROXY address other than the peer's (ProxyProtocolClient): it is the client, and RemoteIPHeader
            // is not read on such a connection, even from a trusted peer.
            DiffScenario(name: "remoteip-proxy-protocol-address", conf: granted + """
                RemoteIPProxyProtocol On
                RemoteIPProxyProtocolExceptions 127.0.0.1
                RemoteIPHeader X-Forwarded-For
                RemoteIPTrustedProxy 127.0.0.0/8
                <Directory "{ROOT}/www/admin">
                    Require ip 203.0.113.0/24
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 146, cause: .none, proxyAddress: "203.0.113.5"),
                            DiffRequest(path: "/admin/", ip: 147, cause: .accessIP, proxyAddress: "198.51.100.5"),
                            DiffRequest(path: "/admin/", ip: 148, headers: ["X-Forwarded-For: 203.0.113.50"], cause: .accessIP, proxyAddress: "198.51.100.9"),
                            DiffRequest(path: "/admin/", ip: 149, headers: ["X-Forwarded-For: 198.51.100.50"], cause: .none, proxyAddress: "203.0.113.9"),
                         ], modules: ["remoteip"]),
            // PROXY protocol v2 (binary) and IPv6 sources (v1 TCP6 too): mod_remoteip reads both versions.
            DiffScenario(name: "remoteip-proxy-protocol-v2-ipv6", conf: granted + """
                RemoteIPProxyProtocol On
                RemoteIPProxyProtocolExceptions 127.0.0.1
                <Directory "{ROOT}/www/admin">
                    Require ip 2001:db8::/32 203.0.113.0/24
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 247, cause: .none, proxyAddress: "2001:db8::7", proxyVersion: 2),
                            DiffRequest(path: "/admin/", ip: 248, cause: .accessIP, proxyAddress: "2001:db9::1", proxyVersion: 2),
                            DiffRequest(path: "/admin/", ip: 249, cause: .none, proxyAddress: "203.0.113.5", proxyVersion: 2),
                            DiffRequest(path: "/admin/", ip: 250, cause: .accessIP, proxyAddress: "2001:db9::1"),
                         ], modules: ["remoteip"]),
            DiffScenario(name: "proxy-protocol-not-enabled", conf: granted,
                         files: ["www/index.html": "hi"],
                         requests: [
                            DiffRequest(path: "/", ip: 143, cause: .configError, proxyProtocol: true),
                         ]),
            // RemoteIPTrustedProxyList: a file of addresses and networks, `#` comments.
            DiffScenario(name: "remoteip-trusted-proxy-list", conf: granted + """
                RemoteIPHeader X-Forwarded-For
                RemoteIPTrustedProxyList {ROOT}/proxies.txt
                <Directory "{ROOT}/www/admin">
                    Require ip 198.51.100.0/24
                </Directory>
                """,
                         files: ["www/admin/index.html": "adm",
                                 "proxies.txt": "# the load balancers\n127.0.0.128/26   # lb pool\n\n192.0.2.1\n"],
                         requests: [
                            DiffRequest(path: "/admin/", ip: 144, headers: ["X-Forwarded-For: 198.51.100.4"], cause: .none),
                            DiffRequest(path: "/admin/", ip: 145, headers: ["X-Forwarded-For: 10.1.2.3"], cause: .accessIP),
                            DiffRequest(path: "/admin/", ip: 100, headers: ["X-Forwarded-For: 198.51.100.4"], cause: .accessIP),
                         ], modules: ["remoteip"]),
            DiffScenario(name: "require-all-not-ip", conf: granted + """
                <Directory "{ROOT}/www/shop">
                    <RequireAll>
                        Require all granted
                        Require not ip 127.0.0.14
                    </RequireAll>
                </Directory>
                """,
                         files: ["www/shop/index.html": "shop"],
                         requests: [
                            DiffRequest(path: "/shop/", ip: 14, cause: .accessIP),
                            DiffRequest(path: "/shop/", ip: 15, cause: .none),
                            DiffRequest(path: "/shop/index.html", ip: 14, cause: .accessIP),
                         ]),
            // 2.2 and 2.4 mixed: the inherited `Require all denied` of <Directory /> still applies
            // under Order/Allow (AH01630 for the allowed client, AH01797 for the others).
            DiffScenario(name: "order-allow-deny", conf: """
                <Directory "{ROOT}/www">
                    Order Allow,Deny
                    Allow from 127.0.0.16
                </Directory>
                """,
                         files: ["www/index.html": "x"],
                         requests: [
                            DiffRequest(path: "/", ip: 16, cause: .accessDeny),
                            DiffRequest(path: "/", ip: 17, cause: .accessIP),
                            DiffRequest(path: "/index.html", ip: 18, cause: .accessIP),
                         ]),
            DiffScenario(name: "order-deny-allow", conf: """
                <Directory "{ROOT}/www">
                    Order Deny,Allow
                    Deny from all
                    Allow from 127.0.0.19
                </Directory>
                """,
                         files: ["www/index.html": "x"],
                         requests: [
                            DiffRequest(path: "/", ip: 19, cause: .accessDeny),
                            DiffRequest(path: "/", ip: 20, cause: .accessIP),
                            DiffRequest(path: "/index.html", ip: 21, cause: .accessIP),
                         ]),
            DiffScenario(name: "mixed-22-deny-wins", conf: """
                <Directory "{ROOT}/www">
                    Require all granted
                    Order Deny,Allow
                    Deny from 127.0.0.22
                </Directory>
                """,
                         files: ["www/index.html": "x"],
                         requests: [
                            DiffRequest(path: "/", ip: 22, cause: .accessIP),
                            DiffRequest(path: "/", ip: 23, cause: .none),
                            DiffRequest(path: "/index.html", ip: 22, cause: .accessIP),
                         ]),
            DiffScenario(name: "mixed-24-require-wins", conf: """
                <Directory "{ROOT}/www">
                    Order Allow,Deny
                    Allow from all
                    Require ip 127.0.0.24
                </Directory>
                """,
                         files: ["www/index.html": "x"],
                         requests: [
                            DiffRequest(path: "/", ip: 24, cause: .none),
                            DiffRequest(path: "/", ip: 25, cause: .accessIP),
                            DiffRequest(path: "/index.html", ip: 26, cause: .accessIP),
                         ]),
            DiffScenario(name: "satisfy-any", conf: """
                <Directory "{ROOT}/www">
                    AuthType Basic
                    AuthName "staff"
                    AuthUserFile {ROOT}/users
                    Require valid-user
                    Order Deny,Allow
                    Deny from all
                    Allow from 127.0.0.27
                    Satisfy Any
                </Directory>
                """,
                         files: ["www/index.html": "x"], setup: [htpasswdSetup],
                         requests: [
                            DiffRequest(path: "/", ip: 27, cause: .none),
                            DiffRequest(path: "/", ip: 28, cause: .authMissing),
                            DiffRequest(path: "/", ip: 29, headers: ["Authorization: Basic YWxpY2U6d29uZGVybGFuZA=="], cause: .none),
                         ]),
            DiffScenario(name: "index-missing", conf: """
                <Directory "{ROOT}/www">
                    Options -Indexes
                    Require all granted
                </Directory>
                """,
                         files: ["www/empty/.keep": "", "www/full/index.html": "i"],
                         requests: [
                            DiffRequest(path: "/empty/", ip: 30, cause: .indexMissing),
                            DiffRequest(path: "/full/", ip: 31, cause: .none),
                            DiffRequest(path: "/", ip: 32, cause: .indexMissing),
                         ]),
            DiffScenario(name: "indexes-on", conf: """
                <Directory "{ROOT}/www">
                    Options Indexes FollowSymLinks
                    Require all granted
                </Directory>
                """,
                         files: ["www/empty/.keep": "", "www/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/empty/", ip: 33, cause: .none),
                            DiffRequest(path: "/", ip: 34, cause: .none),
                         ]),
            DiffScenario(name: "directoryindex", conf: """
                <Directory "{ROOT}/www">
                    Options -Indexes
                    DirectoryIndex home.html
                    Require all granted
                </Directory>
                """,
                         files: ["www/a/home.html": "h", "www/b/index.html": "i"],
                         requests: [
                            DiffRequest(path: "/a/", ip: 35, cause: .none),
                            DiffRequest(path: "/b/", ip: 36, cause: .indexMissing),
                            DiffRequest(path: "/b/index.html", ip: 37, cause: .none),
                         ]),
            DiffScenario(name: "file-permission", conf: granted,
                         files: ["www/secret.txt": "s", "www/ok.txt": "o"],
                         setup: ["chmod 600 www/secret.txt"],
                         requests: [
                            DiffRequest(path: "/secret.txt", ip: 38, cause: .fsPermission),
                            DiffRequest(path: "/ok.txt", ip: 39, cause: .none),
                         ]),
            DiffScenario(name: "dir-search-permission", conf: granted,
                         files: ["www/locked/a.txt": "s", "www/ok.txt": "o"],
                         setup: ["chmod 700 www/locked"],
                         requests: [
                            DiffRequest(path: "/locked/a.txt", ip: 40, cause: .fsPermission),
                            DiffRequest(path: "/ok.txt", ip: 41, cause: .none),
                         ]),
            DiffScenario(name: "dir-search-permission-htaccess", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride All
                    Require all granted
                </Directory>
                """,
                         files: ["www/locked/a.txt": "s", "www/ok.txt": "o"],
                         setup: ["chmod 700 www/locked"],
                         requests: [
                            DiffRequest(path: "/locked/a.txt", ip: 42, cause: .fsPermission),
                            DiffRequest(path: "/ok.txt", ip: 43, cause: .none),
                         ]),
            DiffScenario(name: "symlink-refused", conf: """
                <Directory "{ROOT}/www">
                    Options -FollowSymLinks
                    Require all granted
                </Directory>
                """,
                         files: ["www/real.txt": "r", "target/t.txt": "t"],
                         setup: ["ln -s {ROOT}/www/real.txt www/link.txt", "chmod -R a+rX target"],
                         requests: [
                            DiffRequest(path: "/link.txt", ip: 44, cause: .fsSymlink),
                            DiffRequest(path: "/real.txt", ip: 45, cause: .none),
                         ]),
            DiffScenario(name: "symlink-followed", conf: granted,
                         files: ["www/real.txt": "r"],
                         setup: ["ln -s real.txt www/link.txt"],
                         requests: [
                            DiffRequest(path: "/link.txt", ip: 46, cause: .none),
                            DiffRequest(path: "/nolink.txt", ip: 47, cause: .none),
                         ]),
            DiffScenario(name: "symlink-owner-match", conf: """
                <Directory "{ROOT}/www">
                    Options -FollowSymLinks +SymLinksIfOwnerMatch
                    Require all granted
                </Directory>
                """,
                         files: ["www/mine.txt": "m", "www/theirs.txt": "t"],
                         setup: ["ln -s mine.txt www/same.txt", "chown nobody www/theirs.txt", "ln -s theirs.txt www/other.txt"],
                         requests: [
                            DiffRequest(path: "/same.txt", ip: 48, cause: .none),
                            DiffRequest(path: "/other.txt", ip: 49, cause: .fsSymlink),
                         ]),
            DiffScenario(name: "htaccess-honoured", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride All
                    Require all granted
                </Directory>
                """,
                         files: ["www/index.html": "x", "www/private/.htaccess": "Require all denied\n", "www/private/a.txt": "p"],
                         requests: [
                            DiffRequest(path: "/private/a.txt", ip: 50, cause: .accessDeny),
                            DiffRequest(path: "/index.html", ip: 51, cause: .none),
                         ]),
            DiffScenario(name: "htaccess-ignored", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride None
                    Require all granted
                </Directory>
                """,
                         files: ["www/index.html": "x", "www/private/.htaccess": "Require all denied\n", "www/private/a.txt": "p"],
                         requests: [
                            DiffRequest(path: "/private/a.txt", ip: 52, cause: .none),
                            DiffRequest(path: "/index.html", ip: 53, cause: .none),
                         ]),
            DiffScenario(name: "htaccess-not-allowed", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride AuthConfig
                    Require all granted
                </Directory>
                """,
                         files: ["www/list/.htaccess": "Options +Indexes\n", "www/list/a.txt": "a",
                                 "www/auth/.htaccess": "Require all denied\n", "www/auth/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/list/a.txt", ip: 54, cause: .configError),
                            DiffRequest(path: "/auth/a.txt", ip: 55, cause: .accessDeny),
                         ]),
            DiffScenario(name: "basic-auth-htaccess", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride AuthConfig
                    Require all granted
                </Directory>
                """,
                         files: ["www/staff/.htaccess": "AuthType Basic\nAuthName \"Staff\"\nAuthUserFile {ROOT}/users\nRequire valid-user\n",
                                 "www/staff/a.txt": "a"],
                         setup: [htpasswdSetup],
                         requests: [
                            DiffRequest(path: "/staff/a.txt", ip: 56, cause: .authMissing),
                            DiffRequest(path: "/staff/a.txt", ip: 57, headers: ["Authorization: Basic YWxpY2U6d3Jvbmc="], cause: .authInvalid),
                            DiffRequest(path: "/staff/a.txt", ip: 58, headers: ["Authorization: Basic bWFsbG9yeTp4eHg="], cause: .authInvalid),
                            DiffRequest(path: "/staff/a.txt", ip: 59, headers: ["Authorization: Basic YWxpY2U6d29uZGVybGFuZA=="], cause: .none),
                            DiffRequest(path: "/staff/a.txt", ip: 60, headers: ["Authorization: Basic Ym9iOmJ1aWxkZXI="], cause: .none),
                         ]),
            DiffScenario(name: "require-user", conf: granted + """
                <Directory "{ROOT}/www/alice">
                    AuthType Basic
                    AuthName "alice only"
                    AuthUserFile {ROOT}/users
                    Require user alice
                </Directory>
                """,
                         files: ["www/alice/a.txt": "a"], setup: [htpasswdSetup],
                         requests: [
                            DiffRequest(path: "/alice/a.txt", ip: 61, headers: ["Authorization: Basic Ym9iOmJ1aWxkZXI="], cause: .authRole),
                            DiffRequest(path: "/alice/a.txt", ip: 62, headers: ["Authorization: Basic YWxpY2U6d29uZGVybGFuZA=="], cause: .none),
                            DiffRequest(path: "/alice/a.txt", ip: 63, cause: .authMissing),
                         ]),
            DiffScenario(name: "require-group", conf: granted + """
                <Directory "{ROOT}/www/ops">
                    AuthType Basic
                    AuthName "ops"
                    AuthUserFile {ROOT}/users
                    AuthGroupFile {ROOT}/groups
                    Require group ops
                </Directory>
                """,
                         files: ["www/ops/a.txt": "a", "groups": "ops: bob\nstaff: alice bob\n"],
                         setup: [htpasswdSetup, "chmod 644 groups"],
                         requests: [
                            DiffRequest(path: "/ops/a.txt", ip: 115, headers: ["Authorization: Basic Ym9iOmJ1aWxkZXI="], cause: .none),
                            DiffRequest(path: "/ops/a.txt", ip: 116, headers: ["Authorization: Basic YWxpY2U6d29uZGVybGFuZA=="], cause: .authRole),
                         ]),
            DiffScenario(name: "files-block", conf: granted + """
                <FilesMatch "\\.(bak|sql)$">
                    Require all denied
                </FilesMatch>
                <Files "secret.txt">
                    Require ip 127.0.0.64
                </Files>
                """,
                         files: ["www/db.sql": "d", "www/a.txt": "a", "www/site.bak": "b", "www/secret.txt": "s"],
                         requests: [
                            DiffRequest(path: "/db.sql", ip: 64, cause: .accessDeny),
                            DiffRequest(path: "/site.bak", ip: 65, cause: .accessDeny),
                            DiffRequest(path: "/a.txt", ip: 66, cause: .none),
                            DiffRequest(path: "/secret.txt", ip: 64, cause: .none),
                            DiffRequest(path: "/secret.txt", ip: 67, cause: .accessIP),
                         ]),
            DiffScenario(name: "location-block", conf: granted + """
                <Location "/status">
                    Require ip 127.0.0.68
                </Location>
                <LocationMatch "^/internal/">
                    Require all denied
                </LocationMatch>
                """,
                         files: ["www/status/index.html": "s", "www/internal/a.txt": "i", "www/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/status/", ip: 68, cause: .none),
                            DiffRequest(path: "/status/", ip: 69, cause: .accessIP),
                            DiffRequest(path: "/internal/a.txt", ip: 70, cause: .accessDeny),
                            DiffRequest(path: "/a.txt", ip: 71, cause: .none),
                         ]),
            DiffScenario(name: "rewrite-hotlink-server", conf: granted + """
                RewriteEngine On
                RewriteCond %{HTTP_REFERER} !^$
                RewriteCond %{HTTP_REFERER} !^https?://(www\\.)?example\\.com/ [NC]
                RewriteRule \\.(png|jpg)$ - [F]
                """,
                         files: ["www/logo.png": "png", "www/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/logo.png", ip: 72, headers: ["Referer: http://evil.test/page"], cause: .hotlinkReferer),
                            DiffRequest(path: "/logo.png", ip: 73, cause: .none),
                            DiffRequest(path: "/logo.png", ip: 74, headers: ["Referer: https://EXAMPLE.com/x"], cause: .none),
                            DiffRequest(path: "/a.txt", ip: 75, headers: ["Referer: http://evil.test/"], cause: .none),
                         ]),
            DiffScenario(name: "rewrite-bot-htaccess", conf: """
                <Directory "{ROOT}/www">
                    Options FollowSymLinks
                    AllowOverride FileInfo
                    Require all granted
                </Directory>
                """,
                         files: ["www/.htaccess": "RewriteEngine On\nRewriteCond %{HTTP_USER_AGENT} (badbot|scraper) [NC,OR]\nRewriteCond %{REMOTE_ADDR} ^127\\.0\\.0\\.79$\nRewriteRule ^ - [F]\n",
                                 "www/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/a.txt", ip: 76, headers: ["User-Agent: BadBot/1.0"], cause: .botBlock),
                            DiffRequest(path: "/a.txt", ip: 77, headers: ["User-Agent: Mozilla/5.0"], cause: .none),
                            DiffRequest(path: "/a.txt", ip: 78, headers: ["User-Agent: my-scraper"], cause: .botBlock),
                            DiffRequest(path: "/a.txt", ip: 79, headers: ["User-Agent: Mozilla/5.0"], cause: .botBlock),
                         ]),
            DiffScenario(name: "browsermatch-require-env", conf: """
                BrowserMatchNoCase "evilbot" bad_bot
                SetEnvIf Referer "^https?://good\\.test/" good_ref
                <Directory "{ROOT}/www">
                    <RequireAll>
                        Require all granted
                        Require not env bad_bot
                    </RequireAll>
                </Directory>
                <Directory "{ROOT}/www/img">
                    Require env good_ref
                </Directory>
                """,
                         files: ["www/a.txt": "a", "www/img/p.png": "p"],
                         requests: [
                            DiffRequest(path: "/a.txt", ip: 80, headers: ["User-Agent: EvilBot/2"], cause: .botBlock),
                            DiffRequest(path: "/a.txt", ip: 81, headers: ["User-Agent: curl/8"], cause: .none),
                            DiffRequest(path: "/img/p.png", ip: 82, headers: ["Referer: https://good.test/x"], cause: .none),
                            DiffRequest(path: "/img/p.png", ip: 83, headers: ["Referer: https://bad.test/x"], cause: .hotlinkReferer),
                         ]),
            DiffScenario(name: "vhosts", conf: """
                <VirtualHost *:*>
                    ServerName a.test
                    DocumentRoot "{ROOT}/www/a"
                </VirtualHost>
                <VirtualHost *:*>
                    ServerName b.test
                    ServerAlias *.b.test
                    DocumentRoot "{ROOT}/www/b"
                    <Directory "{ROOT}/www/b">
                        Require ip 127.0.0.86
                    </Directory>
                </VirtualHost>
                <Directory "{ROOT}/www/a">
                    Require all granted
                </Directory>
                """,
                         files: ["www/a/index.html": "a", "www/b/index.html": "b"],
                         requests: [
                            DiffRequest(path: "/", ip: 84, cause: .none, host: "a.test"),
                            DiffRequest(path: "/", ip: 85, cause: .accessIP, host: "b.test"),
                            DiffRequest(path: "/", ip: 86, cause: .none, host: "www.b.test"),
                            DiffRequest(path: "/", ip: 87, cause: .none, host: "unknown.test"),
                            DiffRequest(path: "/", ip: 88, cause: .accessIP, host: "x.b.test"),
                         ]),
            DiffScenario(name: "alias", conf: granted + """
                Alias "/files" "{ROOT}/shared"
                AliasMatch "^/docs/(.*)$" "{ROOT}/manual/$1"
                <Directory "{ROOT}/shared">
                    Require all granted
                </Directory>
                """,
                         files: ["shared/f.txt": "f", "manual/m.txt": "m"],
                         setup: ["chmod -R a+rX shared manual"],
                         requests: [
                            DiffRequest(path: "/files/f.txt", ip: 89, cause: .none),
                            DiffRequest(path: "/docs/m.txt", ip: 90, cause: .accessDeny),
                            DiffRequest(path: "/files/none.txt", ip: 91, cause: .none),
                         ]),
            DiffScenario(name: "rewrite-flags", conf: granted + """
                RewriteEngine On
                RewriteRule ^/old/(.*)$ /new/$1 [R=301,L]
                RewriteRule ^/gone$ - [G]
                RewriteRule ^/blocked - [F,L]
                RewriteRule ^/alias\\.txt$ /a.txt [L]
                """,
                         files: ["www/a.txt": "a", "www/new/x.txt": "x"],
                         requests: [
                            DiffRequest(path: "/old/x.txt", ip: 92, cause: .none),
                            DiffRequest(path: "/gone", ip: 93, cause: .none),
                            DiffRequest(path: "/blocked/x", ip: 94, cause: .accessDeny),
                            DiffRequest(path: "/alias.txt", ip: 95, cause: .none),
                         ]),
            // Regexes matched by PCRE2, httpd's own engine, with its default DOLLAR_ENDONLY: a conditional group and
            // `\K` (which ICU does not read), and `$` before a final newline (which ICU and plain PCRE match).
            DiffScenario(name: "pcre2-regex", conf: granted + """
                RewriteEngine On
                RewriteRule "^/(?(?=cond)condition|other)/" - [F]
                RewriteRule "^/keep\\K/x$" - [F]
                RewriteRule "^/end$" - [F]
                """,
                         files: ["www/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/condition/a", ip: 130, cause: .accessDeny),
                            DiffRequest(path: "/other/a", ip: 131, cause: .accessDeny),
                            DiffRequest(path: "/cond/x", ip: 132, cause: .none),
                            DiffRequest(path: "/keep/x", ip: 133, cause: .accessDeny),
                            DiffRequest(path: "/end", ip: 134, cause: .accessDeny),
                            DiffRequest(path: "/end%0A", ip: 135, cause: .none),
                         ]),
            DiffScenario(name: "limit-methods", conf: """
                <Directory "{ROOT}/www">
                    # A trap: this Require joins the implicit RequireAny, so it refuses nothing.
                    Require all granted
                    <LimitExcept GET HEAD>
                        Require all denied
                    </LimitExcept>
                </Directory>
                <Directory "{ROOT}/www/api">
                    Require method GET
                </Directory>
                """,
                         files: ["www/a.txt": "a", "www/api/x.txt": "x"],
                         requests: [
                            DiffRequest(path: "/a.txt", ip: 96, cause: .none),
                            DiffRequest(path: "/a.txt", ip: 97, method: "POST", cause: .none),
                            DiffRequest(path: "/api/x.txt", ip: 98, cause: .none),
                            DiffRequest(path: "/api/x.txt", ip: 99, method: "DELETE", cause: .accessDeny),
                         ]),
            DiffScenario(name: "require-expr", conf: granted + """
                <Directory "{ROOT}/www/app">
                    Require expr %{HTTP_USER_AGENT} !~ /curl-bad/
                </Directory>
                <If "%{HTTP:X-Block} == 'yes'">
                    Require all denied
                </If>
                """,
                         files: ["www/app/a.txt": "a", "www/b.txt": "b"],
                         requests: [
                            DiffRequest(path: "/app/a.txt", ip: 100, headers: ["User-Agent: curl-bad/1"], cause: .botBlock),
                            DiffRequest(path: "/app/a.txt", ip: 101, headers: ["User-Agent: curl/8"], cause: .none),
                            DiffRequest(path: "/b.txt", ip: 102, headers: ["X-Block: yes"], cause: .accessDeny),
                            DiffRequest(path: "/b.txt", ip: 103, headers: ["X-Block: no"], cause: .none),
                         ]),
            DiffScenario(name: "directorymatch-and-nesting", conf: granted + """
                <DirectoryMatch "^{ROOT}/www/(tmp|cache)/">
                    Require all denied
                </DirectoryMatch>
                <Directory "{ROOT}/www/deep">
                    Require all denied
                </Directory>
                <Directory "{ROOT}/www/deep/open">
                    Require all granted
                </Directory>
                """,
                         files: ["www/tmp/a.txt": "t", "www/cache/a.txt": "c", "www/deep/a.txt": "d", "www/deep/open/a.txt": "o"],
                         requests: [
                            DiffRequest(path: "/tmp/a.txt", ip: 104, cause: .accessDeny),
                            DiffRequest(path: "/cache/a.txt", ip: 105, cause: .accessDeny),
                            DiffRequest(path: "/deep/a.txt", ip: 106, cause: .accessDeny),
                            DiffRequest(path: "/deep/open/a.txt", ip: 107, cause: .none),
                         ]),
            DiffScenario(name: "htaccess-override-chain", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride Limit AuthConfig
                    Require all granted
                </Directory>
                <Directory "{ROOT}/www/closed">
                    AllowOverride None
                </Directory>
                """,
                         files: ["www/a/.htaccess": "Order Allow,Deny\nAllow from 127.0.0.108\n", "www/a/x.txt": "x",
                                 "www/closed/.htaccess": "Require all denied\n", "www/closed/x.txt": "x"],
                         requests: [
                            DiffRequest(path: "/a/x.txt", ip: 108, cause: .none),
                            DiffRequest(path: "/a/x.txt", ip: 109, cause: .accessIP),
                            DiffRequest(path: "/closed/x.txt", ip: 110, cause: .none),
                         ]),
            DiffScenario(name: "authtype-without-require", conf: granted + """
                <Directory "{ROOT}/www/half">
                    AuthType Basic
                    AuthName "half"
                    AuthUserFile {ROOT}/users
                </Directory>
                """,
                         files: ["www/half/a.txt": "a"], setup: [htpasswdSetup],
                         requests: [
                            DiffRequest(path: "/half/a.txt", ip: 111, cause: .none),
                         ]),
            // config.error: httpd cannot serve the path because its own configuration is invalid there
            // (report-v1 second edition); each answers 500.
            DiffScenario(name: "htaccess-config-errors", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride AuthConfig
                    Require all granted
                </Directory>
                """,
                         files: ["www/unclosed/.htaccess": "<RequireAll>\nRequire all granted\n", "www/unclosed/a.txt": "a",
                                 "www/section/.htaccess": "<Directory /tmp>\nRequire all denied\n</Directory>\n", "www/section/a.txt": "a",
                                 "www/ok/.htaccess": "Require all granted\n", "www/ok/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/unclosed/a.txt", ip: 117, cause: .configError),
                            DiffRequest(path: "/section/a.txt", ip: 118, cause: .configError),
                            DiffRequest(path: "/ok/a.txt", ip: 119, cause: .none),
                         ]),
            DiffScenario(name: "auth-config-errors", conf: granted + """
                <Directory "{ROOT}/www/noauthtype">
                    Require valid-user
                </Directory>
                <Directory "{ROOT}/www/authtypenone">
                    AuthType None
                    Require valid-user
                </Directory>
                <Directory "{ROOT}/www/nouserfile">
                    AuthType Basic
                    AuthName "x"
                    Require valid-user
                </Directory>
                <Directory "{ROOT}/www/missinguserfile">
                    AuthType Basic
                    AuthName "x"
                    AuthUserFile {ROOT}/no-such-file
                    Require valid-user
                </Directory>
                <Directory "{ROOT}/www/digest">
                    AuthType Digest
                    AuthName "x"
                    Require valid-user
                </Directory>
                """,
                         files: ["www/noauthtype/a.txt": "a", "www/authtypenone/a.txt": "a", "www/nouserfile/a.txt": "a",
                                 "www/missinguserfile/a.txt": "a", "www/digest/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/noauthtype/a.txt", ip: 120, cause: .configError),
                            DiffRequest(path: "/authtypenone/a.txt", ip: 121, cause: .configError),
                            DiffRequest(path: "/nouserfile/a.txt", ip: 122, cause: .authMissing),
                            DiffRequest(path: "/nouserfile/a.txt", ip: 123, headers: ["Authorization: Basic YWxpY2U6d29uZGVybGFuZA=="], cause: .configError),
                            DiffRequest(path: "/missinguserfile/a.txt", ip: 124, headers: ["Authorization: Basic YWxpY2U6d29uZGVybGFuZA=="], cause: .configError),
                            DiffRequest(path: "/digest/a.txt", ip: 125, cause: .configError),
                         ]),
            // No Require anywhere (not even at /): AuthType alone is AH01627.
            DiffScenario(name: "authtype-no-require-anywhere", conf: """
                <Directory "{ROOT}/www">
                    AuthType Basic
                    AuthName "half"
                    AuthUserFile {ROOT}/users
                </Directory>
                """,
                         files: ["www/a.txt": "a"], setup: [htpasswdSetup],
                         requests: [
                            DiffRequest(path: "/a.txt", ip: 126, cause: .configError),
                         ],
                         rootDenied: false),
            // A NUL byte in .htaccess: httpd reads each line only up to it (no 500).
            DiffScenario(name: "htaccess-nul-bytes", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride AuthConfig
                    Require all granted
                </Directory>
                """,
                         files: ["www/line/.htaccess": "\u{0}Require all denied\n", "www/line/a.txt": "a",
                                 "www/mid/.htaccess": "Require all denied\u{0} junk\n", "www/mid/a.txt": "a",
                                 "www/after/.htaccess": "Require all granted\n\u{0}junk\n", "www/after/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/line/a.txt", ip: 127, cause: .none),
                            DiffRequest(path: "/mid/a.txt", ip: 128, cause: .accessDeny),
                            DiffRequest(path: "/after/a.txt", ip: 129, cause: .none),
                         ]),
            DiffScenario(name: "modsecurity-crs", conf: granted + """
                <IfModule security2_module>
                    SecRuleEngine On
                    SecRequestBodyAccess On
                    SecDataDir {ROOT}
                    SecTmpDir {ROOT}
                    SecAuditEngine Off
                    Include /etc/modsecurity/crs/crs-setup.conf
                    Include /usr/share/modsecurity-crs/rules/*.conf
                </IfModule>
                """,
                         files: ["www/index.html": "x"],
                         requests: [
                            DiffRequest(path: "/index.html?id=1%27%20OR%20%271%27=%271", ip: 112, cause: .wafRule),
                            DiffRequest(path: "/index.html?q=%3Cscript%3Ealert(1)%3C/script%3E", ip: 113, cause: .wafRule),
                            DiffRequest(path: "/index.html", ip: 114, cause: .none),
                         ],
                         modules: ["unique_id", "security2"], giveLog: true),
        ]
    }

    func testDifferentialAgainstRealApache() throws {
        _ = try RealTools.require("htpasswd")
        let run = try ApacheHarness.runAll(Self.scenarios, label: "apache differential")
        if !run.filtered {
            XCTAssertGreaterThanOrEqual(run.scenarios, 25)
            XCTAssertGreaterThanOrEqual(run.requests, 100)
        }
    }
}
