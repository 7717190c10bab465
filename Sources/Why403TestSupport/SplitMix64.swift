/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator for the fuzz and property loops, so a
/// failure replays with the same inputs (no random seeds in tests). Shared by every test target.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (0 when `n` is 0 or less).
    public mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

    /// `bytes` with one to three random edits: a byte replaced by, or a byte inserted from, `alphabet`, or a byte removed
    /// (the mutation of the line-reader property tests).
    public mutating func mutate(_ bytes: [UInt8], alphabet: [UInt8]) -> [UInt8] {
        var b = bytes
        for _ in 0...(next() % 3) where !b.isEmpty {
            let at = Int(next() % UInt64(b.count))
            switch next() % 3 {
            case 0: b[at] = alphabet[Int(next() % UInt64(alphabet.count))]
            case 1: b.remove(at: at)
            default: b.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: at)
            }
        }
        return b
    }
}
