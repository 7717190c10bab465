import Why403Core

/// One directive of an nginx configuration, with its block when it has one, and where it was written.
public struct Directive: Sendable, Equatable {
    /// The directive's name (for entries of special bodies such as `map`, the first word).
    public var name: String
    /// The arguments, unquoted (for `if`, without the surrounding parentheses, as crossplane gives them).
    public var args: [String]
    /// The file and line of the directive's name.
    public var location: SourceLocation
    /// The block `{ ... }` for block directives, nil for simple ones.
    public var block: [Directive]?
    /// For `include`: indexes into `NginxConfig.files` of the files it pulled in, in order.
    public var includes: [Int]

    /// A directive at `location`.
    public init(name: String, args: [String], location: SourceLocation, block: [Directive]? = nil, includes: [Int] = []) {
        self.name = name
        self.args = args
        self.location = location
        self.block = block
        self.includes = includes
    }

    /// The directive as it reads in a configuration, e.g. `allow 10.0.0.0/8;` (quotes added where needed).
    public var text: String {
        let parts = [name] + args.map(Directive.quoteIfNeeded)
        return parts.joined(separator: " ") + (block == nil ? ";" : " {")
    }

    static func quoteIfNeeded(_ s: String) -> String {
        if s.isEmpty { return "\"\"" }
        if s.contains(where: { $0 == " " || $0 == ";" || $0 == "{" || $0 == "\"" || $0 == "'" || $0 == "\t" || $0 == "\n" }) {
            return "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        }
        return s
    }

    /// (modifier, path-or-pattern) of a location: `location = /x`, `location ~ re`, `location ~*re`, `location /p`
    /// (read by the simulation's location match and by `ValueCheck`'s regex check).
    var locationParts: (String, String) {
        if args.count == 2 { return (args[0], args[1]) }
        let a = args.first ?? ""
        for m in ["=", "^~", "~*", "~"] where a.hasPrefix(m) && a.count > m.count { return (m, String(a.dropFirst(m.count))) }
        if a.hasPrefix("@") { return ("@", a) }
        return ("", a)
    }

    /// The first directive named `name` in this directive's block.
    public func child(_ name: String) -> Directive? { block?.first { $0.name == name } }
    /// Every directive named `name` in this directive's block.
    public func children(_ name: String) -> [Directive] { block?.filter { $0.name == name } ?? [] }
}

/// One file of a configuration and its top-level directives (includes not expanded).
public struct ConfigFile: Sendable {
    /// The path as nginx opens it.
    public var path: String
    /// The text, kept to build patches with context.
    public var text: String
    /// The directives of this file.
    public var directives: [Directive]
}

/// A parsed configuration: the main file first, then every included file in order of first inclusion.
public struct NginxConfig: Sendable {
    /// The files; `files[0]` is the main one.
    public var files: [ConfigFile]
    /// The directory relative paths of `include` and `auth_basic_user_file` are resolved against.
    public var confPrefix: String

    /// The main file's directives with every `include` replaced by what it includes (recursively).
    public var expanded: [Directive] {
        let top = files.first?.directives ?? []
        return expand(top, depth: 0) ?? top
    }

    /// The list with includes replaced, or nil when nothing below it includes anything (then the
    /// original arrays are shared, not copied: a 5,000-server configuration expands in no time).
    func expand(_ list: [Directive], depth: Int) -> [Directive]? {
        var out: [Directive]? = nil
        for (i, d) in list.enumerated() {
            if d.name == "include" && d.block == nil {
                if out == nil { out = Array(list[..<i]) }
                guard depth < 32 else { continue }
                for f in d.includes where f < files.count {
                    let inc = files[f].directives
                    out! += expand(inc, depth: depth + 1) ?? inc
                }
                continue
            }
            if let b = d.block, let nb = expand(b, depth: depth) {
                if out == nil { out = Array(list[..<i]) }
                var e = d
                e.block = nb
                out!.append(e)
                continue
            }
            out?.append(d)
        }
        return out
    }

    /// The text lines of `file`, when it is one of the configuration's files.
    public func lines(of file: String) -> [Substring]? {
        files.first { $0.path == file }.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false) }
    }
}
