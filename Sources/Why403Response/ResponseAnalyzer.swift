import Why403Core

/// What one response reveals: the layer that answered, the findings (primary first) and notes.
public struct ResponseAnalysis: Sendable, Equatable {
    /// The layer that produced the response (`unknown` when no signature matched).
    public var layer: Layer
    public var findings: [Finding]
    public var notes: [String]

    public init(layer: Layer, findings: [Finding], notes: [String] = []) {
        self.layer = layer
        self.findings = findings
        self.notes = notes
    }
}

/// Black-box analysis of a response: which layer answered and what the response proves.
/// (Being built: the signature catalogue lives in `Signatures/`.)
public enum ResponseAnalyzer {
    public static func analyze(_ response: CapturedResponse) -> ResponseAnalysis {
        ResponseAnalysis(layer: .unknown, findings: [])
    }
}
