import Why403Core
import Why403FileSystem
import Why403PCRE2

/// Reads an Apache configuration the way httpd does at start-up.
///
/// Three layers, one pass (httpd itself decides `<IfModule>` and `<IfDefine>` while it reads, since a
/// `LoadModule` or `Define` changes what follows): `ApacheLexer` turns bytes into logical lines and
/// tokens with file and line (`ap_cfg_getline`/`ap_getword_conf`: `\` continuations, quoting, `#`
/// comments only at the start of a line); the preprocessor (`ApacheConfigParser+Preprocessor`) expands
/// `${VAR}`, decides conditional sections and runs `Include`/`IncludeOptional`; this file's parser turns
/// sections into the tree and reads files.
///
/// Hand-written: no Swift library reads Apache's configuration language. Errors use httpd's wording
/// where it has one, with file and line; parsing collects them and throws them all at the end.
public struct ApacheConfigParser {
    /// Modules compiled into Debian's apache2 (`apache2 -l`).
    public static let compiledIn: [String] = ["core.c", "mod_so.c", "mod_watchdog.c", "http_core.c",
                                              "mod_log_config.c", "mod_logio.c", "mod_version.c", "mod_unixd.c"]

    /// Where files are read.
    let fs: any FileSystemView
    /// The httpd version `<IfVersion>` compares with.
    let version: [Int]
    var serverRoot: String
    var defines: [String: String]
    var environment: [String: String]
    var modules: Set<String> = []
    var files: [String] = []
    var errors: [InputError] = []
    var notes: [String] = []
    /// How deep in includes the parser is.
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

    // MARK: reading files

    /// Reads one configuration file (the main file or an included one) into directives; an include loop,
    /// too deep or too large an include tree, an unreadable or binary file is an error.
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
        let lines = ApacheLexer.logicalLines(bytes, file: path)
        var index = 0
        return parseBlock(lines, &index, file: path, closing: nil, openedAt: nil)
    }

    // MARK: sections

    /// Parses logical lines into directives until `</closing>` (or the end for the top level), expanding
    /// `${VAR}` and deciding conditional sections as it goes; in an inactive conditional section
    /// (`active` false) lines are only matched up, never run.
    mutating func parseBlock(_ lines: [ApacheLexer.Line], _ index: inout Int, file: String, closing: String?,
                             openedAt: SourceLocation?, active: Bool = true) -> [ApacheDirective] {
        var out: [ApacheDirective] = []
        while index < lines.count {
            let line = lines[index]
            index += 1
            let loc = line.location
            let text = active ? expand(line.text, at: loc) : line.text
            switch ApacheLexer.token(text) {
            case .sectionClose(let name):
                if let closing, name.lowercased() == closing.lowercased() { return out }
                if let closing {
                    errors.append(InputError(loc, message: "Expected </\(closing)> but saw </\(name)>"))
                    return out
                }
                errors.append(InputError(loc, message: "</\(name)> without matching <\(name)> section"))
            case .sectionOpenUnterminated(let name):
                errors.append(InputError(loc, message: "<\(name)> directive missing closing '>'"))
                _ = parseBlock(lines, &index, file: file, closing: name, openedAt: loc, active: false)
            case .sectionOpenNameless:
                errors.append(InputError(file: loc.file, line: loc.line, expected: "a section name after '<'", found: InputError.quote(text)))
            case .sectionOpen(let name, let args):
                if let conditional = condition(name, args, at: loc, active: active) {
                    let children = parseBlock(lines, &index, file: file, closing: name, openedAt: loc,
                                              active: active && conditional)
                    if active && conditional { out += children }
                } else {
                    if active, let m = ApacheConfigParser.regexRefusal(section: name, args) { errors.append(InputError(loc, message: m)) }
                    let children = parseBlock(lines, &index, file: file, closing: name, openedAt: loc, active: active)
                    out.append(ApacheDirective(name: name, args: args, location: loc, text: text, children: children))
                }
            case .directive(let name, let args):
                let d = ApacheDirective(name: name, args: args, location: loc, text: text)
                if active, let m = ApacheConfigParser.regexRefusal(d) { errors.append(InputError(loc, message: m)) }
                if active { out += handle(d) } else { out.append(d) }
            }
        }
        if let closing {
            errors.append(InputError(file: openedAt?.file ?? file, line: openedAt?.line,
                                     message: "<\(closing)> was not closed."))
        }
        return out
    }
}

extension ApacheConfigParser {
    /// httpd's message when a directive's regular expression does not compile (httpd refuses to start, or answers 500
    /// for an .htaccess), checked with PCRE2, httpd's own engine, with its options (`ApacheRegex`); nil when it
    /// compiles, or when libpcre2-8 is absent (ICU refuses other patterns: the simulation then notes the ones it cannot read).
    static func regexRefusal(_ d: ApacheDirective) -> String? {
        guard PCRE2.available else { return nil }
        func refused(_ pattern: String, nocase: Bool = false) -> Bool { ApacheRegex(pattern, caseInsensitive: nocase) == nil }
        let a = d.args
        switch d.key {
        case "rewriterule":
            guard let p = a.first else { return nil }
            let pattern = p.hasPrefix("!") ? String(p.dropFirst()) : p
            return refused(pattern) ? "RewriteRule: cannot compile regular expression '\(pattern)'" : nil
        case "rewritecond":
            guard a.count >= 2, !(a.count > 2 && a[2].lowercased().contains("expr")) else { return nil }
            let pattern = a[1].hasPrefix("!") ? String(a[1].dropFirst()) : a[1]
            // Comparisons and file tests are not regexes.
            guard let first = pattern.first, !"-=<>".contains(first) else { return nil }
            return refused(pattern) ? "RewriteCond: cannot compile regular expression '\(pattern)'" : nil
        case "redirectmatch":
            guard let pattern = a.count >= 3 || (a.count == 2 && Int(a[0]) != nil) ? a.dropFirst().first : a.first else { return nil }
            return refused(pattern) ? "Regular expression could not be compiled." : nil
        case "aliasmatch", "scriptaliasmatch":
            guard let pattern = a.first else { return nil }
            return refused(pattern) ? "Regular expression could not be compiled." : nil
        default:
            return nil
        }
    }

    /// The same for a section (`<LocationMatch>`, `<DirectoryMatch>`, `<FilesMatch>`, and `<Location ~>`, `<Directory ~>`,
    /// `<Files ~>`): core's "Regex could not be compiled".
    static func regexRefusal(section name: String, _ args: [String]) -> String? {
        guard PCRE2.available else { return nil }
        let key = name.lowercased()
        let pattern: String?
        switch key {
        case "locationmatch", "directorymatch", "filesmatch": pattern = args.first
        case "location", "directory", "files": pattern = args.count >= 2 && args[0] == "~" ? args[1] : nil
        default: pattern = nil
        }
        guard let pattern, ApacheRegex(pattern) == nil else { return nil }
        return "Regex could not be compiled"
    }
}
