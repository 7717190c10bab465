import Why403Core

extension Simulation {
    // MARK: environment

    /// mod_setenvif / mod_env, in order.
    mutating func applySetEnv(_ list: [ApacheDirective], uri: String, filename: String?) {
        for d in list {
            var args = d.args
            let attr: String
            var nocase = d.key.hasSuffix("nocase")
            switch d.key {
            case "setenv":
                if let n = args.first { env[n] = args.count > 1 ? args[1] : ""; envSources[n] = d }
                continue
            case "unsetenv":
                for n in args { env[n] = nil }
                continue
            case "browsermatch", "browsermatchnocase":
                attr = "user-agent"
            case "setenvif", "setenvifnocase":
                guard !args.isEmpty else { continue }
                attr = args.removeFirst().lowercased()
            default: continue
            }
            guard !args.isEmpty else { continue }
            var pattern = args.removeFirst()
            var negate = false
            if pattern.hasPrefix("!") { negate = true; pattern.removeFirst() }
            if pattern.hasPrefix("(?i)") { nocase = true; pattern.removeFirst(4) }
            let value: String
            switch attr {
            case "remote_addr": value = clientIP
            case "request_method": value = req.method
            case "request_uri": value = uri
            case "request_protocol": value = "HTTP/1.1"
            case "remote_host":
                value = clientIP
            default: value = req.header(attr) ?? env[attr] ?? ""
            }
            guard let re = ApacheRegex(pattern, caseInsensitive: nocase) else {
                uncertain.append("\(d.location): the pattern \(InputError.quote(pattern)) could not be compiled here")
                continue
            }
            guard re.matches(value) != negate else { continue }
            for a in args {
                if a.hasPrefix("!") { env[String(a.dropFirst())] = nil; envSources[String(a.dropFirst())] = d; continue }
                // `var`, `var=value`, `!var`; an empty name ("" or "=x", a fuzzing find) sets nothing.
                let kv = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = kv.first, !name.isEmpty else { continue }
                let k = String(name)
                env[k] = kv.count > 1 ? String(kv[1]) : "1"
                envSources[k] = d
            }
        }
    }
}
