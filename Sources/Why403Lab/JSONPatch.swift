import Foundation
import Why403Core

/// The subset of RFC 6902 the edge fixes print (`add`, `replace`, `remove` at a JSON Pointer, `-` to
/// append to an array), applied to an export so the lab can check that the patched rules let the
/// request through. Hand-written: no package of Package.swift applies JSON patches, and the lab needs
/// these three operations only.
enum JSONPatch {
    /// The file a fix's patch is for: its title line says "JSON patch (RFC 6902) of FILE" (with a
    /// `#` before it or a `:` after it).
    static func target(_ text: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("JSON patch (RFC 6902) of ") }),
              let r = line.range(of: "JSON patch (RFC 6902) of ") else { return nil }
        var file = String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        if file.hasSuffix(":") { file.removeLast() }
        return file.isEmpty ? nil : file
    }

    /// The patch array in a fix's text: the first line that starts with `[`, up to the line that
    /// closes it (the fixes put a title line before it and, for Cloudflare, an HCL snippet after it).
    static func extract(_ text: String) -> [[String: Any]]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("[") }) else { return nil }
        for end in start..<lines.count {
            let candidate = lines[start...end].joined(separator: "\n")
            if let ops = try? JSONSerialization.jsonObject(with: Data(candidate.utf8)) as? [[String: Any]] { return ops }
        }
        return nil
    }

    /// The document with the operations applied in order.
    static func apply(_ ops: [[String: Any]], to document: Any) throws -> Any {
        var doc = document
        for (i, op) in ops.enumerated() {
            guard let name = op["op"] as? String, let path = op["path"] as? String else {
                throw InputError(file: nil, expected: "an operation with \"op\" and \"path\" at patch[\(i)]", found: "\(op)")
            }
            let tokens = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
                .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
            doc = try set(doc, Array(tokens), op: name, value: op["value"], at: "patch[\(i)] \(path)")
        }
        return doc
    }

    private static func set(_ node: Any, _ tokens: [String], op: String, value: Any?, at where_: String) throws -> Any {
        guard let key = tokens.first else {
            guard op != "remove", let value else { throw InputError(file: nil, expected: "a value to put at the root", found: where_) }
            return value
        }
        let rest = Array(tokens.dropFirst())
        if var object = node as? [String: Any] {
            if rest.isEmpty {
                switch op {
                case "remove": object[key] = nil
                case "add", "replace": object[key] = value
                default: throw InputError(file: nil, expected: "add, replace or remove", found: "\(op) at \(where_)")
                }
                return object
            }
            guard let child = object[key] else { throw InputError(file: nil, expected: "a member \"\(key)\"", found: "none at \(where_)") }
            object[key] = try set(child, rest, op: op, value: value, at: where_)
            return object
        }
        if var array = node as? [Any] {
            let index = key == "-" ? array.count : Int(key) ?? -1
            guard index >= 0, index < array.count || (index == array.count && op == "add" && rest.isEmpty) else {
                throw InputError(file: nil, expected: "an index of the array (0..\(array.count - 1) or -)", found: "\(key) at \(where_)")
            }
            if rest.isEmpty {
                switch op {
                case "remove": array.remove(at: index)
                case "add": array.insert(value ?? NSNull(), at: index)
                case "replace": array[index] = value ?? NSNull()
                default: throw InputError(file: nil, expected: "add, replace or remove", found: "\(op) at \(where_)")
                }
                return array
            }
            array[index] = try set(array[index], rest, op: op, value: value, at: where_)
            return array
        }
        throw InputError(file: nil, expected: "an object or an array on the path", found: where_)
    }
}
