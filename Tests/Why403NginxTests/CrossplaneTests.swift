import Foundation
import XCTest
import Why403Core
import Why403TestSupport
@testable import Why403Nginx

/// The parse tree equals crossplane's (PyPI `crossplane`) on every configuration in the fixtures.
final class CrossplaneTests: XCTestCase {
    func testParseTreesEqualCrossplane() throws {
        let crossplane = try RealTools.require("crossplane")
        var configs: [String] = []
        let root = Fixtures.url("nginx")
        let e = FileManager.default.enumerator(atPath: root.path)
        while let f = e?.nextObject() as? String {
            if f.hasSuffix("/nginx.conf") || f == "nginx.conf" { configs.append(root.appendingPathComponent(f).path) }
        }
        if FileManager.default.fileExists(atPath: "/etc/nginx/nginx.conf") { configs.append("/etc/nginx/nginx.conf") }
        XCTAssertFalse(configs.isEmpty)
        for path in configs.sorted() {
            let r = try Run.program(crossplane, ["parse", path])
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stderr)
            guard (json["status"] as? String) == "ok" else {
                // crossplane refused it: so must we.
                XCTAssertThrowsError(try Parser.parse(path: path), "crossplane: \(json["errors"] ?? "")")
                continue
            }
            let config = try Parser.parse(path: path)
            let theirs = try XCTUnwrap(json["config"] as? [[String: Any]])
            XCTAssertEqual(theirs.count, config.files.count, path)
            for (mine, their) in zip(config.files, theirs) {
                XCTAssertEqual(mine.path, their["file"] as? String)
                let parsed = their["parsed"] as? [[String: Any]] ?? []
                XCTAssertEqual(render(mine.directives), renderCrossplane(parsed), mine.path)
            }
        }
    }

    func render(_ list: [Directive], depth: Int = 0) -> [String] {
        var out: [String] = []
        for d in list {
            out.append(String(repeating: "  ", count: depth) + "\(d.location.line) \(d.name) \(d.args) inc=\(d.includes)")
            if let b = d.block { out.append(String(repeating: "  ", count: depth) + "{"); out += render(b, depth: depth + 1) }
        }
        return out
    }

    func unescape(_ s: String) -> String {
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            guard c == "\\" else { out.append(c); continue }
            guard let n = it.next() else { out.append(c); break }
            switch n {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\", "\"", "'": out.append(n)
            default: out.append(c); out.append(n)
            }
        }
        return out
    }

    func renderCrossplane(_ list: [[String: Any]], depth: Int = 0) -> [String] {
        var out: [String] = []
        for d in list {
            let line = d["line"] as? Int ?? 0
            let name = d["directive"] as? String ?? ""
            // crossplane keeps escapes as written; nginx resolves \\n, \\t, \\r, \\\\ and quotes (as we do).
            let args = (d["args"] as? [String] ?? []).map(unescape)
            let inc = d["includes"] as? [Int] ?? []
            out.append(String(repeating: "  ", count: depth) + "\(line) \(name) \(args) inc=\(inc)")
            if let b = d["block"] as? [[String: Any]] { out.append(String(repeating: "  ", count: depth) + "{"); out += renderCrossplane(b, depth: depth + 1) }
        }
        return out
    }
}
