/// Counts keys with bounded memory: exact up to `capacity` distinct keys, then the Space-Saving
/// algorithm (Metwally, Agrawal, El Abbadi, 2005): a new key replaces the key with the smallest count
/// and inherits that count as its possible overcount (`error`). Every key whose true count exceeds
/// total/capacity is kept; a reported count is at most `error` too high.
///
/// Hand-written: swift-collections has no counting sketch. The minimum is found by a linear scan,
/// which runs only past the cap (a rare path for log keys); ties keep the older key.
public struct TopK: Sendable {
    /// One counted key.
    public struct Entry: Sendable, Equatable {
        /// The key (a path, an address, a user agent, a rule).
        public var key: String
        /// How many.
        public var count: Int
        /// How much of `count` may belong to keys evicted before this one (0 while exact).
        public var error: Int
    }

    /// The most keys held.
    public let capacity: Int
    private var index: [String: Int] = [:]
    private var entries: [Entry] = []
    private var minCandidates: [Int] = []
    private var minValue = 0
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
        _ = addReturningSlot(key, by: by)
    }

    /// Adds `by` to `key`; returns the key's slot (stable while the key is held, below `capacity`) and
    /// whether the slot is new to this key (a new key, or one that took an evicted key's slot), so a
    /// caller can keep per-key state in an array beside the counter with one hash lookup per line.
    @discardableResult
    mutating func addReturningSlot(_ key: String, by: Int = 1) -> (slot: Int, fresh: Bool) {
        total += by
        if let i = index[key] { entries[i].count += by; return (i, false) }
        if entries.count < capacity {
            index[key] = entries.count
            entries.append(Entry(key: key, count: by, error: 0))
            return (entries.count - 1, true)
        }
        isApproximate = true
        let minI = takeMinimum()
        let old = entries[minI]
        index[old.key] = nil
        index[key] = minI
        entries[minI] = Entry(key: key, count: old.count + by, error: old.count)
        return (minI, true)
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

    /// The `n` largest, count descending then key ascending (stable output).
    public func top(_ n: Int) -> [Entry] {
        Array(entries.sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }.prefix(n))
    }

    /// How many distinct keys are held.
    public var distinct: Int { entries.count }
}
