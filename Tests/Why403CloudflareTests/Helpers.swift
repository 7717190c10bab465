import Foundation
import XCTest
import Why403Core
@testable import Why403Cloudflare
import Why403TestSupport

/// Reads fixture files of `Tests/Fixtures/cloudflare/` and runs one request through them.
func analyze(_ files: [String], _ url: String, method: String = "GET", headers: [(String, String)] = [],
             ip: String? = nil, signals: EdgeSignals = EdgeSignals()) throws -> Report {
    var rulesets: [Ruleset] = []
    for f in files {
        let path = Fixtures.url("cloudflare/\(f)").path
        rulesets += try RulesReader.read(text: try Fixtures.string("cloudflare/\(f)"), file: path)
    }
    let req = try Request(method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, clientIP: ip)
    return try CloudflareAnalyzer.analyze(.init(rulesets: rulesets, files: files, request: req, signals: signals))
}

/// Evaluates one expression against a request: true, false or nil (unknown).
func eval(_ expression: String, _ url: String = "https://www.example.com/", method: String = "GET",
          headers: [(String, String)] = [], ip: String? = "203.0.113.7", signals: EdgeSignals = EdgeSignals(),
          phase: String = "http_request_firewall_custom", body: String? = nil,
          file: StaticString = #filePath, line: UInt = #line) throws -> Bool? {
    let e = try CompiledExpression(expression, phase: phase)
    var req = try Request(method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, clientIP: ip)
    req.body = body.map { Array($0.utf8) }
    return Evaluator.evaluate(e.root, RequestFields.make(req, signals: signals)).truth
}

/// The compile error of an expression, or nil when it compiles.
func compileError(_ expression: String, phase: String = "http_request_firewall_custom") -> ExpressionError? {
    do { _ = try CompiledExpression(expression, phase: phase); return nil } catch { return error }
}
