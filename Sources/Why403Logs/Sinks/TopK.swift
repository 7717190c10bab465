import Foundation

/// Counts keys with bounded memory: exact up to `capacity` distinct keys, then the Space-Saving
/// algorithm (Metwally, Agrawal, El Abbadi, 2005): a new key replaces the key with the smallest count
/// and inherits that count as its possible overcount (`error`). Every key whose true count exceeds
/// total/capacity is kept; a reported count is at most `error` too high.
///
/// Hand-written: swift-collections has no counting sketch. The minimum is found by a linear scan,
/// which runs only past the cap (a rare path for log keys); ties keep the older key.
///
/// The key index is a hand-written open-addressing table (linear probing, backward-shift deletion)
/// over a cheap seeded hash of the key's UTF-8 bytes, not `[String: Int]`: Swift's SipHash of every
/// path, client and user agent was the largest cost of a 1 GiB scan. Each cell holds the slot and the
/// low 32 bits of its key's hash, so a probe reads only the table until a cell's bits match (a table of
/// slots alone sent every probe on to a second array of hashes: one more cache miss a probe once the keys
/// outgrow the caches; 1–2% of a 1 GiB scan of many clients). A key is hashed in its NFC form (a non-ASCII
/// key is normalised first), so canonically equal keys share a hash, as in a `Dictionary`. A probe compares
/// the entry's hash and NFC length first, then, for keys longer than 8 bytes, the keys themselves (`Entry.holds`):
/// an ASCII key of a line's bytes against an ASCII entry with one `memcmp`, anything else with `String`'s `==`
/// (canonical equivalence). Up to 8 bytes the hash is one-to-one on inputs of one length (`hashBytes`), so equal
/// hashes and lengths are equal NFC forms.
/// The hash alone cannot tell keys apart: no 64-bit hash is one-to-one on longer inputs, and this one is no
/// keyed PRF (session 29: `/abcdefaghijklmn` and `/abcdef!ghijilm.` share a hash in half of all seeds; from
/// session 28 until then keys were told apart by hash and length alone, and such keys were counted as one).
public struct TopK: Sendable {
    /// One counted key.
    public struct Entry: Sendable, Equatable {
        /// The key (a path, an address, a user agent, a rule).
        public var key: String
        /// How many.
        public var count: Int
        /// How much of `count` may belong to keys evicted before this one (0 while exact).
        public var error: Int
        /// The key's hash and NFC length (`LogKey`), compared before the key itself.
        var hash: UInt64 = 0
        var length = 0
        /// True when `key` is ASCII (so its UTF-8 is its NFC form, and a line's bytes are compared with `memcmp`).
        var ascii = false

        init(_ key: LogKey, count: Int, error: Int) {
            self.key = key.text
            self.count = count
            self.error = error
            hash = key.hash
            length = key.length
            // Eight bytes a step over the `String`'s storage: `utf8.allSatisfy` walked it a byte at a time through the
            // view's indices (1.5% of a scan of a Cloudflare log of many clients, where every new client makes an entry).
            // (Carried in `LogKey` from its hash instead, the extra field made every copy of an optional key go through
            // `Optional`'s generic value witness: 4% more instructions on an access log.)
            ascii = key.bytes != nil || TopK.isASCII(self.key)
        }

        /// Whether this entry holds `key` (its hash and length already equal): the bytes of an ASCII key against an
        /// ASCII entry, else `String`'s `==`.
        @inline(__always)
        func holds(_ key: LogKey) -> Bool {
            if let b = key.bytes, ascii, let base = b.baseAddress {
                if let same = self.key.utf8.withContiguousStorageIfAvailable({ u in
                    u.count == b.count && TopK.sameBytes(UnsafeRawPointer(u.baseAddress!), base, b.count)
                }) { return same }
            }
            if let s = key.string { return self.key == s }
            return self.key == key.text
        }

        /// Entries are equal when what they report is (`hash` and `length` follow from `key`).
        public static func == (a: Entry, b: Entry) -> Bool { a.key == b.key && a.count == b.count && a.error == b.error }
    }

    /// The most keys held.
    public let capacity: Int
    /// Open-addressing table: 0 = empty, else the low 32 bits of the key's hash above the entry's
    /// slot + 1. Its size is a power of two (at most 2^32), at least twice the entries held.
    private var table: [UInt64] = []
    private var entries: [Entry] = []
    private var minCandidates: [Int] = []
    private var minValue = 0
    /// The key the last eviction took out (`takeEvicted()`).
    private var evicted: String?
    /// Total of all increments.
    public private(set) var total = 0
    /// True once a key was evicted: counts are then approximate.
    public private(set) var isApproximate = false

    /// A counter that keeps at most `capacity` keys.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds `by` to `key`.
    public mutating func add(_ key: String, by: Int = 1) {
        _ = addReturningSlot(LogKey(key), by: by)
    }

    /// Adds `by` to `key`.
    mutating func add(_ key: LogKey, by: Int = 1) {
        _ = addReturningSlot(key, by: by)
    }

    /// Adds `by` to `key`; returns the key's slot (stable while the key is held, below `capacity`) and
    /// whether the slot is new to this key (a new key, or one that took an evicted key's slot; `takeEvicted()`
    /// then gives the key evicted from it), so a caller can keep per-key state in an array beside the counter
    /// with one hash lookup per line. (The evicted key is kept aside rather than returned: an optional `String`
    /// in the result was released on every add, evicting or not.)
    @discardableResult
    mutating func addReturningSlot(_ key: LogKey, by: Int = 1) -> (slot: Int, fresh: Bool) {
        total += by
        let h = key.hash
        if let i = find(key) { entries[i].count += by; return (i, false) }
        if entries.count < capacity {
            let slot = entries.count
            entries.append(Entry(key, count: by, error: 0))
            if table.count < 2 * entries.count { grow() } else { insert(slot, UInt32(truncatingIfNeeded: h)) }
            evicted = nil
            return (slot, true)
        }
        isApproximate = true
        let minI = takeMinimum()
        remove(minI)
        // Swapped in, so the evicted entry's key moves out to the caller (no copy retained and released).
        let count = entries[minI].count
        var old = Entry(key, count: count + by, error: count)
        swap(&entries[minI], &old)
        insert(minI, UInt32(truncatingIfNeeded: h))
        evicted = old.key
        return (minI, true)
    }

    /// The key evicted by the last add that returned a fresh slot (nil when that slot was new), once: ask right after
    /// that add.
    mutating func takeEvicted() -> String? {
        defer { evicted = nil }
        return evicted
    }

    /// Adds `by` to the key in `slot`, a slot `addReturningSlot` returned with no add since (so it
    /// still holds that key).
    mutating func increment(slot: Int, by: Int = 1) {
        total += by
        entries[slot].count += by
    }

    /// The slot holding `key`, or nil.
    @inline(__always)
    private func find(_ key: LogKey) -> Int? {
        guard !table.isEmpty else { return nil }
        let mask = table.count - 1
        let tag = UInt32(truncatingIfNeeded: key.hash)
        var i = Int(tag) & mask
        while true {
            let cell = table[i]
            if cell == 0 { return nil }
            if UInt32(truncatingIfNeeded: cell >> 32) == tag {
                let slot = Int(truncatingIfNeeded: cell & 0xFFFF_FFFF) - 1
                if entries[slot].hash == key.hash && entries[slot].length == key.length
                    && (key.length <= 8 || entries[slot].holds(key)) { return slot }
            }
            i = (i + 1) & mask
        }
    }

    private mutating func insert(_ slot: Int, _ tag: UInt32) {
        let mask = table.count - 1
        var i = Int(tag) & mask
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = UInt64(tag) << 32 | UInt64(slot + 1)
    }

    private mutating func grow() {
        var size = Swift.max(16, table.count)
        while size < 2 * entries.count { size *= 2 }
        table = [UInt64](repeating: 0, count: size)
        for slot in entries.indices { insert(slot, UInt32(truncatingIfNeeded: entries[slot].hash)) }
    }

    /// Takes entry `slot` out of the table (backward-shift deletion: no tombstones).
    private mutating func remove(_ slot: Int) {
        let mask = table.count - 1
        var i = Int(UInt32(truncatingIfNeeded: entries[slot].hash)) & mask
        while Int(truncatingIfNeeded: table[i] & 0xFFFF_FFFF) != slot + 1 { i = (i + 1) & mask }
        var j = i
        while true {
            j = (j + 1) & mask
            let cell = table[j]
            if cell == 0 { break }
            let home = Int(truncatingIfNeeded: cell >> 32) & mask
            // The entry at j may move to i unless its home lies cyclically in (i, j].
            let stays = i <= j ? (i < home && home <= j) : (i < home || home <= j)
            if stays { continue }
            table[i] = table[j]
            i = j
        }
        table[i] = 0
    }

    /// Whether `n` bytes (more than 8) at `a` and `b` are equal, eight at a time (the last load overlapping): keys are
    /// some ten to a hundred bytes, where `memcmp`'s call cost as much as the compare.
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        guard n >= 8 else { return memcmp(a, b, n) == 0 }
        var i = 0
        while i &+ 8 < n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        return a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    }

    /// Whether every UTF-8 byte of `s` is below 0x80.
    static func isASCII(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { b -> Bool in
            guard let base = b.baseAddress else { return true }
            let raw = UnsafeRawPointer(base)
            var high: UInt64 = 0
            var i = 0
            while i &+ 8 <= b.count { high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self); i &+= 8 }
            while i < b.count { high |= UInt64(base[i]); i &+= 1 }
            return high & 0x8080_8080_8080_8080 == 0
        } ?? s.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Per-process seed: a crafted log cannot aim its keys at one probe chain of every run.
    private static let seed = UInt64.random(in: 1...UInt64.max)

    /// The key's hash (a cheap hash of its bytes, 8 at a time; a non-ASCII key is hashed in NFC) and the length of
    /// the bytes hashed: equal for two equal `String`s (canonically equal spellings too). Unequal keys longer than 8
    /// bytes can share both, so `find` compares those keys as well.
    static func fingerprint(_ key: String) -> (hash: UInt64, length: Int) {
        if let h = key.utf8.withContiguousStorageIfAvailable({ hashBytes(UnsafeRawBufferPointer($0), asciiOnly: true) }), let h {
            return (h, key.utf8.count)
        }
        let nfc = Array(key.precomposedStringWithCanonicalMapping.utf8)
        return (nfc.withUnsafeBytes { hashBytes($0, asciiOnly: false)! }, nfc.count)
    }

    /// The hash of any bytes, as they are.
    static func hash(bytes: UnsafeRawBufferPointer) -> UInt64 { hashBytes(bytes, asciiOnly: false)! }

    /// The hash of ASCII bytes (the same as of the `String` they spell), or nil when a byte is not ASCII.
    @inline(__always)
    static func hashASCII(_ b: UnsafeRawBufferPointer) -> UInt64? {
        hashBytes(b, asciiOnly: true)
    }

    /// The hash of `b`; nil when `asciiOnly` and a byte is not ASCII. Inputs of one length that differ in one word only
    /// never share a hash (the start depends on the length and the seed alone; each word, the last one the remaining
    /// bytes exactly, enters with an exclusive or and is mixed by bijections of 64-bit words, as is the finish): so up
    /// to 8 bytes it is one-to-one on inputs of one length, which `find` relies on. Inputs that differ in two words can
    /// share a hash (`TopKIdentityTests`), which is why `find` compares longer keys too.
    @inline(__always)
    private static func hashBytes(_ b: UnsafeRawBufferPointer, asciiOnly: Bool) -> UInt64? {
        let n = b.count
        var h = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        var high: UInt64 = 0
        var i = 0
        if let base = b.baseAddress {
            while i + 8 <= n {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                high |= w
                h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                i += 8
            }
            // The last `n - i` bytes (fewer than 8) as one little-endian word, from loads that stay inside
            // the key (an overlapping load where the key is long enough; a byte loop was a third of the hash).
            var w: UInt64 = 0
            let r = n - i
            if r > 0 {
                if n >= 8 {
                    w = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64(8 * (8 - r))
                } else if n >= 4 {
                    let lo = UInt64(base.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                    let hi = UInt64(base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
                    w = lo | hi << UInt64(8 * (n - 4))
                } else {
                    let b0 = UInt64(base.load(fromByteOffset: 0, as: UInt8.self))
                    let bm = UInt64(base.load(fromByteOffset: n / 2, as: UInt8.self))
                    let bl = UInt64(base.load(fromByteOffset: n - 1, as: UInt8.self))
                    w = b0 | bm << UInt64(8 * (n / 2)) | bl << UInt64(8 * (n - 1))
                }
            }
            high |= w
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        }
        if asciiOnly && high & 0x8080_8080_8080_8080 != 0 { return nil }
        h ^= h >> 32
        h &*= 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h
    }

    /// The slot of a key with the smallest count. Amortized: every slot at the minimum is collected
    /// in one scan and handed out in turn; counts only grow, so a collected slot still at `minValue`
    /// is still a minimum (a slot that grew since is skipped).
    private mutating func takeMinimum() -> Int {
        while true {
            while let i = minCandidates.popLast() {
                if entries[i].count == minValue { return i }
            }
            minValue = entries.lazy.map(\.count).min() ?? 0
            minCandidates = entries.indices.filter { entries[$0].count == minValue }.reversed()
        }
    }

    /// The key held in `slot`.
    func key(at slot: Int) -> String { entries[slot].key }

    /// This counter cut to its `capacity` largest keys (`top(capacity)`) as a counter of that capacity, with the same
    /// total. Still a Space-Saving summary with the same bound: a count kept is at most its `error` too high, and a key
    /// left out was counted at most as often as the smallest count kept (so a later add that evicts it stays within the
    /// bound). Counting on in the cut counter is counting on in a summary of every key added here.
    func truncated(to capacity: Int) -> TopK {
        var t = TopK(capacity: capacity)
        let cut = entries.count > t.capacity
        t.entries = cut ? top(t.capacity) : entries
        t.total = total
        t.isApproximate = isApproximate || cut
        if !t.entries.isEmpty { t.grow() }
        return t
    }

    /// The `n` largest, count descending then key ascending (stable output).
    ///
    /// Few of many (a report's top ten of up to 10,000 clients) are selected in one pass into a sorted list of
    /// `n`, where most entries are passed over on their count alone: sorting them all compared the keys of
    /// every tie (many, when counts are small), a tenth of a short run. The keys are distinct, so the order is
    /// total and the result is the sorted list's first `n` either way.
    public func top(_ n: Int) -> [Entry] {
        @inline(__always) func before(_ a: Entry, _ b: Entry) -> Bool { a.count != b.count ? a.count > b.count : a.key < b.key }
        guard n > 0 else { return [] }
        guard n * 8 < entries.count else { return Array(entries.sorted(by: before).prefix(n)) }
        var best: [Entry] = []
        best.reserveCapacity(n + 1)
        for e in entries {
            if best.count == n {
                let worst = best[n - 1]
                if e.count < worst.count || (e.count == worst.count && !(e.key < worst.key)) { continue }
            }
            var lo = 0, hi = best.count
            while lo < hi { let mid = (lo + hi) / 2; if before(best[mid], e) { lo = mid + 1 } else { hi = mid } }
            best.insert(e, at: lo)
            if best.count > n { best.removeLast() }
        }
        return best
    }

    /// How many distinct keys are held.
    public var distinct: Int { entries.count }
}

/// A key of the aggregates (a path, a client, a user agent, a rule) with its hash, made once per
/// refusal and used by every counter it goes into. An ASCII key read from a log line stays a view of
/// the line's bytes: a `String` is made only when a counter takes the key in. Any other key is a
/// `String` hashed in its NFC form, so canonically equal keys count as one, as in a `Dictionary`.
///
/// INVARIANT: `bytes` points into the line being processed; a `LogKey` holding bytes is used only
/// while that line is (never stored).
struct LogKey {
    let hash: UInt64
    /// The length of the bytes hashed (the key's NFC form's UTF-8): with `hash`, the key's identity.
    let length: Int
    let bytes: UnsafeRawBufferPointer?
    let string: String?

    /// A key from bytes of a log line (invalid UTF-8 repaired as `String(decoding:)` does).
    init(bytes: UnsafeRawBufferPointer) {
        if let h = TopK.hashASCII(bytes) {
            hash = h
            length = bytes.count
            self.bytes = bytes
            string = nil
        } else {
            let s = String(decoding: bytes, as: UTF8.self)
            (hash, length) = TopK.fingerprint(s)
            self.bytes = nil
            string = s
        }
    }

    /// A key from a view of a log line's bytes (`LogKey(bytes:)`).
    init(line: ByteLine) {
        self.init(bytes: UnsafeRawBufferPointer(start: line.base, count: line.count))
    }

    /// The key `equal` as the `String` `string` (a counter's copy of it): no second hash.
    init(_ equal: LogKey, string: String) {
        hash = equal.hash
        length = equal.length
        bytes = nil
        self.string = string
    }

    /// A key from a `String`.
    init(_ s: String) {
        (hash, length) = TopK.fingerprint(s)
        bytes = nil
        string = s
    }

    /// The key as a `String`.
    var text: String { string ?? String(decoding: bytes!, as: UTF8.self) }
}
