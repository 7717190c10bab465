import Foundation
import Why403Core

/// Reads the files people export Cloudflare rules in:
/// - a Rulesets API ruleset object, or its `{"result": ...}` envelope (a list of rulesets too), or a
///   bare `rules` array;
/// - the output of `terraform show -json` (`cloudflare_ruleset` resources in
///   `values.root_module.resources` and its child modules);
/// - Terraform HCL with `resource "cloudflare_ruleset"` blocks (provider v4 blocks or v5 attributes).
///
/// A ruleset's phase comes from its `phase` (and `kind`) fields, never from the order of the files.
public enum RulesReader {
    /// Reads one file's text (`file` names it in errors and evidence).
    public static func read(text: String, file: String) throws -> [Ruleset] {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.first == "{" || trimmed.first == "[" {
            return try readJSON(text: text, file: file)
        }
        var reader = HCLReader(text: text, file: file)
        let doc = try reader.read()
        return try fromHCL(doc, file: file)
    }

    // MARK: JSON

    static func readJSON(text: String, file: String) throws -> [Ruleset] {
        let json: JSONValue
        do { json = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) } catch {
            throw InputError(file: file, message: "expected JSON (a ruleset, the API's {\"result\": ...}, a rules array or terraform show -json), found malformed JSON: \(jsonErrorText(error))")
        }
        let doc = Doc.from(json)
        if doc["values"]?["root_module"] != nil || doc["planned_values"]?["root_module"] != nil {
            return try fromTerraformJSON(doc, file: file)
        }
        return try fromAPI(doc, file: file)
    }

    static func jsonErrorText(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let c) = error {
            let u = (c.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return u ?? c.debugDescription
        }
        return String(describing: error)
    }

    static func fromAPI(_ doc: Doc, file: String) throws -> [Ruleset] {
        if let result = doc["result"] {
            if let a = result.array { return try a.flatMap { try fromAPI($0, file: file) } }
            return try fromAPI(result, file: file)
        }
        if let a = doc.array {
            if a.allSatisfy({ $0["rules"] != nil }) { return try a.flatMap { try fromAPI($0, file: file) } }
            guard a.allSatisfy({ $0["expression"] != nil || $0["action"] != nil }) else {
                throw InputError(file: file, message: "expected an array of rules (objects with expression and action) or of rulesets, found another array at \(doc.jsonPath)")
            }
            let rules = try a.map { try rule($0, file: file, resource: nil) }
            let phase = rules.contains { $0.ratelimit != nil } ? "http_ratelimit" : "http_request_firewall_custom"
            return [Ruleset(kind: "zone", phase: phase, rules: rules, origin: origin(doc, file: file, resource: nil), phaseAssumed: true)]
        }
        guard doc.isObject, let rulesDoc = doc["rules"] ?? (doc["phase"] != nil ? Doc(v: .array([]), path: doc.path + [.key("rules")]) : nil) else {
            throw InputError(file: file, message: "expected a ruleset (an object with phase and rules), its API envelope {\"result\": ...}, a rules array or terraform show -json output, found none of them at \(doc.jsonPath)")
        }
        return [try ruleset(doc, rules: rulesDoc, file: file, resource: nil)]
    }

    static func fromTerraformJSON(_ doc: Doc, file: String) throws -> [Ruleset] {
        var out: [Ruleset] = []
        func walk(_ module: Doc) throws {
            for r in module["resources"]?.array ?? [] where r["type"]?.string == "cloudflare_ruleset" {
                guard let values = r["values"] else { continue }
                let address = r["address"]?.string
                out.append(try ruleset(values, rules: values["rules"] ?? Doc(v: .array([]), path: values.path + [.key("rules")]),
                                       file: file, resource: address))
            }
            for c in module["child_modules"]?.array ?? [] { try walk(c) }
        }
        if let root = doc["values"]?["root_module"] { try walk(root) }
        else if let root = doc["planned_values"]?["root_module"] { try walk(root) }
        return out
    }

    // MARK: HCL

    static func fromHCL(_ doc: Doc, file: String) throws -> [Ruleset] {
        var out: [Ruleset] = []
        guard case .object(let entries) = doc.v else { return out }
        for (key, value) in entries where key.hasPrefix("resource.cloudflare_ruleset.") {
            let name = String(key.dropFirst("resource.".count))
            for block in value.array ?? [] {
                var rs = try ruleset(block, rules: block["rules"] ?? Doc(v: .array([]), path: block.path + [.key("rules")]),
                                     file: file, resource: name)
                if rs.id == nil { rs.id = name }
                out.append(rs)
            }
        }
        if out.isEmpty {
            throw InputError(file: file, message: "expected resource \"cloudflare_ruleset\" blocks, found none",
                             help: "give the .tf file that declares the rulesets, or the output of terraform show -json")
        }
        // execute rules in HCL name their ruleset by reference: cloudflare_ruleset.NAME.id
        for i in out.indices {
            for j in out[i].rules.indices {
                if let ref = out[i].rules[j].parameters.executeID, ref.hasPrefix("cloudflare_ruleset."), ref.hasSuffix(".id") {
                    out[i].rules[j].parameters.executeID = String(ref.dropLast(3))
                }
            }
        }
        return out
    }

    // MARK: common

    static func origin(_ d: Doc, file: String, resource: String?) -> RuleOrigin {
        if let line = d.line { return RuleOrigin(file: file, line: line, resource: resource) }
        return RuleOrigin(file: file, jsonPath: d.jsonPath, pointer: d.pointer, resource: resource)
    }

    static func ruleset(_ d: Doc, rules: Doc, file: String, resource: String?) throws -> Ruleset {
        guard let phase = d["phase"]?.string, !phase.isEmpty else {
            throw InputError(file: file, line: d.line, message: "expected the ruleset's phase (such as http_request_firewall_custom) at \(d.line == nil ? d.jsonPath : "this ruleset"), found none",
                             help: "a ruleset's phase comes from its phase field, never from the order of the files")
        }
        let kind = d["kind"]?.string ?? "zone"
        guard let list = rules.array else {
            throw InputError(file: file, line: rules.line, message: "expected rules as an array at \(rules.jsonPath)")
        }
        return Ruleset(id: d["id"]?.string, name: d["name"]?.string, kind: kind, phase: phase,
                       rules: try list.map { try rule($0, file: file, resource: resource) },
                       origin: origin(d, file: file, resource: resource))
    }

    static func rule(_ d: Doc, file: String, resource: String?) throws -> Rule {
        guard d.isObject else { throw InputError(file: file, line: d.line, message: "expected a rule object at \(d.jsonPath)") }
        guard let expression = d["expression"]?.string else {
            throw InputError(file: file, line: d.line, message: "expected the rule's expression at \(d.line == nil ? d.jsonPath : "this rule"), found none")
        }
        guard let action = d["action"]?.string else {
            throw InputError(file: file, line: d.line, message: "expected the rule's action at \(d.line == nil ? d.jsonPath : "this rule"), found none")
        }
        var params = ActionParameters()
        if let ap = d["action_parameters"]?.single {
            params.executeID = ap["id"]?.string
            if ap["ruleset"]?.string == "current" { params.skipCurrentRuleset = true }
            params.skipPhases = ap["phases"]?.strings ?? []
            params.skipProducts = ap["products"]?.strings ?? []
            params.skipRulesets = ap["rulesets"]?.strings ?? []
            if let rules = ap["rules"], case .object(let entries) = rules.v {
                for (k, v) in entries { params.skipRules[k] = v.strings.flatMap { $0.split(separator: ",").map(String.init) } }
            }
            if let resp = ap["response"]?.single {
                params.responseStatus = resp["status_code"]?.int
                params.responseContent = resp["content"]?.string
                params.responseContentType = resp["content_type"]?.string
            }
        }
        var rate: RateLimit?
        if let rl = d["ratelimit"]?.single {
            var r = RateLimit()
            r.characteristics = rl["characteristics"]?.strings ?? []
            r.period = rl["period"]?.int
            r.requestsPerPeriod = rl["requests_per_period"]?.int
            r.mitigationTimeout = rl["mitigation_timeout"]?.int
            r.countingExpression = rl["counting_expression"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            rate = r
        }
        let o = origin(d, file: file, resource: resource)
        let exprOrigin = d["expression"].flatMap { $0.line }.map { RuleOrigin(file: file, line: $0, resource: resource) } ?? o
        return Rule(id: d["id"]?.string.flatMap { $0.isEmpty ? nil : $0 }, ref: d["ref"]?.string.flatMap { $0.isEmpty ? nil : $0 },
                    description: d["description"]?.string, expression: expression, action: action,
                    enabled: d["enabled"]?.bool ?? true, parameters: params, ratelimit: rate, origin: o, expressionOrigin: exprOrigin)
    }
}
