import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403Apache
import Why403TestSupport

/// The configuration reader: language, includes, conditionals, variables, the Debian layout, errors.
final class ApacheConfigParserTests: XCTestCase {
    func parse(_ fs: InMemoryFileSystem, _ main: String, defines: [String] = []) throws -> ApacheConfig {
        var p = ApacheConfigParser(fileSystem: fs, defines: defines)
        return try p.parse(mainFile: main)
    }

    func names(_ ds: [ApacheDirective]) -> [String] { ds.map(\.name) }

    func testDirectivesSectionsQuotesContinuations() throws {
        var fs = InMemoryFileSystem()
        fs.file("/etc/h/httpd.conf", """
        # a comment
        ServerName "my host"
        <Directory "/var/www/html">
            Options Indexes \\
                FollowSymLinks
            Require ip 10.0.0.0/8 'a b'
        </Directory>
        """)
        let c = try parse(fs, "/etc/h/httpd.conf")
        XCTAssertEqual(names(c.directives), ["ServerName", "Directory"])
        XCTAssertEqual(c.directives[0].args, ["my host"])
        let dir = c.directives[1]
        XCTAssertEqual(dir.args, ["/var/www/html"])
        XCTAssertEqual(dir.children?.map(\.name), ["Options", "Require"])
        XCTAssertEqual(dir.children?[0].args, ["Indexes", "FollowSymLinks"])
        XCTAssertEqual(dir.children?[0].location.line, 4)
        XCTAssertEqual(dir.children?[1].args, ["ip", "10.0.0.0/8", "a b"])
    }

    func testIncludeGlobsSortedAndOptional() throws {
        var fs = InMemoryFileSystem()
        fs.file("/srv/conf/httpd.conf", "ServerRoot /srv/conf\nInclude sites/*.conf\nIncludeOptional none/*.conf\nInclude extra\n")
        fs.file("/srv/conf/sites/b.conf", "Listen 81\n")
        fs.file("/srv/conf/sites/a.conf", "Listen 80\n")
        fs.file("/srv/conf/sites/skip.txt", "Listen 99\n")
        fs.file("/srv/conf/extra/x/one.conf", "Define ONE\n")
        let c = try parse(fs, "/srv/conf/httpd.conf")
        let listens = c.directives.filter { $0.is("Listen") }.map { $0.args[0] }
        XCTAssertEqual(listens, ["80", "81"])
        XCTAssertEqual(c.defines["ONE"], "")
        XCTAssertEqual(c.directives.first { $0.is("Listen") }?.location.file, "/srv/conf/sites/a.conf")
    }

    func testIncludeMissingIsAnErrorWithApacheWording() throws {
        var fs = InMemoryFileSystem()
        fs.file("/c/httpd.conf", "ServerRoot /c\nInclude conf.d/*.conf\n")
        fs.directory("/c/conf.d")
        XCTAssertThrowsError(try parse(fs, "/c/httpd.conf")) { e in
            let err = e as? InputError
            XCTAssertEqual(err?.file, "/c/httpd.conf")
            XCTAssertEqual(err?.line, 2)
            XCTAssertEqual(err?.message, "No matches for the wildcard '*.conf' in '/c/conf.d', failing")
        }
    }

    func testConditionals() throws {
        var fs = InMemoryFileSystem()
        fs.file("/c/httpd.conf", """
        LoadModule rewrite_module modules/mod_rewrite.so
        Define PROD
        <IfModule mod_rewrite.c>
            RewriteEngine On
        </IfModule>
        <IfModule !rewrite_module>
            Include /does/not/exist.conf
        </IfModule>
        <IfModule security2_module>
            SecRuleEngine On
        </IfModule>
        <IfDefine PROD>
            ServerName prod
        </IfDefine>
        <IfDefine !PROD>
            ServerName dev
        </IfDefine>
        <IfVersion >= 2.4>
            Listen 80
        </IfVersion>
        <IfVersion < 2.2>
            Listen 81
        </IfVersion>
        <IfModule version_module>
            ServerAdmin x@y
        </IfModule>
        Listen ${PROD}8080
        """)
        let c = try parse(fs, "/c/httpd.conf")
        XCTAssertEqual(names(c.directives), ["LoadModule", "Define", "RewriteEngine", "ServerName", "Listen", "ServerAdmin", "Listen"])
        XCTAssertEqual(c.directives.first { $0.is("ServerName") }?.args, ["prod"])
        XCTAssertEqual(c.directives.last?.args, ["8080"])
    }

    func testDebianLayoutFromMainFile() throws {
        var fs = InMemoryFileSystem()
        fs.file("/etc/apache2/envvars", "unset HOME\nexport APACHE_RUN_USER=www-data\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n")
        fs.file("/etc/apache2/apache2.conf", """
        User ${APACHE_RUN_USER}
        ErrorLog ${APACHE_LOG_DIR}/error.log
        IncludeOptional mods-enabled/*.load
        IncludeOptional mods-enabled/*.conf
        Include ports.conf
        IncludeOptional conf-enabled/*.conf
        IncludeOptional sites-enabled/*.conf
        """)
        fs.file("/etc/apache2/mods-enabled/dir.load", "LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so\n")
        fs.file("/etc/apache2/mods-enabled/dir.conf", "<IfModule mod_dir.c>\n DirectoryIndex index.html\n</IfModule>\n")
        fs.file("/etc/apache2/ports.conf", "Listen 80\n")
        fs.file("/etc/apache2/sites-enabled/000-default.conf", "<VirtualHost *:80>\n DocumentRoot /var/www/html\n</VirtualHost>\n")
        let c = try parse(fs, "/etc/apache2/apache2.conf")
        XCTAssertTrue(c.debianLayout)
        XCTAssertEqual(c.serverRoot, "/etc/apache2")
        XCTAssertEqual(c.directives[0].args, ["www-data"])
        XCTAssertEqual(c.directives[1].args, ["/var/log/apache2/error.log"])
        XCTAssertTrue(c.hasModule("dir"))
        XCTAssertTrue(c.directives.contains { $0.is("DirectoryIndex") })
        XCTAssertTrue(c.directives.contains { $0.is("VirtualHost") })
    }

    func testStructuralErrorsUseApacheWording() throws {
        let cases: [(String, Int, String)] = [
            ("<Directory /x>\nRequire all granted\n", 1, "<Directory> was not closed."),
            ("</Directory>\n", 1, "</Directory> without matching <Directory> section"),
            ("<Directory /x>\n</Files>\n", 2, "Expected </Directory> but saw </Files>"),
            ("<Directory /x\n</Directory>\n", 1, "<Directory> directive missing closing '>'"),
            ("Include /nope.conf\n", 1, "could not open configuration file /nope.conf: No such file or directory"),
        ]
        for (text, line, message) in cases {
            var fs = InMemoryFileSystem()
            fs.file("/c/httpd.conf", text)
            XCTAssertThrowsError(try parse(fs, "/c/httpd.conf"), text) { e in
                let err = (e as? InputError) ?? (e as? InputErrors)?.errors.first
                XCTAssertEqual(err?.file, "/c/httpd.conf", text)
                XCTAssertEqual(err?.line, line, text)
                XCTAssertEqual(err?.message, message, text)
            }
        }
    }

    func testBinaryAndLoopsAreInputErrors() throws {
        var fs = InMemoryFileSystem()
        fs.file("/c/bin.conf", "Listen 80\nab\u{0}cd\n")
        XCTAssertThrowsError(try parse(fs, "/c/bin.conf")) { e in
            let err = e as? InputError
            XCTAssertEqual(err?.line, 2)
            XCTAssertTrue(err?.message.contains("binary") ?? false)
        }
        var loop = InMemoryFileSystem()
        loop.file("/c/a.conf", "Include /c/a.conf\n")
        XCTAssertThrowsError(try parse(loop, "/c/a.conf")) { e in
            XCTAssertTrue(String(describing: e).contains("recursive Include of /c/a.conf"))
        }
    }

    /// Found by Fuzz/apache: a directory Include holding the main file twice grew exponentially.
    func testSelfIncludingDirectoryIsAnErrorNotAnExplosion() throws {
        var fs = InMemoryFileSystem()
        fs.file("/c/httpd.conf", "Include /c/\nInclude /c/\n")
        XCTAssertThrowsError(try parse(fs, "/c/httpd.conf")) { e in
            XCTAssertTrue(String(describing: e).contains("recursive Include of /c/httpd.conf"), "\(e)")
        }
    }

    /// Bounded mutation fuzzing: random edits of a valid configuration must parse or give an
    /// InputError with a file, never crash or hang.
    func testParserFuzzMutations() throws {
        let seed = """
        ServerRoot /c
        Define X 1
        <IfModule mod_rewrite.c>
          RewriteEngine On
          RewriteCond %{HTTP_REFERER} !^$ [NC,OR]
          RewriteRule \\.png$ - [F]
        </IfModule>
        <VirtualHost *:80>
          ServerName a.test
          <Directory "/var/www/${X}">
            Options -Indexes \\
              +FollowSymLinks
            <RequireAll>
              Require ip 10.0.0.0/8
              Require not env bad
            </RequireAll>
          </Directory>
        </VirtualHost>
        Include /c/inc/*.conf
        """
        let alphabet = Array("<>/\\\"' \n\t#${}*?[]:=!~%0aZ\u{0}é")
        var rng = SplitMix64(seed: 0x403)
        var fs = InMemoryFileSystem()
        fs.file("/c/inc/x.conf", "Listen 80\n")
        let base = Array(seed)
        var parsed = 0, rejected = 0
        for _ in 0..<600 {
            var chars = base
            for _ in 0..<(1 + Int(rng.next() % 6)) {
                let pos = chars.isEmpty ? 0 : Int(rng.next() % UInt64(chars.count))
                switch rng.next() % 4 {
                case 0: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: pos)
                case 1: if !chars.isEmpty { chars.remove(at: pos) }
                case 2: chars = Array(chars.prefix(pos))
                default:
                    let len = Int(rng.next() % 40)
                    let slice = chars[pos..<min(chars.count, pos + len)]
                    chars.insert(contentsOf: slice, at: min(chars.count, pos + len))
                }
            }
            fs.file("/c/httpd.conf", String(chars))
            do {
                var p = ApacheConfigParser(fileSystem: fs)
                _ = try p.parse(mainFile: "/c/httpd.conf")
                parsed += 1
            } catch let e as InputError {
                XCTAssertNotNil(e.file); rejected += 1
            } catch let e as InputErrors {
                XCTAssertFalse(e.errors.isEmpty); XCTAssertNotNil(e.errors[0].file); rejected += 1
            }
        }
        XCTAssertEqual(parsed + rejected, 600)
    }
}
