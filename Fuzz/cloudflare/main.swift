// libFuzzer harness for the Cloudflare readers and the rules language: every input is read as a rule
// expression (lexer, parser, type checker, then evaluated against a fixed request) and as a rules file
// (JSON or HCL, then compiled and analysed), as a list export, as a URL path to normalize and as a
// multipart body. Each must give a result or an InputError/ExpressionError,
// never a crash or a hang. Build and run with ./run.sh.
import Foundation
import Why403Core
import Why403Cloudflare

let request = try! Request(method: "POST", url: "https://api.example.com:8443/v1/items?id=1&q=%3Cscript%3E",
                           headers: [(name: "User-Agent", value: "curl/8.5.0"), (name: "Cookie", value: "a=b; c=d")],
                           clientIP: "203.0.113.7")
let fields = RequestFields.make(request, signals: EdgeSignals(country: "DE", botScore: 12))
let multipart = try! Request(method: "POST", url: "https://example.com/upload",
                             headers: [(name: "Content-Type", value: "multipart/form-data; boundary=b")], clientIP: "203.0.113.7")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let e = try? CompiledExpression(text) {
        _ = Evaluator.evaluate(e.root, fields)
        _ = Explain.leaves(e, fields)
    }
    // The input as a path (URL normalization) and as a multipart body (the body fields).
    _ = URLNormalization.cloudflare.normalize(path: text)
    _ = URLNormalization.rfc3986.normalize(path: text)
    var withBody = multipart
    withBody.body = Array(UnsafeBufferPointer(start: data, count: size))
    _ = RequestFields.make(withBody, signals: EdgeSignals())
    // The input as a list export.
    do { _ = try ListReader.readNamed(text: text, file: "fuzz") } catch is InputError {} catch { fatalError("not an InputError: \(error)") }
    do { _ = try ListReader.readItems(text: text, file: "fuzz", name: "l") } catch is InputError {} catch { fatalError("not an InputError: \(error)") }
    do {
        let rulesets = try RulesReader.read(text: text, file: "fuzz")
        _ = try CloudflareAnalyzer.analyze(.init(rulesets: rulesets, files: ["fuzz"], request: request))
    } catch is InputError {
    } catch {
        fatalError("not an InputError: \(error)")
    }
    return 0
}
