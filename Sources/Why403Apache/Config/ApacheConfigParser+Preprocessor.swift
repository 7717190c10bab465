#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core
import Why403FileSystem

/// The preprocessor: what httpd resolves while it reads, before a directive reaches the tree.
///
/// `${VAR}` from `Define` and the environment (Debian's `envvars` included), `<IfModule>` decided by
/// the `LoadModule` lines seen so far plus the modules compiled in, `<IfDefine>`, `<IfVersion>`,
/// `Define`/`UnDefine`, `ServerRoot`, and `Include`/`IncludeOptional` (fnmatch globs in any
/// component, sorted; a directory includes every file under it).
extension ApacheConfigParser {
    /// Records a module as loaded, under both spellings (`mod_rewrite.c`, `rewrite_module`).
    mutating func addModule(file: String) {
        // "mod_rewrite.c" <-> "rewrite_module"
        modules.insert(file)
        var base = file
        if base.hasSuffix(".c") { base.removeLast(2) }
        if base.hasSuffix(".so") { base.removeLast(3) }
        if base.hasPrefix("mod_") { base.removeFirst(4) }
        modules.insert("\(base)_module")
        modules.insert("mod_\(base).c")
    }

    /// Debian's envvars: `export NAME=value` lines (the shell logic around them only sets SUFFIX, empty
    /// for the default instance).
    mutating func readEnvvars(_ path: String) {
        guard let bytes = try? fs.read(path, limit: 1 << 20) else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        for raw in text.split(separator: "\n") {
            var line = raw.trimmingSpaces
            guard line.hasPrefix("export ") else { continue }
            line = String(line.dropFirst(7)).trimmingSpaces
            guard let eq = line.firstIndex(of: "=") else { continue }
            let name = String(line[..<eq])
            var value = String(line[line.index(after: eq)...])
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            value = value.replacingAll("$SUFFIX", with: "").replacingAll("${SUFFIX}", with: "")
            if environment[name] == nil { environment[name] = value }
        }
    }

    /// `path` resolved against `ServerRoot` when relative.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return serverRoot.hasSuffix("/") ? serverRoot + path : serverRoot + "/" + path
    }

    /// Expands `${VAR}` from Define and the environment; an undefined variable is left as written
    /// (httpd warns AH00111).
    mutating func expand(_ s: String, at loc: SourceLocation) -> String {
        guard s.utf8.contains(UInt8(ascii: "$")), s.contains("${") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "${") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            guard let close = after.firstIndex(of: "}") else { out += rest[r.lowerBound...]; rest = ""; break }
            let name = String(after[..<close])
            // httpd substitutes only ${NAME} with a name of letters, digits and '_' (ap_resolve_env).
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                out += "${"
                rest = after
                continue
            }
            if let v = defines[name] ?? environment[name] {
                out += v
            } else {
                out += "${\(name)}"
                notes.append("\(loc): config variable ${\(name)} is not defined (httpd warns AH00111)")
            }
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    /// Whether a conditional section's body is read (`<IfModule>`, `<IfDefine>`, `<IfVersion>`;
    /// `<IfDirective>`, `<IfFile>`, `<IfSection>` are assumed true); nil when `name` is not a conditional
    /// section. Errors and notes only when `active` (inside an inactive section nothing is evaluated).
    mutating func condition(_ name: String, _ args: [String], at loc: SourceLocation, active: Bool) -> Bool? {
        switch name.lowercased() {
        case "ifmodule":
            if let a = args.first {
                let neg = a.hasPrefix("!")
                let id = neg ? String(a.dropFirst()) : a
                return (modules.contains(id) || modules.contains(Self.moduleID(id))) != neg
            }
            if active { errors.append(InputError(loc, message: "<IfModule> directive requires additional arguments")) }
            return false
        case "ifdefine":
            if let a = args.first {
                let neg = a.hasPrefix("!")
                let id = neg ? String(a.dropFirst()) : a
                return (defines[id] != nil) != neg
            }
            if active { errors.append(InputError(loc, message: "<IfDefine> directive requires additional arguments")) }
            return false
        case "ifversion":
            return active ? evalVersion(args, at: loc) : false
        case "ifdirective", "iffile", "ifsection":
            if active { notes.append("\(loc): <\(name)> assumed true") }
            return true
        default:
            return nil
        }
    }

    /// The other spelling of a module id: `rewrite_module` <-> `mod_rewrite.c`.
    static func moduleID(_ id: String) -> String {
        if id.hasSuffix("_module") { return "mod_" + id.dropLast(7) + ".c" }
        if id.hasSuffix(".c") { var b = id.dropLast(2); if b.hasPrefix("mod_") { b = b.dropFirst(4) }; return b + "_module" }
        return id
    }

    /// `<IfVersion [[!]op] version>` against the configured httpd version.
    mutating func evalVersion(_ args: [String], at loc: SourceLocation) -> Bool {
        guard !args.isEmpty else {
            errors.append(InputError(loc, message: "<IfVersion> directive requires additional arguments"))
            return false
        }
        var op = "=", spec = args[0]
        if args.count >= 2 { op = args[0]; spec = args[1] }
        var neg = false
        if op.hasPrefix("!") { neg = true; op.removeFirst() }
        if op == "~" || (spec.hasPrefix("/") && spec.hasSuffix("/")) {
            let pattern = spec.hasPrefix("/") ? String(spec.dropFirst().dropLast()) : spec
            let v = version.map(String.init).joined(separator: ".")
            return ApacheRegex(pattern).map { $0.matches(v) != neg } ?? false
        }
        let want = spec.split(separator: ".").map { Int($0) ?? 0 }
        let n = max(want.count, 1)
        let have = Array(version.prefix(n)) + Array(repeating: 0, count: max(0, n - version.count))
        let w = want + Array(repeating: 0, count: max(0, n - want.count))
        let cmp = have.lexicographicallyPrecedes(w) ? -1 : (have == w ? 0 : 1)
        let result: Bool
        switch op {
        case "=", "==": result = cmp == 0
        case ">": result = cmp > 0
        case ">=": result = cmp >= 0
        case "<": result = cmp < 0
        case "<=": result = cmp <= 0
        default:
            errors.append(InputError(file: loc.file, line: loc.line, expected: "an operator = > >= < <= ~ in <IfVersion>", found: InputError.quote(op)))
            return false
        }
        return result != neg
    }

    /// Parse-time directives: Define, UnDefine, ServerRoot, LoadModule, Include.
    mutating func handle(_ d: ApacheDirective) -> [ApacheDirective] {
        switch d.key {
        case "define":
            guard let n = d.args.first else {
                errors.append(InputError(d.location, message: "Define takes one or two arguments"))
                return []
            }
            defines[n] = d.args.count > 1 ? d.args[1] : ""
            return [d]
        case "undefine":
            if let n = d.args.first { defines[n] = nil }
            return [d]
        case "serverroot":
            if let r = d.args.first { serverRoot = r.hasSuffix("/") && r.count > 1 ? String(r.dropLast()) : r }
            return [d]
        case "loadmodule":
            guard d.args.count == 2 else {
                errors.append(InputError(d.location, message: "LoadModule takes two arguments, a module name and the name of a shared object file to load it from"))
                return []
            }
            modules.insert(d.args[0])
            modules.insert(Self.moduleID(d.args[0]))
            return [d]
        case "include", "includeoptional":
            guard let pattern = d.args.first else {
                errors.append(InputError(d.location, message: "\(d.name) takes one argument, Name of the config file to be included"))
                return []
            }
            let optional = d.key == "includeoptional"
            let path = resolve(pattern)
            var out: [ApacheDirective] = [d]
            for f in expandInclude(path, optional: optional, at: d.location) {
                out += readFile(f, from: d.location)
            }
            return out
        default:
            return [d]
        }
    }

    /// The files an Include names: a file, a directory (every file under it, sorted) or a glob.
    mutating func expandInclude(_ path: String, optional: Bool, at loc: SourceLocation) -> [String] {
        let hasGlob = path.contains { $0 == "*" || $0 == "?" || $0 == "[" }
        if !hasGlob {
            guard let info = fs.info(path) else {
                if !optional {
                    errors.append(InputError(loc, message: "could not open configuration file \(path): No such file or directory"))
                }
                return []
            }
            if info.kind == .directory { return filesUnder(path) }
            return [path]
        }
        var candidates = ["/"]
        let parts = path.split(separator: "/").map(String.init)
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            var next: [String] = []
            for base in candidates {
                let prefix = base == "/" ? "/" : base + "/"
                if part.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
                    for name in (fs.list(base) ?? []).sorted() where !name.hasPrefix(".") && fnmatch(part, name, 0) == 0 {
                        let p = prefix + name
                        guard let info = fs.info(p) else { continue }
                        if last ? info.kind != .directory : info.kind == .directory || info.kind == .symlink { next.append(p) }
                    }
                } else {
                    next.append(prefix + part)
                }
            }
            candidates = next
        }
        if let last = parts.last, !last.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
            candidates = candidates.filter { fs.info($0) != nil }
        }
        if candidates.isEmpty && !optional {
            let dir = Self.dirname(path)
            errors.append(InputError(loc, message: "No matches for the wildcard '\(Self.basename(path))' in '\(dir)', failing"))
        }
        return candidates
    }

    /// Every file under `dir`, recursively, sorted by name at each level.
    func filesUnder(_ dir: String) -> [String] {
        var out: [String] = []
        for name in (fs.list(dir) ?? []).sorted() {
            let p = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            guard let info = fs.info(p) else { continue }
            if info.kind == .directory { out += filesUnder(p) } else { out.append(p) }
        }
        return out
    }

    /// The directory part of a path (`/` for a top-level name, `.` without a slash).
    static func dirname(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return "." }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    /// The last component of a path.
    static func basename(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: slash)...])
    }
}
