import Foundation
import XCTest
import Why403Core
import Why403FileSystem
import Why403TestSupport
@testable import Why403Nginx

/// Bounded mutation fuzzing of the parser and the simulator: random bytes, truncations and mutated
/// real configurations give a tree or an `InputError`, never a crash or a hang.
final class FuzzTests: XCTestCase {
    /// Only the fixture's files: a mutated `include` can never reach /dev or /proc.
    struct MemorySource: ConfigSource {
        var files: [String: String]
        func read(_ path: String) throws -> String {
            guard let t = files[path] else { throw InputError(file: path, message: "open() failed (2: No such file or directory)") }
            return t
        }
        func glob(_ pattern: String) -> [String] { files.keys.filter { fnmatch(pattern, $0, FNM_PATHNAME) == 0 }.sorted() }
    }


    func corpus() throws -> [String: String] {
        var files: [String: String] = [:]
        let root = Fixtures.url("nginx/parse-basic")
        let e = FileManager.default.enumerator(atPath: root.path)
        while let f = e?.nextObject() as? String {
            let p = root.appendingPathComponent(f).path
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue {
                files["/fx/" + f] = try String(contentsOfFile: p, encoding: .utf8)
            }
        }
        return files
    }

    func testMutatedConfigurationsNeverCrash() throws {
        let base = try corpus()
        let main = try XCTUnwrap(base["/fx/nginx.conf"])
        let shop = try XCTUnwrap(base["/fx/conf.d/10-shop.conf"])
        var rng = SplitMix64(seed: 0x403)
        let alphabet: [UInt8] = Array("{};\"'\\$#\n ~*^=()/.:@".utf8)
        var parsed = 0, rejected = 0
        var fs = InMemoryFileSystem()
        fs.user("www-data", uid: 33, gid: 33)
        fs.file("/srv/shop/index.html", "x")
        for round in 0..<1500 {
            var files = base
            let target = round % 2 == 0 ? "/fx/nginx.conf" : "/fx/conf.d/10-shop.conf"
            var bytes = Array((round % 2 == 0 ? main : shop).utf8)
            switch round % 5 {
            case 0: // truncation
                bytes = Array(bytes.prefix(rng.int(bytes.count + 1)))
            case 1: // random bytes
                bytes = (0..<rng.int(400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            default: // mutations with the language's punctuation
                for _ in 0..<(1 + rng.int(6)) where !bytes.isEmpty {
                    let i = rng.int(bytes.count)
                    switch rng.int(3) {
                    case 0: bytes[i] = alphabet[rng.int(alphabet.count)]
                    case 1: bytes.insert(alphabet[rng.int(alphabet.count)], at: i)
                    default: bytes.remove(at: i)
                    }
                }
            }
            files[target] = String(decoding: bytes, as: UTF8.self)
            do {
                let config = try Parser.parse(path: "/fx/nginx.conf", source: MemorySource(files: files))
                parsed += 1
                let req = try Request(url: "http://shop.test/admin/", headers: [("Referer", "http://x.test/")],
                                      clientIP: "203.0.113.9")
                _ = try? NginxAnalyzer.analyze(config: config, input: .init(config: .text("", path: "/fx/nginx.conf"), request: req, fileSystem: fs))
            } catch let e as InputError {
                rejected += 1
                XCTAssertNotNil(e.file, "\(e)")
                XCTAssertFalse(e.message.isEmpty)
            }
        }
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertGreaterThan(rejected, 0)
    }

    func testHostileInputs() {
        let inputs = ["", "{", "}", "\"", "'", "a", String(repeating: "{", count: 5000), String(repeating: "http {", count: 200),
                      "\u{0}\u{1}\u{2}", "include;", "events {} http { server { location { } } }", String(repeating: "x", count: 100_000)]
        for text in inputs {
            do { _ = try Parser.parse(text: text, path: "/h/nginx.conf", source: MemorySource(files: [:])) }
            catch let e as InputError { XCTAssertEqual(e.file != nil, true, "\(e)") }
            catch { XCTFail("not an InputError: \(error)") }
        }
    }
}
