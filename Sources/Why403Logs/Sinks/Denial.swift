import Why403Core

/// One refused request as `why403 logs` counts it: from an access-log line (joined with its
/// error-log reason when one was found) or from an error-log line alone.
///
/// INVARIANT: its keys may view the bytes of the line being processed: a `Denial` is handed to the
/// aggregator at once, never stored.
struct Denial {
    var status: Int?
    var cause: Cause
    var layer: Layer
    var confidence: Confidence
    var rule: String?
    var time: LogTime?
    var client: LogKey
    /// The URI path without its query string (queries may hold secrets and split one path in many keys).
    var path: LogKey?
    var userAgent: LogKey?
    /// The file or directory an error message names.
    var target: String?
    var detail: String?
    /// True when an access line was joined with an error-log reason.
    var correlated: Bool
    /// The client's country, where the log names it (edge logs).
    var country: String? = nil
    /// What the edge rule that matched says happened (edge logs).
    var meaning: String? = nil
    /// ModSecurity audit log: every rule that scored (`ID msg`), the denying rule aside.
    var scored: [String]? = nil
}

extension String {
    /// The path part of a request target: query and fragment dropped.
    var pathOnly: String {
        if let q = utf8.firstIndex(where: { $0 == 0x3F || $0 == 0x23 }) { return String(self[..<q]) }
        return self
    }

    /// `lowercased()`, without making a new `String` when no byte could change (the common case:
    /// `block`, `waf`).
    var lowercasedIfNeeded: String {
        var s = self
        // Over the bytes (the closure form over the UTF-8 view was slower than the lowering it avoids); an
        // ASCII value is lowered byte for byte, anything else by `lowercased()`.
        return s.withUTF8 { b -> String in
            var upper = false
            for c in b {
                if c >= 0x80 { return lowercased() }
                if c >= 65 && c <= 90 { upper = true }
            }
            guard upper else { return self }
            return String(unsafeUninitializedCapacity: b.count) { out in
                for i in 0..<b.count { out[i] = b[i] >= 65 && b[i] <= 90 ? b[i] | 0x20 : b[i] }
                return b.count
            }
        }
    }
}
