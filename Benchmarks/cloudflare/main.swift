// Rule evaluation speed of why403's Cloudflare engine: 1,000 custom rules (a mix of the forms the
// documentation uses: path tests, address sets, countries, User-Agent regexes, wildcards, header
// lookups with any(), functions), compiled once, then many requests run through all of them.
// Prints rule evaluations per CPU second (one core: the loop is single-threaded).
import Foundation
import Why403Core
import Why403Cloudflare

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

@main
enum CloudflareBench {
    static func main() throws {
        let ruleCount = Int(CommandLine.arguments.dropFirst().first ?? "1000") ?? 1000
        let requestCount = Int(CommandLine.arguments.dropFirst(2).first ?? "20000") ?? 20000


        // Rules that never match the generated requests, so every request is evaluated against all of them.
        var rules: [String] = []
        for i in 0..<ruleCount {
            let e: String
            switch i % 10 {
            case 0: e = "(http.request.uri.path contains \"/blocked-\(i)/\" and http.request.method eq \"POST\")"
            case 1: e = "(starts_with(http.request.uri.path, \"/deny\(i)\") and not ip.src in {10.\(i % 250).0.0/16 192.168.\(i % 250).0/24})"
            case 2: e = "(ip.src.country in {\"K\(i % 10)\" \"X\(i % 10)\"} and http.host eq \"shop\(i).example.com\")"
            case 3: e = "(http.user_agent matches \"(?i)badbot-\(i)[0-9]+\")"
            case 4: e = "(http.request.full_uri wildcard \"https://*.example.com/private-\(i)/*\")"
            case 5: e = "(any(http.request.headers[\"x-deny-\(i)\"][*] eq \"1\") or http.cookie contains \"ban=\(i)\")"
            case 6: e = "(lower(http.request.uri.query) contains \"union select \(i)\" and ssl)"
            case 7: e = "(http.request.uri.path.extension in {\"bak\(i)\" \"old\(i)\"} or ends_with(http.request.uri.path, \".sql\(i)\"))"
            case 8: e = "(ip.src in {203.0.\(i % 250).0/24} and cf.edge.server_port in {8000..8009})"
            default: e = "(http.referer contains \"spam\(i).test\" and not http.request.uri.path eq \"/\")"
            }
            rules.append("{\"ref\": \"r\(i)\", \"expression\": \(String(decoding: try! JSONEncoder().encode(e), as: UTF8.self)), \"action\": \"block\"}")
        }
        let json = "{\"id\": \"bench\", \"kind\": \"zone\", \"phase\": \"http_request_firewall_custom\", \"rules\": [\(rules.joined(separator: ","))]}"

        let t0 = cpuSeconds()
        let rulesets = try RulesReader.read(text: json, file: "bench.json")
        let compiled = try CompiledRules.compile(rulesets)
        let compileTime = cpuSeconds() - t0

        var fieldSets: [FieldValues] = []
        for n in 0..<requestCount {
            let path = ["/", "/shop/item/\(n % 977)", "/api/v1/orders/\(n)", "/static/app.\(n % 31).js", "/search"][n % 5]
            let req = try Request(method: n % 7 == 0 ? "POST" : "GET", url: "https://www.example.com\(path)?page=\(n % 13)",
                                  headers: [(name: "User-Agent", value: "Mozilla/5.0 (X11; Linux x86_64) Firefox/\(100 + n % 30)"),
                                            (name: "Referer", value: "https://www.example.com/"), (name: "Cookie", value: "session=\(n)")],
                                  clientIP: "198.51.\(n % 250).\(n % 200)")
            fieldSets.append(RequestFields.make(req, signals: EdgeSignals(country: "DE", botScore: 50, verifiedBot: false)))
        }

        let t1 = cpuSeconds()
        var decided = 0
        var steps = 0
        for f in fieldSets {
            let trace = Engine.evaluate(compiled, f)
            steps += trace.steps.count
            if trace.decider != nil { decided += 1 }
        }
        let evalTime = cpuSeconds() - t1
        precondition(steps == ruleCount * requestCount, "every rule must be evaluated for every request (\(steps))")
        print("rules \(ruleCount), requests \(requestCount), decided \(decided)")
        print(String(format: "compile: %.3f s CPU for %d rules (%.0f rules/s)", compileTime, ruleCount, Double(ruleCount) / compileTime))
        print(String(format: "evaluate: %.3f s CPU for %d rule evaluations", evalTime, steps))
        print(String(format: "RESULT evals_per_cpu_second %.0f", Double(steps) / evalTime))
    }
}
