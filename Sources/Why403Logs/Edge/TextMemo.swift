import Foundation

/// The texts a field of an edge log takes again and again (rule ids, rule descriptions, actions, sources,
/// countries): the `String` made from a value's bytes is handed out again for the same bytes, so a
/// refused line makes none of its own for them, and the counters that take them compare one storage. A few
/// entries, searched in order and replaced in turn: a field of many values (paths, addresses, user agents) is not
/// memoised (each new value would cost a copy of its bytes as well).
///
/// Hand-written: a `Dictionary` keyed by the bytes would hash every value, which is what this saves.
struct TextMemo {
    private var keys: [[UInt8]] = []
    private var values: [String?] = []
    private var next = 0
    static let size = 16

    /// The text `make` gives for `bytes` (the value as the line writes it), made once per distinct value held.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, _ make: () -> String?) -> String? {
        var i = 0
        while i < keys.count {
            if keys[i].count == bytes.count,
               keys[i].withUnsafeBufferPointer({ k in bytes.count == 0 || memcmp(k.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return values[i]
            }
            i += 1
        }
        let v = make()
        if keys.count < TextMemo.size {
            keys.append(Array(bytes))
            values.append(v)
        } else {
            keys[next] = Array(bytes)
            values[next] = v
            next = (next + 1) % TextMemo.size
        }
        return v
    }
}

/// A Cloudflare refusal's message, `description; bot score group`, made once per pair held (the description is
/// one memoised `String`, so the comparison is mostly of one storage).
struct JoinMemo {
    private var entries: [(a: String, b: String, joined: String)] = []
    private var next = 0

    mutating func joined(_ a: String, _ b: String) -> String {
        for e in entries where e.a == a && e.b == b { return e.joined }
        let j = a + "; " + b
        if entries.count < TextMemo.size { entries.append((a, b, j)) } else {
            entries[next] = (a, b, j)
            next = (next + 1) % TextMemo.size
        }
        return j
    }
}
