import Why403Core

extension Simulation {
    /// The location for `uri` among `parent`'s locations (ngx_http_core_find_location): exact `=`
    /// wins at once; the longest prefix is remembered, its nested locations searched; `^~` stops the
    /// regex search; regexes of this level in order; nested locations of a regex match.
    /// Returns the chain of locations (outermost first), empty when none matches.
    func findLocation(_ uri: String, in parent: Directive) -> [Directive] { find(uri, in: parent).chain }

    /// `final` is nginx's NGX_OK: an exact or a regex match, after which outer levels stop searching.
    func find(_ uri: String, in parent: Directive) -> (chain: [Directive], final: Bool) {
        let locs = (parent.block ?? []).filter { $0.name == "location" && $0.block != nil }
        var best: Directive?
        var bestLen = -1
        for l in locs {
            let (mod, path) = l.locationParts
            switch mod {
            case "=":
                if uri == path { return ([l], true) }
            case "", "^~":
                if uri.hasPrefix(path) && path.count > bestLen { best = l; bestLen = path.count }
            default: continue
            }
        }
        var chain: [Directive] = []
        var noregex = false
        if let b = best {
            noregex = b.locationParts.0 == "^~"
            let nested = find(uri, in: b)
            chain = [b] + nested.chain
            if nested.final { return (chain, true) }
        }
        if !noregex, let r = regexMatch(uri, locs) { return (r, true) }
        return (chain, false)
    }

    func regexMatch(_ uri: String, _ locs: [Directive]) -> [Directive]? {
        for l in locs {
            let (mod, pattern) = l.locationParts
            guard mod == "~" || mod == "~*" else { continue }
            guard let re = regexCache.regex(pattern, caseless: mod == "~*") else {
                notes.append("\(l.location): this regular expression could not be evaluated here: \(InputError.quote(pattern))")
                continue
            }
            if let m = re.firstMatch(in: uri) {
                captures = m.groups
                for (n, v) in m.named { vars[n.lowercased()] = v }
                return [l] + find(uri, in: l).chain
            }
        }
        return nil
    }

    /// The named location `@name` of the current server.
    func namedLocation(_ name: String) -> Directive? {
        server.children("location").first { $0.args.first == name }
    }
}
