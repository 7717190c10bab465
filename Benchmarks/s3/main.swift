// Times why403's policy parser + statement evaluation on the moto scenarios (one policy, one request
// each, parse included), the same work Benchmarks/s3/moto_bench.py times for moto. Built by run.sh.
import Foundation
import Why403Core
import Why403S3

struct Scenario: Decodable {
    var id: String
    var kind: String
    var policy: JSONValue
    var action: String
    var resource: String
    var principal: String
    var context: [String: String]
}

@main
enum Bench {
    static func main() throws {
        let args = CommandLine.arguments
        let scenarios = try JSONDecoder().decode([Scenario].self, from: Data(contentsOf: URL(fileURLWithPath: args[1])))
        let rounds = Int(args[2]) ?? 2000
        let prepared = try scenarios.map { s -> ([UInt8], PolicyKind, RequestContext) in
            let text = Array(try JSONEncoder().encode(s.policy))
            let ctx = RequestContext(principal: try Principal.parse(s.principal), action: s.action, resource: s.resource,
                                     context: s.context.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
            return (text, s.kind == "bucket" ? .bucket : .identity, ctx)
        }
        var applied = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            for (bytes, kind, ctx) in prepared {
                let p = try PolicyParser.parse(bytes, file: "bench.json", kind: kind)
                for st in p.statements where StatementEvaluator.evaluate(st, in: p, context: ctx).applies { applied += 1 }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let evals = Double(rounds * prepared.count)
        print(String(format: "why403: %.0f evaluations in %.3f s = %.1f µs each (applied %d)", evals, seconds, seconds / evals * 1e6, applied))
        print(String(format: "RESULT why403_us %.3f", seconds / evals * 1e6))
    }
}
