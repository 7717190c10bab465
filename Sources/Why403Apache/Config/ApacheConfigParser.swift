#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core
import Why403FileSystem

/// A parsed Apache httpd configuration: the directive tree with includes and conditionals resolved,
/// plus what parsing learned on the way (modules loaded, variables defined, files read).
public struct ApacheConfig: Sendable {
    /// The main configuration file.
    public var mainFile: String
    /// `ServerRoot` (relative paths are resolved against it).
    public var serverRoot: String
    /// The resolved tree, in file order.
    public var directives: [ApacheDirective]
    /// Module identifiers known to be present: `rewrite_module` and `mod_rewrite.c` forms.
    public var modules: Set<String>
    /// `Define`d variables and `-D` parameters.
    public var defines: [String: String]
    /// Every configuration file read, in order.
    public var files: [String]
    /// Whether the Debian layout (apache2.conf + envvars) was recognised.
    public var debianLayout: Bool
    /// Things worth telling that are not errors (undefined variables, skipped optional includes).
    public var notes: [String]

    /// Whether a module is loaded (`rewrite_module`, `mod_rewrite.c` or `rewrite`).
    public func hasModule(_ id: String) -> Bool {
        modules.contains(id) || modules.contains("\(id)_module") || modules.contains("mod_\(id).c")
    }
}

/// Reads an Apache configuration the way httpd does at start-up.
///
/// Follows httpd 2.4's `ap_cfg_getline`/`ap_getword_conf` (lines, `\` continuations, quoting, `#` comments
/// only at the start of a line), `Include`/`IncludeOptional` (fnmatch globs in any component, sorted;
/// a directory includes every file under it), `<IfModule>` decided by the `LoadModule` lines seen so far
/// plus the modules compiled into Debian's apache2, `<IfDefine>`, `<IfVersion>`, `Define`/`UnDefine` and
/// `${VAR}`; on Debian (`apache2.conf`) the variables of `envvars` beside it.
///
/// Hand-written: no Swift library reads Apache's configuration language. Errors use httpd's wording
/// where it has one, with file and line; parsing collects them and throws them all at the end.
public struct ApacheConfigParser {
    /// Modules compiled into Debian's apache2 (`apache2 -l`).
    public static let compiledIn: [String] = ["core.c", "mod_so.c", "mod_watchdog.c", "http_core.c",
                                              "mod_log_config.c", "mod_logio.c", "mod_version.c", "mod_unixd.c"]

    let fs: any FileSystemView
    let version: [Int]
    var serverRoot: String
    var defines: [String: String]
    var environment: [String: String]
    var modules: Set<String> = []
    var files: [String] = []
    var errors: [InputError] = []
    var notes: [String] = []
    var depth = 0
    /// Bytes read so far, so a hostile include tree cannot exhaust memory.
    var bytesRead = 0
    /// The files being read, outermost first (a file on it including itself is an error).
    var includeStack: [String] = []
    var budgetExceeded = false

    /// A parser reading through `fs`; `defines` are `-D` parameters, `environment` the variables
    /// httpd's environment would have (Debian's envvars are added automatically).
    public init(fileSystem: any FileSystemView, serverRoot: String? = nil, defines: [String] = [],
                environment: [String: String] = [:], httpdVersion: String = "2.4.62") {
        self.fs = fileSystem
        self.serverRoot = serverRoot ?? ""
        self.defines = Dictionary(defines.map { ($0, "") }, uniquingKeysWith: { a, _ in a })
        self.environment = environment
        self.version = httpdVersion.split(separator: ".").map { Int($0) ?? 0 }
        for m in Self.compiledIn { addModule(file: m) }
    }

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

    /// Parses the main file and everything it includes.
    public mutating func parse(mainFile: String) throws -> ApacheConfig {
        let main = mainFile
        var debian = false
        let dir = Self.dirname(main)
        if Self.basename(main) == "apache2.conf", fs.info(dir + "/envvars") != nil {
            debian = true
            readEnvvars(dir + "/envvars")
            if environment["APACHE_CONFDIR"] == nil { environment["APACHE_CONFDIR"] = dir }
        }
        if serverRoot.isEmpty { serverRoot = debian ? dir : Self.dirname(main) }
        guard let info = fs.info(main) else {
            throw InputError(file: main, message: "could not open configuration file \(main): No such file or directory")
        }
        if info.kind == .directory {
            throw InputError(file: main, expected: "a configuration file", found: "a directory")
        }
        let tree = readFile(main, from: nil)
        if !errors.isEmpty { throw errors.count == 1 ? errors[0] as any Error : InputErrors(errors) }
        return ApacheConfig(mainFile: main, serverRoot: serverRoot, directives: tree, modules: modules,
                            defines: defines, files: files, debianLayout: debian, notes: notes)
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

    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return serverRoot.hasSuffix("/") ? serverRoot + path : serverRoot + "/" + path
    }

    // MARK: reading files

    /// One logical line: text with continuations joined, and the line where it starts.
    struct Line { var text: String; var number: Int }

    mutating func readFile(_ path: String, from include: SourceLocation?) -> [ApacheDirective] {
        depth += 1
        defer { depth -= 1 }
        if includeStack.contains(path) {
            errors.append(InputError(file: include?.file ?? path, line: include?.line,
                                     message: "recursive Include of \(path) (it includes itself)"))
            return []
        }
        if files.count >= 20_000 || bytesRead > 512 << 20 {
            if !budgetExceeded {
                budgetExceeded = true
                errors.append(InputError(file: include?.file ?? path, line: include?.line,
                                         message: "more than 20000 configuration files or 512 MB included; stopped reading"))
            }
            return []
        }
        includeStack.append(path)
        defer { includeStack.removeLast() }
        if depth > 128 {
            errors.append(InputError(file: include?.file ?? path, line: include?.line,
                                     message: "exceeded the maximum include depth of 128 (an Include loop?) at \(InputError.quote(path))"))
            return []
        }
        let bytes: [UInt8]
        do {
            bytes = try fs.read(path, limit: 64 << 20)
        } catch {
            errors.append(InputError(file: include?.file ?? path, line: include?.line,
                                     message: "could not open configuration file \(path): Permission denied"))
            return []
        }
        bytesRead += bytes.count
        files.append(path)
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
            errors.append(InputError(file: path, line: line, expected: "a text configuration file",
                                     found: "binary data (a NUL byte)"))
            return []
        }
        let lines = Self.logicalLines(bytes)
        var index = 0
        return parseBlock(lines, &index, file: path, closing: nil, openedAt: nil)
    }

    /// Splits text into logical lines: `\` at the end of a line continues it (httpd joins without the
    /// backslash), blank lines and `#` comment lines dropped. Works on bytes: this is the hot loop of
    /// reading large configurations.
    static func logicalLines(_ text: String) -> [Line] {
        logicalLines(Array(text.utf8))
    }

    static func logicalLines(_ bytes: [UInt8]) -> [Line] {
        var out: [Line] = []
        var pending: [UInt8] = []
        var start = 0
        var number = 0
        var i = 0
        let n = bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 || b == 11 || b == 12 }
        func flush() {
            var lo = 0, hi = pending.count
            while lo < hi && isSpace(pending[lo]) { lo += 1 }
            while hi > lo && isSpace(pending[hi - 1]) { hi -= 1 }
            if lo < hi && pending[lo] != UInt8(ascii: "#") {
                out.append(Line(text: String(decoding: pending[lo..<hi], as: UTF8.self), number: start))
            }
            pending.removeAll(keepingCapacity: true)
        }
        while i < n {
            var j = i
            while j < n && bytes[j] != 10 { j += 1 }
            number += 1
            var hi = j
            while hi > i && isSpace(bytes[hi - 1]) { hi -= 1 }
            if pending.isEmpty { start = number }
            if hi > i && bytes[hi - 1] == UInt8(ascii: "\\") {
                pending.append(contentsOf: bytes[i..<(hi - 1)])
            } else {
                pending.append(contentsOf: bytes[i..<hi])
                flush()
            }
            i = j + 1
        }
        if !pending.isEmpty { flush() }
        return out
    }

    /// Splits arguments as `ap_getword_conf` does: whitespace separates, `"…"` and `'…'` quote, a
    /// backslash escapes the quote character inside quotes.
    static func words(_ s: Substring) -> [String] {
        let u = Array(s.utf8)
        var out: [String] = []
        var i = 0
        let n = u.count
        while i < n {
            while i < n, u[i] == 32 || u[i] == 9 { i += 1 }
            if i == n { break }
            let c = u[i]
            var word: [UInt8] = []
            if c == 34 || c == 39 {
                i += 1
                while i < n, u[i] != c {
                    if u[i] == 92, i + 1 < n, u[i + 1] == c { i += 1 }
                    word.append(u[i])
                    i += 1
                }
                if i < n { i += 1 }
            } else {
                while i < n, u[i] != 32 && u[i] != 9 {
                    word.append(u[i])
                    i += 1
                }
            }
            out.append(String(decoding: word, as: UTF8.self))
        }
        return out
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

    mutating func parseBlock(_ lines: [Line], _ index: inout Int, file: String, closing: String?,
                             openedAt: SourceLocation?, active: Bool = true) -> [ApacheDirective] {
        var out: [ApacheDirective] = []
        while index < lines.count {
            let line = lines[index]
            index += 1
            let loc = SourceLocation(file: file, line: line.number)
            let text = active ? expand(line.text, at: loc) : line.text
            if text.hasPrefix("</") {
                var name = String(text.dropFirst(2))
                if name.hasSuffix(">") { name.removeLast() }
                name = name.trimmingSpaces
                if let closing, name.lowercased() == closing.lowercased() { return out }
                if let closing {
                    errors.append(InputError(loc, message: "Expected </\(closing)> but saw </\(name)>"))
                    return out
                }
                errors.append(InputError(loc, message: "</\(name)> without matching <\(name)> section"))
                continue
            }
            if text.hasPrefix("<") {
                guard text.hasSuffix(">") else {
                    let name = String(text.dropFirst().prefix { $0 != " " && $0 != "\t" })
                    errors.append(InputError(loc, message: "<\(name)> directive missing closing '>'"))
                    _ = parseBlock(lines, &index, file: file, closing: name, openedAt: loc, active: false)
                    continue
                }
                let inner = text.dropFirst().dropLast()
                let name = String(inner.prefix { $0 != " " && $0 != "\t" })
                if name.isEmpty {
                    errors.append(InputError(file: loc.file, line: loc.line, expected: "a section name after '<'", found: InputError.quote(text)))
                    continue
                }
                let args = Self.words(inner.dropFirst(name.count))
                let conditional: Bool?
                switch name.lowercased() {
                case "ifmodule":
                    if let a = args.first {
                        let neg = a.hasPrefix("!")
                        let id = neg ? String(a.dropFirst()) : a
                        conditional = (modules.contains(id) || modules.contains(Self.moduleID(id))) != neg
                    } else {
                        if active { errors.append(InputError(loc, message: "<IfModule> directive requires additional arguments")) }
                        conditional = false
                    }
                case "ifdefine":
                    if let a = args.first {
                        let neg = a.hasPrefix("!")
                        let id = neg ? String(a.dropFirst()) : a
                        conditional = (defines[id] != nil) != neg
                    } else {
                        if active { errors.append(InputError(loc, message: "<IfDefine> directive requires additional arguments")) }
                        conditional = false
                    }
                case "ifversion":
                    conditional = active ? evalVersion(args, at: loc) : false
                case "ifdirective", "iffile", "ifsection":
                    if active { notes.append("\(loc): <\(name)> assumed true") }
                    conditional = true
                default:
                    conditional = nil
                }
                if let conditional {
                    let children = parseBlock(lines, &index, file: file, closing: name, openedAt: loc,
                                              active: active && conditional)
                    if active && conditional { out += children }
                } else {
                    let children = parseBlock(lines, &index, file: file, closing: name, openedAt: loc, active: active)
                    out.append(ApacheDirective(name: name, args: args, location: loc, text: text, children: children))
                }
                continue
            }
            let nameEnd = text.firstIndex { $0 == " " || $0 == "\t" } ?? text.endIndex
            let name = String(text[..<nameEnd])
            let args = Self.words(text[nameEnd...])
            let d = ApacheDirective(name: name, args: args, location: loc, text: text)
            if active { out += handle(d) } else { out.append(d) }
        }
        if let closing {
            errors.append(InputError(file: openedAt?.file ?? file, line: openedAt?.line,
                                     message: "<\(closing)> was not closed."))
        }
        return out
    }

    static func moduleID(_ id: String) -> String {
        if id.hasSuffix("_module") { return "mod_" + id.dropLast(7) + ".c" }
        if id.hasSuffix(".c") { var b = id.dropLast(2); if b.hasPrefix("mod_") { b = b.dropFirst(4) }; return b + "_module" }
        return id
    }

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

    func filesUnder(_ dir: String) -> [String] {
        var out: [String] = []
        for name in (fs.list(dir) ?? []).sorted() {
            let p = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            guard let info = fs.info(p) else { continue }
            if info.kind == .directory { out += filesUnder(p) } else { out.append(p) }
        }
        return out
    }

    static func dirname(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return "." }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    static func basename(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: slash)...])
    }
}
