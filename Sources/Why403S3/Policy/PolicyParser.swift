import Foundation
import Why403Core

/// Reads a policy document (IAM JSON policy grammar) into a `Policy`, refusing what AWS refuses.
///
/// Errors are `InputError`s naming the file, the line, the JSON path (`$.Statement[1].Effect`)
/// and what was expected.
public enum PolicyParser {
    /// Policies larger than this are refused (AWS's limits are 20 KB for bucket policies and 6 KB
    /// for managed policies; this leaves room and bounds the work).
    public static let maxBytes = 1 << 20

    /// Reads and parses the policy file at `path`.
    public static func load(path: String, kind: PolicyKind) throws -> Policy {
        try parse(readBounded(path: path, what: "the \(kind.rawValue) file"), file: path, kind: kind)
    }

    /// Reads at most `maxBytes + 1` bytes of `path`, so `/dev/zero`, a FIFO left open or a huge file
    /// cannot make the command hang or exhaust memory.
    static func readBounded(path: String, what: String) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, message: "cannot read \(what)", help: "check that the path exists, is a file and is readable")
        }
        defer { try? handle.close() }
        var out: [UInt8] = []
        while out.count <= maxBytes {
            guard let chunk = try? handle.read(upToCount: 65536), !chunk.isEmpty else { break }
            out.append(contentsOf: chunk)
        }
        guard out.count <= maxBytes else {
            throw InputError(file: path, expected: "a policy of at most \(maxBytes) bytes", found: "a larger file")
        }
        return out
    }

    /// Parses policy JSON held in memory.
    public static func parse(_ bytes: [UInt8], file: String, kind: PolicyKind) throws -> Policy {
        guard bytes.count <= maxBytes else {
            throw InputError(file: file, expected: "a policy of at most \(maxBytes) bytes", found: "\(bytes.count) bytes")
        }
        let root = try JSONScanner.parse(bytes, file: file)
        return try document(root, file: file, kind: kind)
    }

    /// Parses policy JSON text.
    public static func parse(_ text: String, file: String, kind: PolicyKind) throws -> Policy {
        try parse(Array(text.utf8), file: file, kind: kind)
    }

    static func fail(_ file: String, _ node: JSONNode, _ path: String, expected: String, found: String? = nil) -> InputError {
        InputError(file: file, line: node.line, column: node.column, expected: "\(expected) at \(path)", found: found ?? node.kindName)
    }

    static func document(_ root: JSONNode, file: String, kind: PolicyKind) throws -> Policy {
        guard let members = root.members else {
            throw fail(file, root, "$", expected: "a policy document object {\"Version\": …, \"Statement\": […]}")
        }
        var version: String? = nil
        var statementNode: JSONNode? = nil
        var seen: Set<String> = []
        for m in members {
            guard seen.insert(m.key).inserted else {
                throw InputError(file: file, line: m.line, expected: "each key once at $", found: "a second \(InputError.quote(m.key))")
            }
            switch m.key {
            case "Version":
                guard case .string(let v) = m.value.kind, v == "2012-10-17" || v == "2008-10-17" else {
                    throw fail(file, m.value, "$.Version", expected: "\"2012-10-17\" or \"2008-10-17\"")
                }
                version = v
            case "Id":
                guard case .string = m.value.kind else { throw fail(file, m.value, "$.Id", expected: "a string") }
            case "Statement":
                statementNode = m.value
            default:
                throw InputError(file: file, line: m.line, expected: "Version, Id or Statement at $", found: "the key \(InputError.quote(m.key))")
            }
        }
        guard let statementNode else {
            throw fail(file, root, "$", expected: "a \"Statement\" key", found: "none")
        }
        var statements: [Statement] = []
        switch statementNode.kind {
        case .object:
            statements.append(try statement(statementNode, index: 0, path: "$.Statement", file: file, kind: kind))
        case .array(let items):
            for (i, item) in items.enumerated() {
                statements.append(try statement(item, index: i, path: "$.Statement[\(i)]", file: file, kind: kind))
            }
        default:
            throw fail(file, statementNode, "$.Statement", expected: "a statement object or an array of them")
        }
        return Policy(file: file, kind: kind, version: version, statements: statements)
    }

    static func strings(_ node: JSONNode, path: String, file: String, what: String) throws -> [String] {
        switch node.kind {
        case .string(let s): return [s]
        case .array(let items):
            return try items.enumerated().map { i, item in
                guard case .string(let s) = item.kind else { throw fail(file, item, "\(path)[\(i)]", expected: what) }
                return s
            }
        default:
            throw fail(file, node, path, expected: "\(what) or an array of them")
        }
    }

    /// Condition values may be strings, numbers or booleans (AWS reads them as strings).
    static func conditionValues(_ node: JSONNode, path: String, file: String) throws -> [String] {
        func scalar(_ n: JSONNode, _ p: String) throws -> String {
            switch n.kind {
            case .string(let s): return s
            case .number(let s): return s
            case .bool(let b): return b ? "true" : "false"
            default: throw fail(file, n, p, expected: "a string, number or boolean")
            }
        }
        if case .array(let items) = node.kind {
            return try items.enumerated().map { try scalar($1, "\(path)[\($0)]") }
        }
        return [try scalar(node, path)]
    }

    static func principal(_ node: JSONNode, path: String, file: String) throws -> [PrincipalEntry] {
        if case .string(let s) = node.kind {
            guard s == "*" else { throw fail(file, node, path, expected: "\"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}") }
            return [PrincipalEntry(type: "*", value: "*")]
        }
        guard let members = node.members else {
            throw fail(file, node, path, expected: "\"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}")
        }
        var out: [PrincipalEntry] = []
        for m in members {
            guard ["AWS", "Service", "Federated", "CanonicalUser"].contains(m.key) else {
                throw InputError(file: file, line: m.line, expected: "AWS, Service, Federated or CanonicalUser at \(path)", found: "the key \(InputError.quote(m.key))")
            }
            for v in try strings(m.value, path: "\(path).\(m.key)", file: file, what: "a principal string") {
                // "You cannot use a wildcard to match part of a principal name or ARN" (IAM JSON policy elements:
                // Principal): AWS refuses the policy ("Invalid principal in policy"); only "*" alone is a wildcard.
                if m.key == "AWS", v != "*", v.contains("*") || v.contains("?") {
                    throw InputError(file: file, line: m.value.line, expected: "a whole principal ARN or account, or \"*\" alone, at \(path).AWS",
                                     found: InputError.quote(v),
                                     help: "AWS refuses a wildcard inside a principal (\"Invalid principal in policy\"); to match many roles, use \"*\" with a Condition on aws:PrincipalArn (ArnLike)")
                }
                out.append(PrincipalEntry(type: m.key, value: v))
            }
        }
        return out
    }

    static func statement(_ node: JSONNode, index: Int, path: String, file: String, kind: PolicyKind) throws -> Statement {
        guard let members = node.members else { throw fail(file, node, path, expected: "a statement object") }
        var s = Statement(file: file, index: index, sid: nil, effect: .allow, principal: nil, notPrincipal: nil,
                          action: nil, notAction: nil, resource: nil, notResource: nil, conditions: [], line: node.line)
        var seen: Set<String> = []
        var effectSeen = false
        for m in members {
            let p = "\(path).\(m.key)"
            guard seen.insert(m.key).inserted else {
                throw InputError(file: file, line: m.line, expected: "each key once in \(path)", found: "a second \(InputError.quote(m.key))")
            }
            switch m.key {
            case "Sid":
                guard case .string(let v) = m.value.kind else { throw fail(file, m.value, p, expected: "a string") }
                s.sid = v
            case "Effect":
                guard case .string(let v) = m.value.kind, let e = Effect(rawValue: v) else {
                    throw fail(file, m.value, p, expected: "\"Allow\" or \"Deny\"")
                }
                s.effect = e
                effectSeen = true
            case "Principal", "NotPrincipal":
                guard kind.isResourceBased else {
                    throw InputError(file: file, line: m.line, expected: "no \(m.key) in an \(kind.rawValue) (\(path))", found: "\(m.key)",
                                     help: "Principal belongs in resource-based policies such as a bucket policy")
                }
                let entries = try principal(m.value, path: p, file: file)
                if m.key == "Principal" { s.principal = entries } else { s.notPrincipal = entries }
            case "Action", "NotAction":
                let values = try strings(m.value, path: p, file: file, what: "an action string such as \"s3:GetObject\"")
                for (i, v) in values.enumerated() where v != "*" && !v.contains(":") {
                    throw InputError(file: file, line: m.value.line, expected: "an action \"service:Name\" or \"*\" at \(p)[\(i)]", found: InputError.quote(v))
                }
                if m.key == "Action" { s.action = values } else { s.notAction = values }
            case "Resource", "NotResource":
                let values = try strings(m.value, path: p, file: file, what: "an ARN string")
                for (i, v) in values.enumerated() where v != "*" && !v.hasPrefix("arn:") {
                    throw InputError(file: file, line: m.value.line, expected: "an ARN (arn:…) or \"*\" at \(p)[\(i)]", found: InputError.quote(v))
                }
                if m.key == "Resource" { s.resource = values } else { s.notResource = values }
            case "Condition":
                guard let ops = m.value.members else { throw fail(file, m.value, p, expected: "an object of condition operators") }
                for o in ops {
                    let op = "\(p).\(o.key)"
                    guard let parsed = ConditionOperator(name: o.key) else {
                        throw InputError(file: file, line: o.line, expected: "a condition operator (\(ConditionOperator.knownNames)) at \(op)", found: InputError.quote(o.key))
                    }
                    guard let keys = o.value.members else { throw fail(file, o.value, op, expected: "an object of condition keys") }
                    for k in keys {
                        let values = try conditionValues(k.value, path: "\(op).\(k.key)", file: file)
                        for v in values where !(parsed.family == .string || parsed.family == .arn) {
                            if let expected = parsed.validate(v) {
                                throw InputError(file: file, line: k.line, expected: "\(expected) at \(op).\(k.key)", found: InputError.quote(v))
                            }
                        }
                        s.conditions.append(Condition(operatorName: o.key, op: parsed, key: k.key, values: values, line: k.line))
                    }
                }
            default:
                throw InputError(file: file, line: m.line,
                                 expected: "Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource or Condition in \(path)",
                                 found: "the key \(InputError.quote(m.key))")
            }
        }
        guard effectSeen else { throw fail(file, node, path, expected: "an \"Effect\" key", found: "none") }
        if s.action != nil && s.notAction != nil {
            throw fail(file, node, path, expected: "either Action or NotAction", found: "both")
        }
        if s.action == nil && s.notAction == nil {
            throw fail(file, node, path, expected: "an \"Action\" or \"NotAction\" key", found: "neither")
        }
        if s.resource != nil && s.notResource != nil {
            throw fail(file, node, path, expected: "either Resource or NotResource", found: "both")
        }
        if s.resource == nil && s.notResource == nil {
            // SCPs may omit Resource (it then means "*"); every other kind must name one.
            guard kind == .scp else { throw fail(file, node, path, expected: "a \"Resource\" or \"NotResource\" key", found: "neither") }
            s.resource = ["*"]
        }
        if s.principal != nil && s.notPrincipal != nil {
            throw fail(file, node, path, expected: "either Principal or NotPrincipal", found: "both")
        }
        if kind.isResourceBased && s.principal == nil && s.notPrincipal == nil {
            throw fail(file, node, path, expected: "a \"Principal\" or \"NotPrincipal\" key (a \(kind.rawValue) names who it applies to)", found: "neither")
        }
        return s
    }
}
