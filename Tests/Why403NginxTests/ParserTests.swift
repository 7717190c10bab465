import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Nginx

final class ParserTests: XCTestCase {
    func testParsesIncludesSpecialBodiesAndUnknownBlocks() throws {
        let path = Fixtures.url("nginx/parse-basic/nginx.conf").path
        let config = try Parser.parse(path: path)
        XCTAssertEqual(config.files.count, 4)
        XCTAssertEqual(config.files.map { ($0.path as NSString).lastPathComponent }, ["nginx.conf", "mime.types", "10-shop.conf", "20-api.conf"])
        let http = try XCTUnwrap(config.expanded.first { $0.name == "http" })
        let servers = http.children("server")
        XCTAssertEqual(servers.count, 2)
        XCTAssertTrue(servers[0].location.file.hasSuffix("conf.d/10-shop.conf"))
        XCTAssertEqual(servers[0].location.line, 1)
        let map = try XCTUnwrap(http.child("map"))
        XCTAssertEqual(map.args, ["$http_user_agent", "$bad_agent"])
        XCTAssertEqual(map.block?[1].name, "~*(curl|wget|python-requests)")
        XCTAssertNotNil(http.child("types"))
        let unknown = try XCTUnwrap(servers[1].child("some_module_block"))
        XCTAssertEqual(unknown.block?.first?.args, ["single quoted value", "double \"quoted\""])
        let ifd = try XCTUnwrap(servers[0].child("if"))
        XCTAssertEqual(ifd.args, ["$bad_agent"])
        XCTAssertEqual(ifd.location.line, 33)
    }

    func testDumpSections() throws {
        let text = try Fixtures.string("nginx/parse-dump/dump.txt")
        let config = try Parser.parse(dump: text)
        XCTAssertEqual(config.files.map(\.path), ["/etc/nginx/nginx.conf", "/etc/nginx/sites-enabled/default"])
        let deny = config.expanded.first { $0.name == "http" }?.child("server")?.child("location")?.child("deny")
        XCTAssertEqual(deny?.location, SourceLocation(file: "/etc/nginx/sites-enabled/default", line: 5))
        XCTAssertThrowsError(try Parser.parse(dump: "user nobody;\n")) { e in
            XCTAssertTrue("\(e)".contains("# configuration file"), "\(e)")
        }
    }

    func testErrorsInNginxWords() {
        let cases: [(String, String, Int)] = [
            ("http {\n  server {\n", "unexpected end of file, expecting \"}\"", 2),
            ("events {}\n}\n", "unexpected \"}\"", 2),
            ("user nobody\n", "unexpected end of file, expecting \";\" or \"}\"", 1),
            ("http { root /a {\n} }", "directive \"root\" is not terminated by \";\"", 1),
            ("http {\n location /;\n}", "directive \"location\" has no opening \"{\"", 2),
            ("http { allow; }", "invalid number of arguments in \"allow\" directive", 1),
            ("user \"nobody;\n", "unexpected end of file, expecting '\"'", 1),
            ("user \"a\"b;", "unexpected \"b\"", 1),
            (";", "unexpected \";\"", 1),
        ]
        for (text, message, line) in cases {
            XCTAssertThrowsError(try Parser.parse(text: text, path: "/x/nginx.conf"), text) { e in
                guard let e = e as? InputError else { return XCTFail("not an InputError: \(e)") }
                XCTAssertEqual(e.message, message, text)
                XCTAssertEqual(e.line, line, text)
                XCTAssertEqual(e.file, "/x/nginx.conf", text)
            }
        }
    }

    func testMissingIncludeNamesTheIncludingLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("nginx.conf", "events {}\nhttp {\n    include missing.conf;\n    include none-*.conf;\n}\n")
        XCTAssertThrowsError(try Parser.parse(path: dir.path + "/nginx.conf")) { e in
            let e = e as? InputError
            XCTAssertEqual(e?.line, 3)
            XCTAssertTrue(e?.message.contains("No such file or directory") ?? false)
        }
    }

    func testHostileFilesAreInputErrors() {
        for path in ["/dev/zero", "/etc", "/nonexistent/nginx.conf"] {
            XCTAssertThrowsError(try Parser.parse(path: path), path) { e in
                XCTAssertEqual((e as? InputError)?.file, path)
            }
        }
    }

    func testLexerEscapesAndVariables() throws {
        let t = try Lexer.tokenize("set $a \"x\\\"y\" ; rewrite ^/(.*)\\.html$ /${a}b; if ($x ~ \"a b\") {}", file: "t")
        XCTAssertEqual(t.map(\.text), ["set", "$a", "x\"y", ";", "rewrite", "^/(.*)\\.html$", "/${a}b", ";", "if", "($x", "~", "a b", ")", "{", "}"])
    }

    /// issue 11 (fuzzing find): files that each include their own directory twice expanded
    /// exponentially; `why403 nginx` spun for minutes. Now an include cycle is an error naming the chain.
    func testIssue11IncludeCycleIsAnErrorNamingTheChain() throws {
        let files = [
            "/x/nginx.conf": "events {}\nhttp {\n    include conf.d/*.conf;\n}\n",
            "/x/conf.d/a.conf": "include conf.d/*.conf;\ninclude conf.d/*.conf;\n",
            "/x/conf.d/b.conf": "include conf.d/*.conf;\ninclude conf.d/*.conf;\n",
        ]
        XCTAssertThrowsError(try Parser.parse(path: "/x/nginx.conf", source: FuzzTests.MemorySource(files: files))) { e in
            let e = e as? InputError
            XCTAssertEqual(e?.file, "/x/conf.d/a.conf")
            XCTAssertTrue(e?.message.contains("an include cycle: /x/nginx.conf:3 → /x/conf.d/a.conf:1") ?? false, e?.message ?? "")
        }
    }

    /// issue 11: an acyclic chain where each file includes the next twice doubles at each level.
    func testIssue11ExponentialIncludesAreBounded() throws {
        var files = ["/x/nginx.conf": "events {}\nhttp {\n    include f0.conf;\n}\n"]
        for i in 0..<30 {
            files["/x/f\(i).conf"] = "set $a\(i) 1;\ninclude f\(i + 1).conf;\ninclude f\(i + 1).conf;\n"
        }
        files["/x/f30.conf"] = "set $end 1;\n"
        XCTAssertThrowsError(try Parser.parse(path: "/x/nginx.conf", source: FuzzTests.MemorySource(files: files))) { e in
            XCTAssertTrue((e as? InputError)?.message.contains("the includes expand to more than") ?? false, "\(e)")
        }
        // Too deep, even when small.
        var deep = ["/x/nginx.conf": "events {}\nhttp {\n    include d0.conf;\n}\n"]
        for i in 0..<40 { deep["/x/d\(i).conf"] = "include d\(i + 1).conf;\n" }
        deep["/x/d40.conf"] = "\n"
        XCTAssertThrowsError(try Parser.parse(path: "/x/nginx.conf", source: FuzzTests.MemorySource(files: deep))) { e in
            XCTAssertTrue((e as? InputError)?.message.contains("include nesting") ?? false, "\(e)")
        }
        // A directory included twice by the main file alone is fine (nginx reads it twice too).
        let twice = ["/x/nginx.conf": "events {}\nhttp {\n    include conf.d/*.conf;\n    include conf.d/*.conf;\n}\n",
                     "/x/conf.d/a.conf": "server { listen 80; }\n"]
        XCTAssertNoThrow(try Parser.parse(path: "/x/nginx.conf", source: FuzzTests.MemorySource(files: twice)))
    }
}
