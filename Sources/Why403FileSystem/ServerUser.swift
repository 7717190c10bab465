import Why403Core

/// Which user a local web server's workers run as, read from its configuration: nginx's `user`
/// directive in `/etc/nginx/nginx.conf`, else Apache's `User` (with `APACHE_RUN_USER` from
/// `/etc/apache2/envvars` on Debian, or `/etc/httpd/conf/httpd.conf` on Red Hat), else `www-data`.
public enum ServerUser {
    /// The user chosen and why, for a note in the report.
    public struct Choice: Sendable, Equatable {
        /// The user name.
        public var name: String
        /// Where it came from, as a sentence for the report.
        public var reason: String
        /// A choice.
        public init(name: String, reason: String) { self.name = name; self.reason = reason }
    }

    /// The configuration files read, in order.
    public static let nginxConf = "/etc/nginx/nginx.conf"
    /// Debian's Apache configuration and the file that defines its run user.
    public static let apacheConf = "/etc/apache2/apache2.conf", apacheEnvvars = "/etc/apache2/envvars"
    /// Red Hat's Apache configuration.
    public static let httpdConf = "/etc/httpd/conf/httpd.conf"

    /// Reads the configurations through `fs` (only the first 1 MiB of each): the ones given, when any
    /// (a command that is given a configuration takes the server's user from it), else the
    /// distribution's usual places.
    public static func detect(in fs: any FileSystemView, nginx given: [String] = [], apache givenApache: [String] = []) -> Choice {
        let explicit = !given.isEmpty || !givenApache.isEmpty
        for conf in explicit ? given : [nginxConf] {
            guard let text = readText(fs, conf) else { continue }
            if let (user, line) = nginxUser(text) {
                return Choice(name: user, reason: "the user directive of nginx (\(conf):\(line))")
            }
            return Choice(name: "nobody", reason: "\(conf) has no user directive: nginx's built-in default is nobody")
        }
        for conf in explicit ? givenApache : [apacheConf, httpdConf] {
            guard let text = readText(fs, conf), let (value, line) = apacheUser(text) else { continue }
            if value.hasPrefix("${"), value.hasSuffix("}") {
                let variable = String(value.dropFirst(2).dropLast())
                let envvars = !explicit ? apacheEnvvars : conf.lastIndex(of: "/").map { String(conf[...$0]) + "envvars" } ?? "envvars"
                if let env = readText(fs, envvars), let (user, envLine) = envvar(variable, in: env) {
                    return Choice(name: user, reason: "Apache's User \(value) (\(conf):\(line)), set in \(envvars):\(envLine)")
                }
                continue
            }
            return Choice(name: value, reason: "Apache's User directive (\(conf):\(line))")
        }
        if explicit {
            return Choice(name: "www-data", reason: "the configuration given names no user: www-data is the Debian default")
        }
        return Choice(name: "www-data", reason: "no local nginx or Apache configuration names a user: www-data is the Debian default")
    }

    static func readText(_ fs: any FileSystemView, _ path: String) -> String? {
        guard let bytes = try? fs.read(path, limit: 1 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first argument of the main-context `user` directive, and its line.
    static func nginxUser(_ text: String) -> (String, Int)? {
        var depth = 0, line = 1, statementLine = 1
        var words: [String] = [], word = ""
        var inComment = false
        var quote: Character? = nil
        func endWord() { if !word.isEmpty { words.append(word); word = "" } }
        for ch in text {
            if ch == "\n" || ch == "\r\n" { line += 1; inComment = false; if quote == nil { endWord() }; continue }
            if inComment { continue }
            if let q = quote {
                if ch == q { quote = nil } else { word.append(ch) }
                continue
            }
            switch ch {
            case "#": endWord(); inComment = true
            case "\"", "'": quote = ch
            case " ", "\t": endWord()
            case "{": endWord(); depth += 1; words = []
            case "}": endWord(); depth -= 1; words = []
            case ";":
                endWord()
                if depth == 0, words.first == "user", words.count >= 2 { return (words[1], statementLine) }
                words = []
            default:
                if word.isEmpty && words.isEmpty { statementLine = line }
                word.append(ch)
            }
        }
        return nil
    }

    /// The value of the first `User` directive (case-insensitive, comments skipped), and its line.
    static func apacheUser(_ text: String) -> (String, Int)? {
        var number = 0
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let parts = String(String.UnicodeScalarView(raw)).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard parts.count >= 2, parts[0].lowercased() == "user" else { continue }
            return (String(parts[1]).trimmingQuotes, number)
        }
        return nil
    }

    /// `export NAME=value` (or `NAME=value`) in a shell file, and its line.
    static func envvar(_ name: String, in text: String) -> (String, Int)? {
        var number = 0
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var s = Substring(String(String.UnicodeScalarView(raw)))
            while s.first == " " || s.first == "\t" { s.removeFirst() }
            if s.hasPrefix("export ") { s = s.dropFirst(7) }
            guard s.hasPrefix(name + "=") else { continue }
            let value = s.dropFirst(name.count + 1).prefix { $0 != " " && $0 != "\t" && $0 != "#" && $0 != "\r" }
            return (String(value).trimmingQuotes, number)
        }
        return nil
    }
}

extension String {
    var trimmingQuotes: String {
        if count >= 2, let f = first, f == "\"" || f == "'", last == f { return String(dropFirst().dropLast()) }
        return self
    }
}

