import Foundation
import Why403Core

/// The values of the fields for one request: what the evaluator reads. Built once per request
/// (`RequestFields.make`), read by every rule.
public struct FieldValues: Sendable {
    /// Field name to value; a field absent here is unknown.
    public var values: [String: Value]
    /// The contents of `$lists` given (name to items); a list absent here is unknown.
    public var lists: [String: SetMatcherBox]

    /// Values for the named fields.
    public init(values: [String: Value], lists: [String: SetMatcherBox] = [:]) {
        self.values = values
        self.lists = lists
    }
}

/// The items of a `$list` (an IP, ASN or hostname list exported from the Lists API).
public struct SetMatcherBox: Sendable {
    let matcher: SetMatcher
    /// Hostname items `*.example.com`: any subdomain of `example.com`.
    let suffixes: [String]
    /// A list of IP addresses and networks (`1.2.3.4`, `10.0.0.0/8`), integers or strings (hostnames,
    /// `*.` for the subdomains of one).
    public init(items: [String]) {
        var m = SetMatcher()
        var suffixes: [String] = []
        for i in items {
            if let n = IPNetwork(i) { m.networks.append(n) }
            else if let a = IPAddress(i) { m.networks.append(IPNetwork(address: a, prefixLength: a.bytes.count * 8)!) }
            else if let n = Int(i) { m.ints.insert(n) }
            else if i.hasPrefix("*.") { suffixes.append(String(i.dropFirst(1)).lowercased()) }
            else { m.strings.insert(i) }
        }
        matcher = m
        self.suffixes = suffixes
    }

    func contains(_ v: Value) -> Bool {
        if matcher.contains(v) { return true }
        if case .string(let s) = v { let l = s.lowercased(); return suffixes.contains { l.hasSuffix($0) } }
        return false
    }
}

/// Evaluates compiled expressions against field values: a pure function of both (no I/O, no state),
/// so a replay loop can run it for many requests over rules compiled once.
public enum Evaluator {
    /// The value of `node` (a Boolean for a whole expression; `.unknown` when it depends on a field
    /// nobody gave).
    public static func evaluate(_ node: Node, _ fields: FieldValues) -> Value {
        switch node.kind {
        case .field(let f):
            return fields.values[f.name] ?? .unknown
        case .literal(let v):
            return v
        case .index(let base, let key):
            let b = evaluate(base, fields)
            if base.mapped, case .array(let items) = b { return .array(items.map { index($0, key) }) }
            return index(b, key)
        case .star(let base):
            switch evaluate(base, fields) {
            case .array(let a): return .array(a)
            case .map(let m): return .array(m.keys.sorted().flatMap { k -> [Value] in
                if case .array(let a) = m[k]! { return a } else { return [m[k]!] } })
            case .unknown: return .unknown
            default: return .array([])
            }
        case .call(let fn, let args):
            return call(fn, args, node, fields)
        case .compare(let op, let lhs, let rhs):
            return apply(lhs, fields) { compare(op, $0, rhs) }
        case .contains(let lhs, let needle):
            return apply(lhs, fields) { v in
                guard case .string(let s) = v else { return .bool(false) }
                return .bool(needle.isEmpty || s.utf8.firstRange(of: needle.utf8) != nil)
            }
        case .matches(let lhs, let re):
            return apply(lhs, fields) { v in
                guard case .string(let s) = v else { return .bool(false) }
                return .bool(re.matches(s))
            }
        case .wildcard(let lhs, let w):
            return apply(lhs, fields) { v in
                guard case .string(let s) = v else { return .bool(false) }
                return .bool(w.matches(s))
            }
        case .inSet(let lhs, let set):
            return apply(lhs, fields) { .bool(set.contains($0)) }
        case .inList(let lhs, let name):
            guard let list = fields.lists[name] else { return .unknown }
            return apply(lhs, fields) { .bool(list.contains($0)) }
        case .not(let e):
            let v = evaluate(e, fields)
            if e.mapped, case .array(let a) = v { return .array(a.map { $0.truth.map { .bool(!$0) } ?? .unknown }) }
            return v.truth.map { .bool(!$0) } ?? .unknown
        case .and(let a, let b):
            let x = evaluate(a, fields)
            if x.truth == false { return .bool(false) }
            let y = evaluate(b, fields)
            if y.truth == false { return .bool(false) }
            return (x.truth == true && y.truth == true) ? .bool(true) : .unknown
        case .or(let a, let b):
            let x = evaluate(a, fields)
            if x.truth == true { return .bool(true) }
            let y = evaluate(b, fields)
            if y.truth == true { return .bool(true) }
            return (x.truth == false && y.truth == false) ? .bool(false) : .unknown
        case .xor(let a, let b):
            guard let x = evaluate(a, fields).truth, let y = evaluate(b, fields).truth else { return .unknown }
            return .bool(x != y)
        }
    }

    /// Applies a test to the value of `lhs` (to each element when it is mapped by `[*]`). Unknown stays
    /// unknown; a missing value (an absent header) makes the test false.
    static func apply(_ lhs: Node, _ fields: FieldValues, _ test: (Value) -> Value) -> Value {
        let v = evaluate(lhs, fields)
        func one(_ v: Value) -> Value {
            switch v {
            case .unknown: return .unknown
            case .missing: return .bool(false)
            default: return test(v)
            }
        }
        if lhs.mapped {
            guard case .array(let items) = v else { return v == .unknown ? .unknown : .array([]) }
            return .array(items.map(one))
        }
        return one(v)
    }

    static func index(_ v: Value, _ key: Value) -> Value {
        switch (v, key) {
        case (.map(let m), .string(let k)): return m[k.lowercased()] ?? m[k] ?? .missing
        case (.array(let a), .int(let i)): return i < a.count ? a[i] : .missing
        case (.unknown, _): return .unknown
        default: return .missing
        }
    }

    static func compare(_ op: CompareOp, _ l: Value, _ r: Value) -> Value {
        let order: Int
        switch (l, r) {
        case (.string(let a), .string(let b)):
            if op == .eq { return .bool(a.utf8.elementsEqual(b.utf8)) }
            if op == .ne { return .bool(!a.utf8.elementsEqual(b.utf8)) }
            order = a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : (a.utf8.elementsEqual(b.utf8) ? 0 : 1)
        case (.int(let a), .int(let b)): order = a < b ? -1 : (a == b ? 0 : 1)
        case (.ip(let a), .ip(let b)):
            let x = a.mappedIPv4 ?? a, y = b.mappedIPv4 ?? b
            guard x.bytes.count == y.bytes.count else { return .bool(op == .ne) }
            order = x.bytes.lexicographicallyPrecedes(y.bytes) ? -1 : (x.bytes == y.bytes ? 0 : 1)
        case (.bool(let a), .bool(let b)): order = a == b ? 0 : (a ? 1 : -1)
        default: return .bool(op == .ne)
        }
        switch op {
        case .eq: return .bool(order == 0)
        case .ne: return .bool(order != 0)
        case .lt: return .bool(order < 0)
        case .le: return .bool(order <= 0)
        case .gt: return .bool(order > 0)
        case .ge: return .bool(order >= 0)
        }
    }

    static func literalString(_ n: Node) -> String {
        if case .literal(.string(let s)) = n.kind { return s }
        return ""
    }

    static func call(_ fn: Function, _ args: [Node], _ node: Node, _ fields: FieldValues) -> Value {
        switch fn {
        case .any, .all:
            let v = evaluate(args[0], fields)
            guard case .array(let items) = v else { return v == .unknown ? .unknown : .bool(fn == .all) }
            var sawUnknown = false
            for i in items {
                switch i.truth {
                case .some(true): if fn == .any { return .bool(true) }
                case .some(false): if fn == .all { return .bool(false) }
                case .none: sawUnknown = true
                }
            }
            return sawUnknown ? .unknown : .bool(fn == .all)
        case .concat:
            var out = ""
            for a in args {
                switch evaluate(a, fields) {
                case .string(let s): out += s
                case .int(let i): out += String(i)
                case .unknown: return .unknown
                default: break
                }
            }
            return .string(out)
        case .isTimedHMACValidV0:
            // The key is in the expression, but the validity also depends on the time Cloudflare received
            // the request (http.request.timestamp.sec), which is not known offline: a well-formed token is
            // unknown. A MessageMAC that does not have the documented shape (.+)(.*)(\d{10})-(.{43,})
            // cannot be valid: false.
            switch evaluate(args[1], fields) {
            case .string(let mac): return hmacShape.matches(mac) ? .unknown : .bool(false)
            case .missing: return .bool(false)
            default: return .unknown
            }
        default:
            break
        }
        // Functions of one subject (the first argument) and literal parameters.
        let rest = args.dropFirst()
        let transform: (Value) -> Value
        switch fn {
        case .lower: transform = { if case .string(let s) = $0 { .string(asciiMap(s, upper: false)) } else { $0 } }
        case .upper: transform = { if case .string(let s) = $0 { .string(asciiMap(s, upper: true)) } else { $0 } }
        case .len:
            transform = {
                switch $0 {
                case .string(let s): .int(s.utf8.count)
                case .array(let a): .int(a.count)
                default: .int(0)
                }
            }
        case .startsWith:
            let p = literalString(args[1])
            transform = { if case .string(let s) = $0 { .bool(s.utf8.starts(with: p.utf8)) } else { .bool(false) } }
        case .endsWith:
            let p = literalString(args[1])
            transform = { if case .string(let s) = $0 { .bool(s.utf8.reversed().starts(with: p.utf8.reversed())) } else { .bool(false) } }
        case .urlDecode:
            // Options: "r" recursive, "u" Unicode %uXXXX; "+" is always a space.
            let options = rest.first.map(literalString) ?? ""
            let recursive = options.contains("r"), unicode = options.contains("u")
            transform = { if case .string(let s) = $0 { .string(urlDecode(s, recursive: recursive, plus: true, unicode: unicode)) } else { $0 } }
        case .removeBytes:
            let bytes = Set(literalString(args[1]).utf8)
            transform = { if case .string(let s) = $0 { .string(String(decoding: s.utf8.filter { !bytes.contains($0) }, as: UTF8.self)) } else { $0 } }
        case .lookupJSONString, .lookupJSONInteger:
            let keys: [Value] = rest.map { if case .literal(let v) = $0.kind { v } else { .missing } }
            let wantInt = fn == .lookupJSONInteger
            transform = { v in
                guard case .string(let s) = v, let data = s.data(using: .utf8),
                      var cur = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return .missing }
                for k in keys {
                    switch k {
                    case .string(let key): guard let d = cur as? [String: Any], let n = d[key] else { return .missing }; cur = n
                    case .int(let i): guard let a = cur as? [Any], i >= 0, i < a.count else { return .missing }; cur = a[i]
                    default: return .missing
                    }
                }
                if wantInt {
                    // Plain integers only: "it will not work for floating numbers with a zero decimal
                    // part such as 42.0" (functions page); Booleans are not integers either.
                    if let n = cur as? NSNumber, !["d", "f", "c", "B"].contains(String(cString: n.objCType)) { return .int(n.intValue) }
                    return .missing
                }
                return (cur as? String).map { .string($0) } ?? .missing
            }
        case .regexReplace:
            let re = try? CompiledRegex(literalString(args[1]))
            let rep = literalString(args[2])
            transform = { if case .string(let s) = $0, let re { .string(re.replaceFirst(s, with: rep)) } else { $0 } }
        case .wildcardReplace:
            let strict = args.count == 4 && literalString(args[3]).contains("s")
            let w = try? WildcardPattern(literalString(args[1]), strict: strict)
            let rep = literalString(args[2])
            transform = {
                guard case .string(let s) = $0, let w, let caps = w.captures(s) else { return $0 }
                var out = rep
                for (i, c) in caps.enumerated().reversed() { out = out.replacingOccurrences(of: "${\(i + 1)}", with: c) }
                return .string(out)
            }
        case .toString:
            transform = {
                switch $0 {
                case .int(let i): .string(String(i))
                case .bool(let b): .string(b ? "true" : "false")
                case .ip(let a): .string(a.description)
                default: $0
                }
            }
        case .decodeBase64:
            transform = {
                guard case .string(let s) = $0, let d = Data(base64Encoded: s) else { return .missing }
                return .string(String(decoding: d, as: UTF8.self))
            }
        case .cidr, .cidr6:
            let lens: [Int] = rest.map { if case .literal(.int(let i)) = $0.kind { i } else { 0 } }
            transform = {
                guard case .ip(let a) = $0 else { return $0 }
                let bits = a.isIPv6 ? (fn == .cidr ? lens[1] : lens[0]) : (fn == .cidr ? lens[0] : 32)
                var b = a.bytes
                for i in b.indices {
                    let keep = max(0, min(8, bits - i * 8))
                    b[i] &= keep == 8 ? 0xff : ~(0xff >> UInt8(keep))
                }
                return .ip(IPAddress(bytes: b)!)
            }
        case .encodeBase64:
            // Standard Base64 without padding by default; "p" pads, "u" uses the URL-safe alphabet.
            let flags = args.count > 1 ? literalString(args[1]) : ""
            transform = {
                guard case .string(let s) = $0 else { return $0 }
                var out = Data(s.utf8).base64EncodedString()
                if !flags.contains("p") { while out.hasSuffix("=") { out.removeLast() } }
                if flags.contains("u") { out = out.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
                return .string(out)
            }
        case .sha256:
            // Only in Transform Rules (never evaluated by the WAF phases why403 runs): no digest is
            // computed here, the value is unknown.
            transform = { _ in .unknown }
        case .uuidv4:
            transform = { _ in .unknown } // random by definition
        case .bitSlice:
            transform = { _ in .unknown } // Magic Firewall only: refused at compile time in HTTP phases
        case .split:
            let d = literalString(args[1])
            transform = {
                guard case .string(let s) = $0 else { return $0 }
                guard !d.isEmpty else { return .array([.string(s)]) }
                return .array(splitBytes(s, d).map { .string($0) })
            }
        case .join:
            let d = literalString(args[1])
            transform = {
                guard case .array(let a) = $0 else { return $0 }
                return .string(a.compactMap { if case .string(let s) = $0 { s } else { nil } }.joined(separator: d))
            }
        case .hasKey, .hasValue:
            let needle = evaluate(args[1], fields)
            transform = { v in
                if needle == .unknown { return .unknown }
                switch v {
                case .map(let m):
                    if fn == .hasKey { if case .string(let k) = needle { return .bool(m[k] != nil) }; return .bool(false) }
                    return .bool(m.values.contains(needle))
                case .array(let a):
                    return .bool(fn == .hasValue && a.contains(needle))
                default: return .bool(false)
                }
            }
        case .substring:
            let ints: [Int] = rest.map { if case .literal(.int(let i)) = $0.kind { i } else { 0 } }
            transform = {
                guard case .string(let s) = $0 else { return $0 }
                let b = Array(s.utf8)
                func clamp(_ i: Int) -> Int { i < 0 ? max(0, b.count + i) : min(i, b.count) }
                let lo = clamp(ints[0]), hi = ints.count > 1 ? clamp(ints[1]) : b.count
                return .string(lo < hi ? String(decoding: b[lo..<hi], as: UTF8.self) : "")
            }
        case .removeQueryArgs:
            let names = Set(rest.map(literalString))
            transform = {
                guard case .string(let s) = $0 else { return $0 }
                let kept = s.split(separator: "&", omittingEmptySubsequences: false).filter { pair in
                    !names.contains(String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]))
                }
                return .string(kept.joined(separator: "&"))
            }
        case .any, .all, .concat, .isTimedHMACValidV0:
            transform = { $0 }
        }
        return apply(args[0], fields, transform)
    }

    /// The documented shape of an HMAC MessageMAC: message, separator, 10-digit timestamp, "-", MAC.
    static let hmacShape = try! CompiledRegex("(.+)(.*)(\\d{10})-(.{43,})")

    /// `s` split at every occurrence of `d` (bytes, not grapheme clusters).
    static func splitBytes(_ s: String, _ d: String) -> [String] {
        let b = Array(s.utf8), n = Array(d.utf8)
        var out: [String] = [], start = 0, i = 0
        while i + n.count <= b.count {
            if b[i..<(i + n.count)].elementsEqual(n) {
                out.append(String(decoding: b[start..<i], as: UTF8.self)); i += n.count; start = i
            } else { i += 1 }
        }
        out.append(String(decoding: b[start...], as: UTF8.self))
        return out
    }

    static func asciiMap(_ s: String, upper: Bool) -> String {
        String(decoding: s.utf8.map { c in
            if upper, c >= 97, c <= 122 { return c - 32 }
            if !upper, c >= 65, c <= 90 { return c + 32 }
            return c
        }, as: UTF8.self)
    }

    /// Percent-decoding as url_decode does (`+` is a space; with "r", until nothing changes).
    static func urlDecode(_ s: String, recursive: Bool, plus: Bool, unicode: Bool = false) -> String {
        var cur = Array(s.utf8)
        while true {
            var out: [UInt8] = []
            out.reserveCapacity(cur.count)
            var i = 0
            var changed = false
            while i < cur.count {
                let c = cur[i]
                if unicode, c == UInt8(ascii: "%"), i + 5 < cur.count, cur[i + 1] | 0x20 == UInt8(ascii: "u"),
                   let a = hex(cur[i + 2]), let b = hex(cur[i + 3]), let d = hex(cur[i + 4]), let e = hex(cur[i + 5]),
                   let scalar = Unicode.Scalar(UInt32(a) << 12 | UInt32(b) << 8 | UInt32(d) << 4 | UInt32(e)) {
                    out += Array(String(Character(scalar)).utf8); i += 6; changed = true; continue
                }
                if c == UInt8(ascii: "%"), i + 2 < cur.count, let h = hex(cur[i + 1]), let l = hex(cur[i + 2]) {
                    out.append(h << 4 | l); i += 3; changed = true; continue
                }
                if plus, c == UInt8(ascii: "+") { out.append(32); i += 1; changed = true; continue }
                out.append(c); i += 1
            }
            cur = out
            if !recursive || !changed { break }
        }
        return String(decoding: cur, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }
}
