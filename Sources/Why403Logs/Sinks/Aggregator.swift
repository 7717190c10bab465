import Why403Core

/// Bounds of the aggregation: memory stays bounded whatever the input size.
public struct LogsLimits: Sendable, Equatable {
    /// Distinct keys kept per dimension (paths, clients, user agents), with the burst and trickle state
    /// of each client and path; past it, Space-Saving counts and an evicted key loses that state.
    public var keysPerDimension: Int = 10_000
    /// Error-log events held for correlation with access lines; later ones are counted on their own.
    public var correlationEvents: Int = 500_000
    /// A line longer than this is skipped as malformed.
    public var maxLineLength: Int = 64 * 1024
    /// Lines of each file parsed whole (format check, error/access sniffing) before the pre-filter runs.
    public var fullyParsedLines: Int = 1_000
    /// Denials per minute from one client that make a minute part of a burst.
    public var burstPerMinute: Int = 10
    /// Denials a burst must hold in all.
    public var burstMinimum: Int = 20
    /// Past its first lines, read a large regular file through mapped windows that hand the scan only
    /// the candidate lines (false: `read(2)` every byte; the results are the same, for tests).
    public var mapFiles: Bool = true
    /// Read Cloudflare records with Foundation's `JSONSerialization` instead of the flat reader
    /// (`FlatJSON`; the results are the same but for numbers beyond Int64, for tests).
    public var foundationJSON: Bool = false
    /// Run the read-ahead thread's pass over a line (`LineTokenizer`: Cloudflare, ALB, access lines) on every
    /// candidate line, in the scan thread, and read the line from its numbers (the results are the same,
    /// for tests and the fuzz harness: that pass otherwise runs only on large files' gathered lines, as
    /// far as the read-ahead thread has time for).
    public var tokenizeEveryLine: Bool = false
    /// Match access lines only with the matcher that says why a line does not fit (`AccessFormat.matchItems`),
    /// never its fast twin without reasons (`matchesFast`; the results are the same, for tests and the fuzz
    /// harness).
    public var reasonedMatchOnly: Bool = false

    /// The defaults.
    public init() {}
}

/// The per-cause group behind one finding: one cause at one layer (ModSecurity: one rule id, as
/// each rule has its own fix). Its confidence is the lowest of its members: `certain` only when
/// every refusal in it was proved.
struct CauseGroup {
    var cause: Cause
    var layer: Layer
    /// The rule that keys the group (ModSecurity), else nil.
    var keyRule: String?
    var confidence: Confidence
    /// The messages or rules behind the refusals, counted.
    var rules = TopK(capacity: 32)
    /// The rule shown: the key rule, else the most frequent one.
    var rule: String? { keyRule ?? rules.top(1).first?.key }
    /// The rule counted last and its slot in `rules`: refusals come in runs of one rule, counted
    /// without hashing it again.
    var lastRule: String?
    var lastRuleSlot = 0
    var count = 0
    var correlated = 0
    var statuses = SmallCounter<Int>()
    var samples: [[Evidence]] = []
    /// Distinct paths and clients each group keeps.
    static let keysPerGroup = 256
    var paths = TopK(capacity: keysPerGroup)
    var clients = TopK(capacity: keysPerGroup)
    var targets = TopK(capacity: 64)
    var details = TopK(capacity: 64)
    /// The detail counted last, with its hash.
    var lastDetail: LogKey?
    var countries = TopK(capacity: 64)
    /// ModSecurity audit log: the rules that scored in the group's refusals (`ID msg`), counted.
    var scored = TopK(capacity: 64)
    /// What the edge rule behind the group says happened (edge logs).
    var meaning: String?
    var first: Int64?
    var last: Int64?
}

/// Receives every denial and keeps the aggregates (the sink of the scanner).
final class Aggregator {
    let limits: LogsLimits
    var total = 0
    /// Refusals per status (100…599 in an array: no hashing per line).
    private var statusCounts = [Int](repeating: 0, count: 600)
    var statuses: [Int: Int] {
        var out: [Int: Int] = [:]
        for (s, n) in statusCounts.enumerated() where n > 0 { out[s] = n }
        return out
    }

    private func countStatus(_ s: Int) {
        if s >= 0 && s < 600 { statusCounts[s] += 1 }
    }
    struct GroupKey: Hashable {
        var cause: Cause
        var layer: Layer
        var rule: String?
    }
    /// The cause groups in order of first appearance, and where each key is.
    var groups: [CauseGroup] = []
    var groupIndex: [GroupKey: Int] = [:]
    /// The group the last refusal went to (never the overflow's "other" groups).
    private var lastGroup: Int?
    /// True while the first group counts no paths and clients of its own. As long as every refusal goes to that one
    /// group (an access log alone puts all its 403s in one), its counters would count exactly what `paths` and
    /// `clients` count; they are made from those when a second group appears, or at `finish()`
    /// (`settleSharedGroup`). Counting both was about a tenth of a refusal's aggregation, and the group's 256-key
    /// counters churned through Space-Saving evictions where the global ones still held every key. Only when the
    /// global counters hold at least as many keys as a group's.
    private var groupSharesGlobal: Bool
    var paths: TopK
    var clients: TopK
    var userAgents: TopK
    /// Refusals per client country (edge logs that name it).
    var countries = TopK(capacity: 512)
    var modsecurityRules = TopK(capacity: 512)
    var timeline: [Int64: Int] = [:]
    var bucketSeconds: Int64 = 60
    var firstTime: Int64?
    var lastTime: Int64?
    var bursts: [Burst] = []
    /// Burst state per client and trickle state per path, in the slots of `clients` and `paths`
    /// (a key evicted from the counter loses its state: the documented approximation past the cap).
    var clientStates: [ClientState] = []
    var pathStates: [PathState] = []

    /// Distinct paths and clients below are told apart by their 64-bit key hashes (Swift's SipHash on every line was a
    /// fifth of a scan). Two keys sharing a hash undercount a "distinct" figure (of a burst's paths, a trickle's clients)
    /// by one: a 2^-64 chance for unrelated keys, but keys longer than 8 bytes can be built to share one (`TopK`), so
    /// these figures are a lower bound. The counts themselves compare the keys.
    struct ClientState {
        var minute: Int64 = .min
        var minuteCount = 0
        var runStart: Int64 = 0
        var runEnd: Int64 = .min
        var runCount = 0
        var runPeak = 0
        var runPaths = SmallSet()
        var runCauses = SmallCounter<Cause>()
        var minutePaths = SmallSet()
        var minuteCauses = SmallCounter<Cause>()

        /// As a new `ClientState`, keeping the sets' storage.
        mutating func clear() {
            minute = .min; minuteCount = 0; runStart = 0; runEnd = .min; runCount = 0; runPeak = 0
            runPaths.removeAll(); runCauses.removeAll(); minutePaths.removeAll(); minuteCauses.removeAll()
        }
    }

    struct PathState {
        var count = 0
        var minute: Int64 = .min
        var minutes = 0
        var minuteCount = 0
        var peak = 0
        var clients = SmallSet()
        var causes = SmallCounter<Cause>()

        /// As a new `PathState`, keeping the sets' storage.
        mutating func clear() {
            count = 0; minute = .min; minutes = 0; minuteCount = 0; peak = 0
            clients.removeAll(); causes.removeAll()
        }
    }

    init(limits: LogsLimits) {
        self.limits = limits
        paths = TopK(capacity: limits.keysPerDimension)
        clients = TopK(capacity: limits.keysPerDimension)
        userAgents = TopK(capacity: limits.keysPerDimension)
        groupSharesGlobal = limits.keysPerDimension >= CauseGroup.keysPerGroup
    }

    /// Counts one refusal; `evidence` is asked for only when the refusal becomes a sample.
    func add(_ d: Denial, evidence: () -> [Evidence]) {
        total += 1
        if let s = d.status { countStatus(s) }
        // Refusals come in runs of one cause: the last group is checked before the dictionary (against the group's own
        // fields: a `GroupKey` made for every refusal was a copy and release of its rule each time).
        let gi: Int
        if let last = lastGroup, groups[last].cause == d.cause, groups[last].layer == d.layer,
           d.cause == .wafRule ? groups[last].keyRule == d.rule : groups[last].keyRule == nil {
            gi = last
        } else {
            let key = GroupKey(cause: d.cause, layer: d.layer, rule: d.cause == .wafRule ? d.rule : nil)
            if let i = findGroup(key) {
                gi = i
            } else if groups.count >= 512 {
                return addToOverflow(d, evidence: evidence)
            } else {
                settleSharedGroup()
                gi = groups.count
                groups.append(CauseGroup(cause: d.cause, layer: d.layer, keyRule: key.rule, confidence: d.confidence))
                groupIndex[key] = gi
            }
        }
        lastGroup = gi
        let path = d.path ?? dash
        let p = paths.addReturningSlot(path)
        let c = clients.addReturningSlot(d.client)
        userAgents.add(d.userAgent ?? dash)
        // The country is hashed once, for both counters.
        let country = d.country.map { LogKey($0) }
        if groupSharesGlobal {
            update(&groups[gi], d, path: nil, client: nil, country: country, evidence)
        } else {
            // The group counts the same keys as the `String`s the counters above now hold: a key new to
            // the group (often, once a group holds more clients than its cap) makes no `String` of its own.
            update(&groups[gi], d, path: LogKey(path, string: paths.key(at: p.slot)),
                   client: LogKey(d.client, string: clients.key(at: c.slot)), country: country, evidence)
        }
        if let country { countries.add(country) }
        if p.fresh {
            if p.slot < pathStates.count { pathStates[p.slot].clear() } else { pathStates.append(PathState()) }
        }
        if c.fresh {
            // The slot's previous client (evicted past the cap) closes its open minute and run; the slot's state is
            // then emptied in place (its small arrays keep their storage for the next client).
            if c.slot < clientStates.count {
                if let old = clients.takeEvicted() { finish(client: old, slot: c.slot) }
                clientStates[c.slot].clear()
            } else {
                clientStates.append(ClientState())
            }
        }
        guard let t = d.time?.utc else { return }
        firstTime = min(firstTime ?? t, t)
        lastTime = max(lastTime ?? t, t)
        addToTimeline(t)
        let minute = floorDiv(t, 60)
        trackClient(&clientStates[c.slot], c.slot, path.hash, d.cause, minute)
        trackPath(&pathStates[p.slot], d.client.hash, d.cause, minute)
    }

    /// The key of a missing path or user agent.
    let dash = LogKey("-")

    /// The group of `key`: few groups are searched in order (their rules are mostly one memoised `String`, so
    /// comparing them is cheaper than hashing the rule for the dictionary, which was a tenth of a refusal's
    /// aggregation when rules interleave), many through `groupIndex`.
    private func findGroup(_ key: GroupKey) -> Int? {
        guard groups.count <= 16 else { return groupIndex[key] }
        for i in groups.indices where groups[i].cause == key.cause && groups[i].layer == key.layer && groups[i].keyRule == key.rule {
            return i
        }
        return nil
    }

    /// Gives the first group its own path and client counters, from the global ones (see `groupSharesGlobal`), unless
    /// it has them: before a second group is made, and at `finish()`. The global counters' largest keys, cut to the
    /// group's cap, are a Space-Saving summary of the same refusals with the same bound (every count at most its
    /// `error` too high, and a key left out counted at most the smallest count kept).
    private func settleSharedGroup() {
        guard groupSharesGlobal, !groups.isEmpty else { return }
        groupSharesGlobal = false
        groups[0].paths = paths.truncated(to: groups[0].paths.capacity)
        groups[0].clients = clients.truncated(to: groups[0].clients.capacity)
    }

    private func addToOverflow(_ d: Denial, evidence: () -> [Evidence]) {
        settleSharedGroup()
        var o = d
        o.rule = "other"
        let key = GroupKey(cause: d.cause, layer: d.layer, rule: "other")
        if groupIndex[key] == nil {
            groupIndex[key] = groups.count
            groups.append(CauseGroup(cause: d.cause, layer: d.layer, keyRule: "other", confidence: .possible))
        }
        update(&groups[groupIndex[key]!], o, path: d.path ?? dash, client: d.client, country: d.country.map { LogKey($0) }, evidence)
    }

    /// Counts `d` in `g`; its path and client only when given (nil while the group shares the global counters).
    private func update(_ g: inout CauseGroup, _ d: Denial, path: LogKey?, client: LogKey?, country: LogKey?, _ evidence: () -> [Evidence]) {
        g.count += 1
        if let r = d.rule {
            if let last = g.lastRule, last == r {
                g.rules.increment(slot: g.lastRuleSlot)
            } else {
                g.lastRuleSlot = g.rules.addReturningSlot(LogKey(r)).slot
                g.lastRule = r
            }
        }
        if d.confidence > g.confidence { g.confidence = d.confidence }
        if d.correlated { g.correlated += 1 }
        if let s = d.status { g.statuses.add(s) }
        if g.samples.count < 3 { g.samples.append(evidence()) }
        if let path { g.paths.add(path) }
        if let client { g.clients.add(client) }
        if let t = d.target { g.targets.add(t) }
        if let x = d.detail {
            // Details repeat from refusal to refusal (memoised texts): the last one's hash is kept.
            if let last = g.lastDetail, last.string == x { g.details.add(last) } else {
                let k = LogKey(x)
                g.lastDetail = k
                g.details.add(k)
            }
        }
        if let country { g.countries.add(country) }
        if let list = d.scored { for r in list { g.scored.add(r) } }
        if g.meaning == nil, let m = d.meaning { g.meaning = m }
        if let t = d.time?.utc { g.first = min(g.first ?? t, t); g.last = max(g.last ?? t, t) }
    }

    /// The bucket being filled (logs are in time order: one dictionary write per bucket, not per line).
    private var openBucket: Int64 = .min
    private var openCount = 0

    private func addToTimeline(_ t: Int64) {
        let bucket = floorDiv(t, bucketSeconds) * bucketSeconds
        if bucket == openBucket { openCount += 1; return }
        flushTimeline()
        openBucket = bucket
        openCount = 1
    }

    /// Writes the open bucket into `timeline` (also called before the timeline is read).
    func flushTimeline() {
        guard openCount > 0 else { return }
        let (bucket, n) = (openBucket, openCount)
        openCount = 0
        openBucket = .min
        addBucket(bucket, n)
    }

    private func addBucket(_ bucket: Int64, _ n: Int) {
        timeline[bucket, default: 0] += n
        // Bounded: past 20,000 buckets, buckets double in width.
        if timeline.count > 20_000 {
            bucketSeconds *= 2
            var merged: [Int64: Int] = [:]
            for (k, v) in timeline { merged[floorDiv(k, bucketSeconds) * bucketSeconds, default: 0] += v }
            timeline = merged
        }
    }

    private func trackClient(_ st: inout ClientState, _ slot: Int, _ path: UInt64, _ cause: Cause, _ minute: Int64) {
        if minute != st.minute {
            closeMinute(&st, ClientName(slot: slot, name: nil))
            st.minute = minute
            st.minuteCount = 0
        }
        st.minuteCount += 1
        if st.minutePaths.count < 50 { st.minutePaths.insert(path) }
        st.minuteCauses.add(cause)
    }

    private func trackPath(_ ps: inout PathState, _ client: UInt64, _ cause: Cause, _ minute: Int64) {
        ps.count += 1
        if minute != ps.minute { ps.minutes += 1; ps.minute = minute; ps.minuteCount = 0 }
        ps.minuteCount += 1
        ps.peak = max(ps.peak, ps.minuteCount)
        if ps.clients.count < 10 { ps.clients.insert(client) }
        if ps.causes.count < 8 || ps.causes.contains(cause) { ps.causes.add(cause) }
    }

    /// The client a burst is reported for: the key in `slot` of `clients`, or `name` when the slot has passed to another
    /// (evicted). A value, not a closure: a closure reading `self.clients` retained and released the aggregator on
    /// every refused line that began a client's minute (an atomic pair a line, some 3% of a 1 GiB scan).
    private struct ClientName {
        var slot: Int
        var name: String?
    }

    /// Closes the client's open minute; `client` names it if a burst ends.
    private func closeMinute(_ st: inout ClientState, _ client: ClientName) {
        guard st.minute != .min else { return }
        if st.minuteCount >= limits.burstPerMinute {
            if st.runCount > 0 && st.minute - st.runEnd == 1 {
                st.runEnd = st.minute
            } else {
                finishRun(client, &st)
                st.runStart = st.minute
                st.runEnd = st.minute
            }
            st.runCount += st.minuteCount
            st.runPeak = max(st.runPeak, st.minuteCount)
            st.minutePaths.forEach { p in if st.runPaths.count < 50 { st.runPaths.insert(p) } }
            st.minuteCauses.forEach { c, n in st.runCauses.add(c, by: n) }
        } else {
            finishRun(client, &st)
        }
        st.minutePaths.removeAll()  // keeps its capacity: no free and allocation per client minute
        st.minuteCauses.removeAll()
    }

    private func finishRun(_ client: ClientName, _ st: inout ClientState) {
        defer { st.runCount = 0; st.runPeak = 0; st.runPaths.removeAll(); st.runCauses.removeAll(); st.runEnd = .min }
        guard st.runCount >= limits.burstMinimum else { return }
        let cause = st.runCauses.mostFrequent?.rawValue ?? "unknown"
        let kind: String
        if cause == Cause.rateLimit.rawValue { kind = "rate limit" }
        else if st.runPaths.count >= 10 { kind = "scanner" }
        else { kind = "retry loop" }
        bursts.append(Burst(client: client.name ?? clients.key(at: client.slot), start: LogTime.iso8601(st.runStart * 60), end: LogTime.iso8601(st.runEnd * 60 + 59),
                            count: st.runCount, peakPerMinute: st.runPeak, distinctPaths: st.runPaths.count,
                            cause: cause, kind: kind))
        if bursts.count > 2_000 {
            bursts.sort { $0.count > $1.count }
            bursts.removeLast(bursts.count - 1_000)
        }
    }

    /// Closes the open minute and run of the client in `slot`.
    private func finish(client: String, slot: Int) {
        // In place: a copy of the state retained and released its sets on every eviction.
        let name = ClientName(slot: slot, name: client)
        closeMinute(&clientStates[slot], name)
        finishRun(name, &clientStates[slot])
    }

    /// Closes every open minute (call once, at the end).
    func finish() {
        flushTimeline()
        settleSharedGroup()
        // Only a client with a run, or a burst minute still open, can end a burst here; the others are passed
        // over before sorting (sorting all 10,000 slots by key was most of the end of a scan of many clients).
        let open = clientStates.indices.filter {
            limits.burstMinimum <= 0 || clientStates[$0].runCount > 0 || (clientStates[$0].minute != .min && clientStates[$0].minuteCount >= limits.burstPerMinute)
        }
        let order = open.sorted { clients.key(at: $0) < clients.key(at: $1) }
        for slot in order { finish(client: clients.key(at: slot), slot: slot) }
    }

    /// Paths refused over many minutes at a low rate.
    func trickles() -> [Trickle] {
        pathStates.enumerated().compactMap { slot, ps -> Trickle? in
            let path = paths.key(at: slot)
            guard ps.count >= 5, ps.minutes >= 5, ps.peak <= 3 else { return nil }
            let cause = ps.causes.mostFrequent?.rawValue ?? "unknown"
            return Trickle(path: path, count: ps.count, minutes: ps.minutes, clients: ps.clients.count, cause: cause)
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.path < $1.path }
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : (a - b + 1) / b
}

/// Distinct 64-bit key hashes, few of them (at most 50 here): searched in order, cheaper than a `Set`
/// for so few. The first is held inline and only the others in an array, so the state of a client or
/// path refused once allocates nothing: past the 10,000-key caps, these states are most of the
/// aggregation's memory (a log of many distinct clients fills them). Emptied by resetting a count, so
/// the array is reused (a client's minute set is emptied about once per refusal).
struct SmallSet {
    private var first: UInt64 = 0
    private var rest: [UInt64] = []
    private(set) var count = 0
    /// Calls `body` with each member, first inserted first.
    func forEach(_ body: (UInt64) -> Void) {
        guard count > 0 else { return }
        body(first)
        var i = 0
        while i < count - 1 { body(rest[i]); i += 1 }
    }
    mutating func insert(_ h: UInt64) {
        if count == 0 { first = h; count = 1; return }
        if first == h { return }
        var i = 0
        while i < count - 1 { if rest[i] == h { return }; i += 1 }
        if count - 1 < rest.count { rest[count - 1] = h } else { rest.append(h) }
        count += 1
    }
    mutating func removeAll() { count = 0 }
}

/// Counts of a few distinct values (causes, statuses): searched in order, the first inline and the
/// others in one array, emptied by resetting a count as `SmallSet` is.
struct SmallCounter<Key: Equatable> {
    private var firstKey: Key?
    private var firstCount = 0
    private var rest: [(key: Key, count: Int)] = []
    private(set) var count = 0
    /// Calls `body` with each key and its count, first added first.
    func forEach(_ body: (Key, Int) -> Void) {
        guard count > 0, let k = firstKey else { return }
        body(k, firstCount)
        var i = 0
        while i < count - 1 { body(rest[i].key, rest[i].count); i += 1 }
    }
    /// The keys, first added first.
    var keys: [Key] {
        var out: [Key] = []
        forEach { k, _ in out.append(k) }
        return out
    }
    func contains(_ k: Key) -> Bool { self[k] != nil }
    subscript(_ k: Key) -> Int? {
        guard count > 0 else { return nil }
        if firstKey == k { return firstCount }
        var i = 0
        while i < count - 1 { if rest[i].key == k { return rest[i].count }; i += 1 }
        return nil
    }
    mutating func add(_ k: Key, by n: Int = 1) {
        if count == 0 { firstKey = k; firstCount = n; count = 1; return }
        if firstKey == k { firstCount += n; return }
        var i = 0
        while i < count - 1 { if rest[i].key == k { rest[i].count += n; return }; i += 1 }
        if count - 1 < rest.count { rest[count - 1] = (k, n) } else { rest.append((k, n)) }
        count += 1
    }
    mutating func removeAll() { count = 0 }
}

/// Each status and its count, as a report's `statuses` object.
func statusCounts(_ c: SmallCounter<Int>) -> [String: JSONValue] {
    var out: [String: JSONValue] = [:]
    c.forEach { s, n in out[String(s)] = .int(n) }
    return out
}

extension SmallCounter where Key == Cause {
    /// The most frequent cause; ties go to the smallest id.
    var mostFrequent: Cause? {
        var best: (key: Cause, count: Int)?
        forEach { k, n in
            guard let b = best else { best = (k, n); return }
            if n > b.count || (n == b.count && k.rawValue < b.key.rawValue) { best = (k, n) }
        }
        return best?.key
    }
}
