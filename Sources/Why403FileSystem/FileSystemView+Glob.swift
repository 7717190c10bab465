#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileSystemView {
    /// The paths matching a shell glob (`*`, `?`, `[...]` in any component), sorted, through this view:
    /// what nginx's `include` (glob(3)) and httpd's `Include` (apr_match_glob) read. As glob(3) does
    /// without GLOB_PERIOD, a wildcard does not match a leading `.`. Each component is matched with
    /// fnmatch(3) over `list`, so the in-memory twin globs exactly as the live filesystem does.
    public func glob(_ pattern: String) -> [String] {
        let isWild = { (s: Substring) in s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }
        let parts = pattern.split(separator: "/")
        guard parts.contains(where: isWild) else { return info(pattern) != nil ? [pattern] : [] }
        var candidates = [pattern.hasPrefix("/") ? "/" : ""]
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            var next: [String] = []
            for base in candidates {
                let prefix = base.isEmpty ? "" : (base == "/" ? "/" : base + "/")
                if isWild(part) {
                    for name in (list(base.isEmpty ? "." : base) ?? []).sorted()
                    where !(name.hasPrefix(".") && !part.hasPrefix(".")) && fnmatch(String(part), name, 0) == 0 {
                        let p = prefix + name
                        // Directories (or links to them) lead on; the last component may be anything.
                        if last || list(p) != nil { next.append(p) }
                    }
                } else {
                    next.append(prefix + part)
                }
            }
            candidates = next
        }
        if let last = parts.last, !isWild(last) {
            candidates = candidates.filter { info($0) != nil }
        }
        return candidates.sorted()
    }
}
