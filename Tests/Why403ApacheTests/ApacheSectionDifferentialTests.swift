import Foundation
import XCTest
import Why403Core
import Why403TestSupport

/// Issue 14, part 3: where the Apache simulator's coverage was thin, against the real httpd (same
/// harness as `ApacheDifferentialTests`): the order sections merge in (server config and `.htaccess`),
/// `<Limit>`/`<LimitExcept>` with HEAD and GET, `AllowMethods`, `Options` symlink variants at every
/// level, `ErrorDocument 403` with a URL, a local path and text, `.htaccess` with no `AllowOverride`
/// anywhere, and `Alias` outside the document root.
final class ApacheSectionDifferentialTests: XCTestCase {
    static let granted = ApacheDifferentialTests.granted

    static var scenarios: [DiffScenario] {
        [
            // <Location> merges after every <Directory>: it wins whichever way it goes.
            DiffScenario(name: "merge-location-after-directory", conf: granted + """
                <Directory "{ROOT}/www/closed">
                    Require all denied
                </Directory>
                <Location "/closed/open">
                    Require all granted
                </Location>
                <Directory "{ROOT}/www/open">
                    Require all granted
                </Directory>
                <Location "/open/">
                    Require all denied
                </Location>
                """,
                         files: ["www/closed/open/a.txt": "a", "www/closed/b.txt": "b", "www/open/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/closed/open/a.txt", ip: 151, cause: .none),
                            DiffRequest(path: "/closed/b.txt", ip: 152, cause: .accessDeny),
                            DiffRequest(path: "/open/a.txt", ip: 153, cause: .accessDeny),
                            DiffRequest(path: "/open", ip: 154, cause: .none),
                         ]),
            // <Files> merges after the directory walk (a deeper <Directory> does not undo it); server-level
            // <Files> come before those nested in a <Directory>.
            DiffScenario(name: "merge-files-after-directory", conf: granted + """
                <Directory "{ROOT}/www">
                    <Files "*.log">
                        Require all denied
                    </Files>
                </Directory>
                <Directory "{ROOT}/www/logs">
                    Require all granted
                </Directory>
                <Files "public.log">
                    Require all granted
                </Files>
                <Files "open.txt">
                    Require all granted
                </Files>
                <Directory "{ROOT}/www/shut">
                    Require all denied
                </Directory>
                """,
                         files: ["www/logs/x.log": "x", "www/logs/public.log": "p", "www/logs/a.txt": "a",
                                 "www/shut/open.txt": "o", "www/shut/b.txt": "b"],
                         requests: [
                            DiffRequest(path: "/logs/x.log", ip: 155, cause: .accessDeny),
                            DiffRequest(path: "/logs/public.log", ip: 156, cause: .accessDeny),
                            DiffRequest(path: "/logs/a.txt", ip: 157, cause: .none),
                            DiffRequest(path: "/shut/open.txt", ip: 158, cause: .none),
                            DiffRequest(path: "/shut/b.txt", ip: 159, cause: .accessDeny),
                         ]),
            // <DirectoryMatch> merges after every <Directory>, however deep; 2.4 applies it to the matching
            // directory only (not its subdirectories), and `$` can anchor it.
            DiffScenario(name: "merge-directorymatch-after-directory", conf: granted + """
                <DirectoryMatch "^{ROOT}/www/d[0-9]+">
                    Require all denied
                </DirectoryMatch>
                <Directory "{ROOT}/www/d1/deeper">
                    Require all granted
                </Directory>
                <DirectoryMatch "/exact$">
                    Require all denied
                </DirectoryMatch>
                <DirectoryMatch "/slash/$">
                    Require all denied
                </DirectoryMatch>
                <DirectoryMatch "/fileish/a\\.txt$">
                    Require all denied
                </DirectoryMatch>
                """,
                         files: ["www/d1/a.txt": "a", "www/d1/deeper/a.txt": "a", "www/exact/a.txt": "a",
                                 "www/exact/sub/a.txt": "a", "www/slash/a.txt": "a", "www/fileish/a.txt": "a",
                                 "www/fileish/b.txt": "b"],
                         requests: [
                            DiffRequest(path: "/d1/a.txt", ip: 160, cause: .accessDeny),
                            DiffRequest(path: "/d1/deeper/a.txt", ip: 161, cause: .accessDeny),
                            // Matched against r->filename (the whole path), not the directory.
                            DiffRequest(path: "/exact/a.txt", ip: 162, cause: .none),
                            DiffRequest(path: "/exact", ip: 162, cause: .accessDeny),
                            DiffRequest(path: "/exact/", ip: 162, cause: .indexMissing),
                            DiffRequest(path: "/exact/sub/a.txt", ip: 163, cause: .none),
                            DiffRequest(path: "/slash/a.txt", ip: 163, cause: .none),
                            DiffRequest(path: "/slash/", ip: 163, cause: .accessDeny),
                            DiffRequest(path: "/fileish/a.txt", ip: 163, cause: .accessDeny),
                            DiffRequest(path: "/fileish/b.txt", ip: 163, cause: .none),
                         ]),
            // <If> merges last, after <Location>; an <If> nested in a <Directory> too.
            DiffScenario(name: "merge-if-last", conf: granted + """
                <Location "/iff/">
                    Require all denied
                </Location>
                <If "%{QUERY_STRING} == 'pass'">
                    Require all granted
                </If>
                <Directory "{ROOT}/www/iff2">
                    <If "%{HTTP:X-Pass} == 'yes'">
                        Require all granted
                    </If>
                    Require all denied
                </Directory>
                """,
                         files: ["www/iff/a.txt": "a", "www/iff2/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/iff/a.txt", ip: 164, cause: .accessDeny),
                            DiffRequest(path: "/iff/a.txt?pass", ip: 165, cause: .none),
                            DiffRequest(path: "/iff2/a.txt", ip: 166, cause: .accessDeny),
                            DiffRequest(path: "/iff2/a.txt", ip: 167, headers: ["X-Pass: yes"], cause: .none),
                         ]),
            // .htaccess merges with its directory, before <DirectoryMatch>, <Files>, <Location> and <If>.
            DiffScenario(name: "merge-htaccess-order", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride All
                    Require all granted
                </Directory>
                <DirectoryMatch "^{ROOT}/www/hm/">
                    Require all denied
                </DirectoryMatch>
                <Location "/hl/">
                    Require all denied
                </Location>
                """,
                         files: ["www/hm/.htaccess": "Require all granted\n", "www/hm/a.txt": "a",
                                 "www/hl/.htaccess": "Require all granted\n", "www/hl/a.txt": "a",
                                 "www/hf/.htaccess": "<Files secret.txt>\nRequire all denied\n</Files>\n",
                                 "www/hf/secret.txt": "s", "www/hf/a.txt": "a",
                                 "www/hi/.htaccess": "<If \"%{HTTP:X-Let} == 'in'\">\nRequire all granted\n</If>\nRequire all denied\n",
                                 "www/hi/a.txt": "a",
                                 "www/hs/.htaccess": "Require all denied\n", "www/hs/a.txt": "a",
                                 "www/hs/sub/.htaccess": "Require all granted\n", "www/hs/sub/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/hm/a.txt", ip: 168, cause: .accessDeny),
                            DiffRequest(path: "/hl/a.txt", ip: 169, cause: .accessDeny),
                            DiffRequest(path: "/hf/secret.txt", ip: 170, cause: .accessDeny),
                            DiffRequest(path: "/hf/a.txt", ip: 171, cause: .none),
                            DiffRequest(path: "/hi/a.txt", ip: 172, cause: .accessDeny),
                            DiffRequest(path: "/hi/a.txt", ip: 173, headers: ["X-Let: in"], cause: .none),
                            DiffRequest(path: "/hs/a.txt", ip: 174, cause: .accessDeny),
                            DiffRequest(path: "/hs/sub/a.txt", ip: 175, cause: .none),
                         ]),
            // <Location> and <LocationMatch> merge together in config order: the later one wins.
            DiffScenario(name: "merge-location-order", conf: granted + """
                <LocationMatch "^/lm/">
                    Require all denied
                </LocationMatch>
                <Location "/lm/open">
                    Require all granted
                </Location>
                <Location "/ml/open">
                    Require all granted
                </Location>
                <LocationMatch "^/ml/">
                    Require all denied
                </LocationMatch>
                """,
                         files: ["www/lm/open/a.txt": "a", "www/lm/a.txt": "a", "www/ml/open/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/lm/open/a.txt", ip: 223, cause: .none),
                            DiffRequest(path: "/lm/a.txt", ip: 224, cause: .accessDeny),
                            DiffRequest(path: "/ml/open/a.txt", ip: 225, cause: .accessDeny),
                         ]),
            // Server-level <If> and <Files> come before those of a <Directory> or .htaccess; server-level
            // Options apply where no <Directory> sets them.
            DiffScenario(name: "merge-server-if-then-htaccess-if", conf: """
                Options None
                <Directory "{ROOT}/www">
                    AllowOverride All
                    Require all granted
                </Directory>
                <If "%{HTTP:X-A} == '1'">
                    Require all denied
                </If>
                <Files "*.txt">
                    Require all denied
                </Files>
                """,
                         files: ["www/a.html": "a", "www/b.txt": "b",
                                 "www/hi/.htaccess": "<If \"%{HTTP:X-A} == '1'\">\nRequire all granted\n</If>\n<Files \"*.txt\">\nRequire all granted\n</Files>\n",
                                 "www/hi/a.html": "a", "www/hi/b.txt": "b", "www/real.html": "r"],
                         setup: ["ln -s real.html www/link.html"],
                         requests: [
                            DiffRequest(path: "/a.html", ip: 226, cause: .none),
                            DiffRequest(path: "/a.html", ip: 227, headers: ["X-A: 1"], cause: .accessDeny),
                            DiffRequest(path: "/b.txt", ip: 228, cause: .accessDeny),
                            DiffRequest(path: "/hi/a.html", ip: 229, headers: ["X-A: 1"], cause: .none),
                            DiffRequest(path: "/hi/b.txt", ip: 230, cause: .none),
                            DiffRequest(path: "/link.html", ip: 231, cause: .fsSymlink),
                         ]),
            // Require method (mod_authz_core): HEAD is GET to it.
            DiffScenario(name: "require-method-head", conf: granted + """
                <Directory "{ROOT}/www/rm">
                    Require method GET POST
                </Directory>
                <Directory "{ROOT}/www/le2">
                    <LimitExcept GET POST>
                        Require all denied
                    </LimitExcept>
                </Directory>
                """,
                         files: ["www/rm/a.txt": "a", "www/le2/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/rm/a.txt", ip: 232, method: "HEAD", cause: .none),
                            DiffRequest(path: "/rm/a.txt", ip: 233, method: "PUT", cause: .accessDeny),
                            DiffRequest(path: "/le2/a.txt", ip: 234, method: "HEAD", cause: .none),
                            DiffRequest(path: "/le2/a.txt", ip: 235, method: "DELETE", cause: .accessDeny),
                         ]),
            // <Limit>/<LimitExcept>: HEAD follows GET; a method the section does not name.
            DiffScenario(name: "limit-head-get", conf: granted + """
                <Directory "{ROOT}/www/lg">
                    <Limit GET>
                        Require ip 127.0.0.176
                    </Limit>
                </Directory>
                <Directory "{ROOT}/www/lp">
                    <Limit POST PUT>
                        Require all denied
                    </Limit>
                </Directory>
                <Directory "{ROOT}/www/le">
                    <LimitExcept GET>
                        Require all denied
                    </LimitExcept>
                </Directory>
                <Directory "{ROOT}/www/lr">
                    Require all denied
                    <Limit GET>
                        Require all granted
                    </Limit>
                </Directory>
                """,
                         files: ["www/lg/a.txt": "a", "www/lp/a.txt": "a", "www/le/a.txt": "a", "www/lr/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/lg/a.txt", ip: 176, cause: .none),
                            DiffRequest(path: "/lg/a.txt", ip: 177, cause: .accessIP),
                            DiffRequest(path: "/lg/a.txt", ip: 178, method: "HEAD", cause: .accessIP),
                            DiffRequest(path: "/lg/a.txt", ip: 176, method: "HEAD", cause: .none),
                            DiffRequest(path: "/lg/a.txt", ip: 179, method: "POST", cause: .none),
                            DiffRequest(path: "/lp/a.txt", ip: 180, cause: .none),
                            DiffRequest(path: "/lp/a.txt", ip: 180, method: "HEAD", cause: .none),
                            DiffRequest(path: "/lp/a.txt", ip: 181, method: "POST", cause: .accessDeny),
                            DiffRequest(path: "/le/a.txt", ip: 182, cause: .none),
                            DiffRequest(path: "/le/a.txt", ip: 182, method: "HEAD", cause: .none),
                            DiffRequest(path: "/le/a.txt", ip: 183, method: "POST", cause: .accessDeny),
                            DiffRequest(path: "/le/a.txt", ip: 183, method: "OPTIONS", cause: .accessDeny),
                            DiffRequest(path: "/lr/a.txt", ip: 184, cause: .none),
                            DiffRequest(path: "/lr/a.txt", ip: 184, method: "HEAD", cause: .none),
                            DiffRequest(path: "/lr/a.txt", ip: 185, method: "POST", cause: .accessDeny),
                         ]),
            // <Limit>/<LimitExcept> and <FilesMatch> in .htaccess; a <FilesMatch> in .htaccess against a
            // <DirectoryMatch> (which merges first).
            DiffScenario(name: "htaccess-limit-filesmatch", conf: """
                <Directory "{ROOT}/www">
                    AllowOverride All
                    Require all granted
                </Directory>
                <DirectoryMatch "^{ROOT}/www/dm/">
                    Require all denied
                </DirectoryMatch>
                """,
                         files: ["www/lg/.htaccess": "<Limit GET>\nRequire ip 127.0.0.242\n</Limit>\n", "www/lg/a.txt": "a",
                                 "www/le/.htaccess": "<LimitExcept GET>\nRequire all denied\n</LimitExcept>\n", "www/le/a.txt": "a",
                                 "www/fm/.htaccess": "<FilesMatch \"\\.(ini|bak)$\">\nRequire all denied\n</FilesMatch>\n",
                                 "www/fm/a.ini": "i", "www/fm/a.txt": "a",
                                 "www/dm/.htaccess": "<FilesMatch \"\\.txt$\">\nRequire all granted\n</FilesMatch>\n",
                                 "www/dm/a.txt": "a", "www/dm/a.ini": "i"],
                         requests: [
                            DiffRequest(path: "/lg/a.txt", ip: 242, cause: .none),
                            DiffRequest(path: "/lg/a.txt", ip: 243, cause: .accessIP),
                            DiffRequest(path: "/lg/a.txt", ip: 243, method: "HEAD", cause: .accessIP),
                            DiffRequest(path: "/le/a.txt", ip: 244, method: "HEAD", cause: .none),
                            DiffRequest(path: "/le/a.txt", ip: 244, method: "POST", cause: .accessDeny),
                            DiffRequest(path: "/fm/a.ini", ip: 245, cause: .accessDeny),
                            DiffRequest(path: "/fm/a.txt", ip: 245, cause: .none),
                            DiffRequest(path: "/dm/a.txt", ip: 246, cause: .none),
                            DiffRequest(path: "/dm/a.ini", ip: 246, cause: .accessDeny),
                         ]),
            // mod_allowmethods: 405 for a method not listed, HEAD with GET.
            DiffScenario(name: "allowmethods", conf: granted + """
                <Location "/am/">
                    AllowMethods GET POST OPTIONS
                </Location>
                <Directory "{ROOT}/www/am2">
                    AllowMethods GET
                </Directory>
                <Directory "{ROOT}/www/am3">
                    AllowMethods reset
                </Directory>
                """,
                         files: ["www/am/a.txt": "a", "www/am2/a.txt": "a", "www/am3/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/am/a.txt", ip: 186, cause: .none),
                            DiffRequest(path: "/am/a.txt", ip: 186, method: "HEAD", cause: .none),
                            DiffRequest(path: "/am/a.txt", ip: 187, method: "DELETE", cause: .accessDeny),
                            DiffRequest(path: "/am2/a.txt", ip: 188, method: "HEAD", cause: .none),
                            DiffRequest(path: "/am2/a.txt", ip: 189, method: "POST", cause: .accessDeny),
                            DiffRequest(path: "/am2/a.txt", ip: 189, method: "PUT", cause: .accessDeny),
                            DiffRequest(path: "/am3/a.txt", ip: 190, method: "DELETE", cause: .none),
                         ], modules: ["allowmethods"]),
            // Options FollowSymLinks / SymLinksIfOwnerMatch / none, at each level: <Directory>, .htaccess
            // (both before the walk descends), and <DirectoryMatch>, <Location>, <Files> (after the walk:
            // they do not decide a link on the path).
            DiffScenario(name: "options-symlinks-levels", conf: """
                <Directory "{ROOT}/www">
                    Options None
                    AllowOverride All
                    Require all granted
                </Directory>
                <Directory "{ROOT}/www/f">
                    Options FollowSymLinks
                </Directory>
                <Directory "{ROOT}/www/o">
                    Options SymLinksIfOwnerMatch
                </Directory>
                <DirectoryMatch "^{ROOT}/www/m/">
                    Options FollowSymLinks
                </DirectoryMatch>
                <Location "/l/">
                    Options FollowSymLinks
                </Location>
                <Files "fl.txt">
                    Options FollowSymLinks
                </Files>
                """,
                         files: ["target.txt": "t", "www/real.txt": "r", "www/n/real.txt": "r", "www/f/real.txt": "r",
                                 "www/o/real.txt": "r", "www/o/theirs.txt": "t", "www/m/.keep": "", "www/l/.keep": "",
                                 "www/h/.htaccess": "Options +FollowSymLinks\n",
                                 "www/f/hn/.htaccess": "Options -FollowSymLinks\n",
                                 "www/ho/.htaccess": "Options +SymLinksIfOwnerMatch\n", "www/ho/theirs.txt": "t",
                                 "www/ho/real.txt": "r"],
                         setup: ["chmod a+r target.txt",
                                 "ln -s {ROOT}/www/real.txt www/link.txt",
                                 "ln -s ../real.txt www/f/link.txt",
                                 "ln -s real.txt www/o/same.txt",
                                 "chown nobody www/o/theirs.txt www/ho/theirs.txt", "ln -s theirs.txt www/o/other.txt",
                                 "ln -s ../real.txt www/m/link.txt",
                                 "ln -s ../real.txt www/l/link.txt",
                                 "ln -s real.txt www/fl.txt",
                                 "ln -s ../real.txt www/h/link.txt",
                                 "ln -s ../real.txt www/f/hn/link.txt",
                                 "ln -s theirs.txt www/ho/other.txt", "ln -s real.txt www/ho/same.txt",
                                 "ln -s n www/mid", "ln -s ../n www/f/mid"],
                         requests: [
                            DiffRequest(path: "/link.txt", ip: 191, cause: .fsSymlink),
                            DiffRequest(path: "/real.txt", ip: 191, cause: .none),
                            DiffRequest(path: "/f/link.txt", ip: 192, cause: .none),
                            DiffRequest(path: "/o/same.txt", ip: 193, cause: .none),
                            DiffRequest(path: "/o/other.txt", ip: 194, cause: .fsSymlink),
                            DiffRequest(path: "/m/link.txt", ip: 195, cause: .fsSymlink),
                            DiffRequest(path: "/l/link.txt", ip: 196, cause: .fsSymlink),
                            DiffRequest(path: "/fl.txt", ip: 197, cause: .fsSymlink),
                            DiffRequest(path: "/h/link.txt", ip: 198, cause: .none),
                            DiffRequest(path: "/f/hn/link.txt", ip: 199, cause: .fsSymlink),
                            DiffRequest(path: "/ho/other.txt", ip: 200, cause: .fsSymlink),
                            DiffRequest(path: "/ho/same.txt", ip: 201, cause: .none),
                            DiffRequest(path: "/mid/real.txt", ip: 202, cause: .fsSymlink),
                            DiffRequest(path: "/f/mid/real.txt", ip: 203, cause: .none),
                         ]),
            // ErrorDocument 403 with a URL (a redirect), a local path (the 403 stays, the document is its
            // body; one that is itself refused or missing), and text; in .htaccess too.
            DiffScenario(name: "errordocument-403", conf: granted + """
                <Directory "{ROOT}/www/u">
                    Require all denied
                    ErrorDocument 403 http://example.test/denied
                </Directory>
                <Directory "{ROOT}/www/p">
                    Require all denied
                    ErrorDocument 403 /errors/403.html
                </Directory>
                <Directory "{ROOT}/www/t">
                    Require all denied
                    ErrorDocument 403 "Go away"
                </Directory>
                <Directory "{ROOT}/www/pd">
                    Require all denied
                    ErrorDocument 403 /closed-errors/403.html
                </Directory>
                <Directory "{ROOT}/www/closed-errors">
                    Require all denied
                </Directory>
                <Directory "{ROOT}/www/pm">
                    Require all denied
                    ErrorDocument 403 /errors/missing.html
                </Directory>
                <Directory "{ROOT}/www/hu">
                    AllowOverride All
                </Directory>
                """,
                         files: ["www/u/a.txt": "a", "www/p/a.txt": "a", "www/t/a.txt": "a", "www/pd/a.txt": "a",
                                 "www/pm/a.txt": "a", "www/errors/403.html": "e", "www/closed-errors/403.html": "e",
                                 "www/hu/.htaccess": "Require all denied\nErrorDocument 403 https://example.test/\n",
                                 "www/hu/a.txt": "a"],
                         requests: [
                            DiffRequest(path: "/u/a.txt", ip: 204, cause: .accessDeny),
                            DiffRequest(path: "/p/a.txt", ip: 205, cause: .accessDeny),
                            DiffRequest(path: "/t/a.txt", ip: 206, cause: .accessDeny),
                            DiffRequest(path: "/pd/a.txt", ip: 207, cause: .accessDeny),
                            DiffRequest(path: "/pm/a.txt", ip: 208, cause: .accessDeny),
                            DiffRequest(path: "/hu/a.txt", ip: 209, cause: .accessDeny),
                         ]),
            // ErrorDocument and refusals met during the directory walk (a symlink, a search permission):
            // which ErrorDocument is in force then.
            DiffScenario(name: "errordocument-walk", conf: """
                ErrorDocument 403 http://example.test/server
                <Directory "{ROOT}/www">
                    Require all granted
                </Directory>
                <Directory "{ROOT}/www/nofollow">
                    Options -FollowSymLinks
                </Directory>
                <Directory "{ROOT}/www/dirdoc">
                    Options -FollowSymLinks
                    ErrorDocument 403 http://example.test/dir
                </Directory>
                <Directory "{ROOT}/www/local">
                    Require all denied
                    ErrorDocument 403 /e.html
                </Directory>
                <Location "/loc/">
                    ErrorDocument 403 "text from a Location"
                </Location>
                <Directory "{ROOT}/www/loc">
                    Require all denied
                </Directory>
                """,
                         files: ["www/e.html": "e", "www/real.txt": "r", "www/nofollow/.keep": "", "www/dirdoc/.keep": "",
                                 "www/local/a.txt": "a", "www/loc/a.txt": "a", "www/locked/a.txt": "a", "www/plain/a.txt": "a"],
                         setup: ["ln -s ../real.txt www/nofollow/link.txt", "ln -s ../real.txt www/dirdoc/link.txt",
                                 "chmod 700 www/locked"],
                         requests: [
                            DiffRequest(path: "/nofollow/link.txt", ip: 236, cause: .fsSymlink),
                            DiffRequest(path: "/dirdoc/link.txt", ip: 237, cause: .fsSymlink),
                            DiffRequest(path: "/locked/a.txt", ip: 238, cause: .fsPermission),
                            DiffRequest(path: "/local/a.txt", ip: 239, cause: .accessDeny),
                            DiffRequest(path: "/loc/a.txt", ip: 240, cause: .accessDeny),
                            DiffRequest(path: "/plain/a.txt", ip: 241, cause: .none),
                         ]),
            // No AllowOverride anywhere (not even at /): the documented default is None, but httpd 2.4
            // leaves it "unset", and then still opens .htaccess files and refuses every directive in them
            // (500 "… not allowed here"); comments alone are harmless, an unreadable file is AH00529.
            DiffScenario(name: "htaccess-no-allowoverride-anywhere", conf: """
                <Directory "{ROOT}/www">
                    Require all granted
                </Directory>
                <Directory "{ROOT}/www/on">
                    AllowOverride AuthConfig
                </Directory>
                <Directory "{ROOT}/www/list">
                    AllowOverrideList Redirect
                </Directory>
                """,
                         files: ["www/a.txt": "a",
                                 "www/list/.htaccess": "Redirect 301 /list/a.txt http://example.test/\n", "www/list/a.txt": "a",
                                 "www/list/deny/.htaccess": "Require all denied\n", "www/list/deny/a.txt": "a",
                                 "www/deny/.htaccess": "Require all denied\n", "www/deny/a.txt": "a",
                                 "www/compat/.htaccess": "Deny from all\n", "www/compat/a.txt": "a",
                                 "www/module/.htaccess": "<IfModule rewrite_module>\n</IfModule>\n", "www/module/a.txt": "a",
                                 "www/comments/.htaccess": "# nothing here\n\n", "www/comments/a.txt": "a",
                                 "www/unread/.htaccess": "Require all denied\n", "www/unread/a.txt": "a",
                                 "www/on/.htaccess": "Require all denied\n", "www/on/a.txt": "a",
                                 "www/on/unread/.htaccess": "Require all granted\n", "www/on/unread/a.txt": "a"],
                         setup: ["chmod 000 www/unread/.htaccess www/on/unread/.htaccess"],
                         requests: [
                            DiffRequest(path: "/a.txt", ip: 210, cause: .none),
                            DiffRequest(path: "/deny/a.txt", ip: 211, cause: .configError),
                            DiffRequest(path: "/compat/a.txt", ip: 211, cause: .configError),
                            DiffRequest(path: "/module/a.txt", ip: 211, cause: .configError),
                            DiffRequest(path: "/comments/a.txt", ip: 211, cause: .none),
                            DiffRequest(path: "/unread/a.txt", ip: 212, cause: .fsPermission),
                            DiffRequest(path: "/on/a.txt", ip: 213, cause: .accessDeny),
                            DiffRequest(path: "/on/unread/a.txt", ip: 214, cause: .fsPermission),
                            DiffRequest(path: "/list/a.txt", ip: 214, cause: .none),
                            DiffRequest(path: "/list/deny/a.txt", ip: 214, cause: .configError),
                         ],
                         rootOverride: false),
            // Alias to a directory outside the document root: refused by <Directory /> unless a <Directory>
            // grants it; a trailing slash in the alias; search permission on the target.
            DiffScenario(name: "alias-outside-root", conf: granted + """
                Alias "/ext" "{ROOT}/ext"
                Alias "/ext2" "{ROOT}/ext2"
                <Directory "{ROOT}/ext2">
                    Require all granted
                </Directory>
                Alias "/ext3/" "{ROOT}/ext3/"
                <Directory "{ROOT}/ext3">
                    Require all granted
                </Directory>
                Alias "/ext4" "{ROOT}/ext4"
                <Directory "{ROOT}/ext4">
                    Require ip 127.0.0.215
                </Directory>
                Alias "/locked" "{ROOT}/locked"
                <Directory "{ROOT}/locked">
                    Require all granted
                </Directory>
                """,
                         files: ["ext/f.txt": "f", "ext2/f.txt": "f", "ext3/f.txt": "f", "ext4/f.txt": "f", "locked/f.txt": "f",
                                 "www/a.txt": "a"],
                         setup: ["chmod -R a+rX ext ext2 ext3 ext4", "chmod 700 locked"],
                         requests: [
                            DiffRequest(path: "/ext/f.txt", ip: 215, cause: .accessDeny),
                            DiffRequest(path: "/ext/", ip: 216, cause: .accessDeny),
                            DiffRequest(path: "/ext2/f.txt", ip: 217, cause: .none),
                            DiffRequest(path: "/ext2/none.txt", ip: 218, cause: .none),
                            DiffRequest(path: "/ext3", ip: 219, cause: .none),
                            DiffRequest(path: "/ext3/f.txt", ip: 220, cause: .none),
                            DiffRequest(path: "/ext4/f.txt", ip: 215, cause: .none),
                            DiffRequest(path: "/ext4/f.txt", ip: 221, cause: .accessIP),
                            DiffRequest(path: "/locked/f.txt", ip: 222, cause: .fsPermission),
                         ]),
        ]
    }

    func testSectionsAgainstRealApache() throws {
        let run = try ApacheHarness.runAll(Self.scenarios, label: "apache section differential")
        if !run.filtered { XCTAssertGreaterThanOrEqual(run.requests, 60) }
    }
}
