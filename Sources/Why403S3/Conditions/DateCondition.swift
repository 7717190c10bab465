import Foundation

/// `DateEquals`, `DateNotEquals`, `DateLessThan[Equals]`, `DateGreaterThan[Equals]` (IAM condition
/// operators page, "Date condition operators"): W3C/ISO 8601 dates or epoch (UNIX) seconds.
enum DateCondition {
    static func parse(_ s: String) -> Double? {
        let t = s.trimmingCharacters(" ")
        guard !t.isEmpty else { return nil }
        if t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == ".") }), !t.contains("-") || t.hasPrefix("-"),
           let epoch = Double(t) {
            return epoch
        }
        let f = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
            [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate],
        ] {
            f.formatOptions = options
            f.timeZone = TimeZone(identifier: "UTC")
            if let d = f.date(from: t) { return d.timeIntervalSince1970 }
        }
        return nil
    }

    static func matches(_ comparison: ConditionOperator.Comparison, policy: String, request: String) -> Bool {
        guard let p = parse(policy), let r = parse(request) else { return false }
        return NumericCondition.compare(comparison, r, p)
    }
}
