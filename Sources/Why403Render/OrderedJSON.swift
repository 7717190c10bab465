import Foundation
import Why403Core

/// JSON with object keys in a chosen order, so reports read in the order of report-v1 (schema, tool,
/// subject, verdict, findings, notes) rather than in the hash order Foundation's encoder leaves them.
///
/// Hand-written because JSONEncoder on Linux does not keep declaration order and offers no option to.
indirect enum OrderedJSON {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    /// Pretty-printed in JSONEncoder's style (`"key" : value`, two-space indent).
    func render(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null"
        case .string(let s): return OrderedJSON.quote(s)
        case .array(let a):
            if a.isEmpty { return "[]" }
            return "[\n" + a.map { inner + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            return "{\n" + o.map { inner + OrderedJSON.quote($0.0) + " : " + $0.1.render(indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(pad)}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    init(_ v: JSONValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(OrderedJSON.init))
        case .object(let o): self = .object(o.keys.sorted().map { ($0, OrderedJSON(o[$0]!)) })
        }
    }
}

extension Report {
    /// The report as report-v1 orders it.
    var orderedJSON: OrderedJSON {
        var subjectFields: [(String, OrderedJSON)] = [("kind", .string(subject.kind.rawValue))]
        func opt(_ k: String, _ v: String?) { if let v { subjectFields.append((k, .string(v))) } }
        opt("url", subject.url)
        opt("method", subject.method)
        opt("client_ip", subject.clientIP)
        opt("config", subject.config)
        opt("path", subject.path)
        opt("file", subject.file)
        for k in subject.extra.keys.sorted() { subjectFields.append((k, OrderedJSON(subject.extra[k]!))) }
        return .object([
            ("schema", .string(schema)),
            ("tool", .object([("name", .string(tool.name)), ("version", .string(tool.version))])),
            ("subject", .object(subjectFields)),
            ("verdict", .object([("status", verdict.status.map { .int($0) } ?? .null),
                                 ("layer", .string(verdict.layer.rawValue)),
                                 ("cause", .string(verdict.cause.rawValue))])),
            ("findings", .array(findings.map(\.orderedJSON))),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }
}

extension Finding {
    var orderedJSON: OrderedJSON {
        var fields: [(String, OrderedJSON)] = [
            ("cause", .string(cause.rawValue)),
            ("layer", .string(layer.rawValue)),
            ("confidence", .string(confidence.rawValue)),
            ("summary", .string(summary)),
            ("evidence", .array(evidence.map { .object([("source", .string($0.source)), ("text", .string($0.text))]) })),
            ("fixes", .array(fixes.map { fix in
                var f: [(String, OrderedJSON)] = [("summary", .string(fix.summary)),
                                                  ("commands", .array(fix.commands.map { .string($0) }))]
                if let p = fix.patch { f.append(("patch", .string(p))) }
                return .object(f)
            })),
        ]
        if let rule { fields.append(("rule", .string(rule))) }
        if let checks { fields.append(("checks", .array(checks.map { .string($0) }))) }
        if let details { fields.append(("details", OrderedJSON(.object(details)))) }
        if let severity { fields.append(("severity", .string(severity.rawValue))) }
        return .object(fields)
    }
}
