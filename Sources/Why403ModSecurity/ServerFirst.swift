import Why403Core

/// Requests nginx and Apache answer themselves before ModSecurity sees them (both connectors run the
/// engine after the server has parsed and normalised the request line). Each case is checked against the
/// real servers by `ModSecurityDifferentialTests`: there the server answers without a ModSecurity line.
public enum ServerFirst {
    /// Why the server answers `request` before the WAF, or nil.
    public static func reason(for request: Request) -> String? {
        let path = request.target.path
        if request.method == "TRACE" {
            return "TRACE is answered by the server itself (nginx 405; Apache echoes it with TraceEnable on, the default)"
        }
        if path.contains("%00") {
            return "a NUL byte (%00) in the path is refused by the server itself (nginx 400, Apache 404)"
        }
        if climbsAboveRoot(path) {
            return "the path's '..' segments climb above the root: the server answers 400 itself"
        }
        return nil
    }

    /// Whether dot-dot segments (also `%2e%2e`, which both servers decode before normalising) climb above `/`.
    static func climbsAboveRoot(_ path: String) -> Bool {
        var depth = 0
        for raw in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let segment = raw.replacingAll("%2e", with: ".").replacingAll("%2E", with: ".")
            if segment == ".." {
                depth -= 1
                if depth < 0 { return true }
            } else if segment != "." && !segment.isEmpty {
                depth += 1
            }
        }
        return false
    }
}
