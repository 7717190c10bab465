import Why403Core
import Why403FileSystem

/// Parses an nginx configuration into a tree of directives, resolving `include` as nginx does.
///
/// Follows crossplane's parser: tokens to blocks, includes resolved relative to the configuration
/// prefix (the directory of the main file) and sorted, every directive with its file and line.
/// Errors use nginx's wording (`unexpected "}"`, `unexpected end of file, expecting "}"`, ...).
public struct Parser {
    let source: any ConfigSource
    var files: [ConfigFile] = []
    var index: [String: Int] = [:]
    var confPrefix: String

    /// Parses the configuration whose main file is `path`.
    public static func parse(path: String, source: any ConfigSource = FileSystemConfigSource(LiveFileSystem())) throws -> NginxConfig {
        let prefix: String
        if let slash = path.lastIndex(of: "/") { prefix = String(path[..<slash]) + "/" } else { prefix = "./" }
        var p = Parser(source: source, confPrefix: prefix)
        _ = try p.parseFile(path, depth: 0)
        let config = NginxConfig(files: p.files, confPrefix: prefix)
        try IncludeBudget.check(config)
        return config
    }

    /// Parses the text of one configuration (includes still resolved through `source`).
    public static func parse(text: String, path: String, source: any ConfigSource = FileSystemConfigSource(LiveFileSystem())) throws -> NginxConfig {
        struct Overlay: ConfigSource {
            var path: String; var text: String; var base: any ConfigSource
            func read(_ p: String) throws -> String { p == path ? text : try base.read(p) }
            func glob(_ pattern: String) -> [String] { base.glob(pattern) }
        }
        return try parse(path: path, source: Overlay(path: path, text: text, base: source))
    }

    /// Parses an `nginx -T` dump: the first section is the main file.
    public static func parse(dump: String, name: String = "-") throws -> NginxConfig {
        let src = try DumpConfigSource(text: dump, name: name)
        return try parse(path: src.mainPath, source: src)
    }

    mutating func parseFile(_ path: String, depth: Int) throws -> Int {
        if let i = index[path] { return i }
        let text = try source.read(path)
        let i = files.count
        index[path] = i
        files.append(ConfigFile(path: path, text: text, directives: []))
        let tokens = try Lexer.tokenize(text, file: path)
        var pos = 0
        let list = try parseBlock(tokens, &pos, file: path, inBlock: false, special: false, depth: depth)
        files[i].directives = list
        return i
    }

    mutating func parseBlock(_ t: [Token], _ pos: inout Int, file: String, inBlock: Bool, special: Bool,
                             depth: Int, parent: String = "") throws -> [Directive] {
        var out: [Directive] = []
        guard depth < 100 else { throw InputError(file: file, line: t[min(pos, t.count - 1)].line, message: "too deeply nested blocks") }
        while pos < t.count {
            let tok = t[pos]
            if tok.isPunct("}") {
                if !inBlock { throw InputError(file: file, line: tok.line, message: "unexpected \"}\"") }
                pos += 1
                return out
            }
            if tok.isPunct(";") { throw InputError(file: file, line: tok.line, message: "unexpected \";\"") }
            if tok.isPunct("{") { throw InputError(file: file, line: tok.line, message: "unexpected \"{\"") }
            // Collect the words up to ";" or "{".
            let name = tok.text
            let line = tok.line
            var args: [String] = []
            pos += 1
            var terminator: Character?
            while pos < t.count {
                let a = t[pos]
                if a.isPunct(";") { terminator = ";"; pos += 1; break }
                if a.isPunct("{") { terminator = "{"; pos += 1; break }
                if a.isPunct("}") {
                    throw InputError(file: file, line: a.line, message: "unexpected \"}\"")
                }
                args.append(a.text)
                pos += 1
            }
            guard let term = terminator else {
                throw InputError(file: file, line: t.last?.line ?? line,
                                 message: "unexpected end of file, expecting \";\" or \"}\"")
            }
            let loc = SourceLocation(file: file, line: line)
            if name == "if" { args = Parser.stripIfParens(args) }
            // Inside upstream, "server" is a simple directive: the table is for http/server/location contexts.
            if !special, !(parent == "upstream" || parent == "stream" || parent == "mail"), let spec = DirectiveTable.specs[name] {
                if spec.block && term != "{" {
                    throw InputError(file: file, line: line, message: "directive \"\(name)\" has no opening \"{\"")
                }
                if !spec.block && term == "{" {
                    throw InputError(file: file, line: line, message: "directive \"\(name)\" is not terminated by \";\"")
                }
                if args.count < spec.minArgs || args.count > spec.maxArgs {
                    throw InputError(file: file, line: line, message: "invalid number of arguments in \"\(name)\" directive")
                }
            }
            if term == "{" {
                let isSpecial = DirectiveTable.specialBodies.contains(name)
                let body = try parseBlock(t, &pos, file: file, inBlock: true, special: isSpecial, depth: depth + 1,
                                          parent: parent == "stream" || parent == "mail" ? parent : name)
                out.append(Directive(name: name, args: args, location: loc, block: body))
                continue
            }
            var d = Directive(name: name, args: args, location: loc)
            if name == "include" && args.count == 1 {
                d.includes = try resolveInclude(args[0], at: loc, depth: depth)
            }
            out.append(d)
        }
        if inBlock {
            throw InputError(file: file, line: t.last?.line ?? 1, message: "unexpected end of file, expecting \"}\"")
        }
        return out
    }

    mutating func resolveInclude(_ pattern: String, at loc: SourceLocation, depth: Int) throws -> [Int] {
        guard depth < 32 else { throw InputError(loc, message: "include nesting too deep (a file includes itself?)") }
        let full = pattern.hasPrefix("/") ? pattern : confPrefix + pattern
        let isGlob = full.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
        let paths = isGlob ? source.glob(full) : [full]
        var out: [Int] = []
        for p in paths {
            do { out.append(try parseFile(p, depth: depth + 1)) }
            catch var e as InputError where e.file == p && e.line == nil {
                e.file = loc.file; e.line = loc.line
                throw e
            }
        }
        return out
    }

    static func stripIfParens(_ args: [String]) -> [String] {
        var a = args
        if let f = a.first, f.hasPrefix("(") {
            a[0] = String(f.dropFirst())
            if a[0].isEmpty { a.removeFirst() }
        }
        if let l = a.last, l.hasSuffix(")") {
            a[a.count - 1] = String(l.dropLast())
            if a[a.count - 1].isEmpty { a.removeLast() }
        }
        return a
    }
}

/// Bounds what `include` may expand to, before anything expands it.
///
/// Files are parsed once each, but `NginxConfig.expanded` copies a file's directives at every place
/// that includes it: two `include conf.d/*.conf;` lines in files that `conf.d/` itself holds double
/// the tree at each level (a fuzzing find: minutes at full CPU; `nginx -t` overflows its stack). The
/// expanded size is counted per file with memoisation, so the check itself is linear in the files.
enum IncludeBudget {
    /// Directives the expanded tree may hold (a 5,000-server configuration has ~100,000).
    static let maxDirectives = 2_000_000
    /// Include nesting depth (nginx itself has no limit but its stack).
    static let maxDepth = 32

    static func check(_ config: NginxConfig) throws {
        var memo: [Int: Int] = [:]
        var stack: [(file: Int, at: SourceLocation?)] = []
        func size(_ file: Int, at loc: SourceLocation?) throws -> Int {
            if let n = memo[file] { return n }
            if stack.contains(where: { $0.file == file }) || stack.count >= maxDepth {
                let chain = (stack + [(file, loc)]).compactMap { $0.at?.description }
                let what = stack.count >= maxDepth ? "include nesting deeper than \(maxDepth)" : "an include cycle"
                throw InputError(file: loc?.file, line: loc?.line,
                                 message: "\(what): \(chain.joined(separator: " → ")) (\(config.files[file].path) is included again)")
            }
            stack.append((file, loc))
            defer { stack.removeLast() }
            var n = 0
            func walk(_ list: [Directive]) throws {
                for d in list {
                    n += 1
                    if d.name == "include" && d.block == nil {
                        for f in d.includes where f < config.files.count { n += try size(f, at: d.location) }
                    }
                    if let b = d.block { try walk(b) }
                    if n > maxDirectives {
                        let chain = (stack.dropFirst().compactMap { $0.at?.description }) + [d.location.description]
                        throw InputError(file: d.location.file, line: d.location.line,
                                         message: "the includes expand to more than \(maxDirectives) directives (a directory included more than once?): \(chain.joined(separator: " → "))")
                    }
                }
            }
            try walk(config.files[file].directives)
            memo[file] = n
            return n
        }
        guard !config.files.isEmpty else { return }
        _ = try size(0, at: nil)
    }
}
