import Foundation
import Why403Core

/// ModSecurity rules by `id:`, read from rule files (or every `*.conf` of a directory, as CRS's
/// `rules/` is laid out): what `why403 logs --modsecurity PATH...` joins each logged refusal to (the
/// rule's file and line, `msg`, phase and disruptive action). Only reads the text (continuation lines
/// joined, `Include` not followed: name each file or directory); the engine is not needed.
public struct ModSecurityRuleCatalogue: RuleCatalogue {
    /// The rules found, by id.
    public let rules: [String: CataloguedRule]
    /// The files and directories given.
    public let paths: [String]

    /// Reads `paths` (files, or directories whose `*.conf` files are read in name order). A path that
    /// cannot be read is an `InputError`.
    public init(paths: [String]) throws {
        self.paths = paths
        var rules: [String: CataloguedRule] = [:]
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw InputError(file: path, message: "cannot read the ModSecurity rules (no such file or directory)")
            }
            let files = isDir.boolValue
                ? ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".conf") }.sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = fm.contents(atPath: file) else {
                    throw InputError(file: file, message: "cannot read the ModSecurity rules (unreadable)")
                }
                for r in Self.read(text: String(decoding: data, as: UTF8.self), file: file) where rules[r.id] == nil { rules[r.id] = r }
            }
        }
        self.rules = rules
    }

    /// The rules with an `id:` in `text` (`file` names them).
    static func read(text: String, file: String) -> [CataloguedRule] {
        var out: [CataloguedRule] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i < lines.count {
            let start = i
            var rule = ""
            while i < lines.count {
                var l = Substring(lines[i])
                if l.hasSuffix("\r") { l = l.dropLast() }
                i += 1
                if l.hasSuffix("\\") { rule += l.dropLast() + " "; continue }
                rule += l
                break
            }
            let trimmed = rule.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("SecRule") || trimmed.hasPrefix("SecAction"),
                  let id = RuleText.values(of: "id", in: rule).first, !id.isEmpty else { continue }
            let msg = RuleText.values(of: "msg", in: rule).first
            let phase = RuleText.values(of: "phase", in: rule).first
            let actions = rule.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")) }
            let disruptive = actions.first { a in ["deny", "block", "drop", "allow", "pass"].contains(a) || a.hasPrefix("redirect:") }
            var text = msg.map { InputError.quote($0, limit: 160) } ?? String(trimmed.prefix(160))
            if let phase { text += " (phase \(phase))" }
            out.append(CataloguedRule(id: id, location: "\(file):\(start + 1)", action: disruptive, text: text))
        }
        return out
    }

    /// ModSecurity.
    public var layer: Layer { .modsecurity }

    /// `ModSecurity rules PATH, ...`.
    public var origin: String { "ModSecurity rules " + paths.joined(separator: ", ") }

    /// A numeric id.
    public func isRuleId(_ id: String) -> Bool { !id.isEmpty && id.allSatisfy(\.isNumber) }

    /// The rule with `id:` `id`.
    public func rule(id: String) -> CataloguedRule? { rules[id] }
}
