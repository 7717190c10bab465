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
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        render(into: &out, indent: indent)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the rendering's UTF-8 to `out`: one buffer of bytes for the whole report (joining each level's parts
    /// made and copied every nested string again, and appending to a `String` piece by piece cost more than the
    /// bytes: most of rendering a logs report).
    func render(into out: inout [UInt8], indent: Int) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): out += (d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null").utf8
        case .string(let s): OrderedJSON.quote(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]".utf8; return }
            out += "[\n".utf8
            for (i, v) in a.enumerated() {
                if i > 0 { out += ",\n".utf8 }
                OrderedJSON.pad(&out, indent + 1)
                v.render(into: &out, indent: indent + 1)
            }
            out.append(10)
            OrderedJSON.pad(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out += "{}".utf8; return }
            out += "{\n".utf8
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += ",\n".utf8 }
                OrderedJSON.pad(&out, indent + 1)
                OrderedJSON.quote(k, into: &out)
                out += " : ".utf8
                v.render(into: &out, indent: indent + 1)
            }
            out.append(10)
            OrderedJSON.pad(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func pad(_ out: inout [UInt8], _ indent: Int) {
        for _ in 0..<(2 * indent) { out.append(32) }
    }

    /// Appends `s` as a JSON string literal: its bytes, with a quote, a backslash and the control characters
    /// escaped (`\n`, `\r`, `\t`, else `\u00XX`; DEL too). Every other byte, multi-byte characters' included, is
    /// copied as it is, as appending the string's scalars one by one did.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(34)
        var copy = s
        copy.withUTF8 { b in
            var from = 0
            for i in 0..<b.count {
                let c = b[i]
                guard c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F else { continue }
                if from < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<i])) }
                from = i + 1
                switch c {
                case 0x22: out += "\\\"".utf8
                case 0x5C: out += "\\\\".utf8
                case 10: out += "\\n".utf8
                case 13: out += "\\r".utf8
                case 9: out += "\\t".utf8
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out += "\\u00".utf8
                    out.append(hex[Int(c >> 4)])
                    out.append(hex[Int(c & 15)])
                }
            }
            if from < b.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<b.count])) }
        }
        out.append(34)
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
